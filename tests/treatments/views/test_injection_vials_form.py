"""The injection form's vial rows: their defaults, two vials of different lots recorded, and
each refusal shown on its vial's row with its code."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ProductLotFactory
from tests.web import injection_post, state_of, url, vial_row
from treatments.models import Course, State

pytestmark = pytest.mark.django_db


def row_of(page, n):
    row = page[page.index(f'data-vial="{n}"') :]
    return row[: row.index("</tr>")]


def value_of(row, name):
    match = re.search(rf'name="vials-\d-{name}"[^>]*value="([^"]*)"', row)
    return match.group(1) if match else ""


def test_the_rows_start_from_the_soonest_lot_covering_the_fixed_doses(
    client_for, at_injection, clinician, clinic, lot
):
    """A 100-unit lot expiring first: two of its vials, 100 U and 55 U given, 45 U discarded;
    then one blank row; reconstituted now; saline the standard 2 mL."""
    small = ProductLotFactory(
        clinic=clinic, vial_units=100, expiry_date=timezone.localdate() + timedelta(days=30)
    )
    page = client_for(clinician).get(url("injection", at_injection)).content.decode()
    first, second, blank = row_of(page, 0), row_of(page, 1), row_of(page, 2)
    assert f'<option value="{small.pk}" selected>' in first
    assert (value_of(first, "diluent_ml"), value_of(first, "units_given")) == ("2.0", "100")
    assert (value_of(second, "units_given"), value_of(second, "units_discarded")) == ("55", "45")
    assert f'<option value="{small.pk}" selected>' not in blank and "selected" in blank
    now = timezone.localtime()
    assert value_of(first, "reconstituted_at")[:10] == now.strftime("%Y-%m-%d")
    assert 'data-vial="3"' not in page
    assert "A vial is used within 24 hours of reconstitution" in page


def test_two_vials_of_different_lots_are_recorded(client_for, at_injection, clinician, clinic, lot):
    second = ProductLotFactory(clinic=clinic, vial_units=100)
    post = injection_post(
        lot, timezone.localdate(), vials=[vial_row(lot, 100, 100), vial_row(second, 55, 45)]
    )
    response = client_for(clinician).post(url("injection", at_injection), post)
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Course.objects.get(patient=at_injection).sessions.get()
    assert [(v.lot, v.units_given, v.units_discarded) for v in session.vials.all()] == [
        (lot, 100, 100),
        (second, 55, 45),
    ]


def test_blank_saline_is_the_standard_dilution(client_for, at_injection, clinician, lot):
    post = injection_post(lot, timezone.localdate())
    post["vials-0-diluent_ml"] = ""
    response = client_for(clinician).post(url("injection", at_injection), post)
    assert response.status_code == 302
    vial = Course.objects.get(patient=at_injection).sessions.get().vials.get()
    assert str(vial.diluent_ml) == "4.0"


def test_a_vial_too_old_is_refused_on_its_row(client_for, at_injection, clinician, clinic, lot):
    second = ProductLotFactory(clinic=clinic, vial_units=100)
    stale = timezone.now() - timedelta(hours=25)
    post = injection_post(
        lot,
        timezone.localdate(),
        vials=[vial_row(lot, 100, 100), vial_row(second, 55, 45, at=stale)],
    )
    response = client_for(clinician).post(url("injection", at_injection), post)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-refusal="vial_too_old"' in row_of(page, 1)
    assert "data-refusal" not in row_of(page, 0)
    assert state_of(at_injection) == State.INJECTION


def test_units_not_accounted_for_and_not_the_sites_total_are_refused(
    client_for, at_injection, clinician, lot
):
    post = injection_post(lot, timezone.localdate(), vials=[vial_row(lot, 150, 50)])
    response = client_for(clinician).post(url("injection", at_injection), post)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-refusal="vials_given_not_sites"' in page
    assert "add up to 150 U but the sites received 155 U" in page
    post = injection_post(lot, timezone.localdate(), vials=[vial_row(lot, 155, 50)])
    page = client_for(clinician).post(url("injection", at_injection), post).content.decode()
    assert 'data-refusal="vial_units_not_accounted"' in row_of(page, 0)
    assert state_of(at_injection) == State.INJECTION


def test_a_row_half_filled_or_none_at_all_is_refused(client_for, at_injection, clinician, lot):
    row = vial_row(lot, 155, 45)
    row["lot"] = ""
    response = client_for(clinician).post(
        url("injection", at_injection), injection_post(lot, timezone.localdate(), vials=[row])
    )
    assert response.status_code == 400
    assert 'data-refusal="vials_incomplete"' in row_of(response.content.decode(), 0)
    nothing = injection_post(lot, timezone.localdate())
    for name in ("lot", "units_given"):
        nothing["vials-0-" + name] = ""
    response = client_for(clinician).post(url("injection", at_injection), nothing)
    assert response.status_code == 400
    assert 'data-refusal="vials_missing"' in response.content.decode()
    assert state_of(at_injection) == State.INJECTION


def test_another_clinics_lot_is_refused_on_its_row(
    client_for, at_injection, clinician, other_clinic, lot
):
    theirs = ProductLotFactory(clinic=other_clinic)
    post = injection_post(lot, timezone.localdate(), vials=[vial_row(theirs, 155, 45)])
    response = client_for(clinician).post(url("injection", at_injection), post)
    assert response.status_code == 400
    assert "data-refusal" in row_of(response.content.decode(), 0)
    assert state_of(at_injection) == State.INJECTION
