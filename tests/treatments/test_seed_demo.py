"""The demo data: every state, sensible histories, safe to load twice."""

from __future__ import annotations

import io
import itertools

import pytest
from django.core.management import call_command

from patients.models import Patient
from treatments.models import Course, CourseTransition, InjectionSession, State
from treatments.start_rule import failed_preventive_count


@pytest.mark.django_db
def test_seed_demo_spreads_patients_over_every_state_and_is_safe_twice(capsys):
    call_command("seed_demo")
    states = set(Course.objects.values_list("state", flat=True))
    assert states == set(State.values)
    patients = Patient.objects.count()
    transitions = CourseTransition.objects.count()
    assert 40 <= patients <= 50
    assert (
        InjectionSession.objects.filter(course__patient__clinic__slug="demo")
        .values("course")
        .distinct()
        .count()
        >= 20
    )
    # Histories make sense: every transition follows the one before it, in time and state.
    for course in Course.objects.prefetch_related("transitions"):
        log = list(course.transitions.all())
        for before, after in itertools.pairwise(log):
            assert before.at <= after.at and before.target == after.source
        if log:
            assert log[-1].target == course.state
    # Every patient who passed the evaluation has a preventive history meeting the rule.
    evaluated = Course.objects.filter(transitions__name="complete_evaluation").distinct()
    assert evaluated.count() >= 20
    for course in evaluated.select_related("patient"):
        tried = course.patient_preventives
        assert failed_preventive_count(None, tried) >= 3, course.patient
        assert course.latest_consultation.failed_preventives_count is None  # not typed
    from patients.models import CallbackRequest

    assert CallbackRequest.objects.filter(clinic__slug="demo").count() == 3
    call_command("seed_demo")
    assert Patient.objects.count() == patients
    assert CourseTransition.objects.count() == transitions
    out = capsys.readouterr().out
    assert "already loaded" in out and "clinician" in out and "demo-pass-2026" in out
    assert "DEMO CODE DEMO CODE" in out and "manage.py demo_code <username>" in out


@pytest.mark.django_db
def test_seed_demo_admin_is_a_clinic_admin_and_operator_has_only_django_admin(client):
    from django.contrib.auth import get_user_model

    from botoxcare.roles import Role, user_roles

    call_command("seed_demo")
    users = get_user_model().objects
    admin, operator = users.get(username="admin"), users.get(username="operator")
    assert user_roles(admin) == {Role.ADMIN} and admin.staff_profile.clinic.slug == "demo"
    assert not admin.is_staff and not admin.is_superuser
    assert operator.is_superuser and operator.is_staff
    assert not hasattr(operator, "staff_profile")

    def sign_in(username):
        """The password, then the code `manage.py demo_code <username>` prints."""
        client.logout()
        asked = client.post(
            "/accounts/login/", {"username": username, "password": "demo-pass-2026"}, follow=True
        )
        assert asked.redirect_chain[-1][0].startswith("/accounts/two-factor/?next=")
        out = io.StringIO()
        call_command("demo_code", username, stdout=out, stderr=io.StringIO())
        return client.post(
            asked.redirect_chain[-1][0], {"code": out.getvalue().strip()}, follow=True
        )

    landed = sign_in("admin")
    assert landed.redirect_chain[-1][0] == "/patients/"
    assert 'href="/clinic/staff/"' in landed.content.decode()
    assert client.get("/clinic/settings/").status_code == 200
    assert client.get("/admin/").status_code == 302  # to /admin/'s own login: not theirs
    landed = sign_in("operator")
    assert landed.redirect_chain[-1][0] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/clinic/staff/").status_code == 404  # no clinic


@pytest.mark.django_db
def test_the_demo_consent_form_sets_out_what_a_patient_decides_on(clinic):
    """The demo clinic's consent information says, in plain words: what the treatment is,
    what it may do and when, its common and its rare serious risks, the alternatives, and that
    consent can be withdrawn; the patient ticks the model's usual statements."""
    from django.utils import timezone

    from treatments.models.records import DEFAULT_STATEMENTS
    from treatments.walk import demo_stock

    form, _lots = demo_stock(clinic, timezone.localdate())
    parts = dict(p.split("\n", 1) for p in form.body.strip().split("\n\n"))
    assert list(parts) == [
        "What the treatment is",
        "What it may do for you",
        "Common side effects",
        "Rare but serious side effects",
        "Other choices",
        "You can change your mind",
    ]
    expected = {
        "What the treatment is": ["onabotulinumtoxinA", "31 to 39 places", "every 12 weeks"],
        "What it may do for you": [
            "fewer headache days",
            "about half",
            "by half or more",
            "2 to 4 weeks",
            "2 to 3 sessions",
        ],
        "Common side effects": [
            "neck pain",
            "where the needle went in",
            "drooping eyelid",
            "weakness",
            "a headache",
        ],
        "Rare but serious side effects": [
            "difficulty swallowing, speaking or breathing",
            "emergency",
        ],
        "Other choices": ["preventive tablets", "CGRP monoclonal antibod", "no preventive"],
        "You can change your mind": ["withdraw this consent at any time"],
    }
    for part, words in expected.items():
        for said in words:
            assert said in parts[part], (part, said)
    assert form.statements == DEFAULT_STATEMENTS


@pytest.mark.django_db
def test_demo_code_refuses_in_production_and_for_logins_without_the_demo_app(settings, clinic):
    from django.core.management.base import CommandError

    from botoxcare.roles import Role
    from tests.factories import make_staff

    member = make_staff(clinic, Role.NURSE)  # an app of their own, not the demo's
    with pytest.raises(CommandError, match="no demo authenticator app"):
        call_command("demo_code", member.username)
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("demo_code", member.username)
