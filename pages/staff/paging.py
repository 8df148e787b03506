"""Paging shared by the staff lists."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """A paginator told its count: the list's counts above it already hold it, so the
    database is not asked to count the same rows twice."""

    def __init__(self, object_list: QuerySet[Any, Any], per_page: int, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count
