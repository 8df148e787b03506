"""The clinic admin's pages: staff, and the clinic's settings. Parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..errors import DomainError
from ..forms import add_refusals, refusal_messages
from ..models import ClinicSettings
from ..roles import Action, Role, StaffRequest, require, staff_required
from . import hours as hours_services
from . import selectors, services
from .forms import (
    ClinicSettingsForm,
    StaffAddForm,
    StaffHoursForm,
    StaffRolesForm,
    muscle_formset,
    muscle_limits_from,
    settings_add_refusals,
)


@staff_required
def staff_list(request: StaffRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_STAFF)
    return render(
        request,
        "clinic_admin/staff_list.html",
        {"staff": selectors.staff_of(clinic=request.clinic)},
    )


@staff_required
def staff_add(request: StaffRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_STAFF)
    form = StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.staff_add(
                clinic=request.clinic,
                by=request.user,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(
                request,
                f"{member.get_full_name()} was added; a link to choose a password was sent to "
                f"{member.email}.",
            )
            return redirect("clinic_admin:staff-member", member.pk)
    return render(
        request,
        "clinic_admin/staff_add.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@staff_required
def staff_member(request: StaffRequest, pk: int) -> HttpResponse:
    """One member: their roles (changed here), and whether they can sign in."""
    require(request.user, Action.MANAGE_STAFF)
    member = selectors.staff_member(clinic=request.clinic, pk=pk)
    if request.method != "POST":
        return _member_page(request, member)
    form = StaffRolesForm(request.POST)
    if form.is_valid():
        try:
            services.staff_roles_change(
                member=member, by=request.user, clinic=request.clinic, **form.cleaned_data
            )
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, "Roles saved.")
            return redirect("clinic_admin:staff-member", member.pk)
    return _member_page(request, member, form=form)


def _member_page(
    request: StaffRequest,
    member: Any,
    *,
    form: StaffRolesForm | None = None,
    hours: StaffHoursForm | None = None,
) -> HttpResponse:
    if form is None:
        current = [r.value for r in Role if member.groups.filter(name=r.value).exists()]
        form = StaffRolesForm(initial={"roles": current})
    cfg = request.clinic.settings
    if hours is None:
        profile = member.staff_profile
        hours = StaffHoursForm(
            clinic_day=(cfg.day_starts, cfg.day_ends),
            initial={
                "days": profile.work_days,
                "work_starts": profile.work_starts,
                "work_ends": profile.work_ends,
            },
        )
    return render(
        request,
        "clinic_admin/staff_member.html",
        {
            "member": member,
            "form": form,
            "hours": hours,
            "is_self": member.pk == request.user.pk,
            "sign_in_paused": selectors.sign_in_paused(member=member),
            "two_factor_since": selectors.two_factor_since(member=member),
        },
        status=400 if form.errors or hours.errors else 200,
    )


@require_POST
@staff_required
def staff_hours(request: StaffRequest, pk: int) -> HttpResponse:
    """A member's working days and hours, which bound their free time in the calendar."""
    require(request.user, Action.MANAGE_STAFF)
    member = selectors.staff_member(clinic=request.clinic, pk=pk)
    cfg = request.clinic.settings
    hours = StaffHoursForm(request.POST, clinic_day=(cfg.day_starts, cfg.day_ends))
    if hours.is_valid():
        data = hours.cleaned_data
        try:
            hours_services.staff_hours_change(
                member=member,
                by=request.user,
                clinic=request.clinic,
                days=data["days"],
                starts=data["work_starts"],
                ends=data["work_ends"],
            )
        except DomainError as error:
            add_refusals(hours, error)
        else:
            messages.success(request, "Working hours saved.")
            return redirect("clinic_admin:staff-member", member.pk)
    return _member_page(request, member, hours=hours)


