"""Back the database up to one file, with a manifest of per-table row counts and checksums.

    python manage.py backup --out /srv/backups/srh-$(date +%F).backup

SQLite uses the online backup API (safe while the site runs); PostgreSQL uses pg_dump.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.records.backup import BackupError, backup_database, manifest_path


class Command(BaseCommand):
    help = "Back the database up to a file, with a manifest of row counts and checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, metavar="FILE", help="The backup file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_database(out=Path(options["out"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if options["verbosity"] >= 1:
            for name, table in result.tables.items():
                self.stdout.write(f"  {name}: {table.rows} rows")
        self.stdout.write(
            f"Backed up tables {len(result.tables)}, rows {result.total_rows} to {result.path} "
            f"({result.manifest['file_bytes']} bytes); manifest {manifest_path(result.path)}"
        )
