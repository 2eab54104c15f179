"""Reads for findings, themes and responses. Analysis figures are in `analysis.py`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from safeguarding.accounts import access
from safeguarding.audit.models import AuditEvent
from safeguarding.learning.models import (
    Finding,
    FindingQuerySet,
    FindingTheme,
    TaxonomyVersion,
    Theme,
    ThemeResponse,
    ThemeStatus,
)
from safeguarding.learning.search import search_findings
from safeguarding.reviews.models import Review


@dataclass(frozen=True)
class FindingFilter:
    """What the findings page is asked for; every analysis count links to one of these."""

    words: str = ""
    theme_id: int | None = None
    co_theme_id: int | None = None  # only reviews where this theme was found too
    agency_ids: tuple[int, ...] = ()
    kind: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    review_kinds: tuple[str, ...] = ()
    review_id: int | None = None
    include_withdrawn: bool = False


def _with_tags(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    tags = FindingTheme.objects.select_related("counts_as", "revision__version").order_by(
        "counts_as__name"
    )
    return findings.select_related("review").prefetch_related(
        Prefetch("theme_tags", queryset=tags), "agencies"
    )


def finding_list(*, user: Any, filters: FindingFilter) -> QuerySet[Finding]:
    """Findings the user may read that match the filters; ranked by the search when there are
    words, else by review and kind."""
    findings: FindingQuerySet = access.get_findings_for_user(user)
    if not filters.include_withdrawn:
        findings = findings.current()
    if filters.start or filters.end:
        findings = findings.in_period(filters.start or dt.date.min, filters.end or dt.date.max)
    if filters.review_kinds:
        findings = findings.filter(review__kind__in=filters.review_kinds)
    if filters.review_id:
        findings = findings.filter(review_id=filters.review_id)
    if filters.kind:
        findings = findings.filter(kind=filters.kind)
    if filters.agency_ids:
        findings = findings.concerning(list(filters.agency_ids))
    if filters.theme_id:
        findings = findings.filter(
            Exists(FindingTheme.objects.filter(finding=OuterRef("pk"), counts_as=filters.theme_id))
        )
    if filters.co_theme_id:
        also = FindingTheme.objects.filter(
            finding__review=OuterRef("review"),
            finding__withdrawn_at__isnull=True,
            counts_as=filters.co_theme_id,
        )
        if filters.agency_ids:
            also = also.filter(finding__agencies__in=filters.agency_ids)
        findings = findings.filter(Exists(also))
    if filters.words.strip():
        return _with_tags(search_findings(findings, filters.words))
    return _with_tags(findings.order_by("review__opened_on", "review_id", "kind", "pk"))


def finding_list_counts(findings: QuerySet[Finding]) -> dict[str, int]:
    """How many findings and reviews a list holds, counted by the database."""
    return findings.order_by().aggregate(
        findings=Count("pk", distinct=True), reviews=Count("review", distinct=True)
    )


def review_findings(*, user: Any, review: Review) -> QuerySet[Finding]:
    return _with_tags(
        access.get_findings_for_user(user).filter(review=review).order_by("kind", "pk")
    )


def theme_list(*, user: Any) -> QuerySet[Theme]:
    """The partnership's themes with the number of current findings counted under each (for
    an agency lead, of the findings they may read: see `access.are_live_figures_scoped`)."""
    current = Q(counted_tags__finding__withdrawn_at__isnull=True)
    if access.are_live_figures_scoped(user):
        current &= Q(counted_tags__finding__in=access.get_findings_for_user(user).values("pk"))
    return (
        access.get_themes_for_user(user)
        .select_related("parent", "merged_into", "current_revision__version")
        .annotate(tagged=Count("counted_tags__finding", distinct=True, filter=current))
        .order_by("status", "name")
    )


def themes_in_use(*, partnership_id: int) -> QuerySet[Theme]:
    return Theme.objects.filter(partnership_id=partnership_id, status=ThemeStatus.ACTIVE)


def taxonomy_versions(*, partnership_id: int) -> QuerySet[TaxonomyVersion]:
    return (
        TaxonomyVersion.objects.filter(partnership_id=partnership_id)
        .select_related("created_by")
        .annotate(themes_changed=Count("revisions"))
        .order_by("-number")
    )


def theme_revisions(*, theme: Theme) -> QuerySet[Any]:
    return theme.revisions.select_related("version", "parent").order_by("-version__number")


def finding_history(*, finding: Finding) -> QuerySet[AuditEvent]:
    """Every change to a finding and its tags: who, when, before and after."""
    return (
        AuditEvent.objects.filter(object_type="learning.Finding", object_id=str(finding.pk))
        .select_related("actor")
        .order_by("at", "pk")
    )


def responses_for(*, user: Any, start: dt.date, end: dt.date) -> dict[int, ThemeResponse]:
    """The partnership's responses for exactly this period, by theme."""
    responses = access.get_theme_responses_for_user(user).filter(period_start=start, period_end=end)
    return {r.theme_id: r for r in responses}


def scope_theme_findings(*, scope: Any, theme_ids: Any) -> dict[int, list[dict[str, Any]]]:
    """For the scrutiny board report: each theme's current findings in an analysis scope
    (good practice first), as {theme id: [{"id", "kind", "text", "review_id"}, ...]}."""
    from safeguarding.learning.analysis import scope_tags

    rows = (
        scope_tags(scope)
        .filter(counts_as__in=list(theme_ids))
        .values("counts_as", "finding_id", "finding__kind", "finding__text", "finding__review_id")
        .order_by("counts_as", "finding__kind", "finding__review_id", "finding_id")
        .distinct()
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        found.setdefault(row["counts_as"], []).append(
            {
                "id": row["finding_id"],
                "kind": row["finding__kind"],
                "text": row["finding__text"],
                "review_id": row["finding__review_id"],
            }
        )
    return found


def partnership_responses(*, partnership: Any, start: dt.date, end: dt.date) -> dict[int, Any]:
    """The partnership's responses for exactly this period, by theme, with their actions (for
    reports made outside a user's request, e.g. the scrutiny board report command)."""
    responses = ThemeResponse.objects.filter(
        partnership=partnership, period_start=start, period_end=end
    ).prefetch_related("actions__owner_agency")
    return {r.theme_id: r for r in responses}
