"""What a new clinic starts with: the PREEMPT dose table of the licensed protocol and the texts
a clinic then edits as its own (ClinicSettings keeps each clinic's copy; code reads that)."""

from __future__ import annotations

from typing import Any, TypedDict


class MuscleLimit(TypedDict):
    label: str
    fixed_units: int
    fixed_sites: int
    max_units: int
    max_sites: int


MUSCLE_NUMBERS = ("fixed_units", "fixed_sites", "max_units", "max_sites")


def muscle_cells_missing(limit: Any) -> list[str]:
    """The cells of one row of a dose table that are missing or not what they must be (a
    label, and whole numbers from 0): a table stored by hand (through /admin/, say) may lack
    them, and nothing that reads the table may then fail."""
    if not isinstance(limit, dict):
        return ["label", *MUSCLE_NUMBERS]
    missing = [] if isinstance(limit.get("label"), str) else ["label"]
    for name in MUSCLE_NUMBERS:
        value = limit.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            missing.append(name)
    return missing


# PREEMPT paradigm, onabotulinumtoxinA, 5 U per 0.1 mL site: the defaults a new clinic starts
# with. The clinic edits its own copy in ClinicSettings.muscle_limits; code reads that copy.
PREEMPT_MUSCLES: dict[str, MuscleLimit] = {
    "corrugator": {
        "label": "Corrugator (bilateral)",
        "fixed_units": 10,
        "fixed_sites": 2,
        "max_units": 10,
        "max_sites": 2,
    },
    "procerus": {
        "label": "Procerus",
        "fixed_units": 5,
        "fixed_sites": 1,
        "max_units": 5,
        "max_sites": 1,
    },
    "frontalis": {
        "label": "Frontalis (bilateral)",
        "fixed_units": 20,
        "fixed_sites": 4,
        "max_units": 20,
        "max_sites": 4,
    },
    "temporalis": {
        "label": "Temporalis (bilateral)",
        "fixed_units": 40,
        "fixed_sites": 8,
        "max_units": 50,
        "max_sites": 10,
    },
    "occipitalis": {
        "label": "Occipitalis (bilateral)",
        "fixed_units": 30,
        "fixed_sites": 6,
        "max_units": 40,
        "max_sites": 8,
    },
    "cervical_paraspinal": {
        "label": "Cervical paraspinal (bilateral)",
        "fixed_units": 20,
        "fixed_sites": 4,
        "max_units": 20,
        "max_sites": 4,
    },
    "trapezius": {
        "label": "Trapezius (bilateral)",
        "fixed_units": 30,
        "fixed_sites": 6,
        "max_units": 50,
        "max_sites": 10,
    },
}

DEFAULT_AFTERCARE = """\
- A cold compress on the injection sites eases swelling or tenderness.
- Do not rub or massage the injection sites today, and avoid lying flat for the next 4 hours.
- You may feel a little sore or have a mild headache or neck stiffness for a day or two.
- The full effect builds up over several weeks; keep your headache diary every day.
- Call the clinic at once, or emergency services out of hours, if you have difficulty
  swallowing, breathing or speaking, a drooping eyelid, or weakness in your neck.
- Your follow-up visit is booked: see your appointments in the portal.
"""


DEFAULT_PUBLIC_INTRO = (
    "Our neurologists and pain specialists treat chronic migraine with botulinum toxin, from "
    "a first consultation to regular maintenance."
)

DEFAULT_PUBLIC_STEPS = """\
Consultation and evaluation
Your specialist reviews your history and previous treatments, confirms the diagnosis and \
discusses the benefits, risks and expected outcomes with you.

Preparing for treatment
If you both agree to go ahead, we ask for your consent and advise you which medicines or \
supplements to pause.

The injections
A series of small injections with a very fine needle into muscles of the forehead, temples, \
back of the head and neck. Most people feel only a brief sting.

Care after treatment
Comfort measures, written instructions, and a follow-up visit to see how the treatment works; \
the full effect builds up over several weeks.

Monitoring and maintenance
A headache diary tracks your progress; treatment is usually repeated every 10 to 12 weeks.
"""


def default_muscle_limits() -> dict[str, MuscleLimit]:
    return {name: dict(limit) for name, limit in PREEMPT_MUSCLES.items()}  # type: ignore[misc]


def default_work_days() -> list[int]:
    """Monday to Friday, as ISO weekdays."""
    return [1, 2, 3, 4, 5]
