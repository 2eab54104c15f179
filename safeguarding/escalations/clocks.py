"""Stage clocks: each step of an escalation runs a `core.Clock` for its stage's limit.

The foundation's `clock_sync` takes its length from the clock rule; escalation stages each have
their own limit, so the due date is worked out here from the stage, with the same working-day
calendar (weekends, England & Wales bank holidays, the partnership's closure days).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from safeguarding.accounts.models import Partnership
from safeguarding.core.clocks import calendar_for
from safeguarding.core.models import Clock, ClockKey, ClockRule, ClockUnit, StartEvent
from safeguarding.core.workingdays import WorkingCalendar
from safeguarding.escalations import defaults
from safeguarding.escalations.models import Escalation, EscalationStage, EscalationStep


def stage_rule_for(partnership: Partnership) -> ClockRule:
    """The partnership's escalation-stage clock rule, created if it is missing."""
    rule, _ = ClockRule.objects.get_or_create(
        partnership=partnership,
        key=ClockKey.ESCALATION_STAGE,
        defaults={
            "name": defaults.STAGE_RULE_NAME,
            "start_event": StartEvent.STAGE_ENTERED,
            "length": defaults.STAGE_RULE_LENGTH,
            "unit": ClockUnit.WORKING_DAYS,
            "due_soon_working_days": defaults.STAGE_RULE_DUE_SOON,
            "guidance": defaults.STAGE_RULE_GUIDANCE,
        },
    )
    return rule


def stages_install_defaults(*, partnership: Partnership) -> list[EscalationStage]:
    """Give a partnership the default stages and the stage clock rule, if it has none yet."""
    stage_rule_for(partnership)
    if EscalationStage.objects.filter(partnership=partnership).exists():
        return []
    return [
        EscalationStage.objects.create(
            partnership=partnership,
            number=number,
            name=name,
            working_days=days,
            description=description,
        )
        for number, (name, days, description) in enumerate(defaults.DEFAULT_STAGES, start=1)
    ]


def clock_label(step: EscalationStep) -> str:
    escalation = step.escalation
    stage = step.stage
    by, about = escalation.raised_by_agency, escalation.about_agency
    return (
        f"Escalation {escalation.reference}, {by.short_name or by.name} to "
        f"{about.short_name or about.name}: stage {stage.number}, {stage.name.lower()} "
        f"(limit {stage.working_days} working days)"
    )


def step_clock_sync(
    step: EscalationStep, *, rule: ClockRule | None = None, calendar: WorkingCalendar | None = None
) -> Clock:
    """Create or update the clock of one step: due `working_days` after the stage began,
    stopped when the step ended."""
    escalation = step.escalation
    rule = rule or stage_rule_for(escalation.partnership)
    calendar = calendar or calendar_for(escalation.partnership)
    due_on = calendar.add(step.entered_on, step.stage.working_days)
    clock, _ = Clock.objects.update_or_create(
        rule=rule,
        subject_type=ContentType.objects.get_for_model(EscalationStep),
        subject_id=step.pk,
        defaults={
            "partnership": escalation.partnership,
            "label": clock_label(step)[:200],
            "starts_on": step.entered_on,
            "due_on": due_on,
            "due_soon_from": calendar.add(due_on, -rule.due_soon_working_days),
            "paused_working_days": 0,
            "stopped_on": step.left_on,
            "variance_working_days": (
                calendar.between(due_on, step.left_on) if step.left_on else None
            ),
        },
    )
    return clock


def working_days_to_close(escalation: Escalation, calendar: WorkingCalendar | None = None) -> int:
    calendar = calendar or calendar_for(escalation.partnership)
    assert escalation.closed_on is not None
    return calendar.between(escalation.raised_on, escalation.closed_on)


def clocks_sync_escalations(*, partnership: Partnership) -> int:
    """Recompute every stage clock and time to close of a partnership (after its closure days,
    a stage's limit or the stage clock rule change). Returns the number of steps synced."""
    rule = stage_rule_for(partnership)
    calendar = calendar_for(partnership)
    steps = EscalationStep.objects.filter(escalation__partnership=partnership).select_related(
        "stage", "escalation", "escalation__raised_by_agency", "escalation__about_agency"
    )
    count = 0
    for step in steps:
        step_clock_sync(step, rule=rule, calendar=calendar)
        count += 1
    for escalation in Escalation.objects.filter(partnership=partnership).closed():
        days = working_days_to_close(escalation, calendar)
        if days != escalation.working_days_to_close:
            # A recalculation, not a user's change: no history row or audit entry.
            Escalation.objects.filter(pk=escalation.pk).update(working_days_to_close=days)
    return count
