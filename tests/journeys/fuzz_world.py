"""The clinic the form fuzz (test_fuzz_forms.py) posts into, and its table of every URL of the
URL conf: each form-handling URL with who may use it and where its ids come from, and every
other URL named as not a form, so that a new URL without an entry fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from botoxcare.roles import Role
from diary.models import AcuteMedicine
from patients.services import appointment_book, callback_request
from tests.factories import ConsentFormFactory, PatientFactory, ProductLotFactory, make_staff
from tests.journey import advance
from treatments import services
from treatments.models import Course, Reminder, State


@dataclass
class World:
    clinic: Any
    users: dict[str, Any]
    ids: dict[str, Any]


def world_build(clinic: Any, join_path: Callable[[Any], str]) -> World:
    """A clinic with a patient at each step, a visit, a call-back request, a consent waiting
    in the portal and a portal invitation."""
    users: dict[str, Any] = {role.value: make_staff(clinic, role) for role in Role}
    users["anonymous"] = None
    consent_form = ConsentFormFactory(clinic=clinic)
    lot = ProductLotFactory(clinic=clinic)
    staff = {"clinician": users[Role.CLINICIAN], "nurse": users[Role.NURSE], "lot": lot}
    at: dict[str, Any] = {}
    # Documents are not made (no commit callbacks run): the fuzz is about the forms.
    # One a step, and a spare at the steps whose forms end something (discontinue, a new
    # course, consent withdrawn), so that those leave the others at their step.
    for state in (State.CONSULTATION, State.CONSENT, State.INJECTION, State.POST_CARE):
        for key in (state, f"spare_{state}"):
            patient = PatientFactory(clinic=clinic, responsible_clinician=users[Role.CLINICIAN])
            advance(Course.objects.get(patient=patient), state, **staff)
            at[key] = patient
    me = PatientFactory(clinic=clinic, responsible_clinician=users[Role.CLINICIAN])
    course = advance(
        Course.objects.get(patient=me),
        State.MAINTENANCE,
        start=timezone.localdate() - timedelta(weeks=11),
        **staff,
    )
    waiting = PatientFactory(clinic=clinic, user=None)
    waiting_course = advance(Course.objects.get(patient=waiting), State.CONSENT, **staff)
    request = services.consent_request_send(course=waiting_course, by=users[Role.NURSE])
    me.user = get_user_model().objects.create_user("fuzz-patient", password="x-long-password-1")
    me.save(update_fields=["user"])
    waiting.user = get_user_model().objects.create_user("fuzz-waiting", password="x-long-pw-22")
    waiting.save(update_fields=["user"])
    users["patient"], users["waiting"] = me.user, waiting.user
    visit = appointment_book(
        patient=at[State.CONSULTATION],
        by=users[Role.RECEPTIONIST],
        kind="consultation",
        clinician=users[Role.CLINICIAN],
        starts_at=timezone.now() + timedelta(days=7),
        minutes=30,
    )
    callback = callback_request(
        clinic=clinic,
        name="Fuzz Caller",
        phone="07700 900321",
        best_times="",
        topic="new_referral",
        message="",
        contact_consent=True,
        address="198.51.100.7",
    )
    invited = PatientFactory(clinic=clinic)
    token = join_path(invited).rstrip("/").rsplit("/", 1)[-1]
    consent = course.consents.order_by("-pk").first()
    aftercare = course.aftercares.order_by("-pk").first()
    reminder = Reminder.objects.filter(course=course).order_by("pk").first()
    ids = {
        **{f"patient_{state}": p.pk for state, p in at.items()},
        "patient_maintenance": me.pk,
        "visit": visit.pk,
        "callback": callback.pk,
        "token": token,
        "consent_request": request.pk,
        "consent": consent.pk if consent else 0,
        "aftercare": aftercare.pk if aftercare else 0,
        "reminder": reminder.pk if reminder else 0,
        # Deactivated, given a password and reset by the fuzz: not one who posts.
        "staff_member": make_staff(clinic, Role.RECEPTIONIST).pk,
        "consent_form": consent_form.pk,
        "slug": clinic.slug,
        "step_name": "complete_evaluation",
        "action_name": "retry",
        "today": timezone.localdate().isoformat(),
        "medicine": AcuteMedicine.objects.create(
            patient=me, name="Sumatriptan", medicine_class="triptan"
        ).pk,
        "list_kind": "preventives",
        "amend_kind": "session",
        "session": course.sessions.order_by("pk").first().pk,
        "preventive": me.preventive_treatments.order_by("pk").first().pk,
    }
    return World(clinic=clinic, users=users, ids=ids)


@dataclass(frozen=True)
class FormUrl:
    """A URL that takes a form: who posts it, the world's ids for its arguments, and fields
    the page does not show on GET (a button's form elsewhere)."""

    user: str
    args: tuple[str, ...] = ()
    fields: tuple[str, ...] = field(default=())


P = "patient_"
FORM_URLS: dict[str, FormUrl] = {
    "login": FormUrl("anonymous", fields=("username", "password")),
    "password_reset": FormUrl("anonymous", fields=("email",)),
    "password_change": FormUrl("clinician"),
    "two_factor:verify": FormUrl("clinician", fields=("otp_token", "code")),
    "two_factor:enrol": FormUrl("clinician", fields=("otp_token", "code")),
    "admin-sign-in": FormUrl("anonymous", fields=("username", "password", "otp_token")),
    "clinic_admin:staff-add": FormUrl("admin"),
    "clinic_admin:staff-member": FormUrl("admin", ("staff_member",)),
    "clinic_admin:staff-hours": FormUrl("admin", ("staff_member",)),
    "clinic_admin:staff-active": FormUrl("admin", ("staff_member",), ("active",)),
    "clinic_admin:staff-set-password": FormUrl("admin", ("staff_member",)),
    "clinic_admin:staff-unlock": FormUrl("admin", ("staff_member",)),
    "clinic_admin:staff-two-factor-reset": FormUrl("admin", ("staff_member",)),
    "clinic_admin:settings": FormUrl("admin"),
    "public:call-me": FormUrl("anonymous", ("slug",)),
    "staff:patients": FormUrl("receptionist", fields=("q", "state", "clear")),
    "staff:register": FormUrl("receptionist", fields=("callback",)),
    "staff:appointment-new": FormUrl("receptionist", (f"{P}consultation",)),
    "staff:appointment-move": FormUrl("receptionist", (f"{P}consultation", "visit")),
    "staff:calendar-book": FormUrl(
        "receptionist", fields=("patient", "kind", "starts_at", "clinician", "room")
    ),
    "staff:schedules-act": FormUrl(
        "receptionist", fields=("patients", "remind", "action", "channel", "outcome", "note")
    ),
    "staff:reminder-failed-act": FormUrl("admin", ("reminder", "action_name")),
    "staff:midas-new": FormUrl("nurse", (f"{P}maintenance",)),
    "staff:plan-edit": FormUrl("clinician", (f"{P}maintenance",)),
    "portal:book": FormUrl("patient", fields=("slot",)),
    "portal:messages": FormUrl("patient"),
    "portal:midas": FormUrl("patient"),
    "portal:consent": FormUrl("waiting", ("consent_request",)),
    "portal:consent-withdraw": FormUrl("patient", ("consent",)),
    "portal:diary-no-headache": FormUrl("patient"),
    "portal:diary-day": FormUrl("patient", ("today",)),
    "portal:diary-missing": FormUrl("patient"),
    "portal:diary-medicine-add": FormUrl("patient", fields=("name", "medicine_class")),
    "portal:diary-medicine-stop": FormUrl("patient", ("medicine",)),
    "portal:diary-import": FormUrl("patient", fields=("file",)),
    "staff:diary-day": FormUrl("nurse", (f"{P}maintenance", "today")),
    "staff:diary-medicine-add": FormUrl(
        "nurse", (f"{P}maintenance",), ("name", "medicine_class", "next")
    ),
    "patients:callback": FormUrl("receptionist", ("callback",), ("action", "kind", "note")),
    "patients:contact-edit": FormUrl("receptionist", (f"{P}consultation",)),
    "patients:contact-attempt-new": FormUrl("receptionist", (f"{P}maintenance",)),
    "patients:portal-invite": FormUrl("receptionist", (f"{P}consultation",)),
    "patients:portal-revoke": FormUrl("receptionist", (f"{P}consultation",)),
    "patients:portal-remove": FormUrl("receptionist", (f"{P}spare_consultation",)),
    "patients:portal-join": FormUrl("anonymous", ("token",)),
    "staff:consultation": FormUrl("clinician", (f"{P}consultation",)),
    "treatments:list-add": FormUrl(
        "nurse",
        (f"{P}maintenance", "list_kind"),
        ("p-drug_class", "p-drug", "p-dose", "p-duration_weeks", "p-outcome", "next"),
    ),
    "treatments:list-remove": FormUrl(
        "nurse", (f"{P}maintenance", "list_kind", "preventive"), ("next",)
    ),
    "treatments:consent": FormUrl("clinician", (f"{P}consent",)),
    "treatments:consent-send": FormUrl("nurse", (f"{P}consent",)),
    "treatments:consent-withdraw": FormUrl("clinician", (f"{P}spare_injection",)),
    "treatments:preparation": FormUrl("nurse", (f"{P}consent",)),
    "treatments:injection": FormUrl("clinician", (f"{P}injection",)),
    "treatments:aftercare": FormUrl("nurse", (f"{P}post_care",)),
    "treatments:follow-up": FormUrl("nurse", (f"{P}maintenance",)),
    "treatments:amend": FormUrl("clinician", (f"{P}maintenance", "amend_kind", "session")),
    "staff:retreatment": FormUrl("clinician", (f"{P}maintenance",)),
    "staff:review": FormUrl("clinician", (f"{P}injection",)),
    "treatments:discontinue": FormUrl("clinician", (f"{P}spare_consent",)),
    "treatments:maintenance": FormUrl("nurse", (f"{P}spare_post_care",)),
    "treatments:course-start": FormUrl("clinician", (f"{P}spare_consent",)),
    "treatments:step": FormUrl("clinician", (f"{P}consultation", "step_name"), ("reason",)),
    "treatments:appointment-status": FormUrl(
        "receptionist", (f"{P}consultation", "visit"), ("status", "reason")
    ),
    "treatments:lots": FormUrl("nurse"),
    "treatments:open-visits": FormUrl("receptionist", fields=("date", "visit", "status")),
    "treatments:consent-form-new": FormUrl("admin"),
    "treatments:consent-form": FormUrl("admin", ("consent_form",)),
    "treatments:consent-form-activate": FormUrl("admin", ("consent_form",)),
}

# Pages read with GET only (their query parameters are fuzzed where they have any).
NOT_FORMS = {
    "healthz",
    "session-ping",
    "logout",
    "after-login",
    "password_reset_done",
    "password_reset_complete",
    "password_reset_confirm",  # its form needs a mailed token: Django's own view
    "password_change_done",
    "clinic_admin:staff",
    "public:home",
    "public:clinic",
    "public:sent",
    "staff:patient",
    "staff:calendar",
    "staff:schedules",
    "staff:schedules-export",
    "staff:flagged",
    "staff:audit",
    "staff:audit-export",
    "staff:plan-history",
    "portal:home",
    "portal:aftercare",
    "portal:plan",
    "portal:signed-consent",
    "portal:document",
    "portal:appointment-ics",
    "portal:diary",
    "portal:diary-export",
    "staff:diary-export",
    "portal:cycle-summary",
    "staff:cycle-summary",
    "staff:session",
    "patients:callbacks",
    "treatments:document",
    "treatments:consent-forms",
    "treatments:lot-recall-index",
    "treatments:lot-recall",
    "treatments:lot-recall-export",
}

# The list pages and the links that carry query parameters, with the parameters they read.
GET_PARAMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "staff:patients": ("receptionist", ("after", "before", "last")),
    "staff:calendar": ("receptionist", ("view", "date", "by", "key")),
    "staff:schedules": ("receptionist", ("clinician", "status", "sort", "page")),
    "staff:flagged": ("clinician", ("flag", "clinician", "after", "before", "last")),
    "staff:schedules-export": ("receptionist", ("clinician", "status", "sort")),
    "staff:audit": (
        "admin",
        ("member", "patient", "action", "since", "until", "after", "before", "last"),
    ),
    "staff:register": ("receptionist", ("callback",)),
    "staff:appointment-new": ("receptionist", ("kind", "starts_at", "clinician", "room")),
    "patients:callbacks": ("receptionist", ("page",)),
    "treatments:open-visits": ("receptionist", ("date",)),
    "treatments:lot-recall-index": ("nurse", ("lot", "page")),
    "staff:consultation": ("clinician", ("next",)),
}


def url_names() -> set[str]:
    """Every named URL of the URL conf, namespaced, except Django's /admin/."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/"):
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names
