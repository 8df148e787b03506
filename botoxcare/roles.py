"""Who may do what: the permission matrix, enforced in services and views.

Roles are Django groups with these names. docs/PERMISSIONS.md is generated from MATRIX by
`manage.py permission_matrix` and a test keeps the two in step.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

    from botoxcare.models import Clinic


class StaffRequest(HttpRequest):
    """The request a staff view receives: a signed-in user and their clinic."""

    user: User
    clinic: Clinic


class Role(StrEnum):
    CLINICIAN = "clinician"
    NURSE = "nurse"
    RECEPTIONIST = "receptionist"
    ADMIN = "admin"


class Action(StrEnum):
    VIEW_PATIENTS = "view_patients"
    REGISTER_PATIENT = "register_patient"
    BOOK_APPOINTMENT = "book_appointment"
    HANDLE_CALLBACKS = "handle_callbacks"
    VIEW_CLINICAL_RECORD = "view_clinical_record"
    RECORD_CONSULTATION = "record_consultation"
    COMPLETE_EVALUATION = "complete_evaluation"
    RECORD_CONSENT = "record_consent"
    RECORD_PREPARATION = "record_preparation"
    KEEP_MEDICAL_LISTS = "keep_medical_lists"
    CLEAR_PREPARATION_FLAGS = "clear_preparation_flags"
    MANAGE_LOTS = "manage_lots"
    VIEW_LOT_RECALL = "view_lot_recall"
    RECORD_INJECTION = "record_injection"
    ISSUE_AFTERCARE = "issue_aftercare"
    START_MAINTENANCE = "start_maintenance"
    START_RETREATMENT = "start_retreatment"
    RENEW_CONSENT = "renew_consent"
    DISCONTINUE = "discontinue"
    START_COURSE = "start_course"
    EDIT_CONTACT = "edit_contact"
    INVITE_TO_PORTAL = "invite_to_portal"
    REMOVE_PORTAL_ACCESS = "remove_portal_access"
    MANAGE_STAFF = "manage_staff"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_CONSENT_FORMS = "manage_consent_forms"
    VIEW_SCHEDULES = "view_schedules"
    RECORD_CONTACT_ATTEMPT = "record_contact_attempt"
    SEND_REMINDER = "send_reminder"
    HANDLE_FAILED_REMINDERS = "handle_failed_reminders"
    VIEW_AUDIT = "view_audit"
    ENTER_DIARY = "enter_diary"
    RECORD_QUESTIONNAIRE = "record_questionnaire"
    MANAGE_PLAN = "manage_plan"


C, N, R, A = Role.CLINICIAN, Role.NURSE, Role.RECEPTIONIST, Role.ADMIN

MATRIX: dict[Action, tuple[frozenset[Role], str]] = {
    Action.VIEW_PATIENTS: (
        frozenset({C, N, R, A}),
        "See the patient list, contact details, step and appointments",
    ),
    Action.REGISTER_PATIENT: (frozenset({C, N, R}), "Register a new patient"),
    Action.BOOK_APPOINTMENT: (
        frozenset({C, N, R, A}),  # the admin books from the follow-up schedules
        "Book an appointment; mark one attended, missed or cancelled",
    ),
    Action.HANDLE_CALLBACKS: (
        frozenset({C, N, R}),
        "See the call-back queue, claim a request, record the call, match it to a patient",
    ),
    Action.VIEW_CLINICAL_RECORD: (
        frozenset({C, N}),
        "Read the clinical timeline: consultation, consent, sessions, aftercare",
    ),
    Action.RECORD_CONSULTATION: (frozenset({C}), "Record a consultation (step 1)"),
    Action.COMPLETE_EVALUATION: (
        frozenset({C}),
        "Complete the evaluation, or record that the patient declines",
    ),
    Action.RECORD_CONSENT: (frozenset({C, N}), "Record a signed paper consent and confirm step 2"),
    Action.RECORD_PREPARATION: (
        frozenset({C, N}),
        "Record the preparation review (medicines to pause)",
    ),
    Action.KEEP_MEDICAL_LISTS: (
        frozenset({C, N}),
        "Add to or remove from a patient's previous preventives, current medicines and allergies",
    ),
    Action.CLEAR_PREPARATION_FLAGS: (
        frozenset({C}),
        "Clear flagged interacting medicines for treatment",
    ),
    Action.MANAGE_LOTS: (frozenset({C, N}), "Add product lots to stock"),
    # Not reception: the list is the clinical record (which lot and how many units each
    # patient received), which reception does not read (VIEW_CLINICAL_RECORD).
    Action.VIEW_LOT_RECALL: (
        frozenset({C, N, A}),
        "See and export who received a product lot (patient, contact, session, units), "
        "for a recall",
    ),
    Action.RECORD_INJECTION: (frozenset({C, N}), "Record an injection session (step 3)"),
    Action.ISSUE_AFTERCARE: (
        frozenset({C, N}),
        "Issue aftercare and book (or re-book) the follow-up (step 4)",
    ),
    Action.START_MAINTENANCE: (frozenset({C, N}), "Move the course to maintenance (step 5)"),
    Action.START_RETREATMENT: (frozenset({C}), "Review a cycle's response and start re-treatment"),
    Action.RENEW_CONSENT: (frozenset({C, N}), "Send the course back for a new consent"),
    Action.DISCONTINUE: (frozenset({C}), "Discontinue a course"),
    Action.START_COURSE: (frozenset({C}), "Start a new course after a discontinued one"),
    Action.EDIT_CONTACT: (
        frozenset({C, N, R}),
        "Correct a patient's phone, email, preferred channel and responsible clinician",
    ),
    Action.INVITE_TO_PORTAL: (
        frozenset({C, N, R}),
        "Invite a patient to the portal, invite again, or revoke a pending invitation",
    ),
    Action.REMOVE_PORTAL_ACCESS: (
        frozenset({C, N, R, A}),
        "Remove a patient's portal login (it can no longer sign in)",
    ),
    Action.MANAGE_STAFF: (
        frozenset({A}),
        "Add staff to the clinic, change their roles, deactivate or reactivate them",
    ),
    Action.MANAGE_SETTINGS: (
        frozenset({A}),
        "Change the clinic's settings (clinical numbers, dose limits, texts) and see their history",
    ),
    Action.MANAGE_CONSENT_FORMS: (
        frozenset({A}),
        "Write consent form versions and choose the active one",
    ),
    Action.VIEW_SCHEDULES: (
        frozenset({C, N, R, A}),
        "See the follow-up schedules (re-treatment status, visits, reminders, contact) "
        "and export them",
    ),
    Action.RECORD_CONTACT_ATTEMPT: (
        frozenset({C, N, R, A}),
        "Record an attempt to contact a patient about their follow-up",
    ),
    Action.SEND_REMINDER: (frozenset({C, N, R, A}), "Send a patient a booking reminder now"),
    Action.HANDLE_FAILED_REMINDERS: (
        frozenset({A}),
        "See reminders that failed every retry; retry them or mark them handled",
    ),
    Action.VIEW_AUDIT: (
        frozenset({A}),
        "Read and export the audit trail: who saw or changed which record, per patient and "
        "per staff member",
    ),
    Action.ENTER_DIARY: (
        frozenset({C, N}),
        "Enter or correct a patient's headache diary on their behalf (marked as such)",
    ),
    Action.RECORD_QUESTIONNAIRE: (
        frozenset({C, N}),
        "Record a MIDAS questionnaire on a patient's behalf",
    ),
    Action.MANAGE_PLAN: (
        frozenset({C, N}),
        "Write a new version of a patient's management plan",
    ),
}


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[Role]:
    """The user's roles, read once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_botoxcare_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        cached = frozenset(r for r in Role if r.value in names)
        setattr(user, "_botoxcare_roles", cached)  # noqa: B010 (a per-request cache)
    return cached


