"""Every URL by every kind of person, generated from the URL conf: who is let in follows the
permission matrix (botoxcare/roles.py), and every page that shows a patient's data writes an
audit event. A new URL without a row in RULES fails here, so its rule is decided on purpose.

Each request runs in a savepoint that is rolled back, so one person's POST never changes what
the next one meets.
"""

from __future__ import annotations

import copy
from urllib.parse import urlparse

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from botoxcare.models import AuditEvent
from botoxcare.roles import MATRIX, Action
from treatments.models import State

from .url_world import PEOPLE, STAFF_ROLES, World, build_world, url_names

pytestmark = pytest.mark.django_db

PUBLIC = "anyone"
SIGNED_IN = "anyone signed in"
SIGNED_OUT = "anyone not signed in"  # an invitation's join page
SIGN_IN_STEP = "a step of signing in: it sends everyone on"
PORTAL = "any patient"  # a patient's own portal page with no record in its address
OWN = "the patient whose record it names"

# What a page's GET writes to the audit trail: an event naming the world's patient, an event
# (a list: it names the ids it showed), or nothing (no patient data on it).
PATIENT, LIST, NONE = "patient", "list", None
GET, POST = "get", "post"

A = Action
RULES: dict[str, tuple[str | Action, str, str | None]] = {
    "healthz": (PUBLIC, GET, NONE),
    "login": (PUBLIC, GET, NONE),
    "logout": (PUBLIC, POST, NONE),
    "password_reset": (PUBLIC, GET, NONE),
    "password_reset_done": (PUBLIC, GET, NONE),
    "password_reset_confirm": (PUBLIC, GET, NONE),
    "password_reset_complete": (PUBLIC, GET, NONE),
    "password_change": (SIGNED_IN, GET, NONE),
    "password_change_done": (SIGNED_IN, GET, NONE),
    "after-login": (SIGNED_IN, GET, NONE),
    "admin-sign-in": (SIGN_IN_STEP, GET, NONE),
    "two_factor:enrol": (SIGNED_IN, GET, NONE),
    "two_factor:verify": (SIGNED_IN, GET, NONE),
    "session-ping": (SIGNED_IN, POST, NONE),
    "public:home": (PUBLIC, GET, NONE),
    "public:clinic": (PUBLIC, GET, NONE),
    "public:call-me": (PUBLIC, GET, NONE),
    "public:sent": (PUBLIC, GET, NONE),
    "clinic_admin:staff": (A.MANAGE_STAFF, GET, NONE),
    "clinic_admin:staff-add": (A.MANAGE_STAFF, GET, NONE),
    "clinic_admin:staff-member": (A.MANAGE_STAFF, GET, NONE),
    "clinic_admin:staff-hours": (A.MANAGE_STAFF, POST, NONE),
    "clinic_admin:staff-active": (A.MANAGE_STAFF, POST, NONE),
    "clinic_admin:staff-set-password": (A.MANAGE_STAFF, POST, NONE),
    "clinic_admin:staff-unlock": (A.MANAGE_STAFF, POST, NONE),
    "clinic_admin:staff-two-factor-reset": (A.MANAGE_STAFF, POST, NONE),
    "clinic_admin:settings": (A.MANAGE_SETTINGS, GET, NONE),
    "staff:patients": (A.VIEW_PATIENTS, GET, LIST),
    "staff:register": (A.REGISTER_PATIENT, GET, LIST),
    "staff:patient": (A.VIEW_PATIENTS, GET, PATIENT),
    "staff:appointment-new": (A.BOOK_APPOINTMENT, GET, PATIENT),
    "staff:appointment-move": (A.BOOK_APPOINTMENT, GET, PATIENT),
    "staff:calendar": (A.VIEW_PATIENTS, GET, LIST),
    "staff:calendar-book": (A.BOOK_APPOINTMENT, GET, NONE),  # a slot; its search is POSTed
    "staff:schedules": (A.VIEW_SCHEDULES, GET, LIST),
    "staff:flagged": (A.VIEW_CLINICAL_RECORD, GET, LIST),
    "staff:schedules-act": (A.SEND_REMINDER, POST, NONE),
    "staff:schedules-export": (A.VIEW_SCHEDULES, GET, LIST),
    "staff:reminder-failed-act": (A.HANDLE_FAILED_REMINDERS, POST, NONE),
    "staff:midas-new": (A.RECORD_QUESTIONNAIRE, GET, PATIENT),
    "staff:plan-edit": (A.MANAGE_PLAN, GET, PATIENT),
    "staff:plan-history": (A.VIEW_CLINICAL_RECORD, GET, PATIENT),
    "staff:audit": (A.VIEW_AUDIT, GET, LIST),
    "staff:audit-export": (A.VIEW_AUDIT, GET, LIST),
    "portal:home": (PORTAL, GET, PATIENT),
    "portal:book": (PORTAL, GET, PATIENT),
    "portal:midas": (PORTAL, GET, PATIENT),
    "portal:plan": (PORTAL, GET, PATIENT),
    "portal:messages": (PORTAL, POST, NONE),
    "portal:aftercare": (OWN, GET, PATIENT),
    "portal:consent": (OWN, GET, PATIENT),
    "portal:consent-withdraw": (OWN, POST, NONE),
    "portal:signed-consent": (OWN, GET, PATIENT),
    "portal:document": (OWN, GET, PATIENT),
    "portal:appointment-ics": (OWN, GET, PATIENT),
    "portal:diary": (PORTAL, GET, PATIENT),
    "portal:diary-no-headache": (PORTAL, POST, NONE),
    "portal:diary-day": (PORTAL, GET, PATIENT),
    "portal:diary-missing": (PORTAL, GET, PATIENT),
    "portal:diary-medicine-add": (PORTAL, POST, NONE),
    "portal:diary-medicine-stop": (OWN, POST, NONE),
    "portal:diary-export": (PORTAL, GET, PATIENT),
    "portal:cycle-summary": (PORTAL, GET, PATIENT),
    "portal:diary-import": (PORTAL, GET, PATIENT),
    "staff:diary-day": (A.ENTER_DIARY, GET, PATIENT),
    "staff:diary-export": (A.VIEW_CLINICAL_RECORD, GET, PATIENT),
    "staff:cycle-summary": (A.VIEW_CLINICAL_RECORD, GET, PATIENT),
    "staff:session": (A.VIEW_CLINICAL_RECORD, GET, PATIENT),
    "staff:diary-medicine-add": (A.ENTER_DIARY, POST, NONE),
    "patients:callbacks": (A.HANDLE_CALLBACKS, GET, LIST),
    "patients:callback": (A.HANDLE_CALLBACKS, GET, LIST),
    "patients:contact-edit": (A.EDIT_CONTACT, GET, PATIENT),
    "patients:contact-attempt-new": (A.RECORD_CONTACT_ATTEMPT, GET, PATIENT),
    "patients:portal-invite": (A.INVITE_TO_PORTAL, POST, NONE),
    "patients:portal-revoke": (A.INVITE_TO_PORTAL, POST, NONE),
    "patients:portal-remove": (A.REMOVE_PORTAL_ACCESS, GET, PATIENT),
    "patients:portal-join": (SIGNED_OUT, GET, NONE),
    "staff:consultation": (A.RECORD_CONSULTATION, GET, PATIENT),
    "treatments:list-add": (A.KEEP_MEDICAL_LISTS, POST, NONE),
    "treatments:list-remove": (A.KEEP_MEDICAL_LISTS, POST, NONE),
    "treatments:consent": (A.RECORD_CONSENT, GET, PATIENT),
    "treatments:consent-send": (A.RECORD_CONSENT, POST, NONE),
    "treatments:consent-withdraw": (A.RECORD_CONSENT, GET, PATIENT),
    "treatments:preparation": (A.RECORD_PREPARATION, GET, PATIENT),
    "treatments:injection": (A.RECORD_INJECTION, GET, PATIENT),
    "treatments:aftercare": (A.ISSUE_AFTERCARE, GET, PATIENT),
    "treatments:follow-up": (A.ISSUE_AFTERCARE, GET, PATIENT),
    "staff:retreatment": (A.START_RETREATMENT, GET, PATIENT),
    "staff:review": (A.START_RETREATMENT, GET, PATIENT),
    "treatments:discontinue": (A.DISCONTINUE, GET, PATIENT),
    "treatments:maintenance": (A.START_MAINTENANCE, POST, NONE),
    "treatments:course-start": (A.START_COURSE, POST, NONE),
    "treatments:step": (A.RENEW_CONSENT, GET, PATIENT),
    "treatments:appointment-status": (A.BOOK_APPOINTMENT, POST, NONE),
    "treatments:document": (A.VIEW_CLINICAL_RECORD, GET, PATIENT),
    # The world's amendment is of a session: who records a session amends it.
    "treatments:amend": (A.RECORD_INJECTION, GET, PATIENT),
    "treatments:lots": (A.MANAGE_LOTS, GET, NONE),
    "treatments:lot-recall-index": (A.VIEW_LOT_RECALL, GET, NONE),  # lots and counts only
    "treatments:lot-recall": (A.VIEW_LOT_RECALL, GET, LIST),
    "treatments:lot-recall-export": (A.VIEW_LOT_RECALL, GET, LIST),
    "treatments:open-visits": (A.BOOK_APPOINTMENT, GET, LIST),
    "treatments:consent-forms": (A.MANAGE_CONSENT_FORMS, GET, NONE),
    "treatments:consent-form-new": (A.MANAGE_CONSENT_FORMS, GET, NONE),
    "treatments:consent-form": (A.MANAGE_CONSENT_FORMS, GET, NONE),
    "treatments:consent-form-activate": (A.MANAGE_CONSENT_FORMS, POST, NONE),
}

