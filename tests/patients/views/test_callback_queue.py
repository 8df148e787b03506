"""The staff call-back queue: oldest first against the clinic's target, claim, record the
call, match or register the patient."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from patients import services
from patients.models import CallbackRequest, CallbackStatus, Patient
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def ask(clinic, name="Ann Smith", phone="07700 900123", **kwargs):
    return services.callback_request(
        clinic=clinic,
        name=name,
        phone=phone,
        topic=kwargs.pop("topic", "new_referral"),
        contact_consent=True,
        address="203.0.113.9",
        **kwargs,
    )


def test_queue_is_oldest_first_and_marks_late_requests(client_for, receptionist, clinic):
    old = ask(clinic, name="Older Caller", now=timezone.now() - timedelta(days=5))
    ask(clinic, name="Newer Caller", phone="07700 900999")
    page = client_for(receptionist).get(reverse("patients:callbacks")).content.decode()
    assert page.index("Older Caller") < page.index("Newer Caller")
    assert page.count('data-late="1"') == 1
    assert old.pk


def test_claim_record_and_close_from_the_page(client_for, receptionist, clinic):
    request = ask(clinic)
    client = client_for(receptionist)
    url = reverse("patients:callback", args=[request.pk])
    assert client.post(url, {"claim": "1"}).status_code == 302
    response = client.post(url, {"record": "1", "note": "Left no message."})
    assert response.status_code == 400  # no outcome chosen
    assert 'data-refusal="required"' in response.content.decode()
    assert (
        client.post(url, {"record": "1", "kind": "booked", "note": "Seen Tuesday."}).status_code
        == 302
    )
    request.refresh_from_db()
    assert request.status == CallbackStatus.DONE
    page = client.get(reverse("patients:callbacks")).content.decode()
    assert "Nobody is waiting for a call." in page


def test_a_claimed_request_shows_who_is_calling(client_for, receptionist, nurse, clinic):
    request = ask(clinic)
    services.callback_claim(callback=request, by=receptionist)
    client = client_for(nurse)
    response = client.post(
        reverse("patients:callback", args=[request.pk]), {"claim": "1"}, follow=True
    )
    assert 'data-refusal="callback_taken"' in response.content.decode()


def test_possible_patient_matched_from_the_request(client_for, receptionist, clinic):
    known = PatientFactory(clinic=clinic, first_name="Ann", last_name="Smith", phone="07700 111222")
    request = ask(clinic)
    client = client_for(receptionist)
    url = reverse("patients:callback", args=[request.pk])
    page = client.get(url).content.decode()
    assert known.identifier in page
    client.post(url, {"patient": known.pk})
    request.refresh_from_db()
    assert request.patient == known


def test_register_a_new_patient_from_the_request(client_for, receptionist, clinic):
    request = ask(clinic, name="Nia Rhiannon Evans", phone="07700 900555")
    client = client_for(receptionist)
    url = reverse("staff:register") + f"?callback={request.pk}"
    form = client.get(url).content.decode()
    assert (
        'value="Nia Rhiannon"' in form
        and 'value="Evans"' in form
        and 'value="07700 900555"' in form
    )
    response = client.post(
        reverse("staff:register"),
        {
            "callback": request.pk,
            "identifier": "H5551",
            "first_name": "Nia Rhiannon",
            "last_name": "Evans",
            "date_of_birth": "1984-02-03",
            "phone": "07700 900555",
            "preferred_channel": "phone",
            "referred_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.patient == Patient.objects.get(identifier="H5551")
    assert request.patient.courses.count() == 1


def test_the_target_is_the_clinics_setting(client_for, receptionist, clinic):
    clinic.settings.callback_target_days = 3
    clinic.settings.save()
    with time_machine.travel(timezone.now() - timedelta(days=2), tick=False):
        ask(clinic)
    page = client_for(receptionist).get(reverse("patients:callbacks")).content.decode()
    assert "within 3 working days" in page
    assert 'data-late="1"' not in page


def test_an_admin_has_no_queue(client_for, clinic_admin):
    assert client_for(clinic_admin).get(reverse("patients:callbacks")).status_code == 403


def test_another_clinics_request_is_404_and_unchanged(client_for, receptionist, other_clinic):
    theirs = ask(other_clinic)
    client = client_for(receptionist)
    url = reverse("patients:callback", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"claim": "1"}).status_code == 404
    assert client.get(reverse("staff:register") + f"?callback={theirs.pk}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == CallbackStatus.OPEN and theirs.claimed_by is None
    assert CallbackRequest.objects.filter(patient__isnull=False).count() == 0


def test_queue_queries_do_not_grow(
    client_for, receptionist, nurse, clinic, django_assert_max_num_queries, settings
):
    settings.CALLBACK_LIMIT_PER_ADDRESS = 100
    client = client_for(receptionist)
    for n in range(2):
        services.callback_claim(callback=ask(clinic, phone=f"07700 90010{n}"), by=nurse)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("patients:callbacks"))
    for n in range(20):
        request = ask(clinic, phone=f"07700 9002{n:02d}", now=timezone.now() - timedelta(minutes=n))
        services.callback_claim(callback=request, by=nurse)
        services.callback_outcome_record(callback=request, by=nurse, kind="reached")
        services.callback_claim(callback=ask(clinic, phone=f"07700 9003{n:02d}"), by=nurse)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("patients:callbacks"))
    assert len(page.context["rows"]) == 22


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_through_the_page_give_one_caller(client_for, clinic):
    """Four people press "Claim" on one request at once: one is calling, three are told who is.
    On SQLite each claim's transaction takes the write lock; on PostgreSQL the row is locked."""
    import threading

    from django.db import connection

    from botoxcare.roles import Role
    from tests.factories import make_staff

    request = ask(clinic)
    staff = [make_staff(clinic, Role.RECEPTIONIST) for _ in range(4)]
    clients = [client_for(user) for user in staff]
    url = reverse("patients:callback", args=[request.pk])
    barrier = threading.Barrier(len(clients))
    outcomes: list[str] = []

    def claim(client):
        barrier.wait()
        try:
            page = client.post(url, {"claim": "1"}, follow=True).content.decode()
            if 'data-refusal="callback_taken"' in page:
                outcomes.append("refused")
            elif "You are calling this person" in page:
                outcomes.append("ok")
            else:
                outcomes.append("neither")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    request.refresh_from_db()
    assert request.claimed_by in staff and request.status == CallbackStatus.CLAIMED
