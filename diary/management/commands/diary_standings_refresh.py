"""Judge every diary's flags again now (what the nightly `diary.tasks.diary_standings_sweep`
does through the workers), in this process: after a change of the clinic's diary rules, or
where no beat runs (the embedded default)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from diary.services.standing import diary_standings_refresh, standing_candidates


class Command(BaseCommand):
    help = "Judge every patient's diary flags as of today, in this process."

    def handle(self, *args: Any, **options: Any) -> None:
        ids = standing_candidates(today=timezone.localdate())
        judged = diary_standings_refresh(ids)
        self.stdout.write(f"Diary flags judged for {judged} of {len(ids)} patients.")
