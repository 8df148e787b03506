"""The HTTP bench's URLconf (bench/urls.py, used by bench/settings.py): /bench/floor is the
empty staff page, for staff signed in only; the project's URLs behind it."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


def test_the_floor_is_an_empty_staff_page(client_for, clinician):
    answer = client_for(clinician).get("/bench/floor")
    assert answer.status_code == 200
    assert b"<html" in answer.content


def test_the_floor_wants_a_signed_in_staff_member():
    answer = Client().get("/bench/floor")
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]


def test_the_projects_urls_are_behind_it(client_for, clinician):
    assert client_for(clinician).get("/patients/").status_code == 200


def test_bench_settings_use_it():
    from bench import settings

    assert settings.ROOT_URLCONF == "bench.urls"
