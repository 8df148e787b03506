"""The start rule's count of failed preventives: one definition, read by the consultation
service, the evaluation's guard (treatments.pathway), the consultation page and the timeline.

NICE TA260 starts botulinum toxin A for chronic migraine once "at least three prior
pharmacological prophylaxis therapies" have failed; the clinic's number is its setting
`min_failed_preventives`. The rule counted here:

- a preventive has failed when its outcome is ineffective, not tolerated or contraindicated;
  "still taking" and "helped" do not count;
- the count is of distinct classes that failed (two beta-blockers that failed are one
  therapy), except that each differently named drug of the class "other" counts on its own
  (they are not one class; the name is compared without case or extra spaces);
- a consultation recorded before the list kept a typed count
  (`Consultation.failed_preventives_count`): that number stands for it, the list is not read.

Pure: records already loaded, no database."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .choices import FAILED_OUTCOMES, PreventiveClass

if TYPE_CHECKING:
    from .models import Consultation, PreventiveTreatment


def failed_preventive_classes(preventives: Iterable[PreventiveTreatment]) -> frozenset[str]:
    """The distinct failed classes (an "other" drug as `other:<its name>`)."""
    found = set()
    for p in preventives:
        if p.outcome not in FAILED_OUTCOMES:
            continue
        if p.drug_class == PreventiveClass.OTHER:
            found.add(f"other:{' '.join(p.drug.split()).casefold()}")
        else:
            found.add(str(p.drug_class))
    return frozenset(found)


def failed_preventive_count(
    consultation: Consultation | None, preventives: Iterable[PreventiveTreatment]
) -> int:
    """What the start rule compares with the clinic's `min_failed_preventives`: a legacy
    consultation's typed count, else the distinct failed classes of the patient's list."""
    if consultation is not None and consultation.failed_preventives_count is not None:
        return consultation.failed_preventives_count
    return len(failed_preventive_classes(preventives))
