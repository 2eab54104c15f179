"""The analysis for a period, on escalations built by hand, with every expected figure worked out
in the comments rather than by the code under test."""

from __future__ import annotations

import pytest

from safeguarding.escalations.selectors import analysis_tables, escalation_summary
from safeguarding.escalations.tests.helpers import D, escalate

START, END = D(2022, 1, 1), D(2022, 6, 30)


@pytest.fixture
def cases(world, other_world):
    """Five escalations in the first half of 2022, one before it, one in another partnership.

    E1 Schools -> Children's services, threshold: raised Mon 10 Jan, resolved at stage 1 on
       Wed 12 Jan ("explained"). 2 working days (11, 12). Stage 1 due Thu 13 Jan: in time.
    E2 Schools -> Children's services, threshold: raised Tue 1 Feb, up to stage 2 Thu 3 Feb,
       resolved Fri 11 Feb ("decision changed"). 8 working days (2, 3, 4, 7, 8, 9, 10, 11).
       Stage 1 due Fri 4 Feb: in time. Stage 2 due Thu 10 Feb (4, 7, 8, 9, 10): a day late.
    E3 Integrated care board -> Police, information: first recorded at stage 2 on Tue 1 Mar,
       withdrawn Wed 2 Mar. 1 working day. In time.
    E4 Police -> Children's services, strategy: raised Mon 4 Apr, stage 2 Tue 5 Apr, stage 3
       Wed 6 Apr, referred on Fri 8 Apr. 4 working days (5, 6, 7, 8). Every stage in time.
    E5 Police -> Children's services, threshold: raised Tue 3 May, still open at stage 1.
    """
    return {
        "e1": escalate(
            world,
            raised_on=D(2022, 1, 10),
            close=("resolved", D(2022, 1, 12), "explained"),
        ),
        "e2": escalate(
            world,
            raised_on=D(2022, 2, 1),
            moves=(D(2022, 2, 3),),
            close=("resolved", D(2022, 2, 11), "decision_changed"),
        ),
        "e3": escalate(
            world,
            by=world.health,
            about=world.police,
            category="information",
            raised_on=D(2022, 3, 1),
            at_stage=2,
            close=("withdrawn", D(2022, 3, 2), ""),
        ),
        "e4": escalate(
            world,
            by=world.police,
            category="strategy",
            raised_on=D(2022, 4, 4),
            moves=(D(2022, 4, 5), D(2022, 4, 6)),
            close=("referred_on", D(2022, 4, 8), ""),
            note="Referred to the LADO",
        ),
        "e5": escalate(world, by=world.police, raised_on=D(2022, 5, 3)),
        "before": escalate(
            world, raised_on=D(2021, 12, 1), close=("resolved", D(2021, 12, 2), "explained")
        ),
        "elsewhere": escalate(other_world, raised_on=D(2022, 3, 1)),
    }


def summary_of(world):
    return escalation_summary(partnership=world.partnership, start=START, end=END)


def test_counts_only_the_partnerships_escalations_raised_in_the_period(world, cases):
    s = summary_of(world)
    assert s["total"] == 5
    assert s["open"] == 1
    assert s["by_outcome"] == {"Open": 1, "Resolved": 2, "Withdrawn": 1, "Referred on": 1}


def test_share_recorded_at_the_first_stage(world, cases):
    s = summary_of(world)
    # E1, E2, E4 and E5 were first recorded at stage 1; E3 only at stage 2: 4 of 5.
    assert s["recorded_at_first_stage"] == 4
    assert s["share_recorded_at_first_stage"] == 80.0


def test_by_stage_reached_and_outcome(world, cases):
    rows = {
        row["number"]: (row["total"], row["open"], row["resolved"], row["withdrawn"])
        + (row["referred_on"],)
        for row in summary_of(world)["by_stage_reached"]
    }
    assert rows == {
        1: (2, 1, 1, 0, 0),  # E5 open, E1 resolved
        2: (2, 0, 1, 1, 0),  # E2 resolved, E3 withdrawn
        3: (1, 0, 0, 0, 1),  # E4 referred on
        4: (0, 0, 0, 0, 0),
    }


