"""Pages about patients alone: booking an appointment, the call-back queue, correcting contact
details, portal access (inviting, revoking, removing) and the public page where an invited
patient sets up their login. The pages that show a patient with their treatment (the list, the
patient page, registration, the portal) are in `pages/`."""

from __future__ import annotations

from copy import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from botoxcare.audit import audited, note_shown
from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals
from botoxcare.roles import Action, StaffRequest, require, staff_required
from botoxcare.submissions import submitted_once

from . import selectors, services
from .callbacks import answer_due
from .forms import CallbackOutcomeForm, ContactAttemptForm, ContactForm, PortalJoinForm
from .models import PortalInvitation
from .reasons import Reason

# The login a patient creates on the join page signs in by password (the axes backend only
# counts failures and never signs anyone in).
SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"


@staff_required
@audited("callbacks.listed", patient=None)
def callbacks(request: StaffRequest) -> HttpResponse:
    """The clinic's call-back queue, oldest first, each against the clinic's answer target."""
    require(request.user, Action.HANDLE_CALLBACKS)
    clinic = request.clinic
    rows = selectors.callback_rows(
        list(selectors.callback_queue(clinic=clinic)),
        working_days=clinic.settings.callback_target_days,
        now=timezone.now(),
    )
    note_shown(request, callback_ids=[r.request.pk for r in rows])
    return render(
        request,
        "patients/callbacks.html",
        {
            "rows": rows,
            "done": selectors.callbacks_done(clinic=clinic),
            "target_days": clinic.settings.callback_target_days,
        },
    )


def _refused(request: HttpRequest, error: DomainError) -> None:
    """A refusal without a form: explained at the top of the patient page."""
    messages.error(request, str(error), extra_tags=" ".join(error.codes))


