"""Builders for escalation tests, on top of the shared `world` (see safeguarding/testing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType

from safeguarding.core.models import Clock
from safeguarding.escalations import services
from safeguarding.escalations.models import Escalation, EscalationStage, EscalationStep
from safeguarding.testing.factories import World

D = dt.date
DEFAULT_RAISED_ON = D(2022, 5, 26)  # a Thursday, before the Jubilee bank holidays


def stage(world: World, number: int) -> EscalationStage:
    return EscalationStage.objects.get(partnership=world.partnership, number=number)


def escalate(
    world: World,
    *,
    by: Any = None,
    about: Any = None,
    raised_on: dt.date = DEFAULT_RAISED_ON,
    at_stage: int = 1,
    category: str = "threshold",
    moves: tuple[dt.date, ...] = (),
    close: tuple[str, dt.date, str] | None = None,
    note: str = "",
    **fields: Any,
) -> Escalation:
    """Record an escalation, move it up on each of `moves`, and close it as
    `(outcome, date, how_resolved)` if asked."""
    actor = world.business_unit
    escalation = services.escalation_record(
        actor=actor,
        partnership=world.partnership,
        raised_by_agency=by or world.school,
        about_agency=about or world.la,
        category=category,
        raised_on=raised_on,
        stage=stage(world, at_stage),
        **fields,
    )
    for day in moves:
        services.escalation_move_up(actor=actor, escalation=escalation, on=day)
    if close:
        outcome, day, how = close
        services.escalation_close(
            actor=actor, escalation=escalation, outcome=outcome, on=day, how_resolved=how, note=note
        )
    escalation.refresh_from_db()
    return escalation


def clock_of(step: EscalationStep) -> Clock:
    return Clock.objects.get(
        subject_type=ContentType.objects.get_for_model(EscalationStep), subject_id=step.pk
    )


def current_step(escalation: Escalation) -> EscalationStep:
    return escalation.steps.get(left_on__isnull=True)
