"""Every form of the app, posted with generated input as a user allowed to use it: long,
empty, unicode, control characters, HTML and script, SQL-looking text, dates at 0001 and
9999, huge numbers. Never a 500, and nothing posted comes back as markup that would run; the
list pages' query parameters likewise. The URLs come from the URL conf (fuzz_world.py): a new
URL without an entry there fails `test_every_url_is_fuzzed_or_named_not_a_form`.

Each form gets five posts of one nasty value in every field, then `FUZZ_EXAMPLES` drawn
(environment, default 8): the form as its page fills it with one field changed, or every
field drawn."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from .form_fields import form_values
from .fuzz_world import FORM_URLS, GET_PARAMS, NOT_FORMS, World, url_names, world_build

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no example database in the checkout; each run draws afresh
)

# What would run if a page wrote it back unescaped.
SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1" * 400,
    "9" * 40,
    "32768",
    "2147483648",
    "1e309",
    "NaN",
    "-0.0",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-02-30",
    "10000-01-01",
    SCRIPT,
    IMAGE,
    "'; DROP TABLE patients_patient; --",
    "' OR '1'='1",
    "\x00",
    "Smith\x00",
    "\x1b[2J\x07",
    "line\r\nbreak\ttab",
    "\u202eevil",
    "é漢字🙂\u200b",
    "on",
    "²",
    "١٢",
    "../../etc/passwd",
    "%00",
    "{{ 7|add:7 }}",
]
VALUE = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=120),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(str),
)
# Posted to every field of every form as well, whatever hypothesis draws.
EVERYWHERE = ["\x00", "0001-01-01", "9999-12-31", "9" * 40, SCRIPT]
SKIP = {"csrfmiddlewaretoken", "form_token"}
NAME = re.compile(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"')


@pytest.fixture
def world(clinic, invite) -> World:
    return world_build(clinic, invite)


def client_as(client_for: Any, world: World, who: str) -> Any:
    from django.test import Client

    user = world.users[who]
    return Client() if user is None else client_for(user)


def path_of(name: str, world: World, args: tuple[str, ...]) -> str:
    try:
        return reverse(name, args=[world.ids[a] for a in args])
    except NoReverseMatch:  # a URL another change has not added yet, or taken away
        pytest.skip(f"{name} is not in the URL conf")


def assert_nothing_runs(response: Any) -> None:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    assert SCRIPT not in body and "<img src=x" not in body


def test_every_url_is_fuzzed_or_named_not_a_form():
    unknown = url_names() - set(FORM_URLS) - NOT_FORMS
    assert unknown == set(), f"add these to FORM_URLS or NOT_FORMS in fuzz_world.py: {unknown}"


def fuzz_form(name: str, world: World, client_for: Any) -> None:
    entry = FORM_URLS[name]
    path = path_of(name, world, entry.args)
    client = client_as(client_for, world, entry.user)
    shown = client.get(path)
    assert shown.status_code < 500, (name, "GET")
    # Signed in and let in: never sent to sign in (or to a second factor) instead.
    assert "/accounts/" not in shown.get("Location", "") or entry.user == "anonymous", name
    html = shown.content.decode(errors="replace")
    found = set(NAME.findall(html)) - SKIP
    # `next` too: every form that goes back where it came from reads it.
    names = sorted(found | set(entry.fields) | {"next"})
    # The form as the page fills it, one field changed: past the other fields' checks to the
    # one the change is about (and to the service behind the form).
    shown_values = {k: v for k, v in form_values(html).items() if k not in SKIP}
    one_changed = st.tuples(st.sampled_from(names), VALUE).map(
        lambda changed: {**shown_values, changed[0]: changed[1]}
    )
    every_field = st.fixed_dictionaries(dict.fromkeys(names, VALUE))

    def post(data: dict[str, str]) -> None:
        response = client.post(path, data)
        assert response.status_code < 500, (name, data)
        assert_nothing_runs(response)

    for value in EVERYWHERE:
        post = example(data=dict.fromkeys(names, value))(post)
    FUZZ(given(data=st.one_of(one_changed, every_field))(post))()


def fuzz_query(name: str, world: World, client_for: Any) -> None:
    who, params = GET_PARAMS[name]
    args = FORM_URLS[name].args if name in FORM_URLS else ()
    path = path_of(name, world, args)
    client = client_as(client_for, world, who)

    def get(query: dict[str, str]) -> None:
        response = client.get(path, query)
        assert response.status_code < 500, (name, query)
        assert_nothing_runs(response)

    for value in EVERYWHERE:
        get = example(query=dict.fromkeys(params, value))(get)
    FUZZ(given(query=st.fixed_dictionaries(dict.fromkeys(params, VALUE)))(get))()


def each(names: list[str], fuzz: Any, world: World, client_for: Any) -> list[str]:
    """Every URL fuzzed in one clinic (built once: a clinic per URL would take minutes); the
    failures of all of them, each with the example hypothesis shrank it to."""
    failures = []
    for name in names:
        try:
            fuzz(name, world, client_for)
        except pytest.skip.Exception:
            continue
        except Exception as error:
            failures.append(f"{name}: {error!r}"[:2000])
    return failures


def test_every_form_posted_with_anything_never_fails(world, client_for):
    failures = each(sorted(FORM_URLS), fuzz_form, world, client_for)
    # What was stored comes back escaped wherever it is shown.
    for page in ("staff:patients", "patients:callbacks", "staff:schedules", "staff:calendar"):
        assert_nothing_runs(client_for(world.users["admin"]).get(reverse(page)))
    for key in ("patient_consultation", "patient_maintenance"):
        staff_page = reverse("staff:patient", args=[world.ids[key]])
        assert_nothing_runs(client_for(world.users["clinician"]).get(staff_page))
    print("\n".join(failures))
    assert failures == []


def test_query_parameters_never_fail(world, client_for):
    failures = each(sorted(GET_PARAMS), fuzz_query, world, client_for)
    print("\n".join(failures))
    assert failures == []
