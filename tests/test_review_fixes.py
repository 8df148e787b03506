"""Rules added after review: renewal, figures, dilution, identifiers, search privacy."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from botoxcare.errors import DomainError
from treatments import dosing, services
from treatments.models import PREPARATION_FLAGS, Course, PreparationReview, State
from treatments.reasons import Reason

from .factories import PatientFactory
from .journey import FIXED_SITES, advance, consultation_kwargs, record_session

pytestmark = pytest.mark.django_db


def test_renewed_consent_needs_new_records_and_a_review(
    course, clinician, nurse, consent_form, lot
):
    today = timezone.localdate()
    first = today - timedelta(weeks=11)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=first)
    services.course_transition(course=course, name="renew_consent", by=nurse)
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=course, name="record_consent", by=nurse)
    assert refused.value.codes == [Reason.CONSENT_NOT_RENEWED, Reason.PREPARATION_NOT_RENEWED]
    services.consent_record_paper(course=course, by=nurse, signer_name="P", signed_on=today)
    services.preparation_record(course=course, by=nurse, reviewed_on=today, advice="None", flags={})
    services.course_transition(course=course, name="record_consent", by=nurse)
    # Back at step 3 without passing start_retreatment: the last cycle still needs review.
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, day=today)
    assert Reason.RESPONSE_NOT_REVIEWED in refused.value.codes
    services.response_review_record(
        course=course, by=clinician, reviewed_on=today, notes="Fewer headaches."
    )
    record_session(course, clinician=clinician, lot=lot, day=today)
    course.refresh_from_db()
    assert course.state == State.POST_CARE


def test_an_old_override_does_not_allow_an_early_session_next_cycle(
    course, clinician, nurse, consent_form, lot
):
    today = timezone.localdate()
    start = today - timedelta(weeks=6)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    services.retreatment_start(
        course=course,
        by=clinician,
        reviewed_on=start + timedelta(weeks=4),
        notes="ok",
        override_reason="Travelling.",
    )
    advance(
        course,
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=start + timedelta(weeks=4),
    )
    services.course_transition(course=course, name="renew_consent", by=nurse)
    services.consent_record_paper(course=course, by=nurse, signer_name="P", signed_on=today)
    services.preparation_record(course=course, by=nurse, reviewed_on=today, advice="x", flags={})
    services.course_transition(course=course, name="record_consent", by=nurse)
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, day=today)
    assert Reason.RESPONSE_NOT_REVIEWED in refused.value.codes
    assert Reason.WINDOW_NOT_OPEN in refused.value.codes


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"headache_days_per_month": 10}, Reason.FIGURES_BELOW_CHRONIC),
        ({"migraine_days_per_month": 5}, Reason.FIGURES_BELOW_CHRONIC),
        ({"failed_preventives_count": 1}, Reason.START_RULE_NOT_MET),
        ({"medication_overuse": "present"}, Reason.OVERUSE_UNMANAGED),
    ],
)
def test_evaluation_reads_the_recorded_figures(course, clinician, changes, expected):
    services.consultation_record(course=course, by=clinician, **consultation_kwargs(**changes))
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=course, name="complete_evaluation", by=clinician)
    assert refused.value.codes == [expected]


def test_the_start_rule_is_the_clinics_setting(course, clinician, clinic):
    clinic.settings.min_failed_preventives = 0
    clinic.settings.save()
    services.consultation_record(
        course=course, by=clinician, **consultation_kwargs(failed_preventives_count=0)
    )
    assert (
        services.course_transition(course=course, name="complete_evaluation", by=clinician).state
        == State.CONSENT
    )


def test_consultation_form_refuses_a_confirmation_the_figures_contradict(
    client_for, patient, clinician
):
    response = client_for(clinician).post(
        reverse("treatments:consultation", args=[patient.pk]),
        {
            "seen_on": timezone.localdate().isoformat(),
            "history": "h",
            "previous_preventives": "p",
            "failed_preventives_count": "3",
            "headache_days_per_month": "9",
            "chronic_migraine_confirmed": "on",
            "decision": "proceed",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-refusal="figures_below_chronic"' in page
    assert 'data-refusal="required"' in page  # medication overuse must be chosen


def test_dilution_must_give_five_units_per_site(clinic):
    cfg = clinic.settings
    assert dosing.dilution_refusals(200, Decimal("4.0"), cfg) == []
    assert dosing.dilution_refusals(100, Decimal("2.0"), cfg) == []
    [problem] = dosing.dilution_refusals(200, Decimal("2.0"), cfg)
    assert problem.code == Reason.DILUTION_WRONG and problem.field == "diluent_ml"
    assert "4 mL" in problem.message  # the volume that would give 5 U per 0.1 mL


def test_session_refused_for_wrong_dilution_or_dose_per_site(
    course, clinician, nurse, consent_form, lot
):
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    with pytest.raises(DomainError) as refused:
        services.injection_session_record(
            course=course,
            by=clinician,
            session_date=timezone.localdate(),
            lot=lot,
            diluent_ml=Decimal("2.0"),
            sites=dict(FIXED_SITES, frontalis=(1, 20)),
        )
    by_code = {r.code: r for r in refused.value.refusals}
    assert set(by_code) == {Reason.DILUTION_WRONG, Reason.MUSCLE_DOSE_PER_SITE}
    assert by_code[Reason.MUSCLE_DOSE_PER_SITE].field == "sites.frontalis"
    assert not course.sessions.exists()


def test_withdrawn_consent_blocks_the_session(course, clinician, nurse, consent_form, lot):
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    consent = course.consents.get()
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, day=timezone.localdate())
    assert refused.value.codes == [Reason.CONSENT_WITHDRAWN]


def test_review_cannot_predate_the_session(course, clinician, nurse, consent_form, lot):
    today = timezone.localdate()
    advance(
        course,
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=today - timedelta(weeks=11),
    )
    with pytest.raises(DomainError) as refused:
        services.retreatment_start(
            course=course, by=clinician, reviewed_on=today - timedelta(weeks=12), notes="x"
        )
    assert refused.value.codes == [Reason.REVIEW_BEFORE_SESSION]


def test_identifiers_are_unique_whatever_their_case(client_for, receptionist, patient):
    response = client_for(receptionist).post(
        reverse("staff:register"),
        {
            "identifier": f" {patient.identifier.lower()} ",
            "first_name": "A",
            "last_name": "B",
            "date_of_birth": "1984-02-03",
            "phone": "07700 900000",
            "preferred_channel": "phone",
            "referred_on": "2026-11-01",
        },
    )
    assert response.status_code == 400
    assert 'data-refusal="identifier_taken"' in response.content.decode()


def test_far_future_visit_is_a_form_error_not_a_crash(client_for, receptionist, patient):
    response = client_for(receptionist).post(
        reverse("patients:appointment-new", args=[patient.pk]),
        {"kind": "follow_up", "starts_at": "9999-12-31T23:30", "minutes": "30"},
    )
    assert response.status_code == 400
    assert 'data-refusal="visit_too_far"' in response.content.decode()


def test_search_is_kept_out_of_urls(client_for, clinician, clinic):
    PatientFactory(clinic=clinic, last_name="Quennell", identifier="H999001")
    for i in range(30):
        PatientFactory(clinic=clinic, last_name=f"Other{i:02d}")
    client = client_for(clinician)
    response = client.post(reverse("staff:patients"), {"q": "quennell", "state": ""})
    assert response.status_code == 302 and response["Location"] == reverse("staff:patients")
    page = client.get(reverse("staff:patients")).content.decode()
    assert "Quennell" in page and "Other01" not in page
    assert 'value="quennell"' in page  # the search box shows what is searched
    client.post(reverse("staff:patients"), {"clear": "1"})
    page = client.get(reverse("staff:patients")).content.decode()
    assert "Other01" in page and "?page=2" in page and "quennell" not in page.lower()


def test_second_preparation_review_starts_from_the_first(
    client_for, patient, clinician, nurse, consent_form, lot
):
    course = Course.objects.get(patient=patient)
    advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    services.preparation_record(
        course=course,
        by=nurse,
        reviewed_on=timezone.localdate(),
        advice="Avoid ibuprofen for 3 days.",
        current_medicines="Ginkgo",
        flags={"anticholinergics": True},
    )
    page = client_for(clinician).get(reverse("treatments:preparation", args=[patient.pk]))
    text = page.content.decode()
    assert "Avoid ibuprofen for 3 days." in text and "Ginkgo" in text
    assert 'name="anticholinergics" id="id_anticholinergics" checked' in text
    assert PreparationReview.objects.count() == 1


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


def test_a_cancelled_follow_up_can_be_rebooked(
    client_for, patient, clinician, nurse, consent_form, lot, receptionist
):
    course = Course.objects.get(patient=patient)
    advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot)
    services.aftercare_issue(
        course=course,
        by=nurse,
        issued_on=timezone.localdate(),
        comfort_measures="",
        follow_up_at=timezone.now() + timedelta(days=28),
    )
    services.appointment_close(
        appointment=course.aftercares.get().follow_up, by=receptionist, status="cancelled"
    )
    client = client_for(nurse)
    page = client.get(reverse("staff:patient", args=[patient.pk])).content.decode()
    assert "Book a new follow-up visit" in page and 'data-refusal="no_follow_up"' in page
    when = timezone.localtime(timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT10:00")
    response = client.post(
        reverse("treatments:follow-up", args=[patient.pk]), {"follow_up_at": when}
    )
    assert response.status_code == 302
    services.course_maintenance_start(course=course, by=nurse)
    course.refresh_from_db()
    assert course.state == State.MAINTENANCE


def test_a_recent_session_of_an_earlier_course_is_flagged(
    patient, clinician, nurse, consent_form, lot
):
    first = Course.objects.get(patient=patient)
    today = timezone.localdate()
    advance(
        first,
        State.POST_CARE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=today - timedelta(weeks=3),
    )
    services.course_discontinue(course=first, by=clinician, reason="patient_choice")
    second = services.course_start(patient=patient, by=clinician, started_on=today)
    advance(second, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    review = services.preparation_record(
        course=second, by=nurse, reviewed_on=today, advice="x", flags={}
    )
    assert review.recent_toxin and PREPARATION_FLAGS["recent_toxin"] in review.review_flags
    services.consent_record_paper(course=second, by=nurse, signer_name="P", signed_on=today)
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=second, name="record_consent", by=nurse)
    assert refused.value.codes == [Reason.FLAGS_NOT_CLEARED]
