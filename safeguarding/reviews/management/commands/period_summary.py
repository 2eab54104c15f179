import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.accounts.models import Partnership
from safeguarding.reviews.selectors import period_summary


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Counts of a period's review processes, as the scrutiny board report gives them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", required=True, help="the partnership's slug")
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to must be on or after --from")
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with slug {options['partnership']!r}")
        summary = period_summary(partnership=partnership, start=start, end=end)
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, indent=2))
            return
        self.stdout.write(self._text(partnership, summary))

    def _text(self, partnership: Partnership, s: dict[str, Any]) -> str:
        rr = s["rapid_reviews"]
        lines = [
            f"{partnership.name}: review processes {s['from']} to {s['to']}",
            "",
            f"Rapid reviews: {rr['total']}",
        ]
        for title, key in (
            ("By age band", "by_age_band"),
            ("By sex", "by_sex"),
            ("By outcome", "by_outcome"),
            ("By category", "by_category"),
            ("Decisions", "by_decision"),
        ):
            lines.append(f"  {title}:")
            lines += [f"    {label}: {n}" for label, n in rr[key].items()]
        lines += [
            f"CSPRs commissioned: {s['cspr_commissioned']}",
            f"Local learning reviews: {s['local_learning_reviews']}",
            f"Multi-agency audits: {s['multi_agency_audits']}",
            f"Incidents considered for notification: {s['incidents']['total']}",
            "Timeliness:",
        ]
        for row in s["timeliness"]:
            late = row["average_working_days_late"]
            lines.append(
                f"  {row['name']} ({row['standard']}): {row['total']} started, {row['met']} met, "
                f"{row['missed']} missed, {row['still_running']} running, average "
                + ("n/a" if late is None else f"{late} working days late (negative: early)")
            )
        return "\n".join(lines)
