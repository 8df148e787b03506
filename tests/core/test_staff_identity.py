"""The empty signed-in staff page (the bench's floor) makes four queries: the session, the
user, the two-factor device, and the staff profile with its clinic and the user's roles in one.
What those three used to answer apart stays true: the clinic, the roles, a profile removed or
a role taken away counting from the next request, and the session and two-factor limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path, reverse
from django.utils import timezone

from botoxcare.models import StaffProfile
from botoxcare.roles import Role, staff_required, user_roles
from botoxcare.staff_identity import staff_identity_load
from tests.conftest import verified
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@staff_required
def empty_page(request: HttpRequest) -> HttpResponse:
    """What every staff page pays and nothing else, as bench/run.py's /bench/floor."""
    return render(request, "base.html", {"clinic_name": request.clinic.name})


urlpatterns = [
    path("empty-staff-page/", empty_page),
    path("", include("botoxcare.urls")),
]
EMPTY = "/empty-staff-page/"


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = __name__


def test_the_empty_staff_page_is_four_queries(client_for, clinician, django_assert_num_queries):
    client = client_for(clinician)
    client.get(EMPTY)  # the first request of a session may write it
    with django_assert_num_queries(4):  # session, user, device, profile + clinic + roles
        response = client.get(EMPTY)
    assert response.status_code == 200
    assert response.context["clinic_name"] == clinician.staff_profile.clinic.name
    assert response.context["can"]["record_consultation"]  # the clinician's roles


def test_one_query_gives_the_profile_the_clinic_and_the_roles(clinic, django_assert_num_queries):
    user = make_staff(clinic, Role.NURSE)
    user.groups.add(Group.objects.get_or_create(name=Role.ADMIN.value)[0])
    fresh = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        profile = staff_identity_load(fresh)
        assert profile is not None and fresh.staff_profile is profile
        assert fresh.staff_profile.clinic == clinic
        assert user_roles(fresh) == {Role.NURSE, Role.ADMIN}
        assert staff_identity_load(fresh) is profile  # once a user object


def test_someone_without_a_profile_has_none_and_their_groups_still_count(clinic):
    operator = type(make_staff(clinic, Role.ADMIN)).objects.create_user("op", password="x" * 12)
    operator.groups.add(Group.objects.get_or_create(name=Role.CLINICIAN.value)[0])
    assert staff_identity_load(operator) is None
    assert not hasattr(operator, "staff_profile")
    assert user_roles(operator) == {Role.CLINICIAN}


def test_a_role_taken_away_counts_from_the_next_request(client_for, clinic):
    nurse = make_staff(clinic, Role.NURSE)
    client = client_for(nurse)
    assert client.get(EMPTY).context["can"]["record_consent"]
    nurse.groups.remove(Group.objects.get(name=Role.NURSE.value))
    assert not client.get(EMPTY).context["can"]["record_consent"]


def test_a_removed_profile_is_a_404_on_the_next_request(client_for, clinician):
    client = client_for(clinician)
    assert client.get(EMPTY).status_code == 200
    StaffProfile.objects.filter(user=clinician).delete()
    assert client.get(EMPTY).status_code == 404


def test_staff_still_need_their_code_and_keep_the_staff_session_limits(client, clinician):
    client.force_login(clinician)  # signed in, no code entered in this session
    response = client.get(EMPTY)
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor:verify"))
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        verified(client, clinician)
        assert client.get(EMPTY).status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):  # staff: 30 idle
        response = client.get(EMPTY)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
