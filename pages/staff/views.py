"""The staff pages that show a patient together with their treatment: the patient list, the
patient page and registration. Views parse, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from botoxcare.audit import audited, log_action, note_shown
from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals
from botoxcare.messaging import reachable, texts_enabled
from botoxcare.redirects import redirect_back, same_site_back
from botoxcare.roles import Action, StaffRequest, permissions, require, staff_required, user_can
from botoxcare.submissions import submitted_once
from botoxcare.validators import InputReason, control_characters, id_read
from patients import selectors as patient_selectors
from patients.forms import AppointmentForm, AppointmentMoveForm, PatientForm
from patients.models import CLOSING_STATUSES, AppointmentKind, CallbackRequest
from treatments import selectors as course_selectors
from treatments.course_records import patient_courses
from treatments.models import State
from treatments.pathway import consent_expiring
from treatments.services import patient_refer, visit_book, visit_move

from . import selectors
from .actions import course_actions
from .calendar import slot_initial
from .diary_card import diary_card_context
from .diary_care import diary_care_context
from .paging import keyset_page
from .step_summary import step_summary
from .timeline import course_timeline
from .timeline_html import timeline_html
from .timeline_view import timeline_view

PAGE_SIZE = 25
SEARCH_REFUSED = "The search holds invisible control characters; please type it again."
SEARCH_KEY = "patient_search"


@staff_required
@require_http_methods(["GET", "POST"])
@audited("patients.listed", patient=None)
def patient_list(request: StaffRequest) -> HttpResponse:
    """The clinic's patients. The search is POSTed and kept in the session, so that names and
    identifiers never appear in URLs (and so in access logs or browser history)."""
    require(request.user, Action.VIEW_PATIENTS)
    if request.method == "POST":
        if "clear" in request.POST:
            request.session.pop(SEARCH_KEY, None)
        elif control_characters(request.POST.get("q", ""), multiline=False):
            # Kept nowhere: a NUL byte in a query breaks it on PostgreSQL.
            messages.error(request, SEARCH_REFUSED, extra_tags=InputReason.CONTROL_CHARACTER)
        else:
            state = request.POST.get("state", "")
            request.session[SEARCH_KEY] = search = {
                "q": request.POST.get("q", "").strip()[:100],
                "state": state if state in State.values else "",
            }
            log_action("patients.searched", user=request.user, data=search)
        return redirect("staff:patients")
    search = request.session.get(SEARCH_KEY, {})
    query, state = search.get("q", ""), search.get("state", "")
    if control_characters(query, multiline=False):  # kept before the rule above
        query = ""
    clinic = request.clinic
    patients = selectors.patient_list(clinic=clinic, query=query, state=state)
    # A page of ids in the list's order, through its index (the search and step are in the
    # session, so the links carry only where the page starts); then those rows' own reads.
    page = keyset_page(
        patients,
        order=selectors.list_order(query),
        per_page=PAGE_SIZE,
        params=request.GET,
        ids=True,
    )
    note_shown(request, patient_ids=list(page.object_list), query=query, state=state)
    rows = selectors.patient_rows(
        page.object_list, settings=clinic.settings, today=timezone.localdate()
    )
    return render(
        request,
        "staff/patient_list.html",
        {"page": page, "rows": rows, "query": query, "state": state, "states": State.choices},
    )


@staff_required
@audited("patient.viewed")
def patient_detail(request: StaffRequest, pk: int) -> HttpResponse:
    require(request.user, Action.VIEW_PATIENTS)
    courses = patient_courses(clinic=request.clinic, pk=pk)
    patient, course = courses.patient, courses.current
    can = permissions(request.user)
    today, now = timezone.localdate(), timezone.now()
    clinical = can[Action.VIEW_CLINICAL_RECORD]
    appointments = list(patient_selectors.appointments_for(patient)[:20])
    diary = diary_card_context(patient, course, clinical=clinical, today=today)
    documents = list(course_selectors.documents_of(course=course)) if course and clinical else []
    retreatment = (
        course.retreatment_status(today) if course and course.state == State.MAINTENANCE else None
    )
    timeline = (
        timeline_view(
            course_timeline(course, documents=documents), params=request.GET, path=request.path
        )
        if course and clinical
        else None
    )
    return render(
        request,
        "staff/patient_detail.html",
        {
            "patient": patient,
            "course": course,
            "steps": [s for s in State.choices if s[0] != State.DISCONTINUED],
            # What a step waits for names clinical facts (flagged medicines, overuse): only
            # for the roles that read the clinical record, as docs/PERMISSIONS.md says.
            "actions": course_actions(course, patient_pk=patient.pk, can=can, today=today)
            if clinical
            else [],
            # The others take no step: where the course stands, in place of the buttons.
            "summary": step_summary(
                course, appointments=appointments, retreatment=retreatment, now=now
            )
            if course and not clinical
            else None,
            "timeline": timeline,
            "timeline_rows": timeline_html(timeline.entries, can=can) if timeline else "",
            "documents": documents,
            "earlier": courses.earlier,
            "appointments": appointments,
            "follow_up": selectors.follow_up_history(patient, appointments=appointments, now=now),
            "retreatment": retreatment,
            "consent": course.latest_consent if course else None,
            "consent_expires": consent_expiring(
                course.latest_consent, today, patient.clinic.settings
            )
            if course
            else None,
            "reachable": reachable(patient),
            "portal": patient_selectors.portal_access(patient, now=now),
            "texts_on": texts_enabled(),
            "closing_statuses": CLOSING_STATUSES,
            "now": now,
            **diary,
            **diary_care_context(patient, clinical=clinical, card=diary.get("diary")),
        },
    )


@staff_required
@audited("patient.registration_viewed", patient=None)
@submitted_once
def patient_register(request: StaffRequest) -> HttpResponse:
    """Register a referred patient; their first course opens at step 1. Opened from a
    call-back request (`?callback=<id>`), the form starts from what the caller gave and the
    request is linked to the new patient."""
    require(request.user, Action.REGISTER_PATIENT)
    clinic = request.clinic
    callback = _callback_from(request)
    if callback is not None:
        note_shown(request, target=callback)
    initial = selectors.registration_initial(callback) if callback else None
    form = PatientForm(request.POST or None, clinic=clinic, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)  # with different_person: the service asks again
        try:
            patient = patient_refer(clinic=clinic, by=request.user, callback=callback, **data)
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, f"{patient.full_name} registered at step 1.")
            return redirect("staff:patient", pk=patient.pk)
    return render(
        request,
        "staff/register.html",
        {"form": form, "callback": callback},
        status=400 if form.errors else 200,
    )


def _callback_from(request: StaffRequest) -> CallbackRequest | None:
    """The clinic's call-back request named by the form or the link (404 for anyone else's)."""
    raw = request.POST.get("callback") or request.GET.get("callback")
    if not raw:
        return None
    pk = id_read(raw)
    if pk is None:
        raise Http404
    return patient_selectors.callback_get(clinic=request.clinic, pk=pk)


@staff_required
@audited("patient.page_viewed")
@submitted_once
def appointment_new(request: StaffRequest, pk: int) -> HttpResponse:
    """Book a visit and its reminder. An injection visit on a day before the re-treatment window
    is refused unless a clinician gives the reason."""
    require(request.user, Action.BOOK_APPOINTMENT)
    clinic = request.clinic
    patient = patient_selectors.patient_get(clinic=clinic, pk=pk)
    can_override = user_can(request.user, Action.START_RETREATMENT)
    # The schedules page links here with ?kind=injection for the re-treatment visit, the
    # calendar with a free slot's time, clinician and room.
    kind = request.GET.get("kind", "")
    initial = slot_initial(request.GET, clinic=clinic) if "starts_at" in request.GET else {}
    if kind in AppointmentKind.values:
        initial["kind"] = kind
    form = AppointmentForm(
        request.POST or None, clinic=clinic, can_override=can_override, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        override = data.pop("override_reason", "")
        try:
            visit_book(patient=patient, by=request.user, override_reason=override, **data)
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, "Appointment booked.")
            return redirect_back(request, "staff:patient", patient.pk)
    return render(
        request,
        "patients/appointment_form.html",
        {
            "form": form,
            "patient": patient,
            "title": "Book appointment",
            "submit": "Book",
            "back": same_site_back(request),
        },
        status=400 if form.errors else 200,
    )


@staff_required
@audited("patient.page_viewed")
@submitted_once
def appointment_move(request: StaffRequest, pk: int, appointment_pk: int) -> HttpResponse:
    """Move one of this patient's booked visits to another time, with the reason; its reminder
    moves with it."""
    require(request.user, Action.BOOK_APPOINTMENT)
    clinic = request.clinic
    patient = patient_selectors.patient_get(clinic=clinic, pk=pk)
    appointment = patient_selectors.appointment_get(patient=patient, pk=appointment_pk)
    can_override = user_can(request.user, Action.START_RETREATMENT)
    form = AppointmentMoveForm(request.POST or None, clinic=clinic, can_override=can_override)
    if request.method == "POST" and form.is_valid():
        try:
            moved = visit_move(appointment=appointment, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_refusals(form, error)
        else:
            when = timezone.localtime(moved.starts_at)
            messages.success(request, f"Visit moved to {when:%H:%M} on {when.day} {when:%b %Y}.")
            return redirect_back(request, "staff:patient", patient.pk)
    return render(
        request,
        "patients/appointment_form.html",
        {
            "form": form,
            "patient": patient,
            "appointment": appointment,
            "title": "Move appointment",
            "submit": "Move",
            "back": same_site_back(request),
        },
        status=400 if form.errors else 200,
    )
