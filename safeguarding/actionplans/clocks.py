"""Action clocks: each action runs a `core.Clock` from the date agreed to its own due date.

`core.clocks.clock_sync` takes the length from the rule; an action's due date is set per
action, so the clock is stored here with the same working-day calendar (weekends, England and
Wales bank holidays, the partnership's closure days) for the due-soon date and the variance.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType

from safeguarding.actionplans import defaults
from safeguarding.actionplans.models import Action
from safeguarding.core.clocks import calendar_for
from safeguarding.core.models import Clock, ClockKey, ClockRule, ClockUnit, StartEvent
from safeguarding.core.workingdays import WorkingCalendar


def action_rule_for(partnership: Any) -> ClockRule:
    """The partnership's action clock rule, created if it is missing."""
    rule, _ = ClockRule.objects.get_or_create(
        partnership=partnership,
        key=ClockKey.ACTION,
        defaults={
            "name": defaults.RULE_NAME,
            "start_event": StartEvent.ACTION_AGREED,
            "length": defaults.RULE_LENGTH,
            "unit": defaults.RULE_UNIT,
            "due_soon_working_days": defaults.RULE_DUE_SOON,
            "guidance": defaults.RULE_GUIDANCE,
        },
    )
    return rule


def default_due_on(partnership: Any, agreed_on: dt.date) -> dt.date:
    """The due date offered for a new action: the rule's length from the date agreed."""
    rule = action_rule_for(partnership)
    if rule.unit == ClockUnit.MONTHS:
        return agreed_on + relativedelta(months=rule.length)
    if rule.unit == ClockUnit.CALENDAR_DAYS:
        return agreed_on + dt.timedelta(days=rule.length)
    return calendar_for(partnership).add(agreed_on, rule.length)


def action_clock_sync(
    action: Action, *, rule: ClockRule | None = None, calendar: WorkingCalendar | None = None
) -> Clock:
    """Create or update the action's clock; completing the action stops it."""
    rule = rule or action_rule_for(action.partnership)
    calendar = calendar or calendar_for(action.partnership)
    stopped = action.completed_on if action.is_completed else None
    clock, _ = Clock.objects.update_or_create(
        rule=rule,
        subject_type=ContentType.objects.get_for_model(Action),
        subject_id=action.pk,
        defaults={
            "partnership": action.partnership,
            "label": f"Action: {action.title} ({action.owner_agency})"[:200],
            "starts_on": action.agreed_on,
            "due_on": action.due_on,
            "due_soon_from": calendar.add(action.due_on, -rule.due_soon_working_days),
            "paused_working_days": 0,
            "stopped_on": stopped,
            "variance_working_days": calendar.between(action.due_on, stopped) if stopped else None,
        },
    )
    return clock


def clocks_sync_actions(*, partnership: Any) -> int:
    """Recompute every action clock of a partnership. Returns how many."""
    rule = action_rule_for(partnership)
    calendar = calendar_for(partnership)
    count = 0
    for action in Action.objects.filter(partnership=partnership).select_related(
        "owner_agency", "partnership"
    ):
        action_clock_sync(action, rule=rule, calendar=calendar)
        count += 1
    return count
