"""The medical lists' three empty add forms are written once a process (the patient page's
most costly part through the widget templates): the kept HTML is what a fresh form renders,
and the pages show it."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from treatments.templatetags.medical_lists import ADD_FORMS, add_form_fields

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", sorted(ADD_FORMS))
def test_the_kept_fields_are_what_a_fresh_empty_form_renders(name):
    form_class, prefix = ADD_FORMS[name]
    fresh = render_to_string("includes/form_fields.html", {"form": form_class(prefix=prefix)})
    assert add_form_fields(name) == fresh
    assert add_form_fields(name) is add_form_fields(name)  # written once
    assert f'name="{prefix}-' in fresh


def test_the_patient_page_shows_the_three_add_forms_to_whoever_keeps_the_lists(
    client_for, clinician, receptionist, patient
):
    url = reverse("staff:patient", args=[patient.pk])
    text = client_for(clinician).get(url).content.decode()
    for name in ADD_FORMS:
        assert add_form_fields(name) in text
    assert 'name="p-drug_class"' in text and 'name="m-since"' in text
    assert 'name="a-substance"' in text
    assert 'name="p-drug_class"' not in client_for(receptionist).get(url).content.decode()
