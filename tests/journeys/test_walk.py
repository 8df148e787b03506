"""The bench's rows are the services' records: the same walks seeded through bench/rows.py
and through the services give the same records, and every bench-seeded course meets the
pathway's guards at each step it took."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from bench.rows import Rows
from botoxcare.models import Clinic
from botoxcare.roles import Role
from botoxcare.services import clinic_create, staff_create
from patients.models import Appointment
from treatments import dosing, pathway, retreatment
from treatments.models import Consent, Course, InjectionSession, ProductLot, State
from treatments.walk import DEMO_PLAN, History, clinic_histories, history, walk_through_services

pytestmark = pytest.mark.django_db

# Every target of the demo clinic, and a few longer histories.
TARGETS = [(t, c) for t, c, _ in DEMO_PLAN] * 2 + [("maintenance", 4), ("injection", 3)]


def a_clinic(slug: str) -> dict[str, Any]:
    from treatments.walk import demo_stock

    clinic = clinic_create(name=f"{slug} clinic", slug=slug)
    staff = {
        name: staff_create(
            clinic=clinic, username=f"{slug}.{name}", password="walk-pass-2026", roles=[role]
        )
        for name, role in [
            ("clinician", Role.CLINICIAN),
            ("clinician2", Role.CLINICIAN),
            ("nurse", Role.NURSE),
            ("reception", Role.RECEPTIONIST),
        ]
    }
    form, lots = demo_stock(clinic, timezone.localdate())
    return {
        "clinic": clinic,
        "clinicians": [staff["clinician"], staff["clinician2"]],
        "nurse": staff["nurse"],
        "reception": staff["reception"],
        "lots": lots,
        "form": form,
    }


def seed_rows(walks: list[History], team: dict[str, Any]) -> None:
    rows = Rows(**{k: v for k, v in team.items() if k != "clinic"}, now=timezone.now())
    for walk in walks:
        rows.add(walk)
    rows.insert()


def seed_services(walks: list[History], team: dict[str, Any]) -> None:
    for walk in walks:
        walk_through_services(walk, **{k: v for k, v in team.items() if k != "form"})


def walks(seed: int, targets: list[tuple[str, int]]) -> list[History]:
    rng, today = random.Random(seed), timezone.localdate()
    return [
        history(
            rng,
            target=target,
            cycles=cycles,
            today=today,
            identifier=f"W{i}",
            first_name="Ada",
            last_name=f"Walker{i}",
            clinician=i % 2,
        )
        for i, (target, cycles) in enumerate(targets)
    ]


# --- what is comparable between two clinics: no pks, people by their role --------------------

SKIP = {"id", "course", "patient", "clinic", "created_at", "booked_at", "form", "claimed_at"}


def describe(value: Any) -> Any:
    if isinstance(value, User):
        return value.username.split(".", 1)[1]
    if isinstance(value, Appointment):
        return record(value)
    if isinstance(value, InjectionSession):
        return value.session_date
    if isinstance(value, ProductLot):
        return value.lot_number
    return value


def record(obj: Any) -> dict[str, Any]:
    return {
        f.name: describe(getattr(obj, f.name))
        for f in obj._meta.concrete_fields
        if f.name not in SKIP
    }


def reminder(obj: Any) -> dict[str, Any]:
    prefix, pk = obj.key.split(":")
    # What the key names, by its kind of cause: the session, the consent or the visit.
    causes = {
        "retreatment": lambda: InjectionSession.objects.get(pk=pk).session_date,
        "checkin": lambda: InjectionSession.objects.get(pk=pk).session_date,
        "consent": lambda: Consent.objects.get(pk=pk).signed_on,
    }
    cause = causes.get(prefix, lambda: Appointment.objects.get(pk=pk).starts_at)()
    data = record(obj)
    data.update(key=(prefix, cause), cancelled_at=obj.cancelled_at is not None)
    return data


def snapshot(clinic: Clinic) -> dict[str, Any]:
    out = {}
    for course in Course.objects.filter(patient__clinic=clinic).select_related("patient"):
        sessions = course.sessions.order_by("pk")
        out[course.patient.identifier] = {
            "patient": record(course.patient),
            "course": record(course),
            "transitions": [record(t) for t in course.transitions.order_by("pk")],
            "consultations": [record(c) for c in course.consultations.order_by("pk")],
            "preparations": [record(p) for p in course.preparations.order_by("pk")],
            "consents": [record(c) for c in course.consents.order_by("pk")],
            "sessions": [
                (
                    record(s),
                    [record(x) for x in s.sites.order_by("pk")],
                    [record(v) for v in s.vials.order_by("pk")],
                )
                for s in sessions
            ],
            "aftercares": [record(a) for a in course.aftercares.order_by("pk")],
            "appointments": [record(a) for a in course.patient.appointments.order_by("pk")],
            "reviews": [record(r) for r in course.reviews.order_by("pk")],
            "reminders": [reminder(r) for r in course.reminders.order_by("pk")],
        }
    return out


# --- the guards, judged at each step a course took ----------------------------------------


def guard_failures(course: Course) -> list[tuple[str, list[object]]]:
    """Why the steps this course's records show could not have been taken, as the pathway's
    guards see it on the day of each step; empty when every step was allowed."""
    settings = course.clinic_settings
    log = list(course.transitions.order_by("at", "pk"))
    names = [t.name for t in log]
    consultation, consent = course.latest_consultation, course.latest_consent
    sessions = sorted(course.sessions.all(), key=lambda s: s.session_date)
    aftercares = list(course.aftercares.select_related("follow_up", "session"))
    reviews = {r.session_id: r for r in course.reviews.all()}
    failures: list[tuple[str, list[object]]] = []

    def check(step: str, reasons: list[object]) -> None:
        if reasons:
            failures.append((step, reasons))

    state: str = State.CONSULTATION
    for t in log:
        meta = getattr(Course, t.name)._django_fsm
        allowed = meta.has_transition(state) and meta.next_state(state) == t.target
        check(t.name, [] if allowed and t.source == state else [f"{t.source}->{t.target}"])
        state = t.target
        day = timezone.localdate(t.at)
        if t.name == "complete_evaluation":
            check(
                t.name,
                pathway.evaluation_refusals(consultation, settings, course.patient_preventives),
            )
        elif t.name == "decline":
            check(t.name, pathway.decline_refusals(consultation))
        elif t.name == "record_consent":
            check(
                t.name, pathway.consent_refusals(consent, course.latest_preparation, day, settings)
            )
        elif t.name == "discontinue":
            check(t.name, pathway.discontinue_refusals(course.discontinue_reason))
    check("state", [] if state == course.state else [f"log ends at {state}"])
    for i, session in enumerate(sessions):
        previous = sessions[i - 1] if i else None
        review = reviews.get(previous.pk) if previous else None
        check(
            f"record_injection {session.session_date}",
            dosing.injection_refusals(
                session, consent, session.session_date, settings, previous=previous, review=review
            ),
        )
    for aftercare in aftercares:
        check("start_maintenance", pathway.maintenance_refusals(aftercare.session, aftercare))
    for review in reviews.values():
        check(
            "start_retreatment",
            retreatment.retreatment_refusals(
                review.session, review, consent, review.reviewed_on, settings
            ),
        )
    counts = {
        "record_injection": len(sessions),
        "start_maintenance": len(aftercares),
        "start_retreatment": len(reviews),
    }
    for name, records in counts.items():
        check(name, [] if names.count(name) == records else [f"{names.count(name)} logged"])
    return failures


def test_rows_and_services_write_the_same_records():
    same = walks(2026, TARGETS)
    by_rows, by_services = a_clinic("rows"), a_clinic("services")
    seed_rows(same, by_rows)
    seed_services(same, by_services)

    rows, services = snapshot(by_rows["clinic"]), snapshot(by_services["clinic"])
    assert set(rows) == set(services) == {w.register.identifier for w in same}
    for identifier in services:
        for what, records in services[identifier].items():
            assert rows[identifier][what] == records, (identifier, what)
    # The walks covered what they should: every state, several cycles, each way of stopping.
    assert {c["course"]["state"] for c in services.values()} == set(State.values)
    assert max(len(c["sessions"]) for c in services.values()) >= 3
    reasons = {c["course"]["discontinue_reason"] for c in services.values()}
    assert {"stop_rule", "adverse_event"} <= reasons
    assert any(c["reminders"] for c in services.values())


def test_bench_seeded_courses_meet_every_guard():
    team = a_clinic("bench")
    seed_rows(list(clinic_histories(random.Random(7), 300, timezone.localdate(), 2)), team)
    courses = Course.objects.filter(patient__clinic=team["clinic"])
    assert courses.count() == 300
    assert InjectionSession.objects.filter(course__in=courses).count() > 500
    failures = {c.patient.identifier: guard_failures(c) for c in courses.select_related("patient")}
    assert {k: v for k, v in failures.items() if v} == {}


def test_the_guard_check_refuses_a_dose_above_the_limit():
    """The check above can fail: a course whose session breaks the dose limit does."""
    team = a_clinic("bad")
    seed_rows(walks(3, [("maintenance", 2)]), team)
    session = InjectionSession.objects.filter(course__patient__clinic=team["clinic"]).first()
    assert session is not None
    session.sites.filter(muscle="trapezius").update(units=60, sites=12)
    course = session.course
    assert guard_failures(course) and "record_injection" in guard_failures(course)[0][0]
