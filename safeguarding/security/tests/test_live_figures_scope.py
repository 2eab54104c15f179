"""An agency lead's live figures count only the records they may open, for every narrow period.

The finding (outside attack): the police lead got 404 on the reviews, cases and escalations the
police were not part of, yet the period summary, the theme analysis and the escalation analysis
counted the whole partnership and took a one-day period, so a single day gave away one child's
rapid review (age band, sex, outcome, category, decision), a review's theme, or an escalation
between two other agencies in full.

Why the object-scope crawl (test_object_scope.py) could not see it: it follows every link and
reads every page and export for record markers (ids in links, references, titles) and asks
whether each record it finds is in the user's scope. A count names no record: "1 rapid review,
female, died, neglect" carries no id or link, so the crawl found nothing out of scope, and the
access matrix only checks status codes (200 for an agency lead was the declared policy). A
count identifies a record only together with a narrow period, so this test asks, for every
single day on which a record outside the lead's scope falls, for the period summary, the theme
analysis and its four downloads, and the escalation analysis and its two downloads, and compares
the figures with those computed here from the records in the lead's scope (`scope_for`, which
restates the policy without the app's access module).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from itertools import combinations
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from safeguarding.accounts.models import User
from safeguarding.actionplans.models import Action
from safeguarding.core.models import Clock
from safeguarding.escalations import exports as escalation_exports
from safeguarding.escalations.models import Escalation, EscalationStep
from safeguarding.escalations.selectors import analysis_tables
from safeguarding.learning.models import FindingTheme, Theme
from safeguarding.reviews.models import (
    AbuseCategory,
    Incident,
    NotificationDecision,
    Outcome,
    RapidReviewDecision,
    Review,
    ReviewKind,
    Sex,
)
from safeguarding.security.scope import scope_for

LEADS = ("police.lead", "health.lead")


def _started(review: Review) -> dt.date:
    return review.commissioned_on or review.opened_on


def _label(choices: Any, value: Any) -> str:
    # As the selectors write a value no longer in the choices.
    return str(dict(choices).get(value, str(value) or "Not recorded"))


def _of_case(review: Review, field: str) -> Any:
    return getattr(review.case, field, None)


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


class World:
    """Every record a live figure counts, with what the lead may open, computed from scope.py."""

    def __init__(self, partnership: Any, lead: User) -> None:
        scope = scope_for(lead)
        self.reviews = list(Review.objects.filter(partnership=partnership).select_related("case"))
        self.incidents = list(Incident.objects.filter(partnership=partnership))
        self.escalations = list(
            Escalation.objects.filter(partnership=partnership).select_related(
                "raised_by_agency", "about_agency"
            )
        )
        self.clocks = list(Clock.objects.filter(partnership=partnership).select_related("rule"))
        self.review_ids = scope["review"]
        self.incident_ids = scope["incident"]
        self.escalation_ids = scope["escalation"]
        # A clock is the lead's if its record is: a review, incident, escalation step or action.
        types = ContentType.objects.get_for_models(Review, Incident, EscalationStep, Action)
        by_type = {
            types[Review].pk: scope["review"],
            types[Incident].pk: scope["incident"],
            types[EscalationStep].pk: scope["escalation_step"],
            types[Action].pk: scope["action"],
        }
        self.clock_ids = {
            c.pk for c in self.clocks if c.subject_id in by_type.get(c.subject_type_id, ())
        }
        # Current findings' tags: (review, theme it counts as).
        self.tags = [
            (review_id, theme_id)
            for review_id, theme_id in FindingTheme.objects.filter(
                finding__partnership=partnership, finding__withdrawn_at__isnull=True
            ).values_list("finding__review_id", "counts_as_id")
        ]
        self.theme_names = dict(
            Theme.objects.filter(partnership=partnership).values_list("pk", "name")
        )

    def days_outside(self) -> list[dt.date]:
        """Every day on which a counted record outside the lead's scope falls."""
        days = {_started(r) for r in self.reviews if r.pk not in self.review_ids}
        days |= {i.la_aware_on for i in self.incidents if i.pk not in self.incident_ids}
        days |= {e.raised_on for e in self.escalations if e.pk not in self.escalation_ids}
        days |= {c.starts_on for c in self.clocks if c.pk not in self.clock_ids}
        return sorted(d for d in days if d is not None)

    # --- What the lead may be told about one day -------------------------------------------

    def summary(self, day: dt.date) -> dict[str, Any]:
        reviews = [r for r in self.reviews if r.pk in self.review_ids and _started(r) == day]
        rapid = [r for r in reviews if r.kind == ReviewKind.RAPID_REVIEW]
        incidents = [
            i for i in self.incidents if i.pk in self.incident_ids and i.la_aware_on == day
        ]
        clocks = [c for c in self.clocks if c.pk in self.clock_ids and c.starts_on == day]
        return {
            "incidents": len(incidents),
            "incidents_by_decision": dict(
                Counter(_label(NotificationDecision.choices, i.decision) for i in incidents)
            ),
            "reviews_by_type": dict(Counter(_label(ReviewKind.choices, r.kind) for r in reviews)),
            "rapid": len(rapid),
            "by_sex": dict(Counter(_label(Sex.choices, _of_case(r, "sex")) for r in rapid)),
            "by_outcome": dict(
                Counter(_label(Outcome.choices, _of_case(r, "outcome")) for r in rapid)
            ),
            "by_category": dict(
                Counter(_label(AbuseCategory.choices, _of_case(r, "category")) for r in rapid)
            ),
            "by_decision": dict(
                Counter(_label(RapidReviewDecision.choices, r.decision) for r in rapid)
            ),
            "clocks": dict(Counter(c.rule.key for c in clocks)),
        }

    def themes(self, day: dt.date) -> tuple[int, dict[int, set[int]]]:
        """The day's reviews in scope, and each theme's reviews among them."""
        mine = {r.pk for r in self.reviews if r.pk in self.review_ids and _started(r) == day}
        by_theme: dict[int, set[int]] = {}
        for review_id, theme_id in self.tags:
            if review_id in mine:
                by_theme.setdefault(theme_id, set()).add(review_id)
        return len(mine), by_theme

    def escalation_figures(self, day: dt.date) -> tuple[int, dict[tuple[str, str], int]]:
        mine = [e for e in self.escalations if e.pk in self.escalation_ids and e.raised_on == day]
        pairs = Counter((e.raised_by_agency.name, e.about_agency.name) for e in mine)
        return len(mine), dict(pairs)


