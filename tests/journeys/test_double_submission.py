"""A form sent twice (a double click, a resent page) gives one record: the second post of the
same form token writes nothing and lands where the first did, with a message. Two posts at
once on PostgreSQL: one waits on the token's unique key, then sees it used."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients.models import Appointment, ContactAttempt, Patient
from tests.journey import advance
from tests.web import injection_post
from treatments import services
from treatments.models import (
    Aftercare,
    Consent,
    Consultation,
    Course,
    InjectionSession,
    PreparationReview,
    ResponseReview,
    State,
)

TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([0-9a-f]{32})">')


def token_on(client: Client, path: str) -> str:
    """The token the form's page rendered (so the page does carry one)."""
    page = client.get(path)
    assert page.status_code == 200
    found = TOKEN.search(page.content.decode())
    assert found, f"no form token on {path}"
    return found.group(1)


def today() -> str:
    return timezone.localdate().isoformat()


def soon(days: int = 28) -> str:
    at = timezone.localtime() + timedelta(days=days)
    return at.replace(hour=10, minute=0).strftime("%Y-%m-%dT%H:%M")


def at_state(course: Course, state: State, **team: Any) -> Course:
    return advance(course, state, **team)


# Each form: (state the course must be at, who posts, url name, data, the records it writes).
def consultation(ctx: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    return (
        reverse("staff:consultation", args=[ctx["patient"].pk]),
        {
            "seen_on": today(),
            "history": "Daily headache for two years.",
            "previous_preventives": "Propranolol, topiramate.",
            "failed_preventives_count": "3",
            "headache_days_per_month": "22",
            "migraine_days_per_month": "12",
            "chronic_migraine_confirmed": "on",
            "benefits_risks_discussed": "on",
            "medication_overuse": "none",
            "decision": "proceed",
        },
        Consultation.objects,
    )


def consent(ctx: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    at_state(ctx["course"], State.CONSENT, **ctx["team"])
    return (
        reverse("treatments:consent", args=[ctx["patient"].pk]),
        {"signer_name": ctx["patient"].full_name, "signed_on": today(), "paper_on_file": "on"},
        Consent.objects,
    )


def preparation(ctx: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    at_state(ctx["course"], State.CONSENT, **ctx["team"])
    return (
        reverse("treatments:preparation", args=[ctx["patient"].pk]),
        {"reviewed_on": today(), "current_medicines": "None", "advice": "Nothing to pause."},
        PreparationReview.objects,
    )


def injection(ctx: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    at_state(ctx["course"], State.INJECTION, **ctx["team"])
    return (
        reverse("treatments:injection", args=[ctx["patient"].pk]),
        injection_post(ctx["team"]["lot"], timezone.localdate()),
        InjectionSession.objects,
    )


def aftercare(ctx: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    at_state(ctx["course"], State.POST_CARE, **ctx["team"])
    return (
        reverse("treatments:aftercare", args=[ctx["patient"].pk]),
        {"issued_on": today(), "instructions_given": "on", "follow_up_at": soon()},
        Aftercare.objects,
    )


def response_review(ctx: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    # Back at the injection step after a cycle: the review records without a transition.
    start = timezone.localdate() - timedelta(weeks=13)
    course = at_state(ctx["course"], State.MAINTENANCE, start=start, **ctx["team"])
    services.retreatment_start(
        course=course,
        by=ctx["team"]["clinician"],
        reviewed_on=timezone.localdate(),
        notes="Fewer headache days.",
    )
    return (
        reverse("staff:review", args=[ctx["patient"].pk]),
        {"reviewed_on": today(), "notes": "Still fewer headache days."},
        ResponseReview.objects,
    )


def contact_attempt(ctx: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    return (
        reverse("patients:contact-attempt-new", args=[ctx["patient"].pk]),
        {"channel": "phone", "outcome": "reached", "note": "Will call back to book."},
        ContactAttempt.objects,
    )


def appointment(ctx: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    return (
        reverse("staff:appointment-new", args=[ctx["patient"].pk]),
        {"kind": "follow_up", "starts_at": soon(9), "minutes": "30"},
        Appointment.objects,
    )


def registration(ctx: dict[str, Any]) -> tuple[str, dict[str, Any], Any]:
    return (
        reverse("staff:register"),
        {
            "identifier": "H900001",
            "first_name": "Ines",
            "last_name": "Okafor",
            "date_of_birth": "1979-03-04",
            "phone": "07700 900456",
            "preferred_channel": "phone",
            "referred_on": today(),
        },
        Patient.objects.filter(identifier="H900001"),
    )


FORMS = {
    "consultation": (consultation, "clinician"),
    "consent": (consent, "nurse"),
    "preparation": (preparation, "nurse"),
    "injection": (injection, "clinician"),
    "aftercare": (aftercare, "nurse"),
    "response_review": (response_review, "clinician"),
    "contact_attempt": (contact_attempt, "receptionist"),
    "appointment": (appointment, "receptionist"),
    "registration": (registration, "receptionist"),
}


@pytest.fixture
def ctx(patient, course, clinician, nurse, receptionist, consent_form, lot) -> dict[str, Any]:
    return {
        "patient": patient,
        "course": course,
        "users": {"clinician": clinician, "nurse": nurse, "receptionist": receptionist},
        "team": {"clinician": clinician, "nurse": nurse, "lot": lot},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMS)
def test_a_form_sent_twice_records_once_and_lands_where_the_first_did(name, ctx, client_for):
    make, who = FORMS[name]
    path, data, records = make(ctx)
    client = client_for(ctx["users"][who])
    before = records.count()
    post = {**data, "form_token": token_on(client, path)}
    first = client.post(path, post)
    assert first.status_code == 302, first.content.decode()[:3000]
    second = client.post(path, post, follow=True)
    assert records.count() == before + 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert 'data-refusal="already_sent"' in second.content.decode()


@pytest.mark.django_db
def test_a_form_with_errors_keeps_its_token_usable(ctx, client_for):
    path, data, records = consultation(ctx)
    client = client_for(ctx["users"]["clinician"])
    token = token_on(client, path)
    refused = client.post(path, {**data, "history": "", "form_token": token})
    assert refused.status_code == 400
    sent = client.post(path, {**data, "form_token": token})
    assert sent.status_code == 302 and records.count() == 1


@pytest.mark.django_db
def test_another_users_token_does_not_land_on_their_page(ctx, client_for, clinician, clinic):
    from botoxcare.roles import Role
    from tests.factories import make_staff

    path, data, records = consultation(ctx)
    mine = client_for(clinician)
    token = token_on(mine, path)
    assert mine.post(path, {**data, "form_token": token}).status_code == 302
    other = client_for(make_staff(clinic, Role.CLINICIAN, username="other-clinician"))
    response = other.post(path, {**data, "form_token": token})
    assert response.status_code == 302 and response["Location"] == path
    assert records.count() == 1


@pytest.mark.django_db
def test_the_portal_consent_signed_twice_is_one_consent(ctx, client_for):
    patient, nurse = ctx["patient"], ctx["users"]["nurse"]
    patient.user = get_user_model().objects.create_user("pat", password="x-long-password-1")
    patient.save()
    course = at_state(ctx["course"], State.CONSENT, **ctx["team"])
    assert client_for(nurse).post(reverse("treatments:consent-send", args=[patient.pk]))
    waiting = course.consent_requests.get()
    me = client_for(patient.user)
    path = reverse("portal:consent", args=[waiting.pk])
    statements = [str(i) for i in range(len(waiting.form.statement_list))]
    post = {"statements": statements, "typed_name": patient.full_name}
    post["form_token"] = token_on(me, path)
    first = me.post(path, post)
    second = me.post(path, post, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert 'data-refusal="already_sent"' in second.content.decode()
    assert course.consents.count() == 1


def race(posts: list[tuple[Client, str, dict[str, Any]]]) -> list[int]:
    """Send the posts at the same moment, each from its own thread and connection."""
    barrier = threading.Barrier(len(posts))
    codes: list[int] = []

    def run(client: Client, path: str, data: dict[str, Any]) -> None:
        barrier.wait()
        try:
            codes.append(client.post(path, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=post) for post in posts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return codes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["consultation", "consent", "response_review", "registration"])
def test_the_same_form_sent_twice_at_once_records_once(name, ctx, client_for):
    make, who = FORMS[name]
    path, data, records = make(ctx)
    user = ctx["users"][who]
    first = client_for(user)
    post = {**data, "form_token": token_on(first, path)}
    before = records.count()
    codes = race([(first, path, post), (client_for(user), path, post)])
    assert codes == [302, 302]
    assert records.count() == before + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_registrations_of_one_person_at_once_give_one_patient(ctx, client_for):
    path, data, _ = registration(ctx)
    one, two = client_for(ctx["users"]["receptionist"]), client_for(ctx["users"]["receptionist"])
    posts = [
        (one, path, {**data, "identifier": "H900011", "form_token": token_on(one, path)}),
        (two, path, {**data, "identifier": "H900012", "form_token": token_on(two, path)}),
    ]
    codes = race(posts)
    assert sorted(codes) == [302, 400]
    assert Patient.objects.filter(first_name="Ines", last_name="Okafor").count() == 1
