"""The clinic admin's consent form versions: the list, a new version (the current one's text
to start from), correcting an unused version, and choosing the active one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals, refusal_messages
from botoxcare.roles import Action, StaffRequest, require, staff_required

from .. import selectors, services
from ..forms import ConsentFormVersionForm
from ..models import ConsentForm
from ..models.records import DEFAULT_STATEMENTS


@staff_required
def consent_forms(request: StaffRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_CONSENT_FORMS)
    return render(
        request,
        "treatments/consent_forms.html",
        {"versions": selectors.consent_forms_of(clinic=request.clinic)},
    )


@staff_required
def consent_form_new(request: StaffRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_CONSENT_FORMS)
    current = selectors.consent_form_current(clinic=request.clinic)
    start = (
        {"title": current.title, "body": current.body, "statements": current.statements}
        if current
        else {"statements": DEFAULT_STATEMENTS}
    )
    form = ConsentFormVersionForm(request.POST or None, initial=start)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.consent_form_create(
                clinic=request.clinic, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            add_refusals(form, error)
        else:
            state = "active" if version.is_active else "saved; not active yet"
            messages.success(request, f"Version {version.version} {state}.")
            return redirect("treatments:consent-forms")
    return render(
        request,
        "treatments/consent_form_edit.html",
        {"form": form, "title": "New consent form version", "based_on": current},
        status=400 if form.errors else 200,
    )


@staff_required
def consent_form_edit(request: StaffRequest, pk: int) -> HttpResponse:
    require(request.user, Action.MANAGE_CONSENT_FORMS)
    version: ConsentForm = selectors.consent_form_get(clinic=request.clinic, pk=pk)
    used = services.consent_form_used(version)
    form = ConsentFormVersionForm(request.POST or None, instance=version)
    del form.fields["activate"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_form_edit(
                form=ConsentForm.objects.get(pk=version.pk),
                by=request.user,
                title=data["title"],
                body=data["body"],
                statements=data["statements"],
            )
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, f"Version {version.version} saved.")
            return redirect("treatments:consent-forms")
    return render(
        request,
        "treatments/consent_form_edit.html",
        {
            "form": form,
            "title": f"Consent form version {version.version}",
            "version": version,
            "used": used,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@staff_required
def consent_form_activate(request: StaffRequest, pk: int) -> HttpResponse:
    require(request.user, Action.MANAGE_CONSENT_FORMS)
    version = selectors.consent_form_get(clinic=request.clinic, pk=pk)
    try:
        services.consent_form_activate(form=version, by=request.user)
    except DomainError as error:
        refusal_messages(request, error)
    else:
        messages.success(request, f"Version {version.version} is now the active consent form.")
    return redirect("treatments:consent-forms")
