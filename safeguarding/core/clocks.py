"""Working out and storing statutory clocks.

A clock's start, due date and result are stored on a `Clock` row whenever the record it belongs
to changes, so the dashboard and the period summary can count them in the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import models

from safeguarding.accounts.models import Partnership
from safeguarding.core.models import Clock, ClockKey, ClockRule, ClockUnit, StartEvent
from safeguarding.core.workingdays import WorkingCalendar

# The defaults every new partnership starts with; each row can be changed in its settings.
DEFAULT_RULES: tuple[dict[str, object], ...] = (
    {
        "key": ClockKey.NOTIFICATION,
        "name": "Serious incident notification",
        "start_event": StartEvent.LA_AWARE,
        "length": 5,
        "unit": ClockUnit.WORKING_DAYS,
        "due_soon_working_days": 2,
        "guidance": "Working Together to Safeguard Children 2018, chapter 4: notify the Child "
        "Safeguarding Practice Review Panel within five working days of becoming aware.",
    },
    {
        "key": ClockKey.RAPID_REVIEW,
        "name": "Rapid review",
        "start_event": StartEvent.LA_AWARE,
        "length": 15,
        "unit": ClockUnit.WORKING_DAYS,
        "due_soon_working_days": 5,
        "guidance": "Working Together to Safeguard Children 2018, chapter 4: complete a rapid "
        "review within 15 working days of becoming aware of the incident.",
    },
    {
        "key": ClockKey.CSPR,
        "name": "Child safeguarding practice review",
        "start_event": StartEvent.COMMISSIONED,
        "length": 6,
        "unit": ClockUnit.MONTHS,
        "due_soon_working_days": 20,
        "guidance": "Working Together to Safeguard Children 2018, chapter 4: aim to complete a "
        "local review within six months of the decision to undertake it.",
    },
    {
        "key": ClockKey.LOCAL_REVIEW,
        "name": "Local learning review",
        "start_event": StartEvent.OPENED,
        "length": 6,
        "unit": ClockUnit.MONTHS,
        "due_soon_working_days": 20,
        "guidance": "Partnership's own standard for local learning reviews.",
    },
)


def clock_rules_install_defaults(*, partnership: Partnership) -> list[ClockRule]:
    """Create any default clock rule the partnership does not have yet."""
    created = []
    for rule in DEFAULT_RULES:
        obj, was_created = ClockRule.objects.get_or_create(
            partnership=partnership,
            key=rule["key"],
            defaults={k: v for k, v in rule.items() if k != "key"},
        )
        if was_created:
            created.append(obj)
    return created


def calendar_for(partnership: models.Model) -> WorkingCalendar:
    return WorkingCalendar(partnership.closures.values_list("date", flat=True))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Pause:
    starts_on: dt.date
    ends_on: dt.date | None  # None: still paused
    reason: str = ""


def paused_working_days(pauses: Iterable[Pause], calendar: WorkingCalendar, until: dt.date) -> int:
    """Working days lost to pauses, counting an open pause up to `until`.

    Overlapping pauses (say, criminal proceedings and an inquest) are merged first, so a day
    covered by both is lost once.
    """
    spans = sorted(
        (pause.starts_on, pause.ends_on or until)
        for pause in pauses
        if (pause.ends_on or until) > pause.starts_on
    )
    total = 0
    current: tuple[dt.date, dt.date] | None = None
    for start, end in spans:
        if current and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current:
            total += calendar.between(*current)
        current = (start, end)
    if current:
        total += calendar.between(*current)
    return total


def due_date(
    *, rule: ClockRule, starts_on: dt.date, paused_days: int, calendar: WorkingCalendar
) -> dt.date:
    """The due date: the rule's length from the start, pushed back by the working days paused."""
    if rule.unit == ClockUnit.WORKING_DAYS:
        base = calendar.add(starts_on, rule.length)
    elif rule.unit == ClockUnit.CALENDAR_DAYS:
        base = starts_on + dt.timedelta(days=rule.length)
    else:
        base = starts_on + relativedelta(months=rule.length)
    return calendar.add(base, paused_days) if paused_days else base


def clock_sync(
    *,
    rule: ClockRule,
    subject: models.Model,
    label: str,
    starts_on: dt.date | None,
    stopped_on: dt.date | None,
    pauses: Iterable[Pause] = (),
    today: dt.date | None = None,
) -> Clock | None:
    """Create, update or remove the clock `rule` runs on `subject`.

    No start date means the clock has not started: any stored clock is removed.
    """
    subject_type = ContentType.objects.get_for_model(subject)
    existing = Clock.objects.filter(rule=rule, subject_type=subject_type, subject_id=subject.pk)
    if starts_on is None:
        existing.delete()
        return None
    calendar = calendar_for(rule.partnership)
    until = stopped_on or today or dt.date.today()
    paused = paused_working_days(pauses, calendar, until)
    due_on = due_date(rule=rule, starts_on=starts_on, paused_days=paused, calendar=calendar)
    due_soon_from = calendar.add(due_on, -rule.due_soon_working_days)
    variance = calendar.between(due_on, stopped_on) if stopped_on else None
    # While a pause is open the clock is not running: it shows as paused, never as overdue,
    # and its due date moves on when the pause ends (the resume re-syncs it).
    open_pauses = [p.starts_on for p in pauses if p.ends_on is None and p.starts_on <= until]
    paused_since = min(open_pauses) if open_pauses and stopped_on is None else None
    clock, _ = Clock.objects.update_or_create(
        rule=rule,
        subject_type=subject_type,
        subject_id=subject.pk,
        defaults={
            "partnership": rule.partnership,
            "label": label[:200],
            "starts_on": starts_on,
            "due_on": due_on,
            "due_soon_from": due_soon_from,
            "paused_working_days": paused,
            "stopped_on": stopped_on,
            "variance_working_days": variance,
            "paused_since": paused_since,
        },
    )
    return clock


def working_days_overdue(clock: Clock, today: dt.date) -> int:
    """How many working days a running clock is past its due date (0 if not past it)."""
    calendar = calendar_for(clock.partnership)
    return max(0, calendar.between(clock.due_on, today))
