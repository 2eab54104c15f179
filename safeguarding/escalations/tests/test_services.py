"""Writes to the register: every move keeps a timestamped history and an audit row, closing
records the outcome and the time taken, and moves the process does not allow are refused."""

from __future__ import annotations

import pytest

from safeguarding.audit.models import AuditEvent
from safeguarding.escalations import services
from safeguarding.escalations.models import EscalationStatus, EscalationStep, StepEnd
from safeguarding.escalations.tests.helpers import D, current_step, escalate, stage
from safeguarding.learning.models import Theme
from safeguarding.testing.factories import make_world


def audit_summaries(world) -> list[str]:
    return list(
        AuditEvent.objects.filter(partnership=world.partnership, object_type__startswith="escal")
        .order_by("pk")
        .values_list("summary", flat=True)
    )


def test_recording_starts_the_history_at_the_stage_reached(world):
    escalation = escalate(world, raised_on=D(2022, 5, 26), at_stage=2)
    step = escalation.steps.get()
    assert (step.stage.number, step.entered_on, step.left_on) == (2, D(2022, 5, 26), None)
    assert step.recorded_at is not None
    assert step.recorded_by == world.business_unit
    assert escalation.history.count() == 1
    assert audit_summaries(world) == [
        "Recorded an escalation from Schools to Children's services",
        f"{escalation.reference} reached stage 2",
    ]


def test_every_move_is_kept_with_its_date_reason_and_audit_row(world):
    escalation = escalate(world, raised_on=D(2022, 5, 26))
    services.escalation_move_up(
        actor=world.business_unit, escalation=escalation, on=D(2022, 5, 27), note="No reply"
    )
    services.escalation_move_up(actor=world.business_unit, escalation=escalation, on=D(2022, 6, 1))
    services.escalation_close(
        actor=world.business_unit,
        escalation=escalation,
        outcome=EscalationStatus.RESOLVED,
        how_resolved="decision_changed",
        note="Referral accepted",
        on=D(2022, 6, 8),
    )
    steps = list(
        escalation.steps.order_by("entered_on", "pk").values_list(
            "stage__number", "entered_on", "left_on", "ended_by", "note"
        )
    )
    assert steps == [
        (1, D(2022, 5, 26), D(2022, 5, 27), StepEnd.MOVED_UP, ""),
        (2, D(2022, 5, 27), D(2022, 6, 1), StepEnd.MOVED_UP, "No reply"),
        (3, D(2022, 6, 1), D(2022, 6, 8), StepEnd.RESOLVED, ""),
    ]
    # Each step was saved when it began and again when it ended.
    for step in EscalationStep.objects.filter(escalation=escalation):
        assert step.history.count() == 2
    escalation.refresh_from_db()
    # Recorded, moved twice, closed: four versions of the escalation itself.
    assert escalation.history.count() == 4
    assert [h.stage.number for h in escalation.history.order_by("history_date")] == [1, 2, 3, 3]
    ref = escalation.reference
    assert audit_summaries(world) == [
        "Recorded an escalation from Schools to Children's services",
        f"{ref} reached stage 1",
        f"{ref} left stage 1",
        f"Moved {ref} up to stage 2",
        f"{ref} reached stage 2",
        f"{ref} left stage 2",
        f"Moved {ref} up to stage 3",
        f"{ref} reached stage 3",
        f"{ref} left stage 3",
        f"Closed {ref}: resolved at stage 3",
    ]


def test_resolving_records_how_and_at_which_stage_and_the_working_days_taken(world):
    # Raised Thu 26 May 2022, resolved Wed 8 June 2022: Fri 27, Mon 30, Tue 31 May, Wed 1,
    # Mon 6, Tue 7, Wed 8 June (2 and 3 June are bank holidays) = 7 working days.
    escalation = escalate(
        world,
        raised_on=D(2022, 5, 26),
        moves=(D(2022, 5, 31),),
        close=("resolved", D(2022, 6, 8), "action_agreed"),
    )
    assert escalation.status == EscalationStatus.RESOLVED
    assert escalation.stage.number == 2
    assert escalation.how_resolved == "action_agreed"
    assert escalation.closed_on == D(2022, 6, 8)
    assert escalation.working_days_to_close == 7


