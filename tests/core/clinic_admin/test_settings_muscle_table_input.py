"""A muscle table with a row missing a cell (saved without a muscle's fixed sites, say) is
refused by the settings rules; one stored before the rule breaks neither the settings page nor
the injection form."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from botoxcare.clinic_admin import services
from botoxcare.clinic_admin.muscles import muscle_limit_refusals
from botoxcare.clinic_admin.reasons import AdminReason
from botoxcare.errors import DomainError
from botoxcare.models import ClinicSettings, ClinicSettingsChange, default_muscle_limits
from tests.journey import advance
from tests.web import injection_post
from treatments.models import InjectionSession, State

pytestmark = pytest.mark.django_db


def without(limits, muscle, column):
    table = {m: dict(row) for m, row in limits.items()}
    del table[muscle][column]
    return table


def test_a_row_without_a_cell_is_refused_on_that_cell():
    table = without(default_muscle_limits(), "temporalis", "fixed_sites")
    table["occipitalis"]["max_units"] = "30"  # not a whole number either
    refusals = muscle_limit_refusals(
        table, units_per_site=5, max_total_units=195, muscles=set(table)
    )
    assert sorted((r.code, r.field) for r in refusals) == [
        (AdminReason.MUSCLE_CELL_MISSING, "muscle_limits.occipitalis.max_units"),
        (AdminReason.MUSCLE_CELL_MISSING, "muscle_limits.temporalis.fixed_sites"),
    ]


def test_the_settings_service_refuses_an_incomplete_table_and_changes_nothing(clinic, clinic_admin):
    cfg = ClinicSettings.objects.get(clinic=clinic)
    values = {name: getattr(cfg, name) for name in ("max_total_units",)}
    with pytest.raises(DomainError) as refused:
        services.clinic_settings_update(
            clinic=clinic,
            by=clinic_admin,
            values=values,
            muscle_limits=without(cfg.muscle_limits, "temporalis", "fixed_sites"),
        )
    assert AdminReason.MUSCLE_CELL_MISSING in refused.value.codes
    cfg.refresh_from_db()
    assert "fixed_sites" in cfg.muscle_limits["temporalis"]
    assert not ClinicSettingsChange.objects.exists()


def store_bad_table(clinic):
    cfg = ClinicSettings.objects.get(clinic=clinic)
    cfg.muscle_limits = without(cfg.muscle_limits, "temporalis", "fixed_sites")
    cfg.save(update_fields=["muscle_limits"])


def test_a_stored_incomplete_table_does_not_break_the_settings_page(
    client_for, clinic, clinic_admin
):
    store_bad_table(clinic)
    assert client_for(clinic_admin).get(reverse("clinic_admin:settings")).status_code == 200


def test_a_stored_incomplete_table_does_not_break_the_injection_form(
    client_for, clinic, patient, clinician, nurse, consent_form, lot
):
    advance(patient.courses.get(), State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    store_bad_table(clinic)
    client = client_for(clinician)
    url = reverse("treatments:injection", args=[patient.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'data-refusal="muscle_table_incomplete"' in page.content.decode()
    response = client.post(url, injection_post(lot, timezone.localdate()))
    assert response.status_code == 400
    assert 'data-refusal="muscle_table_incomplete"' in response.content.decode()
    assert not InjectionSession.objects.exists()
