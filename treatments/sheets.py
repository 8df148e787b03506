"""What each document says, as plain values: one template fragment shows them on the portal
page and in the PDF (templates/documents/).

Everything here is read from records that no longer change (the consent's stored text and
hash, the session and its sites, the instructions copied onto the aftercare when it was
issued), plus the clinic's name, the appointments still booked after the aftercare was issued
and the re-treatment window. Clinic-written text stays plain text; the templates escape it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from botoxcare.models import Clinic
from patients.models import Appointment, AppointmentStatus, Patient

from .models import Aftercare, Consent, InjectionSession, ProductLot
from .retreatment import retreatment_window

NEXT_APPOINTMENTS = 5


@dataclass(frozen=True)
class SiteRow:
    muscle: str
    sites: int
    units: int


@dataclass(frozen=True)
class AftercareSheet:
    clinic: Clinic
    patient: Patient
    aftercare: Aftercare
    session: InjectionSession
    lots: list[ProductLot]  # the lots of the session's vials, each once, in the vials' order
    sites: list[SiteRow]
    total_units: int
    next_appointments: list[Appointment]
    window_opens: date
    retreatment_due: date


def aftercare_sheet(aftercare: Aftercare) -> AftercareSheet:
    """The aftercare sheet of one session (a few queries; for one document or page)."""
    aftercare = (
        Aftercare.objects.select_related("course__patient__clinic__settings", "follow_up")
        .prefetch_related("session__sites", "session__vials__lot")
        .get(pk=aftercare.pk)
    )
    session = aftercare.session
    patient = aftercare.course.patient
    cfg = patient.clinic.settings
    labels = {name: limit.get("label", name) for name, limit in cfg.muscles_in_order.items()}
    order = {name: i for i, name in enumerate(labels)}  # the clinic's order of the muscles
    sites = [
        SiteRow(muscle=labels.get(s.muscle, s.muscle), sites=s.sites, units=s.units)
        for s in sorted(session.sites.all(), key=lambda s: order.get(s.muscle, len(order)))
    ]
    opens, due = retreatment_window(session.session_date, cfg)
    return AftercareSheet(
        clinic=patient.clinic,
        patient=patient,
        aftercare=aftercare,
        session=session,
        lots=list({v.lot_id: v.lot for v in session.vials.all()}.values()),
        sites=sites,
        total_units=sum(s.units for s in sites),
        next_appointments=_booked_after(patient, aftercare.recorded_at),
        window_opens=opens,
        retreatment_due=due,
    )


def _booked_after(patient: Patient, moment: datetime) -> list[Appointment]:
    return list(
        Appointment.objects.filter(
            patient=patient, starts_at__gt=moment, status=AppointmentStatus.BOOKED
        ).order_by("starts_at")[:NEXT_APPOINTMENTS]
    )


@dataclass(frozen=True)
class SignedFrom:
    """Where an electronic signature was made. Filled by e-consent; paper has none."""

    address: str
    browser: str


@dataclass(frozen=True)
class ConsentSheet:
    clinic: Clinic
    patient: Patient
    consent: Consent
    form_version: int
    statements_ticked: list[str] = field(default_factory=list)
    signed_from: SignedFrom | None = None


# Hooks for electronic consent (issue 7, e-consent): it stores what the patient ticked and
# where they signed from, and fills these two functions from it. A paper consent has neither
# (the signed paper is on file); the template shows each section only when it has something.


def consent_statements_ticked(consent: Consent) -> list[str]:
    """The statements the patient ticked when signing electronically; none on paper."""
    return list(consent.statements) if consent.is_electronic else []


def consent_signed_from(consent: Consent) -> SignedFrom | None:
    """The address and browser an electronic signature came from; none on paper."""
    if not consent.is_electronic:
        return None
    return SignedFrom(address=consent.signer_address or "", browser=consent.signer_agent)


def consent_sheet(consent: Consent) -> ConsentSheet:
    """The signature record of one consent: the signed text, who, when, how, its hash."""
    consent = Consent.objects.select_related("course__patient__clinic", "form", "recorded_by").get(
        pk=consent.pk
    )
    patient = consent.course.patient
    return ConsentSheet(
        clinic=patient.clinic,
        patient=patient,
        consent=consent,
        form_version=consent.form.version,
        statements_ticked=consent_statements_ticked(consent),
        signed_from=consent_signed_from(consent),
    )
