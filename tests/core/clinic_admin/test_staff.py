"""Staff management: adding a member with an emailed set-password link, roles, deactivation;
the refusals by code, and the pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from botoxcare.clinic_admin import services
from botoxcare.clinic_admin.reasons import AdminReason
from botoxcare.errors import DomainError
from botoxcare.roles import Role, user_roles
from tests.factories import PASSWORD, ClinicFactory, make_staff

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"
NEW = "quiet-harbour-meadow-71"


def add(clinic, by, **overrides):
    kwargs = {
        "clinic": clinic,
        "by": by,
        "username": "j.wu",
        "first_name": "Jing",
        "last_name": "Wu",
        "email": "jing@example.org",
        "roles": [Role.NURSE],
        "base_url": BASE,
    }
    kwargs.update(overrides)
    return services.staff_add(**kwargs)


def roles_of(user):
    return set(get_user_model().objects.get(pk=user.pk).groups.values_list("name", flat=True))


def test_a_new_member_chooses_their_password_through_the_emailed_link(
    clinic, clinic_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member = add(clinic, clinic_admin)
    assert member.staff_profile.clinic == clinic
    assert not member.has_usable_password() and not member.is_staff
    assert roles_of(member) == {"nurse"}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jing@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+)", mail.outbox[0].body)
    assert link and "j.wu" in mail.outbox[0].body
    client = Client()
    page = client.get(link.group(1), follow=True)
    assert page.status_code == 200
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert done.status_code == 200
    assert get_user_model().objects.get(username="j.wu").check_password(NEW)


def test_adding_refuses_a_taken_username_no_email_and_no_role_at_once(clinic, clinic_admin):
    make_staff(clinic, Role.NURSE, username="taken")
    with pytest.raises(DomainError) as caught:
        add(clinic, clinic_admin, username="TAKEN", email=" ", roles=[])
    assert set(caught.value.codes) == {
        AdminReason.USERNAME_TAKEN,
        AdminReason.EMAIL_REQUIRED,
        AdminReason.NO_ROLES,
    }
    assert not get_user_model().objects.filter(username="j.wu").exists()


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.NURSE, Role.RECEPTIONIST])
def test_only_an_admin_manages_staff(clinic, role):
    other = make_staff(clinic, role)
    with pytest.raises(PermissionDenied):
        add(clinic, other)


def test_roles_change_and_the_admin_rules(clinic, clinic_admin):
    nurse = make_staff(clinic, Role.NURSE)
    services.staff_roles_change(
        member=nurse, by=clinic_admin, clinic=clinic, roles=[Role.NURSE, Role.ADMIN]
    )
    assert roles_of(nurse) == {"nurse", "admin"}
    with pytest.raises(DomainError) as caught:
        services.staff_roles_change(member=nurse, by=clinic_admin, clinic=clinic, roles=[])
    assert caught.value.codes == [AdminReason.NO_ROLES]
    # An admin cannot take away their own admin role, even with another admin there.
    with pytest.raises(DomainError) as caught:
        services.staff_roles_change(
            member=clinic_admin, by=clinic_admin, clinic=clinic, roles=[Role.CLINICIAN]
        )
    assert caught.value.codes == [AdminReason.OWN_ADMIN_ROLE]
    # Another admin can; then the one left is the last and keeps the role.
    services.staff_roles_change(member=clinic_admin, by=nurse, clinic=clinic, roles=[Role.NURSE])
    assert roles_of(clinic_admin) == {"nurse"}


def test_the_last_active_admin_cannot_be_removed_or_deactivated(clinic, clinic_admin):
    """An active admin acting on another always leaves one admin; the rule guards the race
    of two admins removing each other, shown here by an admin deactivated meanwhile."""
    second = make_staff(clinic, Role.ADMIN)
    services.staff_deactivate(member=second, by=clinic_admin, clinic=clinic)
    with pytest.raises(DomainError) as caught:
        services.staff_roles_change(
            member=clinic_admin, by=second, clinic=clinic, roles=[Role.NURSE]
        )
    assert caught.value.codes == [AdminReason.LAST_ADMIN]
    with pytest.raises(DomainError) as caught:
        services.staff_deactivate(member=clinic_admin, by=second, clinic=clinic)
    assert caught.value.codes == [AdminReason.LAST_ADMIN]
    # An admin of another clinic does not count.
    make_staff(ClinicFactory(), Role.ADMIN)
    with pytest.raises(DomainError) as caught:
        services.staff_deactivate(member=clinic_admin, by=second, clinic=clinic)
    assert caught.value.codes == [AdminReason.LAST_ADMIN]
    assert user_roles(get_user_model().objects.get(pk=clinic_admin.pk)) == {Role.ADMIN}
    assert get_user_model().objects.get(pk=clinic_admin.pk).is_active


def test_deactivate_rules(clinic, clinic_admin):
    nurse = make_staff(clinic, Role.NURSE)
    with pytest.raises(DomainError) as caught:
        services.staff_deactivate(member=clinic_admin, by=clinic_admin, clinic=clinic)
    assert caught.value.codes == [AdminReason.OWN_DEACTIVATION]
    services.staff_deactivate(member=nurse, by=clinic_admin, clinic=clinic)
    nurse.refresh_from_db()
    assert not nurse.is_active and get_user_model().objects.filter(pk=nurse.pk).exists()
    signed_in = Client().post(reverse("login"), {"username": nurse.username, "password": PASSWORD})
    assert signed_in.status_code == 200  # the form again: an inactive login cannot sign in
    with pytest.raises(DomainError) as caught:
        services.staff_deactivate(member=nurse, by=clinic_admin, clinic=clinic)
    assert caught.value.codes == [AdminReason.ALREADY_INACTIVE]
    services.staff_reactivate(member=nurse, by=clinic_admin)
    nurse.refresh_from_db()
    assert nurse.is_active
    with pytest.raises(DomainError) as caught:
        services.staff_reactivate(member=nurse, by=clinic_admin)
    assert caught.value.codes == [AdminReason.ALREADY_ACTIVE]


def test_the_staff_pages(client_for, clinic, clinic_admin, django_capture_on_commit_callbacks):
    nurse = make_staff(clinic, Role.NURSE)
    client = client_for(clinic_admin)
    page = client.get(reverse("clinic_admin:staff"))
    assert page.status_code == 200
    assert f'data-username="{nurse.username}"' in page.content.decode()
    assert reverse("clinic_admin:staff") in client.get(reverse("staff:patients")).content.decode()
    bad = client.post(
        reverse("clinic_admin:staff-add"),
        {
            "username": clinic_admin.username,
            "first_name": "A",
            "last_name": "B",
            "email": "ab@example.org",
            "roles": ["nurse"],
        },
    )
    assert bad.status_code == 400
    assert 'data-refusal="username_taken"' in bad.content.decode()
    assert 'value="ab@example.org"' in bad.content.decode()  # nothing typed is lost
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(
            reverse("clinic_admin:staff-add"),
            {
                "username": "new.one",
                "first_name": "New",
                "last_name": "One",
                "email": "new@example.org",
                "roles": ["receptionist"],
            },
        )
    member = get_user_model().objects.get(username="new.one")
    assert made.status_code == 302 and len(mail.outbox) == 1
    assert user_roles(member) == {Role.RECEPTIONIST}
    own = client.post(
        reverse("clinic_admin:staff-member", args=[clinic_admin.pk]), {"roles": ["nurse"]}
    )
    assert own.status_code == 400 and 'data-refusal="own_admin_role"' in own.content.decode()
    deact = client.post(
        reverse("clinic_admin:staff-active", args=[clinic_admin.pk]), {"active": "0"}, follow=True
    )
    assert 'data-refusal="own_deactivation"' in deact.content.decode()
    client.post(reverse("clinic_admin:staff-active", args=[nurse.pk]), {"active": "0"})
    nurse.refresh_from_db()
    assert not nurse.is_active


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.NURSE, Role.RECEPTIONIST])
def test_other_roles_get_403_on_the_admin_pages(client_for, clinic, role):
    client = client_for(make_staff(clinic, role))
    for name in (
        "clinic_admin:staff",
        "clinic_admin:staff-add",
        "clinic_admin:settings",
        "treatments:consent-forms",
    ):
        assert client.get(reverse(name)).status_code == 403
    assert "Clinic</a>" not in client.get(reverse("staff:patients")).content.decode()


def test_the_staff_list_takes_few_queries(
    client_for, clinic, clinic_admin, django_assert_max_num_queries
):
    for role in [Role.NURSE] * 10:
        make_staff(clinic, role)
    client = client_for(clinic_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("clinic_admin:staff")).status_code == 200