@staff_required
@require_http_methods(["GET", "POST"])
@audited("callback.viewed", patient=None)
@submitted_once
def callback_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """One request: claim it, record the call, match it to a patient."""
    require(request.user, Action.HANDLE_CALLBACKS)
    clinic = request.clinic
    callback = selectors.callback_get(clinic=clinic, pk=pk)
    note_shown(request, patient=callback.patient_id, target=callback)
    form = CallbackOutcomeForm(request.POST if "record" in request.POST else None)
    if request.method == "POST":
        try:
            done = _callback_act(request, callback, form)
        except DomainError as error:
            if form.is_bound:
                add_refusals(form, error)
            else:
                messages.error(request, str(error), extra_tags=" ".join(error.codes))
                return redirect("patients:callback", pk=callback.pk)
        else:
            if done:
                messages.success(request, done)
                return redirect("patients:callback", pk=callback.pk)
    return render(
        request,
        "patients/callback_detail.html",
        {
            "callback": callback,
            "form": form,
            "mine": callback.claimed_by_id == request.user.pk,
            "matches": []
            if callback.patient_id
            else selectors.patients_like(clinic=clinic, name=callback.name, phone=callback.phone),
            "due": answer_due(callback.created_at, clinic.settings.callback_target_days),
        },
        status=400 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
@audited("patient.page_viewed")
def contact_edit(request: StaffRequest, pk: int) -> HttpResponse:
    require(request.user, Action.EDIT_CONTACT)
    clinic = request.clinic
    patient = selectors.patient_get(clinic=clinic, pk=pk)
    # A copy: the form writes what it cleans onto its instance; the page keeps the record's.
    form = ContactForm(request.POST or None, instance=copy(patient), clinic=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_contact_update(patient=patient, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, "Contact details saved.")
            return redirect("staff:patient", pk=patient.pk)
    return render(
        request,
        "patients/contact_form.html",
        {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
@audited("patient.page_viewed")
@submitted_once
def contact_attempt_new(request: StaffRequest, pk: int) -> HttpResponse:
    """Record a call (or a text or email sent by hand) to reach a patient about their
    follow-up; back to the schedules page when opened from it, else the patient's page."""
    require(request.user, Action.RECORD_CONTACT_ATTEMPT)
    patient = selectors.patient_get(clinic=request.clinic, pk=pk)
    back_to_schedules = (request.POST or request.GET).get("from") == "schedules"
    form = ContactAttemptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_attempt_record(patient=patient, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, f"Contact attempt with {patient.full_name} recorded.")
            if back_to_schedules:
                return redirect("staff:schedules")
            return redirect("staff:patient", pk=patient.pk)
    return render(
        request,
        "patients/contact_attempt_form.html",
        {"form": form, "patient": patient, "back_to_schedules": back_to_schedules},
        status=400 if form.errors else 200,
    )


def _callback_act(request: StaffRequest, callback: Any, form: CallbackOutcomeForm) -> str:
    """Carry out the button pressed on a request's page; the message to show, or "" when the
    form has errors to show instead."""
    if "claim" in request.POST:
        services.callback_claim(callback=callback, by=request.user)
        return "You are calling this person; record what happened below."
    if "patient" in request.POST:
        patient = selectors.patient_get(clinic=request.clinic, pk=_int(request.POST["patient"]))
        services.callback_match(callback=callback, patient=patient, by=request.user)
        return f"Linked to {patient.full_name}."
    if form.is_bound and form.is_valid():
        services.callback_outcome_record(callback=callback, by=request.user, **form.cleaned_data)
        return "Call recorded."
    return ""


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@staff_required
@require_POST
def portal_invite(request: StaffRequest, pk: int) -> HttpResponse:
    require(request.user, Action.INVITE_TO_PORTAL)
    patient = selectors.patient_get(clinic=request.clinic, pk=pk)
    try:
        invitation = services.portal_invite(
            patient=patient, by=request.user, base_url=request.build_absolute_uri("/")
        )
    except DomainError as error:
        _refused(request, error)
    else:
        until = timezone.localtime(invitation.expires_at)
        messages.success(
            request,
            f"Portal invitation sent by email; the link works until {until.day} {until:%b %Y}.",
        )
    return redirect("staff:patient", pk=patient.pk)


@staff_required
@require_POST
def portal_revoke(request: StaffRequest, pk: int) -> HttpResponse:
    require(request.user, Action.INVITE_TO_PORTAL)
    patient = selectors.patient_get(clinic=request.clinic, pk=pk)
    try:
        services.portal_invitation_revoke(patient=patient, by=request.user)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, "Invitation revoked: its link no longer works.")
    return redirect("staff:patient", pk=patient.pk)


@staff_required
@require_http_methods(["GET", "POST"])
@audited("patient.page_viewed")
def portal_remove(request: StaffRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST removes the patient's portal login."""
    require(request.user, Action.REMOVE_PORTAL_ACCESS)
    patient = selectors.patient_get(clinic=request.clinic, pk=pk)
    if request.method == "GET":
        return render(request, "patients/portal_remove.html", {"patient": patient})
    try:
        services.portal_access_remove(patient=patient, by=request.user)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, "Portal access removed: the login can no longer sign in.")
    return redirect("staff:patient", pk=patient.pk)


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def portal_join(request: HttpRequest, token: str) -> HttpResponse:
    """The invited patient chooses a username and password, and is signed in to the portal.
    Whoever is signed in already is asked to sign out first, so no existing login (a staff
    member's on a shared computer, say) is ever swapped or linked. An unknown, expired, used
    or revoked link gets one page that says the same for each, and changes nothing."""
    if request.user.is_authenticated:
        return _join_page(request, "signed_in", status=403)
    invitation = selectors.portal_invitation_find(token=token, now=timezone.now())
    if invitation is None:
        return _join_page(request, "unusable", status=404)
    form = PortalJoinForm(request.POST or None, initial={"username": _suggested(invitation)})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.portal_invitation_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except DomainError as error:
            if Reason.INVITATION_UNUSABLE in error.codes:
                return _join_page(request, "unusable", status=404)
            add_refusals(form, error)
        else:
            login(request, user, backend=SIGN_IN_BACKEND)
            messages.success(request, "Your portal login is ready. Welcome.")
            return redirect("portal:home")
    return _join_page(request, "form", form=form, status=400 if form.errors else 200)


def _suggested(invitation: PortalInvitation) -> str:
    """The patient's email as the username, unless a login already has it."""
    email = invitation.patient.email
    return "" if selectors.username_taken(email) else email


def _join_page(
    request: HttpRequest, state: str, *, form: PortalJoinForm | None = None, status: int
) -> HttpResponse:
    # The site's Referrer-Policy (same-origin) keeps the link's token from other sites; not
    # "no-referrer", with which browsers post the form with `Origin: null` and CSRF refuses it.
    return render(
        request, "patients/portal_join.html", {"state": state, "form": form}, status=status
    )
