"""Unlocking a member's sign-in after repeated failures: from their staff page, by their own
clinic's admin only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from botoxcare.clinic_admin import services
from botoxcare.clinic_admin.reasons import AdminReason
from botoxcare.errors import DomainError
from botoxcare.roles import Role
from tests.factories import PASSWORD, make_staff

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def pause(member, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), member.username, "wrong")
    assert sign_in(Client(), member.username, PASSWORD).status_code == 429


def test_the_admin_unlocks_a_paused_member_from_their_page(
    nurse, clinic_admin, client_for, settings, caplog
):
    pause(nurse, settings)
    admin = client_for(clinic_admin)
    page = admin.get(reverse("clinic_admin:staff-member", args=[nurse.pk])).content.decode()
    assert 'data-sign-in="paused"' in page and "Unlock sign-in" in page
    with caplog.at_level("INFO", logger="botoxcare.security"):
        response = admin.post(reverse("clinic_admin:staff-unlock", args=[nurse.pk]), follow=True)
    page = response.content.decode()
    assert "can sign in again" in page and "Unlock sign-in" not in page
    assert sign_in(Client(), nurse.username, PASSWORD).status_code == 302
    (unlocked,) = [r.getMessage() for r in caplog.records if "sign-in unlocked" in r.getMessage()]
    assert f"user_id={nurse.pk}" in unlocked and f"by_user_id={clinic_admin.pk}" in unlocked


def test_the_unlock_lifts_failures_from_every_address(nurse, clinic_admin, client_for):
    for n in range(10):
        sign_in(Client(), nurse.username, "wrong", address=f"203.0.113.{n + 1}")
    assert sign_in(Client(), nurse.username, PASSWORD, address="203.0.113.50").status_code == 429
    client_for(clinic_admin).post(reverse("clinic_admin:staff-unlock", args=[nurse.pk]))
    assert sign_in(Client(), nurse.username, PASSWORD, address="203.0.113.50").status_code == 302


def test_no_button_and_a_refusal_when_nothing_is_paused(nurse, clinic_admin, client_for):
    admin = client_for(clinic_admin)
    page = admin.get(reverse("clinic_admin:staff-member", args=[nurse.pk])).content.decode()
    assert "Unlock sign-in" not in page
    with pytest.raises(DomainError) as refused:
        services.staff_sign_in_unlock(member=nurse, by=clinic_admin)
    assert refused.value.codes == [AdminReason.SIGN_IN_NOT_PAUSED]
    response = admin.post(reverse("clinic_admin:staff-unlock", args=[nurse.pk]), follow=True)
    assert AdminReason.SIGN_IN_NOT_PAUSED in response.content.decode()


def test_another_clinics_member_is_not_found(other_clinic, clinic_admin, client_for, settings):
    stranger = make_staff(other_clinic, Role.NURSE)
    pause(stranger, settings)
    response = client_for(clinic_admin).post(
        reverse("clinic_admin:staff-unlock", args=[stranger.pk])
    )
    assert response.status_code == 404
    assert sign_in(Client(), stranger.username, PASSWORD).status_code == 429


def test_a_receptionist_cannot_unlock(nurse, receptionist, client_for, settings):
    pause(nurse, settings)
    response = client_for(receptionist).post(reverse("clinic_admin:staff-unlock", args=[nurse.pk]))
    assert response.status_code == 403
    assert sign_in(Client(), nurse.username, PASSWORD).status_code == 429


def test_unlocking_is_post_only(nurse, clinic_admin, client_for):
    response = client_for(clinic_admin).get(reverse("clinic_admin:staff-unlock", args=[nurse.pk]))
    assert response.status_code == 405
