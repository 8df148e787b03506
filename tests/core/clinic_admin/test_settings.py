"""The clinic's settings as a form: the model's checks and the muscle table's, by code; the
change history written with the save; the page."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from botoxcare.clinic_admin import services
from botoxcare.clinic_admin.forms import ClinicSettingsForm
from botoxcare.clinic_admin.muscles import muscle_limit_refusals
from botoxcare.clinic_admin.reasons import AdminReason
from botoxcare.clinic_admin.settings_fields import GROUPS, SETTINGS_FIELDS
from botoxcare.errors import DomainError
from botoxcare.models import ClinicSettings, ClinicSettingsChange, default_muscle_limits

pytestmark = pytest.mark.django_db


def current(clinic):
    cfg = ClinicSettings.objects.get(clinic=clinic)
    return cfg, ClinicSettingsForm.initial_from(cfg), cfg.muscle_limits


def codes(refusals):
    return sorted(r.code for r in refusals)


def test_every_editable_setting_is_in_one_group():
    editable = {
        f.name
        for f in ClinicSettings._meta.get_fields()
        if f.concrete and f.editable and f.name not in ("id", "clinic", "muscle_limits")
    }
    assert sorted(SETTINGS_FIELDS) == sorted(editable)
    assert len(SETTINGS_FIELDS) == len(set(SETTINGS_FIELDS)) and len(GROUPS) >= 8


def test_the_protocols_table_is_valid():
    limits = default_muscle_limits()
    assert (
        muscle_limit_refusals(limits, units_per_site=5, max_total_units=195, muscles=set(limits))
        == []
    )


def test_the_muscle_table_rules():
    limits = default_muscle_limits()
    limits["temporalis"]["fixed_units"] = 42  # not whole sites
    limits["trapezius"].update(fixed_units=60, fixed_sites=12)  # above the maximum
    limits["procerus"]["label"] = " "
    refusals = muscle_limit_refusals(
        limits, units_per_site=5, max_total_units=150, muscles=set(limits)
    )
    assert codes(refusals) == sorted(
        [
            AdminReason.MUSCLE_UNITS_NOT_SITES,
            AdminReason.MUSCLE_FIXED_ABOVE_MAX,
            AdminReason.MUSCLE_FIXED_ABOVE_MAX,
            AdminReason.MUSCLE_LABEL_MISSING,
            AdminReason.TOTAL_BELOW_FIXED,
        ]
    )
    fields = {r.field for r in refusals}
    assert "muscle_limits.temporalis.fixed_units" in fields and "max_total_units" in fields
    dropped = default_muscle_limits()
    del dropped["procerus"]
    assert codes(
        muscle_limit_refusals(dropped, units_per_site=5, max_total_units=195, muscles=set(limits))
    ) == [AdminReason.MUSCLES_CHANGED]


def test_a_change_writes_its_history_in_the_same_save(clinic, clinic_admin):
    cfg, values, limits = current(clinic)
    values.update(retreatment_due_weeks=13, reminder_time=time(8, 30))
    limits["temporalis"].update(max_units=45, max_sites=9)
    changes = services.clinic_settings_update(
        clinic=clinic, by=clinic_admin, values=values, muscle_limits=limits
    )
    cfg.refresh_from_db()
    assert cfg.retreatment_due_weeks == 13 and cfg.muscle_limits["temporalis"]["max_units"] == 45
    rows = {
        (c.field, c.old_value, c.new_value, c.changed_by_id)
        for c in ClinicSettingsChange.objects.filter(clinic=clinic)
    }
    assert rows == {
        ("retreatment_due_weeks", "12", "13", clinic_admin.pk),
        ("reminder_time", "09:00", "08:30", clinic_admin.pk),
        ("muscle_limits.temporalis.max_units", "50", "45", clinic_admin.pk),
        ("muscle_limits.temporalis.max_sites", "10", "9", clinic_admin.pk),
    }
    assert len(changes) == 4
    # Saving the same values again changes nothing and writes nothing.
    assert (
        services.clinic_settings_update(
            clinic=clinic, by=clinic_admin, values=values, muscle_limits=limits
        )
        == []
    )
    assert ClinicSettingsChange.objects.count() == 4


def test_refused_settings_change_nothing(clinic, clinic_admin):
    cfg, values, limits = current(clinic)
    values.update(retreatment_window_weeks=14, chronic_migraine_days=20, max_total_units=100)
    with pytest.raises(DomainError) as caught:
        services.clinic_settings_update(
            clinic=clinic, by=clinic_admin, values=values, muscle_limits=limits
        )
    assert sorted(caught.value.codes) == sorted(
        ["window_after_due", "migraine_above_headache", AdminReason.TOTAL_BELOW_FIXED]
    )
    cfg.refresh_from_db()
    assert cfg.retreatment_window_weeks == 10 and cfg.max_total_units == 195
    assert not ClinicSettingsChange.objects.exists()


def test_the_settings_page_shows_defaults_table_and_history(client_for, clinic, clinic_admin):
    client = client_for(clinic_admin)
    page = client.get(reverse("clinic_admin:settings")).content.decode()
    assert 'data-default-for="retreatment_due_weeks">Default: 12' in page
    assert 'name="muscles-3-max_units"' in page and 'value="Temporalis (bilateral)"' in page
    assert '"fixed_units"' not in page  # never raw JSON
    data = post_data(client, retreatment_due_weeks="14")
    data["aftercare_instructions"] = data["aftercare_instructions"].replace("\n", "\r\n")
    data["muscles-3-max_units"] = "45"
    data["muscles-3-max_sites"] = "9"
    response = client.post(reverse("clinic_admin:settings"), data, follow=True)
    text = response.content.decode()
    assert "Settings saved (3 changed)" in text
    assert 'data-field="muscle_limits.temporalis.max_units"' in text
    assert "Temporalis (bilateral): maximum units" in text


def test_bad_settings_show_codes_on_fields_and_cells_and_keep_the_input(
    client_for, clinic, clinic_admin
):
    client = client_for(clinic_admin)
    data = post_data(client, retreatment_window_weeks="13", reminder_sender="Dr Who clinic")
    data["muscles-3-fixed_units"] = "42"
    response = client.post(reverse("clinic_admin:settings"), data)
    text = response.content.decode()
    assert response.status_code == 400
    assert 'data-refusal="window_after_due"' in text
    assert 'data-refusal="muscle_units_not_sites"' in text
    assert 'value="Dr Who clinic"' in text and 'value="42"' in text
    assert ClinicSettings.objects.get(clinic=clinic).retreatment_window_weeks == 10
    typo = client.post(reverse("clinic_admin:settings"), {**data, "muscles-3-fixed_units": "x"})
    assert typo.status_code == 400


def post_data(client, **overrides):
    """The form as the page fills it, with `overrides`."""
    page = client.get(reverse("clinic_admin:settings"))
    form, formset = page.context["form"], page.context["formset"]
    data = {
        name: field.widget.format_value(form.initial.get(name)) or ""
        for name, field in form.fields.items()
    }
    for key, value in formset.management_form.initial.items():
        data[f"muscles-{key}"] = value
    for i, sub in enumerate(formset.forms):
        for name in sub.fields:
            data[f"muscles-{i}-{name}"] = sub.initial[name]
    data.update(overrides)
    return data


def test_a_clinic_day_ending_before_a_members_own_start_is_refused(clinic, clinic_admin):
    from botoxcare.roles import Role
    from tests.factories import make_staff

    afternoons = make_staff(clinic, Role.CLINICIAN)
    afternoons.staff_profile.work_starts = time(13, 0)
    afternoons.staff_profile.save()
    cfg, values, limits = current(clinic)
    values.update(day_ends=time(12, 0))
    with pytest.raises(DomainError) as caught:
        services.clinic_settings_update(
            clinic=clinic, by=clinic_admin, values=values, muscle_limits=limits
        )
    assert caught.value.codes == [AdminReason.HOURS_END_BEFORE_START]
    assert caught.value.refusals[0].field == "day_ends"
    cfg.refresh_from_db()
    assert cfg.day_ends == time(17, 0)
    values.update(day_ends=time(14, 0))  # still after their start: saved
    services.clinic_settings_update(
        clinic=clinic, by=clinic_admin, values=values, muscle_limits=limits
    )
    cfg.refresh_from_db()
    assert cfg.day_ends == time(14, 0)
