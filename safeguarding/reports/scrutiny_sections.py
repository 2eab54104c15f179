"""The sections of the scrutiny board report (see scrutiny.py). Each takes the report's
context and reads its figures from the selectors; none is typed here."""

from __future__ import annotations

from typing import Any

from safeguarding.core.models import ClockRule
from safeguarding.escalations.selectors import escalation_summary
from safeguarding.reports.document import (
    BulletList,
    Cell,
    Chart,
    Footnote,
    Paragraph,
    Run,
    Section,
    Suppressed,
    Table,
)
from safeguarding.reports.scrutiny import ReportContext, count_table, share
from safeguarding.reports.suppression import SUPPRESSED
from safeguarding.reviews.models import ReviewKind
from safeguarding.reviews.selectors import period_summary

KIND_PLURAL = {
    ReviewKind.RAPID_REVIEW.label: "Rapid reviews",
    ReviewKind.CSPR.label: "Child safeguarding practice reviews",
    ReviewKind.LOCAL_LEARNING.label: "Local learning reviews",
    ReviewKind.AUDIT.label: "Multi-agency audits",
    ReviewKind.OTHER.label: "Other reviews",
}
KIND_BY_LABEL = {str(label): value for value, label in ReviewKind.choices}


def _guidance(ctx: ReportContext, key: str) -> ClockRule | None:
    return ClockRule.objects.filter(partnership=ctx.partnership, key=key).first()


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _n(value: int | Suppressed) -> str:
    return str(value) if isinstance(value, Suppressed) else f"{value:,}"


def purpose(ctx: ReportContext) -> Section:
    summary = period_summary(partnership=ctx.partnership, start=ctx.start, end=ctx.end)
    kinds = [k for k, n in summary["reviews_by_type"].items() if n and _kind_in_scope(ctx, k)]
    return Section(
        "Purpose of report",
        (
            Paragraph(
                (
                    f"This report sets out for the scrutiny board the cross-cutting themes "
                    f"found through {ctx.partnership.name}'s review processes between "
                    f"{ctx.start:%-d %B %Y} and {ctx.end:%-d %B %Y}, and the partnership's "
                    "response to them. It covers:",
                )
            ),
            BulletList(tuple((KIND_PLURAL.get(k, k),) for k in kinds)),
        ),
        anchor="purpose",
    )


def _kind_in_scope(ctx: ReportContext, label: str) -> bool:
    return not ctx.review_kinds or KIND_BY_LABEL.get(label) in ctx.review_kinds


def default_introduction(ctx: ReportContext) -> tuple[Paragraph, ...]:
    rr = _guidance(ctx, "rapid_review")
    cspr = _guidance(ctx, "cspr")
    rr_note: tuple[Run, ...] = (Footnote(rr.guidance),) if rr else ()
    cspr_note: tuple[Run, ...] = (Footnote(cspr.guidance),) if cspr else ()
    return (
        Paragraph(
            (
                f"{ctx.partnership.name} brings together the three statutory safeguarding "
                "partners (the local authority, health and the police) to make and oversee the "
                "area's multi-agency safeguarding arrangements.",
            )
        ),
        Paragraph(
            (
                "Serious child safeguarding cases, where abuse or neglect of a child is known "
                "or suspected and the child has died or been seriously harmed, are first "
                "considered through a rapid review, which seeks to identify learning quickly",
                *rr_note,
                ", and decides whether a child safeguarding practice review should follow",
                *cspr_note,
                ". The partnership also reviews other cases through local learning reviews "
                "and multi-agency audits.",
            )
        ),
        Paragraph(
            (
                "Reviews are not conducted to hold individuals or agencies to account. They "
                "start from what worked well, as well as what could be improved, to improve "
                "the systems that protect children.",
            )
        ),
    )


def introduction(ctx: ReportContext, paragraphs: tuple[Paragraph, ...]) -> Section:
    return Section("Introduction", paragraphs, anchor="introduction")


def _bullet_phrase(label: str, name: str) -> str:
    """'aged 1 to 4', 'female', 'died'; and for the catch-all values 'age not known',
    'sex not recorded', 'other outcome', so every bullet reads as English."""
    low = name.lower()
    if label == "age band":
        # Wording only: a band's label is never read for its ages.
        if low.startswith("outside"):
            return f"of an age {low}"
        return f"aged {low}" if low[:1].isdigit() or low.startswith("under") else low
    if low == "other":
        return f"other {label}"
    if low.startswith("not "):
        return f"{label} {low}"
    return low


