"""The operator's status in one command (docs/OPERATIONS.md, "Monitoring"): the database and
the broker as /healthz sees them, the failed reminders, the oldest unclaimed call-back.

Exit status for a monitor (Nagios' convention): 0 all well, 1 a backlog past its limit, 2 the
database or the broker not answering. `--json` prints the same as one JSON object.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from botoxcare import health
from pages.operations import backlog

OK, WARNING, CRITICAL = 0, 1, 2


class Command(BaseCommand):
    help = "Database, broker, failed reminders and the oldest unclaimed call-back; exit 0/1/2."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="one JSON object")
        parser.add_argument(
            "--max-failed",
            type=int,
            default=0,
            help="failed reminders tolerated before warning (default 0)",
        )
        parser.add_argument(
            "--max-callback-minutes",
            type=int,
            default=240,
            help="how long a call-back request may wait unclaimed before warning (default 240)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checks = health.checks()
        problems = [f"{c.name} {c.state}" for c in checks if not c.ok]
        status = CRITICAL if problems else OK
        report: dict[str, Any] = {c.name: c.state for c in checks}
        if not next(c for c in checks if c.name == "database").ok:
            self._end(report, problems, status, options["json"])
            return
        found = backlog()
        waited = found.callback_oldest_minutes(timezone.now())
        report |= {
            "reminders_failed": found.reminders_failed_total,
            "reminders_failed_by_clinic": found.reminders_failed,
            "callback_oldest_unclaimed_minutes": max(waited.values(), default=None),
            "callback_oldest_unclaimed_minutes_by_clinic": waited,
        }
        warnings = []
        if found.reminders_failed_total > options["max_failed"]:
            warnings.append(f"{found.reminders_failed_total} reminders failed every retry")
        late = {slug: m for slug, m in waited.items() if m > options["max_callback_minutes"]}
        if late:
            warnings.append(f"call-back requests unclaimed past the limit at {', '.join(late)}")
        if warnings and status == OK:
            status = WARNING
        self._end(report, problems + warnings, status, options["json"])

    def _end(self, report: dict[str, Any], problems: list[str], status: int, as_json: bool) -> None:
        report["problems"] = problems
        if as_json:
            self.stdout.write(json.dumps(report, sort_keys=True))
        else:
            for key, value in report.items():
                if key != "problems":
                    self.stdout.write(f"{key}: {value}")
            self.stdout.write("OK" if not problems else "PROBLEMS: " + "; ".join(problems))
        if status != OK:
            raise SystemExit(status)
