"""The two-factor code a demo login's authenticator app would show now: the demo without a
phone. Refuses in production, where no login has the demo's published key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from botoxcare.two_factor.demo import demo_code


class Command(BaseCommand):
    help = "Print the two-factor code for a demo login (seed_demo's users; not in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_code refuses to run in production (BOTOXCARE_ENV=production).")
        code = demo_code(options["username"])
        if code is None:
            raise CommandError(
                f"{options['username']} has no demo authenticator app (only seed_demo's logins "
                "have one; a login that set up its own uses that app)."
            )
        self.stdout.write(code)
        self.stderr.write("Enter it within half a minute; each code signs in once.")
