"""The patient page says whether the patient can use the portal: a login, an invitation
pending until a date, an expired one, or none."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def page(client_for, user, patient):
    return client_for(user).get(reverse("staff:patient", args=[patient.pk])).content.decode()


def test_none_offers_an_invitation(client_for, receptionist, patient):
    html = page(client_for, receptionist, patient)
    assert 'data-portal="none"' in html
    assert "Invite to portal" in html


def test_without_an_email_the_page_says_what_is_missing(client_for, receptionist, patient):
    patient.email = ""
    patient.save()
    html = page(client_for, receptionist, patient)
    assert 'data-warning="portal_needs_email"' in html
    assert "Invite to portal" not in html


def test_pending_shows_until_when(client_for, receptionist, patient, invite):
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=timezone.get_current_timezone())):
        invite(patient)
        html = page(client_for, receptionist, patient)
    assert 'data-portal="pending"' in html
    assert "Invitation pending until 9 Mar 2026, 10:00" in html


def test_expired_offers_to_invite_again(client_for, receptionist, patient, invite):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        invite(patient)
        clock.shift(timedelta(days=8))
        html = page(client_for, receptionist, patient)
    assert 'data-portal="expired"' in html
    assert "Re-invite" in html
    assert "Revoke invitation" not in html


def test_a_login_offers_removal(client_for, receptionist, patient):
    patient.user = get_user_model().objects.create_user("pat")
    patient.save()
    html = page(client_for, receptionist, patient)
    assert 'data-portal="active"' in html
    assert "Remove access" in html
    assert "Invite to portal" not in html