@pytest.mark.parametrize("outcome", ["withdrawn", "referred_on"])
def test_withdrawing_or_referring_on_closes_without_saying_how_it_was_resolved(world, outcome):
    escalation = escalate(world, raised_on=D(2022, 5, 26), close=(outcome, D(2022, 5, 27), ""))
    assert escalation.status == outcome
    assert escalation.how_resolved == ""
    assert escalation.working_days_to_close == 1
    assert current_step_or_none(escalation) is None


def current_step_or_none(escalation):
    return escalation.steps.filter(left_on__isnull=True).first()


def test_cannot_move_beyond_the_last_stage(world):
    escalation = escalate(world, raised_on=D(2022, 5, 26), at_stage=4)
    with pytest.raises(services.EscalationError, match="last stage"):
        services.escalation_move_up(
            actor=world.business_unit, escalation=escalation, on=D(2022, 5, 27)
        )
    assert escalation.steps.count() == 1


def test_cannot_move_or_close_a_closed_escalation(world):
    escalation = escalate(world, raised_on=D(2022, 5, 26), close=("withdrawn", D(2022, 5, 26), ""))
    with pytest.raises(services.EscalationError, match="closed"):
        services.escalation_move_up(
            actor=world.business_unit, escalation=escalation, on=D(2022, 5, 27)
        )
    with pytest.raises(services.EscalationError, match="already closed"):
        services.escalation_close(
            actor=world.business_unit, escalation=escalation, outcome="resolved", on=D(2022, 6, 1)
        )


def test_cannot_move_up_before_the_current_stage_began(world):
    escalation = escalate(world, raised_on=D(2022, 5, 26))
    with pytest.raises(services.EscalationError, match="on or after 26 May 2022"):
        services.escalation_move_up(
            actor=world.business_unit, escalation=escalation, on=D(2022, 5, 25)
        )
    escalation.refresh_from_db()
    assert escalation.stage.number == 1
    assert current_step(escalation).left_on is None


def test_resolving_without_saying_how_is_refused(world):
    escalation = escalate(world, raised_on=D(2022, 5, 26))
    with pytest.raises(services.EscalationError, match="how"):
        services.escalation_close(
            actor=world.business_unit, escalation=escalation, outcome="resolved", on=D(2022, 6, 1)
        )
    escalation.refresh_from_db()
    assert escalation.is_open


def test_agencies_from_another_partnership_are_refused(world, other_world):
    with pytest.raises(services.EscalationError):
        services.escalation_record(
            actor=world.business_unit,
            partnership=world.partnership,
            raised_by_agency=other_world.police,
            about_agency=world.la,
            category="threshold",
            raised_on=D(2022, 5, 26),
            stage=stage(world, 1),
        )


def test_adding_a_stage_puts_it_after_the_last(world):
    added = services.stage_save(
        actor=world.business_unit,
        partnership=world.partnership,
        name="Escalation to the partnership executive",
        working_days=15,
    )
    assert added.number == 5
    assert added.history.count() == 1


def test_adding_detail_links_reviews_and_themes_and_keeps_history(world):
    from safeguarding.testing.factories import make_incident, rapid_review_of

    review = rapid_review_of(make_incident(world, la_aware_on=D(2022, 5, 3)))
    escalation = escalate(world, raised_on=D(2022, 5, 26))
    theme = Theme.objects.get(partnership=world.partnership, name="Escalation")
    services.escalation_update(
        actor=world.business_unit,
        escalation=escalation,
        reviews=[review],
        themes=[theme],
        summary="Disagreement about the threshold for assessment.",
    )
    escalation.refresh_from_db()
    assert list(escalation.reviews.all()) == [review]
    assert list(escalation.themes.all()) == [theme]
    assert list(theme.escalations.all()) == [escalation]
    # Recorded; the detail changed; then the links to reviews and to themes (simple-history
    # saves a version for each change of links too).
    assert escalation.history.count() == 4
    assert [t.theme.name for t in escalation.history.first().themes.all()] == ["Escalation"]
    with pytest.raises(services.EscalationError):
        services.escalation_update(actor=world.business_unit, escalation=escalation, status="x")
    # Another partnership's theme cannot be linked.
    other = make_world()
    foreign = Theme.objects.get(partnership=other.partnership, name="Escalation")
    with pytest.raises(services.EscalationError):
        services.escalation_update(
            actor=world.business_unit, escalation=escalation, themes=[foreign]
        )
    assert list(escalation.themes.all()) == [theme]
