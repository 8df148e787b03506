"""Every change a clinic admin makes (and making a clinic or a login) leaves one audit event in
its transaction: staff added and invited, roles changed, deactivated and reactivated, sign-in
unlocked, working hours and settings changed, with old and new values; a refusal, none."""

from __future__ import annotations

import json
from datetime import time

import pytest

import botoxcare.services
from botoxcare.clinic_admin import hours, services, settings_update
from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from botoxcare.roles import Role
from tests.audit import actions, only_event, table_problems
from tests.factories import ClinicFactory, make_staff

from .test_settings import current
from .test_staff import add
from .test_unlock import pause

pytestmark = pytest.mark.django_db

# Which event each public function of the clinic admin's services writes (None: nothing). A
# new service must be added here, with its event.
SERVICE_ACTIONS: dict[str, dict[str, str | None]] = {
    "services": {
        "staff_add": "staff.added",
        "staff_deactivate": "staff.deactivated",
        "staff_reactivate": "staff.reactivated",
        "staff_roles_change": "staff.roles_changed",
        "staff_set_password_send": "staff.password_link_sent",
        "staff_sign_in_unlock": "staff.sign_in_unlocked",
    },
    "hours": {"staff_hours_change": "staff.hours_changed"},
    "settings_update": {"clinic_settings_update": "clinic_settings.changed"},
}
CORE_ACTIONS: dict[str, str | None] = {
    "clinic_create": "clinic.created",
    "staff_create": "staff.created",
}


@pytest.mark.parametrize("module", [services, hours, settings_update], ids=lambda m: m.__name__)
def test_every_public_service_says_which_event_it_writes(module):
    table = SERVICE_ACTIONS[module.__name__.rsplit(".", 1)[1]]
    if module is services:
        # staff_two_factor_reset (two-factor sign-in) writes its own event, tested there.
        table = {**table, "staff_two_factor_reset": "staff.two_factor_reset"}
        table = {k: v for k, v in table.items() if hasattr(module, k)}
    assert table_problems(module, table) == []


def test_the_cores_services_too():
    assert table_problems(botoxcare.services, CORE_ACTIONS) == []


def test_a_clinic_and_a_login_made_outside_a_request_name_no_one():
    clinic = ClinicFactory(slug="north")
    nurse = make_staff(clinic, Role.NURSE)
    made = only_event("clinic.created", clinic=clinic)
    assert (made.user, made.target_id, made.data) == (None, clinic.pk, {"slug": "north"})
    login = only_event("staff.created", target_id=nurse.pk)
    assert (login.user, login.clinic_id) == (None, clinic.pk)
    assert login.data == {"member": nurse.pk, "username": nurse.username, "roles": ["nurse"]}