@require_POST
@staff_required
def staff_active(request: StaffRequest, pk: int) -> HttpResponse:
    """Deactivate or reactivate a member (`active` is "0" or "1")."""
    require(request.user, Action.MANAGE_STAFF)
    member = selectors.staff_member(clinic=request.clinic, pk=pk)
    try:
        if request.POST.get("active") == "1":
            services.staff_reactivate(member=member, by=request.user)
            done = "can sign in again"
        else:
            services.staff_deactivate(member=member, by=request.user, clinic=request.clinic)
            done = "can no longer sign in"
    except DomainError as error:
        refusal_messages(request, error)
    else:
        messages.success(request, f"{member.get_full_name() or member.username} {done}.")
    return redirect("clinic_admin:staff-member", member.pk)


@require_POST
@staff_required
def staff_set_password(request: StaffRequest, pk: int) -> HttpResponse:
    require(request.user, Action.MANAGE_STAFF)
    member = selectors.staff_member(clinic=request.clinic, pk=pk)
    try:
        services.staff_set_password_send(
            member=member,
            by=request.user,
            clinic=request.clinic,
            base_url=request.build_absolute_uri("/"),
        )
    except DomainError as error:
        refusal_messages(request, error)
    else:
        messages.success(request, f"A link to choose a password was sent to {member.email}.")
    return redirect("clinic_admin:staff-member", member.pk)


@require_POST
@staff_required
def staff_unlock(request: StaffRequest, pk: int) -> HttpResponse:
    """Lift the pause on a member's sign-in after repeated failures."""
    require(request.user, Action.MANAGE_STAFF)
    member = selectors.staff_member(clinic=request.clinic, pk=pk)
    try:
        services.staff_sign_in_unlock(member=member, by=request.user)
    except DomainError as error:
        refusal_messages(request, error)
    else:
        messages.success(request, f"{member.get_full_name() or member.username} can sign in again.")
    return redirect("clinic_admin:staff-member", member.pk)


@require_POST
@staff_required
def staff_two_factor_reset(request: StaffRequest, pk: int) -> HttpResponse:
    """Remove a member's two-factor sign-in (a lost phone): they set it up again."""
    require(request.user, Action.MANAGE_STAFF)
    member = selectors.staff_member(clinic=request.clinic, pk=pk)
    try:
        services.staff_two_factor_reset(member=member, by=request.user, clinic=request.clinic)
    except DomainError as error:
        refusal_messages(request, error)
    else:
        messages.success(
            request,
            f"Two-factor sign-in was reset: {member.get_full_name() or member.username} sets "
            "it up again at their next sign-in.",
        )
    if member.pk == request.user.pk:
        return redirect("two_factor:enrol")
    return redirect("clinic_admin:staff-member", member.pk)


@staff_required
def clinic_settings(request: StaffRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_SETTINGS)
    cfg = ClinicSettings.objects.get(clinic=request.clinic)
    data = request.POST if request.method == "POST" else None
    form = ClinicSettingsForm(data, initial=ClinicSettingsForm.initial_from(cfg))
    formset = muscle_formset(data, cfg)
    failed = False
    if data is not None:
        if form.is_valid() and formset.is_valid():
            try:
                changes = services.clinic_settings_update(
                    clinic=request.clinic,
                    by=request.user,
                    values=form.cleaned_data,
                    muscle_limits=muscle_limits_from(formset),
                )
            except DomainError as error:
                settings_add_refusals(form, formset, error)
                failed = True
            else:
                if changes:
                    messages.success(request, f"Settings saved ({len(changes)} changed).")
                else:
                    messages.info(request, "Nothing was changed.")
                return redirect("clinic_admin:settings")
        else:
            failed = True
    return render(
        request,
        "clinic_admin/settings.html",
        {
            "form": form,
            "formset": formset,
            "failed": failed,
            "units_per_site": cfg.units_per_site,
            "history": selectors.settings_history(clinic=request.clinic),
        },
        status=400 if failed else 200,
    )
