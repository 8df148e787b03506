"""A clinician's working days and hours, set by the clinic admin: they bound the calendar's
free time; a day ending before it starts is refused; another clinic's member is a 404."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from botoxcare.clinic_admin.hours import staff_hours_change
from botoxcare.clinic_admin.reasons import AdminReason
from botoxcare.errors import DomainError
from botoxcare.roles import Role
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def hours_url(member):
    return reverse("clinic_admin:staff-hours", args=[member.pk])


def test_the_admin_sets_a_clinicians_days_and_hours(client_for, clinic_admin, clinician):
    page = client_for(clinic_admin).get(reverse("clinic_admin:staff-member", args=[clinician.pk]))
    assert "Empty: the clinic&#x27;s day, from 08:30." in page.content.decode()
    response = client_for(clinic_admin).post(
        hours_url(clinician), {"days": ["3", "1"], "work_starts": "09:00", "work_ends": "13:00"}
    )
    assert response.status_code == 302
    profile = clinician.staff_profile
    profile.refresh_from_db()
    assert (profile.work_days, profile.work_starts, profile.work_ends) == (
        [1, 3],
        time(9),
        time(13),
    )


def test_empty_hours_are_the_clinics_day(clinic, clinic_admin, clinician):
    from datetime import date

    profile = staff_hours_change(
        member=clinician, by=clinic_admin, clinic=clinic, days=[2], starts=None, ends=None
    )
    assert profile.hours_on(date(2026, 12, 8), clinic.settings) == (time(8, 30), time(17))
    assert profile.hours_on(date(2026, 12, 9), clinic.settings) is None


def test_a_day_ending_before_it_starts_is_refused_and_nothing_changes(
    client_for, clinic_admin, clinician
):
    response = client_for(clinic_admin).post(
        hours_url(clinician), {"days": ["1"], "work_starts": "18:00", "work_ends": ""}
    )
    assert response.status_code == 400
    assert f'data-refusal="{AdminReason.HOURS_END_BEFORE_START}"' in response.content.decode()
    clinician.staff_profile.refresh_from_db()
    assert clinician.staff_profile.work_days == [1, 2, 3, 4, 5]


def test_only_a_clinic_admin_sets_hours(clinic, receptionist, clinician):
    with pytest.raises(PermissionDenied):
        staff_hours_change(
            member=clinician, by=receptionist, clinic=clinic, days=[], starts=None, ends=None
        )
    with pytest.raises(DomainError):
        staff_hours_change(
            member=clinician,
            by=make_staff(clinic, Role.ADMIN),
            clinic=clinic,
            days=[1],
            starts=time(12),
            ends=time(11),
        )


def test_another_clinics_member_is_a_404(client_for, clinic_admin, other_clinic):
    stranger = make_staff(other_clinic, Role.CLINICIAN)
    response = client_for(clinic_admin).post(hours_url(stranger), {"days": ["1"]})
    assert response.status_code == 404
    stranger.staff_profile.refresh_from_db()
    assert stranger.staff_profile.work_days == [1, 2, 3, 4, 5]
