"""Step 3's vial rules: each vial used within the clinic's hours from its reconstitution and
by its lot's expiry, reconstituted to the protocol's strength, every unit of it given or
discarded, and the vials' units given the units the sites received. Pure, like dosing.py,
which calls `vial_refusals` from the session's guard.

A refusal about one vial carries the field `vials.<n>.<field>` (n counted from 0, as the
injection form's rows are) and "Vial <n + 1>" as its subject; one about the vials together
carries the field `vials`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from botoxcare.errors import Refusal

from .pathway import day
from .reasons import Reason

if TYPE_CHECKING:
    from botoxcare.models import ClinicSettings

    from .models import ProductLot
    from .models.sessions import InjectionVial


def vial_used_at(
    session_date: date,
    recorded_at: datetime,
    started_at: time | None = None,
    ended_at: time | None = None,
) -> tuple[datetime, datetime]:
    """The moment a vial's age is judged at, and the latest it may have been reconstituted.

    With the session's start time recorded, its age is judged at the start (clinic-local
    time on the session's day), and a vial reconstituted during the session (a second one,
    after the start) is accepted up to the session's end, or up to when it was recorded.
    Without one, at the chair: when the session was recorded; a session recorded after its
    day is judged at the end of that day, so a vial reconstituted that morning is not
    refused for the days between."""
    if timezone.localdate(recorded_at) <= session_date:
        recorded = recorded_at
    else:
        recorded = timezone.make_aware(datetime.combine(session_date, time.max))
    if started_at is None:
        return recorded, recorded
    start = timezone.make_aware(datetime.combine(session_date, started_at))
    if ended_at is not None:
        end = timezone.make_aware(datetime.combine(session_date, ended_at))
    else:
        end = max(recorded, start)
    return start, max(start, end)


def vial_refusals(
    vials: Sequence[InjectionVial],
    *,
    session_date: date,
    used_at: datetime,
    units_to_sites: int,
    settings: ClinicSettings,
    latest: datetime | None = None,
) -> list[Refusal]:
    """`used_at` is when the vials' ages are judged, `latest` the latest moment one may have
    been reconstituted (`used_at` unless told): `vial_used_at` gives both."""
    if not vials:
        return [
            Refusal(
                Reason.VIALS_MISSING, "Record the vial or vials the session used.", field="vials"
            )
        ]
    found = []
    for n, vial in enumerate(vials):
        found += _one_vial(n, vial, session_date, used_at, latest or used_at, settings)
    given = sum(v.units_given for v in vials)
    if given != units_to_sites:
        found.append(
            Refusal(
                Reason.VIALS_GIVEN_NOT_SITES,
                f"The vials' units given add up to {given} U but the sites received "
                f"{units_to_sites} U: the two must be equal.",
                field="vials",
            )
        )
    return found


def _one_vial(
    n: int,
    vial: InjectionVial,
    session_date: date,
    used_at: datetime,
    latest: datetime,
    settings: ClinicSettings,
) -> list[Refusal]:
    row = {"subject": f"Vial {n + 1}"}
    found = []
    expired = lot_expired(vial.lot, session_date)
    if expired:
        found.append(replace(expired, field=f"vials.{n}.lot", **row))
    age = used_at - vial.reconstituted_at
    limit = timedelta(hours=settings.vial_use_hours)
    if vial.reconstituted_at > latest:
        found.append(
            Refusal(
                Reason.VIAL_RECONSTITUTED_LATER,
                f"Reconstituted at {_moment(vial.reconstituted_at)}, after the session "
                f"({_moment(latest)}).",
                field=f"vials.{n}.reconstituted_at",
                **row,
            )
        )
    elif age > limit:
        over = math.ceil((age - limit) / timedelta(minutes=1))
        found.append(
            Refusal(
                Reason.VIAL_TOO_OLD,
                f"Reconstituted at {_moment(vial.reconstituted_at)}: {over} minute"
                f"{'s' if over != 1 else ''} past the {settings.vial_use_hours} hours a "
                "reconstituted vial may be used; discard it and use a fresh one.",
                field=f"vials.{n}.reconstituted_at",
                **row,
            )
        )
    found += [
        replace(r, field=f"vials.{n}.diluent_ml", **row)
        for r in dilution_refusals(vial.vial_units, vial.diluent_ml, settings)
    ]
    accounted = vial.units_given + vial.units_discarded
    if accounted != vial.vial_units:
        found.append(
            Refusal(
                Reason.VIAL_UNITS_NOT_ACCOUNTED,
                f"{vial.units_given} U given + {vial.units_discarded} U discarded is "
                f"{accounted} U; a {vial.vial_units} U vial holds {vial.vial_units} U.",
                field=f"vials.{n}.units_discarded",
                **row,
            )
        )
    return found


def lot_expired(lot: ProductLot, on: date) -> Refusal | None:
    """Why the lot may not be used on `on` (the day after its expiry date or later), or
    None: the rule is `lot_usable_on` (treatments/models/sessions.py)."""
    if lot.usable_on(on):
        return None
    return Refusal(
        Reason.LOT_EXPIRED,
        f"Lot {lot.lot_number} expired on {day(lot.expiry_date)} (use by that date); "
        f"the session is on {day(on)}.",
        field="lot",
    )


def dilution_refusals(
    vial_units: int, diluent_ml: Decimal, settings: ClinicSettings
) -> list[Refusal]:
    """The reconstituted strength must give the protocol's units per 0.1 mL site."""
    if not vial_units or not diluent_ml:
        return [
            Refusal(
                Reason.DILUTION_MISSING,
                "The dilution (vial units and saline volume) is not recorded.",
                field="diluent_ml",
            )
        ]
    expected_ml = Decimal(vial_units) / (settings.units_per_site * 10)
    if Decimal(diluent_ml) != expected_ml:
        return [
            Refusal(
                Reason.DILUTION_WRONG,
                f"A {vial_units}-unit vial in {diluent_ml} mL does not give "
                f"{settings.units_per_site} units per 0.1 mL: reconstitute with "
                f"{expected_ml:g} mL.",
                field="diluent_ml",
            )
        ]
    return []


def _moment(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{local:%H:%M} on {local.day} {local:%b %Y}"
