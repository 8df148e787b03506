"""One walker along the pathway for demo data, tests and the bench.

`plan` and `clinics` say, as pure values (`events`), what happens to a patient and when;
`replay` records that through the real services; the bench's bench/rows.py turns the same
values into bulk rows."""

from .clinics import CLINIC_MIX, DEMO_PLAN, clinic_histories, demo_histories
from .events import History, Register
from .plan import (
    FIXED_SITES,
    ORDER,
    Target,
    advance_steps,
    at,
    consultation_kwargs,
    demo_consultation,
    history,
    history_start,
    preempt_sites,
)
from .replay import Team, advance, demo_stock, refer, replay, walk_through_services

__all__ = [
    "CLINIC_MIX",
    "DEMO_PLAN",
    "FIXED_SITES",
    "ORDER",
    "History",
    "Register",
    "Target",
    "Team",
    "advance",
    "advance_steps",
    "at",
    "clinic_histories",
    "consultation_kwargs",
    "demo_consultation",
    "demo_histories",
    "demo_stock",
    "history",
    "history_start",
    "preempt_sites",
    "refer",
    "replay",
    "walk_through_services",
]
