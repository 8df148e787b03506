"""The re-treatment page with the diary: baseline, this cycle and the % change beside the
form; with the stop rule met (a 15% reduction after 2 cycles) re-treatment needs the
clinician's reason, then keeps it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.diary.factories import fill
from tests.journey import advance
from treatments import services
from treatments.models import Course, ResponseReview, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cycles(patient, clinician, nurse, lot, consent_form):
    """27 headache days at baseline; the second cycle at 23 a period (-15%)."""
    course = Course.objects.get(patient=patient)
    today = timezone.localdate()
    first = today - timedelta(weeks=22)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=first)
    first = course.sessions.get().session_date
    second = today - timedelta(weeks=11)
    services.retreatment_start(
        course=course,
        by=clinician,
        reviewed_on=second,
        notes="ok",
        now=timezone.make_aware(datetime.combine(second, datetime.min.time())),
    )
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=second)
    second = course.sessions.order_by("session_date").last().session_date
    fill(patient, first - timedelta(days=28), 27, hours=6)
    fill(patient, first - timedelta(days=1), 1, headache=False)
    days = (today - second).days + 1
    headache = round(23 * days / 28)
    fill(patient, second, headache, hours=6)
    fill(patient, second + timedelta(days=headache), days - headache, headache=False)
    return course


def test_page_shows_baseline_cycle_change_and_stop_rule(client_for, clinician, two_cycles):
    url = reverse("staff:retreatment", args=[two_cycles.patient.pk])
    page = client_for(clinician).get(url).content.decode()
    section = page[page.index('data-card="review-diary"') :]
    assert '<td data-figure="headache_days">27</td>' in section
    assert 'data-row="cycle"' in section and "Cycle 2" in section
    assert 'data-change="-1' in section  # about -15%
    assert 'data-flag="stop_rule" data-met="yes"' in section


def test_retreatment_with_the_stop_rule_met_needs_a_reason(client_for, clinician, two_cycles):
    client = client_for(clinician)
    url = reverse("staff:retreatment", args=[two_cycles.patient.pk])
    data = {"reviewed_on": timezone.localdate().isoformat(), "notes": "reviewed"}
    page = client.get(url).content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    refused = client.post(url, {**data, "form_token": token})
    assert refused.status_code == 400
    assert 'data-refusal="stop_rule_needs_reason"' in refused.content.decode()
    two_cycles.refresh_from_db()
    assert two_cycles.state == State.MAINTENANCE
    page = refused.content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    done = client.post(
        url, {**data, "form_token": token, "stop_rule_reason": "Far fewer severe days"}
    )
    assert done.status_code == 302
    review = ResponseReview.objects.filter(course=two_cycles).latest("id")
    assert review.stop_rule_met and review.stop_rule_reason == "Far fewer severe days"
