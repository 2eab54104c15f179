"""The learning brief of one review, as a neutral `Document` (one or two pages).

Anonymised by construction: the child is named by the case's pseudonym only, and nothing is read
from the restricted identifying record. Good practice and learning come from the review's
findings (withdrawn ones left out); the summary and the questions for practitioners are the
brief's own text, kept and edited on the brief. The publication check still reads the result,
because a finding or the summary could carry a detail somebody typed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguarding.learning.models import Finding, FindingKind
from safeguarding.reports.document import (
    STATUS_DRAFT,
    STATUS_PUBLISHED,
    BulletList,
    Document,
    Paragraph,
    Run,
    Section,
    cell_text,
    source,
)
from safeguarding.reports.suppression import (
    published_threshold,
    suppress_value,
    threshold_statement,
)
from safeguarding.reviews.models import Review

# Enough for two pages of A4 with the headings; longer lists are cut and say so.
MAX_ITEMS = 6


@dataclass(frozen=True)
class BriefText:
    """The brief's own text, as kept on the report when a version is issued."""

    summary: str
    questions: str


def brief_title(review: Review) -> str:
    case = review.case.reference if review.case else "a thematic review"
    return f"Learning brief: {review.get_kind_display().lower()}, {case}"


def _paragraphs(text: str, *, style: str = "body", origin: str = "") -> tuple[Paragraph, ...]:
    parts = [" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n")]
    return tuple(
        Paragraph((p,), style=style, source=origin)  # type: ignore[arg-type]
        for p in parts
        if p
    )


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()).lstrip("-•* ") for line in text.splitlines() if line.strip()]


def _finding_items(findings: list[Finding]) -> tuple[tuple[Run, ...], ...]:
    items: list[tuple[Run, ...]] = []
    for finding in findings[:MAX_ITEMS]:
        themes = ", ".join(sorted({tag.counts_as.name for tag in finding.theme_tags.all()}))
        text = " ".join(finding.text.split())
        items.append((text + (f" (Themes: {themes}.)" if themes else ""),))
    return tuple(items)


def _findings_blocks(
    findings: list[Finding], empty: str, *, threshold: int
) -> tuple[Paragraph | BulletList, ...]:
    if not findings:
        return (Paragraph((empty,)),)
    sources = tuple(
        source(f"Finding {f.pk} of review '{f.review.title}'", "text") for f in findings[:MAX_ITEMS]
    )
    blocks: list[Paragraph | BulletList] = [BulletList(_finding_items(findings), sources)]
    if len(findings) > MAX_ITEMS:
        more = cell_text(suppress_value(len(findings) - MAX_ITEMS, threshold=threshold))
        blocks.append(Paragraph((f"{more} more are recorded on the review.",), style="small"))
    return tuple(blocks)


def build_brief(*, review: Review, text: BriefText, published: bool) -> Document:
    """The learning brief of `review`. Its one count (the findings left out of a long list) is
    suppressed in the published version, which says which threshold it applied."""
    threshold = published_threshold(review.partnership.small_number_threshold) if published else 0
    findings = list(
        Finding.objects.filter(review=review, withdrawn_at__isnull=True)
        .prefetch_related("theme_tags__counts_as")
        .order_by("pk")
    )
    good = [f for f in findings if f.kind == FindingKind.GOOD_PRACTICE]
    learning = [f for f in findings if f.kind == FindingKind.IMPROVEMENT]
    questions = _lines(text.questions)
    brief = f"Learning brief of review '{review.title}'"
    agencies = ", ".join(a.name for a in review.agencies.order_by("name")) or "None recorded"
    when = review.completed_on or review.opened_on
    sections = (
        Section(
            "Summary",
            _paragraphs(text.summary, style="lead", origin=source(brief, "summary"))
            or (Paragraph(("The summary has not been written yet.",)),),
            anchor="summary",
        ),
        Section(
            "What went well",
            _findings_blocks(
                good, "No good practice has been recorded for this review.", threshold=threshold
            ),
            anchor="good-practice",
        ),
        Section(
            "What we learned",
            _findings_blocks(
                learning, "No areas for improvement have been recorded.", threshold=threshold
            ),
            anchor="learning",
        ),
        Section(
            "Questions for practitioners",
            (
                BulletList(
                    tuple((q,) for q in questions),
                    tuple(source(brief, "questions") for _q in questions),
                ),
            )
            if questions
            else (Paragraph(("Questions for practitioners have not been written yet.",)),),
            anchor="questions",
        ),
    )
    return Document(
        title=brief_title(review),
        subtitle="What practitioners can take from this review",
        partnership_name=review.partnership.name,
        period_label=f"{'Completed' if review.completed_on else 'Opened'} {when:%B %Y}",
        status_label=STATUS_PUBLISHED if published else STATUS_DRAFT,
        sections=sections,
        notes=(
            Paragraph(
                (
                    "This brief is anonymised: the child is known by a pseudonym and no "
                    "identifying details are included. Share it within your agency.",
                ),
                style="small",
            ),
        )
        + ((Paragraph((threshold_statement(threshold),), style="small"),) if published else ()),
        meta=(("Review", review.get_kind_display()), ("Agencies taking part", agencies)),
        notes_heading="About this brief",
        published=published,
        numbered=False,
    )
