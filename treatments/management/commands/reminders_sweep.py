"""Send due reminders: once, or every minute with --loop (the embedded default's beat)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from botoxcare.messaging import NOT_SENT, sends_nothing
from treatments.services import reminder_sweep


class Command(BaseCommand):
    help = "Send every reminder that is due; with --loop, keep sweeping every minute."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--every", type=int, default=60, help="seconds between sweeps")

    def handle(self, *args: Any, loop: bool = False, every: int = 60, **options: Any) -> None:
        # The embedded default's channels only print: say so, never "sent".
        done = f"reminders handled ({NOT_SENT})" if sends_nothing() else "reminders sent"
        try:
            while True:
                sent = reminder_sweep()
                if sent or not loop:
                    self.stdout.write(f"{done}: {sent}")
                if not loop:
                    return
                time.sleep(every)
        except KeyboardInterrupt:  # Ctrl+C on bin/run reaches this process too: stop quietly
            return
