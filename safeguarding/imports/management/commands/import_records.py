"""`manage.py import_records --partnership SLUG [--type cases|reviews|findings|actions] FILE`:
the same checks and report as the import page; exits non-zero, having written nothing, on any
problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.accounts.models import Partnership
from safeguarding.imports import reading
from safeguarding.imports.schema import RecordType
from safeguarding.imports.services import file_error, records_import


class Command(BaseCommand):
    help = "Import cases, reviews, findings or actions from a CSV or XLSX file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument(
            "--type",
            dest="record_type",
            choices=RecordType.values,
            help="What the file holds; by default guessed from the file name.",
        )
        parser.add_argument("file", help="A CSV (UTF-8) or XLSX file.")

    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with the slug {options['partnership']!r}")
        path = Path(options["file"])
        record_type = options["record_type"] or _guess(path.name)
        if record_type is None:
            raise CommandError("Say what the file holds with --type")
        try:
            size = path.stat().st_size
            if size > reading.MAX_UPLOAD_BYTES:
                report = file_error(
                    record_type,
                    path.name,
                    f"The file must be smaller than {reading.MAX_UPLOAD_BYTES // reading.MB} MB",
                )
            else:
                report = records_import(
                    actor=None,
                    partnership=partnership,
                    record_type=record_type,
                    data=path.read_bytes(),
                    file_name=path.name,
                    progress=self._progress if options["verbosity"] >= 1 else None,
                )
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        for line in report.lines():
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"{len(report.errors)} problem(s): nothing was imported")

    def _progress(self, phase: str, done: int, total: int) -> None:
        """Progress lines on stderr (the report itself goes to stdout)."""
        self.stderr.write(f"{phase}: {done:,} of {total:,} rows", style_func=str)


def _guess(name: str) -> str | None:
    lowered = name.lower()
    found = [t for t in RecordType.values if t in lowered or t.rstrip("s") in lowered]
    return found[0] if len(found) == 1 else None
