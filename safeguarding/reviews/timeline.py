"""The dates of saved (or about to be saved) records as `dates.Dates`, and the check every
service makes before it writes: `refuse_impossible_dates`.

Each write compares the dates of the records it touches before and after the change. A problem
the change brings (`dates.new_problems`) refuses it with a `ValidationError` naming the field
just entered: a form shows it on that field, the API answers 400 with it, a spreadsheet import
has already reported it for its row (safeguarding.imports.validate).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError

from safeguarding.core.dates import today
from safeguarding.reviews.dates import Dates, Pause, new_problems
from safeguarding.reviews.models import Case, Incident, Review, ReviewPause

M = TypeVar("M", Case, Incident, Review)


def stored(record: M) -> M:
    """The record as saved: a model form has already copied what was typed onto the instance
    it was given, so the dates before a change are read afresh from the database."""
    return type(record)._default_manager.get(pk=record.pk)


def incident_dates(incident: Incident, *, case: Case | None = None) -> Dates:
    case = case or incident.case
    return Dates(
        incident_date=case.incident_date,
        la_aware_on=incident.la_aware_on,
        notified_on=incident.notified_on,
    )


def review_dates(
    review: Review,
    *,
    case: Case | None = None,
    incident: Incident | None = None,
    parent: Review | None = None,
    signoffs: Sequence[dt.date] | None = None,
    pauses: Sequence[Pause] | None = None,
) -> Dates:
    """The dates of a review with those of its case, incident and rapid review (`parent`).
    The keyword arguments stand in for records being changed, not yet saved."""
    incident = incident or review.incident
    case = case or review.case or (incident.case if incident else None)
    parent = parent or review.parent
    if signoffs is None:
        signoffs = [s.signed_on for s in review.signoffs.all()] if review.pk else []
    if pauses is None:
        pauses = pauses_of(review)
    return Dates(
        incident_date=case.incident_date if case else None,
        la_aware_on=incident.la_aware_on if incident else None,
        notified_on=incident.notified_on if incident else None,
        opened_on=review.opened_on,
        decision_on=review.decision_on,
        sent_to_panel_on=review.sent_to_panel_on,
        panel_response_on=review.panel_response_on,
        parent_decision_on=parent.decision_on if parent else None,
        commissioned_on=review.commissioned_on,
        completed_on=review.completed_on,
        panel_notified_before_publication_on=review.panel_notified_before_publication_on,
        published_on=review.published_on,
        signoffs=tuple(signoffs),
        pauses=tuple(pauses),
    )


def pauses_of(review: Review, *, changed: ReviewPause | None = None) -> list[Pause]:
    """A review's pauses, with `changed` as it is about to be saved."""
    saved = list(review.pauses.all()) if review.pk else []
    if changed is not None:
        saved = [p for p in saved if p.pk != changed.pk] + [changed]
    return [Pause(p.starts_on, p.ends_on) for p in saved]


def case_timelines(case: Case) -> list[Dates]:
    """The dates of a case and of every incident and review of it (with `case` as it is now
    in memory, perhaps changed and not yet saved)."""
    found = [Dates(incident_date=case.incident_date)]
    if case.pk is None:
        return found
    reviews = list(
        Review.objects.filter(case=case).select_related("incident", "parent").order_by("pk")
    )
    reviewed = {r.incident_id for r in reviews}
    found += [
        incident_dates(i, case=case)
        for i in Incident.objects.filter(case=case).order_by("pk")
        if i.pk not in reviewed
    ]
    return found + [review_dates(r, case=case) for r in reviews]


def incident_timelines(incident: Incident) -> list[Dates]:
    """The dates of an incident (as in memory) and of each review of it."""
    found = [incident_dates(incident)]
    if incident.pk is None:
        return found
    reviews = incident.reviews.select_related("case", "parent").order_by("pk")
    return found + [review_dates(r, incident=incident) for r in reviews]


def review_timelines(
    review: Review,
    *,
    signoffs: Sequence[dt.date] | None = None,
    pauses: Sequence[Pause] | None = None,
) -> list[Dates]:
    """The dates of a review (as in memory) and of the reviews it led to."""
    found = [review_dates(review, signoffs=signoffs, pauses=pauses)]
    if review.pk is None:
        return found
    return found + [review_dates(child, parent=review) for child in review.children.all()]


def refuse_impossible_dates(
    *, before: Iterable[Dates], after: Iterable[Dates], changed: Iterable[str]
) -> None:
    """Raise a ValidationError (field -> messages) if the change makes a date impossible.

    `changed` names the dates being entered: each message is put on one of them, told from
    its side. A rapid review's decision is `parent_decision_on` to the reviews it led to.
    """
    changed = set(changed)
    if "decision_on" in changed:
        changed.add("parent_decision_on")
    found = new_problems(before, after, today=today())
    if not found:
        return
    errors: dict[str, list[str]] = {}
    for problem in found:
        field, message = problem.seen_from(changed)
        field = "decision_on" if field == "parent_decision_on" else field
        if message not in errors.setdefault(field, []):
            errors[field].append(message)
    raise ValidationError(errors)
