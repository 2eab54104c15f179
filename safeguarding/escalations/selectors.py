"""Reads for the escalation register and its analysis. Every figure is counted by the database;
the same `escalation_summary` feeds the analysis page, its CSV/XLSX exports and (later) the
scrutiny board report and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, Max, Q, QuerySet

from safeguarding.accounts import access
from safeguarding.accounts.models import Partnership
from safeguarding.core.models import Clock
from safeguarding.escalations.models import (
    ConcernCategory,
    Escalation,
    EscalationStage,
    EscalationStatus,
    EscalationStep,
    HowResolved,
    stage_clocks,
)

OUTCOMES = [(str(value), str(label)) for value, label in EscalationStatus.choices]
# Time to close, in working days: (label, lowest, highest or None).
TIME_BANDS = (
    ("Up to 5 working days", 0, 5),
    ("6 to 10 working days", 6, 10),
    ("11 to 20 working days", 11, 20),
    ("More than 20 working days", 21, None),
)


def register(
    *, user: Any, status: str | None = None, overdue_on: dt.date | None = None
) -> QuerySet[Escalation]:
    """The escalations the user may see, newest first, with the current stage's due date."""
    escalations = access.get_escalations_for_user(user)
    if status == "open":
        escalations = escalations.open()
    elif status == "closed":
        escalations = escalations.closed()
    if overdue_on is not None:
        escalations = escalations.overdue(overdue_on)
    return (
        escalations.with_current_clock()
        .select_related("stage", "raised_by_agency", "about_agency")
        .order_by("-raised_on", "-pk")
    )


def steps_with_clocks(*, escalation: Escalation, today: dt.date) -> list[EscalationStep]:
    """The escalation's stages, oldest first, each with its clock (`.clock`, with status)."""
    steps = list(escalation.steps.select_related("stage", "recorded_by"))
    clocks = {
        clock.subject_id: clock
        for clock in stage_clocks()
        .filter(subject_id__in=[s.pk for s in steps])
        .with_status(today)
        .select_related("rule")
    }
    for step in steps:
        step.clock = clocks.get(step.pk)  # type: ignore[attr-defined]
    return steps


def current_clock(*, escalation: Escalation, today: dt.date) -> Clock | None:
    step = escalation.steps.filter(left_on__isnull=True).order_by("-entered_on", "-pk").first()
    if step is None:
        return None
    return stage_clocks().filter(subject_id=step.pk).with_status(today).first()


def _choice_counts(queryset: QuerySet, field_name: str, choices: Any) -> dict[str, int]:
    """Counts by a choice field, every choice listed (zeros too), in the choices' order."""
    found = {
        row[field_name]: row["n"] for row in queryset.values(field_name).annotate(n=Count("pk"))
    }
    counts = {str(label): found.pop(value, 0) for value, label in choices}
    for value, n in found.items():  # values no longer in the choices still count
        counts[str(value) or "Not recorded"] = n
    return counts


