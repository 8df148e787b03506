"""Reminders are rows made with their cause, swept once; the text says no more than needed."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from patients.models import AppointmentStatus
from tests.factories import PatientFactory
from tests.journey import advance, record_session
from treatments import services
from treatments.models import Course, Reminder, ReminderKind, State
from treatments.tasks import reminders_sweep

pytestmark = pytest.mark.django_db


FORBIDDEN = ("migraine", "botox", "botulinum", "toxin", "injection", "units", "diagnos")


# Twelve weeks on, the re-treatment reminder is due and the follow-up visit (at four weeks)
# is past, so its reminder is cancelled rather than sent.
LATER = timedelta(weeks=12)


CYCLE_KINDS = (ReminderKind.RETREATMENT_DUE, ReminderKind.FOLLOW_UP)


def cycle_reminders_only() -> None:
    """The tests of the sweep's mechanics count the cycle's two reminders; the check-in and
    the consent renewal (tested on their own below) are set aside."""
    Reminder.objects.exclude(kind__in=CYCLE_KINDS).delete()


@pytest.fixture
def in_maintenance(patient, clinician, nurse, consent_form, lot):
    patient.preferred_channel = "email"
    patient.save()
    start = timezone.localdate() - timedelta(days=3)
    course = advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=start,
    )
    cycle_reminders_only()
    return course, start


class ExplodingSMS:
    available = True
    sent: list[str] = []

    def send(self, *, to: str, body: str) -> None:
        if to == "07700 900666":
            raise RuntimeError("gateway down")
        self.sent.append(to)


class InTransactionProbe:
    available = True
    seen: list[bool] = []

    def send(self, *, to: str, body: str) -> None:
        self.seen.append(connection.in_atomic_block)


def test_new_session_cancels_the_last_cycles_reminder(course, clinician, nurse, consent_form, lot):
    from treatments.models import Reminder

    today = timezone.localdate()
    start = today - timedelta(weeks=6)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    services.course_transition(course=course, name="renew_consent", by=nurse)
    services.consent_record_paper(course=course, by=nurse, signer_name="P", signed_on=today)
    services.preparation_record(course=course, by=nurse, reviewed_on=today, advice="x", flags={})
    services.course_transition(course=course, name="record_consent", by=nurse)
    services.response_review_record(
        course=course,
        by=clinician,
        reviewed_on=today,
        notes="ok",
        override_reason="Severe relapse.",
    )
    record_session(course, clinician=clinician, lot=lot, day=today)
    stale = Reminder.objects.get(key__startswith="retreatment:", course=course)
    assert stale.cancelled_at is not None


def test_maintenance_creates_the_cycles_reminders(in_maintenance, settings):
    course, start = in_maintenance
    reminders = {r.kind: r for r in Reminder.objects.filter(course=course)}
    assert set(reminders) == {"retreatment_due", "follow_up"}
    due = timezone.localtime(reminders["retreatment_due"].due_at)
    assert due.date() == start + timedelta(weeks=10) and due.time() == time(9, 0)
    assert str(due.tzinfo) == settings.TIME_ZONE
    follow_up = reminders["follow_up"]
    assert follow_up.appointment is not None
    assert follow_up.due_at == follow_up.appointment.starts_at - timedelta(hours=48)


def test_no_reminder_is_made_for_a_moment_already_past(
    patient, clinician, nurse, consent_form, lot
):
    # Aftercare and maintenance recorded late, 11 weeks after the session: the re-treatment
    # window opened already, so only the coming follow-up visit gets a reminder.
    course = advance(
        Course.objects.get(patient=patient),
        State.POST_CARE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(weeks=11),
    )
    services.aftercare_issue(
        course=course,
        by=nurse,
        issued_on=timezone.localdate(),
        comfort_measures="",
        follow_up_at=timezone.now() + timedelta(days=7),
    )
    services.course_maintenance_start(course=course, by=nurse)
    assert list(Reminder.objects.filter(kind__in=CYCLE_KINDS).values_list("kind", flat=True)) == [
        "follow_up"
    ]


def test_sweep_sends_each_due_reminder_once(in_maintenance):
    course, _start = in_maintenance
    assert services.reminder_sweep() == 0  # nothing due yet
    follow_up = Reminder.objects.get(kind="follow_up")
    retreatment = Reminder.objects.get(kind="retreatment_due")
    with time_machine.travel(follow_up.due_at + timedelta(minutes=1), tick=False):
        assert services.reminder_sweep() == 1
        assert services.reminder_sweep() == 0  # running twice sends nothing twice
    with time_machine.travel(retreatment.due_at + timedelta(minutes=1), tick=False):
        assert services.reminder_sweep() == 1
        assert services.reminder_sweep() == 0
    assert [m.subject for m in mail.outbox] == [
        "Your next appointment",
        "Time to book your next appointment",
    ]
    assert not Reminder.objects.filter(course=course, sent_at__isnull=True).exists()


def test_reminder_text_carries_no_clinical_detail(in_maintenance, patient, sms_outbox):
    course, _start = in_maintenance
    assert "Botox" in course.patient.clinic.name  # the clinic's name itself would give it away
    patient.preferred_channel = "sms"
    patient.save()
    follow_up = Reminder.objects.get(kind="follow_up")
    with time_machine.travel(follow_up.due_at, tick=False):
        services.reminder_sweep()
    retreatment = Reminder.objects.get(kind="retreatment_due")
    with time_machine.travel(retreatment.due_at, tick=False):
        services.reminder_sweep()
    bodies = [body for _to, body in sms_outbox]
    assert len(bodies) == 2
    for text in bodies:
        lowered = text.lower()
        assert not [word for word in FORBIDDEN if word in lowered], text
        assert course.patient.last_name.lower() not in lowered
        assert course.patient.clinic.name.lower() not in lowered
    assert any("you are due for your next appointment" in b.lower() for b in bodies)
    local = timezone.localtime(follow_up.appointment.starts_at)
    assert any(f"on {local:%A} {local.day} {local:%B} at {local:%H:%M}" in b for b in bodies)


def test_email_is_used_when_texts_are_disabled(in_maintenance, patient, settings, sms_outbox):
    settings.SMS_BACKEND = "botoxcare.messaging.DisabledSMSBackend"
    patient.preferred_channel = "sms"
    patient.save()
    assert services.reminder_sweep(now=timezone.now() + LATER) == 1
    assert len(mail.outbox) == 1 and not sms_outbox


def test_a_cancelled_visit_is_not_reminded(in_maintenance):
    reminder = Reminder.objects.get(kind="follow_up")
    services.appointment_close(
        appointment=reminder.appointment,
        by=reminder.course.patient.responsible_clinician,
        status=AppointmentStatus.CANCELLED,
        reason="Patient asked",
    )
    reminder.refresh_from_db()
    assert reminder.cancelled_at is not None
    assert services.reminder_sweep(now=timezone.now() + LATER) == 1  # the re-treatment one
    assert [m.subject for m in mail.outbox] == ["Time to book your next appointment"]


def test_a_visit_moved_to_the_past_is_cancelled_at_send_time(in_maintenance):
    reminder = Reminder.objects.get(kind="follow_up")
    appointment = reminder.appointment
    appointment.starts_at = timezone.now() - timedelta(hours=1)
    appointment.ends_at = appointment.starts_at + timedelta(minutes=20)
    appointment.save()
    services.reminder_sweep(now=timezone.now() + LATER)
    reminder.refresh_from_db()
    assert reminder.sent_at is None and reminder.cancelled_at is not None


def test_one_failure_never_stops_the_sweep_nor_resends_others(
    in_maintenance, patient, clinician, nurse, lot, clinic, settings
):
    settings.SMS_BACKEND = "tests.treatments.services.test_reminders.ExplodingSMS"
    ExplodingSMS.sent.clear()
    patient.preferred_channel, patient.email = "sms", ""
    patient.save()
    broken = PatientFactory(clinic=clinic, phone="07700 900666", email="")
    unreachable = PatientFactory(clinic=clinic, phone="", email="")
    for other in (broken, unreachable):
        advance(
            Course.objects.get(patient=other),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
            start=timezone.localdate() - timedelta(days=3),
        )
    cycle_reminders_only()
    later = timezone.now() + LATER
    assert services.reminder_sweep(now=later) == 1
    assert services.reminder_sweep(now=later) == 0
    assert ExplodingSMS.sent == [patient.phone]  # never sent twice
    for other, error in ((broken, "RuntimeError"), (unreachable, "NoContactRoute")):
        row = Reminder.objects.get(course__patient=other, kind="retreatment_due")
        assert row.sent_at is None and row.claimed_at is None
        assert row.attempts == 1 and row.last_error == error
        assert row.due_at == later + services.RETRY_AFTER  # tried again in 5 minutes


def test_a_failing_row_is_retried_with_growing_delays_then_left(in_maintenance, patient):
    patient.email, patient.phone = "", ""
    patient.save()
    moment = timezone.now() + LATER
    delays = []
    for _ in range(services.MAX_ATTEMPTS + 2):
        services.reminder_sweep(now=moment)
        row = Reminder.objects.get(kind="retreatment_due")
        delays.append(row.due_at - moment)
        moment = max(moment, row.due_at)
    assert delays[:3] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20)]
    assert row.attempts == services.MAX_ATTEMPTS and row.sent_at is None


@pytest.mark.django_db(transaction=True)
def test_messages_are_sent_outside_any_transaction(in_maintenance, patient, settings):
    # A slow mail server must never hold the database's write lock.
    settings.SMS_BACKEND = "tests.treatments.services.test_reminders.InTransactionProbe"
    InTransactionProbe.seen.clear()
    patient.preferred_channel = "sms"
    patient.save()
    assert services.reminder_sweep(now=timezone.now() + LATER) == 1
    assert InTransactionProbe.seen == [False]


def test_a_claim_left_by_a_crashed_sweeper_is_taken_over(in_maintenance):
    later = timezone.now() + LATER
    Reminder.objects.update(claimed_at=later - timedelta(minutes=1))
    assert services.reminder_sweep(now=later) == 0  # someone is sending it right now
    assert services.reminder_sweep(now=later + services.CLAIM_TIMEOUT) == 1


class WorkerKilled(BaseException):
    """Stands for the worker's process dying mid-send: nothing after it runs, no except
    Exception catches it."""


def test_a_worker_killed_mid_batch_loses_nothing_and_resends_nothing(in_maintenance, monkeypatch):
    from treatments.services import sweep

    course, _start = in_maintenance
    later = timezone.now() + LATER
    Reminder.objects.bulk_create(
        Reminder(course=course, kind="retreatment_due", due_at=later, key=f"crash-{n}")
        for n in range(30)
    )
    rows = Reminder.objects.filter(kind="retreatment_due", due_at__lte=later).count()
    assert rows == 31  # the course's own, and thirty more
    real_send, calls = sweep.message_send, []

    def killed_on_the_25th(**kwargs):
        calls.append(1)
        if len(calls) == 25:
            raise WorkerKilled
        return real_send(**kwargs)

    monkeypatch.setattr(sweep, "message_send", killed_on_the_25th)
    with pytest.raises(WorkerKilled):
        services.reminder_sweep(now=later)
    sent_before = len(mail.outbox)
    assert sent_before == 24
    marked = Reminder.objects.exclude(sent_at=None).count()
    assert marked == 24  # each marked as it went: none sent and not marked
    # Its claims keep another sweeper off until they time out; then nothing is lost.
    monkeypatch.setattr(sweep, "message_send", real_send)
    assert services.reminder_sweep(now=later + timedelta(minutes=1)) == 0
    after_timeout = later + services.CLAIM_TIMEOUT + timedelta(seconds=1)
    taken_over = services.reminder_sweep(now=after_timeout)
    assert Reminder.objects.filter(kind="retreatment_due", sent_at=None).count() == 0
    assert taken_over == rows - marked
    assert sent_before + taken_over == rows  # none sent twice


def test_the_task_and_the_command_run_the_sweep(in_maintenance):
    with time_machine.travel(timezone.now() + LATER, tick=False):
        assert reminders_sweep() == 1
        Reminder.objects.update(sent_at=None, cancelled_at=None)
        Reminder.objects.filter(kind="follow_up").delete()
        call_command("reminders_sweep")
    assert len(mail.outbox) == 2


def test_reminder_times_follow_the_clinic_time_zone_across_dst(
    patient, clinician, nurse, lot, consent_form, settings
):
    # A session in late summer: the window opens in winter time; 09:00 local either way.
    with time_machine.travel(datetime(2026, 8, 20, 12, tzinfo=ZoneInfo("Europe/London"))):
        lot.expiry_date = timezone.localdate() + timedelta(days=400)
        lot.save()
        advance(
            Course.objects.get(patient=patient),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
        )
    reminder = Reminder.objects.get(kind="retreatment_due")
    local = reminder.due_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    assert local.time() == time(9, 0) and local.utcoffset() == timedelta(0)


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_send_each_reminder_once(clinic, clinician, nurse, consent_form, lot):
    for _ in range(4):
        other = PatientFactory(clinic=clinic, preferred_channel="email")
        advance(
            Course.objects.get(patient=other),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
            start=timezone.localdate() - timedelta(days=3),
        )
    cycle_reminders_only()
    later = timezone.now() + LATER
    counts: list[int] = []
    barrier = threading.Barrier(2)

    def sweep() -> None:
        barrier.wait()
        try:
            counts.append(services.reminder_sweep(now=later))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 4
    assert len(mail.outbox) == 4
    assert Reminder.objects.filter(kind="retreatment_due", sent_at__isnull=True).count() == 0


def night_hours(clinic):
    from datetime import time as clock

    clinic.settings.quiet_from, clinic.settings.quiet_until = clock(20, 0), clock(8, 0)
    clinic.settings.save()


def test_no_text_at_night_it_waits_for_the_morning(in_maintenance, patient, sms_outbox, clinic):
    from zoneinfo import ZoneInfo

    night_hours(clinic)
    patient.preferred_channel = "sms"
    patient.save()
    reminder = Reminder.objects.get(kind="retreatment_due")
    local = reminder.due_at.astimezone(ZoneInfo("Europe/London"))
    night = local.replace(hour=22, minute=30)
    assert services.reminder_sweep(now=night) == 0
    reminder.refresh_from_db()
    morning = (night + timedelta(days=1)).replace(hour=8, minute=0)
    assert reminder.due_at == morning and reminder.attempts == 0 and reminder.sent_at is None
    assert not sms_outbox
    assert services.reminder_sweep(now=morning + timedelta(minutes=1)) == 1
    assert len(sms_outbox) == 1


def test_email_is_not_held_back_at_night(in_maintenance, clinic):
    from zoneinfo import ZoneInfo

    night_hours(clinic)
    reminder = Reminder.objects.get(kind="retreatment_due")
    night = reminder.due_at.astimezone(ZoneInfo("Europe/London")).replace(hour=22, minute=30)
    assert services.reminder_sweep(now=night) == 1  # this patient prefers email
    assert len(mail.outbox) == 1


def test_a_session_brings_a_check_in_and_the_next_one_replaces_it(
    patient, clinician, nurse, consent_form, lot, settings
):
    start = timezone.localdate() - timedelta(days=3)
    course = advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=start,
    )
    checkin = Reminder.objects.get(kind=ReminderKind.CHECK_IN)
    due = timezone.localtime(checkin.due_at)
    assert due.date() == start + timedelta(weeks=4) and due.time() == time(9, 0)
    services.retreatment_start(
        course=course,
        by=clinician,
        reviewed_on=timezone.localdate(),
        notes="ok",
        override_reason="Relapse.",
    )
    record_session(course, clinician=clinician, lot=lot)
    checkin.refresh_from_db()
    assert checkin.cancelled_at is not None
    assert (
        Reminder.objects.filter(kind=ReminderKind.CHECK_IN, cancelled_at__isnull=True).count() == 1
    )


def test_a_consent_brings_its_renewal_message_and_a_withdrawal_stops_it(
    patient, clinician, nurse, consent_form, lot, clinic
):
    course = advance(
        Course.objects.get(patient=patient),
        State.INJECTION,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
    )
    consent = course.consents.get()
    renewal = Reminder.objects.get(kind=ReminderKind.CONSENT_RENEWAL)
    expires = consent.signed_on + timedelta(days=clinic.settings.consent_valid_days)
    assert timezone.localdate(renewal.due_at) == expires - timedelta(days=30)
    services.consent_withdraw(consent=consent, by=nurse, reason="Phoned to say no.")
    renewal.refresh_from_db()
    assert renewal.cancelled_at is not None


def test_new_kinds_say_nothing_clinical(patient, clinician, nurse, consent_form, lot, sms_outbox):
    patient.preferred_channel = "sms"
    patient.save()
    advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=3),
    )
    for kind in (ReminderKind.CHECK_IN, ReminderKind.CONSENT_RENEWAL):
        services.reminder_sweep(now=Reminder.objects.get(kind=kind).due_at + timedelta(minutes=1))
    assert len(sms_outbox) >= 2
    for _to, body in sms_outbox:
        lowered = body.lower()
        assert not [w for w in FORBIDDEN if w in lowered], body
