"""The re-treatment status on the staff pages at its edges when the window spans the October
clock change, read just after midnight in the clinic's time zone (when the UTC date is still
the day before): days 69, 70, 84 and 85 of the clinic's own calendar."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import PatientFactory
from tests.journey import advance
from treatments.models import Course, State

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
SESSION = date(2026, 8, 3)  # day 70 is 12 October (summer time), day 84 is 26 October (winter)


@pytest.fixture
def maintained(clinic, clinician, nurse, lot, consent_form, settings):
    settings.TIME_ZONE = "Europe/London"
    patient = PatientFactory(clinic=clinic, responsible_clinician=clinician)
    with time_machine.travel(datetime.combine(SESSION, time(12), tzinfo=LONDON)):
        lot.expiry_date = SESSION + timedelta(days=400)
        lot.save()
        advance(
            Course.objects.get(patient=patient),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
            start=SESSION,
        )
    return patient


@pytest.mark.parametrize(
    ("day", "kind"),
    [(69, "before_window"), (70, "window_open"), (84, "due"), (85, "overdue")],
)
@pytest.mark.parametrize("url", ["/patients/", "/schedules/"])
def test_the_status_turns_at_local_midnight_across_the_clock_change(
    maintained, client_for, nurse, day, kind, url
):
    after_midnight = datetime.combine(SESSION + timedelta(days=day), time(0, 20), tzinfo=LONDON)
    utc_day = after_midnight.astimezone(ZoneInfo("UTC")).date()
    assert utc_day < after_midnight.date() or day >= 84  # in summer time UTC is a day behind
    with time_machine.travel(after_midnight, tick=False):
        page = client_for(nurse).get(url).content.decode()
    (row,) = [
        r for r in re.findall(r"<tr.*?</tr>", page, re.S) if f"/patients/{maintained.pk}/" in r
    ]
    shown = re.findall(r'data-due="([a-z_]+)"', row)
    # The list marks only what needs doing; before the window it shows no badge.
    assert shown == ([] if url == "/patients/" and kind == "before_window" else [kind])
