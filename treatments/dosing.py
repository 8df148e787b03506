"""Step 3's guard: an injection session within the protocol's limits, on a valid consent, in
the re-treatment window. Pure functions of recorded facts, like treatments/pathway.py.

Refusals about one muscle carry the field `sites.<muscle>.units` (or `.sites`) and the muscle's
label as their subject, so the injection form shows them on that muscle's row and cell.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from botoxcare.defaults import muscle_cells_missing
from botoxcare.errors import Refusal

from .pathway import consent_problem, day, review_missing
from .reasons import Reason
from .retreatment import retreatment_window
from .sides import side_refusals

# lot_expired and dilution_refusals are vial rules now; their names stay here too.
from .vials import dilution_refusals, lot_expired, vial_refusals, vial_used_at

__all__ = [
    "dilution_refusals",
    "dose_refusals",
    "injection_refusals",
    "lot_expired",
]

if TYPE_CHECKING:
    from botoxcare.models import ClinicSettings

    from .models import Consent, InjectionSession, ResponseReview


def injection_refusals(
    session: InjectionSession | None,
    consent: Consent | None,
    today: date,
    settings: ClinicSettings,
    previous: InjectionSession | None = None,
    review: ResponseReview | None = None,
) -> list[Refusal]:
    """`previous` is the course's session before this one; `review` the review that opened
    this cycle (its override allows a session before the re-treatment window)."""
    if session is None:
        return [Refusal(Reason.NO_SESSION, "No injection session has been recorded.")]
    found = []
    if session.session_date > today:
        found.append(
            Refusal(
                Reason.SESSION_FUTURE, "The session date is in the future.", field="session_date"
            )
        )
    if previous is not None:
        found += _cycle_refusals(session, previous, review, settings)
    problem = consent_problem(consent, session.session_date, settings.consent_valid_days)
    if problem:
        found.append(problem)
    used_at, latest = vial_used_at(
        session.session_date, session.recorded_at, session.started_at, session.ended_at
    )
    found += vial_refusals(
        list(session.vials.all()),
        session_date=session.session_date,
        used_at=used_at,
        latest=latest,
        units_to_sites=session.total_units,
        settings=settings,
    )
    rows = list(session.sites.all())
    found += dose_refusals({s.muscle: (s.sites, s.units) for s in rows}, settings)
    found += side_refusals(
        {s.muscle: (s.sites, s.sites_left, s.sites_right) for s in rows}, settings.muscle_limits
    )
    return found


def _cycle_refusals(
    session: InjectionSession,
    previous: InjectionSession,
    review: ResponseReview | None,
    settings: ClinicSettings,
) -> list[Refusal]:
    """A later cycle: the last one reviewed, and the session inside the window unless that
    review overrode it."""
    found = []
    missing = review_missing(previous, review)
    if missing:
        found.append(missing)
    overridden = missing is None and review is not None and bool(review.override_reason)
    opens, _due = retreatment_window(previous.session_date, settings)
    if session.session_date <= previous.session_date:
        found.append(
            Refusal(
                Reason.SESSION_BEFORE_PREVIOUS,
                f"The session date must be after the previous session "
                f"({day(previous.session_date)}).",
                field="session_date",
            )
        )
    elif session.session_date < opens and not overridden:
        found.append(
            Refusal(
                Reason.WINDOW_NOT_OPEN,
                f"The re-treatment window opens on {day(opens)}; an earlier session needs "
                "a clinician's override when the response is reviewed.",
                field="session_date",
            )
        )
    return found


def dose_refusals(sites: dict[str, tuple[int, int]], settings: ClinicSettings) -> list[Refusal]:
    """Each muscle (sites, units) at the protocol's units a site and within its maxima, and
    the total within the clinic's maximum."""
    given = {muscle: dose for muscle, dose in sites.items() if any(dose)}
    if sum(units for _n, units in given.values()) == 0:
        return [Refusal(Reason.NO_SITES, "No injection sites are recorded.")]
    found = []
    limits = settings.muscle_limits
    per_site = settings.units_per_site
    for muscle, (n_sites, units) in given.items():
        limit = limits.get(muscle)
        if limit is None:
            found.append(
                Refusal(
                    Reason.MUSCLE_UNKNOWN,
                    "This is not a muscle in the clinic's injection protocol.",
                    subject=muscle,
                )
            )
            continue
        if muscle_cells_missing(limit):  # a table stored by hand, not through the settings
            found.append(
                Refusal(
                    Reason.MUSCLE_TABLE_INCOMPLETE,
                    "The clinic's dose table is incomplete for this muscle: a clinic admin "
                    "must complete it in the clinic's settings.",
                    subject=muscle,
                )
            )
            continue
        units_row = {"field": f"sites.{muscle}.units", "subject": limit["label"]}
        sites_row = {"field": f"sites.{muscle}.sites", "subject": limit["label"]}
        if units > limit["max_units"]:
            found.append(
                Refusal(
                    Reason.MUSCLE_UNITS_ABOVE_MAX,
                    f"{units} units is above the maximum of {limit['max_units']}.",
                    **units_row,
                )
            )
        if units != n_sites * per_site:
            found.append(
                Refusal(
                    Reason.MUSCLE_DOSE_PER_SITE,
                    f"{units} units in {n_sites} sites is not {per_site} units a site.",
                    **units_row,
                )
            )
        if n_sites > limit["max_sites"]:
            found.append(
                Refusal(
                    Reason.MUSCLE_SITES_ABOVE_MAX,
                    f"{n_sites} sites is above the maximum of {limit['max_sites']}.",
                    **sites_row,
                )
            )
    total = sum(units for _n, units in given.values())
    if total > settings.max_total_units:
        found.append(
            Refusal(
                Reason.TOTAL_ABOVE_MAX,
                f"The total of {total} units is above the maximum of {settings.max_total_units}.",
            )
        )
    return found
