"""Builders for action-plan tests, on top of the shared `world` (see safeguarding/testing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from safeguarding.actionplans import services
from safeguarding.actionplans.models import Action
from safeguarding.testing.factories import World

D = dt.date
AGREED_ON = D(2023, 1, 9)  # a Monday
DUE_ON = D(2023, 3, 31)  # a Friday


def make_action(
    world: World,
    *,
    agency: Any = None,
    title: str = "Issue the revised escalation guidance to all staff",
    agreed_on: dt.date = AGREED_ON,
    due_on: dt.date = DUE_ON,
    **links: Any,
) -> Action:
    return services.action_create(
        actor=world.business_unit,
        partnership=world.partnership,
        title=title,
        owner_agency=agency or world.police,
        lead="Named safeguarding lead",
        agreed_on=agreed_on,
        due_on=due_on,
        **links,
    )


def add_note(world: World, action: Action, text: str = "Guidance issued on 3 March.") -> Any:
    return services.evidence_add(
        actor=world.business_unit, action=action, kind="note", description=text
    )
