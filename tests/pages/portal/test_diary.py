"""The patient's diary in the portal: one tap, a day's form, the missing days in one post,
the edit window, medicines, and another patient's records out of reach."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from botoxcare.models import AuditEvent
from diary.models import AcuteMedicine, DiaryAmendment, DiaryEntry
from tests.diary.services.writers import patient_with_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(clinic):
    return patient_with_login(clinic)


@pytest.fixture
def client(me, client_for):
    return client_for(me.user)


def token(page) -> str:
    found = re.search(r'name="form_token" value="([0-9a-f]{32})"', page.content.decode())
    assert found, "the form has no token"
    return found.group(1)


def iso(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def test_the_diary_page_offers_the_one_tap_and_writes_an_audit_event(client, me):
    page = client.get(reverse("portal:diary"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-action="no-headache"' in html and 'data-missing="14"' in html
    assert AuditEvent.objects.filter(action="diary.viewed", patient_id=me.pk).exists()


def test_no_headache_today_in_one_tap_once(client, me):
    page = client.get(reverse("portal:diary"))
    post = {"form_token": token(page)}
    first = client.post(reverse("portal:diary-no-headache"), post)
    again = client.post(reverse("portal:diary-no-headache"), post)
    assert first.status_code == again.status_code == 302
    entry = DiaryEntry.objects.get(patient=me)
    assert (entry.day, entry.headache, entry.on_behalf) == (timezone.localdate(), False, False)
    assert 'data-today="no-headache"' in client.get(reverse("portal:diary")).content.decode()


def test_a_day_with_a_headache_and_its_medicines(client, me):
    medicine = AcuteMedicine.objects.create(
        patient=me, name="Sumatriptan", medicine_class="triptan"
    )
    url = reverse("portal:diary-day", args=[iso(1)])
    page = client.get(url)
    html = page.content.decode()
    for label in ("How many hours did it last?", "Throbbing or pulsing", "Sumatriptan: doses"):
        assert label in html
    response = client.post(
        url,
        {
            "form_token": token(page),
            "headache": "yes",
            "started_at": "07:30",
            "duration_hours": "6",
            "severity": "severe",
            "pain_score": "8",
            "features": ["throbbing", "nausea"],
            f"dose_{medicine.pk}": "2",
            "activity_effect": "missed",
            "note": "Stayed home",
        },
    )
    assert response.status_code == 302
    entry = DiaryEntry.objects.get(patient=me)
    assert entry.severity == "severe" and entry.throbbing and entry.nausea
    assert entry.medicines.get().doses == 2


def test_a_future_day_is_refused_with_its_code(client, me):
    url = reverse("portal:diary-day", args=[iso(-1)])
    page = client.get(url)
    assert 'data-refusal="day_in_future"' in page.content.decode()
    client.post(url, {"headache": "no"})
    assert not DiaryEntry.objects.exists()


def test_a_bad_figure_is_shown_on_its_field(client):
    response = client.post(
        reverse("portal:diary-day", args=[iso(0)]), {"headache": "yes", "duration_hours": "30"}
    )
    assert response.status_code == 400
    assert not DiaryEntry.objects.exists()


@pytest.mark.parametrize("bad", ["yesterday", "2026-02-30", "2026-1-1"])
def test_a_day_the_address_cannot_name_is_404(client, bad):
    assert client.get(f"/portal/diary/day/{bad}/").status_code == 404


def test_day_8_asks_for_a_reason_and_keeps_the_original(client, me):
    url = reverse("portal:diary-day", args=[iso(8)])
    client.post(url, {"headache": "yes", "severity": "mild"})
    page = client.get(url)
    assert 'data-amendment="needed"' in page.content.decode()
    refused = client.post(url, {"headache": "no"})
    assert 'data-refusal="amendment_needs_reason"' in refused.content.decode()
    assert DiaryEntry.objects.get().headache is True
    client.post(url, {"headache": "no", "reason": "It was the day before"})
    assert DiaryEntry.objects.get().headache is False
    assert DiaryAmendment.objects.get().before["severity"] == "mild"


def test_day_7_changes_without_a_reason(client, me):
    url = reverse("portal:diary-day", args=[iso(7)])
    client.post(url, {"headache": "yes"})
    assert 'name="reason"' not in client.get(url).content.decode()
    client.post(url, {"headache": "no"})
    assert DiaryEntry.objects.get().headache is False and not DiaryAmendment.objects.exists()


def test_fourteen_missing_days_in_one_post(client, me):
    page = client.get(reverse("portal:diary-missing"))
    html = page.content.decode()
    assert html.count('data-day="') == 14
    answers = {f"d_{iso(n)}": "yes" if n % 2 else "no" for n in range(14)}
    response = client.post(reverse("portal:diary-missing"), {"form_token": token(page), **answers})
    assert response.status_code == 302
    assert DiaryEntry.objects.filter(patient=me).count() == 14
    assert DiaryEntry.objects.filter(patient=me, headache=True).count() == 7
    assert (
        'data-empty="none-missing"' in client.get(reverse("portal:diary-missing")).content.decode()
    )


def test_medicines_are_added_and_stopped(client, me):
    client.post(
        reverse("portal:diary-medicine-add"),
        {"name": "Ibuprofen 400 mg", "medicine_class": "simple"},
    )
    medicine = AcuteMedicine.objects.get(patient=me)
    again = client.post(
        reverse("portal:diary-medicine-add"),
        {"name": "ibuprofen 400 mg", "medicine_class": "simple"},
        follow=True,
    )
    assert 'data-refusal="medicine_name_taken"' in again.content.decode()
    client.post(reverse("portal:diary-medicine-stop", args=[medicine.pk]))
    medicine.refresh_from_db()
    assert medicine.active is False


def test_another_patients_medicine_is_404(client, clinic):
    other = patient_with_login(clinic, "other-diarist")
    theirs = AcuteMedicine.objects.create(patient=other, name="Codeine", medicine_class="opioid")
    assert client.post(reverse("portal:diary-medicine-stop", args=[theirs.pk])).status_code == 404
    assert AcuteMedicine.objects.get(pk=theirs.pk).active


def test_each_patient_sees_only_their_own_days(client, clinic, client_for):
    other = patient_with_login(clinic, "other-diarist")
    client_for(other.user).post(reverse("portal:diary-day", args=[iso(2)]), {"headache": "yes"})
    page = client.get(reverse("portal:diary")).content.decode()
    assert f'data-day="{iso(2)}"' not in page
    assert client.get(reverse("portal:diary-export")).getvalue().decode().count("\n") == 1


def test_staff_have_no_portal_diary(client_for, nurse):
    assert client_for(nurse).get(reverse("portal:diary")).status_code == 404


def test_the_portal_home_links_the_diary(client):
    assert 'data-cta="diary"' in client.get(reverse("portal:home")).content.decode()
