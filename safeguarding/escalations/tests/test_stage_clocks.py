"""Stage clocks: due dates in working days across bank holidays and closure days, overdue status,
and what the dashboard shows.

Expected dates are counted by hand in the comments (England & Wales bank holidays from GOV.UK:
2-3 June 2022 Spring bank holiday and Platinum Jubilee; 26-27 December 2022 Boxing Day and the
Christmas Day substitute; 2 January 2023 the New Year substitute; 8 May 2023 the Coronation).
The default limits are 3, 5, 5 and 10 working days.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.accounts.services import clock_rule_update, closure_day_add, partnership_create
from safeguarding.core.models import ClockKey, ClockRule, ClockStatus
from safeguarding.escalations import services
from safeguarding.escalations.models import Escalation, EscalationStage
from safeguarding.escalations.tests.helpers import D, clock_of, current_step, escalate, stage


def test_a_new_partnership_gets_the_four_default_stages_and_the_stage_clock_rule(db):
    partnership = partnership_create(actor=None, name="New partnership", slug="new-one")
    stages = list(
        EscalationStage.objects.filter(partnership=partnership).values_list(
            "number", "name", "working_days"
        )
    )
    assert stages == [
        (1, "Practitioner to practitioner", 3),
        (2, "Manager to manager", 5),
        (3, "Senior managers or safeguarding leads", 5),
        (4, "Independently chaired partnership meeting", 10),
    ]
    rule = ClockRule.objects.get(partnership=partnership, key=ClockKey.ESCALATION_STAGE)
    assert rule.unit == "working_days"
    # The foundation's own clocks are still installed alongside.
    keys = set(ClockRule.objects.filter(partnership=partnership).values_list("key", flat=True))
    assert {"notification", "rapid_review", "cspr", "local_review", "escalation_stage"} <= keys


def test_second_stage_clock_skips_the_jubilee_bank_holidays(world):
    # Thursday 26 May 2022 at stage 2 (5 working days): Fri 27 (1), Mon 30 (2), Tue 31 (3),
    # Wed 1 June (4), Thu 2 and Fri 3 June are bank holidays, Mon 6 June (5).
    escalation = escalate(world, raised_on=D(2022, 5, 26), at_stage=2)
    clock = clock_of(current_step(escalation))
    assert clock.due_on == D(2022, 6, 6)
    assert clock.stopped_on is None


def test_escalation_is_overdue_only_after_its_stage_due_date(world):
    escalation = escalate(world, raised_on=D(2022, 5, 26), at_stage=2)  # due Mon 6 June 2022
    assert not Escalation.objects.overdue(D(2022, 6, 3)).exists()
    assert not Escalation.objects.overdue(D(2022, 6, 6)).exists()
    assert list(Escalation.objects.overdue(D(2022, 6, 7))) == [escalation]


def test_first_stage_clock_over_christmas_is_due_on_the_thirtieth(world):
    # Friday 23 December 2022 at stage 1 (3 working days): 26 and 27 December are bank holidays,
    # so Wed 28 (1), Thu 29 (2), Fri 30 December (3).
    escalation = escalate(world, raised_on=D(2022, 12, 23))
    clock = clock_of(current_step(escalation))
    assert clock.due_on == D(2022, 12, 30)
    # Monday 2 January 2023 is itself a bank holiday, but it is after the due date.
    assert Escalation.objects.overdue(D(2023, 1, 2)).get() == escalation
    status = clock.__class__.objects.filter(pk=clock.pk).with_status(D(2022, 12, 29)).get()
    assert status.status == ClockStatus.DUE_SOON  # one working day before


def test_moving_up_starts_the_next_stage_clock_across_the_coronation(world):
    # Raised Tue 2 May 2023 at stage 1; moved up Thu 4 May 2023. Stage 2 (5 working days):
    # Fri 5 (1), Mon 8 is the Coronation bank holiday, Tue 9 (2), Wed 10 (3), Thu 11 (4),
    # Fri 12 May (5).
    escalation = escalate(world, raised_on=D(2023, 5, 2), moves=(D(2023, 5, 4),))
    first, second = escalation.steps.order_by("entered_on", "pk")
    assert clock_of(first).stopped_on == D(2023, 5, 4)
    assert clock_of(second).due_on == D(2023, 5, 12)
    assert clock_of(second).stopped_on is None


def test_moving_up_after_the_limit_counts_the_stage_as_missed(world):
    # Raised Tue 3 May 2022 at stage 1: due Fri 6 May (Wed 4, Thu 5, Fri 6). Moved up Mon 9 May:
    # one working day late.
    escalation = escalate(world, raised_on=D(2022, 5, 3), moves=(D(2022, 5, 9),))
    first = escalation.steps.order_by("entered_on", "pk").first()
    assert first is not None
    clock = clock_of(first)
    assert clock.due_on == D(2022, 5, 6)
    assert clock.variance_working_days == 1
    stored = clock.__class__.objects.filter(pk=clock.pk).with_status(D(2022, 5, 9)).get()
    assert stored.status == ClockStatus.MISSED


def test_a_new_closure_day_moves_the_running_stage_due_date(world):
    escalation = escalate(world, raised_on=D(2022, 5, 26), at_stage=2)  # due Mon 6 June 2022
    closure_day_add(
        actor=world.business_unit,
        partnership=world.partnership,
        date=D(2022, 6, 1),
        reason="Staff training day",
    )
    # Wed 1 June no longer counts: Fri 27, Mon 30, Tue 31, Mon 6, Tue 7 June.
    assert clock_of(current_step(escalation)).due_on == D(2022, 6, 7)
    assert not Escalation.objects.overdue(D(2022, 6, 7)).exists()


def test_changing_a_stage_limit_recomputes_its_clocks(world):
    escalation = escalate(world, raised_on=D(2022, 5, 26), at_stage=2)
    services.stage_save(
        actor=world.business_unit,
        partnership=world.partnership,
        stage=stage(world, 2),
        name="Manager to manager",
        working_days=2,
    )
    # Two working days from Thu 26 May 2022: Fri 27, Mon 30.
    assert clock_of(current_step(escalation)).due_on == D(2022, 5, 30)


def test_changing_the_stage_clock_rule_recomputes_due_soon(world):
    escalation = escalate(world, raised_on=D(2022, 5, 26), at_stage=2)  # due Mon 6 June 2022
    rule = ClockRule.objects.get(partnership=world.partnership, key=ClockKey.ESCALATION_STAGE)
    clock_rule_update(actor=world.business_unit, rule=rule, due_soon_working_days=3)
    # Three working days before Mon 6 June: Fri 3 and Thu 2 are bank holidays, so Wed 1, Tue 31
    # May, Mon 30 May.
    assert clock_of(current_step(escalation)).due_soon_from == D(2022, 5, 30)


def test_closed_escalation_is_never_overdue(world):
    escalate(
        world,
        raised_on=D(2022, 5, 26),
        at_stage=2,
        close=("resolved", D(2022, 6, 8), "action_agreed"),
    )
    assert not Escalation.objects.overdue(D(2022, 7, 1)).exists()


@pytest.fixture
def overdue_escalation(world):
    """Police to children's services, at stage 2 for 30 calendar days: overdue whatever today is."""
    today = dt.date.today()
    return escalate(
        world,
        by=world.police,
        about=world.la,
        raised_on=today - dt.timedelta(days=35),
        moves=(today - dt.timedelta(days=30),),
    )


@pytest.mark.parametrize(
    ("who", "sees_it"),
    [
        ("business_unit", True),
        ("agency_lead", True),  # the police lead: raised by their agency
        ("agency_lead_health", False),  # not their agency's
        ("rag_member", False),  # aggregate figures only
        ("scrutineer", False),
    ],
)
def test_overdue_stage_shows_on_the_dashboard_of_those_who_may_see_it(
    world, client_for, overdue_escalation, who, sees_it
):
    page = client_for(world.users[who]).get(reverse("reviews:dashboard")).content.decode()
    assert (overdue_escalation.reference in page) is sees_it
    if sees_it:
        step = current_step(overdue_escalation)
        assert reverse("escalations:step_clock", args=[step.pk]) in page
        assert "Overdue" in page


def test_dashboard_link_of_a_stage_clock_leads_to_the_escalation(
    world, client_for, overdue_escalation
):
    step = current_step(overdue_escalation)
    response = client_for(world.business_unit).get(
        reverse("escalations:step_clock", args=[step.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("escalations:detail", args=[overdue_escalation.pk]) + "#stages"
    )
