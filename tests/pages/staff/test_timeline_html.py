"""The timeline's entries written in Python (pages/staff/timeline_html.py) are the `<li>`s the
patient page's template wrote for them, with `staff/includes/timeline_amend.html` for each
entry's amendments and Amend link: every kind of entry, an amended record, odd characters, and
a role that may amend and one that may not. If the include changes, this says to change the
writer with it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from botoxcare.roles import permissions
from pages.staff.timeline import course_timeline
from pages.staff.timeline_html import timeline_html
from tests.journey import advance
from treatments.course_records import patient_courses
from treatments.models import Course, State
from treatments.selectors import documents_of
from treatments.services.amendments import record_amend

pytestmark = pytest.mark.django_db

# The page's loop as it stood before the writer, the reference it must keep to.
TEMPLATE_LOOP = Template(
    """{% for e in entries %}
      <li class="{{ e.kind }}" data-kind="{{ e.kind }}">
        <p class="when">{% if e.dated_only %}{{ e.when|date:"j M Y" }} <span class="note">· {{ e.entered }}</span>{% else %}{{ e.when|date:"j M Y, H:i" }}{% endif %}</p>
        <p class="what"><strong>{{ e.title }}</strong>{% if e.by %} · {{ e.by.get_full_name|default:e.by.username }}{% endif %}</p>
        {% if e.details %}<ul>{% for d in e.details %}<li>{{ d }}</li>{% endfor %}</ul>{% endif %}
        {% if e.url %}<p class="entry-link"><a href="{{ e.url }}"{% if e.kind == "document" %} download{% endif %}>{{ e.link }}</a></p>{% endif %}
        {% include "staff/includes/timeline_amend.html" %}
      </li>
    {% endfor %}"""  # noqa: E501
)


def tight(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.fixture
def history(patient, clinician, nurse, lot, consent_form):
    from treatments.services.documents import documents_missing_make

    clinician.first_name, clinician.last_name = "Zoë <b>", "O'Brien & Co"
    clinician.save()
    course = Course.objects.get(patient=patient)
    start = timezone.localdate() - timedelta(weeks=3)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    documents_missing_make()
    record_amend(
        user=clinician,
        record=course.sessions.get(),
        changes={"tolerability": "Mild <headache> & nausea"},
        reason="Typed into the wrong field",
    )
    return course


@pytest.mark.parametrize("role", ["clinician", "nurse"])
def test_the_written_entries_are_the_templates(request, history, role):
    user = request.getfixturevalue(role)
    read = patient_courses(clinic=history.patient.clinic, pk=history.patient_id)
    documents = list(documents_of(course=read.current))
    entries = course_timeline(read.current, documents=documents)
    kinds = {e.kind for e in entries}
    assert kinds == {"visit", "transition", "document"}
    assert any(e.amendments for e in entries) and any(e.amend_url for e in entries)
    can = permissions(user)
    expected = TEMPLATE_LOOP.render(Context({"entries": entries, "can": can}))
    written = timeline_html(entries, can=can)
    assert tight(written) == tight(expected)
    assert "Mild &lt;headache&gt; &amp; nausea" in written and "Zoë &lt;b&gt;" in written
