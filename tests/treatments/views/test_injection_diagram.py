"""The injection form's head-and-neck diagram (treatments/site_map.py, drawn by
templates/treatments/includes/site_diagram.html, kept in step with the table by
static/js/site_diagram.js) and what is shown beside the form: bleeding risk, flagged
interactions, the last session. The table stays the form; the server judges every limit."""

from __future__ import annotations

import json
import math
import re
from html import unescape
from itertools import combinations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from botoxcare.defaults import PREEMPT_MUSCLES
from tests.factories import ProductLotFactory
from tests.journey import advance
from tests.web import url
from treatments.models import Course, State
from treatments.site_map import (
    HEIGHT,
    HIT_RADIUS,
    VIEW_LEFT,
    VIEW_WIDTH,
    muscle_places,
    site_panels,
)

pytestmark = pytest.mark.django_db


def test_the_31_fixed_sites_and_the_follow_the_pain_places_are_drawn():
    panels = site_panels(PREEMPT_MUSCLES)
    assert [p.view for p in panels] == ["front", "right", "left", "back"]
    places = [place for panel in panels for place in panel.places]
    assert len(places) == 39 and sum(p.fixed for p in places) == 31
    for key, limit in PREEMPT_MUSCLES.items():
        mine = [p for p in places if p.muscle == key]
        assert len(mine) == limit["max_sites"]
        assert sum(p.fixed for p in mine) == limit["fixed_sites"]
        if key == "procerus":
            assert {p.side for p in mine} == {""}
        else:  # bilateral: the halves even, the fixed sites too
            left = [p for p in mine if p.side == "left"]
            assert len(left) * 2 == len(mine)
            assert sum(p.fixed for p in left) * 2 == limit["fixed_sites"]
    temporalis = [(v, p) for v, p in muscle_places("temporalis", PREEMPT_MUSCLES["temporalis"])]
    assert {v for v, p in temporalis if p.side == "left"} == {"left"}
    assert temporalis[0][1].name == "Temporalis, left, site 1"


def test_targets_do_not_overlap_and_stay_in_their_panel():
    """30 units apart at least: 44 CSS px or more at the form's size on a tablet."""
    for panel in site_panels(PREEMPT_MUSCLES):
        for p in panel.places:
            assert VIEW_LEFT + HIT_RADIUS <= p.x <= VIEW_LEFT + VIEW_WIDTH - HIT_RADIUS
            assert HIT_RADIUS <= p.y <= HEIGHT
        for a, b in combinations(panel.places, 2):
            assert math.dist((a.x, a.y), (b.x, b.y)) >= 2 * HIT_RADIUS - 2, (a.name, b.name)


def test_the_places_follow_the_clinics_maximum():
    fewer = {**PREEMPT_MUSCLES["temporalis"], "max_sites": 8}
    assert len(muscle_places("temporalis", fewer)) == 8
    more = {**PREEMPT_MUSCLES["trapezius"], "max_sites": 14}
    assert len(muscle_places("trapezius", more)) == 10  # the rest in the table only
    assert muscle_places("masseter", {"label": "Masseter", "max_sites": 2}) == []


@pytest.fixture
def at_injection(patient, clinician, nurse, lot, consent_form):
    course = Course.objects.get(patient=patient)
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    return course


def diagram_of(html: str) -> str:
    return html[
        html.index('<section class="site-diagram"') : html.index(
            "</section>", html.index("site-diagram")
        )
    ]


def test_the_form_draws_the_sites_hidden_until_its_script_runs(
    client_for, nurse, patient, at_injection, lot
):
    html = client_for(nurse).get(url("injection", patient)).content.decode()
    diagram = diagram_of(html)
    assert "data-site-diagram" in diagram and " hidden>" in diagram  # no script: the table
    sites = re.findall(r'<g class="site[^"]*" role="checkbox" tabindex="0"[^>]*>', diagram)
    assert len(sites) == 39
    assert 'aria-label="Temporalis, left, site 5"' in diagram
    # CSP: no inline style, script or handler.
    assert "style=" not in diagram and "<script" not in diagram
    assert not re.search(r"\son[a-z]+=", diagram)
    assert 'src="/static/js/site_diagram.js" defer' in html
    assert 'id="sites-table"' in html and 'data-units-per-site="5"' in html
    sizes = unescape(re.search(r'data-lot-sizes="([^"]*)"', html).group(1))
    assert json.loads(sizes) == {str(lot.pk): lot.vial_units}


def test_beside_the_form_bleeding_risk_interactions_and_who_cleared_them(
    client_for, nurse, clinician, patient, at_injection
):
    prep = at_injection.preparations.get()
    prep.anticoagulants = True
    prep.muscle_relaxants = True
    prep.recent_toxin = True
    prep.flags_cleared_by = clinician
    prep.save()
    html = unescape(client_for(nurse).get(url("injection", patient)).content.decode())
    card = html[html.index('data-card="before-injecting"') : html.index("</aside>")]
    assert "<li>Anticoagulants</li>" in card
    assert "<li>Muscle relaxants</li>" in card
    assert "<li>Another botulinum toxin in the last 4 months</li>" in card
    assert f"Cleared for treatment by {clinician.get_full_name()}" in card
    assert "This is the course's first session." in card


def test_nothing_flagged_is_said(client_for, nurse, patient, at_injection):
    html = unescape(client_for(nurse).get(url("injection", patient)).content.decode())
    card = html[html.index('data-card="before-injecting"') : html.index("</aside>")]
    assert 'data-list="bleeding-risks">None recorded.' in card
    assert 'data-list="interactions">None flagged' in card


def test_the_form_pages_queries_do_not_grow(
    client_for, nurse, clinician, patient, at_injection, clinic
):
    client = client_for(nurse)
    client.get(url("injection", patient))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("injection", patient)).status_code == 200
    prep = at_injection.preparations.get()
    prep.anticoagulants = prep.aminoglycosides = True
    prep.flags_cleared_by = clinician
    prep.save()
    for n in range(3):
        ProductLotFactory(clinic=clinic, lot_number=f"MORE{n}", vial_units=100)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url("injection", patient)).status_code == 200
    assert len(more) == len(few), [q["sql"] for q in more]
