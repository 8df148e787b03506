"""The patient list at any size: pages by where they start (the last page reads what the
first does), search by folded name prefix and exact identifier, the step from the patient."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pages.staff.paging import COUNT_CAP
from patients.models import Patient
from tests.factories import PatientFactory
from treatments import services
from treatments.models import Course, State

pytestmark = pytest.mark.django_db

URL = reverse("staff:patients")


def shown(response) -> list[int]:
    return [row.patient.pk for row in response.context["rows"]]


def search(client, q: str = "", state: str = "") -> list[str]:
    client.post(URL, {"q": q, "state": state})
    return [
        f"{r.patient.first_name} {r.patient.last_name}" for r in client.get(URL).context["rows"]
    ]


def links(page: str) -> dict[str, str]:
    """The pager's links by their words."""
    found = re.findall(r'<a href="(\?[^"]*)"[^>]*>([^<]*)</a>', page)
    return {text.strip("←→«» "): html.unescape(href) for href, text in found}


@pytest.fixture
def many(clinic):
    """60 patients; a few share a name (the pk orders them), some differ only by case or
    accent, which the order folds."""
    names = [f"Name{i:02d}" for i in range(54)] + ["Same"] * 3 + ["same", "Sámé", "SAME"]
    return [PatientFactory(clinic=clinic, last_name=n, first_name="Ann") for n in names]


def in_list_order(patients) -> list[int]:
    ids = [p.pk for p in patients]
    return list(
        Patient.objects.filter(pk__in=ids)
        .order_by("search_last", "search_first", "pk")
        .values_list("pk", flat=True)
    )


def test_next_links_walk_every_patient_once_in_order(client_for, clinician, many):
    client, seen, url = client_for(clinician), [], URL
    for _ in range(10):
        response = client.get(url)
        seen += shown(response)
        page = response.context["page"]
        if not page.has_next:
            break
        url = URL + page.next_link
    assert seen == in_list_order(many)
    assert "Previous" in links(response.content.decode())


def test_previous_links_walk_back_and_last_is_the_end(client_for, clinician, many):
    client = client_for(clinician)
    last = client.get(URL + "?last=1")
    assert shown(last) == in_list_order(many)[-25:]
    assert last.context["page"].has_previous and not last.context["page"].has_next
    back = client.get(URL + last.context["page"].previous_link)
    assert shown(back) == in_list_order(many)[-50:-25]
    # Back again: the first page, full, though only 10 rows come before the page above.
    first = client.get(URL + back.context["page"].previous_link)
    assert shown(first) == in_list_order(many)[:25]
    assert not first.context["page"].has_previous


def test_same_names_keep_a_stable_order(client_for, clinician, many):
    same = [
        p.pk for p in many if p.last_name.casefold().replace("á", "a").replace("é", "e") == "same"
    ]
    order = in_list_order(many)
    assert [pk for pk in order if pk in same] == sorted(same)  # by pk within one key
    client = client_for(clinician)
    assert shown(client.get(URL + "?last=1")) == shown(client.get(URL + "?last=1"))


def test_the_last_page_reads_what_the_first_does(client_for, clinician, many):
    client = client_for(clinician)
    client.get(URL)  # the session and caches warmed alike
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    with CaptureQueriesContext(connection) as last:
        client.get(URL + "?last=1")
    assert len(first.captured_queries) == len(last.captured_queries)
    # No query skips rows (OFFSET) nor asks every patient's courses.
    for q in last.captured_queries:
        assert "OFFSET" not in q["sql"].upper() or "OFFSET 0" in q["sql"].upper()
        assert "treatments_course" not in q["sql"] or '"patients_patient"."id" IN (' in q["sql"]


def test_queries_do_not_grow_with_the_page_or_the_clinic(
    client_for, clinician, clinic, django_assert_num_queries
):
    client = client_for(clinician)
    PatientFactory.create_batch(3, clinic=clinic)
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL + "?last=1")
    few = len(ctx.captured_queries)
    PatientFactory.create_batch(60, clinic=clinic)
    with django_assert_num_queries(few):
        client.get(URL + "?last=1")
    with django_assert_num_queries(few):
        client.get(URL)
    middle = client.get(URL).context["page"].next_link
    with django_assert_num_queries(few + 1):  # the row it starts after
        client.get(URL + middle)


def test_a_cursor_of_another_clinic_gives_the_first_page(client_for, clinician, many, other_clinic):
    stranger = PatientFactory(clinic=other_clinic, last_name="Name30")
    client = client_for(clinician)
    for cursor in (f"?after={stranger.pk}", f"?before={stranger.pk}", "?after=x", "?after=0"):
        response = client.get(URL + cursor)
        assert response.status_code == 200
        assert shown(response) == in_list_order(many)[:25]
        assert stranger.pk not in shown(response)


