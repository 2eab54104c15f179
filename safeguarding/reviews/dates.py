"""The order in which the dates of an incident, its case and its reviews can happen: written
once, here, as pure functions.

`problems()` takes every date known about one child's case, one incident and one review (its
sign-offs and pauses too) and returns what cannot be true: a date in the future, or two dates
in an impossible order. The services call it before each write (`safeguarding.reviews.timeline`),
so the pages, the API and the importer all refuse the same things with the same words.

Every date here records something that has happened (a review opened, a partner signed off, a
pause began), so none may be in the future. What is still to come is held elsewhere: the due
dates of the statutory clocks, the due dates of actions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# What each date is called in a message ("The decision date (3 April 2023) ...").
LABELS = {
    "date_of_birth": "the date of birth",
    "incident_date": "the incident date",
    "la_aware_on": "the date the local authority became aware",
    "notified_on": "the date the national Panel was notified",
    "opened_on": "the date the review opened",
    "decision_on": "the decision date",
    "sent_to_panel_on": "the date the rapid review was sent to the Panel",
    "panel_response_on": "the date of the Panel's response",
    "parent_decision_on": "the date of the rapid review's decision",
    "commissioned_on": "the date commissioned",
    "completed_on": "the date completed",
    "panel_notified_before_publication_on": (
        "the date the Panel and Secretary of State were told of publication"
    ),
    "published_on": "the date published",
    "signed_on": "the sign-off date",
    "starts_on": "the date paused",
    "ends_on": "the date resumed",
}

# (later, earlier): where both are known, `later` is on or after `earlier`.
ORDER: tuple[tuple[str, str], ...] = (
    ("incident_date", "date_of_birth"),
    ("la_aware_on", "incident_date"),
    ("notified_on", "la_aware_on"),
    ("opened_on", "incident_date"),
    ("opened_on", "la_aware_on"),
    ("decision_on", "la_aware_on"),
    ("decision_on", "opened_on"),
    ("sent_to_panel_on", "opened_on"),
    # The Panel is sent the rapid review with its decision, and answers it.
    ("sent_to_panel_on", "decision_on"),
    ("panel_response_on", "sent_to_panel_on"),
    ("commissioned_on", "parent_decision_on"),
    ("completed_on", "opened_on"),
    ("completed_on", "commissioned_on"),
    ("panel_notified_before_publication_on", "opened_on"),
    ("published_on", "opened_on"),
    ("published_on", "completed_on"),
    # The Panel and the Secretary of State are told before publication (Working Together).
    ("published_on", "panel_notified_before_publication_on"),
)

# Dates a sign-off must not come before: it signs off the decision, made after the incident.
SIGNOFF_AFTER = ("decision_on", "la_aware_on", "incident_date")


@dataclass(frozen=True)
class Pause:
    starts_on: dt.date
    ends_on: dt.date | None = None


@dataclass(frozen=True)
class Dates:
    """Every date known about one case, incident and review; None where not (yet) known."""

    date_of_birth: dt.date | None = None  # identifying: checked only where it is entered
    incident_date: dt.date | None = None
    la_aware_on: dt.date | None = None
    notified_on: dt.date | None = None
    opened_on: dt.date | None = None
    decision_on: dt.date | None = None
    sent_to_panel_on: dt.date | None = None
    panel_response_on: dt.date | None = None
    parent_decision_on: dt.date | None = None
    commissioned_on: dt.date | None = None
    completed_on: dt.date | None = None
    panel_notified_before_publication_on: dt.date | None = None
    published_on: dt.date | None = None
    signoffs: tuple[dt.date, ...] = ()
    pauses: tuple[Pause, ...] = ()

    def get(self, name: str) -> dt.date | None:
        value = getattr(self, name)
        assert value is None or isinstance(value, dt.date)
        return value


@dataclass(frozen=True)
class Problem:
    """A date that cannot be true. `field` is the date found wrong and `message` says why;
    when the rule compares two dates, `other` is the second and `other_message` says the same
    from its side, for a form where that is the date just entered."""

    field: str
    message: str
    other: str = ""
    other_message: str = ""

    def seen_from(self, changed: Iterable[str]) -> tuple[str, str]:
        """(field, message) told from the side of a date just entered, when one is."""
        changed = set(changed)
        if self.field not in changed and self.other and self.other in changed:
            return self.other, self.other_message
        return self.field, self.message


def long_date(value: dt.date) -> str:
    """3 April 2023 (GOV.UK style)."""
    return f"{value.day} {value:%B %Y}"


def _named(name: str, value: dt.date) -> str:
    return f"{LABELS[name]} ({long_date(value)})"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def not_after(name: str, value: dt.date | None, *, limit: dt.date) -> list[Problem]:
    """A date that records something that happened: not later than `limit` (today)."""
    if value is None or value <= limit:
        return []
    return [Problem(name, f"{_cap(_named(name, value))} cannot be in the future")]


def in_order(
    later: str, later_on: dt.date | None, earlier: str, earlier_on: dt.date | None
) -> list[Problem]:
    """`later_on` on or after `earlier_on`, where both are known."""
    if later_on is None or earlier_on is None or later_on >= earlier_on:
        return []
    return [
        Problem(
            later,
            f"{_cap(_named(later, later_on))} must be on or after {_named(earlier, earlier_on)}",
            earlier,
            f"{_cap(_named(earlier, earlier_on))} must be on or before {_named(later, later_on)}",
        )
    ]


def _pause_problems(dates: Dates, today: dt.date) -> list[Problem]:
    found: list[Problem] = []
    for pause in dates.pauses:
        found += not_after("starts_on", pause.starts_on, limit=today)
        found += not_after("ends_on", pause.ends_on, limit=today)
        found += in_order("ends_on", pause.ends_on, "starts_on", pause.starts_on)
        # Inside the review's life: not before it opened, not after it was completed.
        found += in_order("starts_on", pause.starts_on, "opened_on", dates.opened_on)
        found += in_order("completed_on", dates.completed_on, "starts_on", pause.starts_on)
        found += in_order("completed_on", dates.completed_on, "ends_on", pause.ends_on)
        if pause.ends_on is None and dates.completed_on is not None:
            found.append(
                Problem(
                    "completed_on",
                    f"The review is paused (since {long_date(pause.starts_on)}): record the "
                    "date it resumed before the date completed",
                    "starts_on",
                    f"The review was completed on {long_date(dates.completed_on)}, so it "
                    "cannot be paused now",
                )
            )
    # One pause at a time: each ends before the next begins, and only the last may be open.
    ordered = sorted(dates.pauses, key=lambda p: (p.starts_on, p.ends_on is None))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.ends_on is None and after.ends_on is None:
            found.append(
                Problem(
                    "starts_on",
                    "The review is already paused, and only one pause can be open at a time "
                    f"(pauses from {long_date(before.starts_on)} and from "
                    f"{long_date(after.starts_on)} would both be open): record the date it "
                    "resumed before pausing it again",
                )
            )
        elif before.ends_on is None:
            assert after.ends_on is not None
            found.append(
                Problem(
                    "starts_on",
                    f"{_cap(_named('starts_on', before.starts_on))} is before another pause "
                    f"({long_date(after.starts_on)} to {long_date(after.ends_on)}): pauses "
                    "cannot overlap",
                )
            )
        elif after.starts_on < before.ends_on:
            found.append(
                Problem(
                    "starts_on",
                    f"{_cap(_named('starts_on', after.starts_on))} falls inside an earlier "
                    f"pause ({long_date(before.starts_on)} to {long_date(before.ends_on)})",
                    "ends_on",
                    f"{_cap(_named('ends_on', before.ends_on))} must be on or before the start "
                    f"of the next pause ({long_date(after.starts_on)})",
                )
            )
    return found


def _signoff_problems(dates: Dates, today: dt.date) -> list[Problem]:
    found: list[Problem] = []
    for signed_on in dates.signoffs:
        found += not_after("signed_on", signed_on, limit=today)
        if dates.decision_on is None:
            found.append(Problem("signed_on", "Record the decision before it is signed off"))
        # The latest date it must follow is enough to say what is wrong.
        for name in SIGNOFF_AFTER:
            wrong = in_order("signed_on", signed_on, name, dates.get(name))
            if wrong:
                found += wrong
                break
    return found


def problems(dates: Dates, *, today: dt.date) -> list[Problem]:
    """Everything about these dates that cannot be true (none: an empty list). Two sign-offs
    (or pauses) with the same impossible date give the same problem twice."""
    found: list[Problem] = []
    for name in LABELS:
        if name in ("signed_on", "starts_on", "ends_on", "parent_decision_on"):
            continue  # each sign-off and pause below; the rapid review's decision is its own
        found += not_after(name, dates.get(name), limit=today)
    for later, earlier in ORDER:
        found += in_order(later, dates.get(later), earlier, dates.get(earlier))
    found += _signoff_problems(dates, today)
    found += _pause_problems(dates, today)
    return found


def new_problems(
    before: Iterable[Dates], after: Iterable[Dates], *, today: dt.date
) -> list[Problem]:
    """The problems of `after` that `before` did not already have: a change must not make
    anything impossible, though a record kept from before these rules stays editable."""
    known = Counter(p for dates in before for p in problems(dates, today=today))
    found = Counter(p for dates in after for p in problems(dates, today=today))
    return list((found - known).keys())
