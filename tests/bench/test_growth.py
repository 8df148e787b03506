"""The growth report's arithmetic and flags (bench/growth.py), on made-up figures."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bench import growth
from bench.growth import Ratios


def figures() -> dict[int, dict[str, Ratios]]:
    return {
        1_000: {
            "/healthz": Ratios(0.2, 0.2),
            "flat": Ratios(2.0, 2.0),
            "grows": Ratios(2.0, 2.0),
            "heavy": Ratios(3.5, 3.5),
        },
        10_000: {
            "/healthz": Ratios(0.2, 0.2),
            "flat": Ratios(2.1, 2.2),
            "grows": Ratios(2.4, 2.5),
            "heavy": Ratios(3.5, 3.5),
        },
        50_000: {
            "/healthz": Ratios(0.4, 0.5),
            "flat": Ratios(2.2, 2.5),  # 1.10x and 1.25x: within 1.3x
            "grows": Ratios(2.7, 2.0),  # p50 1.35x: flagged
            "heavy": Ratios(3.5, 3.1),  # flat, but past 3x the floor at 50,000
        },
    }


def by_page() -> dict[str, growth.Growth]:
    return {row.page: row for row in growth.growths(figures(), exempt=("/healthz",))}


def test_growth_is_the_largest_sizes_ratio_over_the_smallests():
    rows = by_page()
    assert list(rows) == ["/healthz", "flat", "grows", "heavy"]
    assert round(rows["flat"].p50, 3) == 1.1
    assert round(rows["flat"].p95, 3) == 1.25
    assert round(rows["grows"].p50, 3) == 1.35
    assert round(rows["grows"].p95, 3) == 1.0


def test_flags_growth_past_1_3x_and_3x_the_floor_at_50000():
    rows = by_page()
    assert rows["flat"].flags == []
    assert rows["grows"].flags == ["p50 x floor grew 1.35x 1,000 -> 50,000 (> 1.3x)"]
    assert rows["heavy"].flags == ["p95 3.10x floor at 50,000 (> 3x)"]
    assert rows["/healthz"].flags == []  # exempt, though it doubled


def test_no_3x_check_without_50000_patients():
    small = {size: pages for size, pages in figures().items() if size < 50_000}
    rows = {row.page: row for row in growth.growths(small)}
    assert rows["heavy"].flags == []
    assert rows["grows"].flags == []  # 1.2x and 1.25x from 1,000 to 10,000


def test_ratios_from_timings():
    floor = [1.0] * 19 + [2.0]
    page = [3.0] * 19 + [8.0]
    found = growth.ratios(page, floor)
    assert found.p50 == 3.0
    expected = growth.percentile(page, 95) / growth.percentile(floor, 95)
    assert round(found.p95, 3) == round(expected, 3)
    assert 3.0 < found.p95 < 4.0


def test_table_names_each_size_and_the_flagged_pages():
    lines = growth.table(list(by_page().values()))
    assert "1,000 patients" in lines[0] and "50,000 patients" in lines[0]
    flat = next(line for line in lines if line.startswith("flat"))
    assert "2.20x (2.50x)" in flat and "1.10x" in flat and "FLAG" not in flat
    assert any(line.startswith("grows") and line.endswith("FLAG") for line in lines)
    assert "FLAG heavy: p95 3.10x floor at 50,000 (> 3x)" in lines


def test_table_says_when_nothing_is_flagged():
    flat = {size: {"flat": pages["flat"]} for size, pages in figures().items()}
    assert growth.table(growth.growths(flat))[-1].startswith("No page flagged")


def test_chart_is_an_svg_with_a_line_a_page():
    chart = growth.svg(list(by_page().values()), "Growth <made up>")
    root = ET.fromstring(chart)  # noqa: S314 (our own output) well-formed, the title escaped
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert len(root.findall(f"{ns}polyline")) == 4
    assert len(root.findall(f"{ns}circle")) == 12
    assert "Growth &lt;made up&gt;" in chart
    assert "heavy (flagged)" in chart
    assert root.find(f"{ns}script") is None
