"""The rules of a walk, as pure functions: given a random source, where a patient should end
up and today's date, the dated steps that get them there. No database, no clock (apart from
`consultation_kwargs`' default day, for tests). Demo data, tests and the bench all walk from
here; `replay.py` records a walk through the services, bench/rows.py as bulk rows."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils import timezone

from botoxcare.models import PREEMPT_MUSCLES
from patients.models import AppointmentKind, ContactChannel
from treatments.models import Decision, DiscontinueReason, MedicationOveruse, State

from .events import (
    Attend,
    Book,
    Consult,
    Discontinue,
    Event,
    History,
    Inject,
    IssueAftercare,
    Prepare,
    Register,
    Review,
    SignPaper,
    StartMaintenance,
    Transition,
    Vial,
)

FIXED_SITES = {m: (lim["fixed_sites"], lim["fixed_units"]) for m, lim in PREEMPT_MUSCLES.items()}
ORDER = [State.CONSULTATION, State.CONSENT, State.INJECTION, State.POST_CARE, State.MAINTENANCE]
# The demo stock, in the order the lots are created: a 200-unit and a 100-unit vial.
LOT_VIAL_UNITS = (200, 100)
FIXED_TOTAL = sum(units for _sites, units in FIXED_SITES.values())  # 155 U
RECONSTITUTED_BEFORE = timedelta(minutes=30)


def vials_for(lot: int, total: int, now: datetime, size: int = 0) -> tuple[Vial, ...]:
    """The vials of lot `lot` a session of `total` units uses, reconstituted half an hour
    before: each vial given in full but the last, whose rest is discarded (155 U from a
    100 U lot is two vials, 100 + 55 given and 45 discarded); `size` is the lot's vial
    size where it is not LOT_VIAL_UNITS'."""
    size = size or LOT_VIAL_UNITS[lot]
    vials = []
    left = total
    while left > 0:
        given = min(size, left)
        vials.append(
            Vial(
                lot=lot,
                diluent_ml=Decimal(size) / 50,  # 5 U per 0.1 mL, the demo clinic's
                reconstituted_at=now - RECONSTITUTED_BEFORE,
                units_given=given,
                units_discarded=size - given,
            )
        )
        left -= given
    return tuple(vials)


FOLLOW_UP_AFTER = timedelta(weeks=4)
RETREAT_AFTER = timedelta(weeks=12)


class Target(StrEnum):
    """Where a walk ends: a state of the course, or one of the ways a course stops."""

    CONSULTATION = State.CONSULTATION
    CONSENT = State.CONSENT
    INJECTION = State.INJECTION
    POST_CARE = State.POST_CARE
    MAINTENANCE = State.MAINTENANCE
    DECLINED = "discontinued_declined"
    STOP_RULE = "discontinued_stop_rule"
    ADVERSE = "discontinued_adverse"


STOPS = {
    Target.STOP_RULE: (
        DiscontinueReason.STOP_RULE,
        "Headache days fell by less than 30% after two cycles.",
    ),
    Target.ADVERSE: (
        DiscontinueReason.ADVERSE_EVENT,
        "Marked neck weakness after the first session.",
    ),
}


