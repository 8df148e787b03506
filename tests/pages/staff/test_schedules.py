"""The follow-up schedules page: statuses at the window's edges, filters, counts, sorting,
the actions (one row or several), the admins' failed reminders, and its query count."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from botoxcare.roles import Role
from patients.models import ContactAttempt, Patient
from tests.conftest import CLINICAL_WORDS
from tests.factories import PatientFactory, make_staff
from tests.journey import advance
from treatments import services
from treatments.models import MAX_ATTEMPTS, Course, Reminder, ReminderKind, State

pytestmark = pytest.mark.django_db

URL = "/schedules/"


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture
def walk(clinic, clinician, nurse, lot, consent_form):
    """A patient of the clinic walked to maintenance with their session on `session_on`."""

    def make(session_on: date, *, to: str = State.MAINTENANCE, **patient) -> Patient:
        p = PatientFactory(clinic=clinic, responsible_clinician=clinician, **patient)
        course = Course.objects.get(patient=p)
        advance(course, to, clinician=clinician, nurse=nurse, lot=lot, start=session_on)
        services.reminder_sweep()  # reminders already due went out, as beat would have sent them
        return p

    return make


def shown(client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


# Day after the session -> (label, in "window open, not booked", due in 7 days, overdue)
EDGES = {
    69: ("before_window", False, False, False),
    70: ("window_open", True, False, False),
    77: ("window_open", True, False, False),
    78: ("window_open", True, True, False),
    84: ("due", False, True, False),
    85: ("overdue", False, False, True),
}


@pytest.mark.parametrize("day", sorted(EDGES))
def test_status_and_filters_at_the_window_edges(walk, client_for, nurse, day):
    session_on = date(2026, 3, 2)
    p = walk(session_on)
    kind, open_unbooked, this_week, overdue = EDGES[day]
    with time_machine.travel(noon(session_on + timedelta(days=day)), tick=False):
        client = client_for(nurse)
        page = shown(client)
        assert f'data-due="{kind}"' in page
        for status, expected in [
            ("open_not_booked", open_unbooked),
            ("due_this_week", this_week),
            ("overdue", overdue),
            ("unreachable", False),
        ]:
            assert (f'data-patient="{p.pk}"' in shown(client, f"?status={status}")) is expected
            assert f'data-count="{status}"><a href="?status={status}"><strong>{int(expected)}' in (
                page
            ), status
    if day == 85:
        assert "overdue by 1 day<" in page


def test_counts_cover_the_clinic_in_one_query(walk, client_for, clinician, other_clinic, settings):
    today = timezone.localdate()
    walk(today - timedelta(days=30))  # before the window
    walk(today - timedelta(days=75))  # window open, follow-up long past: not booked
    walk(today - timedelta(days=84))  # due today
    walk(today - timedelta(days=100), email="")  # overdue; unreachable once texts are off
    walk(today - timedelta(days=3), to=State.POST_CARE)  # post-care follow-up pending
    PatientFactory(clinic=clinic_of(clinician))  # at step 1: not on the page
    PatientFactory(clinic=other_clinic)
    settings.SMS_BACKEND = "botoxcare.messaging.DisabledSMSBackend"
    from pages.staff.schedules.kept import schedule_counts

    with CaptureQueriesContext(connection) as ctx:
        counts = schedule_counts(clinic=clinic_of(clinician), today=today, now=timezone.now())
    assert len(ctx.captured_queries) == 1
    assert (counts.total, counts.before_window, counts.window_open, counts.due_today) == (
        5,
        2,
        1,
        1,
    )
    assert (counts.overdue, counts.open_not_booked, counts.due_this_week) == (1, 1, 1)
    assert counts.unreachable == 1


def clinic_of(user):
    return user.staff_profile.clinic


def test_filter_by_clinician_and_sort(walk, client_for, clinic, receptionist):
    today = timezone.localdate()
    early = walk(today - timedelta(days=90), last_name="Zed")
    late = walk(today - timedelta(days=72), last_name="Abbot")
    other = make_staff(clinic, Role.CLINICIAN)
    Patient.objects.filter(pk=late.pk).update(responsible_clinician=other)
    client = client_for(receptionist)
    page = shown(client)
    assert page.index(f'data-patient="{early.pk}"') < page.index(f'data-patient="{late.pk}"')
    page = shown(client, "?sort=name")
    assert page.index(f'data-patient="{late.pk}"') < page.index(f'data-patient="{early.pk}"')
    page = shown(client, f"?clinician={other.pk}")
    assert f'data-patient="{late.pk}"' in page and f'data-patient="{early.pk}"' not in page
    assert f'href="?status=overdue&amp;clinician={other.pk}"><strong>0' in page
    # Nonsense in the query string is ignored, never a 500.
    assert f'data-patient="{early.pk}"' in shown(client, "?clinician=x&status=y&sort=z&page=q")


@pytest.mark.parametrize("role", list(Role))
def test_every_staff_role_sees_the_page(clinic, client_for, role):
    assert client_for(make_staff(clinic, role)).get(URL).status_code == 200


def test_a_patient_login_gets_404(client_for, patient):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("pat", password="x")
    patient.user = user
    patient.save()
    assert client_for(user).get(URL).status_code == 404


def test_another_clinics_patients_are_not_listed(walk, client_for, other_clinic, clinician):
    p = walk(timezone.localdate() - timedelta(days=75))
    north = make_staff(other_clinic, Role.CLINICIAN)
    assert f'data-patient="{p.pk}"' not in shown(client_for(north))
    assert f'data-patient="{p.pk}"' in shown(client_for(clinician))


def test_queries_do_not_grow_with_rows(walk, client_for, nurse, django_assert_max_num_queries):
    today = timezone.localdate()

    def add(*days_ago: int) -> None:
        added = [walk(today - timedelta(days=days)) for days in days_ago]
        for p in added:  # every related list non-empty from the first count on
            ContactAttempt.objects.create(
                patient=p, by=nurse, at=timezone.now(), channel="phone", outcome="no_answer"
            )
            services.reminder_send_now(course=Course.objects.get(patient=p), by=nurse)

    add(72, 90)
    client = client_for(nurse)
    with CaptureQueriesContext(connection) as ctx:
        shown(client)
    baseline = len(ctx.captured_queries)
    add(71, 80, 84, 95, 120, 30)
    with django_assert_max_num_queries(baseline):
        page = shown(client)
    assert page.count("data-patient=") == 8
    assert page.count('data-reminder="pending"') == 6  # the first two went with a later sweep
    assert page.count("Phone call: No answer") == 8
    assert baseline <= 14  # one of them: the session's two-factor device


# --- actions --------------------------------------------------------------------------------


def act(client, data, query=""):
    return client.post(reverse("staff:schedules-act") + query, data, follow=True)


def test_remind_several_queues_rows_the_sweep_sends_once(
    walk, client_for, receptionist, sms_outbox
):
    today = timezone.localdate()
    a, b = walk(today - timedelta(days=80)), walk(today - timedelta(days=90))
    sms_outbox.clear()
    mail.outbox.clear()
    client = client_for(receptionist)
    response = act(client, {"patients": [a.pk, b.pk], "action": "remind"}, "?status=overdue")
    assert response.redirect_chain[-1][0] == "/schedules/?status=overdue"
    rows = Reminder.objects.filter(key__startswith="retreatment-now:")
    assert {r.course.patient_id for r in rows} == {a.pk, b.pk}
    assert {r.kind for r in rows} == {ReminderKind.RETREATMENT_DUE}
    assert not sms_outbox and not mail.outbox  # nothing is sent inline
    assert services.reminder_sweep() == 2
    assert services.reminder_sweep() == 0
    bodies = [body for _to, body in sms_outbox] + [m.body for m in mail.outbox]
    assert len(bodies) == 2
    assert not any(word in body.lower() for body in bodies for word in CLINICAL_WORDS)


def test_a_second_press_is_refused_while_the_first_waits(walk, client_for, nurse):
    p = walk(timezone.localdate() - timedelta(days=80))
    client = client_for(nurse)
    act(client, {"remind": p.pk})
    page = act(client, {"remind": p.pk}).content.decode()
    assert 'data-refusal="reminder_already_waiting"' in page
    assert Reminder.objects.filter(key__startswith="retreatment-now:").count() == 1


def test_an_unreachable_patient_is_not_sent_a_reminder(walk, client_for, nurse, settings):
    p = walk(timezone.localdate() - timedelta(days=80), email="")
    settings.SMS_BACKEND = "botoxcare.messaging.DisabledSMSBackend"
    page = act(client_for(nurse), {"patients": [p.pk], "action": "remind"}).content.decode()
    assert 'data-refusal="reminder_no_route"' in page
    assert not Reminder.objects.filter(key__startswith="retreatment-now:").exists()


def test_a_patient_not_in_follow_up_is_refused(client_for, nurse, patient):
    page = act(client_for(nurse), {"patients": [patient.pk], "action": "remind"}).content
    assert b'data-refusal="reminder_not_in_follow_up"' in page


def test_an_admin_sends_a_reminder_from_the_schedules(walk, client_for, clinic_admin):
    p = walk(timezone.localdate() - timedelta(days=80))
    response = client_for(clinic_admin).post(reverse("staff:schedules-act"), {"remind": p.pk})
    assert response.status_code == 302
    assert Reminder.objects.filter(key__startswith="retreatment-now:").count() == 1


def test_record_a_contact_attempt_for_several(walk, client_for, receptionist):
    today = timezone.localdate()
    a, b = walk(today - timedelta(days=80)), walk(today - timedelta(days=90))
    client = client_for(receptionist)
    data = {
        "patients": [a.pk, b.pk],
        "action": "contact",
        "channel": "phone",
        "outcome": "left_message",
        "note": "Asked to call back",
    }
    page = act(client, data).content.decode()
    assert ContactAttempt.objects.filter(outcome="left_message").count() == 2
    assert page.count("Phone call: Left a message") == 2


def test_a_contact_attempt_without_outcome_is_refused_on_the_form(walk, client_for, nurse):
    p = walk(timezone.localdate() - timedelta(days=80))
    response = client_for(nurse).post(
        reverse("staff:schedules-act"), {"patients": [p.pk], "action": "contact", "channel": "sms"}
    )
    assert response.status_code == 400
    assert 'data-refusal="required"' in response.content.decode()
    assert not ContactAttempt.objects.exists()


def test_nothing_ticked_is_a_message(client_for, nurse):
    page = act(client_for(nurse), {"action": "remind"}).content.decode()
    assert 'data-refusal="none_selected"' in page


def test_another_clinics_patient_in_a_selection_is_404_and_nothing_changes(
    walk, client_for, nurse, other_clinic
):
    mine = walk(timezone.localdate() - timedelta(days=80))
    theirs = PatientFactory(clinic=other_clinic)
    client = client_for(nurse)
    for data in (
        {"patients": [mine.pk, theirs.pk], "action": "remind"},
        {"remind": theirs.pk},
        {
            "patients": [mine.pk, theirs.pk],
            "action": "contact",
            "channel": "phone",
            "outcome": "reached",
        },
        {"patients": ["1 OR 1=1"], "action": "remind"},
    ):
        assert client.post(reverse("staff:schedules-act"), data).status_code == 404
    assert not ContactAttempt.objects.exists()
    assert not Reminder.objects.filter(key__startswith="retreatment-now:").exists()


def test_book_links_to_the_booking_page_with_the_injection_visit_chosen(
    walk, client_for, receptionist
):
    p = walk(timezone.localdate() - timedelta(days=80))
    client = client_for(receptionist)
    link = f"/patients/{p.pk}/appointments/new/?kind=injection"
    assert link in shown(client)
    page = client.get(link).content.decode()
    assert '<option value="injection" selected>' in page


def test_the_contact_attempt_page_goes_back_to_the_schedules(walk, client_for, nurse):
    p = walk(timezone.localdate() - timedelta(days=80))
    client = client_for(nurse)
    url = reverse("patients:contact-attempt-new", args=[p.pk])
    assert client.get(url + "?from=schedules").status_code == 200
    response = client.post(url, {"from": "schedules", "channel": "sms", "outcome": "reached"})
    assert response.status_code == 302 and response["Location"] == "/schedules/"
    assert p.contact_attempts.get().outcome == "reached"


# --- failed reminders -----------------------------------------------------------------------


@pytest.fixture
def failed(walk):
    p = walk(timezone.localdate() - timedelta(days=80))
    return Reminder.objects.create(
        course=Course.objects.get(patient=p),
        kind=ReminderKind.RETREATMENT_DUE,
        due_at=timezone.now() - timedelta(hours=1),
        key="failed-one",
        attempts=MAX_ATTEMPTS,
        last_error="SMTPException",
    )


def failed_url(reminder, action):
    return reverse("staff:reminder-failed-act", args=[reminder.pk, action])


def test_admins_see_failed_reminders_and_retry_them(failed, client_for, clinic_admin):
    client = client_for(clinic_admin)
    assert f'data-failed="{failed.pk}"' in shown(client)
    client.post(failed_url(failed, "retry"))
    failed.refresh_from_db()
    assert (failed.attempts, failed.last_error) == (0, "")
    assert failed.due_at <= timezone.now()
    assert services.reminder_sweep() == 1
    assert f'data-failed="{failed.pk}"' not in shown(client)


def test_admins_mark_failed_reminders_handled(failed, client_for, clinic_admin):
    client = client_for(clinic_admin)
    client.post(failed_url(failed, "handled"))
    failed.refresh_from_db()
    assert failed.result == "handled"
    assert services.reminder_sweep() == 0
    page = client.post(failed_url(failed, "retry"), follow=True).content.decode()
    assert 'data-refusal="reminder_not_failed"' in page


def test_only_admins_see_and_act_on_failed_reminders(failed, client_for, nurse):
    client = client_for(nurse)
    assert f'data-failed="{failed.pk}"' not in shown(client)
    assert client.post(failed_url(failed, "retry")).status_code == 403


def test_another_clinics_failed_reminder_is_404(failed, client_for, other_clinic):
    admin = make_staff(other_clinic, Role.ADMIN)
    client = client_for(admin)
    for action in ("retry", "handled"):
        assert client.post(failed_url(failed, action)).status_code == 404
    failed.refresh_from_db()
    assert failed.attempts == MAX_ATTEMPTS and failed.cancelled_at is None


def test_a_missed_retreatment_visit_puts_the_patient_back_among_those_to_book(
    walk, client_for, receptionist, clinician
):
    session_on = timezone.localdate() - timedelta(days=75)
    p = walk(session_on)
    visit = services.visit_book(
        patient=p,
        by=receptionist,
        kind="injection",
        starts_at=noon(timezone.localdate() + timedelta(days=1)),
        minutes=30,
        clinician=clinician,
    )
    client = client_for(receptionist)
    assert f'data-patient="{p.pk}"' not in shown(client, "?status=open_not_booked")
    with time_machine.travel(noon(timezone.localdate() + timedelta(days=2)), tick=False):
        client = client_for(receptionist)  # two days later: signed in again
        calendar = reverse("staff:calendar") + f"?date={timezone.localdate(visit.starts_at)}"
        response = client.post(
            reverse("treatments:appointment-status", args=[p.pk, visit.pk]),
            {"status": "did_not_attend", "next": calendar},
        )
        assert response["Location"] == calendar
        visit.refresh_from_db()
        assert visit.status == "did_not_attend"
        page = shown(client, "?status=open_not_booked")
        assert f'data-patient="{p.pk}"' in page
        row = page.split(f'data-patient="{p.pk}"')[1].split("</tr>")[0]
        assert "not booked" in row


def test_each_count_is_the_number_its_filter_lists(walk, client_for, nurse, settings):
    """The counts are one aggregate over the filters' own conditions, and the pager's total
    is read from them: both must say how many rows the filter lists."""
    today = timezone.localdate()
    for days in (30, 71, 75, 78, 84, 90, 120):
        walk(today - timedelta(days=days))
    walk(today - timedelta(days=100), email="")
    settings.SMS_BACKEND = "botoxcare.messaging.DisabledSMSBackend"
    client = client_for(nurse)
    page = shown(client)
    assert "Page 1 of 1 · 8 patients" in page
    for status in ("open_not_booked", "due_this_week", "overdue", "unreachable"):
        listed = shown(client, f"?status={status}")
        n = listed.count("data-patient=")
        assert n > 0, status
        assert f'data-count="{status}"><a href="?status={status}"><strong>{n}<' in page, status
        assert f"Page 1 of 1 · {n} patient{'s' if n != 1 else ''}<" in listed, status


def test_rows_written_once_a_page_escape_what_they_show(walk, client_for, nurse, receptionist):
    """The rows are written in Python (pages/staff/schedules/rows_html.py), not the template:
    names and identifiers are escaped as the template escaped them, and each row keeps its
    badges, contact and actions."""
    p = walk(timezone.localdate() - timedelta(days=75), first_name="<b>Ann", last_name="O'Hara")
    Patient.objects.filter(pk=p.pk).update(identifier="A&B<1>")
    ContactAttempt.objects.create(
        patient=p, by=nurse, at=timezone.now(), channel="phone", outcome="no_answer"
    )
    page = shown(client_for(nurse))
    row = page.split(f'data-patient="{p.pk}"')[1].split("</tr>")[0]
    assert "<b>Ann" not in page
    assert "O&#x27;Hara, &lt;b&gt;Ann</a><br><small>A&amp;B&lt;1&gt;" in row
    assert 'aria-label="Select &lt;b&gt;Ann O&#x27;Hara"' in row
    assert 'data-due="window_open">window open</span>' in row
    assert "Phone call: No answer" in row and 'name="remind"' in row
    assert f'value="{p.pk}">Remind</button>' in row
    reception = shown(client_for(receptionist))
    reception_row = reception.split(f'data-patient="{p.pk}"')[1].split("</tr>")[0]
    assert '?kind=injection">Book</a>' in reception_row


def test_the_counts_are_kept_between_requests_and_counted_again_after_a_change(
    walk, client_for, receptionist, clinician
):
    """Counting and sorting touch every patient in follow-up, so the counts and the page's
    rows in order are kept until the clinic changes (pages.staff.schedules.kept): the second
    look neither counts nor sorts, a booking makes the next one do both."""
    p = walk(timezone.localdate() - timedelta(days=75))
    client = client_for(receptionist)
    open_count = 'data-count="open_not_booked"><a href="?status=open_not_booked"><strong>'
    with CaptureQueriesContext(connection) as first:
        assert open_count + "1<" in shown(client)
    with CaptureQueriesContext(connection) as second:
        assert open_count + "1<" in shown(client)
    counted = [q["sql"] for q in first.captured_queries if "FILTER (WHERE" in q["sql"]]
    assert len(counted) == 1
    assert not [q for q in second.captured_queries if "FILTER (WHERE" in q["sql"]]
    # The page's rows in their order are kept too (the sort over every patient in follow-up).
    sorted_rows = [q for q in first.captured_queries if '"last_session_date"' in q["sql"]]
    assert len(sorted_rows) == 1
    assert not [q for q in second.captured_queries if '"last_session_date"' in q["sql"]]
    services.visit_book(
        patient=p,
        by=receptionist,
        kind="injection",
        starts_at=noon(timezone.localdate() + timedelta(days=1)),
        minutes=30,
        clinician=clinician,
    )
    page = shown(client)
    assert open_count + "0<" in page
    row = page.split(f'data-patient="{p.pk}"')[1].split("</tr>")[0]
    assert "not booked" not in row  # the row itself is read fresh


def test_the_page_counts_when_the_shared_cache_is_down(walk, client_for, receptionist, settings):
    """Production keeps the counts in Redis: with Redis down the page counts them itself."""
    walk(timezone.localdate() - timedelta(days=75))
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    page = shown(client_for(receptionist))
    assert 'data-count="open_not_booked"><a href="?status=open_not_booked"><strong>1<' in page


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 1, 5, 9, 7, tzinfo=UTC),
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # the hour the clocks go forward
        datetime(2026, 7, 14, 23, 30, tzinfo=UTC),  # the next clinic day in summer time
        datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
    ],
)
def test_the_rows_write_dates_as_the_templates_date_filter_did(moment):
    from django.utils.formats import date_format

    from pages.staff.schedules.rows_html import _day, _day_month, _moment

    local = timezone.localtime(moment)
    assert _moment(moment) == date_format(local, "j M Y H:i")
    assert _moment(moment, year=False) == date_format(local, "j M H:i")
    assert _day_month(moment) == date_format(local, "j M")
    assert _day(local.date()) == date_format(local.date(), "j M Y")
    assert _day(None) == ""


def test_the_bulk_contact_fields_are_an_empty_forms_and_a_refused_one_keeps_its_errors(
    walk, client_for, nurse
):
    """The bulk form's fields are written once a process (botoxcare.forms.empty_form_fields):
    what a fresh empty form renders; a form sent back with an error is written afresh."""
    from django.template.loader import render_to_string

    from patients.forms import ContactAttemptForm

    p = walk(timezone.localdate() - timedelta(days=80))
    client = client_for(nurse)
    fresh = render_to_string("includes/form_fields.html", {"form": ContactAttemptForm()})
    assert fresh in shown(client)
    response = client.post(
        reverse("staff:schedules-act"), {"action": "contact", "patients": [p.pk], "channel": "sms"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and fresh not in page
    assert 'name="outcome"' in page and "This field is required" in page
