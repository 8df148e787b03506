"""The two pages: set up two-factor sign-in, and enter a code. Parse, call, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice

from ..errors import DomainError
from ..forms import add_refusals
from ..redirects import same_site_back
from . import services
from .codes import key_for_typing
from .forms import CodeForm
from .qr import setup_qr_svg
from .rules import is_enrolled, is_staff_or_operator, is_verified


def page_with_next(name: str, back: str) -> str:
    """The address of a two-factor page, carrying where the person was going."""
    return reverse(name) + (f"?{urlencode({'next': back})}" if back else "")


def _session_verified(request: HttpRequest, device: Any) -> None:
    # A new session key at the step up, as Django's own sign-in does at the first step.
    request.session.cycle_key()
    django_otp.login(request, device)


def _onward(back: str) -> HttpResponse:
    return redirect(back or "after-login")


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code (or type the key), enter a code from it;
    then the recovery codes, shown once."""
    user, back = request.user, same_site_back(request)
    if is_enrolled(user):
        if is_verified(user):
            messages.info(request, "Two-factor sign-in is already set up.")
            return _onward(back)
        return redirect(page_with_next("two_factor:verify", back))
    form = CodeForm(request.POST if request.method == "POST" else None, app_only=True)
    if form.is_bound and form.is_valid():
        try:
            device, codes = services.two_factor_enrol(user=user, code=form.cleaned_data["code"])
        except DomainError as error:
            add_refusals(form, error)
        else:
            _session_verified(request, device)
            return render(
                request,
                "two_factor/recovery_codes.html",
                {"codes": codes, "onward": back or reverse("after-login")},
            )
    device = services.totp_device_pending(user=user)
    return render(
        request,
        "two_factor/enrol.html",
        {
            "form": form,
            "qr": setup_qr_svg(device),
            "key": key_for_typing(device),
            "next": back,
            "required": is_staff_or_operator(user),
        },
        status=400 if form.errors else 200,
    )


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Enter a code from the authenticator app, or a recovery code, once per sign-in."""
    user, back = request.user, same_site_back(request)
    if is_verified(user):
        return _onward(back)
    if not is_enrolled(user):
        if is_staff_or_operator(user):
            return redirect(page_with_next("two_factor:enrol", back))
        return _onward(back)  # a patient who has not set it up needs no code
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            device = services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except DomainError as error:
            add_refusals(form, error)
        else:
            _session_verified(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    f"You signed in with a recovery code; it cannot be used again. "
                    f"{left} recovery code{'s' if left != 1 else ''} left.",
                )
            return _onward(back)
    return render(
        request,
        "two_factor/verify.html",
        {"form": form, "next": back},
        status=400 if form.errors else 200,
    )
