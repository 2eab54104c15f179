"""The learning sections of the scrutiny board report: how learning is disseminated, the
cross-cutting themes with the partnership's response, and assurance (see scrutiny.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from safeguarding.dissemination.models import ProductKind
from safeguarding.dissemination.selectors import period_products, products_summary
from safeguarding.learning.analysis import (
    Analysis,
    Scope,
    ThemeRow,
    scope_reviews,
    scope_tags,
    theme_analysis,
)
from safeguarding.learning.models import MIN_CROSS_CUTTING_REVIEWS, FindingKind
from safeguarding.learning.selectors import partnership_responses, scope_theme_findings
from safeguarding.reports.document import (
    BulletList,
    Cell,
    Paragraph,
    Run,
    Section,
    Strong,
    Suppressed,
    Table,
    source,
)
from safeguarding.reports.scrutiny import ReportContext, count_table, share
from safeguarding.reports.scrutiny_sections import _n, chart_of, grid_has_suppressed
from safeguarding.reports.suppression import SUPPRESSED

# The findings listed under each theme, of each kind (the rest are counted, and linked).
MAX_FINDINGS_SHOWN = 3


def _scope(ctx: ReportContext) -> Scope:
    return Scope(
        partnership=ctx.partnership,
        start=ctx.start,
        end=ctx.end,
        review_kinds=ctx.review_kinds,
        agency_ids=ctx.agency_ids,
    )


def products_in_scope(ctx: ReportContext, *, theme_ids: list[int]) -> dict[str, Any]:
    """The learning products carrying the period's reviews and cross-cutting themes, summed up
    once for the dissemination and the assurance sections."""
    review_ids = scope_reviews(_scope(ctx)).values_list("pk", flat=True)
    products = period_products(
        partnership=ctx.partnership,
        start=ctx.start,
        end=ctx.end,
        review_ids=list(review_ids),
        theme_ids=theme_ids,
    )
    return products_summary(products=products)


def dissemination(ctx: ReportContext, *, d: dict[str, Any]) -> Section:
    kinds = {str(label): d["by_kind"].get(value, 0) for value, label in ProductKind.choices}
    home = ctx.url("dissemination:home")
    reach_url = ctx.url("dissemination:reach")
    by_kind = count_table(
        ctx,
        caption="Learning products carrying the period's learning, by kind",
        label="Kind of product",
        counts=kinds,
        urls=dict.fromkeys(kinds, home),
        total_url=home,
        with_percent=False,
    )
    reach_rows = d["reach"]
    cells, _total = ctx.counts([r["attended"] for r in reach_rows])
    reach_body: list[tuple[Cell, ...]] = []
    for row, cell in zip(reach_rows, cells, strict=True):
        reach_body.append(
            (
                row["name"],
                ctx.link(cell, reach_url),
                row["workforce_size"] or "–",
                share(cell, row["workforce_size"], places=1) if row["workforce_size"] else "–",
            )
        )
    reach = Table(
        caption="Attendances at delivered sessions, by agency",
        header=("Agency", "Attendances", "Workforce", "Attendances as a share of workforce"),
        rows=tuple(reach_body),
        numeric_columns=frozenset({1, 2, 3}),
        totals=("Total", ctx.link(_total, reach_url), None, None),
        note=ctx.suppression_note if any(isinstance(c, Suppressed) for c in cells) else "",
    )
    return Section(
        "How learning is disseminated",
        (
            Paragraph(
                (
                    "Good practice and learning from every review are shared with the "
                    "partnership by the business unit: learning briefs and 7-minute briefings, "
                    "updates to single-agency and partnership training, presentations to "
                    "partnership meetings, practitioner sessions and masterclasses. The number "
                    "of sessions needed to reach a workforce is planned from each agency's "
                    "workforce and each session's capacity.",
                )
            ),
            Paragraph(
                (
                    "The period's learning has been carried by ",
                    ctx.run(ctx.one(d["products"]), home),
                    " learning products, through ",
                    ctx.run(ctx.one(d["events_delivered"]), home),
                    " delivered sessions and events (",
                    ctx.run(ctx.one(d["events_planned"]), home),
                    " more planned), with ",
                    ctx.run(ctx.one(d["attendances"]), reach_url),
                    " attendances.",
                )
            ),
            by_kind,
            reach,
        ),
        anchor="dissemination",
    )


def theme_children(scope: Scope, *, theme_ids: list[int]) -> dict[int, int]:
    """For each theme, the distinct children (cases) whose reviews it was found in; a review
    with no case counts as one of its own. A rapid review and the CSPR that followed it are
    two reviews of one child."""
    rows = (
        scope_tags(scope)
        .filter(counts_as__in=theme_ids)
        .values("counts_as")
        .annotate(
            cases=Count("finding__review__case", distinct=True),
            without_case=Count(
                "finding__review", distinct=True, filter=Q(finding__review__case__isnull=True)
            ),
        )
        .order_by()
    )
    return {r["counts_as"]: r["cases"] + r["without_case"] for r in rows}


def public_cross_cutting(ctx: ReportContext, analysis: Analysis) -> list[ThemeRow]:
    """The themes a public copy names as cross-cutting: found in at least the partnership's
    number of reviews (never fewer than 2) *and* about more children than the threshold, so
    that no theme of one child's reviews, nor of a withheld number of children, is named.
    A draft keeps the partnership's own rule (``Analysis.cross_cutting``)."""
    if not ctx.suppressing:
        return analysis.cross_cutting
    least = max(analysis.threshold, MIN_CROSS_CUTTING_REVIEWS)
    candidates = [t for t in analysis.themes if t.reviews >= least]
    children = theme_children(analysis.scope, theme_ids=[t.theme_id for t in candidates])
    return [t for t in candidates if children.get(t.theme_id, 0) > ctx.threshold]


