"""The patient page's timeline as asked for by the page's query: its order (newest first unless
`?order=oldest`) and the one kind it shows (`?kind=` one of timeline.KINDS; all otherwise).
Anything else in the query is ignored here and kept in the links, so one choice keeps the
other. Neither parameter holds patient data."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.http import QueryDict

from .timeline import KINDS, TimelineEntry

NEWEST, OLDEST = "newest", "oldest"
ORDERS: dict[str, str] = {NEWEST: "Newest first", OLDEST: "Oldest first"}
ANCHOR = "#timeline"


@dataclass(frozen=True)
class Choice:
    label: str
    href: str
    current: bool
    count: int | None = None


@dataclass(frozen=True)
class TimelineView:
    entries: list[TimelineEntry]
    order: str
    kind: str  # "" for every kind
    orders: list[Choice]
    kinds: list[Choice]

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, "")


def timeline_view(entries: list[TimelineEntry], *, params: QueryDict, path: str) -> TimelineView:
    """`entries` oldest first (course_timeline) in the order and of the kind `params` ask for;
    a value the page does not offer counts as not given."""
    order = params.get("order", NEWEST)
    order = order if order in ORDERS else NEWEST
    kind = params.get("kind", "")
    kind = kind if kind in KINDS else ""
    shown = [e for e in entries if not kind or e.kind == kind]
    if order == NEWEST:
        shown.reverse()
    counts = Counter(e.kind for e in entries)

    def href(**changes: str) -> str:
        query = params.copy()
        for key, value in {"order": order, "kind": kind, **changes}.items():
            if value in ("", NEWEST):  # the defaults stay out of the address
                query.pop(key, None)
            else:
                query[key] = value
        encoded = query.urlencode()
        return f"{path}?{encoded}{ANCHOR}" if encoded else f"{path}{ANCHOR}"

    return TimelineView(
        entries=shown,
        order=order,
        kind=kind,
        orders=[Choice(label, href(order=key), key == order) for key, label in ORDERS.items()],
        kinds=[
            Choice("All", href(kind=""), kind == "", len(entries)),
            *(
                Choice(label, href(kind=key), key == kind, counts[key])
                for key, label in KINDS.items()
            ),
        ],
    )
