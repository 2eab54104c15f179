"""Every write to the escalation register. Each keeps history and writes its audit row in the
same transaction, and brings the stage clocks up to date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from safeguarding.accounts.models import Agency, Partnership
from safeguarding.core.history import save_and_record, snapshot
from safeguarding.escalations.clocks import (
    clocks_sync_escalations,
    step_clock_sync,
    working_days_to_close,
)
from safeguarding.escalations.models import (
    Escalation,
    EscalationStage,
    EscalationStatus,
    EscalationStep,
    HowResolved,
    StepEnd,
)


class EscalationError(ValueError):
    """A move the register does not allow (closed already, no higher stage, date too early)."""


def _check_agencies(partnership: Partnership, *agencies: Agency) -> None:
    for agency in agencies:
        if agency.partnership_id != partnership.pk:
            raise EscalationError("Both agencies must belong to the partnership.")


def _start_step(
    *, actor: Any, escalation: Escalation, stage: EscalationStage, on: dt.date, note: str = ""
) -> EscalationStep:
    step = EscalationStep(
        escalation=escalation,
        stage=stage,
        entered_on=on,
        note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    save_and_record(
        step, actor=actor, summary=f"{escalation.reference} reached stage {stage.number}"
    )
    step_clock_sync(step)
    return step


def _current_step(escalation: Escalation) -> EscalationStep:
    step = escalation.steps.filter(left_on__isnull=True).select_related("stage").last()
    if step is None:
        raise EscalationError(f"{escalation.reference} is not at any stage.")
    return step


def _end_step(*, actor: Any, step: EscalationStep, on: dt.date, ended_by: str) -> None:
    if on < step.entered_on:
        raise EscalationError(
            f"The date must be on or after {step.entered_on:%-d %B %Y}, when stage "
            f"{step.stage.number} began."
        )
    before = snapshot(step)
    step.left_on = on
    step.ended_by = ended_by
    save_and_record(
        step,
        actor=actor,
        summary=f"{step.escalation.reference} left stage {step.stage.number}",
        before=before,
    )
    step_clock_sync(step)


@transaction.atomic
def escalation_record(
    *,
    actor: Any,
    partnership: Partnership,
    raised_by_agency: Agency,
    about_agency: Agency,
    category: str,
    raised_on: dt.date,
    stage: EscalationStage,
    raised_by_name: str = "",
    child_reference: str = "",
    summary: str = "",
) -> Escalation:
    """Record an escalation at the stage it has reached; that stage's clock starts on the day
    it was raised."""
    _check_agencies(partnership, raised_by_agency, about_agency)
    if stage.partnership_id != partnership.pk:
        raise EscalationError("The stage must belong to the partnership.")
    # Lock the partnership row so that two escalations recorded at once get different numbers.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    last = Escalation.objects.filter(partnership=partnership).order_by("-number").first()
    escalation = Escalation(
        partnership=partnership,
        number=(last.number if last else 0) + 1,
        raised_by_agency=raised_by_agency,
        about_agency=about_agency,
        category=category,
        raised_on=raised_on,
        stage=stage,
        raised_by_name=raised_by_name,
        child_reference=child_reference.strip(),
        summary=summary,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    save_and_record(
        escalation,
        actor=actor,
        summary=f"Recorded an escalation from {raised_by_agency} to {about_agency}",
    )
    _start_step(actor=actor, escalation=escalation, stage=stage, on=raised_on)
    return escalation


def next_stage(escalation: Escalation) -> EscalationStage | None:
    """The stage above the escalation's current one, if there is one."""
    return (
        EscalationStage.objects.filter(
            partnership_id=escalation.partnership_id, number__gt=escalation.stage.number
        )
        .order_by("number")
        .first()
    )