def review_processes(ctx: ReportContext) -> Section:
    s = period_summary(partnership=ctx.partnership, start=ctx.start, end=ctx.end)
    rr: dict[str, Any] = {
        # A review without a case counts under "None" in the summary: say what that means.
        key: {("Not recorded" if k == "None" else k): n for k, n in value.items()}
        if isinstance(value, dict)
        else value
        for key, value in s["rapid_reviews"].items()
    }
    p = ctx.period_params()
    rr_list = ctx.url("reviews:review_list", [("kind", ReviewKind.RAPID_REVIEW)])
    summary_url = ctx.url("reviews:period_summary", p)
    total = ctx.one(s["rapid_reviews"]["total"])
    blocks: list[Any] = [
        Paragraph(
            (
                f"Between {ctx.start:%-d %B %Y} and {ctx.end:%-d %B %Y}, the partnership "
                "undertook ",
                ctx.run(total, rr_list),
                " rapid reviews. Of the cases reviewed:",
            )
        ),
    ]
    bullets: list[tuple[Run, ...]] = []
    withheld: list[str] = []
    for label, counts in (
        ("age band", rr["by_age_band"]),
        ("sex", rr["by_sex"]),
        ("outcome", rr["by_outcome"]),
    ):
        # The same breakdowns as the tables below, under the same group rule: one whose total
        # is withheld is withheld whole, and says nothing here (a bullet left out says "0").
        cells, of = ctx.counts(list(counts.values()))
        if isinstance(of, Suppressed):
            withheld.append(label)
            continue
        for name, cell in zip(counts, cells, strict=True):
            if cell == 0:
                continue
            bullets.append((ctx.run(cell, summary_url), " ", _bullet_phrase(label, name)))
    blocks.append(BulletList(tuple(bullets)))
    if withheld:
        blocks.append(
            Paragraph(
                (
                    f"The breakdown of these cases by {_and(withheld)} is withheld in this "
                    "published version: it would describe too few children.",
                )
            )
        )
    kinds = {k: n for k, n in s["reviews_by_type"].items() if _kind_in_scope(ctx, k)}
    urls = {
        k: ctx.url("reviews:review_list", [("kind", KIND_BY_LABEL[k])])
        for k in kinds
        if k in KIND_BY_LABEL
    }
    cspr = ctx.one(s["cspr_commissioned"])
    llr = ctx.one(s["local_learning_reviews"])
    blocks += [
        Paragraph(
            (
                ctx.run(cspr, urls.get(ReviewKind.CSPR.label, "")),
                " child safeguarding practice reviews were commissioned. Local learning review "
                "processes were initiated for a further ",
                ctx.run(llr, urls.get(ReviewKind.LOCAL_LEARNING.label, "")),
                " cases.",
            )
        ),
        count_table(
            ctx,
            caption="Reviews by type",
            label="Type of review",
            counts=kinds,
            urls=urls,
            with_percent=False,
        ),
    ]
    for key, caption, label, noun in (
        ("by_age_band", "Rapid reviews by age band", "Age band", "age band"),
        ("by_sex", "Rapid reviews by sex", "Sex", "sex"),
        ("by_outcome", "Rapid reviews by outcome", "Outcome", "outcome"),
    ):
        table = count_table(
            ctx,
            caption=caption,
            label=label,
            counts=rr[key],
            urls=dict.fromkeys(rr[key], summary_url),
        )
        blocks.append(chart_of(table, key=key.removeprefix("by_").replace("_", "-"), noun=noun))
    blocks.append(timeliness_table(ctx, s["timeliness"]))
    return Section(
        f"Review processes {ctx.period}",
        tuple(blocks),
        subsections=(escalations(ctx),),
        anchor="reviews",
    )


def chart_of(table: Table, *, key: str, noun: str, horizontal: bool = False) -> Chart:
    """A bar chart of a count table's first two columns, with alt text that reads the
    figures out (suppressed ones as withheld)."""
    categories = tuple(str(row[0]) for row in table.rows)
    values: tuple[int | Suppressed, ...] = tuple(_value(row[1]) for row in table.rows)
    parts = [
        f"{name}: {'withheld' if isinstance(v, Suppressed) else f'{v:,}'}"
        for name, v in zip(categories, values, strict=True)
    ]
    alt = f"Bar chart of {table.caption.lower()}. " + "; ".join(parts) + "."
    return Chart(
        title=table.caption,
        alt_text=alt,
        categories=categories,
        values=values,
        table=table,
        value_label="Number of reviews" if "review" in table.caption.lower() else "Number",
        horizontal=horizontal,
        key=key,
    )


def _value(cell: Cell) -> int | Suppressed:
    if isinstance(cell, Suppressed):
        return cell
    if isinstance(cell, int):
        return cell
    text = str(cell).replace(",", "")
    return int(text) if text.isdigit() else 0


