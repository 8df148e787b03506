"""Paging shared by the staff lists.

`keyset_page` serves a page by where it starts, not by how many rows come before it: the
links name a row (`?after=<pk>`, `?before=<pk>`) or the end (`?last=1`), and the page is
that row's neighbours in the list's order, read through the index that order has. The last
page costs what the first does; nothing is skipped with OFFSET. The count is told by the
list when it has its own counts (`count=`), or counted only up to `COUNT_CAP` rows, so that
it never reads a whole clinic.

`CountedPaginator` remains for numbered pages whose count the list already holds."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

from botoxcare.validators import id_read

T = TypeVar("T")

COUNT_CAP = 1000


class CountedPaginator(Paginator):
    """A paginator told its count: the list's counts above it already hold it, so the
    database is not asked to count the same rows twice."""

    def __init__(self, object_list: QuerySet[Any, Any], per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count


@dataclass(frozen=True)
class KeysetPage(Generic[T]):
    """One page of a list in its order, with where the pages beside it start."""

    object_list: list[T]
    has_previous: bool
    has_next: bool
    first_pk: int | None
    last_pk: int | None
    count: int  # exact when `count_capped` is false, else "more than COUNT_CAP"
    count_capped: bool
    params: str  # the list's own parameters (filters), which every link keeps

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def count_shown(self) -> str:
        return f"more than {COUNT_CAP:,}" if self.count_capped else f"{self.count:,}"

    def _link(self, **cursor: Any) -> str:
        query = "&".join(q for q in (self.params, urlencode(cursor)) if q)
        return f"?{query}" if query else "?"

    @property
    def first_link(self) -> str:
        return self._link()

    @property
    def previous_link(self) -> str:
        return self._link(before=self.first_pk)

    @property
    def next_link(self) -> str:
        return self._link(after=self.last_pk)

    @property
    def last_link(self) -> str:
        return self._link(last=1)


def _pk_of(row: Any) -> int:
    return int(getattr(row, "pk", row))


def _field(name: str) -> tuple[str, bool]:
    """(field, descending) of an order_by term; "pk" is the primary key."""
    return name.lstrip("-"), name.startswith("-")


def beyond(order: Sequence[str], key: Mapping[str, Any], *, forward: bool) -> Q:
    """Rows after (forward) or before `key` in `order`: the lexicographic comparison written
    out, led by a bound on the first field so that the database reads one range of the
    index. Every field of `order` must be non-null, the last one unique (the pk)."""
    beyond, equal = Q(), Q()
    for term in order:
        name, desc = _field(term)
        op = "gt" if forward != desc else "lt"
        beyond |= equal & Q(**{f"{name}__{op}": key[name]})
        equal &= Q(**{name: key[name]})
    first, desc = _field(order[0])
    lead = Q(**{f"{first}__{'gte' if forward != desc else 'lte'}": key[first]})
    return lead & beyond


def chunks(rows: QuerySet[Any, T], *, order: Sequence[str], size: int) -> Iterator[list[T]]:
    """Every row of `rows` in `order`, `size` at a time, each chunk read from where the last
    ended (no OFFSET: the thousandth chunk costs what the first does)."""
    names = [_field(t)[0] for t in order]
    ordered, after = rows.order_by(*order), None
    while True:
        rest = ordered.filter(beyond(order, after, forward=True)) if after else ordered
        chunk = list(rest[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]
        after = {name: getattr(last, name) for name in names}


def _reversed(order: Sequence[str]) -> list[str]:
    return [t[1:] if t.startswith("-") else f"-{t}" for t in order]


def _ordered(rows: QuerySet[Any, Any], order: Sequence[str], ids: bool) -> QuerySet[Any, Any]:
    ordered = rows.order_by(*order)
    return ordered.values_list("pk", flat=True) if ids else ordered


def keyset_page(
    rows: QuerySet[Any, T],
    *,
    order: Sequence[str],
    per_page: int,
    params: Mapping[str, str],
    keep: Sequence[str] = (),
    count: int | None = None,
    ids: bool = False,
) -> KeysetPage[Any]:
    """The page of `rows` (filtered, not yet ordered) that `params` names: `after=<pk>`,
    `before=<pk>`, `last=1`, else the first. A pk not in `rows` (another clinic's, or a row
    since filtered out) gives the first page. The links carry the `keep` parameters (the
    list's filters) as they are. With `ids`, the page holds the rows' pks alone, for a list
    whose per-row reads are then made for those rows only."""
    names = [_field(t)[0] for t in order]
    after, before = id_read(params.get("after", "")), id_read(params.get("before", ""))
    cursor = after or before
    key = rows.filter(pk=cursor).values(*names).first() if cursor else None
    backward = params.get("last") == "1" or (key is not None and before is not None)
    fetch = rows
    if key is not None:
        fetch = rows.filter(beyond(order, key, forward=not backward))
    got = list(_ordered(fetch, _reversed(order) if backward else order, ids)[: per_page + 1])
    more = len(got) > per_page
    got = got[:per_page]
    if backward:
        got.reverse()
        if key is not None and not more and len(got) < per_page:  # near the start: page 1
            got = list(_ordered(rows, order, ids)[: per_page + 1])
            more, got, backward, key = len(got) > per_page, got[:per_page], False, None
    has_previous = more if backward else key is not None
    has_next = (key is not None) if backward else more
    if count is None:
        counted = rows.order_by().values("pk")[: COUNT_CAP + 1].count()
        capped, count = counted > COUNT_CAP, min(counted, COUNT_CAP)
    else:
        capped = False
    return KeysetPage(
        object_list=got,
        has_previous=has_previous,
        has_next=has_next,
        first_pk=_pk_of(got[0]) if got else None,
        last_pk=_pk_of(got[-1]) if got else None,
        count=count,
        count_capped=capped,
        params=urlencode([(k, params[k]) for k in keep if params.get(k)]),
    )
