"""The cross-cutting analysis: which themes run across a period's reviews.

Every figure is counted by the database (GROUP BY with COUNT DISTINCT); Python only lays the
rows out. A review belongs to a period by the date it began, as in the period summary
(commissioned, else opened). A tag counts under the theme it counts as now, so merged themes
add up under the theme they became; a retired theme still counts where it was found.

With an agency filter, a theme's reviews are those with a finding about one of the agencies,
and the share is out of the period's reviews that the agencies took part in or have findings
about.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear

from safeguarding.accounts.models import Partnership
from safeguarding.learning.models import (
    Finding,
    FindingKind,
    FindingTheme,
    LearningSettings,
    Theme,
    ThemeStatus,
)
from safeguarding.learning.prepared import PreparedQuery
from safeguarding.reviews.models import Review, ReviewKind

KIND_SHORT: dict[str, str] = {
    ReviewKind.RAPID_REVIEW: "RR",
    ReviewKind.CSPR: "CSPR",
    ReviewKind.LOCAL_LEARNING: "LLR",
    ReviewKind.AUDIT: "audit",
    ReviewKind.OTHER: "other",
}
GOOD = FindingKind.GOOD_PRACTICE
IMPROVE = FindingKind.IMPROVEMENT


@dataclass(frozen=True)
class Scope:
    """What to analyse: a partnership (None: every partnership), a period, and optionally
    some review types and agencies. `reviews`: only these reviews count (an agency lead's,
    from `access.get_reviews_for_user`), so that a narrow period names no review they may not
    open; None: every review of the partnership."""

    partnership: Partnership | None
    start: dt.date
    end: dt.date
    review_kinds: tuple[str, ...] = ()
    agency_ids: tuple[int, ...] = ()
    reviews: QuerySet[Review] | None = None


@dataclass
class ThemeRow:
    theme_id: int
    name: str
    status: str
    reviews: int = 0
    good_practice: int = 0  # reviews with good practice under the theme
    improvement: int = 0  # reviews with an area for improvement under the theme
    findings: int = 0
    good_practice_findings: int = 0
    improvement_findings: int = 0
    share: float = 0.0  # per cent of the period's reviews
    cross_cutting: bool = False


@dataclass
class Pair:
    a_id: int
    a_name: str
    b_id: int
    b_name: str
    reviews: int
    share_of_a: float  # per cent of a's reviews that also have b
    share_of_b: float


@dataclass
class Analysis:
    scope: Scope
    threshold: int
    year_starts_month: int
    total_reviews: int
    themes: list[ThemeRow]
    pairs: list[Pair] = field(default_factory=list)
    matrix_reviews: list[dict[str, Any]] = field(default_factory=list)
    matrix: dict[int, dict[int, tuple[int, int]]] = field(default_factory=dict)
    trend_years: list[tuple[int, str, int]] = field(default_factory=list)  # year, label, reviews
    trend: dict[int, dict[int, tuple[int, int, int]]] = field(default_factory=dict)

    @property
    def cross_cutting(self) -> list[ThemeRow]:
        return [t for t in self.themes if t.cross_cutting]

    @property
    def found(self) -> list[ThemeRow]:
        return [t for t in self.themes if t.reviews]

    @property
    def not_found(self) -> list[ThemeRow]:
        return [t for t in self.themes if not t.reviews]

    @property
    def year_starts(self) -> str:
        return calendar.month_name[self.year_starts_month]

    def year_period(self, year: int) -> tuple[dt.date, dt.date]:
        """The days of reporting year `year` (as `year_expression` names it) within the scope."""
        first = dt.date(year, self.year_starts_month, 1)
        last = dt.date(year + 1, self.year_starts_month, 1) - dt.timedelta(days=1)
        return max(first, self.scope.start), min(last, self.scope.end)


def _started(prefix: str = "") -> Coalesce:
    return Coalesce(f"{prefix}commissioned_on", f"{prefix}opened_on")


def scope_reviews(scope: Scope) -> QuerySet[Review]:
    """The reviews a share is out of."""
    reviews = Review.objects.all()
    if scope.partnership is not None:
        reviews = reviews.filter(partnership_id=scope.partnership.pk)
    reviews = reviews.alias(started_on=_started()).filter(
        started_on__gte=scope.start, started_on__lte=scope.end
    )
    if scope.review_kinds:
        reviews = reviews.filter(kind__in=scope.review_kinds)
    if scope.reviews is not None:
        reviews = reviews.filter(pk__in=scope.reviews.values("pk"))
    if scope.agency_ids:
        took_part = Review.agencies.through.objects.filter(
            review=OuterRef("pk"), agency__in=scope.agency_ids
        )
        about = Finding.agencies.through.objects.filter(
            finding__review=OuterRef("pk"),
            finding__withdrawn_at__isnull=True,
            agency__in=scope.agency_ids,
        )
        reviews = reviews.filter(Exists(took_part) | Exists(about))
    return reviews


def scope_tags(scope: Scope) -> QuerySet[FindingTheme]:
    """The tags of the scope's current findings."""
    tags = FindingTheme.objects.filter(finding__withdrawn_at__isnull=True)
    if scope.partnership is not None:
        tags = tags.filter(finding__partnership_id=scope.partnership.pk)
    tags = tags.alias(started_on=_started("finding__review__")).filter(
        started_on__gte=scope.start, started_on__lte=scope.end
    )
    if scope.review_kinds:
        tags = tags.filter(finding__review__kind__in=scope.review_kinds)
    if scope.reviews is not None:
        tags = tags.filter(finding__review__in=scope.reviews.values("pk"))
    if scope.agency_ids:
        about = Finding.agencies.through.objects.filter(
            finding=OuterRef("finding"), agency__in=scope.agency_ids
        )
        tags = tags.filter(Exists(about))
    return tags


