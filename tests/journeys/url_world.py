"""One clinic with every kind of record a URL can name, and a signed-in client for each kind of
person: for the tests generated from the URL conf (tests/journeys/test_url_matrix.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode

from botoxcare.roles import Role
from diary.models import AcuteMedicine
from patients.models import Appointment
from patients.services import appointment_book, callback_request, portal_invite
from tests.conftest import join_path
from tests.factories import PatientFactory, make_staff
from tests.journey import advance
from treatments.models import (
    MAX_ATTEMPTS,
    Allergy,
    Course,
    Document,
    Reminder,
    ReminderKind,
    State,
)
from treatments.services import consent_request_send

PEOPLE = (
    "anonymous",
    "patient",
    "other_patient",
    "receptionist",
    "nurse",
    "clinician",
    "clinic_admin",
    "operator",
)
STAFF_ROLES = {
    "receptionist": Role.RECEPTIONIST,
    "nurse": Role.NURSE,
    "clinician": Role.CLINICIAN,
    "clinic_admin": Role.ADMIN,
}


def url_names() -> set[str]:
    """Every named URL of the project but Django's own /admin/ (its pages are the operator's:
    tested in tests/core/test_admin.py)."""

    def walk(patterns: Any, namespace: str | None) -> Any:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns != "admin":
                    yield from walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}:{p.name}" if namespace else p.name

    return set(walk(get_resolver().url_patterns, None))


@dataclass
class World:
    clinic: Any
    people: dict[str, Any]
    patient: Any  # the "patient" person's own record, in maintenance with documents
    other: Any  # the "other_patient" person's record
    kwargs: dict[str, dict[str, Any]]
    queries: dict[str, str]
    # A patient at each earlier step, for the pages a course in maintenance does not open;
    # the one at consent has a portal login and a consent waiting to be signed.
    at_step: dict[str, Any]
    waiting_consent: Any


def build_world(*, clinic, consent_form, lot, capture) -> World:
    user_model = get_user_model()
    people: dict[str, Any] = {"anonymous": None}
    for name, role in STAFF_ROLES.items():
        people[name] = make_staff(clinic, role)
    people["operator"] = user_model.objects.create_superuser(
        "operator-x", password="an-operator-password-7", email="op@example.org"
    )
    clinician, nurse = people["clinician"], people["nurse"]
    me = PatientFactory(clinic=clinic, responsible_clinician=clinician)
    me.user = people["patient"] = user_model.objects.create_user(
        "me-patient", password="a-patient-password-7"
    )
    me.save()
    other = PatientFactory(clinic=clinic, responsible_clinician=clinician)
    other.user = people["other_patient"] = user_model.objects.create_user(
        "other-patient", password="a-patient-password-7"
    )
    other.save()
    course = Course.objects.get(patient=me)
    start = timezone.localdate() - timedelta(days=80)
    with capture(execute=True):
        advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot, start=start)
        asked = consent_request_send(course=course, by=nurse)
        advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    course.refresh_from_db()
    visit = appointment_book(
        patient=me,
        by=people["receptionist"],
        kind="review",
        clinician=clinician,
        starts_at=timezone.now() + timedelta(days=7),
        minutes=30,
    )
    failed = Reminder.objects.create(
        course=course,
        kind=ReminderKind.RETREATMENT_DUE,
        due_at=timezone.now() - timedelta(hours=1),
        key="matrix-failed",
        attempts=MAX_ATTEMPTS,
        last_error="SMTPException",
    )
    callback = callback_request(
        clinic=clinic,
        name="Ada Caller",
        phone="07700 900123",
        topic="new",
        contact_consent=True,
        address="203.0.113.9",
    )
    invited = PatientFactory(clinic=clinic, email="invited@example.org")
    with capture(execute=True):
        portal_invite(patient=invited, by=people["receptionist"], base_url="http://testserver/")
    token = join_path(mail.outbox[-1].body).rstrip("/").rsplit("/", 1)[-1]
    document = Document.objects.filter(course=course).first()
    assert document is not None, "the walk made no document"
    aftercare = course.aftercares.order_by("-id").first()
    session = course.sessions.order_by("-id").first()
    assert session is not None, "the walk recorded no session"
    consent = course.consents.order_by("-id").first()
    uid = urlsafe_base64_encode(force_bytes(nurse.pk))
    medicine = AcuteMedicine.objects.create(
        patient=me, name="Sumatriptan", medicine_class="triptan"
    )
    pk = {"pk": me.pk}
    allergy = Allergy.objects.create(
        patient=me, substance="Penicillin", added_by=clinician, added_at=timezone.now()
    )
    kwargs: dict[str, dict[str, Any]] = {
        "public:clinic": {"slug": clinic.slug},
        "public:call-me": {"slug": clinic.slug},
        "public:sent": {"slug": clinic.slug},
        "password_reset_confirm": {
            "uidb64": uid,
            "token": default_token_generator.make_token(nurse),
        },
        "staff:appointment-move": {**pk, "appointment_pk": visit.pk},
        "treatments:appointment-status": {**pk, "appointment_pk": visit.pk},
        "treatments:document": {**pk, "document_pk": document.pk},
        "staff:session": {**pk, "session_pk": session.pk},
        "treatments:amend": {**pk, "kind": "session", "record_pk": session.pk},
        "treatments:step": {**pk, "name": "renew_consent"},
        "treatments:list-add": {**pk, "kind": "allergies"},
        "treatments:list-remove": {**pk, "kind": "allergies", "item_pk": allergy.pk},
        "staff:reminder-failed-act": {"pk": failed.pk, "action": "retry"},
        "patients:callback": {"pk": callback.pk},
        "portal:consent": {"pk": asked.pk},
        "portal:consent-withdraw": {"pk": consent.pk},
        "portal:signed-consent": {"pk": consent.pk},
        "portal:document": {"pk": document.pk},
        "portal:appointment-ics": {"pk": visit.pk},
        "portal:aftercare": {"pk": aftercare.pk},
        "portal:diary-day": {"day": timezone.localdate().isoformat()},
        "portal:diary-medicine-stop": {"pk": medicine.pk},
        "staff:diary-day": {**pk, "day": timezone.localdate().isoformat()},
        "patients:portal-join": {"token": token},
        "treatments:consent-form": {"pk": consent_form.pk},
        "treatments:lot-recall": {"pk": lot.pk},
        "treatments:lot-recall-export": {"pk": lot.pk},
        "treatments:consent-form-activate": {"pk": consent_form.pk},
    }
    for name in ("staff-member", "staff-hours", "staff-active", "staff-set-password"):
        kwargs[f"clinic_admin:{name}"] = {"pk": nurse.pk}
    kwargs["clinic_admin:staff-unlock"] = {"pk": nurse.pk}
    kwargs["clinic_admin:staff-two-factor-reset"] = {"pk": nurse.pk}
    assert Appointment.objects.filter(pk=visit.pk).exists()
    slot = timezone.localtime(timezone.now() + timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    queries = {
        "staff:calendar-book": "?"
        + urlencode({"starts_at": slot.isoformat(), "clinician": clinician.pk})
    }
    at_step = {}
    for state in (State.CONSULTATION, State.CONSENT, State.INJECTION, State.POST_CARE):
        p = PatientFactory(clinic=clinic, responsible_clinician=clinician)
        advance(Course.objects.get(patient=p), state, clinician=clinician, nurse=nurse, lot=lot)
        at_step[state] = p
    signer = at_step[State.CONSENT]
    signer.user = user_model.objects.create_user("signer", password="a-patient-password-7")
    signer.save()
    waiting = consent_request_send(course=Course.objects.get(patient=signer), by=nurse)
    return World(
        clinic=clinic,
        people=people,
        patient=me,
        other=other,
        kwargs=kwargs,
        queries=queries,
        at_step=at_step,
        waiting_consent=waiting,
    )
