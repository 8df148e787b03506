"""The patient's portal: their own step, visits and aftercare, nobody else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PatientFactory
from tests.journey import advance
from treatments.models import Aftercare, Course, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_patients_with_aftercare(clinic, clinician, nurse, consent_form, lot):
    users, aftercares = [], []
    for i in range(2):
        p = PatientFactory(clinic=clinic)
        p.user = get_user_model().objects.create_user(f"portal{i}", password="x-long-password-1")
        p.save()
        advance(
            Course.objects.get(patient=p),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
        )
        users.append(p.user)
        aftercares.append(Aftercare.objects.get(course__patient=p))
    return users, aftercares


def test_portal_aftercare_of_another_patient_is_404(client_for, two_patients_with_aftercare):
    (me, _other), (mine, theirs) = two_patients_with_aftercare
    client = client_for(me)
    own = client.get(reverse("portal:aftercare", args=[mine.pk]))
    assert own.status_code == 200
    assert "cold compress" in own.content.decode().lower()
    assert client.get(reverse("portal:aftercare", args=[theirs.pk])).status_code == 404


def test_portal_shows_own_step_and_appointments(client_for, two_patients_with_aftercare):
    (me, _other), _ = two_patients_with_aftercare
    page = client_for(me).get(reverse("portal:home")).content.decode()
    assert "Monitoring how the treatment works" in page
    assert "Follow-up" in page
    assert "<title>My care · BotoxCare</title>" in page
    assert page.count('id="msg-h"') == 1  # the messages card once, in the page's body


def test_staff_have_no_portal(client_for, clinician):
    assert client_for(clinician).get(reverse("portal:home")).status_code == 404


def test_portal_says_what_happens_next_and_when_the_next_session_is(
    client_for, two_patients_with_aftercare
):
    (me, _other), (mine, _theirs) = two_patients_with_aftercare
    page = client_for(me).get(reverse("portal:home")).content.decode()
    assert "Next: Keep your headache diary" in page
    session = mine.session.session_date
    opens, due = session + timedelta(weeks=10), session + timedelta(weeks=12)
    assert f"{opens.day} {opens:%B %Y}" in page and f"{due.day} {due:%B %Y}" in page


def test_the_patient_turns_off_a_kind_of_reminder_and_the_sweep_honours_it(
    client_for, two_patients_with_aftercare, sms_outbox
):
    from django.utils import timezone

    from treatments import services
    from treatments.models import Reminder, ReminderKind

    (me, other), _ = two_patients_with_aftercare
    client = client_for(me)
    page = client.get(reverse("portal:home")).content.decode()
    assert 'name="check_in" checked' in page
    # Everything but the check-in stays on.
    keep = ["retreatment_due", "appointment", "follow_up", "consent_renewal", "diary_nudge"]
    client.post(reverse("portal:messages"), dict.fromkeys(keep, "on"))
    me.patient.refresh_from_db()
    assert me.patient.reminder_opt_outs == ["check_in"]
    other.patient.refresh_from_db()
    assert other.patient.reminder_opt_outs == []  # nobody else's choice changes
    mine = Reminder.objects.get(course__patient=me.patient, kind=ReminderKind.CHECK_IN)
    theirs = Reminder.objects.get(course__patient=other.patient, kind=ReminderKind.CHECK_IN)
    Reminder.objects.filter(pk__in=[mine.pk, theirs.pk]).update(due_at=timezone.now())
    Reminder.objects.exclude(pk__in=[mine.pk, theirs.pk]).delete()
    assert services.reminder_sweep() == 1
    mine.refresh_from_db()
    assert mine.cancelled_at is not None and mine.sent_at is None
    theirs.refresh_from_db()
    assert theirs.sent_at is not None and len(sms_outbox) == 1


def test_an_overdue_session_is_said_to_have_been_due(
    client_for, patient, clinician, nurse, consent_form, lot
):
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from tests.journey import advance
    from treatments.models import Course, State

    patient.user = get_user_model().objects.create_user("late", password="x-long-password-1")
    patient.save()
    session = timezone.localdate() - timedelta(days=90)
    advance(
        Course.objects.get(patient=patient), State.MAINTENANCE,
        clinician=clinician, nurse=nurse, lot=lot, start=session,
    )  # fmt: skip
    page = client_for(patient.user).get(reverse("portal:home")).content.decode()
    due = session + timedelta(weeks=12)
    assert f"Your next session was due on <strong>{due.day} {due:%B %Y}</strong>" in page
    assert "it is due by" not in page
