"""Call-back requests through their services: limits, claims, calls, matching a patient."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from botoxcare.errors import DomainError
from patients import services
from patients.models import CallbackOutcome, CallbackRequest, CallbackStatus
from patients.reasons import Reason
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def ask(clinic, *, phone="07700 900123", address="203.0.113.9", **kwargs):
    return services.callback_request(
        clinic=clinic,
        name=kwargs.pop("name", "Ann Smith"),
        phone=phone,
        topic=kwargs.pop("topic", "new_referral"),
        contact_consent=True,
        address=address,
        **kwargs,
    )


def test_a_request_is_stored_without_the_senders_address(clinic):
    request = ask(clinic, best_times="mornings")
    assert request.status == CallbackStatus.OPEN and request.phone_digits == "07700900123"
    assert "203.0.113.9" not in request.address_hash and len(request.address_hash) == 64


def test_too_many_from_one_address_are_refused_and_nothing_is_stored(clinic, settings):
    settings.CALLBACK_LIMIT_PER_ADDRESS = 2
    ask(clinic, phone="07700 900001")
    ask(clinic, phone="07700 900002")
    with pytest.raises(DomainError) as refused:
        ask(clinic, phone="07700 900003", name="Someone Else")
    assert refused.value.codes == [Reason.TOO_MANY_FROM_ADDRESS]
    assert CallbackRequest.objects.count() == 2
    assert not CallbackRequest.objects.filter(name="Someone Else").exists()
    # An hour later the address may ask again.
    later = timezone.now() + timedelta(hours=1, minutes=1)
    assert ask(clinic, phone="07700 900003", now=later).pk


def test_too_many_for_one_number_are_refused(clinic, settings):
    settings.CALLBACK_LIMIT_PER_PHONE = 1
    ask(clinic, address="198.51.100.1")
    with pytest.raises(DomainError) as refused:
        ask(clinic, phone="07700-900-123", address="198.51.100.2")
    assert refused.value.codes == [Reason.TOO_MANY_FOR_PHONE]
    assert refused.value.refusals[0].field == "phone"
    assert CallbackRequest.objects.count() == 1


def test_one_person_calls_at_a_time(clinic, receptionist, nurse):
    request = ask(clinic)
    services.callback_claim(callback=request, by=receptionist)
    with pytest.raises(DomainError) as refused:
        services.callback_claim(callback=request, by=nurse)
    assert refused.value.codes == [Reason.CALLBACK_TAKEN]
    # A claim left for longer than the timeout lapses.
    later = timezone.now() + services.CLAIM_TIMEOUT + timedelta(minutes=1)
    assert services.callback_claim(callback=request, by=nurse, now=later).claimed_by == nurse


def test_a_call_is_recorded_by_whoever_claimed_it(clinic, receptionist, nurse):
    request = ask(clinic)
    with pytest.raises(DomainError) as refused:
        services.callback_outcome_record(callback=request, by=nurse, kind="reached")
    assert refused.value.codes == [Reason.CALLBACK_NOT_CLAIMED]
    services.callback_claim(callback=request, by=receptionist)
    services.callback_outcome_record(
        callback=request, by=receptionist, kind="no_answer", note="Voicemail."
    )
    request.refresh_from_db()
    assert request.status == CallbackStatus.OPEN and request.claimed_by is None  # back in queue
    services.callback_claim(callback=request, by=nurse)
    services.callback_outcome_record(callback=request, by=nurse, kind="booked")
    request.refresh_from_db()
    assert request.status == CallbackStatus.DONE
    assert list(CallbackOutcome.objects.values_list("kind", flat=True)) == ["no_answer", "booked"]
    with pytest.raises(DomainError) as refused:
        services.callback_claim(callback=request, by=nurse)
    assert refused.value.codes == [Reason.CALLBACK_DONE]


def test_a_request_is_matched_only_to_its_clinics_patient(clinic, other_clinic, receptionist):
    request = ask(clinic)
    with pytest.raises(DomainError) as refused:
        services.callback_match(
            callback=request, patient=PatientFactory(clinic=other_clinic), by=receptionist
        )
    assert refused.value.codes == [Reason.PATIENT_OF_ANOTHER_CLINIC]
    mine = PatientFactory(clinic=clinic)
    services.callback_match(callback=request, patient=mine, by=receptionist)
    request.refresh_from_db()
    assert request.patient == mine


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_give_one_caller(clinic):
    from botoxcare.roles import Role
    from tests.factories import make_staff

    request = ask(clinic)
    staff = [make_staff(clinic, Role.RECEPTIONIST) for _ in range(4)]
    barrier = threading.Barrier(len(staff))
    outcomes: list[str] = []

    def claim(user):
        barrier.wait()
        try:
            services.callback_claim(callback=CallbackRequest.objects.get(pk=request.pk), by=user)
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(u,)) for u in staff]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    request.refresh_from_db()
    assert request.claimed_by in staff