# Step forms a course in maintenance does not open, shown with a patient at their step.
AT_STEP = {
    "staff:consultation": State.CONSULTATION,
    "treatments:consent": State.CONSENT,
    "treatments:preparation": State.CONSENT,
    "treatments:injection": State.INJECTION,
    "staff:review": State.INJECTION,
    "treatments:aftercare": State.POST_CARE,
    "treatments:follow-up": State.POST_CARE,
}

# Where a refused person is sent instead of a 403 or 404.
DENIED_AT = {reverse("login")}


def allowed(who: str | Action, person: str) -> bool:
    if who in (PUBLIC, SIGN_IN_STEP):
        return True
    if who == SIGNED_IN:
        return person != "anonymous"
    if who == SIGNED_OUT:
        return person == "anonymous"
    if who == PORTAL:
        return person in ("patient", "other_patient")
    if who == OWN:
        return person == "patient"
    assert isinstance(who, Action)
    role = STAFF_ROLES.get(person)
    return role is not None and role in MATRIX[who][0]


def outcome(response) -> str:
    if response.status_code >= 500:
        return f"error {response.status_code}"
    if response.status_code in (401, 403, 404):
        return "denied"
    if response.status_code in (301, 302) and urlparse(response["Location"]).path in DENIED_AT:
        return "denied"
    return "allowed"