def user_can(user: AbstractBaseUser | AnonymousUser, action: Action) -> bool:
    return bool(user_roles(user) & MATRIX[action][0])


def require(user: AbstractBaseUser | AnonymousUser, action: Action) -> None:
    """Raise PermissionDenied unless one of the user's roles allows the action."""
    if not user_can(user, action):
        raise PermissionDenied(f"Your role does not allow this: {MATRIX[action][1].lower()}.")


def staff_clinic(user: AbstractBaseUser | AnonymousUser) -> Clinic:
    """The clinic a staff user works for; anyone else gets a 404, not a hint."""
    profile = getattr(user, "staff_profile", None) if user.is_authenticated else None
    if profile is None:
        raise Http404
    return profile.clinic


def permissions(user: AbstractBaseUser | AnonymousUser) -> dict[str, bool]:
    """Every action, and whether the user may take it: for templates and the patient page."""
    return {action.value: user_can(user, action) for action in Action}


def roles_context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"can": {}}
    return {"can": permissions(user)}


def staff_required(view: Any) -> Any:
    """Signed-in clinic staff only; sets request.clinic. Anyone else gets a 404."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required

    @login_required
    @wraps(view)
    def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
        request.clinic = staff_clinic(request.user)
        return view(request, *args, **kwargs)

    return wrapper
