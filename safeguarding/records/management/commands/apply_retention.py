"""Dispose of records past their retention period and not on legal hold. Run daily from cron:

    30 6 * * *  cd /srv/srh && .venv/bin/python manage.py apply_retention

Each disposal writes one audit row. --dry-run only counts what would go.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.core import dates
from safeguarding.records.retention import apply_retention, describe, partnerships_to_apply


class Command(BaseCommand):
    help = "Dispose of records past their retention period and not on legal hold."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", metavar="SLUG", help="Only this partnership.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go; change nothing."
        )
        parser.add_argument(
            "--date", help="Act as if today were this date (YYYY-MM-DD); for checking only."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = dates.today()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    f"--date {options['date']!r} is not a date (YYYY-MM-DD)"
                ) from None
        partnerships = list(partnerships_to_apply(options["partnership"]))
        if options["partnership"] and not partnerships:
            raise CommandError(f"No partnership has the slug {options['partnership']!r}.")
        blocked = 0
        for partnership in partnerships:
            result = apply_retention(partnership, today=today, dry_run=options["dry_run"])
            prefix = "dry run, would have " if options["dry_run"] else ""
            self.stdout.write(
                f"{partnership.slug} ({today.isoformat()}): {prefix}{describe(result)}"
            )
            for line in result.blocked:
                self.stderr.write(f"  not disposed of: {line}")
            blocked += len(result.blocked)
        if blocked:
            raise CommandError(f"{blocked} record(s) due could not be disposed of; see above.")