def _counts() -> dict[str, Count]:
    return {
        "reviews": Count("finding__review", distinct=True),
        "good_practice": Count("finding__review", distinct=True, filter=Q(finding__kind=GOOD)),
        "improvement": Count("finding__review", distinct=True, filter=Q(finding__kind=IMPROVE)),
        "findings": Count("finding", distinct=True),
        "good_practice_findings": Count("finding", distinct=True, filter=Q(finding__kind=GOOD)),
        "improvement_findings": Count("finding", distinct=True, filter=Q(finding__kind=IMPROVE)),
    }


def _theme_counts_query(scope: Scope) -> QuerySet[Any]:
    return scope_tags(scope).values("counts_as").annotate(**_counts()).order_by("counts_as")


_THEME_COUNTS = PreparedQuery(_theme_counts_query)


def theme_counts(scope: Scope) -> list[dict[str, Any]]:
    """One row per theme found in the scope: the counts of `ThemeRow`, by the database (one
    GROUP BY query, compiled once per shape of scope: see prepared.py)."""
    return _THEME_COUNTS.rows(scope)


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def settings_for(partnership: Partnership | None) -> tuple[int, int]:
    """The partnership's cross-cutting threshold and the month its reporting year starts."""
    found = (
        LearningSettings.objects.filter(partnership=partnership).first() if partnership else None
    )
    if found is None:
        return 2, 4
    return found.cross_cutting_min_reviews, found.year_starts_month


def theme_summary(scope: Scope, *, threshold: int | None = None) -> tuple[int, list[ThemeRow]]:
    """The period's reviews and, for each theme, its reviews, share, good practice and
    improvement split, and whether it is cross-cutting. Every theme in use is listed, found or
    not; retired and merged themes only where they were found."""
    if threshold is None:
        threshold = settings_for(scope.partnership)[0]
    total = scope_reviews(scope).count()
    counted = {row["counts_as"]: row for row in theme_counts(scope)}
    themes = Theme.objects.all()
    if scope.partnership is not None:
        themes = themes.filter(partnership=scope.partnership).filter(
            Q(status=ThemeStatus.ACTIVE) | Q(pk__in=list(counted))
        )
    else:
        themes = themes.filter(pk__in=list(counted))
    result = []
    for theme_id, name, status in themes.values_list("pk", "name", "status"):
        row = ThemeRow(theme_id=theme_id, name=name, status=status)
        found = counted.get(theme_id)
        if found:
            for key in _counts():
                setattr(row, key, found[key])
        row.share = _percent(row.reviews, total)
        row.cross_cutting = row.reviews >= threshold
        result.append(row)
    result.sort(key=lambda r: (-r.reviews, -r.findings, r.name.lower()))
    return total, result


def theme_pairs(scope: Scope, by_theme: dict[int, ThemeRow]) -> list[Pair]:
    """Pairs of themes found in the same review, with the number of reviews they share."""
    other = "finding__review__findings__theme_tags"
    rows = (
        scope_tags(scope)
        # One filter() call, so that both conditions are on the same joined tag.
        .filter(
            **{
                f"{other}__in": scope_tags(scope).values("pk"),
                f"{other}__counts_as__gt": F("counts_as"),
            }
        )
        .values("counts_as", f"{other}__counts_as")
        .annotate(reviews=Count("finding__review", distinct=True))
        .order_by("-reviews", "counts_as", f"{other}__counts_as")
    )
    pairs = []
    for row in rows:
        a, b = by_theme.get(row["counts_as"]), by_theme.get(row[f"{other}__counts_as"])
        if a is None or b is None:
            continue
        pairs.append(
            Pair(
                a_id=a.theme_id,
                a_name=a.name,
                b_id=b.theme_id,
                b_name=b.name,
                reviews=row["reviews"],
                share_of_a=_percent(row["reviews"], a.reviews),
                share_of_b=_percent(row["reviews"], b.reviews),
            )
        )
    return pairs


