"""A lot's expiry at the forms: the injection form offers and records a lot on its expiry
date, and refuses it the day after with the reason on the lot's field; the stock form takes a
lot expiring today and refuses one that expired yesterday."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProductLotFactory
from tests.web import injection_post, state_of, url
from treatments.models import Course, ProductLot, State

pytestmark = pytest.mark.django_db


def test_the_form_offers_a_lot_on_its_expiry_date_and_not_the_day_after(
    client_for, at_injection, clinician, clinic
):
    today = timezone.localdate()
    on_the_day = ProductLotFactory(clinic=clinic, lot_number="C7100C3", expiry_date=today)
    gone = ProductLotFactory(
        clinic=clinic, lot_number="C7101C3", expiry_date=today - timedelta(days=1)
    )
    page = client_for(clinician).get(url("injection", at_injection)).content.decode()
    assert f'<option value="{on_the_day.pk}">' in page
    assert f'<option value="{gone.pk}">' not in page


def test_a_session_on_the_lots_expiry_date_is_recorded(client_for, at_injection, clinician, clinic):
    today = timezone.localdate()
    lot = ProductLotFactory(clinic=clinic, expiry_date=today)
    response = client_for(clinician).post(
        url("injection", at_injection), injection_post(lot, today)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert state_of(at_injection) == State.POST_CARE
    assert Course.objects.get(patient=at_injection).sessions.get().vials.get().lot == lot


def test_a_lot_chosen_the_day_after_its_expiry_date_is_refused_with_its_reason(
    client_for, at_injection, clinician, clinic
):
    """The form opened before midnight, sent after: the lot is refused with why, on its
    field, not as "not a valid choice"."""
    today = timezone.localdate()
    lot = ProductLotFactory(
        clinic=clinic, lot_number="C7102C3", expiry_date=today - timedelta(days=1)
    )
    response = client_for(clinician).post(
        url("injection", at_injection), injection_post(lot, today)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-refusal="lot_expired"' in page
    assert "Lot C7102C3 expired on " in page and "(use by that date)" in page
    assert state_of(at_injection) == State.INJECTION
    assert not Course.objects.get(patient=at_injection).sessions.exists()


def test_another_clinics_lot_is_not_a_choice(client_for, at_injection, clinician, other_clinic):
    theirs = ProductLotFactory(clinic=other_clinic)
    today = timezone.localdate()
    response = client_for(clinician).post(
        url("injection", at_injection), injection_post(theirs, today)
    )
    assert response.status_code == 400
    assert state_of(at_injection) == State.INJECTION


def _add_lot(client, number, expiry):
    return client.post(
        reverse("treatments:lots"),
        {
            "product": "onabotulinumtoxinA",
            "lot_number": number,
            "expiry_date": expiry.isoformat(),
            "vial_units": "200",
        },
    )


def test_stock_takes_a_lot_on_its_expiry_date_and_refuses_it_the_day_after(client_for, nurse):
    client = client_for(nurse)
    today = timezone.localdate()
    assert _add_lot(client, "C7200C3", today).status_code == 302
    refused = _add_lot(client, "C7201C3", today - timedelta(days=1))
    assert refused.status_code == 400
    assert 'data-refusal="lot_expired"' in refused.content.decode()
    assert list(ProductLot.objects.values_list("lot_number", flat=True)) == ["C7200C3"]
    page = client.get(reverse("treatments:lots")).content.decode()
    assert "data-lot-expired" not in page  # usable today: not marked expired
    ProductLotFactory(clinic=nurse.staff_profile.clinic, expiry_date=today - timedelta(days=1))
    page = client.get(reverse("treatments:lots")).content.decode()
    assert page.count("data-lot-expired") == 1
