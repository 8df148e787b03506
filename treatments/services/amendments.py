"""Correcting a signed clinical record: `record_amend`.

The record's row takes the corrected values, so every guard, page and later step reads what
is now known to be true; the `Amendment` row keeps each changed field's value before and
after, who corrected it, when and why, so the original stays readable beside the correction.
Which fields may be corrected is treatments/amendable.py; the values are judged as the
record's own form and guard judge them (the model field's validation, then the kind's rules:
a consultation's figures, the preparation's advice, a session's times and reaction, and
its vials judged again at corrected times)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from botoxcare.audit import log_action, snapshot
from botoxcare.errors import DomainError, Refusal, refuse
from botoxcare.models import ClinicSettings
from botoxcare.roles import require

from ..amendable import AMENDABLE, Amendable
from ..consultation_figures import figure_refusals
from ..models import Amendment, Course
from ..reasons import Reason
from ..vials import vial_refusals, vial_used_at
from .injection import CONDUCT_FIELDS, SessionConduct, conduct_refusals

# A consultation's figures typed over are no longer the diary's.
DIARY_FIGURES = ("headache_days_per_month", "migraine_days_per_month", "medication_overuse")


def record_amend(
    *,
    user: User,
    record: models.Model,
    changes: Mapping[str, Any],
    reason: str,
    now: datetime | None = None,
) -> Amendment:
    """Correct `record` (a consultation, preparation review, injection session or aftercare)
    with `changes` ({field: new value}; fields left as they are may be included) for
    `reason`, by `user`, who must be allowed to record that kind of record. One transaction,
    the record's row locked; raises DomainError, changing nothing, when there is no reason,
    nothing changes, a field may not be amended, or a value is one the record refuses."""
    amendable = next((a for a in AMENDABLE.values() if isinstance(record, a.model)), None)
    if amendable is None:
        raise refuse(
            Reason.AMENDMENT_FIELD_NOT_AMENDABLE,
            "This record is not amended: a consent is withdrawn, and renewed with a new signature.",
        )
    require(user, amendable.action)
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise refuse(
            Reason.AMENDMENT_REASON_MISSING, "Please say why the record is amended.", field="reason"
        )
    not_amendable = [
        Refusal(
            Reason.AMENDMENT_FIELD_NOT_AMENDABLE,
            f"{name} is not amended on a {amendable.title.lower()}.",
            field=name,
        )
        for name in changes
        if name not in amendable.fields
    ]
    if not_amendable:
        raise DomainError(*not_amendable)
    with transaction.atomic():
        model: Any = amendable.model
        locked = model.objects.select_for_update().get(pk=record.pk)
        course = Course.objects.select_related("patient__clinic__settings").get(pk=locked.course_id)
        changed = _changed(amendable, locked, changes)
        if not changed:
            raise refuse(
                Reason.AMENDMENT_UNCHANGED,
                "Nothing was changed: correct at least one value, or leave the record as it is.",
            )
        after = {name: getattr(locked, name) for name in amendable.fields} | changed
        found = _kind_refusals(amendable.kind, after, locked, course.clinic_settings)
        if found:
            raise DomainError(*found)
        diary_typed_over = any(name in changed for name in DIARY_FIGURES)
        if amendable.kind == "consultation" and locked.figures_from_diary and diary_typed_over:
            changed["figures_from_diary"] = False
        before = snapshot(locked, changed)
        for name, value in changed.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changed))
        corrected = snapshot(locked, changed)
        labels = amendable.fields | {"figures_from_diary": "Figures from the diary"}
        amendment = Amendment.objects.create(
            course=course,
            **{amendable.kind: locked},
            by=user,
            at=now,
            reason=reason,
            changes={
                name: {"label": labels[name], "before": before[name], "after": corrected[name]}
                for name in changed
            },
        )
        log_action(
            "record.amended",
            user=user,
            patient=course.patient,
            target=locked,
            data={
                "kind": amendable.kind,
                "amendment": amendment.pk,
                "changes": {name: [before[name], corrected[name]] for name in changed},
            },
        )
    return amendment


def _changed(amendable: Amendable, record: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Each value as the model field cleans it, those that differ from the record's; a value
    the field refuses (a choice not offered, a number out of range) raises."""
    found, changed = [], {}
    for name, raw in changes.items():
        field = record._meta.get_field(name)
        value = raw.strip() if isinstance(raw, str) else raw
        try:
            value = field.clean(value, record)
        except ValidationError as error:
            message = " ".join(error.messages)
            found.append(Refusal(Reason.AMENDMENT_VALUE_INVALID, message, field=name))
            continue
        if value != getattr(record, name):
            changed[name] = value
    if found:
        raise DomainError(*found)
    return changed


def _kind_refusals(
    kind: str, after: dict[str, Any], record: Any, settings: ClinicSettings
) -> list[Refusal]:
    """The record's own rules, over the record as the amendment would leave it."""
    if kind == "consultation":
        found = [
            # The diagnosis is not amended: figures that contradict it are what is refused.
            Refusal(
                r.code,
                "The consultation confirmed chronic migraine, which needs at least "
                f"{settings.chronic_headache_days} headache days and "
                f"{settings.chronic_migraine_days} migraine days a month; a changed diagnosis "
                "is a new consultation.",
                field="headache_days_per_month",
            )
            if r.code == Reason.FIGURES_BELOW_CHRONIC
            else r
            for r in figure_refusals(
                after["headache_days_per_month"],
                after["migraine_days_per_month"],
                record.chronic_migraine_confirmed,
                settings,
            )
        ]
        if not after["history"]:
            found.append(
                Refusal(Reason.HISTORY_MISSING, "The history cannot be empty.", field="history")
            )
        if record.medication_overuse and not after["medication_overuse"]:
            found.append(
                Refusal(
                    Reason.OVERUSE_NOT_RECORDED,
                    "Please say whether there is medication overuse.",
                    field="medication_overuse",
                )
            )
        return found
    if kind == "preparation" and not after["advice"]:
        return [Refusal(Reason.ADVICE_MISSING, "The advice cannot be empty.", field="advice")]
    if kind == "session":
        conduct = {name: after[name] for name in CONDUCT_FIELDS}
        found = conduct_refusals(SessionConduct(**conduct))
        times = (after["started_at"], after["ended_at"])
        if not found and times != (record.started_at, record.ended_at):
            found = _vial_time_refusals(record, *times, settings=settings)
        return found
    return []


def _vial_time_refusals(
    session: Any, started_at: Any, ended_at: Any, *, settings: ClinicSettings
) -> list[Refusal]:
    """The session's guard judges its vials' ages at its start and their reconstitution up
    to its end (vials.vial_used_at): corrected times must not make a vial too old or
    reconstituted after the session. Only those two: the rest of the vials' judgement does
    not depend on the times."""
    used_at, latest = vial_used_at(session.session_date, session.recorded_at, started_at, ended_at)
    judged = vial_refusals(
        list(session.vials.select_related("lot")),
        session_date=session.session_date,
        used_at=used_at,
        latest=latest,
        units_to_sites=session.total_units,
        settings=settings,
    )
    return [r for r in judged if r.code in (Reason.VIAL_TOO_OLD, Reason.VIAL_RECONSTITUTED_LATER)]
