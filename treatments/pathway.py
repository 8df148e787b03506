"""The pathway's guards as pure functions of recorded facts.

Each function takes records already loaded (or None) and the date the decision is judged on,
reads no database and no clock, and returns the reasons the step cannot happen yet, worded for
the clinician who sees them on the patient page. An empty list means the step may happen.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
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


def day(value: date) -> str:
    """A date as the clinic reads it: 2 Feb 2027."""
    return f"{value.day} {value:%b %Y}"


def evaluation_blockers(consultation: Consultation | None, settings: ClinicSettings) -> list[str]:
    if consultation is None:
        return ["No consultation has been recorded yet."]
    reasons = []
    c = consultation
    if not consultation.history.strip():
        reasons.append("The medical history is not recorded.")
    if not consultation.previous_preventives.strip():
        reasons.append("Previous preventive treatments are not recorded.")
    if not consultation.chronic_migraine_confirmed:
        reasons.append(
            "The chronic migraine diagnosis is not confirmed (ICHD-3: headache on 15 or more "
            "days a month for more than 3 months, with migraine features on 8 or more)."
        )
    elif (c.headache_days_per_month is not None and c.headache_days_per_month < 15) or (
        c.migraine_days_per_month is not None and c.migraine_days_per_month < 8
    ):
        reasons.append(
            "The recorded figures do not meet chronic migraine (at least 15 headache days "
            "and 8 migraine days a month)."
        )
    if c.failed_preventives_count < settings.min_failed_preventives:
        reasons.append(
            f"{c.failed_preventives_count} preventive treatment(s) failed; the clinic's start "
            f"rule asks for at least {settings.min_failed_preventives}."
        )
    if c.medication_overuse == "present":
        reasons.append("Medication overuse must be managed before starting treatment.")
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
        return f"The consent is dated {day(consent.signed_on)}, after {day(on)}."
    if consent.withdrawn_on is not None and consent.withdrawn_on <= on:
        return f"The consent was withdrawn on {day(consent.withdrawn_on)}."
    expires = consent_expires_on(consent, valid_days)
    if expires <= on:
        return f"The consent signed on {day(consent.signed_on)} expired on {day(expires)}."
    return None


def consent_expires_on(consent: Consent, valid_days: int) -> date:
    return consent.signed_on + timedelta(days=valid_days)


def consent_blockers(
    consent: Consent | None,
    preparation: PreparationReview | None,
    today: date,
    settings: ClinicSettings,
    renewed_at: datetime | None = None,
) -> list[str]:
    """`renewed_at`: when the course was sent back for a new consent; records made before it
    no longer count."""
    reasons = []
    if renewed_at is not None and consent is not None and consent.recorded_at < renewed_at:
        reasons.append("A new consent is needed since the consent was renewed.")
    else:
        problem = consent_problem(consent, today, settings.consent_valid_days)
        if problem:
            reasons.append(problem)
    if renewed_at is not None and preparation is not None and preparation.recorded_at < renewed_at:
        reasons.append("A new preparation review is needed since the consent was renewed.")
    elif preparation is None:
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
        reviewed = review is not None and review.session_id == previous.pk
        overridden = reviewed and review is not None and review.override_reason
        if not reviewed:
            reasons.append(
                f"The response to the session of {day(previous.session_date)} is not reviewed."
            )
        if session.session_date <= previous.session_date:
            reasons.append(
                f"The session date must be after the previous session "
                f"({day(previous.session_date)})."
            )
        elif session.session_date < opens and not overridden:
            reasons.append(
                f"The re-treatment window opens on {day(opens)}; an earlier session needs "
                "a clinician's override when the response is reviewed."
            )
    problem = consent_problem(consent, session.session_date, settings.consent_valid_days)
    if problem:
        reasons.append(problem)
    lot = session.lot
    if lot.expiry_date <= session.session_date:
        reasons.append(
            f"Lot {lot.lot_number} expired on {day(lot.expiry_date)}, "
            f"on or before the session date."
        )
    reasons += dilution_blockers(session.vial_units, session.diluent_ml, settings)
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
        if site.units != site.sites * settings.units_per_site:
            reasons.append(
                f"{limit['label']}: {site.units} units in {site.sites} sites is not "
                f"{settings.units_per_site} units a site."
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


def dilution_blockers(vial_units: int, diluent_ml: Decimal, settings: ClinicSettings) -> list[str]:
    """The reconstituted strength must give the protocol's units per 0.1 mL site."""
    if not vial_units or not diluent_ml:
        return ["The dilution (vial units and saline volume) is not recorded."]
    expected_ml = Decimal(vial_units) / (settings.units_per_site * 10)
    if Decimal(diluent_ml) != expected_ml:
        return [
            f"A {vial_units}-unit vial in {diluent_ml} mL does not give "
            f"{settings.units_per_site} units per 0.1 mL: reconstitute with {expected_ml:g} mL."
        ]
    return []


def maintenance_blockers(
    session: InjectionSession | None, aftercare: Aftercare | None
) -> list[str]:
    if session is None:
        return ["No injection session has been recorded."]
    reasons = []
    if aftercare is None or aftercare.session_id != session.pk:
        return [f"Aftercare for the session of {day(session.session_date)} is not issued."]
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
            f"The response to the session of {day(session.session_date)} is not reviewed."
        )
    opens, _due = retreatment_window(session.session_date, settings)
    override = review is not None and review.session_id == session.pk and review.override_reason
    if today < opens and not override:
        reasons.append(
            f"The re-treatment window opens on {day(opens)} "
            f"({settings.retreatment_window_weeks} weeks after the last session); "
            "earlier needs a clinician's override with a reason."
        )
    problem = consent_problem(consent, today, settings.consent_valid_days)
    if problem:
        reasons.append(problem + " Renew the consent first.")
    return reasons


def discontinue_blockers(reason: str) -> list[str]:
    return [] if reason else ["A reason for discontinuing is required."]
