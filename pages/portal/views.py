"""The patient's own portal: their step in plain words, their visits, their aftercare. Every
query is scoped to the signed-in patient; anyone else's id is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from patients.selectors import appointments_upcoming, patient_for_user
from treatments import selectors as course_selectors
from treatments.models import State

PLAIN_STEPS = {
    State.CONSULTATION: "Your first consultation and evaluation.",
    State.CONSENT: "Preparing for treatment: consent and a review of your medicines.",
    State.INJECTION: "Ready for your injection session.",
    State.POST_CARE: "Care after your injections.",
    State.MAINTENANCE: "Monitoring how the treatment works, and your next session.",
    State.DISCONTINUED: "Your treatment course has ended.",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    patient = patient_for_user(request.user)
    state = course_selectors.course_state(patient=patient)
    return render(
        request,
        "portal/home.html",
        {
            "patient": patient,
            "step": PLAIN_STEPS[state] if state else None,
            "upcoming": appointments_upcoming(patient, now=timezone.now()),
            "aftercares": course_selectors.aftercares_of(patient=patient),
        },
    )


@login_required
def aftercare(request: HttpRequest, pk: int) -> HttpResponse:
    patient = patient_for_user(request.user)
    issued = course_selectors.aftercare_get(patient=patient, pk=pk)
    return render(request, "portal/aftercare.html", {"patient": patient, "aftercare": issued})
