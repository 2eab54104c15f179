"""Writes for findings, comments on them and the partnership's responses to themes. Each keeps
history and writes its audit row in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.models import Agency, Partnership
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.core.history import save_and_record, snapshot
from safeguarding.learning.models import (
    Finding,
    FindingComment,
    FindingTheme,
    Theme,
    ThemeResponse,
    ThemeStatus,
)
from safeguarding.reviews.models import Review


class FindingError(ValueError):
    """A finding that cannot be saved as asked (the message says why, for the user)."""


@dataclass
class FindingInput:
    """One finding of a quick entry."""

    kind: str
    text: str
    themes: list[Theme] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    source_passage: str = ""


def _check_scope(partnership_id: int, themes: Iterable[Theme], agencies: Iterable[Agency]) -> None:
    for theme in themes:
        if theme.partnership_id != partnership_id:
            raise FindingError("A theme of another partnership cannot be used")
    for agency in agencies:
        if agency.partnership_id != partnership_id:
            raise FindingError("An agency of another partnership cannot be named")


def _tag_names(finding: Finding) -> list[str]:
    return sorted(
        finding.theme_tags.select_related("counts_as").values_list("counts_as__name", flat=True)
    )


def _tag(finding: Finding, themes: Iterable[Theme], actor: Any) -> None:
    for theme in themes:
        if theme.status != ThemeStatus.ACTIVE:
            raise FindingError(f"{theme.name} is not in use: choose a theme in use")
        if theme.current_revision_id is None:
            raise FindingError(f"{theme.name} has no revision to tag with")
        tag = FindingTheme(
            finding=finding, theme=theme, revision_id=theme.current_revision_id, counts_as=theme
        )
        tag._history_user = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[attr-defined]
        tag.save()


@transaction.atomic
def finding_create(
    *,
    actor: Any,
    review: Review,
    kind: str,
    text: str,
    themes: Iterable[Theme] = (),
    agencies: Iterable[Agency] = (),
    source_passage: str = "",
) -> Finding:
    """Record one finding of a review, tagged with the current version of each theme."""
    themes, agencies = list(themes), list(agencies)
    _check_scope(review.partnership_id, themes, agencies)
    finding = Finding(
        partnership_id=review.partnership_id,
        review=review,
        kind=kind,
        text=text.strip(),
        source_passage=source_passage.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    save_and_record(finding, actor=actor, summary=f"Recorded a finding of {review.title}")
    finding.agencies.set(agencies)
    _tag(finding, themes, actor)
    if themes or agencies:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            summary=f"Tagged a finding of {review.title}",
            obj=finding,
            changes={
                "themes": [[], sorted(t.name for t in themes)],
                "agencies": [[], sorted(a.name for a in agencies)],
            },
        )
    return finding


@transaction.atomic
def findings_create_many(
    *, actor: Any, review: Review, findings: Iterable[FindingInput]
) -> list[Finding]:
    """Record several findings of a review at once (all or none)."""
    return [
        finding_create(
            actor=actor,
            review=review,
            kind=f.kind,
            text=f.text,
            themes=f.themes,
            agencies=f.agencies,
            source_passage=f.source_passage,
        )
        for f in findings
    ]


@transaction.atomic
def findings_create_bulk(
    *, actor: Any, findings: list[tuple[Review, FindingInput]]
) -> list[Finding]:
    """Record many findings at once (a spreadsheet import), each of its own review, with the
    rows `finding_create` leaves for each (a "+" history row, a "~" row holding its agencies
    when it has any, the audit row, a history row per theme tag and the "Tagged" audit row), in
    bulk statements. All or none: a theme not in use or a theme or agency of another
    partnership raises FindingError (its `index` is the finding's position) before anything is
    written."""
    from safeguarding.core import bulk

    user = bulk.user_of(actor)
    objs: list[Finding] = []
    for index, (review, item) in enumerate(findings):
        try:
            _check_scope(review.partnership_id, item.themes, item.agencies)
            for theme in item.themes:
                if theme.status != ThemeStatus.ACTIVE:
                    raise FindingError(f"{theme.name} is not in use: choose a theme in use")
                if theme.current_revision_id is None:
                    raise FindingError(f"{theme.name} has no revision to tag with")
        except FindingError as error:
            error.index = index  # type: ignore[attr-defined]
            raise
        objs.append(
            Finding(
                partnership=review.partnership,
                review=review,
                kind=item.kind,
                text=item.text.strip(),
                source_passage=item.source_passage.strip(),
                created_by=user,
            )
        )
    bulk.clean_each(objs)
    Finding.objects.bulk_create(objs, batch_size=bulk.BATCH)
    bulk.history_create(Finding, objs, user=user)
    pairs = [(f, item.agencies) for f, (_, item) in zip(objs, findings, strict=True)]
    links = bulk.links_create(Finding, "agencies", pairs)
    changed = [finding for finding, agencies in pairs if agencies]
    bulk.history_create(Finding, changed, user=user, update=True)
    bulk.m2m_history_create(Finding, "agencies", changed, links)
    tags = [
        FindingTheme(
            finding=finding,
            theme=theme,
            revision_id=theme.current_revision_id,  # type: ignore[misc] # checked above
            counts_as=theme,
        )
        for finding, (_, item) in zip(objs, findings, strict=True)
        for theme in item.themes
    ]
    FindingTheme.objects.bulk_create(tags, batch_size=bulk.BATCH)
    bulk.history_create(FindingTheme, tags, user=user)
    audit = bulk.AuditRows(actor)
    for finding, (review, item) in zip(objs, findings, strict=True):
        audit.created(finding, f"Recorded a finding of {review.title}")
        if item.themes or item.agencies:
            audit.add(
                finding,
                f"Tagged a finding of {review.title}",
                {
                    "themes": [[], sorted(t.name for t in item.themes)],
                    "agencies": [[], sorted(a.name for a in item.agencies)],
                },
                AuditAction.UPDATE,
            )
    audit.write()
    return objs


@transaction.atomic
def finding_update(
    *,
    actor: Any,
    finding: Finding,
    themes: Iterable[Theme] | None = None,
    agencies: Iterable[Agency] | None = None,
    **fields: Any,
) -> Finding:
    """Change a finding. A theme still chosen keeps its tag, and with it the version it was
    tagged with; a theme no longer chosen loses its tag (kept in the history); a new one is
    tagged with the current version."""
    if finding.is_withdrawn:
        raise FindingError("A withdrawn finding cannot be changed")
    before = snapshot(finding)
    for name, value in fields.items():
        setattr(finding, name, value.strip() if isinstance(value, str) else value)
    if snapshot(finding) != before:
        save_and_record(
            finding, actor=actor, summary=f"Changed a finding of {finding.review}", before=before
        )
    changes: dict[str, list[Any]] = {}
    if agencies is not None:
        agencies = list(agencies)
        _check_scope(finding.partnership_id, [], agencies)
        old = sorted(a.name for a in finding.agencies.all())
        finding.agencies.set(agencies)
        new = sorted(a.name for a in agencies)
        if old != new:
            changes["agencies"] = [old, new]
    if themes is not None:
        themes = list(themes)
        _check_scope(finding.partnership_id, themes, [])
        old = _tag_names(finding)
        wanted = {t.pk: t for t in themes}
        for tag in finding.theme_tags.all():
            if tag.counts_as_id in wanted:
                wanted.pop(tag.counts_as_id)
            else:
                tag._history_user = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[attr-defined]
                tag.delete()  # the history table keeps it
        _tag(finding, wanted.values(), actor)
        new = _tag_names(finding)
        if old != new:
            changes["themes"] = [old, new]
    if changes:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            summary=f"Changed the tags of a finding of {finding.review}",
            obj=finding,
            changes=changes,
        )
    return finding


@transaction.atomic
def finding_withdraw(*, actor: Any, finding: Finding, reason: str) -> Finding:
    """Withdraw a finding: it leaves the analysis but is never deleted."""
    before = snapshot(finding)
    finding.withdrawn_at = timezone.now()
    finding.withdrawn_reason = reason.strip()
    save_and_record(
        finding, actor=actor, summary=f"Withdrew a finding of {finding.review}", before=before
    )
    return finding


@transaction.atomic
def finding_comment_add(*, actor: Any, finding: Finding, text: str) -> FindingComment:
    comment = FindingComment(finding=finding, author=actor, text=text.strip())
    save_and_record(comment, actor=actor, summary=f"Commented on a finding of {finding.review}")
    return comment


@transaction.atomic
def theme_response_save(
    *,
    actor: Any,
    partnership: Partnership,
    theme: Theme,
    period_start: dt.date,
    period_end: dt.date,
    narrative: str,
) -> ThemeResponse:
    """Record or change the partnership's response to a theme for a period."""
    if theme.partnership_id != partnership.pk:
        raise FindingError("A theme of another partnership cannot be used")
    response = ThemeResponse.objects.filter(
        theme=theme, period_start=period_start, period_end=period_end
    ).first()
    before = snapshot(response) if response else None
    if response is None:
        response = ThemeResponse(
            partnership=partnership,
            theme=theme,
            period_start=period_start,
            period_end=period_end,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    response.narrative = narrative.strip()
    save_and_record(
        response,
        actor=actor,
        summary=f"{'Recorded' if before is None else 'Changed'} the response to {theme.name}",
        before=before,
    )
    return response
