"""Reminder e-mails about clocks due soon or overdue, sent once per clock, threshold and person.

Who is told: the agency leads of an action's owner agency about the action's clock (the
business unit when that agency has no lead with an e-mail address); the business unit of the
partnership about every other clock (incidents, reviews, escalation stages).

A reminder is recorded in `ReminderSent` (unique per clock, threshold and person) in the same
transaction as the e-mail is handed to Django's e-mail backend, so running the command again,
or two runs at once, sends nothing twice; a failed send records nothing and is tried again on
the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from safeguarding.accounts.models import Role, User
from safeguarding.actionplans.models import Action, ReminderSent, ReminderThreshold
from safeguarding.core.models import Clock

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    clock: Clock
    threshold: str


@dataclass
class RunResult:
    emails: int = 0
    items: int = 0
    failed: int = 0


def threshold_for(clock: Clock, today: dt.date) -> str:
    return ReminderThreshold.OVERDUE if clock.due_on < today else ReminderThreshold.DUE_SOON


def _owners(clocks: list[Clock]) -> dict[int, list[User]]:
    """Each clock's owners: who is told about it."""
    action_type = ContentType.objects.get_for_model(Action)
    action_agency = dict(
        Action.objects.filter(
            pk__in=[c.subject_id for c in clocks if c.subject_type_id == action_type.pk]
        ).values_list("pk", "owner_agency_id")
    )
    people = User.objects.filter(is_active=True).exclude(email="")
    leads: dict[int, list[User]] = defaultdict(list)
    for user in people.filter(role=Role.AGENCY_LEAD, agency_id__in=set(action_agency.values())):
        assert user.agency_id is not None
        leads[user.agency_id].append(user)
    business_unit: dict[int, list[User]] = defaultdict(list)
    for user in people.filter(
        role=Role.BUSINESS_UNIT, partnership_id__in={c.partnership_id for c in clocks}
    ):
        assert user.partnership_id is not None
        business_unit[user.partnership_id].append(user)
    owners = {}
    for clock in clocks:
        if clock.subject_type_id == action_type.pk:
            agency_id = action_agency.get(clock.subject_id)
            # An agency with no lead on the system: the business unit chases it.
            owners[clock.pk] = leads.get(agency_id or 0) or business_unit.get(
                clock.partnership_id, []
            )
        else:
            owners[clock.pk] = business_unit.get(clock.partnership_id, [])
    return owners


def due_reminders(today: dt.date) -> dict[User, list[Due]]:
    """What each person has not yet been told about: clocks due soon or overdue today."""
    clocks = list(
        Clock.objects.running()
        .filter(due_soon_from__lte=today)
        .select_related("rule")
        .order_by("due_on", "pk")
    )
    owners = _owners(clocks)
    already = set(
        ReminderSent.objects.filter(clock__in=[c.pk for c in clocks]).values_list(
            "clock_id", "threshold", "recipient_id"
        )
    )
    todo: dict[User, list[Due]] = defaultdict(list)
    for clock in clocks:
        threshold = threshold_for(clock, today)
        for user in owners[clock.pk]:
            if (clock.pk, threshold, user.pk) not in already:
                todo[user].append(Due(clock, threshold))
    return todo


def _message(user: User, items: list[Due], today: dt.date) -> tuple[str, str]:
    overdue = sum(1 for i in items if i.threshold == ReminderThreshold.OVERDUE)
    soon = len(items) - overdue
    parts = []
    if overdue:
        parts.append(f"{overdue} overdue")
    if soon:
        parts.append(f"{soon} due soon")
    subject = f"Safeguarding Review Hub: {' and '.join(parts)}"
    lines = [f"Dear {user.get_full_name() or user.username},", ""]
    lines.append(f"As of {today:%-d %B %Y} these need your attention:")
    lines.append("")
    for item in items:
        when = "overdue since" if item.threshold == ReminderThreshold.OVERDUE else "due on"
        lines.append(f"- {item.clock.label}: {when} {item.clock.due_on:%-d %B %Y}")
    lines += [
        "",
        "Sign in to the Safeguarding Review Hub to see them and record progress.",
        "You are told once when something is due soon and once when it is overdue.",
    ]
    return subject, "\n".join(lines)


def send_reminders(today: dt.date) -> RunResult:
    """Send every reminder not yet sent; one e-mail per person listing their new items."""
    result = RunResult()
    for user, items in due_reminders(today).items():
        subject, body = _message(user, items, today)
        try:
            with transaction.atomic():
                ReminderSent.objects.bulk_create(
                    [
                        ReminderSent(
                            partnership_id=item.clock.partnership_id,
                            clock=item.clock,
                            threshold=item.threshold,
                            recipient=user,
                            email=user.email,
                            due_on=item.clock.due_on,
                            label=item.clock.label,
                        )
                        for item in items
                    ]
                )
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except IntegrityError:
            # Another run recorded (and sent) these a moment ago.
            continue
        except Exception:
            logger.exception("Could not send reminders to user %s", user.pk)
            result.failed += 1
            continue
        result.emails += 1
        result.items += len(items)
    return result