def test_search_folds_accents_and_case(client_for, clinician, clinic):
    PatientFactory(clinic=clinic, first_name="Zoë", last_name="Ångström")
    PatientFactory(clinic=clinic, first_name="Zoe", last_name="Smith")
    PatientFactory(clinic=clinic, first_name="Ruby", last_name="O'Brien")
    PatientFactory(clinic=clinic, first_name="Arthur", last_name="Zoeller")
    client = client_for(clinician)
    assert search(client, "zoe") == ["Zoë Ångström", "Zoe Smith", "Arthur Zoeller"]
    assert search(client, "ZOE") == search(client, "Zoë") == search(client, "zoe")
    assert search(client, "angstrom") == search(client, "ÅNGSTRÖM") == ["Zoë Ångström"]
    assert search(client, "zoe smi") == search(client, "Smith, Zoe") == ["Zoe Smith"]
    assert search(client, "o'b") == ["Ruby O'Brien"]
    assert search(client, "mith") == []  # a prefix of a name, not any part of it


def test_identifier_is_matched_exactly(client_for, clinician, clinic):
    PatientFactory(clinic=clinic, identifier="H100234", last_name="Ward")
    PatientFactory(clinic=clinic, identifier="H1002345", last_name="Lee")
    client = client_for(clinician)
    assert search(client, "h100234") == search(client, " H100234 ")
    assert [n.split()[1] for n in search(client, "H100234")] == ["Ward"]
    assert search(client, "H1002") == []


def test_step_filter_reads_the_current_course(client_for, clinician, clinic):
    stopped, waiting = PatientFactory(clinic=clinic), PatientFactory(clinic=clinic)
    services.course_discontinue(
        course=Course.objects.get(patient=stopped), by=clinician, reason="patient_choice"
    )
    services.course_start(patient=stopped, by=clinician, started_on=stopped.created_at.date())
    client = client_for(clinician)
    both = {stopped.full_name, waiting.full_name}
    assert set(search(client, state=State.CONSULTATION)) == both
    assert search(client, state=State.DISCONTINUED) == []


def test_search_step_and_pages_together(client_for, clinician, clinic, nurse):
    for i in range(30):
        PatientFactory(clinic=clinic, last_name=f"Smith{i:02d}")
    for i in range(5):
        PatientFactory(clinic=clinic, last_name=f"Jones{i:02d}")
    for p in Patient.objects.filter(last_name__startswith="Smith")[:27]:
        services.course_discontinue(
            course=Course.objects.get(patient=p), by=clinician, reason="patient_choice"
        )
    client = client_for(clinician)
    client.post(URL, {"q": "smith", "state": State.DISCONTINUED})
    first = client.get(URL)
    page = first.context["page"]
    assert len(shown(first)) == 25 and page.has_next and page.count == 27
    # The search and step stay in the session: the links name only where a page starts.
    assert set(links(first.content.decode())) == {"Next", "Last"}
    assert all(
        re.fullmatch(r"\?(after=\d+|last=1)", h) for h in links(first.content.decode()).values()
    )
    second = client.get(URL + page.next_link)
    names = [r.patient.last_name for r in second.context["rows"]]
    assert len(names) == 2 and all(n.startswith("Smith") for n in names)
    assert "27 patients" in second.content.decode()


def test_count_is_bounded(client_for, clinician, clinic, monkeypatch):
    import pages.staff.paging as paging

    monkeypatch.setattr(paging, "COUNT_CAP", 30)
    PatientFactory.create_batch(31, clinic=clinic)
    page = client_for(clinician).get(URL)
    assert "more than 30 patients" in page.content.decode()
    assert page.context["page"].count_capped
    assert COUNT_CAP >= 1000  # what the list counts to in earnest


def test_a_search_pages_in_the_lists_own_order_read_from_the_rows_found(clinic, client_for, nurse):
    """A search orders by the same folded names as the list (pages.staff.selectors.
    SEARCH_ORDER: expressions of the same columns, so PostgreSQL finds the matches through the
    name indexes instead of walking the clinic in name order); punctuation, spaces and
    accents sort as the list's index sorts them, on SQLite and on PostgreSQL alike."""
    from pages.staff.selectors import LIST_ORDER, SEARCH_ORDER, list_order, patient_list

    for last in ["O'Brien", "Obrien", "O Brien", "Oakes", "Öberg", "oates", "Ó Dálaigh", "Zed"]:
        PatientFactory(clinic=clinic, last_name=last, first_name="Ann")
    found = patient_list(clinic=clinic, query="o")
    by_search = list(found.order_by(*SEARCH_ORDER).values_list("pk", flat=True))
    by_list = list(found.order_by(*LIST_ORDER).values_list("pk", flat=True))
    assert by_search == by_list and len(by_search) == 7
    assert list_order("o") == SEARCH_ORDER and list_order("") == LIST_ORDER
    client = client_for(nurse)
    client.post(URL, {"q": "o"})
    page = client.get(URL)
    assert shown(page) == by_search
