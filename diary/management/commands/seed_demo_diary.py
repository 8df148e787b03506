"""Diaries for the demo clinic's patients (after `seed_demo`): see diary/demo.py. Each run
then judges every diary's flags as of today, as the nightly sweep would (the list of flagged
patients reads them)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from diary.demo import diary_demo_seed
from diary.services.standing import diary_standings_refresh, standing_candidates


class Command(BaseCommand):
    help = "Write demo headache diaries for the demo clinic's treated patients (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo_diary refuses to run in production.")
        written = diary_demo_seed()
        if written:
            self.stdout.write(self.style.SUCCESS(f"Demo diaries: {written} days written."))
        else:
            self.stdout.write("Demo diaries are already written; nothing changed.")
        judged = diary_standings_refresh(standing_candidates(today=timezone.localdate()))
        self.stdout.write(f"Diary flags judged for {judged} patients.")
