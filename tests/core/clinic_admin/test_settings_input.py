"""A clinic setting no clinic could mean (a consent valid for two thousand million days) is
refused on its field, on SQLite as on PostgreSQL, rather than stored to overflow every date
computed from it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from botoxcare.models import ClinicSettings

from .test_settings import post_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["consent_valid_days", "booking_horizon_days", "max_total_units"])
def test_a_number_past_any_column_is_refused(client_for, clinic, clinic_admin, name):
    client = client_for(clinic_admin)
    before = getattr(ClinicSettings.objects.get(clinic=clinic), name)
    response = client.post(
        reverse("clinic_admin:settings"), post_data(client, **{name: "2000000000"})
    )
    assert response.status_code == 400
    assert 'data-refusal="max_value"' in response.content.decode()
    assert getattr(ClinicSettings.objects.get(clinic=clinic), name) == before
