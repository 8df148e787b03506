"""Send due reminders: once, or every minute with --loop (the embedded default's beat)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from treatments.services import reminder_sweep


class Command(BaseCommand):
    help = "Send every reminder that is due; with --loop, keep sweeping every minute."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--every", type=int, default=60, help="seconds between sweeps")

    def handle(self, *args: Any, loop: bool = False, every: int = 60, **options: Any) -> None:
        while True:
            sent = reminder_sweep()
            if sent or not loop:
                self.stdout.write(f"reminders sent: {sent}")
            if not loop:
                return
            time.sleep(every)
