"""The cross-cutting analysis of a period, from the command line."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.accounts.models import Partnership
from safeguarding.learning.analysis import Scope, analysis_as_dict, theme_analysis
from safeguarding.reviews.models import ReviewKind


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Themes found across a period's reviews. For each theme: reviews it was found in, "
        "reviews with good practice and with areas for improvement under it, findings, and "
        "whether it is cross-cutting (found in at least the partnership's threshold of reviews)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument(
            "--review-type",
            dest="kinds",
            action="append",
            choices=ReviewKind.values,
            default=[],
            help="only this type of review (repeat for several)",
        )
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to must be on or after --from")
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with slug {options['partnership']!r}")
        scope = Scope(
            partnership=partnership, start=start, end=end, review_kinds=tuple(options["kinds"])
        )
        data = analysis_as_dict(theme_analysis(scope, with_matrix=False))
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, indent=2))
            return
        lines = [
            f"{partnership.name}: themes in reviews begun {data['from']} to {data['to']}",
            f"Reviews: {data['reviews_in_period']}; cross-cutting when found in at least "
            f"{data['cross_cutting_threshold']} reviews",
            "",
        ]
        for t in data["themes"]:
            if not t["reviews"]:
                continue
            mark = "  cross-cutting" if t["cross_cutting"] else ""
            lines.append(
                f"{t['name']}: {t['reviews']} reviews ({t['share_percent']}%), good practice in "
                f"{t['good_practice']}, improvement in {t['improvement']}{mark}"
            )
        if data["pairs"]:
            lines += ["", "Found together most often:"]
            lines += [
                f"  {p['themes'][0]} + {p['themes'][1]}: {p['reviews']} reviews"
                for p in data["pairs"][:10]
            ]
        self.stdout.write("\n".join(lines))
