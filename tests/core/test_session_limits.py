"""Sessions end after a while without activity (staff 30 minutes, patients 60) and, for staff,
12 hours after signing in; pages for a signed-in user are never cached; the browser is told
which features and sources the pages use (CSP, Permissions-Policy)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def patient_client(client_for, patient):
    patient.user = get_user_model().objects.create_user("pat", password="x-long-password-1")
    patient.save()
    return client_for(patient.user)


def signed_out(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("idle", "out"), [(29, False), (31, True)])
def test_staff_are_signed_out_after_30_idle_minutes(client_for, nurse, idle, out):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_for(nurse)
        assert client.get(reverse("staff:patients")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=idle), tick=False):
        response = client.get(reverse("staff:patients"))
    assert signed_out(response) is out
    if out:  # and the next page asks to sign in again
        assert signed_out(client.get(reverse("staff:patients")))


def test_staff_are_signed_out_12_hours_after_signing_in_however_busy(client_for, nurse):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_for(nurse)
        client.get(reverse("staff:patients"))
    for minutes in range(20, 12 * 60, 20):  # a page every 20 minutes all day
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("staff:patients")).status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        assert signed_out(client.get(reverse("staff:patients")))


@pytest.mark.parametrize(("idle", "out"), [(59, False), (61, True)])
def test_patients_are_signed_out_after_60_idle_minutes(client_for, patient, idle, out):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = patient_client(client_for, patient)
        assert client.get(reverse("portal:home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=idle), tick=False):
        assert signed_out(client.get(reverse("portal:home"))) is out


def test_pages_of_a_signed_in_user_are_never_stored(client_for, nurse, patient):
    response = client_for(nurse).get(reverse("staff:patient", args=[patient.pk]))
    assert response["Cache-Control"] == "no-store, private"
    public = client_for(nurse).__class__().get(reverse("public:home"))
    assert "no-store" not in public.get("Cache-Control", "")


def test_every_page_names_its_sources_and_turns_off_unused_features(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]