def _summary_seen(summary: dict[str, Any]) -> dict[str, Any]:
    rapid = summary["rapid_reviews"]
    assert sum(rapid["by_age_band"].values()) == rapid["total"]
    return {
        "incidents": summary["incidents"]["total"],
        "incidents_by_decision": _nonzero(summary["incidents"]["by_decision"]),
        "reviews_by_type": _nonzero(summary["reviews_by_type"]),
        "rapid": rapid["total"],
        "by_sex": _nonzero(rapid["by_sex"]),
        "by_outcome": _nonzero(rapid["by_outcome"]),
        "by_category": _nonzero(rapid["by_category"]),
        "by_decision": _nonzero(rapid["by_decision"]),
        "clocks": {row["clock"]: row["total"] for row in summary["timeliness"] if row["total"]},
    }


def _theme_reviews(rows: list[list[Any]]) -> dict[str, int]:
    """Theme name -> reviews, from the themes sheet (header first), found themes only."""
    assert rows[0][0] == "Theme" and rows[0][2] == "Reviews"
    return {str(row[0]): int(row[2]) for row in rows[1:] if int(row[2])}


def _sheet(content: bytes, title: str) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in book[title].iter_rows(values_only=True)]


def _check_day(client: Any, world: World, day: dt.date) -> list[str]:
    """Every live figure the lead gets for `day`, against what their scope allows."""
    problems: list[str] = []
    query = {"start": day.isoformat(), "end": day.isoformat()}

    def get(name: str) -> Any:
        response = client.get(reverse(name), query)
        assert response.status_code == 200, (name, day, response.status_code)
        return response

    # The period summary.
    seen = _summary_seen(get("reviews:period_summary").context["summary"])
    if seen != world.summary(day):
        problems.append(f"{day} period summary: {seen} != {world.summary(day)}")

    # The theme analysis: page, themes and matrix in CSV and XLSX.
    total, by_theme = world.themes(day)
    expected_reviews = {world.theme_names[t]: len(ids) for t, ids in by_theme.items()}
    expected_pairs: Counter[tuple[int, int]] = Counter()
    for ids in [{t for t, r in by_theme.items() if review in r} for review in world.review_ids]:
        for a, b in combinations(sorted(ids), 2):
            expected_pairs[(a, b)] += 1
    matrix_reviews = {r for ids in by_theme.values() for r in ids}
    analysis = get("learning:analysis").context["analysis"]
    page = (
        analysis.total_reviews,
        {t.theme_id: t.reviews for t in analysis.found},
        {(min(p.a_id, p.b_id), max(p.a_id, p.b_id)): p.reviews for p in analysis.pairs},
        {r["pk"] for r in analysis.matrix_reviews},
        sum(n for *_, n in analysis.trend_years),
    )
    wanted = (
        total,
        {t: len(ids) for t, ids in by_theme.items()},
        dict(expected_pairs),
        matrix_reviews,
        total,
    )
    if page != wanted:
        problems.append(f"{day} theme analysis: {page} != {wanted}")
    titles = {r.pk: r.title for r in world.reviews}
    # Columns in the page's order (the set of reviews is checked above).
    matrix_header = ["Theme"] + [
        f"{titles[r['pk']]}: {part}"
        for r in analysis.matrix_reviews
        for part in ("good practice", "improvement")
    ]
    themes_csv = list(csv.reader(io.StringIO(get("learning:themes_csv").content.decode())))
    if _theme_reviews(themes_csv) != expected_reviews:
        problems.append(f"{day} themes.csv: {_theme_reviews(themes_csv)} != {expected_reviews}")
    matrix_csv = list(csv.reader(io.StringIO(get("learning:matrix_csv").content.decode())))
    if matrix_csv[0] != matrix_header:
        problems.append(f"{day} matrix.csv columns: {matrix_csv[0]}")
    themes_xlsx = get("learning:themes_xlsx").content
    if _theme_reviews(_sheet(themes_xlsx, "Themes")) != expected_reviews:
        problems.append(f"{day} themes.xlsx Themes")
    if len(_sheet(themes_xlsx, "Found together")) - 1 != len(expected_pairs):
        problems.append(f"{day} themes.xlsx Found together")
    year_on_year = _sheet(themes_xlsx, "Year on year")
    if sum(int(n) for n in year_on_year[1][1:]) != total:
        problems.append(f"{day} themes.xlsx Year on year")
    if _sheet(themes_xlsx, "Matrix")[0] != matrix_header:
        problems.append(f"{day} themes.xlsx Matrix columns")
    if _sheet(get("learning:matrix_xlsx").content, "Matrix")[0] != matrix_header:
        problems.append(f"{day} matrix.xlsx columns")

    # The escalation analysis: page, CSV and XLSX.
    raised, pairs = world.escalation_figures(day)
    summary = get("escalations:analysis").context["summary"]
    page_pairs = {(p["raised_by"], p["about"]): p["total"] for p in summary["by_agencies"]}
    if (summary["total"], page_pairs) != (raised, pairs):
        problems.append(f"{day} escalation analysis: {summary['total']} {page_pairs} != {pairs}")
    tables = analysis_tables(summary)
    exported = get("escalations:analysis_csv").content.decode()
    rows = list(csv.reader(io.StringIO(exported)))
    if ["Escalations raised", str(raised)] not in rows:
        problems.append(f"{day} escalations CSV: not {raised} raised")
    # The rest of the CSV is the page's tables (checked above), laid out.
    if (
        rows[1:]
        != list(csv.reader(io.StringIO(escalation_exports.tables_csv(tables, heading=[]))))[1:]
    ):
        problems.append(f"{day} escalations CSV differs from the page's figures")
    book = load_workbook(io.BytesIO(get("escalations:analysis_xlsx").content), read_only=True)
    overview = [list(r) for r in book[tables[0].title[:31]].iter_rows(values_only=True)]
    if ["Escalations raised", raised] not in overview:
        problems.append(f"{day} escalations XLSX: not {raised} raised")
    return problems


def test_no_one_day_period_gives_an_agency_lead_a_record_they_cannot_open(demo, client_for):
    checked: dict[str, int] = {}
    problems: list[str] = []
    for username in LEADS:
        lead = User.objects.get(username=username)
        world = World(demo, lead)
        days = world.days_outside()
        # The demo must hold records of other agencies on some days, or this proves nothing.
        assert len(days) >= 5, (username, days)
        client = client_for(lead)
        for day in days:
            problems += [f"{username} {p}" for p in _check_day(client, world, day)]
        checked[username] = len(days)
        client.logout()
    print(f"\nlive figures: one-day periods checked per lead: {checked}; problems: {len(problems)}")
    assert not problems, "\n".join(problems[:20])
