"""python manage.py scrutiny_report --partnership SLUG --from YYYY-MM-DD --to YYYY-MM-DD
--format docx|pdf|html --out FILE"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.accounts.models import Partnership
from safeguarding.reports.scrutiny import ShortPeriodError, build_scrutiny_report
from safeguarding.reviews.models import ReviewKind


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Write the scrutiny board report 'Cross cutting themes from review processes'."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--format", choices=["docx", "pdf", "html"], required=True)
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument(
            "--published",
            action="store_true",
            help="a published version: small numbers suppressed, no links to records",
        )
        parser.add_argument(
            "--review-kind",
            action="append",
            default=[],
            choices=ReviewKind.values,
            help="only these types of review (repeat for more)",
        )
        parser.add_argument(
            "--agency", action="append", default=[], type=int, help="only these agency ids"
        )
        parser.add_argument(
            "--intro", default="", help="a text file with the report's own introduction"
        )
        parser.add_argument(
            "--base-url", default="", help="prefix for links to records, e.g. https://hub.example"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to must be on or after --from")
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with slug {options['partnership']!r}")
        intro = Path(options["intro"]).read_text(encoding="utf-8") if options["intro"] else ""
        began = time.perf_counter()
        try:
            document = build_scrutiny_report(
                partnership=partnership,
                start=start,
                end=end,
                review_kinds=options["review_kind"],
                agency_ids=options["agency"],
                intro_text=intro,
                published=options["published"],
                base_url=options["base_url"],
            )
        except ShortPeriodError as error:
            raise CommandError(str(error)) from error
        fmt = options["format"]
        if fmt == "docx":
            from safeguarding.reports.render_docx import render_docx

            content = render_docx(document)
        elif fmt == "pdf":
            from safeguarding.reports.render_pdf import render_pdf

            content = render_pdf(document)
        else:
            from safeguarding.reports.render_html import render_html

            content = render_html(document).encode("utf-8")
        out = Path(options["out"])
        out.write_bytes(content)
        self.stdout.write(
            f"Wrote {out} ({len(content):,} bytes, {document.status_label.lower()}) "
            f"in {time.perf_counter() - began:.2f} s"
        )
