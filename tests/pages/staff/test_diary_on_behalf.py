"""Staff and the patient's diary: a day entered on the patient's behalf, marked; the link
only for the roles that may; the CSV; another clinic's patient out of reach."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from botoxcare.models import AuditEvent
from diary.models import AcuteMedicine, DiaryEntry
from tests.diary.services.writers import patient_with_login
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(clinic):
    return patient_with_login(clinic)


def day_url(patient, day=None) -> str:
    return reverse("staff:diary-day", args=[patient.pk, (day or timezone.localdate()).isoformat()])


def test_the_patient_page_links_the_diary_for_clinicians_and_nurses_only(
    me, client_for, clinician, nurse, receptionist
):
    url = reverse("staff:patient", args=[me.pk])
    for user in (clinician, nurse):
        assert 'data-action="enter-diary"' in client_for(user).get(url).content.decode()
    assert "Enter diary for the patient" not in client_for(receptionist).get(url).content.decode()


def test_a_nurse_enters_a_day_marked_on_behalf(me, client_for, nurse):
    client = client_for(nurse)
    page = client.get(day_url(me))
    assert page.status_code == 200 and 'data-on-behalf="yes"' in page.content.decode()
    assert AuditEvent.objects.filter(action="diary.viewed", patient_id=me.pk).exists()
    response = client.post(day_url(me), {"headache": "yes", "severity": "moderate"})
    assert response.status_code == 302
    entry = DiaryEntry.objects.get(patient=me)
    assert entry.on_behalf is True and entry.entered_by == nurse
    assert (
        "entered by the clinic" in client_for(me.user).get(reverse("portal:diary")).content.decode()
    )


def test_a_receptionist_may_not(me, client_for, receptionist):
    client = client_for(receptionist)
    assert client.get(day_url(me)).status_code == 403
    assert client.post(day_url(me), {"headache": "no"}).status_code == 403
    assert not DiaryEntry.objects.exists()


def test_another_clinics_patient_is_404(client_for, clinician, other_clinic):
    theirs = PatientFactory(clinic=other_clinic)
    client = client_for(clinician)
    assert client.get(day_url(theirs)).status_code == 404
    assert client.get(reverse("staff:diary-export", args=[theirs.pk])).status_code == 404


def test_the_export_has_the_days_neutralised_and_is_audited(me, client_for, clinician):
    medicine = AcuteMedicine.objects.create(
        patient=me, name="Sumatriptan", medicine_class="triptan"
    )
    today = timezone.localdate()
    DiaryEntry.objects.create(
        patient=me,
        day=today,
        headache=True,
        severity="severe",
        throbbing=True,
        nausea=True,
        duration_hours=4,
        note="=HYPERLINK(1)",
        entered_by=me.user,
    ).medicines.create(medicine=medicine, doses=2)
    response = client_for(clinician).get(reverse("staff:diary-export", args=[me.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:2] == ["day", "headache"]
    assert rows[1] == [
        today.isoformat(),
        "yes",
        "",
        "4.0",
        "severe",
        "",
        "throbbing;nausea",
        "Sumatriptan:2",
        "",
        "'=HYPERLINK(1)",
    ]
    assert AuditEvent.objects.filter(action="diary.downloaded", patient_id=me.pk).exists()


def test_a_nurse_adds_a_medicine_to_the_patients_list_from_the_day_page(me, client_for, nurse):
    client = client_for(nurse)
    page = client.get(day_url(me)).content.decode()
    add = reverse("staff:diary-medicine-add", args=[me.pk])
    assert f'action="{add}"' in page
    response = client.post(
        add, {"name": "Rizatriptan 10 mg", "medicine_class": "triptan", "next": day_url(me)}
    )
    assert response.status_code == 302 and response["Location"] == day_url(me)
    assert AcuteMedicine.objects.get(patient=me).name == "Rizatriptan 10 mg"
    assert "Rizatriptan 10 mg: doses taken" in client.get(day_url(me)).content.decode()


def test_a_receptionist_may_not_add_a_medicine(me, client_for, receptionist):
    add = reverse("staff:diary-medicine-add", args=[me.pk])
    response = client_for(receptionist).post(add, {"name": "X", "medicine_class": "other"})
    assert response.status_code == 403
    assert not AcuteMedicine.objects.exists()
