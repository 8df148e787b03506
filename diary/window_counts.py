"""Counting a patient's diary entries in windows: the definitions of `diary.selectors` as
conditions on an entry, and the one grouped query that counts them in any number of windows.

The query labels each entry with its window (a `CASE`), whether it is a headache day, and the
classes of medicine taken that day as one number (`classes_taken`: one correlated subquery),
and the database counts each group. A window's figures are then the sums of its few groups:
its days of a class, the days of its groups that took the class; its migraine days, the
headache days of its groups that took a triptan or an ergot and those of the others with
migraine features. Counting each class's days in the query instead needs an `Exists` for each
class, which Django resolves and compiles one by one and the database probes for each entry.

The query's shape depends only on the number of windows and the clinic's two definitions of a
day, so it is built and compiled once a shape (`diary.prepared`) and run with each call's
patient and dates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Protocol

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThanOrEqual

from .models import SPECIFIC_CLASSES, DiaryEntry, DiaryEntryMedicine, MedicineClass, Severity
from .periods import Window
from .prepared import Marker, PreparedQuery

# Taking one of these makes a headache day a migraine day.
MIGRAINE_CLASSES = (MedicineClass.TRIPTAN, MedicineClass.ERGOT)
# Each class's bit in an entry's `classes`.
BIT = {c: 1 << i for i, c in enumerate(MedicineClass.values)}
# The step of the hours recorded (`DiaryEntry.duration_hours`: tenths).
HOUR = Decimal(1).scaleb(-DiaryEntry._meta.get_field("duration_hours").decimal_places)


def bits(classes: Sequence[str]) -> int:
    return sum(BIT[c] for c in classes)


class DayRules(Protocol):
    """What the definitions read of the clinic's rules (`ClinicSettings`)."""

    @property
    def headache_day_min_hours(self) -> Any: ...

    @property
    def migraine_day_min_features(self) -> int: ...


def took(classes: Sequence[str]) -> Exists:
    """The entry's day had a medicine of any of `classes`."""
    return Exists(
        DiaryEntryMedicine.objects.filter(
            entry=OuterRef("pk"), medicine__medicine_class__in=list(classes)
        )
    )


def classes_taken() -> Coalesce:
    """The classes of the medicines taken on the entry's day as one number, a `BIT` a class
    (0: none): the sum of the distinct bits, so two triptans on one day are one bit."""
    bit = Case(
        *[When(medicine__medicine_class=c, then=Value(b)) for c, b in BIT.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    taken = (
        DiaryEntryMedicine.objects.filter(entry=OuterRef("pk"))
        .order_by()
        .values("entry")
        .annotate(bits=Sum(bit, distinct=True))
        .values("bits")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))


def definitions(rules: DayRules) -> dict[str, Q]:
    """The days counted, as conditions on an entry. `migraine` is the whole definition (with
    an `Exists` for the migraine medicines); `migraine_by_features` is a headache day's
    features alone, for the grouped query, which knows the classes taken."""
    headache_day = Q(headache=True) & (
        Q(duration_hours__isnull=True) | Q(duration_hours__gte=rules.headache_day_min_hours)
    )
    strong = Q(severity__in=[Severity.MODERATE, Severity.SEVERE])
    # Each feature 1 or 0 (a boolean cast to an integer: 1 for true on SQLite and PostgreSQL).
    features = (
        Cast("throbbing", IntegerField())
        + Cast("one_sided", IntegerField())
        + Cast("worse_with_activity", IntegerField())
        + Case(When(strong, then=Value(1)), default=Value(0), output_field=IntegerField())
    )
    by_features = Q(GreaterThanOrEqual(features, rules.migraine_day_min_features)) & (
        Q(nausea=True) | Q(light_sound_sensitivity=True)
    ) | Q(aura=True)
    return {
        "headache_day": headache_day,
        "migraine": headache_day & (by_features | Q(took(MIGRAINE_CLASSES))),
        "migraine_by_features": by_features,
        "strong": strong,
    }


@dataclass(frozen=True)
class _Rules:
    headache_day_min_hours: Any
    migraine_day_min_features: int


@lru_cache(maxsize=256)
def _query(using: str, windows: int, min_hours: Any, min_features: int) -> PreparedQuery:
    """The query for `windows` windows under these definitions, compiled for `using`; its
    markers: `patient`, `first` and `last` (the days it reads), `start<i>` and `end<i>`."""
    d = definitions(_Rules(min_hours, min_features))
    day = DiaryEntry._meta.get_field("day")
    slot = Case(
        *[
            When(day__range=(Marker(f"start{i}", day), Marker(f"end{i}", day)), then=Value(i))
            for i in range(windows)
        ],
        default=None,
        output_field=IntegerField(),
    )
    # The aggregates are named apart from the fields (`headache` would shadow the field).
    return PreparedQuery.of(
        DiaryEntry.objects.using(using)
        .filter(
            patient_id=Marker("patient", DiaryEntry._meta.get_field("patient").target_field),
            day__gte=Marker("first", day),
            day__lte=Marker("last", day),
        )
        .annotate(
            slot=slot,
            headache_day=ExpressionWrapper(d["headache_day"], output_field=BooleanField()),
            classes=classes_taken(),
        )
        .order_by()
        .values("slot", "headache_day", "classes")
        .annotate(
            n_recorded=Count("pk"),
            n_migraine=Count("pk", filter=d["migraine_by_features"]),
            n_strong=Count("pk", filter=d["strong"]),
            n_hours=Sum("duration_hours", filter=Q(headache=True)),
        )
    )


def no_medicines() -> dict[str, int]:
    return dict.fromkeys(MedicineClass.values, 0)


@dataclass
class Tally:
    """One window's counts, summed from its groups."""

    recorded: int = 0
    headache: int = 0
    migraine: int = 0
    strong: int = 0
    hours: Decimal = Decimal(0)
    specific: int = 0
    medicines: dict[str, int] = field(default_factory=no_medicines)

    def add(self, group: Mapping[str, Any]) -> None:
        """A group of the window's entries: all headache days or none (`headache_day`), all
        days the classes `classes` were taken."""
        taken, days = group["classes"], group["n_recorded"]
        self.recorded += days
        # Exact to the field's tenths (SQLite sums in floating point).
        self.hours += Decimal(group["n_hours"] or 0).quantize(HOUR)
        if taken & bits(SPECIFIC_CLASSES):
            self.specific += days
        for c, bit in BIT.items():
            if taken & bit:
                self.medicines[c] += days
        if group["headache_day"]:
            self.headache += days
            self.strong += group["n_strong"]
            # A headache day a triptan or an ergot was taken on is a migraine day.
            self.migraine += days if taken & bits(MIGRAINE_CLASSES) else group["n_migraine"]


def window_tallies(*, patient_id: int, rules: DayRules, windows: Sequence[Window]) -> list[Tally]:
    """Each of `windows`' counts (they must not overlap; at least one), in their order; one
    query. Entries between the windows fall in no window's group."""
    query = _query(
        DiaryEntry.objects.db,
        len(windows),
        rules.headache_day_min_hours,
        rules.migraine_day_min_features,
    )
    values: dict[str, Any] = {
        "patient": patient_id,
        "first": min(w.start for w in windows),
        "last": max(w.end for w in windows),
    }
    for i, w in enumerate(windows):
        values[f"start{i}"], values[f"end{i}"] = w.start, w.end
    tallies = [Tally() for _ in windows]
    for group in query.rows(values):
        if group["slot"] is not None:
            tallies[group["slot"]].add(group)
    return tallies
