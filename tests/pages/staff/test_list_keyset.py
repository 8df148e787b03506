"""The audit trail and the diary flags list page as the patient list does
(pages/staff/paging.keyset_page): by where a page starts, the filters kept in every link, the
last page reading what the first does; the audit CSV read in chunks the same way."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from botoxcare.audit import log_action
from botoxcare.models import AuditEvent
from pages.staff import audit
from tests.factories import PatientFactory
from tests.pages.staff.test_flagged import keeping

pytestmark = pytest.mark.django_db

AUDIT = reverse("staff:audit")
FLAGGED = reverse("staff:flagged")


def links(page: str) -> dict[str, str]:
    found = re.findall(r'<a href="(\?[^"]*)"[^>]*>([^<]*)</a>', page)
    return {text.strip("←→«» "): html.unescape(href) for href, text in found}


def queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def trail(clinic, clinician, nurse):
    patients = PatientFactory.create_batch(3, clinic=clinic)
    for i in range(130):
        log_action("patient.viewed", user=clinician if i % 2 else nurse, patient=patients[i % 3])
    return patients


def test_audit_pages_keep_the_filters_and_walk_every_event_once(
    client_for, clinic_admin, clinician, trail
):
    admin = client_for(clinic_admin)
    query = f"?member={clinician.pk}&action=patient.viewed"
    expected = list(
        AuditEvent.objects.filter(user=clinician, action="patient.viewed")
        .order_by("-at", "-id")
        .values_list("pk", flat=True)
    )
    seen, url = [], AUDIT + query
    for _ in range(5):
        response = admin.get(url)
        page = response.context["page"]
        seen += [row.event.pk for row in response.context["rows"]]
        found = links(response.content.decode())
        for link in found.values():
            if re.search(r"(after|before|last)=", link):
                assert f"member={clinician.pk}" in link and "action=patient.viewed" in link
        if not page.has_next:
            break
        url = AUDIT + page.next_link
    assert seen == expected and len(expected) == 65
    last = admin.get(AUDIT + query + "&last=1")
    assert [r.event.pk for r in last.context["rows"]] == expected[-50:]


def test_audit_last_page_reads_what_the_first_does(client_for, clinic_admin, trail):
    admin = client_for(clinic_admin)
    admin.get(AUDIT)
    first, last = queries(admin, AUDIT), queries(admin, AUDIT + "?last=1")
    assert len(first) == len(last)
    assert not any(" OFFSET " in q and " OFFSET 0" not in q for q in first + last)


def test_audit_csv_has_every_event_in_order_read_in_chunks(
    client_for, clinic_admin, trail, monkeypatch
):
    monkeypatch.setattr(audit, "EXPORT_CHUNK", 7)
    response = client_for(clinic_admin).get(reverse("staff:audit-export"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))[1:]
    events = AuditEvent.objects.filter(clinic=trail[0].clinic).exclude(action="audit.exported")
    assert len([r for r in lines if r[2] != "audit.exported"]) == events.count()
    assert [r[0] for r in lines] == sorted((r[0] for r in lines), reverse=True)


@pytest.fixture
def flagged(clinic, clinician):
    return [keeping(clinic, clinician, "sparse") for _ in range(28)]


def test_flagged_pages_keep_the_filters_and_the_last_reads_what_the_first_does(
    client_for, clinician, flagged, monkeypatch
):
    client = client_for(clinician)
    query = f"?flag=too_few_recorded&clinician={clinician.pk}"
    first = client.get(FLAGGED + query)
    page = first.context["page"]
    assert page.count == 28 and len(page.object_list) == 25 and page.has_next
    found = links(first.content.decode())
    assert found["Next"].startswith(f"?flag=too_few_recorded&clinician={clinician.pk}&after=")
    second = client.get(FLAGGED + page.next_link)
    shown = [r.patient_id for r in first.context["rows"] + second.context["rows"]]
    assert sorted(shown) == sorted(p.pk for p in flagged) and len(set(shown)) == 28
    client.get(FLAGGED + query)
    assert len(queries(client, FLAGGED + query)) == len(
        queries(client, FLAGGED + query + "&last=1")
    )
