"""A query the ORM builds and compiles once for its shape, then runs with each call's values.

Django builds and compiles a queryset again on every evaluation. For the diary's figures (a
`CASE` of one `WHEN` a window, a correlated subquery, conditional aggregates) that took several
times what the database took to answer, on every card. The SQL text depends only on the
query's shape (how many windows, the clinic's definitions); what changes between calls (the
patient, the windows' dates) are parameters. So the queryset is built with a `Marker` wherever
a call's value goes and compiled once for its database, and each call puts its values in the
markers' places, prepared by the marker's field as the ORM prepares a value for that field,
runs the SQL through the connection's cursor (counted and wrapped like any ORM query) and
converts each column with the converters the ORM itself applies. The SQL is the ORM's own,
compiled for the database in use (SQLite, PostgreSQL): none is written by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Expression, Field, QuerySet


class Marker(Expression):
    """Where a call's value `name` goes: compiled to one parameter, this marker, replaced by
    the value (prepared by `output_field`) when the query runs."""

    def __init__(self, name: str, output_field: Field[Any, Any]) -> None:
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return "%s", [self]


Converters = tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]


@dataclass(frozen=True)
class PreparedQuery:
    """A compiled queryset: its SQL, its parameters (constants, and a `Marker` where each
    call's value goes), its columns' names and the ORM's converters of each."""

    using: str
    sql: str
    params: tuple[Any, ...]
    columns: tuple[str, ...]
    converters: Converters

    @classmethod
    def of(cls, queryset: QuerySet[Any, Any]) -> PreparedQuery:
        """Compile a `values()` queryset once, for the database it reads."""
        using = queryset.db
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        selected = [expression for expression, _, _ in compiler.select]
        columns = tuple(alias for _, _, alias in compiler.select)
        if None in columns:
            raise ValueError("every column of a prepared query needs a name: use values()")
        converters = tuple(
            (position, tuple(funcs), expression)
            for position, (funcs, expression) in compiler.get_converters(selected).items()
        )
        return cls(using, sql, tuple(params), columns, converters)

    def rows(self, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run the query with `values` in the markers' places: its rows, as `values()` gives
        them. Every marker needs a value; KeyError names the one missing."""
        connection = connections[self.using]
        params = [
            p.output_field.get_db_prep_value(values[p.name], connection)
            if isinstance(p, Marker)
            else p
            for p in self.params
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        result = []
        for row in map(list, fetched):
            for position, funcs, expression in self.converters:
                for convert in funcs:
                    row[position] = convert(row[position], expression, connection)
            result.append(dict(zip(self.columns, row, strict=True)))
        return result
