"""Two-factor sign-in: staff and operators set it up at their first sign-in and give a code
(or a recovery code, once) at each one; wrong codes are explained and slowed down; patients
may opt in; a clinic admin resets a colleague's, in their own clinic only; all audited."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from botoxcare.models.audit import AuditEvent
from botoxcare.roles import Role
from tests.factories import PASSWORD, app_device, make_staff, totp_code

pytestmark = pytest.mark.django_db

ENROL, VERIFY = reverse("two_factor:enrol"), reverse("two_factor:verify")


def signed_in_with_password(user) -> Client:
    """Past the password only, as the sign-in page leaves them."""
    client = Client()
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD})[
        "Location"
    ]
    return client


def code_for_pending(user) -> str:
    """What an authenticator app shows for the key the set-up page gave the user."""
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return f"{TOTP(device.bin_key).token():06d}"


def actions(user) -> list[str]:
    return list(
        AuditEvent.objects.filter(user=user).order_by("pk").values_list("action", flat=True)
    )


@pytest.mark.parametrize("role", list(Role))
def test_every_staff_role_sets_it_up_at_first_sign_in(clinic, role):
    member = make_staff(clinic, role, two_factor=False)
    client = signed_in_with_password(member)
    for page in [reverse("staff:patients"), reverse("after-login"), reverse("password_change")]:
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(ENROL + "?next=")
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    # The QR code is markup, drawn without any script of its own (the CSP allows none inline).
    assert "<svg" in html
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    key = re.search(r"data-setup-key>([A-Z2-7 ]+)<", html).group(1)
    assert len(key.replace(" ", "")) == 32  # 20 bytes in base32, in groups of four
    assert client.get(ENROL).content.decode().count(key) == 1  # the same key on a reload


def test_enrolment_confirms_with_a_code_shows_ten_recovery_codes_and_verifies(clinic):
    member = make_staff(clinic, Role.CLINICIAN, two_factor=False)
    client = signed_in_with_password(member)
    client.get(ENROL)
    response = client.post(ENROL, {"code": code_for_pending(member), "next": "/patients/"})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(codes) == 10 == StaticToken.objects.filter(device__user=member).count()
    assert 'href="/patients/"' in response.content.decode()
    assert TOTPDevice.objects.get(user=member).confirmed
    assert client.get(reverse("staff:patients")).status_code == 200
    assert "auth.two_factor_enrolled" in actions(member)
    # Already set up: the page does not offer a second app.
    assert client.get(ENROL)["Location"] == reverse("after-login")


def test_a_wrong_code_at_enrolment_is_explained_and_sets_nothing_up(clinic):
    member = make_staff(clinic, Role.NURSE, two_factor=False)
    client = signed_in_with_password(member)
    client.get(ENROL)
    wrong = f"{(int(code_for_pending(member)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"code": wrong})
    assert response.status_code == 400
    assert 'data-refusal="two_factor_wrong_code"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=member, confirmed=True).exists()
    assert client.get(reverse("staff:patients"))["Location"].startswith(ENROL)
    failed = AuditEvent.objects.get(user=member, action="auth.two_factor_failed")
    assert failed.data == {"stage": "enrol", "reason": "two_factor_wrong_code"}


def test_an_unverified_member_with_an_app_cannot_set_up_another(clinic):
    member = make_staff(clinic, Role.CLINICIAN)
    client = signed_in_with_password(member)
    assert client.get(ENROL)["Location"] == VERIFY
    assert client.post(ENROL, {"code": totp_code(member)})["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=member).count() == 1


def test_a_member_with_an_app_gives_its_code_then_reaches_the_page_asked_for(clinic):
    member = make_staff(clinic, Role.RECEPTIONIST)
    client = signed_in_with_password(member)
    asked = client.get(reverse("staff:patients"))["Location"]
    assert asked == VERIFY + "?next=%2Fpatients%2F"
    code_page = client.get(asked)
    assert code_page.status_code == 200
    # No staff links before the code: each would only lead back here.
    assert f'href="{reverse("staff:schedules")}"' not in code_page.content.decode()
    response = client.post(VERIFY, {"code": totp_code(member), "next": "/patients/"})
    assert response["Location"] == "/patients/"
    page = client.get("/patients/")
    assert page.status_code == 200
    assert f'href="{reverse("staff:schedules")}"' in page.content.decode()
    verified = AuditEvent.objects.get(user=member, action="auth.two_factor_verified")
    assert verified.data == {"method": "app"}


def test_the_same_code_step_is_not_accepted_twice_but_a_second_sign_in_works(clinic):
    member = make_staff(clinic, Role.CLINICIAN)
    first, second = signed_in_with_password(member), signed_in_with_password(member)
    code = totp_code(member)
    assert first.post(VERIFY, {"code": code})["Location"] == reverse("after-login")
    replay = second.post(VERIFY, {"code": code})
    assert 'data-refusal="two_factor_wrong_code"' in replay.content.decode()
    with time_machine.travel(timedelta(seconds=1)):  # past the wait after a wrong code
        assert second.post(VERIFY, {"code": totp_code(member)})["Location"] == reverse(
            "after-login"
        )


def test_a_recovery_code_signs_in_once(clinic):
    member = make_staff(clinic, Role.CLINICIAN, two_factor=False)
    client = signed_in_with_password(member)
    client.get(ENROL)
    page = client.post(ENROL, {"code": code_for_pending(member)}).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)
    later = signed_in_with_password(member)
    response = later.post(VERIFY, {"code": codes[0].upper()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff:patients")
    assert "9 recovery codes left" in response.content.decode()
    assert StaticToken.objects.filter(device__user=member).count() == 9
    used = AuditEvent.objects.get(user=member, action="auth.recovery_code_used")
    assert used.data == {"remaining": 9}
    again = signed_in_with_password(member).post(VERIFY, {"code": codes[0]})
    assert again.status_code == 400
    assert 'data-refusal="two_factor_wrong_code"' in again.content.decode()


def test_a_wrong_code_is_explained_audited_and_changes_nothing(clinic):
    member = make_staff(clinic, Role.NURSE)
    client = signed_in_with_password(member)
    response = client.post(VERIFY, {"code": f"{(int(totp_code(member)) + 1) % 1_000_000:06d}"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-refusal="two_factor_wrong_code"' in html and "That code was not right" in html
    assert client.get(reverse("staff:patients"))["Location"].startswith(VERIFY)
    failed = AuditEvent.objects.get(user=member, action="auth.two_factor_failed")
    assert failed.data["reason"] == "two_factor_wrong_code"


def test_repeated_wrong_codes_are_slowed_down_even_for_the_right_one(clinic):
    member = make_staff(clinic, Role.CLINICIAN)
    client = signed_in_with_password(member)
    start = datetime(2026, 12, 1, 9, 0, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        right = totp_code(member)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        client.post(VERIFY, {"code": wrong})
        client.post(VERIFY, {"code": wrong})  # counted as a failure (throttled), not checked
        clock.move_to(start + timedelta(seconds=1))
        client.post(VERIFY, {"code": wrong})  # the 2nd checked failure: now 2 seconds' wait
        held = client.post(VERIFY, {"code": right})
        assert held.status_code == 400
        html = held.content.decode()
        assert 'data-refusal="two_factor_throttled"' in html and "Too many wrong codes" in html
        assert "wait 2 seconds" in html
        assert client.get(reverse("staff:patients"))["Location"].startswith(VERIFY)
        clock.move_to(start + timedelta(seconds=4))
        assert client.post(VERIFY, {"code": right})["Location"] == reverse("after-login")
    reasons = AuditEvent.objects.filter(user=member, action="auth.two_factor_failed")
    assert list(reasons.order_by("pk").values_list("data__reason", flat=True)) == [
        "two_factor_wrong_code",
        "two_factor_throttled",
        "two_factor_wrong_code",
        "two_factor_throttled",
    ]


def test_the_operator_sets_it_up_before_admin_and_admin_has_no_password_only_login(db):
    operator = get_user_model().objects.create_superuser("op", "op@localhost", PASSWORD)
    assert Client().get("/admin/login/?next=/admin/")["Location"] == (
        reverse("login") + "?next=/admin/"
    )
    client = signed_in_with_password(operator)
    assert client.get("/admin/")["Location"] == ENROL + "?next=%2Fadmin%2F"
    client.get(ENROL)
    assert client.post(ENROL, {"code": code_for_pending(operator)}).status_code == 200
    assert client.get("/admin/").status_code == 200
    later = signed_in_with_password(operator)
    assert later.get("/admin/auth/user/")["Location"].startswith(VERIFY)
    later.post(VERIFY, {"code": totp_code(operator)})
    assert later.get("/admin/auth/user/").status_code == 200


def test_signing_out_and_the_health_check_need_no_code(clinic):
    client = signed_in_with_password(make_staff(clinic, Role.CLINICIAN))
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.fixture
def patient_user(patient):
    patient.user = get_user_model().objects.create_user("pat", password=PASSWORD)
    patient.save()
    return patient.user


def test_patients_need_no_code_until_they_set_it_up_themselves(patient_user):
    client = signed_in_with_password(patient_user)
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    assert f'href="{ENROL}?next=' in home.content.decode()  # the optional link
    assert client.get(VERIFY)["Location"] == reverse("after-login")
    assert "Optional" in client.get(ENROL).content.decode()
    assert client.post(ENROL, {"code": code_for_pending(patient_user)}).status_code == 200
    assert client.get(reverse("portal:home")).status_code == 200
    later = signed_in_with_password(patient_user)
    assert later.get(reverse("portal:home"))["Location"].startswith(VERIFY)
    later.post(VERIFY, {"code": totp_code(patient_user)})
    assert later.get(reverse("portal:home")).status_code == 200


def reset(client, member):
    return client.post(reverse("clinic_admin:staff-two-factor-reset", args=[member.pk]))


def test_a_clinic_admin_resets_a_colleagues_two_factor(client_for, clinic, clinic_admin):
    nurse = make_staff(clinic, Role.NURSE)
    nurse_session = client_for(nurse)
    assert nurse_session.get(reverse("staff:patients")).status_code == 200
    admin = client_for(clinic_admin)
    page = admin.get(reverse("clinic_admin:staff-member", args=[nurse.pk])).content.decode()
    assert 'data-two-factor="set-up"' in page and "Reset two-factor sign-in" in page
    response = reset(admin, nurse)
    assert response["Location"] == reverse("clinic_admin:staff-member", args=[nurse.pk])
    assert not TOTPDevice.objects.filter(user=nurse).exists()
    # The session that gave a code is no longer verified: it sets up a new app first.
    assert nurse_session.get(reverse("staff:patients"))["Location"].startswith(ENROL)
    event = AuditEvent.objects.get(action="staff.two_factor_reset")
    assert (event.user, event.clinic_id, event.target_id) == (
        clinic_admin,
        clinic.pk,
        nurse.staff_profile.pk,
    )
    assert event.target_type == "botoxcare.staffprofile" and event.data["devices_removed"] == 1
    page = admin.get(reverse("clinic_admin:staff-member", args=[nurse.pk])).content.decode()
    assert 'data-two-factor="not-set-up"' in page
    again = reset(admin, nurse)
    assert again["Location"] == reverse("clinic_admin:staff-member", args=[nurse.pk])
    assert AuditEvent.objects.filter(action="staff.two_factor_reset").count() == 1


def test_another_clinics_member_cannot_be_reset(client_for, clinic_admin, other_clinic):
    stranger = make_staff(other_clinic, Role.CLINICIAN)
    assert reset(client_for(clinic_admin), stranger).status_code == 404
    assert TOTPDevice.objects.filter(user=stranger).exists()
    assert not AuditEvent.objects.filter(action="staff.two_factor_reset").exists()


def test_only_a_clinic_admin_resets(client_for, clinic, clinician):
    nurse = make_staff(clinic, Role.NURSE)
    assert reset(client_for(clinician), nurse).status_code == 403
    assert app_device(nurse).confirmed