def themes(ctx: ReportContext) -> tuple[Section, list[int], Analysis]:
    scope = _scope(ctx)
    analysis = theme_analysis(scope, with_matrix=False)
    found = public_cross_cutting(ctx, analysis)
    theme_ids = [t.theme_id for t in found]
    findings = scope_theme_findings(scope=scope, theme_ids=theme_ids)
    responses = partnership_responses(partnership=ctx.partnership, start=ctx.start, end=ctx.end)
    params = ctx.period_params() + [("review_kind", k) for k in ctx.review_kinds]
    params += [("agency", a) for a in ctx.agency_ids]
    analysis_url = ctx.url("learning:analysis", params)

    rows: list[tuple[Cell, ...]] = []
    cells, _ = ctx.counts([t.reviews for t in found]) if found else ([], 0)
    total_reviews = ctx.one(analysis.total_reviews)
    for t, cell in zip(found, cells, strict=True):
        url = ctx.url("learning:finding_list", [*params, ("theme", t.theme_id)])
        good = ctx.one(t.good_practice)
        improve = ctx.one(t.improvement)
        rows.append(
            (t.name, ctx.link(cell, url), share(cell, total_reviews), good, improve),
        )
    table = Table(
        caption="Cross-cutting themes: reviews in which each was found",
        header=(
            "Theme",
            "Reviews",
            "Share of the period's reviews",
            "With good practice",
            "With learning for improvement",
        ),
        rows=tuple(rows),
        numeric_columns=frozenset({1, 2, 3, 4}),
        note=ctx.suppression_note
        if any(isinstance(c, Suppressed) for r in rows for c in r)
        else "",
    )
    chart = chart_of(table, key="themes", noun="theme", horizontal=True)
    rule = f"{analysis.threshold} reviews"
    if ctx.suppressing:
        rule = (
            f"{max(analysis.threshold, MIN_CROSS_CUTTING_REVIEWS)} reviews and about more than "
            f"{ctx.threshold} children"
        )
    intro = Paragraph(
        (
            "Of the ",
            ctx.run(total_reviews, analysis_url),
            f" reviews begun in the period, {len(found)} themes were each found in at least "
            f"{rule}. Each is set out below with examples of the good "
            "practice and the learning found, and the partnership's response.",
        )
    )
    subsections = tuple(
        _theme_section(ctx, t, findings.get(t.theme_id, []), responses.get(t.theme_id), params)
        for t in found
    )
    section = Section(
        "Cross cutting themes from reviews and the partnership's response",
        (intro, chart),
        subsections=subsections,
        anchor="themes",
    )
    return section, theme_ids, analysis


def _upto(threshold: int) -> str:
    return "one review" if threshold == 1 else f"between 1 and {threshold} reviews"


