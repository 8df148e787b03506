"""The public pages: each clinic's page with "Call me" and "Portal" over the five steps, and
the "Call me" form. No account needed; nothing personal ever goes in a URL."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from botoxcare.client_ip import client_ip
from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals
from botoxcare.models import Clinic
from patients.callbacks import answer_due
from patients.forms import CallbackForm
from patients.services import callback_request


def _clinic(slug: str) -> Clinic:
    return get_object_or_404(Clinic.objects.select_related("settings"), slug=slug)


def home(request: HttpRequest) -> HttpResponse:
    """With one clinic, its page; with several, a choice between them."""
    clinics = list(Clinic.objects.select_related("settings").order_by("name")[:50])
    if len(clinics) == 1:
        return _clinic_page(request, clinics[0])
    return render(request, "public/choose.html", {"clinics": clinics})


def clinic_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _clinic_page(request, _clinic(slug))


def _clinic_page(request: HttpRequest, clinic: Clinic) -> HttpResponse:
    return render(request, "public/clinic.html", {"clinic": clinic})


@require_http_methods(["GET", "POST"])
def call_me(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = _clinic(slug)
    form = CallbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_robot:
            # A honeypot filled in: answer as if sent, store nothing.
            return redirect("public:sent", slug=clinic.slug)
        try:
            callback_request(clinic=clinic, address=client_ip(request), **form.service_kwargs())
        except DomainError as error:
            add_refusals(form, error)
        else:
            return redirect("public:sent", slug=clinic.slug)
    return render(
        request,
        "public/call_me.html",
        {"clinic": clinic, "form": form},
        status=400 if form.errors else 200,
    )


def sent(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = _clinic(slug)
    by = answer_due(timezone.now(), clinic.settings.callback_target_days)
    return render(request, "public/sent.html", {"clinic": clinic, "by": by})