def _outcome_counts() -> dict[str, Any]:
    return {value: Count("pk", filter=Q(status=value)) for value, _ in OUTCOMES}


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def escalation_summary(
    *, partnership: Partnership, start: dt.date, end: dt.date, user: Any = None
) -> dict[str, Any]:
    """The register's figures for escalations raised in the period (dates inclusive). With a
    `user` whose live figures are scoped (an agency lead), only the escalations raised by or
    about their agency count: a one-day period would otherwise show another pair's in full.

    Stage reached is the stage an escalation is at now or was closed at (stages only go up);
    "recorded at the first stage" means its first recorded step was the partnership's lowest
    stage, the measure the seed report says was missing; time to close is in working days from
    raising to closing.
    """
    escalations = Escalation.objects.filter(partnership=partnership).raised_between(start, end)
    if user is not None and access.are_live_figures_scoped(user):
        escalations = escalations.filter(pk__in=access.get_escalations_for_user(user).values("pk"))
    stages = list(EscalationStage.objects.filter(partnership=partnership).order_by("number"))
    first_number = stages[0].number if stages else 1

    totals = escalations.with_first_stage().aggregate(
        total=Count("pk"),
        at_first_stage=Count("pk", filter=Q(first_stage_number=first_number)),
        **_outcome_counts(),
    )
    by_stage_rows: dict[int, dict[str, Any]] = {
        row["stage_id"]: dict(row)
        for row in escalations.values("stage_id").annotate(total=Count("pk"), **_outcome_counts())
    }
    by_stage = []
    for stage in stages:
        row = by_stage_rows.pop(stage.pk, {})
        by_stage.append(
            {
                "number": stage.number,
                "stage": f"Stage {stage.number}: {stage.name}",
                "total": row.get("total", 0),
                **{value: row.get(value, 0) for value, _ in OUTCOMES},
            }
        )

    pair_rows: list[dict[str, Any]] = [
        dict(row)
        for row in escalations.values("raised_by_agency__name", "about_agency__name")
        .annotate(total=Count("pk"), **_outcome_counts())
        .order_by("-total", "raised_by_agency__name", "about_agency__name")
    ]
    pairs = [
        {
            "raised_by": row["raised_by_agency__name"],
            "about": row["about_agency__name"],
            "total": row["total"],
            **{value: row[value] for value, _ in OUTCOMES},
        }
        for row in pair_rows
    ]

    closed = escalations.closed()
    time_aggregates: dict[str, Any] = {
        "closed": Count("pk"),
        "average": Avg("working_days_to_close"),
        "longest": Max("working_days_to_close"),
        "resolved_average": Avg(
            "working_days_to_close", filter=Q(status=EscalationStatus.RESOLVED)
        ),
    }
    for index, (_label, low, high) in enumerate(TIME_BANDS):
        band = Q(working_days_to_close__gte=low)
        if high is not None:
            band &= Q(working_days_to_close__lte=high)
        time_aggregates[f"band_{index}"] = Count("pk", filter=band)
    times = closed.aggregate(**time_aggregates)

    stage_limits = _stage_limits(escalations, stages)

    total = totals["total"]
    return {
        "partnership": partnership.slug,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "total": total,
        "open": totals[EscalationStatus.OPEN],
        "by_outcome": {label: totals[value] for value, label in OUTCOMES},
        "recorded_at_first_stage": totals["at_first_stage"],
        "share_recorded_at_first_stage": _percent(totals["at_first_stage"], total),
        "by_stage_reached": by_stage,
        "how_resolved": _choice_counts(
            escalations.filter(status=EscalationStatus.RESOLVED),
            "how_resolved",
            HowResolved.choices,
        ),
        "by_category": _choice_counts(escalations, "category", ConcernCategory.choices),
        "by_agencies": pairs,
        "time_to_close": {
            "closed": times["closed"],
            "average_working_days": _round(times["average"]),
            "average_working_days_resolved": _round(times["resolved_average"]),
            "longest_working_days": times["longest"],
            "bands": {label: times[f"band_{i}"] for i, (label, _, _) in enumerate(TIME_BANDS)},
        },
        "stage_limits": stage_limits,
    }


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _stage_limits(
    escalations: QuerySet[Escalation], stages: list[EscalationStage]
) -> list[dict[str, Any]]:
    """Per stage: how many escalations reached it, and whether each stage's clock stopped
    within the stage's limit (counted from the clocks, which hold the working-day variance)."""
    steps = EscalationStep.objects.filter(escalation__in=escalations)
    rows = []
    for stage in stages:
        figures = (
            stage_clocks()
            .filter(subject_id__in=steps.filter(stage=stage).values("pk"))
            .aggregate(
                reached=Count("pk"),
                met=Count("pk", filter=Q(stopped_on__isnull=False, variance_working_days__lte=0)),
                missed=Count("pk", filter=Q(stopped_on__isnull=False, variance_working_days__gt=0)),
                running=Count("pk", filter=Q(stopped_on__isnull=True)),
            )
        )
        rows.append(
            {
                "stage": f"Stage {stage.number}: {stage.name}",
                "limit_working_days": stage.working_days,
                "reached": figures["reached"],
                "ended_within_limit": figures["met"],
                "ended_after_limit": figures["missed"],
                "still_running": figures["running"],
            }
        )
    return rows


@dataclass
class Table:
    """One table of the analysis, as the page, the CSV and the XLSX show it (its title is also
    the worksheet's name, so at most 31 characters)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def analysis_tables(summary: dict[str, Any]) -> list[Table]:
    """The summary laid out as tables (the first column of each row is its label)."""
    outcome_labels = [label for _, label in OUTCOMES]
    total = summary["total"]
    tables = [
        Table(
            "overview",
            "The period at a glance",
            ["Measure", "Number"],
            [
                ["Escalations raised", total],
                ["Still open", summary["open"]],
                ["Recorded at the first stage", summary["recorded_at_first_stage"]],
                [
                    "Share recorded at the first stage (%)",
                    summary["share_recorded_at_first_stage"]
                    if summary["share_recorded_at_first_stage"] is not None
                    else "None raised",
                ],
            ],
        ),
        Table(
            "stage_outcome",
            "By stage reached and outcome",
            ["Stage reached", "Total", *outcome_labels],
            [
                [row["stage"], row["total"], *(row[value] for value, _ in OUTCOMES)]
                for row in summary["by_stage_reached"]
            ],
        ),
        Table(
            "agencies",
            "Who escalates to whom",
            ["Raised by", "About", "Total", *outcome_labels],
            [
                [row["raised_by"], row["about"], row["total"], *(row[v] for v, _ in OUTCOMES)]
                for row in summary["by_agencies"]
            ],
        ),
        Table(
            "category",
            "By concern",
            ["Concern", "Number"],
            [[label, n] for label, n in summary["by_category"].items()],
        ),
        Table(
            "how_resolved",
            "How escalations were resolved",
            ["How", "Number"],
            [[label, n] for label, n in summary["how_resolved"].items()],
        ),
    ]
    time = summary["time_to_close"]
    tables.append(
        Table(
            "time",
            "Time to close, in working days",
            ["Measure", "Value"],
            [
                ["Escalations closed", time["closed"]],
                ["Average working days to close", _or_none(time["average_working_days"])],
                [
                    "Average working days to resolve (resolved only)",
                    _or_none(time["average_working_days_resolved"]),
                ],
                ["Longest, in working days", _or_none(time["longest_working_days"])],
                *([label, n] for label, n in time["bands"].items()),
            ],
        )
    )
    tables.append(
        Table(
            "stage_limits",
            "Stage time limits",
            ["Stage", "Limit (working days)", "Reached", "Ended in time", "Ended late", "Running"],
            [
                [
                    row["stage"],
                    row["limit_working_days"],
                    row["reached"],
                    row["ended_within_limit"],
                    row["ended_after_limit"],
                    row["still_running"],
                ]
                for row in summary["stage_limits"]
            ],
        )
    )
    return tables


def _or_none(value: Any) -> Any:
    return "None closed" if value is None else value
