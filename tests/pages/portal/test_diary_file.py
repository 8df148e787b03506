"""The diary as a file in the portal: the export, and the import with an error per bad row."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from botoxcare.models import AuditEvent
from diary.models import DiaryEntry
from tests.diary.services.writers import patient_with_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(clinic):
    return patient_with_login(clinic)


@pytest.fixture
def client(me, client_for):
    return client_for(me.user)


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("diary.csv", text.encode(), content_type="text/csv")


def iso(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def test_the_export_reads_back_in(client, me):
    client.post(reverse("portal:diary-day", args=[iso(3)]), {"headache": "yes", "note": "-3"})
    client.post(reverse("portal:diary-day", args=[iso(2)]), {"headache": "no"})
    exported = client.get(reverse("portal:diary-export"))
    assert AuditEvent.objects.filter(action="diary.downloaded", patient_id=me.pk).exists()
    text = exported.getvalue().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r[:2] for r in rows[1:]] == [[iso(3), "yes"], [iso(2), "no"]]
    assert rows[1][-1] == "'-3"
    DiaryEntry.objects.all().delete()
    response = client.post(reverse("portal:diary-import"), {"file": upload(text)})
    assert response.status_code == 302
    assert DiaryEntry.objects.get(day=iso(3)).note == "-3"


def test_each_bad_row_is_shown_and_nothing_is_imported(client, me):
    text = f"day,headache\n{iso(1)},yes\n{iso(-2)},no\n{iso(2)},perhaps\n"
    response = client.post(reverse("portal:diary-import"), {"file": upload(text)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-row="Row 3"' in html and 'data-refusal="day_in_future"' in html
    assert 'data-row="Row 4"' in html and 'data-refusal="import_row_invalid"' in html
    assert 'data-row="Row 2"' not in html
    assert not DiaryEntry.objects.exists()


def test_a_file_that_is_not_text_is_refused(client):
    response = client.post(
        reverse("portal:diary-import"), {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00")}
    )
    assert response.status_code == 400
    assert 'data-refusal="import_not_utf8"' in response.content.decode()
