"""The sessions planner's arithmetic, planned against delivered, and reach per agency."""

from __future__ import annotations

import pytest

from safeguarding.dissemination import selectors, services
from safeguarding.dissemination.models import SessionPlan, sessions_needed
from safeguarding.dissemination.tests.helpers import D, make_event, make_product


@pytest.mark.parametrize(
    ("workforce", "capacity", "needed"),
    [
        (1000, 50, 20),  # an exact multiple: no extra session
        (1001, 50, 21),  # one person over: one more session
        (999, 50, 20),
        (1, 30, 1),
        (0, 30, 0),  # nobody to reach
        (30, 30, 1),
        (31, 30, 2),
        (14000, 35, 400),
        (5200, 60, 87),  # 86.67 rounded up
    ],
)
def test_sessions_needed_is_the_workforce_over_capacity_rounded_up(workforce, capacity, needed):
    assert sessions_needed(workforce, capacity) == needed


@pytest.mark.parametrize("capacity", [0, -5])
def test_a_capacity_of_zero_or_less_is_refused(capacity):
    with pytest.raises(ValueError, match="at least 1"):
        sessions_needed(100, capacity)


def test_a_plan_with_zero_capacity_is_refused_and_not_saved(world):
    product = make_product(world)
    with pytest.raises(services.DisseminationError, match="at least 1"):
        services.session_plan_create(
            actor=world.business_unit, product=product, agencies=[world.police], session_capacity=0
        )
    assert not SessionPlan.objects.exists()


def test_a_plan_takes_the_workforce_of_its_agencies_and_counts_events(world):
    product = make_product(world)
    # Police 900 + children's services 1,200 = 2,100 in sessions of 40: 52.5, so 53.
    services.session_plan_create(
        actor=world.business_unit,
        product=product,
        agencies=[world.police, world.la],
        session_capacity=40,
    )
    make_event(world, product, agencies=[world.police], status="delivered")
    make_event(world, product, agencies=[world.police], status="delivered", on=D(2023, 2, 13))
    make_event(world, product, agencies=[world.la], status="planned", on=D(2023, 3, 6))
    make_event(world, product, agencies=[world.la], status="cancelled", on=D(2023, 3, 13))
    (row,) = selectors.planner(user=world.business_unit)
    assert (row.plan.workforce_to_reach, row.needed, row.delivered, row.planned) == (
        2100,
        53,
        2,
        1,
    )
    assert row.still_to_plan == 50


def test_reach_counts_attendances_at_delivered_events_against_the_workforce(world):
    product = make_product(world)
    first = make_event(world, product, agencies=[world.police, world.health])
    second = make_event(world, product, agencies=[world.police], on=D(2023, 2, 13))
    make_event(world, product, agencies=[world.police], status="planned", on=D(2023, 3, 1))
    services.attendance_set(
        actor=world.business_unit, event=first, agency=world.police, attendees=30
    )
    services.attendance_set(
        actor=world.business_unit, event=second, agency=world.police, attendees=15
    )
    services.attendance_set(
        actor=world.business_unit, event=first, agency=world.health, attendees=12
    )
    # Corrected later: the same row, not a second one.
    services.attendance_set(
        actor=world.business_unit, event=first, agency=world.health, attendees=15
    )
    rows = {r.agency.name: r for r in selectors.reach(user=world.business_unit)}
    assert (rows["Police"].attended, rows["Police"].workforce, rows["Police"].percent) == (
        45,
        900,
        5.0,
    )
    assert (rows["Integrated care board"].attended, rows["Integrated care board"].percent) == (
        15,
        0.5,
    )
    assert rows["Schools"].attended == 0


def test_attendance_cannot_be_recorded_for_an_event_not_delivered(world):
    product = make_product(world)
    planned = make_event(world, product, agencies=[world.police], status="planned")
    with pytest.raises(services.DisseminationError, match="delivered"):
        services.attendance_set(
            actor=world.business_unit, event=planned, agency=world.police, attendees=3
        )
