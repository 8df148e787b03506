"""The diary chart: headache days and migraine days per period as bars, the injection
sessions as marked lines, drawn as SVG on the server so that the page and a PDF show the same
picture. Pure: figures in, markup out.

Readable without colour: headache days are solid dark bars, migraine days white bars with
diagonal hatching and a dark outline, sessions dashed lines with a triangle marker. The SVG
carries its own text alternative (`<title>`, `<desc>`); `DiaryChart.rows` is the same
figures as a table the page shows beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Protocol

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 40, 56
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
BASELINE = TOP + PLOT_H
INK = "#222"


class ChartPeriod(Protocol):
    """What the chart needs of one period's figures (diary.selectors' rows fit it)."""

    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...  # the period's last day, included
    @property
    def headache_days(self) -> int: ...
    @property
    def migraine_days(self) -> int: ...


@dataclass(frozen=True)
class ChartRow:
    """One period as the table beside the chart shows it."""

    start: date
    end: date
    headache_days: int
    migraine_days: int
    sessions: tuple[date, ...]


@dataclass(frozen=True)
class DiaryChart:
    svg: str
    rows: tuple[ChartRow, ...]
    scale_max: int


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def scale_max(periods: Sequence[ChartPeriod]) -> int:
    """The top of the day axis: the longest period, or the largest figure if larger, rounded
    up to a multiple of 7."""
    top = max(
        [(p.end - p.start).days + 1 for p in periods]
        + [max(p.headache_days, p.migraine_days) for p in periods]
        + [7]
    )
    return -(-top // 7) * 7


def y_of(value: int, top: int) -> float:
    """The y coordinate of a count of days on an axis from 0 to `top`."""
    return round(BASELINE - PLOT_H * value / top, 2)


def session_x(day: date, periods: Sequence[ChartPeriod]) -> float | None:
    """Where a session falls along the periods (each period an equal slot, the day placed
    within its slot), or None when it is outside all of them."""
    slot = PLOT_W / len(periods)
    for i, p in enumerate(periods):
        if p.start <= day <= p.end:
            length = (p.end - p.start).days + 1
            return round(LEFT + slot * (i + ((day - p.start).days + 0.5) / length), 2)
    return None


def _description(periods: Sequence[ChartPeriod], sessions: Sequence[date]) -> str:
    parts = [
        f"{_day(p.start)} to {_day(p.end)}: {p.headache_days} headache days, "
        f"{p.migraine_days} migraine days"
        for p in periods
    ]
    shown = ", ".join(_day(s) for s in sessions) if sessions else "none in these periods"
    return "; ".join(parts) + f". Injection sessions: {shown}."


def _bars(periods: Sequence[ChartPeriod], top: int, pid: str) -> list[str]:
    slot = PLOT_W / len(periods)
    bar = min(slot * 0.36, 36)
    out = []
    for i, p in enumerate(periods):
        left = LEFT + slot * i + slot / 2 - bar
        for kind, value, x, fill in (
            ("headache", p.headache_days, left, INK),
            ("migraine", p.migraine_days, left + bar, f"url(#{pid}-hatch)"),
        ):
            y = y_of(value, top)
            out.append(
                f'<rect class="bar {kind}" data-period="{p.start.isoformat()}" '
                f'data-value="{value}" x="{x:.2f}" y="{y}" width="{bar:.2f}" '
                f'height="{round(BASELINE - y, 2)}" fill="{fill}" stroke="{INK}">'
                f"<title>{_text(_day(p.start))}: {value} {kind} days</title></rect>"
            )
        label_x = LEFT + slot * (i + 0.5)
        out.append(
            f'<text x="{label_x:.2f}" y="{BASELINE + 16}" text-anchor="middle" '
            f'font-size="11">{_text(f"{p.start:%d %b}")}</text>'
        )
    return out


def _axis(top: int) -> list[str]:
    out = [
        f'<line x1="{LEFT}" y1="{BASELINE}" x2="{WIDTH - RIGHT}" y2="{BASELINE}" stroke="{INK}"/>'
    ]
    for tick in range(0, top + 1, 7):
        y = y_of(tick, top)
        out.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#bbb" '
            f'stroke-width="0.5"/><text x="{LEFT - 6}" y="{y + 4}" text-anchor="end" '
            f'font-size="11">{tick}</text>'
        )
    out.append(
        f'<text x="12" y="{TOP + PLOT_H / 2}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {TOP + PLOT_H / 2})">days</text>'
    )
    return out


def _sessions(periods: Sequence[ChartPeriod], sessions: Sequence[date]) -> list[str]:
    out = []
    for day in sessions:
        x = session_x(day, periods)
        if x is None:
            continue
        out.append(
            f'<g class="session" data-session="{day.isoformat()}">'
            f"<title>Injection session {_text(_day(day))}</title>"
            f'<line x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{BASELINE}" stroke="{INK}" '
            f'stroke-width="1.5" stroke-dasharray="5 3"/>'
            f'<path d="M{x - 5} {TOP - 12} L{x + 5} {TOP - 12} L{x} {TOP - 4} Z" fill="{INK}"/>'
            "</g>"
        )
    return out


def _legend(pid: str) -> str:
    y = HEIGHT - 18
    return (
        f'<g class="legend" font-size="11">'
        f'<rect x="{LEFT}" y="{y - 9}" width="12" height="12" fill="{INK}" stroke="{INK}"/>'
        f'<text x="{LEFT + 16}" y="{y + 1}">Headache days</text>'
        f'<rect x="{LEFT + 130}" y="{y - 9}" width="12" height="12" '
        f'fill="url(#{pid}-hatch)" stroke="{INK}"/>'
        f'<text x="{LEFT + 146}" y="{y + 1}">Migraine days</text>'
        f'<line x1="{LEFT + 262}" y1="{y - 9}" x2="{LEFT + 262}" y2="{y + 3}" stroke="{INK}" '
        f'stroke-width="1.5" stroke-dasharray="5 3"/>'
        f'<text x="{LEFT + 270}" y="{y + 1}">Injection session</text></g>'
    )


def diary_chart(
    periods: Sequence[ChartPeriod],
    sessions: Sequence[date],
    *,
    title: str = "Headache and migraine days per period",
    pid: str = "diary-chart",
) -> DiaryChart:
    """The chart of `periods` (oldest first) with the `sessions` that fall inside them
    marked; `pid` prefixes the ids inside the SVG (two charts on one page need two)."""
    periods = sorted(periods, key=lambda p: p.start)
    inside = sorted(s for s in sessions if session_x(s, periods) is not None) if periods else []
    rows = tuple(
        ChartRow(
            p.start,
            p.end,
            p.headache_days,
            p.migraine_days,
            tuple(s for s in inside if p.start <= s <= p.end),
        )
        for p in periods
    )
    pid = _text(pid)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" class="diary-chart" '
        f'aria-labelledby="{pid}-title {pid}-desc" font-family="sans-serif">'
        f'<title id="{pid}-title">{_text(title)}</title>'
    )
    if not periods:
        return DiaryChart(
            head + f'<desc id="{pid}-desc">No diary periods to show yet.</desc></svg>', (), 0
        )
    top = scale_max(periods)
    body = [
        f'<desc id="{pid}-desc">{_text(_description(periods, inside))}</desc>',
        f'<defs><pattern id="{pid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="2"/></pattern></defs>',
        *_axis(top),
        *_bars(periods, top, pid),
        *_sessions(periods, inside),
        _legend(pid),
    ]
    return DiaryChart(head + "".join(body) + "</svg>", rows, top)
