"""Restore a backup made by `manage.py backup` into the configured database, then check every
table's row count and checksum against the backup's manifest.

    python manage.py restore /srv/backups/srh-2026-11-27.backup [--yes]

Refuses a database that already holds data unless --yes. Exits non-zero on any mismatch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.records.backup import BackupError, restore_database, verify_database


class Command(BaseCommand):
    help = "Restore a backup into the configured database and check it against its manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="The backup file (manifest beside it).")
        parser.add_argument(
            "--yes", action="store_true", help="Replace a database that already holds data."
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Restore nothing: only compare the database with the backup's manifest.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify_only"]:
                result = verify_database(path=Path(options["file"]))
            else:
                result = restore_database(path=Path(options["file"]), replace=options["yes"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for mismatch in result.mismatches:
            self.stderr.write(f"  mismatch: {mismatch.describe()}")
        if result.migrations_newer_in_code:
            self.stdout.write(
                f"The code has {len(result.migrations_newer_in_code)} migration(s) newer than "
                "the backup: run `python manage.py migrate` next."
            )
        if result.migrations_unknown_to_code:
            self.stderr.write(
                f"The backup has {len(result.migrations_unknown_to_code)} migration(s) this "
                "code does not know: it came from a newer version."
            )
        self.stdout.write(
            f"tables {len(result.tables)}, rows {result.total_rows}, "
            f"mismatches {len(result.mismatches)}"
        )
        if result.mismatches:
            raise CommandError(f"{len(result.mismatches)} table(s) differ from the backup.")
