"""Helpers for tests that click through the staff pages with Django's test client."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from botoxcare.models import PREEMPT_MUSCLES
from treatments.models import Course


def detail(patient):
    return reverse("staff:patient", args=[patient.pk])


# The step pages composed with the diary live in pages.staff; the others in treatments.
STAFF_STEP_PAGES = {"consultation", "retreatment", "review"}


def url(name, patient, *args):
    namespace = "staff" if name in STAFF_STEP_PAGES else "treatments"
    return reverse(f"{namespace}:{name}", args=[patient.pk, *args])


def vial_rows(*rows, rows_shown=2):
    """The injection form's vial rows as posted: each row a dict of its fields (lot,
    diluent_ml, reconstituted_at, units_given, units_discarded), the rest left blank."""
    data = {
        "vials-TOTAL_FORMS": str(max(rows_shown, len(rows))),
        "vials-INITIAL_FORMS": "0",
        "vials-MIN_NUM_FORMS": "0",
        "vials-MAX_NUM_FORMS": "4",
    }
    for n, row in enumerate(rows):
        for name, value in row.items():
            data[f"vials-{n}-{name}"] = str(value)
    return data


def vial_row(lot, given, discarded, *, at=None, diluent_ml=""):
    """One vial row; reconstituted 30 minutes ago unless `at` says when."""
    moment = timezone.localtime(at or timezone.now() - timedelta(minutes=30))
    return {
        "lot": lot.pk,
        "diluent_ml": diluent_ml or f"{lot.vial_units / 50:.1f}",
        "reconstituted_at": moment.strftime("%Y-%m-%dT%H:%M"),
        "units_given": given,
        "units_discarded": discarded,
    }


def injection_post(lot, day, *, vials=None, **changes):
    """The injection form as posted with the fixed PREEMPT doses from one 200-unit vial of
    `lot` (155 U given, 45 U discarded) unless `vials` (rows of `vial_row`) says otherwise."""
    data = {
        "session_date": day.isoformat(),
        "tolerability": "Well tolerated.",
        **vial_rows(*(vials or [vial_row(lot, 155, lot.vial_units - 155)])),
    }
    for muscle, limit in PREEMPT_MUSCLES.items():
        data[f"{muscle}_sites"] = str(limit["fixed_sites"])
        data[f"{muscle}_units"] = str(limit["fixed_units"])
    data.update(changes)
    return data


def state_of(patient):
    return Course.objects.filter(patient=patient).order_by("-started_on", "-id").first().state
