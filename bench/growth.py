"""How each page's time over the floor grows with the clinic (issue 12's targets), and its chart.

Pure arithmetic on figures already measured: bench/run.py gives each page's p50 and p95 over
the floor's (/bench/floor, the empty signed-in staff page, measured in the same run) at each
clinic size. A page is flagged when its ratio at the largest size is more than GROWTH_LIMIT
times its ratio at the smallest (p50 or p95), or when its p95 at FLOOR_LIMIT_AT patients is
more than FLOOR_LIMIT times the floor's.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from html import escape

GROWTH_LIMIT = 1.3  # a page's ratio at the largest size over its ratio at the smallest
FLOOR_LIMIT = 3.0  # p95 over the floor's p95 ...
FLOOR_LIMIT_AT = 50_000  # ... at this clinic size


@dataclass(frozen=True)
class Ratios:
    """A page's p50 and p95 over the floor's, at one clinic size."""

    p50: float
    p95: float


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def ratios(page: list[float], floor: list[float]) -> Ratios:
    """From the timings (ms) of a page and of the floor in the same run."""
    return Ratios(
        p50=statistics.median(page) / statistics.median(floor),
        p95=percentile(page, 95) / percentile(floor, 95),
    )


@dataclass
class Growth:
    page: str
    by_size: dict[int, Ratios]
    flags: list[str] = field(default_factory=list)

    @property
    def sizes(self) -> list[int]:
        return sorted(self.by_size)

    @property
    def p50(self) -> float:
        """The p50 ratio at the largest size over that at the smallest."""
        return self.by_size[self.sizes[-1]].p50 / self.by_size[self.sizes[0]].p50

    @property
    def p95(self) -> float:
        return self.by_size[self.sizes[-1]].p95 / self.by_size[self.sizes[0]].p95


def judge(growth: Growth) -> list[str]:
    """The targets a page misses, each in a few words."""
    flags = []
    sizes = growth.sizes
    if len(sizes) > 1:
        span = f"{sizes[0]:,} -> {sizes[-1]:,}"
        for which, grown in (("p50", growth.p50), ("p95", growth.p95)):
            if grown > GROWTH_LIMIT:
                flags.append(f"{which} x floor grew {grown:.2f}x {span} (> {GROWTH_LIMIT}x)")
    at = growth.by_size.get(FLOOR_LIMIT_AT)
    if at is not None and at.p95 > FLOOR_LIMIT:
        flags.append(f"p95 {at.p95:.2f}x floor at {FLOOR_LIMIT_AT:,} (> {FLOOR_LIMIT:.0f}x)")
    return flags


def growths(by_size: dict[int, dict[str, Ratios]], exempt: tuple[str, ...] = ()) -> list[Growth]:
    """One Growth a page measured at every size, in the smallest size's order, judged unless
    the page is `exempt` (the floor itself, /healthz)."""
    sizes = sorted(by_size)
    found = []
    for page in by_size[sizes[0]]:
        if not all(page in by_size[size] for size in sizes):
            continue
        growth = Growth(page, {size: by_size[size][page] for size in sizes})
        if page not in exempt:
            growth.flags = judge(growth)
        found.append(growth)
    return found


def table(rows: list[Growth], width: int = 38) -> list[str]:
    """The growth report's lines: p50 (p95) over the floor at each size, the growth from the
    smallest to the largest size, then each flag."""
    sizes = rows[0].sizes
    header = f"{'page':<{width}} " + " ".join(f"{f'{size:,} patients':>16}" for size in sizes)
    header += f" {'growth p50':>10} {'growth p95':>10}  flag"
    lines = [header, "-" * len(header)]
    for row in rows:
        cells = " ".join(
            f"{f'{r.p50:.2f}x ({r.p95:.2f}x)':>16}" for r in (row.by_size[s] for s in sizes)
        )
        mark = "FLAG" if row.flags else ""
        lines.append(f"{row.page:<{width}} {cells} {row.p50:9.2f}x {row.p95:9.2f}x  {mark}")
    flagged = [row for row in rows if row.flags]
    lines.append("")
    if not flagged:
        lines.append(
            f"No page flagged (growth <= {GROWTH_LIMIT}x, p95 <= {FLOOR_LIMIT:.0f}x the floor "
            f"at {FLOOR_LIMIT_AT:,})."
        )
    for row in flagged:
        lines.append(f"FLAG {row.page}: " + "; ".join(row.flags))
    return lines


# --- the chart ------------------------------------------------------------------------------

WIDTH, HEIGHT = 960, 420
LEFT, RIGHT, TOP, BOTTOM = 56, 460, 36, 48
LABEL = 52  # characters of a page's name in the legend
COLOURS = ["#1b6ca8", "#d1495b", "#2e933c", "#edae49", "#6a4c93", "#00798c", "#8d6a9f", "#555"]


def svg(rows: list[Growth], title: str) -> str:
    """A line chart of each page's p95 over the floor against the clinic size (log scale),
    the 3x line dashed; plain SVG with no script or style element (the CSP allows images)."""
    sizes = rows[0].sizes
    top = max(FLOOR_LIMIT, *(r.p95 for row in rows for r in row.by_size.values())) * 1.1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    low, high = math.log10(sizes[0]), math.log10(sizes[-1])

    def x(size: int) -> float:
        return LEFT + (plot_w * (math.log10(size) - low) / (high - low) if high > low else 0)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        f'<text x="{LEFT}" y="20" font-size="14">{escape(title)}</text>',
        f'<line x1="{LEFT}" y1="{y(0):.1f}" x2="{LEFT + plot_w}" y2="{y(0):.1f}" stroke="#000"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{y(0):.1f}" stroke="#000"/>',
    ]
    step = 1 if top <= 8 else 2 if top <= 16 else 5
    for tick in range(0, int(top) + 1, step):
        out.append(
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}x</text>'
            f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{LEFT + plot_w}" y2="{y(tick):.1f}" '
            'stroke="#eee"/>'
        )
    for size in sizes:
        out.append(
            f'<text x="{x(size):.1f}" y="{y(0) + 18:.1f}" text-anchor="middle">{size:,}</text>'
        )
    out.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 10}" text-anchor="middle">'
        "patients (log scale); y: p95 over the floor's p95</text>"
    )
    out.append(
        f'<line x1="{LEFT}" y1="{y(FLOOR_LIMIT):.1f}" x2="{LEFT + plot_w}" '
        f'y2="{y(FLOOR_LIMIT):.1f}" stroke="#d1495b" stroke-dasharray="6 4"/>'
    )
    for n, row in enumerate(rows):
        colour = COLOURS[n % len(COLOURS)]
        dash = ' stroke-dasharray="2 3"' if n // len(COLOURS) % 2 else ""  # colours come round
        points = " ".join(f"{x(s):.1f},{y(row.by_size[s].p95):.1f}" for s in sizes)
        out.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        for s in sizes:
            out.append(
                f'<circle cx="{x(s):.1f}" cy="{y(row.by_size[s].p95):.1f}" r="3" fill="{colour}"/>'
            )
        ly = TOP + 16 * n
        name = row.page if len(row.page) <= LABEL else row.page[: LABEL - 1] + "…"
        label = escape(name + (" (flagged)" if row.flags else ""))
        out.append(
            f'<line x1="{WIDTH - RIGHT + 16}" y1="{ly}" x2="{WIDTH - RIGHT + 36}" y2="{ly}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{WIDTH - RIGHT + 42}" y="{ly + 4}">{label}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
