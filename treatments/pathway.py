"""The pathway's guards as pure functions of recorded facts.

Each function takes records already loaded (or None) and the date the decision is judged on,
reads no database and no clock, and returns the reasons the step cannot happen yet, worded for
the clinician who sees them on the patient page. An empty list means the step may happen.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from botoxcare.models import ClinicSettings

    from .models import (
        Aftercare,
        Consent,
        Consultation,
        InjectionSession,
        PreparationReview,
        ResponseReview,
    )


def evaluation_blockers(consultation: Consultation | None) -> list[str]:
    if consultation is None:
        return ["No consultation has been recorded yet."]
    reasons = []
    if not consultation.history.strip():
        reasons.append("The medical history is not recorded.")
    if not consultation.previous_preventives.strip():
        reasons.append("Previous preventive treatments are not recorded.")
    if not consultation.chronic_migraine_confirmed:
        reasons.append(
            "The chronic migraine diagnosis is not confirmed (ICHD-3: headache on 15 or more "
            "days a month for more than 3 months, with migraine features on 8 or more)."
        )
    if not consultation.benefits_risks_discussed:
        reasons.append("Benefits, risks and expected outcomes have not been discussed.")
    if not consultation.medication_overuse:
        reasons.append("The medication-overuse status is not recorded.")
    if consultation.decision != "proceed":
        reasons.append("The patient and the specialist have not agreed to proceed.")
    return reasons


def decline_blockers(consultation: Consultation | None) -> list[str]:
    if consultation is None or consultation.decision != "decline":
        return ["Record a consultation with the decision 'patient declines treatment' first."]
    return []


def consent_problem(consent: Consent | None, on: date, valid_days: int) -> str | None:
    """Why no consent covers the date `on`, or None when one does."""
    if consent is None:
        return "No signed consent is on file for this course."
    if consent.signed_on > on:
        return f"The consent is dated {consent.signed_on:%d %b %Y}, after {on:%d %b %Y}."
    if consent.withdrawn_on is not None and consent.withdrawn_on <= on:
        return f"The consent was withdrawn on {consent.withdrawn_on:%d %b %Y}."
    expires = consent_expires_on(consent, valid_days)
    if expires <= on:
        return f"The consent signed on {consent.signed_on:%d %b %Y} expired on {expires:%d %b %Y}."
    return None


def consent_expires_on(consent: Consent, valid_days: int) -> date:
    return consent.signed_on + timedelta(days=valid_days)


def consent_blockers(
    consent: Consent | None,
    preparation: PreparationReview | None,
    today: date,
    settings: ClinicSettings,
) -> list[str]:
    reasons = []
    problem = consent_problem(consent, today, settings.consent_valid_days)
    if problem:
        reasons.append(problem)
    if preparation is None:
        reasons.append("The preparation review (medicines to pause) is not recorded.")
    else:
        if not preparation.advice.strip():
            reasons.append("The preparation advice given to the patient is not recorded.")
        flags = preparation.review_flags
        if flags and preparation.flags_cleared_by_id is None:
            reasons.append(
                "A clinician must review the flagged medicines before treatment: "
                + ", ".join(flags)
                + "."
            )
    return reasons


def injection_blockers(
    session: InjectionSession | None,
    consent: Consent | None,
    today: date,
    settings: ClinicSettings,
    previous: InjectionSession | None = None,
    review: ResponseReview | None = None,
) -> list[str]:
    """`previous` is the course's session before this one; `review` the review that opened
    this cycle (its override allows a session before the re-treatment window)."""
    if session is None:
        return ["No injection session has been recorded."]
    reasons = []
    if session.session_date > today:
        reasons.append("The session date is in the future.")
    if previous is not None:
        opens, _due = retreatment_window(previous.session_date, settings)
        overridden = review is not None and review.override_reason
        if session.session_date <= previous.session_date:
            reasons.append(
                f"The session date must be after the previous session "
                f"({previous.session_date:%d %b %Y})."
            )
        elif session.session_date < opens and not overridden:
            reasons.append(
                f"The re-treatment window opens on {opens:%d %b %Y}; an earlier session needs "
                "a clinician's override when the response is reviewed."
            )
    problem = consent_problem(consent, session.session_date, settings.consent_valid_days)
    if problem:
        reasons.append(problem)
    lot = session.lot
    if lot.expiry_date <= session.session_date:
        reasons.append(
            f"Lot {lot.lot_number} expired on {lot.expiry_date:%d %b %Y}, "
            f"on or before the session date."
        )
    if not session.vial_units or not session.diluent_ml:
        reasons.append("The dilution (vial units and saline volume) is not recorded.")
    sites = list(session.sites.all())
    if not sites or sum(s.units for s in sites) == 0:
        reasons.append("No injection sites are recorded.")
    limits = settings.muscle_limits
    for site in sites:
        limit = limits.get(site.muscle)
        if limit is None:
            reasons.append(f"'{site.muscle}' is not a muscle in the clinic's injection protocol.")
            continue
        if site.units > limit["max_units"]:
            reasons.append(
                f"{limit['label']}: {site.units} units is above the maximum of "
                f"{limit['max_units']}."
            )
        if site.sites > limit["max_sites"]:
            reasons.append(
                f"{limit['label']}: {site.sites} sites is above the maximum of "
                f"{limit['max_sites']}."
            )
    total = sum(s.units for s in sites)
    if total > settings.max_total_units:
        reasons.append(
            f"The total of {total} units is above the maximum of {settings.max_total_units}."
        )
    return reasons


def maintenance_blockers(
    session: InjectionSession | None, aftercare: Aftercare | None
) -> list[str]:
    if session is None:
        return ["No injection session has been recorded."]
    reasons = []
    if aftercare is None or aftercare.session_id != session.pk:
        return [f"Aftercare for the session of {session.session_date:%d %b %Y} is not issued."]
    follow_up = aftercare.follow_up
    if follow_up is None or follow_up.status == "cancelled":
        reasons.append("No follow-up visit is booked.")
    return reasons


def retreatment_window(session_date: date, settings: ClinicSettings) -> tuple[date, date]:
    """(the first day re-treatment may start, the day it is due) after a session."""
    return (
        session_date + timedelta(weeks=settings.retreatment_window_weeks),
        session_date + timedelta(weeks=settings.retreatment_due_weeks),
    )


def retreatment_blockers(
    session: InjectionSession | None,
    review: ResponseReview | None,
    consent: Consent | None,
    today: date,
    settings: ClinicSettings,
) -> list[str]:
    if session is None:
        return ["No injection session has been recorded."]
    reasons = []
    if review is None or review.session_id != session.pk:
        reasons.append(
            f"The response to the session of {session.session_date:%d %b %Y} is not reviewed."
        )
    opens, _due = retreatment_window(session.session_date, settings)
    override = review is not None and review.session_id == session.pk and review.override_reason
    if today < opens and not override:
        reasons.append(
            f"The re-treatment window opens on {opens:%d %b %Y} "
            f"({settings.retreatment_window_weeks} weeks after the last session); "
            "earlier needs a clinician's override with a reason."
        )
    problem = consent_problem(consent, today, settings.consent_valid_days)
    if problem:
        reasons.append(problem + " Renew the consent first.")
    return reasons


def discontinue_blockers(reason: str) -> list[str]:
    return [] if reason else ["A reason for discontinuing is required."]