@pytest.fixture
def world(clinic, consent_form, lot, django_capture_on_commit_callbacks) -> World:
    return build_world(
        clinic=clinic,
        consent_form=consent_form,
        lot=lot,
        capture=django_capture_on_commit_callbacks,
    )


def clients(world: World, client_for) -> dict[str, Client]:
    return {
        person: client_for(user) if user is not None else Client()
        for person, user in world.people.items()
    }


def ask(client: Client, method: str, url: str):
    """One request whose writes are rolled back, and the client's cookies kept (a sign-out
    drops them); with the audit events it wrote."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.get(url) if method == GET else client.post(url, {})
        events = list(AuditEvent.objects.filter(id__gt=before))
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, events


def url_of(world: World, name: str) -> str:
    """The URL with the world's records in it (the patient's id where it takes a `pk`)."""
    try:
        path = reverse(name, kwargs=world.kwargs.get(name, {"pk": world.patient.pk}))
    except NoReverseMatch:
        path = reverse(name)
    return path + world.queries.get(name, "")


def test_every_url_has_a_rule():
    names = url_names()
    assert names - set(RULES) == set(), "a URL without a rule: add it to RULES"
    assert set(RULES) - names == set(), "a rule for a URL that no longer exists"


def test_every_url_answers_each_person_as_the_matrix_says(world, client_for):
    people = clients(world, client_for)
    wrong = []
    for name, (who, method, _audit) in sorted(RULES.items()):
        url = url_of(world, name)
        for person in PEOPLE:
            response, _events = ask(people[person], method, url)
            expected = "allowed" if allowed(who, person) else "denied"
            got = outcome(response)
            if who == SIGN_IN_STEP and not got.startswith("error"):
                continue
            if got != expected:
                wrong.append(f"{method.upper()} {name} as {person}: {got} {response.status_code}")
    assert wrong == [], "\n".join(wrong)


def test_every_page_with_patient_data_writes_an_audit_event(world, client_for):
    people = clients(world, client_for)
    cases = []  # (url name, url, person, the patient whose event is expected)
    for name, (who, method, audit) in sorted(RULES.items()):
        if audit is NONE or method != GET:
            continue
        patient, url = world.patient, url_of(world, name)
        if name in AT_STEP:
            patient = world.at_step[AT_STEP[name]]
            url = reverse(name, args=[patient.pk])
        for person in PEOPLE:
            if allowed(who, person) and person != "other_patient":
                cases.append((name, url, people[person], world.people[person], patient))
    signer = world.at_step[State.CONSENT]
    cases.append(
        (
            "portal:consent",
            reverse("portal:consent", args=[world.waiting_consent.pk]),
            client_for(signer.user),
            signer.user,
            signer,
        )
    )
    missing, seen = [], set()
    for name, url, client, user, patient in cases:
        response, events = ask(client, GET, url)
        if response.status_code != 200:
            continue  # sent elsewhere: nothing was shown
        seen.add(name)
        audit = RULES[name][2]
        mine = [e for e in events if e.user_id == user.pk]
        if audit == PATIENT:
            mine = [e for e in mine if e.patient_id == patient.pk]
        if not mine:
            missing.append(f"GET {name} as {user.username}: no audit event")
    assert missing == [], "\n".join(missing)
    never = {n for n, (_w, m, a) in RULES.items() if a is not NONE and m == GET} - seen
    assert never == set(), "never shown (the world cannot prove them): " + ", ".join(sorted(never))