class TestStaff:
    def test_adding_a_member_is_an_invitation_without_its_link(
        self, clinic, clinic_admin, django_capture_on_commit_callbacks
    ):
        from django.core import mail

        with django_capture_on_commit_callbacks(execute=True):
            member = add(clinic, clinic_admin, roles=[Role.NURSE, Role.CLINICIAN])
        event = only_event("staff.added")
        assert (event.user, event.clinic_id, event.target_id) == (
            clinic_admin,
            clinic.pk,
            member.pk,
        )
        assert event.data == {
            "member": member.pk,
            "username": "j.wu",
            "email": "jing@example.org",
            "roles": ["clinician", "nurse"],
        }
        assert "reset" not in json.dumps(event.data) and "/accounts/" in mail.outbox[0].body
        services.staff_set_password_send(
            member=member, by=clinic_admin, clinic=clinic, base_url="http://testserver/"
        )
        sent = only_event("staff.password_link_sent")
        assert (sent.user, sent.data) == (
            clinic_admin,
            {"member": member.pk, "email": "jing@example.org"},
        )

    def test_a_refused_addition_writes_nothing(self, clinic, clinic_admin):
        with pytest.raises(DomainError):
            add(clinic, clinic_admin, roles=[])
        assert actions() == []

    def test_roles_changed_old_and_new(self, clinic, clinic_admin, nurse):
        services.staff_roles_change(
            member=nurse, by=clinic_admin, clinic=clinic, roles=[Role.NURSE, Role.ADMIN]
        )
        event = only_event("staff.roles_changed")
        assert (event.user, event.clinic_id, event.target_id) == (clinic_admin, clinic.pk, nurse.pk)
        assert event.data == {"member": nurse.pk, "roles": [["nurse"], ["admin", "nurse"]]}

    def test_refused_role_changes_write_nothing(self, clinic, clinic_admin):
        with pytest.raises(DomainError):  # the last admin keeps the role
            services.staff_roles_change(
                member=clinic_admin, by=clinic_admin, clinic=clinic, roles=[Role.NURSE]
            )
        with pytest.raises(DomainError):
            services.staff_roles_change(
                member=clinic_admin, by=clinic_admin, clinic=clinic, roles=[]
            )
        assert actions() == []

    def test_deactivate_and_reactivate(self, clinic, clinic_admin, nurse):
        services.staff_deactivate(member=nurse, by=clinic_admin, clinic=clinic)
        off = only_event("staff.deactivated")
        assert (off.user, off.clinic_id, off.target_id) == (clinic_admin, clinic.pk, nurse.pk)
        assert off.data == {"member": nurse.pk, "is_active": [True, False]}
        with pytest.raises(DomainError):
            services.staff_deactivate(member=nurse, by=clinic_admin, clinic=clinic)
        assert AuditEvent.objects.filter(action="staff.deactivated").count() == 1
        services.staff_reactivate(member=nurse, by=clinic_admin)
        on = only_event("staff.reactivated")
        assert (on.user, on.clinic_id, on.data) == (
            clinic_admin,
            clinic.pk,
            {"member": nurse.pk, "is_active": [False, True]},
        )
        with pytest.raises(DomainError):
            services.staff_reactivate(member=nurse, by=clinic_admin)
        assert AuditEvent.objects.filter(action="staff.reactivated").count() == 1

    def test_unlock(self, clinic, clinic_admin, nurse, settings):
        with pytest.raises(DomainError):  # not paused
            services.staff_sign_in_unlock(member=nurse, by=clinic_admin)
        assert not AuditEvent.objects.filter(action="staff.sign_in_unlocked").exists()
        pause(nurse, settings)
        removed = services.staff_sign_in_unlock(member=nurse, by=clinic_admin)
        event = only_event("staff.sign_in_unlocked")
        assert (event.user, event.clinic_id, event.target_id) == (clinic_admin, clinic.pk, nurse.pk)
        assert event.data == {"member": nurse.pk, "attempts_removed": removed} and removed > 0

    def test_working_hours(self, clinic, clinic_admin, nurse):
        hours.staff_hours_change(
            member=nurse, by=clinic_admin, clinic=clinic, days=[1, 2], starts=time(9), ends=None
        )
        event = only_event("staff.hours_changed")
        assert (event.user, event.target_type) == (clinic_admin, "botoxcare.staffprofile")
        assert event.data["member"] == nurse.pk
        assert event.data["work_starts"] == [None, "09:00:00"]
        assert event.data["work_days"][1] == [1, 2]
        with pytest.raises(DomainError):
            hours.staff_hours_change(
                member=nurse,
                by=clinic_admin,
                clinic=clinic,
                days=[1],
                starts=time(18),
                ends=time(8),
            )
        assert AuditEvent.objects.filter(action="staff.hours_changed").count() == 1


class TestSettings:
    def test_a_change_keeps_old_and_new_values(self, clinic, clinic_admin):
        _cfg, values, limits = current(clinic)
        values.update(retreatment_due_weeks=13)
        limits["temporalis"].update(max_units=45, max_sites=9)
        settings_update.clinic_settings_update(
            clinic=clinic, by=clinic_admin, values=values, muscle_limits=limits
        )
        event = only_event("clinic_settings.changed")
        assert (event.user, event.clinic_id) == (clinic_admin, clinic.pk)
        assert event.data == {
            "retreatment_due_weeks": ["12", "13"],
            "muscle_limits.temporalis.max_units": ["50", "45"],
            "muscle_limits.temporalis.max_sites": ["10", "9"],
        }
        # The same values again change nothing and write nothing.
        settings_update.clinic_settings_update(
            clinic=clinic, by=clinic_admin, values=values, muscle_limits=limits
        )
        assert AuditEvent.objects.filter(action="clinic_settings.changed").count() == 1

    def test_a_refused_change_writes_nothing(self, clinic, clinic_admin):
        _cfg, values, limits = current(clinic)
        values.update(retreatment_window_weeks=14)
        with pytest.raises(DomainError):
            settings_update.clinic_settings_update(
                clinic=clinic, by=clinic_admin, values=values, muscle_limits=limits
            )
        assert actions() == []