def at(day: date, hour: int = 10) -> datetime:
    """A moment of a day of care, in the clinic's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


# Three classes that failed, as the start rule counts them (NICE TA260: at least three).
PREVENTIVES_FAILED: tuple[dict[str, Any], ...] = (
    {
        "drug_class": "beta_blocker",
        "drug": "Propranolol",
        "dose": "80 mg bd",
        "duration_weeks": 12,
        "outcome": "ineffective",
    },
    {
        "drug_class": "tca",
        "drug": "Amitriptyline",
        "dose": "25 mg nocte",
        "duration_weeks": 6,
        "outcome": "not_tolerated",
    },
    {
        "drug_class": "topiramate",
        "drug": "Topiramate",
        "dose": "50 mg bd",
        "duration_weeks": 12,
        "outcome": "ineffective",
    },
)
# What else a demo patient may have tried: a second beta-blocker (the same class, counted
# once), candesartan that failed, or one still taken (not counted).
PREVENTIVES_MORE: tuple[dict[str, Any], ...] = (
    {
        "drug_class": "beta_blocker",
        "drug": "Metoprolol",
        "dose": "50 mg bd",
        "duration_weeks": 8,
        "outcome": "ineffective",
    },
    {
        "drug_class": "candesartan",
        "drug": "Candesartan",
        "dose": "16 mg",
        "duration_weeks": 12,
        "outcome": "not_tolerated",
    },
    {
        "drug_class": "pizotifen",
        "drug": "Pizotifen",
        "dose": "1.5 mg nocte",
        "duration_weeks": None,
        "outcome": "still_taking",
    },
)


def demo_preventives(rng: random.Random) -> tuple[dict[str, Any], ...]:
    """A demo patient's preventive history: the three that failed and up to two more, so the
    start rule holds for every demo patient treated."""
    return PREVENTIVES_FAILED + tuple(rng.sample(PREVENTIVES_MORE, rng.randint(0, 2)))


def consultation_kwargs(**overrides: Any) -> dict[str, Any]:
    """A consultation that meets every condition of complete_evaluation."""
    data: dict[str, Any] = {
        "seen_on": timezone.localdate(),
        "history": "Daily headache for two years.",
        "previous_preventives": "Propranolol, amitriptyline, topiramate: no benefit.",
        "headache_days_per_month": 22,
        "migraine_days_per_month": 12,
        "chronic_migraine_confirmed": True,
        "benefits_risks_discussed": True,
        "medication_overuse": MedicationOveruse.NONE,
        "decision": Decision.PROCEED,
    }
    data.update(overrides)
    return data


def advance_steps(state: str, to: str, day: date, vial_units: int = 200) -> list[Event]:
    """The steps from `state` up to `to` (both in ORDER), all on the day `day`; the session
    uses vials of `vial_units`."""
    events: list[Event] = []
    for step in ORDER[ORDER.index(State(state)) : ORDER.index(State(to))]:
        if step == State.CONSULTATION:
            events += [
                Consult(
                    record=consultation_kwargs(seen_on=day),
                    now=at(day),
                    preventives=PREVENTIVES_FAILED,
                ),
                Transition("complete_evaluation", now=at(day, 11)),
            ]
        elif step == State.CONSENT:
            events += [
                Prepare(
                    reviewed_on=day, advice="Pause fish oil for 3 days.", flags={}, now=at(day)
                ),
                SignPaper(signer_name="The Patient", signed_on=day, now=at(day)),
                Transition("record_consent", now=at(day, 11), by="nurse"),
            ]
        elif step == State.INJECTION:
            events.append(
                Inject(
                    session_date=day,
                    vials=vials_for(0, FIXED_TOTAL, at(day, 12), size=vial_units),
                    sites=FIXED_SITES,
                    now=at(day, 12),
                )
            )
        elif step == State.POST_CARE:
            events += [
                IssueAftercare(
                    issued_on=day,
                    comfort_measures="Cold compress.",
                    follow_up_at=at(day + FOLLOW_UP_AFTER, 14),
                    now=at(day, 13),
                ),
                StartMaintenance(now=at(day, 13)),
            ]
    return events


def history_start(rng: random.Random, target: str, cycles: int, today: date) -> date:
    """The referral date, worked backwards from today so that every step lands in the past:
    `gap` is the number of days from the last session (or, before any, the consent) to today."""
    if cycles == 0:
        span = rng.randint(1, 20) + (14 if target in (Target.CONSENT, Target.INJECTION) else 0)
    else:
        gap = {
            Target.MAINTENANCE: rng.randint(14, 95),
            Target.POST_CARE: rng.randint(1, 10),
            Target.INJECTION: 84 + rng.randint(1, 10),
        }.get(Target(target), 28 + rng.randint(1, 20))
        span = 35 + (cycles - 1) * 84 + gap
    return today - timedelta(days=span)


def demo_consultation(rng: random.Random, target: str, days: int) -> dict[str, Any]:
    """What the demo clinician records at step 1, for a history heading to `target`."""
    return {
        "history": "Migraine since teens; daily headache for two years. No red flags.",
        "previous_preventives": "Propranolol 80 mg (no benefit), amitriptyline 25 mg (side "
        "effects), topiramate 50 mg bd (no benefit).",
        "headache_days_per_month": days,
        "migraine_days_per_month": rng.randint(8, days),
        "chronic_migraine_confirmed": target != Target.CONSULTATION or rng.random() < 0.5,
        "benefits_risks_discussed": True,
        "medication_overuse": rng.choice(
            [MedicationOveruse.NONE, MedicationOveruse.NONE, MedicationOveruse.MANAGED]
        ),
        "decision": {
            Target.DECLINED: Decision.DECLINE,
            Target.CONSULTATION: Decision.UNDECIDED,
        }.get(Target(target), Decision.PROCEED),
    }


def preempt_sites(extra: int) -> dict[str, tuple[int, int]]:
    """The fixed PREEMPT doses, with `extra` units of follow-the-pain split between the
    temporalis and the occipitalis (5 units a site)."""
    sites = dict(FIXED_SITES)
    if extra:
        for muscle in ("temporalis", "occipitalis"):
            n_sites, units = sites[muscle]
            sites[muscle] = (n_sites + extra // 10, units + extra // 2)
    return sites


def history(
    rng: random.Random,
    *,
    target: str,
    cycles: int,
    today: date,
    identifier: str,
    first_name: str,
    last_name: str,
    email: str = "",
    clinician: int = 0,
) -> History:
    """A patient's walk to `target` (a state, or discontinued_declined / _stop_rule /
    _adverse) after `cycles` injection sessions, ending before `today`."""
    start = history_start(rng, target, cycles, today)
    register = Register(
        identifier=identifier,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date(rng.randint(1958, 2002), rng.randint(1, 12), rng.randint(1, 28)),
        preferred_channel=rng.choice(list(ContactChannel)),
        phone=f"07700 9{rng.randint(10000, 99999)}",
        email=email or f"{first_name.lower()}.{last_name.lower()}@example.org",
        referred_on=start,
    )
    steps = _pathway(rng, target, cycles, today, start, f"{first_name} {last_name}")
    return History(target, cycles, clinician, (register, *steps))


def _pathway(
    rng: random.Random, target: str, cycles: int, today: date, start: date, signer: str
) -> Iterator[Event]:
    if target == Target.CONSULTATION and rng.random() < 0.5:
        return  # referred, not yet seen
    days = rng.randint(16, 28)
    yield Book(AppointmentKind.CONSULTATION, starts_at=at(start, 9), minutes=45, room="Room 2")
    yield Attend(AppointmentKind.CONSULTATION)
    yield Consult(
        {"seen_on": start, **demo_consultation(rng, target, days)},
        now=at(start),
        # Drawn apart from `rng`, so the rest of the walk is as it was before the list.
        preventives=demo_preventives(random.Random(signer)),  # noqa: S311 (demo data)
    )
    if target == Target.CONSULTATION:
        return
    if target == Target.DECLINED:
        yield Transition("decline", at(start, 11), reason="Prefers to try a CGRP antibody first.")
        return
    yield Transition("complete_evaluation", now=at(start, 11))
    consent_day = start + timedelta(days=14)
    yield Prepare(
        reviewed_on=consent_day,
        current_medicines="Sumatriptan 50 mg as needed; ibuprofen as needed.",
        advice="Avoid ibuprofen and fish-oil supplements for 3 days before the injections.",
        flags={"bleeding_supplements": rng.random() < 0.3},
        now=at(consent_day),
    )
    if target == Target.CONSENT and rng.random() < 0.6:
        return  # consent form not yet back
    yield SignPaper(signer_name=signer, signed_on=consent_day, now=at(consent_day))
    if target == Target.CONSENT:
        return
    yield Transition("record_consent", now=at(consent_day, 11), by="nurse")
    session_day = consent_day + timedelta(days=21)
    for cycle in range(cycles):
        extra = rng.choice([0, 0, 10, 20])
        yield Inject(
            session_date=session_day,
            vials=vials_for(cycle % 2, FIXED_TOTAL + extra, at(session_day)),
            sites=preempt_sites(extra),
            tolerability=rng.choice(["Well tolerated.", "Mild stinging at sites.", ""]),
            now=at(session_day),
        )
        last_cycle = cycle == cycles - 1
        if last_cycle and target == Target.POST_CARE:
            return
        follow = session_day + FOLLOW_UP_AFTER
        yield IssueAftercare(
            issued_on=session_day,
            comfort_measures="Cold compress applied.",
            follow_up_at=at(follow, 14),
            now=at(session_day, 11),
        )
        yield StartMaintenance(now=at(session_day, 12))
        if follow < today:
            yield Attend(AppointmentKind.FOLLOW_UP)
        if last_cycle:
            if target in STOPS:
                reason, detail = STOPS[Target(target)]
                yield Discontinue(reason, detail, now=at(follow, 15))
            if target != Target.INJECTION:
                return
        review_day = session_day + RETREAT_AFTER
        yield Review(
            reviewed_on=review_day,
            headache_days_per_month=max(2, days - rng.randint(4, 12) * (cycle + 1) // 2),
            notes="Fewer and milder headaches; wishes to continue.",
            now=at(review_day, 9),  # reviewed before that day's session
        )
        session_day = review_day
