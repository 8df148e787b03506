"""The pathway's guards as pure functions of recorded facts.

Each guard takes records already loaded (or None) and the date the decision is judged on, reads
no database and no clock, and returns the refusals that stop the step, each with a stable code
(treatments.reasons.Reason) and the sentence the clinician reads. An empty list means the step
may happen. The dose and dilution rules of step 3 are in treatments/dosing.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from botoxcare.errors import Refusal

from .choices import Decision, DiscontinueReason, MedicationOveruse
from .reasons import Reason
from .start_rule import failed_preventive_count

if TYPE_CHECKING:
    from botoxcare.models import ClinicSettings

    from .models import (
        Aftercare,
        Consent,
        Consultation,
        InjectionSession,
        PreparationReview,
        PreventiveTreatment,
        ResponseReview,
    )


def day(value: date) -> str:
    """A date as the clinic reads it: 2 Feb 2027."""
    return f"{value.day} {value:%b %Y}"


def not_at_this_step(state_label: str) -> Refusal:
    """A record or step asked for at a step where it does not belong."""
    return Refusal(
        Reason.WRONG_STEP, f"This course is at '{state_label}'; that cannot be recorded now."
    )


def below_chronic(headache: int | None, migraine: int | None, settings: ClinicSettings) -> bool:
    """Recorded monthly figures that contradict chronic migraine (ICHD-3, the clinic's
    thresholds); unrecorded figures contradict nothing."""
    return (headache is not None and headache < settings.chronic_headache_days) or (
        migraine is not None and migraine < settings.chronic_migraine_days
    )


def start_rule_unmet(failed_preventives: int, settings: ClinicSettings) -> bool:
    """The clinic's start rule (NICE TA260: at least so many preventives failed) is not met;
    the one reading of it for the guard, the consultation form and the record. The count is
    treatments.start_rule.failed_preventive_count's."""
    return failed_preventives < settings.min_failed_preventives


def start_rule_justification_missing(
    failed_preventives: int, decision: str, justification: str, settings: ClinicSettings
) -> Refusal | None:
    """Deciding to proceed against the start rule needs the clinician's justification."""
    if (
        decision != Decision.PROCEED
        or not start_rule_unmet(failed_preventives, settings)
        or justification.strip()
    ):
        return None
    return Refusal(
        Reason.START_RULE_NEEDS_JUSTIFICATION,
        f"{failed_preventives} preventive treatment(s) failed and the clinic's start rule asks "
        f"for at least {settings.min_failed_preventives}: to proceed, say why.",
        field="start_rule_justification",
    )


def evaluation_refusals(
    c: Consultation | None,
    settings: ClinicSettings,
    preventives: Sequence[PreventiveTreatment] = (),
) -> list[Refusal]:
    """`preventives`: the patient's list, which the start rule counts (treatments.start_rule)."""
    if c is None:
        return [Refusal(Reason.NO_CONSULTATION, "No consultation has been recorded yet.")]
    found = []
    if not c.history.strip():
        found.append(Refusal(Reason.HISTORY_MISSING, "The medical history is not recorded."))
    if not preventives and not c.previous_preventives.strip():
        found.append(
            Refusal(Reason.PREVENTIVES_MISSING, "Previous preventive treatments are not recorded.")
        )
    headache, migraine = settings.chronic_headache_days, settings.chronic_migraine_days
    if not c.chronic_migraine_confirmed:
        found.append(
            Refusal(
                Reason.DIAGNOSIS_NOT_CONFIRMED,
                f"The chronic migraine diagnosis is not confirmed (ICHD-3: headache on {headache} "
                f"or more days a month for more than 3 months, with migraine features on "
                f"{migraine} or more).",
            )
        )
    elif below_chronic(c.headache_days_per_month, c.migraine_days_per_month, settings):
        found.append(
            Refusal(
                Reason.FIGURES_BELOW_CHRONIC,
                f"The recorded figures do not meet chronic migraine (at least {headache} "
                f"headache days and {migraine} migraine days a month).",
            )
        )
    failed = failed_preventive_count(c, preventives)
    if start_rule_unmet(failed, settings) and not c.start_rule_justification.strip():
        found.append(
            Refusal(
                Reason.START_RULE_NOT_MET,
                f"{failed} preventive treatment(s) failed; the clinic's "
                f"start rule asks for at least {settings.min_failed_preventives}. To proceed "
                "against it, record the clinician's justification with the consultation.",
            )
        )
    if c.medication_overuse == MedicationOveruse.PRESENT:
        found.append(
            Refusal(
                Reason.OVERUSE_UNMANAGED,
                "Medication overuse must be managed before starting treatment.",
            )
        )
    if not c.benefits_risks_discussed:
        found.append(
            Refusal(
                Reason.RISKS_NOT_DISCUSSED,
                "Benefits, risks and expected outcomes have not been discussed.",
            )
        )
    if not c.medication_overuse:
        found.append(
            Refusal(Reason.OVERUSE_NOT_RECORDED, "The medication-overuse status is not recorded.")
        )
    if c.decision != Decision.PROCEED:
        found.append(
            Refusal(Reason.NOT_AGREED, "The patient and the specialist have not agreed to proceed.")
        )
    return found


def decline_refusals(consultation: Consultation | None) -> list[Refusal]:
    if consultation is None or consultation.decision != Decision.DECLINE:
        return [
            Refusal(
                Reason.DECLINE_NOT_RECORDED,
                "Record a consultation with the decision 'patient declines treatment' first.",
            )
        ]
    return []


