"""The clinic admin's change of the clinic's settings, with its history: one transaction, every
reason at once (the model's own checks and the muscle table's)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..audit import log_action
from ..errors import Refusal, raise_if
from ..models import Clinic, ClinicSettings, ClinicSettingsChange, MuscleLimit, StaffProfile
from ..roles import Action, require
from .muscles import COLUMNS, muscle_field, muscle_limit_refusals
from .reasons import AdminReason
from .settings_fields import as_text


def _same(old: Any, new: Any) -> bool:
    """Text that differs only in line endings or the whitespace around it (a form strips
    it; a browser sends CRLF) is not a change."""
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n").strip() == new.replace("\r\n", "\n").strip()
    return bool(old == new)


def _working_hours_refusals(clinic: Clinic, cfg: ClinicSettings) -> list[Refusal]:
    """A member's own start or end, with the clinic's new day filling the other, must still
    make a day that ends after it starts."""
    found = []
    for profile in StaffProfile.objects.filter(clinic=clinic).select_related("user"):
        starts, ends = profile.work_starts or cfg.day_starts, profile.work_ends or cfg.day_ends
        if (profile.work_starts or profile.work_ends) and ends <= starts:
            name = profile.user.get_full_name() or profile.user.username
            found.append(
                Refusal(
                    AdminReason.HOURS_END_BEFORE_START,
                    f"{name}'s own hours ({starts:%H:%M} to {ends:%H:%M} with this clinic day) "
                    "would end before they start: change their working hours first.",
                    field="day_ends" if profile.work_starts else "day_starts",
                )
            )
    return found


def _validation_refusals(error: ValidationError) -> list[Refusal]:
    found = []
    for field, errors in error.error_dict.items():
        for e in errors:
            message = e.message % e.params if e.params else e.message
            found.append(Refusal(e.code or AdminReason.SETTINGS_INVALID, str(message), field=field))
    return found


def clinic_settings_update(
    *,
    clinic: Clinic,
    by: User,
    values: Mapping[str, Any],
    muscle_limits: Mapping[str, MuscleLimit],
    now: datetime | None = None,
) -> list[ClinicSettingsChange]:
    """Change the clinic's settings to `values` (model field names) and `muscle_limits`, and
    write one history row a changed field (one a changed cell of the muscle table), in the
    same transaction. Returns the rows written (none if nothing changed).

    Raises DomainError with every reason at once: the model's own checks (codes from
    `ClinicSettings.clean` and field validators) and the muscle table's (`muscles.py`).
    """
    require(by, Action.MANAGE_SETTINGS)
    now = now or timezone.now()
    with transaction.atomic():
        cfg = ClinicSettings.objects.select_for_update().get(clinic=clinic)
        before = {name: getattr(cfg, name) for name in values}
        old_limits: dict[str, Any] = cfg.muscle_limits
        for name, value in values.items():
            if not _same(before[name], value):
                setattr(cfg, name, value)
        new_limits = {m: dict(limit) for m, limit in muscle_limits.items()}
        cfg.muscle_limits = new_limits
        refusals: list[Refusal] = []
        try:
            cfg.full_clean(exclude=["clinic"])
        except ValidationError as error:
            refusals += _validation_refusals(error)
        if not any(r.field in ("units_per_site", "max_total_units") for r in refusals):
            refusals += muscle_limit_refusals(
                muscle_limits,
                units_per_site=cfg.units_per_site,
                max_total_units=cfg.max_total_units,
                muscles=set(old_limits),
            )
        if not any(r.field in ("day_starts", "day_ends") for r in refusals):
            refusals += _working_hours_refusals(clinic, cfg)
        raise_if(refusals, summary="The settings were not saved:")
        changes = [
            ClinicSettingsChange(
                clinic=clinic,
                changed_by=by,
                changed_at=now,
                field=name,
                old_value=as_text(before[name]),
                new_value=as_text(getattr(cfg, name)),
            )
            for name in values
            if before[name] != getattr(cfg, name)
        ]
        for muscle, limit in new_limits.items():
            for column in ("label", *COLUMNS):
                old, new = old_limits[muscle].get(column), limit[column]
                if old != new:
                    changes.append(
                        ClinicSettingsChange(
                            clinic=clinic,
                            changed_by=by,
                            changed_at=now,
                            field=muscle_field(muscle, column),
                            old_value=as_text(old),
                            new_value=as_text(new),
                        )
                    )
        if not changes:
            return []
        cfg.save()
        ClinicSettingsChange.objects.bulk_create(changes)
        # The history above is what the settings page shows; the audit trail has it too.
        log_action(
            "clinic_settings.changed",
            user=by,
            clinic=clinic,
            target=cfg,
            data={c.field: [c.old_value, c.new_value] for c in changes},
        )
    return changes
