"""Diaries for the demo clinic's patients (after `seed_demo`): see diary/demo.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from diary.demo import diary_demo_seed


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
