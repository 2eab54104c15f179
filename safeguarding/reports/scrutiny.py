"""The scrutiny board report "Cross cutting themes from review processes", as a Document.

Built from the same selectors as the pages (the period summary, the theme analysis, the
responses and actions, dissemination and assurance, the escalation register); no figure is
typed here. The sections follow the seed report: purpose, introduction, review processes,
how learning is disseminated, cross-cutting themes with the partnership's response,
assurance. The sections themselves are in ``scrutiny_sections.py`` (purpose to review
processes) and ``scrutiny_learning.py`` (dissemination, themes, assurance).

A published version suppresses each count from 1 to ``Partnership.small_number_threshold``
(never less than counts of 1) with secondary suppression, applies the group rule to every
breakdown (``suppression.suppress_breakdown``), withholds averages over withheld counts, names
a theme as cross-cutting only when found about more children than the threshold, says which
threshold it applied, and leaves out links to records; a draft links every figure to the
records behind it. A published version is never made for a period under three months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import Partnership
from safeguarding.reports.document import (
    STATUS_DRAFT,
    STATUS_PUBLISHED,
    Cell,
    Document,
    Link,
    Paragraph,
    Run,
    Suppressed,
    Table,
    cell_text,
    source,
)
from safeguarding.reports.suppression import (
    SHORT_PERIOD_MESSAGE,
    percent,
    public_period_too_short,
    published_threshold,
    suppress_breakdown,
    suppress_statistic,
    suppress_table,
    suppress_value,
    threshold_statement,
)

TITLE = "Cross cutting themes from review processes"


class ShortPeriodError(ValueError):
    """A published version asked for a period shorter than three months."""


def period_label(start: dt.date, end: dt.date) -> str:
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"


@dataclass(frozen=True)
class ReportContext:
    """What every section needs: the scope, the threshold and how to make links."""

    partnership: Partnership
    start: dt.date
    end: dt.date
    review_kinds: tuple[str, ...] = ()
    agency_ids: tuple[int, ...] = ()
    published: bool = False
    base_url: str = ""
    threshold: int = 0
    today: dt.date = field(default_factory=lambda: timezone.localdate())

    @property
    def suppressing(self) -> bool:
        # Always on in a published version: its threshold is never below 1.
        return self.published and self.threshold >= 1

    @property
    def period(self) -> str:
        return period_label(self.start, self.end)

    def url(self, name: str, params: Sequence[tuple[str, Any]] = (), **kwargs: Any) -> str:
        """A link to the page behind a figure; empty (so no link) in a published version."""
        if self.published:
            return ""
        path = reverse(name, kwargs=kwargs or None)
        query = f"?{urlencode(list(params))}" if params else ""
        return f"{self.base_url.rstrip('/')}{path}{query}"

    def period_params(self) -> list[tuple[str, Any]]:
        return [("start", self.start.isoformat()), ("end", self.end.isoformat())]

    def link(self, value: Cell, url: str) -> Cell:
        """A figure linked to ``url`` (suppressed values and published versions: no link)."""
        if isinstance(value, Suppressed) or not url or value is None:
            return value
        return Link(f"{value:,}" if isinstance(value, int) else str(value), url)

    def run(self, value: int | str | Suppressed, url: str) -> Run:
        """A figure for a sentence, linked to ``url`` (as :meth:`link`)."""
        cell = self.link(value, url)
        return cell if isinstance(cell, Link) else cell_text(cell)

    def one(self, value: int) -> int | Suppressed:
        """A count shown on its own in a sentence."""
        return suppress_value(value, threshold=self.threshold) if self.suppressing else value

    def counts(self, values: Sequence[int]) -> tuple[list[int | Suppressed], int | Suppressed]:
        """A breakdown of counts with its total (both possibly suppressed): in a public copy,
        withheld whole when its total is small, and no zeros beside a lone withheld cell."""
        if not self.suppressing:
            return list(values), sum(values)
        cells, total = suppress_breakdown(values, threshold=self.threshold)
        assert total is not None  # noqa: S101 - the total is always shown here
        return cells, total

    def grid(self, grid: Sequence[Sequence[int]], *, column_totals: bool = True) -> Any:
        """A table of counts; in a public copy each row (and each column with a total) is a
        breakdown under the group rule too."""
        threshold = self.threshold if self.suppressing else 0
        return suppress_table(
            grid, threshold=threshold, column_totals=column_totals, breakdowns=self.suppressing
        )

    def statistic(
        self, value: float | int | None, *, over: int | Suppressed
    ) -> float | int | Suppressed | None:
        """An average or median over ``over`` items: withheld in a public copy when that count
        is small or withheld; a draft shows it."""
        if not self.suppressing:
            return value
        return suppress_statistic(value, over=over, threshold=self.threshold)

    @property
    def suppression_note(self) -> str:
        return threshold_statement(self.threshold) if self.suppressing else ""


def count_table(
    ctx: ReportContext,
    *,
    caption: str,
    label: str,
    counts: dict[str, int],
    urls: dict[str, str] | None = None,
    total_url: str = "",
    with_percent: bool = True,
) -> Table:
    """A one-column table of counts by category, with a total and (optionally) percentages."""
    names = list(counts)
    cells, total = ctx.counts([counts[n] for n in names])
    rows: list[tuple[Cell, ...]] = []
    for name, cell in zip(names, cells, strict=True):
        row: tuple[Cell, ...] = (name, ctx.link(cell, (urls or {}).get(name, "")))
        if with_percent:
            row += (share(cell, total),)
        rows.append(row)
    header: tuple[str, ...] = (label, "Number") + (("Per cent",) if with_percent else ())
    totals: tuple[Cell, ...] = ("Total", ctx.link(total, total_url))
    if with_percent:
        totals += ("100%" if total else "–",)
    numeric = frozenset({1, 2}) if with_percent else frozenset({1})
    return Table(
        caption=caption,
        header=header,
        rows=tuple(rows),
        numeric_columns=numeric,
        totals=totals,
        note=ctx.suppression_note if any(isinstance(c, Suppressed) for c in cells) else "",
    )


def share(part: int | Suppressed, whole: int | Suppressed, *, places: int = 0) -> str | Suppressed:
    """A percentage; suppressed when either count is (it would give the count away)."""
    return percent(part, whole, places=places)


def build_scrutiny_report(
    *,
    partnership: Partnership,
    start: dt.date,
    end: dt.date,
    review_kinds: Sequence[str] = (),
    agency_ids: Sequence[int] = (),
    intro_text: str = "",
    published: bool = False,
    base_url: str = "",
    report_date: dt.date | None = None,
    report_to: str = "Scrutiny board",
) -> Document:
    """The scrutiny board report for a partnership and period (dates inclusive).

    ``review_kinds`` and ``agency_ids`` narrow the themes (as on the analysis page) and the
    reviews by type. ``intro_text`` is the report's own introduction (paragraphs separated by
    blank lines); empty gives a standard one. ``published`` suppresses small numbers and
    leaves out links; it refuses (``ShortPeriodError``) a period under three months.
    ``base_url`` prefixes links (for a standalone file).
    """
    from safeguarding.reports import scrutiny_learning as learning
    from safeguarding.reports import scrutiny_sections as sections

    if published and public_period_too_short(start, end):
        # The one rule no suppression can make up for: see suppression.public_period_too_short.
        raise ShortPeriodError(SHORT_PERIOD_MESSAGE)
    ctx = ReportContext(
        partnership=partnership,
        start=start,
        end=end,
        review_kinds=tuple(review_kinds),
        agency_ids=tuple(agency_ids),
        published=published,
        base_url=base_url,
        # A published version never suppresses less than counts of 1; a draft shows all.
        threshold=published_threshold(partnership.small_number_threshold) if published else 0,
        today=report_date or timezone.localdate(),
    )
    intro = (
        tuple(
            Paragraph((p.strip(),), style="body", source=source("Report", "introduction"))
            for p in intro_text.replace("\r\n", "\n").split("\n\n")
            if p.strip()
        )
        if intro_text.strip()
        else sections.default_introduction(ctx)
    )
    themes_section, theme_ids, _analysis = learning.themes(ctx)
    products = learning.products_in_scope(ctx, theme_ids=theme_ids)
    body = (
        sections.purpose(ctx),
        sections.introduction(ctx, intro),
        sections.review_processes(ctx),
        learning.dissemination(ctx, d=products),
        themes_section,
        learning.assurance(ctx, d=products),
    )
    return Document(
        title=TITLE,
        subtitle=f"Review processes {ctx.period}",
        partnership_name=partnership.name,
        period_label=ctx.period,
        status_label=STATUS_PUBLISHED if published else STATUS_DRAFT,
        sections=body,
        notes=sections.notes(ctx),
        meta=(
            ("Report to", report_to),
            ("Report from", partnership.name),
            ("Period", ctx.period),
            ("Date", f"{ctx.today:%-d %B %Y}"),
        ),
        published=published,
    )