def theme_matrix(
    scope: Scope,
) -> tuple[list[dict[str, Any]], dict[int, dict[int, tuple[int, int]]]]:
    """Themes x reviews: for each theme and review, the good practice and improvement
    findings. Only reviews with tagged findings are columns."""
    cells: dict[int, dict[int, tuple[int, int]]] = {}
    rows = (
        scope_tags(scope)
        .values("counts_as", "finding__review")
        .annotate(
            good=Count("finding", distinct=True, filter=Q(finding__kind=GOOD)),
            improve=Count("finding", distinct=True, filter=Q(finding__kind=IMPROVE)),
        )
        .order_by()
    )
    for row in rows:
        cells.setdefault(row["counts_as"], {})[row["finding__review"]] = (
            row["good"],
            row["improve"],
        )
    review_ids = {r for by_review in cells.values() for r in by_review}
    reviews: list[dict[str, Any]] = [
        dict(row)
        for row in Review.objects.filter(pk__in=review_ids)
        .annotate(started_on=_started())
        .order_by("started_on", "pk")
        .values("pk", "title", "kind", "started_on", "case__reference")
    ]
    for review in reviews:
        # A short column heading: the case, else the month the review began.
        name = review["case__reference"] or f"{review['started_on']:%b %Y}"
        review["short"] = f"{name} ({KIND_SHORT.get(review['kind'], review['kind'])})"
    return reviews, cells


def year_expression(year_starts_month: int) -> Any:
    """The reporting year a review began in (named by the year it starts in), from the
    `started_on` alias that `scope_reviews` and `scope_tags` both define."""
    year = ExtractYear("started_on")
    if year_starts_month == 1:
        return year
    return Case(
        When(Q(**{"started_on__month__lt": year_starts_month}), then=year - Value(1)),
        default=year,
        output_field=IntegerField(),
    )


def year_label(year: int, year_starts_month: int) -> str:
    return str(year) if year_starts_month == 1 else f"{year}/{(year + 1) % 100:02d}"


def theme_trend(
    scope: Scope, year_starts_month: int
) -> tuple[list[tuple[int, str, int]], dict[int, dict[int, tuple[int, int, int]]]]:
    """Year on year within the scope: each year's reviews, and per theme per year the reviews
    it was found in, split into good practice and improvement."""
    years = (
        scope_reviews(scope)
        .annotate(year=year_expression(year_starts_month))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    year_rows = [(y["year"], year_label(y["year"], year_starts_month), y["n"]) for y in years]
    rows = (
        scope_tags(scope)
        .annotate(year=year_expression(year_starts_month))
        .values("counts_as", "year")
        .annotate(
            reviews=Count("finding__review", distinct=True),
            good=Count("finding__review", distinct=True, filter=Q(finding__kind=GOOD)),
            improve=Count("finding__review", distinct=True, filter=Q(finding__kind=IMPROVE)),
        )
        .order_by()
    )
    trend: dict[int, dict[int, tuple[int, int, int]]] = {}
    for row in rows:
        trend.setdefault(row["counts_as"], {})[row["year"]] = (
            row["reviews"],
            row["good"],
            row["improve"],
        )
    return year_rows, trend


def theme_analysis(scope: Scope, *, with_matrix: bool = True) -> Analysis:
    """The whole analysis of a scope, for the page, the command and the exports. A fixed
    number of queries, however many reviews and findings there are."""
    threshold, year_starts = settings_for(scope.partnership)
    total, themes = theme_summary(scope, threshold=threshold)
    by_theme = {t.theme_id: t for t in themes}
    analysis = Analysis(
        scope=scope,
        threshold=threshold,
        year_starts_month=year_starts,
        total_reviews=total,
        themes=themes,
        pairs=theme_pairs(scope, by_theme),
    )
    if with_matrix:
        analysis.matrix_reviews, analysis.matrix = theme_matrix(scope)
    analysis.trend_years, analysis.trend = theme_trend(scope, year_starts)
    return analysis


def analysis_as_dict(analysis: Analysis) -> dict[str, Any]:
    """The analysis as plain data (for JSON)."""
    scope = analysis.scope
    names = {t.theme_id: t.name for t in analysis.themes}
    return {
        "partnership": scope.partnership.slug if scope.partnership else None,
        "from": scope.start.isoformat(),
        "to": scope.end.isoformat(),
        "review_types": list(scope.review_kinds),
        "agencies": list(scope.agency_ids),
        "reviews_in_period": analysis.total_reviews,
        "cross_cutting_threshold": analysis.threshold,
        "themes": [
            {
                "name": t.name,
                "status": t.status,
                "reviews": t.reviews,
                "share_percent": t.share,
                "good_practice": t.good_practice,
                "improvement": t.improvement,
                "findings": t.findings,
                "good_practice_findings": t.good_practice_findings,
                "improvement_findings": t.improvement_findings,
                "cross_cutting": t.cross_cutting,
            }
            for t in analysis.themes
        ],
        "pairs": [{"themes": [p.a_name, p.b_name], "reviews": p.reviews} for p in analysis.pairs],
        "trend": [
            {
                "year": label,
                "reviews_in_year": n,
                "themes": {
                    names[theme_id]: by_year[year][0]
                    for theme_id, by_year in analysis.trend.items()
                    if year in by_year and theme_id in names
                },
            }
            for year, label, n in analysis.trend_years
        ],
    }