def timeliness_table(ctx: ReportContext, rows: list[dict[str, Any]]) -> Table:
    body: list[tuple[Cell, ...]] = []
    keep = [
        r for r in rows if r["clock"] in {"notification", "rapid_review", "cspr", "local_review"}
    ]
    grid = ctx.grid(
        [[r["met"], r["missed"], r["still_running"]] for r in keep], column_totals=False
    )
    for r, cells, total in zip(keep, grid.cells, grid.row_totals, strict=True):
        late = r["average_working_days_late"]
        # An average over few finished clocks describes them: withheld like the counts.
        average: Cell = "–" if late is None else ctx.statistic(late, over=r["met"] + r["missed"])
        if ctx.suppressing and any(isinstance(c, Suppressed) for c in cells):
            average = SUPPRESSED if late is not None else "–"
        body.append((r["name"], r["standard"], total, *cells, average))
    return Table(
        caption="Timeliness against the statutory and local standards",
        header=(
            "Process",
            "Standard",
            "Started in period",
            "Met",
            "Missed",
            "Still running",
            "Average working days late (negative: early)",
        ),
        rows=tuple(body),
        numeric_columns=frozenset({2, 3, 4, 5, 6}),
        note=ctx.suppression_note if grid_has_suppressed(grid) else "",
    )


def grid_has_suppressed(grid: Any) -> bool:
    values = [c for row in grid.cells for c in row]
    values += list(grid.row_totals or ()) + list(grid.column_totals or ())
    return any(isinstance(v, Suppressed) for v in values)


def escalations(ctx: ReportContext) -> Section:
    e = escalation_summary(partnership=ctx.partnership, start=ctx.start, end=ctx.end)
    url = ctx.url("escalations:analysis", ctx.period_params())
    total = ctx.one(e["total"])
    # A part of a withheld total is withheld too: "0 from the first stage" of [c] escalations
    # would say where each of those few began.
    first = SUPPRESSED if isinstance(total, Suppressed) else ctx.one(e["recorded_at_first_stage"])
    outcome = count_table(
        ctx,
        caption="Escalations raised in the period, by outcome",
        label="Outcome",
        counts=e["by_outcome"],
        urls=dict.fromkeys(e["by_outcome"], url),
        total_url=url,
    )
    stages = count_table(
        ctx,
        caption="Escalations raised in the period, by highest stage reached",
        label="Stage reached",
        counts={row["stage"]: row["total"] for row in e["by_stage_reached"]},
        urls={row["stage"]: url for row in e["by_stage_reached"]},
        total_url=url,
    )
    times = e["time_to_close"]
    average = ctx.statistic(times["average_working_days"], over=times["closed"])
    if isinstance(total, Suppressed):
        # Whether few escalations have closed, and how fast, describes those few.
        closing = ""
    elif isinstance(average, Suppressed):
        closing = (
            " The average time to close is withheld in this published version: few of them "
            "have closed."
        )
    elif average is not None:
        closing = f" Of those closed, the average time to close was {average} working days."
    else:
        closing = " None of them has closed yet."
    return Section(
        "Concerns resolution (escalations)",
        (
            Paragraph(
                (
                    "Professionals raised ",
                    ctx.run(total, url),
                    " escalations under the concerns resolution process in the period; ",
                    ctx.run(first, url),
                    f" ({share(first, total)}) were recorded from the first stage.{closing}",
                )
            ),
            outcome,
            stages,
        ),
        anchor="escalations",
    )


def notes(ctx: ReportContext) -> tuple[Paragraph, ...]:
    text = [
        f"Every figure in this report was counted from {ctx.partnership.name}'s records on "
        f"{ctx.today:%-d %B %Y}. Rapid reviews count by the date they were opened; child "
        "safeguarding practice reviews and local learning reviews by the date they were "
        "commissioned; escalations by the date they were raised. A theme is cross-cutting when "
        "it was found in at least the partnership's set number of reviews in the period."
    ]
    if ctx.suppressing:
        text[0] += (
            f" In this published version a theme is named as cross-cutting only when it was "
            f"also found in the reviews of more than {ctx.threshold} children (cases), so that "
            "no theme of one child's reviews is named; a breakdown whose total is from 1 to "
            f"{ctx.threshold} is withheld whole, and an average over such a count is withheld."
        )
    if ctx.review_kinds or ctx.agency_ids:
        text.append(
            "This version is filtered: the themes, and the reviews by type, cover only the "
            "chosen types of review and agencies."
        )
    if ctx.suppressing:
        text.append(ctx.suppression_note)
    return tuple(Paragraph((t,), style="small") for t in text)
