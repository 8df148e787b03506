"""The consultation starts from the diary's last period when the patient kept one before
their first session, and records whether those figures were kept; how long the pattern has
lasted is recorded too."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diary.models import DiaryEntry
from treatments.models import Consultation

pytestmark = pytest.mark.django_db

URL = "staff:consultation"


def keep(patient, *, recorded: int, headache: int, migraine: int) -> None:
    """The last `recorded` days before today: `headache` of them with headache, the first
    `migraine` of those throbbing and one-sided with nausea."""
    today = timezone.localdate()
    for n in range(1, recorded + 1):
        ache = n <= headache
        DiaryEntry.objects.create(
            patient=patient,
            day=today - timedelta(days=n),
            headache=ache,
            duration_hours=8 if ache else None,
            severity="moderate" if ache else "",
            throbbing=n <= migraine,
            one_sided=n <= migraine,
            nausea=n <= migraine,
            entered_by=patient.responsible_clinician,
            on_behalf=True,
        )


def post_data(**changes):
    data = {
        "seen_on": timezone.localdate().isoformat(),
        "history": "Daily headache for two years.",
        "previous_preventives": "Three tried.",
        "failed_preventives_count": "3",
        "headache_days_per_month": "16",
        "migraine_days_per_month": "9",
        "pattern_months": "24",
        "chronic_migraine_confirmed": "on",
        "medication_overuse": "none",
        "benefits_risks_discussed": "on",
        "decision": "proceed",
    }
    data.update(changes)
    return data


def test_the_form_starts_from_the_diary_and_the_record_says_it_kept_them(
    client_for, clinician, patient
):
    keep(patient, recorded=27, headache=16, migraine=9)
    client = client_for(clinician)
    page = client.get(reverse(URL, args=[patient.pk])).content.decode()
    assert 'data-diary="used"' in page
    assert 'name="headache_days_per_month" value="16"' in page
    assert 'name="migraine_days_per_month" value="9"' in page
    response = client.post(reverse(URL, args=[patient.pk]), post_data())
    assert response.status_code == 302
    recorded = Consultation.objects.get(course__patient=patient)
    assert recorded.figures_from_diary is True
    assert recorded.pattern_months == 24


def test_figures_typed_over_the_diarys_are_recorded_as_typed(client_for, clinician, patient):
    keep(patient, recorded=27, headache=16, migraine=9)
    client = client_for(clinician)
    client.post(reverse(URL, args=[patient.pk]), post_data(headache_days_per_month="18"))
    recorded = Consultation.objects.get(course__patient=patient)
    assert (recorded.headache_days_per_month, recorded.figures_from_diary) == (18, False)


def test_with_too_few_days_the_diary_gives_no_figures(client_for, clinician, patient):
    keep(patient, recorded=10, headache=8, migraine=5)
    page = client_for(clinician).get(reverse(URL, args=[patient.pk])).content.decode()
    assert 'data-diary="not-used"' in page
    assert 'name="headache_days_per_month" value=' not in page


def test_only_the_clinician_opens_it(client_for, nurse, patient):
    assert client_for(nurse).get(reverse(URL, args=[patient.pk])).status_code == 403
