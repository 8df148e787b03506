from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from botoxcare.roles import Role
from treatments.models import Course, PreventiveTreatment
from treatments.walk.plan import PREVENTIVES_FAILED

from .factories import (
    ClinicFactory,
    ConsentFormFactory,
    PatientFactory,
    ProductLotFactory,
    make_staff,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    has_redis = bool(settings.REDIS_URL)
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason="needs Redis (set REDIS_URL)"))


def queued_by_app(callbacks: list[Any]) -> list[Any]:
    """The on-commit callbacks a service queued, without the clinic's change counter's own
    (botoxcare.freshness moves it after every change's commit)."""
    from botoxcare.freshness import is_counter_callback

    return [callback for callback in callbacks if not is_counter_callback(callback)]


@pytest.fixture(autouse=True)
def _cache_cleared() -> Any:
    """Each test starts with an empty cache: figures kept for one test's clinic (whose id a
    later test's clinic may have again after the rollback) are never another's."""
    from django.core.cache import cache

    from botoxcare import freshness

    cache.clear()
    freshness._resting_until = 0.0  # a test's failing cache does not rest the next test's
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def sms_outbox(settings: Any) -> list[tuple[str, str]]:
    """Texts go to a list, like Django's locmem email outbox."""
    from botoxcare.messaging import LocmemSMSBackend

    settings.SMS_BACKEND = "botoxcare.messaging.LocmemSMSBackend"
    LocmemSMSBackend.outbox.clear()
    return LocmemSMSBackend.outbox


@pytest.fixture
def clinic(db: Any) -> Any:
    return ClinicFactory()


@pytest.fixture
def other_clinic(db: Any) -> Any:
    return ClinicFactory()


@pytest.fixture
def clinician(clinic: Any) -> Any:
    return make_staff(clinic, Role.CLINICIAN)


@pytest.fixture
def nurse(clinic: Any) -> Any:
    return make_staff(clinic, Role.NURSE)


@pytest.fixture
def receptionist(clinic: Any) -> Any:
    return make_staff(clinic, Role.RECEPTIONIST)


@pytest.fixture
def clinic_admin(clinic: Any) -> Any:
    return make_staff(clinic, Role.ADMIN)


@pytest.fixture
def consent_form(clinic: Any) -> Any:
    return ConsentFormFactory(clinic=clinic)


@pytest.fixture
def lot(clinic: Any) -> Any:
    return ProductLotFactory(clinic=clinic)


@pytest.fixture
def patient(clinic: Any, clinician: Any) -> Any:
    """A patient whose preventive history meets the default start rule (three classes
    failed, as the walker's): tests of the rule itself change the list."""
    patient = PatientFactory(clinic=clinic, responsible_clinician=clinician)
    # Rows, not the service: no audit events of their own in tests that count them.
    PreventiveTreatment.objects.bulk_create(
        PreventiveTreatment(patient=patient, added_by=clinician, added_at=timezone.now(), **p)
        for p in PREVENTIVES_FAILED
    )
    return patient


@pytest.fixture
def course(patient: Any) -> Course:
    return Course.objects.get(patient=patient)


def verified(client: Client, user: Any) -> Client:
    """Mark the client's session as having given a two-factor code (with the user's
    authenticator app, made if they have none), as the code page does."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from .factories import app_device

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = app_device(user).persistent_id
    session.save()
    return client


@pytest.fixture
def client_for() -> Any:
    """A client signed in as `user`; staff and operators also past the two-factor code."""

    def make(user: Any) -> Client:
        from botoxcare.two_factor.rules import is_staff_or_operator

        client = Client()
        client.force_login(user)
        if is_staff_or_operator(user):
            verified(client, user)
        return client

    return make


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium: Playwright cannot download its own browser on these machines."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def booked(patient: Any, receptionist: Any, clinician: Any) -> Any:
    """A consultation booked a week ahead with the patient's clinician."""
    from datetime import timedelta

    from django.utils import timezone

    from patients.services import appointment_book

    return appointment_book(
        patient=patient,
        by=receptionist,
        kind="consultation",
        clinician=clinician,
        starts_at=timezone.now() + timedelta(days=7),
        minutes=30,
    )


# Words an email to a patient must never carry: the diagnosis, the drug, the treatment, or the
# factory's clinic name (which says what the clinic treats).
CLINICAL_WORDS = ("botox", "botulinum", "toxin", "migraine", "headache", "inject", "dose")


def join_path(body: str) -> str:
    """The join page's path in an invitation email."""
    import re

    found = re.search(r"https?://testserver(/portal/join/[^/\s]+/)", body)
    assert found, "no join link in the email"
    return found.group(1)


@pytest.fixture
def invite(django_capture_on_commit_callbacks: Any, receptionist: Any) -> Any:
    """Invite a patient as the service does from the staff page; returns the link's path."""
    from django.core import mail

    from patients.services import portal_invite

    def make(patient: Any, by: Any = None) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            portal_invite(patient=patient, by=by or receptionist, base_url="http://testserver/")
        return join_path(mail.outbox[-1].body)

    return make
