"""The diary chart: well-formed SVG with a text alternative, one mark per session inside the
periods, bars where the figures put them, text escaped, readable without colour."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, timedelta

from diary.chart import BASELINE, LEFT, PLOT_H, PLOT_W, diary_chart, scale_max, session_x

SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Row:
    start: date
    end: date
    headache_days: int
    migraine_days: int


def periods(*figures: tuple[int, int], first: date = date(2026, 1, 1)) -> list[Row]:
    rows = []
    for i, (headache, migraine) in enumerate(figures):
        start = first + timedelta(days=28 * i)
        rows.append(Row(start, start + timedelta(days=27), headache, migraine))
    return rows


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own markup)


def test_the_svg_parses_and_carries_its_text_alternative():
    chart = diary_chart(periods((20, 9), (12, 5)), [date(2026, 1, 10)])
    root = parse(chart.svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Headache and migraine days per period"
    assert desc is not None
    assert "1 Jan 2026 to 28 Jan 2026: 20 headache days, 9 migraine days" in desc.text
    assert "Injection sessions: 10 Jan 2026" in desc.text
    assert set(root.get("aria-labelledby", "").split()) == {title.get("id"), desc.get("id")}


def test_one_mark_per_session_inside_the_periods():
    rows = periods((20, 9), (12, 5), (8, 3))
    sessions = [date(2026, 1, 10), date(2026, 3, 1), date(2025, 6, 1), date(2027, 1, 1)]
    chart = diary_chart(rows, sessions)
    marks = parse(chart.svg).findall(f".//{SVG}g[@class='session']")
    assert [m.get("data-session") for m in marks] == ["2026-01-10", "2026-03-01"]
    assert [r.sessions for r in chart.rows] == [(date(2026, 1, 10),), (), (date(2026, 3, 1),)]
    # The mark for 10 January sits in the first period's slot, on its 10th day.
    line = marks[0].find(f"{SVG}line")
    slot = PLOT_W / 3
    assert float(line.get("x1")) == round(LEFT + slot * 9.5 / 28, 2)
    assert LEFT < float(line.get("x1")) < LEFT + slot


def test_bars_are_placed_by_their_values():
    rows = periods((21, 7), (14, 0))
    root = parse(diary_chart(rows, []).svg)
    top = scale_max(rows)
    assert top == 28
    bars = {
        (b.get("data-period"), b.get("class")): b
        for b in root.iter(f"{SVG}rect")
        if b.get("data-period")
    }
    assert len(bars) == 4
    for (start, kind), value in {
        ("2026-01-01", "bar headache"): 21,
        ("2026-01-01", "bar migraine"): 7,
        ("2026-01-29", "bar headache"): 14,
        ("2026-01-29", "bar migraine"): 0,
    }.items():
        bar = bars[(start, kind)]
        assert int(bar.get("data-value")) == value
        height = float(bar.get("height"))
        assert abs(height - PLOT_H * value / top) < 0.01
        assert abs(float(bar.get("y")) + height - BASELINE) < 0.01
    # Periods left to right, oldest first, whatever order they came in.
    later = parse(diary_chart(list(reversed(rows)), []).svg)
    xs = [float(b.get("x")) for b in later.iter(f"{SVG}rect") if b.get("class") == "bar headache"]
    assert xs == sorted(xs)


def test_readable_in_greyscale_the_series_differ_by_pattern_not_colour():
    root = parse(diary_chart(periods((10, 4)), [date(2026, 1, 5)]).svg)
    headache = root.find(f".//{SVG}rect[@class='bar headache']")
    migraine = root.find(f".//{SVG}rect[@class='bar migraine']")
    assert headache.get("fill") == "#222"
    assert migraine.get("fill") == "url(#diary-chart-hatch)"
    assert root.find(f".//{SVG}pattern[@id='diary-chart-hatch']") is not None
    assert root.find(f".//{SVG}g[@class='session']/{SVG}line").get("stroke-dasharray")
    legend = "".join(root.find(f".//{SVG}g[@class='legend']").itertext())
    assert "Headache days" in legend and "Migraine days" in legend and "Injection session" in legend


def test_text_is_escaped():
    svg = diary_chart(periods((1, 0)), [], title='Days <&> "quoted"', pid='x"y').svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == 'Days <&> "quoted"'


def test_no_periods_is_an_empty_chart_that_says_so():
    chart = diary_chart([], [date(2026, 1, 1)])
    assert chart.rows == ()
    assert parse(chart.svg).find(f"{SVG}desc").text == "No diary periods to show yet."


def test_a_long_period_or_a_large_figure_raises_the_scale():
    month = [Row(date(2026, 1, 1), date(2026, 1, 31), 31, 20)]
    assert scale_max(month) == 35
    assert session_x(date(2026, 2, 1), month) is None


def test_the_selectors_rows_are_what_the_chart_takes():
    from diary.chart import ChartPeriod
    from diary.selectors import PeriodFigures

    row: ChartPeriod = PeriodFigures(
        start=date(2026, 1, 1), end=date(2026, 1, 28), headache_days=16, migraine_days=9
    )
    chart = diary_chart([row], [])
    assert chart.rows[0].headache_days == 16 and chart.rows[0].migraine_days == 9