def _theme_section(
    ctx: ReportContext, t: Any, findings: list[dict[str, Any]], response: Any, params: list
) -> Section:
    def finding_items(kind: str) -> BulletList:
        # The texts themselves, not links: the count above links to the findings. A board
        # report gives examples, not every finding: the rest are counted and linked.
        shown = [f for f in findings if f["kind"] == kind][:MAX_FINDINGS_SHOWN]
        texts = [f["text"] for f in findings if f["kind"] == kind]
        items: list[tuple[Run, ...]] = [(f["text"],) for f in shown]
        origins = [source(f"Finding {f['id']} of review {f['review_id']}", "text") for f in shown]
        more = len(texts) - MAX_FINDINGS_SHOWN
        if more > 0:
            url = ctx.url("learning:finding_list", [*params, ("theme", t.theme_id), ("kind", kind)])
            # The count of the rest is a figure like any other: suppressed when small.
            items.append(("and ", ctx.run(ctx.one(more), url), " more"))
        return BulletList(tuple(items), tuple(origins))

    # Listing the findings behind a count that is withheld would let a reader count them: the
    # published copy leaves out the examples of a kind whose count (or the theme's) is small.
    def small(value: int) -> bool:
        return isinstance(ctx.one(value), Suppressed)

    few_reviews = small(t.reviews)
    none = BulletList(())
    good = (
        none if few_reviews or small(t.good_practice) else finding_items(FindingKind.GOOD_PRACTICE)
    )
    learning = (
        none if few_reviews or small(t.improvement) else finding_items(FindingKind.IMPROVEMENT)
    )
    withheld = ctx.suppressing and (few_reviews or small(t.good_practice) or small(t.improvement))

    url = ctx.url("learning:finding_list", [*params, ("theme", t.theme_id)])
    blocks: list[Any] = [
        Paragraph(
            (
                "Found in ",
                ctx.run(ctx.one(t.reviews), url),
                f" of the period's reviews: good practice in {_n(ctx.one(t.good_practice))}, "
                f"learning for improvement in {_n(ctx.one(t.improvement))}.",
            )
        )
    ]
    if withheld:
        blocks.append(
            Paragraph(
                (
                    "Some examples are withheld in this published version: they come from "
                    f"{_upto(ctx.threshold)}.",
                )
            )
        )
    if good.items:
        blocks += [Paragraph((Strong("Good practice"),)), good]
    if learning.items:
        blocks += [Paragraph((Strong("Learning"),)), learning]
    blocks.append(Paragraph((Strong("The partnership's response"),)))
    if response is None:
        blocks.append(Paragraph(("No response has been recorded for this period yet.",)))
    else:
        origin = source(
            f"Partnership response {response.pk} to theme '{t.name}' "
            f"({response.period_start:%-d %B %Y} to {response.period_end:%-d %B %Y})",
            "narrative",
        )
        blocks += [
            Paragraph((para.strip(),), source=origin)
            for para in response.narrative.split("\n\n")
            if para.strip()
        ]
        actions = list(response.actions.all())
        if actions:
            blocks.append(
                Table(
                    caption=f"Actions: {t.name}",
                    header=("Action", "Owner", "Due", "Status"),
                    rows=tuple(
                        (
                            ctx.link(a.title, ctx.url("actionplans:action_detail", pk=a.pk))
                            if not ctx.published
                            else a.title,
                            a.owner_agency.short_name or a.owner_agency.name,
                            f"{a.due_on:%-d %b %Y}",
                            a.get_status_display(),
                        )
                        for a in actions
                    ),
                    cell_sources=tuple(
                        (source(f"Action {a.pk}", "title"), "", "", "") for a in actions
                    ),
                )
            )
    return Section(t.name, tuple(blocks), anchor=f"theme-{t.theme_id}")


def assurance(ctx: ReportContext, *, d: dict[str, Any]) -> Section:
    stages = [str(label) for _value, label in d["stages"]]
    rows = d["assurance_by_agency"]
    grid = ctx.grid([r.counts for r in rows])
    url = ctx.url("dissemination:stall")
    body = tuple(
        (r.label, *(ctx.link(c, url) for c in cells), ctx.link(total, url))
        for r, cells, total in zip(rows, grid.cells, grid.row_totals or (), strict=True)
    )
    table = Table(
        caption="Where the period's learning has got in each agency (learning products by stage)",
        header=("Agency", *stages, "Total"),
        rows=body,
        numeric_columns=frozenset(range(1, len(stages) + 2)),
        totals=("Total", *(grid.column_totals or ()), grid.grand_total) if rows else None,
        note=ctx.suppression_note if grid_has_suppressed(grid) else "",
    )
    evidenced = sum(sum(r.counts[4:]) for r in rows)
    records = ctx.one(d["assurance_records"])
    # A part of a withheld total is withheld too (its 0 would describe those few requests).
    evidenced_shown = SUPPRESSED if isinstance(records, Suppressed) else ctx.one(evidenced)
    return Section(
        "Assurance",
        (
            Paragraph(
                (
                    "The partnership asks each agency for evidence that learning was received, "
                    "disseminated internally, embedded in single-agency training, changed "
                    "practice and improved outcomes for children. Of ",
                    ctx.run(records, url),
                    " requests about the period's learning, ",
                    ctx.run(evidenced_shown, url),
                    " have evidence of a change in practice or better outcomes.",
                )
            ),
            table,
        ),
        anchor="assurance",
    )
