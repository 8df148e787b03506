"""Helpers for tests that click through the staff pages with Django's test client."""

from __future__ import annotations

from django.urls import reverse

from botoxcare.models import PREEMPT_MUSCLES
from treatments.models import Course


def detail(patient):
    return reverse("staff:patient", args=[patient.pk])


def url(name, patient, *args):
    return reverse(f"treatments:{name}", args=[patient.pk, *args])


def injection_post(lot, day, **changes):
    data = {
        "session_date": day.isoformat(),
        "lot": lot.pk,
        "diluent_ml": "4.0",
        "units_discarded": "45",
        "tolerability": "Well tolerated.",
    }
    for muscle, limit in PREEMPT_MUSCLES.items():
        data[f"{muscle}_sites"] = str(limit["fixed_sites"])
        data[f"{muscle}_units"] = str(limit["fixed_units"])
    data.update(changes)
    return data


def state_of(patient):
    return Course.objects.filter(patient=patient).order_by("-started_on", "-id").first().state