def consent_problem(consent: Consent | None, on: date, valid_days: int) -> Refusal | None:
    """Why no consent covers the date `on`, or None when one does."""
    if consent is None:
        return Refusal(Reason.NO_CONSENT, "No signed consent is on file for this course.")
    if consent.signed_on > on:
        return Refusal(
            Reason.CONSENT_DATED_LATER,
            f"The consent is dated {day(consent.signed_on)}, after {day(on)}.",
        )
    if consent.withdrawn_on is not None and consent.withdrawn_on <= on:
        return Refusal(
            Reason.CONSENT_WITHDRAWN, f"The consent was withdrawn on {day(consent.withdrawn_on)}."
        )
    expires = consent_expires_on(consent, valid_days)
    if expires <= on:
        return Refusal(
            Reason.CONSENT_EXPIRED,
            f"The consent signed on {day(consent.signed_on)} expired on {day(expires)}.",
        )
    return None


def consent_expires_on(consent: Consent, valid_days: int) -> date:
    return consent.signed_on + timedelta(days=valid_days)


def consent_expiring(consent: Consent | None, today: date, settings: ClinicSettings) -> date | None:
    """The day a valid, unwithdrawn consent expires, when that is within the clinic's warning
    days of `today`; None otherwise (no consent, not yet near, already invalid)."""
    if consent is None or consent_problem(consent, today, settings.consent_valid_days):
        return None
    expires = consent_expires_on(consent, settings.consent_valid_days)
    return expires if (expires - today).days <= settings.consent_warning_days else None


def renewal_refusals(
    consent: Consent | None, today: date, settings: ClinicSettings
) -> list[Refusal]:
    """At step 3: a consent still valid on `today` is renewed only from the clinic's warning
    days before it expires (an invalid one, withdrawn or expired, always may be)."""
    if consent is None or consent_problem(consent, today, settings.consent_valid_days):
        return []
    if consent_expiring(consent, today, settings) is not None:
        return []
    expires = consent_expires_on(consent, settings.consent_valid_days)
    return [
        Refusal(
            Reason.CONSENT_STILL_VALID,
            f"The consent signed on {day(consent.signed_on)} expires on {day(expires)}; it "
            f"can be renewed at this step from "
            f"{day(expires - timedelta(days=settings.consent_warning_days))}.",
        )
    ]


def consent_waiting(sent_on: date, viewed_on: date | None) -> Refusal:
    """A consent sent to the patient's portal and not signed yet."""
    seen = f"opened {day(viewed_on)}" if viewed_on else "not opened yet"
    return Refusal(
        Reason.CONSENT_REQUEST_OPEN,
        f"The patient to sign the consent sent on {day(sent_on)} ({seen}).",
    )


def recorded_since(record: Consent | PreparationReview | None, renewed_at: datetime | None) -> bool:
    """A consent or preparation review counts for the course only if it was recorded after the
    course was last sent back for a new consent (`renewed_at`), if ever."""
    return record is not None and (renewed_at is None or record.recorded_at >= renewed_at)


def consent_refusals(
    consent: Consent | None,
    preparation: PreparationReview | None,
    today: date,
    settings: ClinicSettings,
    renewed_at: datetime | None = None,
) -> list[Refusal]:
    """`renewed_at`: when the course was sent back for a new consent; records made before it
    no longer count."""
    found = []
    if consent is not None and not recorded_since(consent, renewed_at):
        found.append(
            Refusal(
                Reason.CONSENT_NOT_RENEWED,
                "A new consent is needed since the consent was renewed.",
            )
        )
    elif problem := consent_problem(consent, today, settings.consent_valid_days):
        found.append(problem)
    if preparation is None:
        found.append(
            Refusal(
                Reason.NO_PREPARATION,
                "The preparation review (medicines to pause) is not recorded.",
            )
        )
    elif not recorded_since(preparation, renewed_at):
        found.append(
            Refusal(
                Reason.PREPARATION_NOT_RENEWED,
                "A new preparation review is needed since the consent was renewed.",
            )
        )
    else:
        if not preparation.advice.strip():
            found.append(
                Refusal(
                    Reason.ADVICE_MISSING,
                    "The preparation advice given to the patient is not recorded.",
                )
            )
        flags = preparation.review_flags
        if flags and preparation.flags_cleared_by_id is None:
            found.append(
                Refusal(
                    Reason.FLAGS_NOT_CLEARED,
                    "A clinician must review the flagged medicines before treatment: "
                    + ", ".join(flags)
                    + ".",
                )
            )
    return found


def review_missing(
    session: InjectionSession | None, review: ResponseReview | None
) -> Refusal | None:
    """The response to `session` must be reviewed before the next cycle."""
    if session is None or (review is not None and review.session_id == session.pk):
        return None
    return Refusal(
        Reason.RESPONSE_NOT_REVIEWED,
        f"The response to the session of {day(session.session_date)} is not reviewed.",
    )


def maintenance_refusals(
    session: InjectionSession | None, aftercare: Aftercare | None
) -> list[Refusal]:
    if session is None:
        return [Refusal(Reason.NO_SESSION, "No injection session has been recorded.")]
    if aftercare is None or aftercare.session_id != session.pk:
        return [
            Refusal(
                Reason.AFTERCARE_NOT_ISSUED,
                f"Aftercare for the session of {day(session.session_date)} is not issued.",
            )
        ]
    if not aftercare.has_follow_up:
        return [Refusal(Reason.NO_FOLLOW_UP, "No follow-up visit is booked.")]
    return []


def discontinue_refusals(reason: str) -> list[Refusal]:
    if reason in DiscontinueReason.values:
        return []
    return [
        Refusal(
            Reason.NO_DISCONTINUE_REASON, "A reason for discontinuing is required.", field="reason"
        )
    ]