def test_who_escalates_to_whom(world, cases):
    pairs = [
        (row["raised_by"], row["about"], row["total"], row["open"], row["referred_on"])
        for row in summary_of(world)["by_agencies"]
    ]
    # Most first; ties by the raising agency's name.
    assert pairs == [
        ("Police", "Children's services", 2, 1, 1),
        ("Schools", "Children's services", 2, 0, 0),
        ("Integrated care board", "Police", 1, 0, 0),
    ]


def test_by_category_and_how_resolved(world, cases):
    s = summary_of(world)
    assert {k: v for k, v in s["by_category"].items() if v} == {
        "Threshold or referral decision": 3,
        "Strategy discussion or section 47 enquiry": 1,
        "Information sharing": 1,
    }
    assert sum(s["by_category"].values()) == 5
    assert {k: v for k, v in s["how_resolved"].items() if v} == {
        "The decision was changed": 1,
        "The decision stood, with an explanation accepted": 1,
    }


def test_time_to_close_in_working_days(world, cases):
    time = summary_of(world)["time_to_close"]
    assert time["closed"] == 4
    assert time["average_working_days"] == 3.8  # (2 + 8 + 1 + 4) / 4 = 3.75
    assert time["average_working_days_resolved"] == 5.0  # (2 + 8) / 2
    assert time["longest_working_days"] == 8
    assert time["bands"] == {
        "Up to 5 working days": 3,
        "6 to 10 working days": 1,
        "11 to 20 working days": 0,
        "More than 20 working days": 0,
    }


def test_stage_limits_met_and_missed(world, cases):
    rows = [
        (r["reached"], r["ended_within_limit"], r["ended_after_limit"], r["still_running"])
        for r in summary_of(world)["stage_limits"]
    ]
    assert rows == [
        (4, 3, 0, 1),  # E1, E2, E4 in time; E5 running
        (3, 2, 1, 0),  # E3, E4 in time; E2 a day late
        (1, 1, 0, 0),  # E4
        (0, 0, 0, 0),
    ]


def test_an_empty_period_has_no_share_and_no_averages(world, cases):
    s = escalation_summary(partnership=world.partnership, start=D(2020, 1, 1), end=D(2020, 12, 31))
    assert s["total"] == 0
    assert s["share_recorded_at_first_stage"] is None
    assert s["time_to_close"]["average_working_days"] is None
    tables = {t.key: t for t in analysis_tables(s)}
    assert tables["overview"].rows[3] == ["Share recorded at the first stage (%)", "None raised"]


def test_tables_carry_the_same_figures_as_the_summary(world, cases):
    tables = {t.key: t for t in analysis_tables(summary_of(world))}
    assert tables["stage_outcome"].rows[0] == [
        "Stage 1: Practitioner to practitioner",
        2,
        1,
        1,
        0,
        0,
    ]
    assert tables["agencies"].rows[0] == ["Police", "Children's services", 2, 1, 0, 0, 1]
    assert ["Escalations raised", 5] in tables["overview"].rows


def test_an_agency_lead_counts_only_the_escalations_raised_by_or_about_their_agency(world, cases):
    """The partnership's figures for a one-day period once showed an escalation between two
    other agencies in full. The police lead counts E3 (about the police), E4 and E5 (by the
    police); the health lead E3 only (raised by the integrated care board)."""
    police = escalation_summary(
        partnership=world.partnership, start=START, end=END, user=world.users["agency_lead"]
    )
    health = escalation_summary(
        partnership=world.partnership, start=START, end=END, user=world.users["agency_lead_health"]
    )
    assert (police["total"], police["open"]) == (3, 1)
    assert (health["total"], health["open"]) == (1, 0)
    assert {(p["raised_by"], p["about"]) for p in health["by_agencies"]} == {
        (world.health.name, world.police.name)
    }
    one_day = escalation_summary(
        partnership=world.partnership,
        start=D(2022, 1, 10),
        end=D(2022, 1, 10),
        user=world.users["agency_lead"],
    )
    assert one_day["total"] == 0 and one_day["by_agencies"] == []
    # The business unit still counts the partnership's.
    assert (
        escalation_summary(
            partnership=world.partnership, start=START, end=END, user=world.business_unit
        )["total"]
        == 5
    )
