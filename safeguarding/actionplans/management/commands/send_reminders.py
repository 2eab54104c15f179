"""Send reminder e-mails about clocks and actions due soon or overdue. Run daily from cron:

    15 7 * * 1-5  cd /srv/srh && .venv/bin/python manage.py send_reminders

Each reminder goes once per item, threshold (due soon, overdue) and person, so running it
again the same day sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from safeguarding.actionplans.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail each owner about clocks and actions due soon or overdue (once each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="Act as if today were this date (YYYY-MM-DD); for checking only."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date {options['date']!r} is not a date (YYYY-MM-DD)"
                ) from None
        result = send_reminders(today)
        self.stdout.write(
            f"Sent {result.emails} reminder e-mail{'s' if result.emails != 1 else ''} "
            f"about {result.items} item{'s' if result.items != 1 else ''}."
        )
        if result.failed:
            raise CommandError(f"{result.failed} e-mail(s) could not be sent; see the log.")