@transaction.atomic
def escalation_move_up(
    *, actor: Any, escalation: Escalation, on: dt.date, note: str = ""
) -> EscalationStep:
    """Move an open escalation to the next stage on `on`: the current stage's clock stops and
    the next stage's starts. Raises EscalationError if it is closed or at the last stage."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if not escalation.is_open:
        raise EscalationError(f"{escalation.reference} is closed.")
    stage = next_stage(escalation)
    if stage is None:
        raise EscalationError(f"{escalation.reference} is already at the last stage.")
    _end_step(actor=actor, step=_current_step(escalation), on=on, ended_by=StepEnd.MOVED_UP)
    before = snapshot(escalation)
    escalation.stage = stage
    save_and_record(
        escalation,
        actor=actor,
        summary=f"Moved {escalation.reference} up to stage {stage.number}",
        before=before,
    )
    return _start_step(actor=actor, escalation=escalation, stage=stage, on=on, note=note)


_STEP_END: dict[str, str] = {
    EscalationStatus.RESOLVED: StepEnd.RESOLVED,
    EscalationStatus.WITHDRAWN: StepEnd.WITHDRAWN,
    EscalationStatus.REFERRED_ON: StepEnd.REFERRED_ON,
}


@transaction.atomic
def escalation_close(
    *,
    actor: Any,
    escalation: Escalation,
    outcome: str,
    on: dt.date,
    how_resolved: str = "",
    note: str = "",
) -> Escalation:
    """Close an open escalation as resolved (saying how), withdrawn or referred on, at the
    stage it has reached; its stage clock stops and the time to close is counted."""
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if not escalation.is_open:
        raise EscalationError(f"{escalation.reference} is already closed.")
    if outcome not in _STEP_END:
        raise EscalationError(f"{outcome!r} is not a way to close an escalation.")
    if outcome == EscalationStatus.RESOLVED and how_resolved not in HowResolved.values:
        raise EscalationError("Say how the escalation was resolved.")
    _end_step(actor=actor, step=_current_step(escalation), on=on, ended_by=_STEP_END[outcome])
    before = snapshot(escalation)
    escalation.status = outcome
    escalation.closed_on = on
    escalation.how_resolved = how_resolved if outcome == EscalationStatus.RESOLVED else ""
    escalation.outcome_note = note
    escalation.working_days_to_close = working_days_to_close(escalation)
    save_and_record(
        escalation,
        actor=actor,
        summary=f"Closed {escalation.reference}: {escalation.get_status_display().lower()} at "
        f"stage {escalation.stage.number}",
        before=before,
    )
    return escalation


@transaction.atomic
def escalation_update(
    *,
    actor: Any,
    escalation: Escalation,
    reviews: Iterable[Any] | None = None,
    themes: Iterable[Any] | None = None,
    **fields: Any,
) -> Escalation:
    """Add the detail that can follow the first record: who raised it, the child's reference,
    what it is about, the reviews and themes it links to."""
    allowed = {"raised_by_name", "child_reference", "summary", "category"}
    unknown = set(fields) - allowed
    if unknown:
        raise EscalationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    before = snapshot(escalation)
    for name, value in fields.items():
        setattr(escalation, name, value)
    save_and_record(
        escalation, actor=actor, summary=f"Changed {escalation.reference}", before=before
    )
    if reviews is not None:
        escalation.reviews.set(reviews)
    if themes is not None:
        themes = list(themes)
        if any(theme.partnership_id != escalation.partnership_id for theme in themes):
            raise EscalationError("Themes must be the partnership's own.")
        escalation.themes.set(themes)
    return escalation


@transaction.atomic
def stage_save(
    *,
    actor: Any,
    partnership: Partnership,
    stage: EscalationStage | None = None,
    name: str,
    working_days: int,
    description: str = "",
) -> EscalationStage:
    """Change a stage, or add one after the last; every stage clock is then recomputed."""
    before = snapshot(stage) if stage is not None else None
    if stage is None:
        last = EscalationStage.objects.filter(partnership=partnership).order_by("-number").first()
        stage = EscalationStage(partnership=partnership, number=(last.number if last else 0) + 1)
    stage.name = name
    stage.working_days = working_days
    stage.description = description
    save_and_record(
        stage, actor=actor, summary=f"Saved escalation stage {stage.number}", before=before
    )
    clocks_sync_escalations(partnership=partnership)
    return stage
