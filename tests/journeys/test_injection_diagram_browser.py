"""At the chair, on a tablet: a nurse records a re-treatment session in Chromium at 1024 x 768
with touch, tapping sites on the head-and-neck diagram. The form starts from the last
session's doses; a follow-the-pain site is added on the patient's right and one removed by
tapping, the sites table (its left and right cells too) and the totals follow (and the
diagram follows the table, sides typed too); two vials of different lots, their sums said
live; saved, the session holds the sites, units, sides and both vials. axe finds no serious
or critical violation on the form. Screenshots in --output (default test-results)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from botoxcare.roles import Role
from tests.browser import sign_in
from tests.factories import ConsentFormFactory, PatientFactory, ProductLotFactory, make_staff
from tests.journey import advance
from tests.journeys.test_accessibility import problems
from treatments import services
from treatments.models import Course, InjectionSession, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shots(pytestconfig: pytest.Config) -> Path:
    folder = Path(pytestconfig.getoption("output") or "test-results")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def site(page: Page, name: str):
    """A site on the diagram by the start of its accessible name."""
    return page.locator(f'[data-site-diagram] [role="checkbox"][aria-label^="{name}"]')


def field(page: Page, name: str):
    return page.locator(f"#id_{name}")


@pytest.fixture
def retreatment(clinic):
    """Ada Moss in her second cycle: the last session had two follow-the-pain temporalis
    sites (10 sites, 50 U), the response reviewed, the course back at step 3."""
    doctor = make_staff(clinic, Role.CLINICIAN, username="dr.rahman")
    nurse = make_staff(clinic, Role.NURSE, username="rn.ellis")
    ConsentFormFactory(clinic=clinic)
    first_lot = ProductLotFactory(clinic=clinic, lot_number="C5000A1")
    patient = PatientFactory(clinic=clinic, first_name="Ada", last_name="Moss")
    course = Course.objects.get(patient=patient)
    first = timezone.localdate() - timedelta(weeks=11)
    advance(course, State.MAINTENANCE, clinician=doctor, nurse=nurse, lot=first_lot, start=first)
    session = InjectionSession.objects.get(course=course)
    session.sites.filter(muscle="temporalis").update(sites=10, units=50)
    session.tolerability = "Mild neck ache for a day."
    session.save(update_fields=["tolerability"])
    services.retreatment_start(
        course=course, by=doctor, reviewed_on=timezone.localdate(), notes="Responding."
    )
    course.refresh_from_db()
    assert course.state == State.INJECTION
    lot_a = ProductLotFactory(clinic=clinic, lot_number="D7100A", vial_units=100)
    lot_b = ProductLotFactory(
        clinic=clinic,
        lot_number="E8200B",
        vial_units=100,
        expiry_date=timezone.localdate() + timedelta(days=400),
    )
    return patient, course, lot_a, lot_b


def test_a_nurse_taps_a_retreatment_session_onto_the_diagram(
    live_server, browser: Browser, retreatment, shots
):
    patient, course, lot_a, lot_b = retreatment
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, "rn.ellis")
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    page.get_by_role("link", name="Record injection session").click()
    expect(page.get_by_role("heading", name="Record injection session")).to_be_visible()

    # Started from the last session: ten temporalis sites, 165 U in 33 sites.
    expect(field(page, "temporalis_sites")).to_have_value("10")
    expect(field(page, "temporalis_units")).to_have_value("50")
    expect(page.locator("#total-units")).to_have_text("165")
    expect(page.locator("#total-sites")).to_have_text("33")
    diagram = page.locator("[data-site-diagram]")
    expect(diagram).to_be_visible()
    expect(diagram.locator('[role="checkbox"][aria-checked="true"]')).to_have_count(33)
    expect(site(page, "Temporalis, right, site 5")).to_have_attribute("aria-checked", "true")
    expect(site(page, "Temporalis, right, site 5")).to_have_attribute(
        "aria-label", "Temporalis, right, site 5 (follow-the-pain), 5 units"
    )
    trapezius_extra = site(page, "Trapezius, right, site 4")
    expect(trapezius_extra).to_have_attribute("aria-checked", "false")
    # The last session recorded no sides: its counts drawn evenly, and said so in the table.
    expect(field(page, "trapezius_left")).to_have_value("3")
    expect(field(page, "trapezius_right")).to_have_value("3")
    expect(field(page, "temporalis_left")).to_have_value("5")
    expect(field(page, "temporalis_right")).to_have_value("5")
    card = page.locator('[data-card="before-injecting"]')
    expect(card).to_contain_text("Mild neck ache for a day.")
    page.screenshot(path=str(shots / "diagram-start.png"), full_page=True)

    # A follow-the-pain trapezius site added, a temporalis one removed: by touch.
    box = trapezius_extra.bounding_box()
    assert box and box["width"] >= 44 and box["height"] >= 44  # a finger's target
    trapezius_extra.tap()
    expect(trapezius_extra).to_have_attribute("aria-checked", "true")
    expect(field(page, "trapezius_sites")).to_have_value("7")
    expect(field(page, "trapezius_units")).to_have_value("35")
    expect(field(page, "trapezius_left")).to_have_value("3")
    expect(field(page, "trapezius_right")).to_have_value("4")
    site(page, "Temporalis, right, site 5").tap()
    expect(site(page, "Temporalis, right, site 5")).to_have_attribute("aria-checked", "false")
    expect(field(page, "temporalis_sites")).to_have_value("9")
    expect(field(page, "temporalis_units")).to_have_value("45")
    expect(field(page, "temporalis_right")).to_have_value("4")
    expect(page.locator("#total-units")).to_have_text("165")
    expect(page.locator("#total-sites")).to_have_text("33")
    expect(page.locator("[data-diagram-units]")).to_have_text("165")

    # The keyboard: Space on a focused site toggles it, and again back.
    occipital = site(page, "Occipitalis, left, site 4")
    occipital.focus()
    page.keyboard.press("Space")
    expect(field(page, "occipitalis_sites")).to_have_value("7")
    expect(page.locator("#total-units")).to_have_text("170")
    page.keyboard.press("Enter")
    expect(field(page, "occipitalis_sites")).to_have_value("6")
    # The table drives the diagram: two more occipitalis sites typed, then undone.
    field(page, "occipitalis_sites").fill("8")
    expect(diagram.locator('[data-muscle="occipitalis"][aria-checked="true"]')).to_have_count(8)
    field(page, "occipitalis_sites").fill("6")
    expect(diagram.locator('[data-muscle="occipitalis"][aria-checked="true"]')).to_have_count(6)
    expect(field(page, "occipitalis_left")).to_have_value("3")
    # A side typed fills that side: one more on the left, the muscle's sites its sum; undone.
    field(page, "occipitalis_left").fill("4")
    expect(site(page, "Occipitalis, left, site 4")).to_have_attribute("aria-checked", "true")
    expect(field(page, "occipitalis_sites")).to_have_value("7")
    field(page, "occipitalis_left").fill("3")
    expect(site(page, "Occipitalis, left, site 4")).to_have_attribute("aria-checked", "false")
    expect(field(page, "occipitalis_sites")).to_have_value("6")
    expect(page.locator("#total-sites")).to_have_text("33")
    page.screenshot(path=str(shots / "diagram-tapped.png"), full_page=True)
    diagram.screenshot(path=str(shots / "diagram-close.png"))

    # Two vials of different lots; the sums said live as they are typed.
    expect(page.get_by_label("Vial 1: Saline (mL)")).to_have_value("4.0")  # a 200 U lot first
    page.get_by_label("Vial 1: Lot").select_option(str(lot_a.pk))
    expect(page.get_by_label("Vial 1: Saline (mL)")).to_have_value("2.0")  # follows the size
    page.get_by_label("Vial 1: Units given").fill("100")
    page.get_by_label("Vial 1: Units discarded").fill("0")
    page.get_by_label("Vial 2: Lot").select_option(str(lot_b.pk))
    page.get_by_label("Vial 2: Units given").fill("65")
    page.get_by_label("Vial 2: Units discarded").fill("30")
    check = page.locator("[data-vial-check]")
    expect(check).to_contain_text("Vial 2: 65 U given + 30 U discarded is 95 U")
    expect(check).to_have_class("vial-check bad")
    page.get_by_label("Vial 2: Units discarded").fill("35")
    expect(check).to_have_text(
        "The vials add up: 2 vials holding 200 U, 165 U given to the sites, 35 U discarded."
    )
    page.get_by_label("Position").select_option("sitting")
    page.locator("[data-vials]").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "diagram-vials.png"))
    assert problems(page) == []
    assert errors == []

    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_text("the course is now at post-treatment care")).to_be_visible()
    page.screenshot(path=str(shots / "diagram-saved.png"))
    session = course.sessions.order_by("-session_date", "-pk").first()
    assert session.clinician.username == "rn.ellis"
    doses = {s.muscle: (s.sites, s.units) for s in session.sites.all()}
    assert doses["temporalis"] == (9, 45) and doses["trapezius"] == (7, 35)
    assert doses["occipitalis"] == (6, 30)
    assert (session.total_units, session.sites_count) == (165, 33)
    sides = {s.muscle: (s.sites_left, s.sites_right) for s in session.sites.all()}
    assert sides["trapezius"] == (3, 4)  # the right-side follow-the-pain site kept
    assert sides["temporalis"] == (5, 4) and sides["occipitalis"] == (3, 3)
    assert sides["procerus"] == (None, None)  # midline
    vials = [(v.lot.lot_number, v.units_given, v.units_discarded) for v in session.vials.all()]
    assert vials == [("D7100A", 100, 0), ("E8200B", 65, 35)]
    context.close()
