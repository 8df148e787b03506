"""Step 3: product lots in stock and the injection session."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from botoxcare.audit import log_action, snapshot
from botoxcare.errors import DomainError, Refusal, refuse
from botoxcare.models import Clinic
from botoxcare.roles import Action, require

from ..care_dates import care_date_check
from ..models import (
    Course,
    InjectionSession,
    InjectionSite,
    ProductLot,
    ReminderKind,
    State,
    Transition,
)
from ..models.sessions import InjectionVial, Reaction
from ..reasons import Reason
from ..sides import Sides
from .course import course_lock, require_state, transition_run
from .reminders import checkin_schedule, reminders_cancel


def product_lot_add(
    *,
    clinic: Clinic,
    by: User,
    lot_number: str,
    expiry_date: date,
    vial_units: int,
    product: str = "",
) -> ProductLot:
    require(by, Action.MANAGE_LOTS)
    try:
        with transaction.atomic():
            lot = ProductLot.objects.create(
                clinic=clinic,
                lot_number=lot_number.strip(),
                expiry_date=expiry_date,
                vial_units=vial_units,
                **({"product": product} if product else {}),
            )
            log_action(
                "lot.added",
                user=by,
                clinic=clinic,
                target=lot,
                data=snapshot(lot, ("lot_number", "expiry_date", "vial_units", "product")),
            )
            return lot
    except IntegrityError as exc:
        raise refuse(
            Reason.LOT_EXISTS, f"Lot {lot_number} is already in stock.", field="lot_number"
        ) from exc


@dataclass(frozen=True)
class VialUse:
    """One vial as the session used it; its size is its lot's."""

    lot: ProductLot
    diluent_ml: Decimal
    reconstituted_at: datetime
    units_given: int
    units_discarded: int = 0


@dataclass(frozen=True)
class SessionConduct:
    """How the session went at the chair: start and end (clinic-local times of its day), the
    position, the skin cleansed, the needle gauge, an immediate reaction and what was done."""

    started_at: time | None = None
    ended_at: time | None = None
    position: str = ""
    skin_cleansed: bool = False
    needle_gauge: int | None = None
    reaction: str = ""
    reaction_action: str = ""


CONDUCT_FIELDS = (
    "started_at",
    "ended_at",
    "position",
    "skin_cleansed",
    "needle_gauge",
    "reaction",
    "reaction_action",
)


def conduct_refusals(conduct: SessionConduct) -> list[Refusal]:
    found = []
    if conduct.started_at and conduct.ended_at and conduct.ended_at < conduct.started_at:
        found.append(
            Refusal(
                Reason.SESSION_ENDS_BEFORE_START,
                f"The session cannot end ({conduct.ended_at:%H:%M}) before it started "
                f"({conduct.started_at:%H:%M}).",
                field="ended_at",
            )
        )
    if conduct.reaction not in ("", Reaction.NONE) and not conduct.reaction_action.strip():
        found.append(
            Refusal(
                Reason.REACTION_NEEDS_ACTION,
                "Please say what was done about the reaction.",
                field="reaction_action",
            )
        )
    return found


def injection_session_record(
    *,
    course: Course,
    by: User,
    session_date: date,
    vials: Sequence[VialUse],
    sites: Mapping[str, tuple[int, int]],
    tolerability: str = "",
    conduct: SessionConduct | None = None,
    sides: Mapping[str, Sides] | None = None,
    now: datetime | None = None,
) -> InjectionSession:
    """Record step 3 and move the course to post-care, or change nothing and raise.

    `sites` maps a muscle of the clinic's protocol to (number of sites, units); muscles with
    no units are left out. `vials` are the vials used, in the form's order (a refusal about
    one names its place, `vials.<n>.<field>`); the session's guard judges them
    (treatments/vials.py): within the clinic's hours of reconstitution, lot not expired,
    every unit given or discarded, the units given those the sites received. `conduct` is
    how the session went (an end before the start, or a reaction without what was done about
    it, is refused). `sides` maps a muscle to its sites (left, right) where the clinician gave
    them; a muscle not in it, or given (None, None), has its sides not recorded. The guard
    refuses sides that do not add up to the muscle's sites, and sides of a midline muscle
    (treatments/sides.py).
    """
    require(by, Action.RECORD_INJECTION)
    now = now or timezone.now()
    conduct = conduct or SessionConduct()
    found = conduct_refusals(conduct)
    if found:
        raise DomainError(*found)
    with transaction.atomic():
        locked = course_lock(course)
        require_state(locked, State.INJECTION)
        care_date_check(locked, session_date, field="session_date")
        foreign = [
            Refusal(
                Reason.LOT_OF_ANOTHER_CLINIC,
                "That lot is not in this clinic's stock.",
                field=f"vials.{n}.lot",
                subject=f"Vial {n + 1}",
            )
            for n, vial in enumerate(vials)
            if vial.lot.clinic_id != locked.patient.clinic_id
        ]
        if foreign:
            raise DomainError(*foreign)
        session = InjectionSession.objects.create(
            course=locked,
            session_date=session_date,
            clinician=by,
            tolerability=tolerability,
            recorded_at=now,
            started_at=conduct.started_at,
            ended_at=conduct.ended_at,
            position=conduct.position,
            skin_cleansed=conduct.skin_cleansed,
            needle_gauge=conduct.needle_gauge,
            reaction=conduct.reaction,
            reaction_action=conduct.reaction_action.strip(),
        )
        used = InjectionVial.objects.bulk_create(
            InjectionVial(
                session=session,
                lot=vial.lot,
                vial_units=vial.lot.vial_units,
                diluent_ml=vial.diluent_ml,
                reconstituted_at=vial.reconstituted_at,
                units_given=vial.units_given,
                units_discarded=vial.units_discarded,
            )
            for vial in vials
        )
        sides = sides or {}
        recorded = [
            InjectionSite(
                session=session,
                muscle=muscle,
                sites=n_sites,
                units=units,
                sites_left=sides.get(muscle, (None, None))[0],
                sites_right=sides.get(muscle, (None, None))[1],
            )
            for muscle, (n_sites, units) in sites.items()
            if units or n_sites
        ]
        InjectionSite.objects.bulk_create(recorded)
        log_action(
            "injection_session.recorded",
            user=by,
            patient=locked.patient,
            target=session,
            data={
                **snapshot(session, ("session_date", *CONDUCT_FIELDS)),
                "vials": [
                    snapshot(
                        v,
                        (
                            "lot_id",
                            "vial_units",
                            "diluent_ml",
                            "reconstituted_at",
                            "units_given",
                            "units_discarded",
                        ),
                    )
                    | {"lot_number": v.lot.lot_number}
                    for v in used
                ],
                "sites": {s.muscle: [s.sites, s.units] for s in recorded},
                **_sides_logged(recorded),
            },
        )
        transition_run(locked, Transition.RECORD_INJECTION, by=by, now=now)
        # A new cycle has begun: the last cycle's "you are due" and check-in are moot.
        reminders_cancel(
            course=locked, now=now, kinds=[ReminderKind.RETREATMENT_DUE, ReminderKind.CHECK_IN]
        )
        checkin_schedule(course=locked, session=session, now=now)
    return session


def _sides_logged(recorded: Sequence[InjectionSite]) -> dict[str, dict[str, list[int | None]]]:
    """The audit entry's sides, where any muscle's were recorded (none: the entry as before)."""
    sides = {
        s.muscle: [s.sites_left, s.sites_right]
        for s in recorded
        if s.sites_left is not None or s.sites_right is not None
    }
    return {"sides": sides} if sides else {}
