"""One injection session on one printable page: date, clinician, the sites table, totals, the
lot(s) and vials, reactions, the aftercare issued. For the clinical roles only (it is the
clinical record); linked from the session's entry on the patient page's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from botoxcare.audit import audited, note_shown
from botoxcare.roles import Action, StaffRequest, require, staff_required, user_can
from patients import selectors as patient_selectors
from treatments.models import InjectionSession

from . import selectors
from .amendments import amend_url, session_amendments


@dataclass(frozen=True)
class VialRow:
    lot_number: str
    expiry_date: date
    vial_units: int
    diluent_ml: Decimal
    reconstituted_at: datetime | None = None  # recorded with vials only
    units_given: int | None = None  # recorded with vials only
    units_discarded: int = 0


def session_vials(session: InjectionSession) -> list[VialRow]:
    """The session's vials with their lots. Sessions recorded one lot, vial size and diluent
    on themselves before they recorded each vial (InjectionVial): read whichever is there."""
    vials: Any = getattr(session, "vials", None)
    if vials is not None:
        return [
            VialRow(
                v.lot.lot_number,
                v.lot.expiry_date,
                v.vial_units,
                v.diluent_ml,
                getattr(v, "reconstituted_at", None),
                getattr(v, "units_given", None),
                v.units_discarded,
            )
            for v in vials.all()
        ]
    lot: Any = getattr(session, "lot", None)
    if lot is None:
        return []
    one: Any = session
    return [
        VialRow(lot.lot_number, lot.expiry_date, one.vial_units, one.diluent_ml,
                units_discarded=one.units_discarded)
    ]  # fmt: skip


@dataclass(frozen=True)
class SiteRow:
    muscle: str
    side: str
    sites: int
    units: int


def session_sites(session: InjectionSession) -> list[SiteRow]:
    """The sites table in the protocol's order, each muscle by the clinic's name for it."""
    muscles = session.course.patient.clinic.settings.muscles_in_order
    rank = {name: i for i, name in enumerate(muscles)}
    rows = sorted(session.sites.all(), key=lambda s: (rank.get(s.muscle, len(rank)), s.muscle))
    return [SiteRow(_label(muscles, s.muscle), _side(s), s.sites, s.units) for s in rows]


def _label(muscles: dict[str, Any], muscle: str) -> str:
    limit = muscles.get(muscle)
    return str(limit.get("label") or muscle) if isinstance(limit, dict) else muscle


def _side(site: Any) -> str:
    """The muscle's sites by side ("L 3 · R 4"), where they were recorded (a midline muscle's,
    and a session's before sides were, are not)."""
    left, right = getattr(site, "sites_left", None), getattr(site, "sites_right", None)
    if left is None and right is None:
        return ""
    return f"L {'—' if left is None else left} · R {'—' if right is None else right}"


@staff_required
@require_GET
@audited("session.viewed")
def session_page(request: StaffRequest, pk: int, session_pk: int) -> HttpResponse:
    require(request.user, Action.VIEW_CLINICAL_RECORD)
    patient = patient_selectors.patient_get(clinic=request.clinic, pk=pk)
    session = selectors.session_get(patient=patient, pk=session_pk)
    note_shown(request, target=session)
    sites = session_sites(session)
    vials = session_vials(session)
    aftercare = selectors.session_aftercare(session)
    return render(
        request,
        "staff/session.html",
        {
            "patient": patient,
            "clinic": patient.clinic,
            "session": session,
            "sites": sites,
            "sides": any(s.side for s in sites),
            "total_sites": sum(s.sites for s in sites),
            "total_units": sum(s.units for s in sites),
            "vials": vials,
            "vials_recorded": any(v.units_given is not None for v in vials),
            "discarded": sum(v.units_discarded for v in vials),
            "reactions": _reactions(session),
            "aftercare": aftercare,
            **_amendments(request, patient.pk, session, aftercare),
        },
    )


def _amendments(
    request: StaffRequest, patient_pk: int, session: InjectionSession, aftercare: Any
) -> dict[str, Any]:
    """The session's and its aftercare's amendments beside them, and the links to amend each
    for whoever may record it (pages/staff/amendments.py)."""
    amended = session_amendments(session)
    links = {
        "amend_session": ("session", session, Action.RECORD_INJECTION),
        "amend_aftercare": ("aftercare", aftercare, Action.ISSUE_AFTERCARE),
    }
    return {
        "session_amendments": amended.get(("session", session.pk), []),
        "aftercare_amendments": amended.get(("aftercare", aftercare.pk), []) if aftercare else [],
        **{
            name: amend_url(patient_pk, kind, record.pk)
            if record is not None and user_can(request.user, action)
            else ""
            for name, (kind, record, action) in links.items()
        },
    }


def _reactions(session: InjectionSession) -> list[str]:
    """What was recorded of how the session went: the times, position, cleansing and needle,
    an immediate reaction and what was done, and the tolerability note."""
    lines = []
    if session.started_at or session.ended_at:
        start = f"{session.started_at:%H:%M}" if session.started_at else "—"
        end = f"{session.ended_at:%H:%M}" if session.ended_at else "—"
        lines.append(f"From {start} to {end}")
    if session.position:
        lines.append(f"Position: {session.get_position_display()}")
    if session.skin_cleansed:
        lines.append("Injection areas cleansed")
    if session.needle_gauge:
        lines.append(f"Needle: {session.needle_gauge} G")
    if session.reaction:
        text = f"Immediate reaction: {session.get_reaction_display()}"
        if session.reaction_action:
            text += f"; done: {session.reaction_action}"
        lines.append(text)
    if session.tolerability:
        lines.append(f"Tolerability: {session.tolerability}")
    return lines
