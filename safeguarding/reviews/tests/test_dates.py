"""The order dates can happen in (safeguarding.reviews.dates), as pure functions: examples
that read as the rules, and properties over random dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguarding.reviews.dates import Dates, Pause, long_date, new_problems, problems

D = dt.date
TODAY = D(2024, 6, 3)
days = st.dates(min_value=D(2019, 1, 1), max_value=TODAY)
any_days = st.dates(min_value=D(2019, 1, 1), max_value=D(2026, 12, 31))
PROPERTY = settings(max_examples=300, deadline=None)


def messages(dates: Dates) -> list[str]:
    return [p.message for p in problems(dates, today=TODAY)]


def test_a_decision_before_the_local_authority_was_aware_names_both_dates():
    found = problems(Dates(la_aware_on=D(2023, 4, 5), decision_on=D(2023, 4, 3)), today=TODAY)
    assert [p.message for p in found] == [
        "The decision date (3 April 2023) must be on or after the date the local authority "
        "became aware (5 April 2023)"
    ]
    assert found[0].field == "decision_on" and found[0].other == "la_aware_on"
    assert found[0].seen_from({"la_aware_on"}) == (
        "la_aware_on",
        "The date the local authority became aware (5 April 2023) must be on or before the "
        "decision date (3 April 2023)",
    )


def test_a_decision_in_the_future_is_refused():
    assert messages(Dates(decision_on=D(2024, 6, 4))) == [
        "The decision date (4 June 2024) cannot be in the future"
    ]
    assert messages(Dates(decision_on=TODAY)) == []


def test_a_sign_off_before_the_decision_says_so_once():
    found = messages(
        Dates(
            incident_date=D(2023, 3, 1),
            la_aware_on=D(2023, 3, 2),
            decision_on=D(2023, 3, 20),
            signoffs=(D(2020, 3, 20),),
        )
    )
    # The latest date it must follow is named; the earlier ones follow from it.
    assert found == [
        "The sign-off date (20 March 2020) must be on or after the decision date (20 March 2023)"
    ]


def test_a_sign_off_years_before_the_incident_is_refused():
    # A decision kept from before these rules, itself before the incident: still refused.
    found = messages(
        Dates(incident_date=D(2023, 3, 1), decision_on=D(2020, 1, 1), signoffs=(D(2020, 3, 20),))
    )
    assert (
        "The sign-off date (20 March 2020) must be on or after the incident date (1 March 2023)"
        in found
    )


def test_a_sign_off_needs_a_decision_and_a_past_date():
    assert messages(Dates(signoffs=(D(2024, 6, 10),))) == [
        "The sign-off date (10 June 2024) cannot be in the future",
        "Record the decision before it is signed off",
    ]


def test_a_pause_before_the_review_opened_or_after_it_was_completed_is_refused():
    assert messages(Dates(opened_on=D(2023, 5, 1), pauses=(Pause(D(2023, 4, 3)),))) == [
        "The date paused (3 April 2023) must be on or after the date the review opened (1 May 2023)"
    ]
    completed = Dates(
        opened_on=D(2023, 5, 1),
        completed_on=D(2023, 9, 1),
        pauses=(Pause(D(2023, 9, 4), D(2023, 9, 5)),),
    )
    seen = [p.seen_from({"starts_on", "ends_on"}) for p in problems(completed, today=TODAY)]
    assert seen == [
        (
            "starts_on",
            "The date paused (4 September 2023) must be on or before the date completed "
            "(1 September 2023)",
        ),
        (
            "ends_on",
            "The date resumed (5 September 2023) must be on or before the date completed "
            "(1 September 2023)",
        ),
    ]


def test_only_one_pause_is_open_at_a_time_and_pauses_do_not_overlap():
    two_open = Dates(opened_on=D(2023, 1, 2), pauses=(Pause(D(2023, 2, 1)), Pause(D(2023, 3, 1))))
    assert any("already paused" in m for m in messages(two_open))
    overlapping = Dates(
        opened_on=D(2023, 1, 2),
        pauses=(Pause(D(2023, 2, 1), D(2023, 2, 28)), Pause(D(2023, 2, 10), D(2023, 3, 1))),
    )
    assert any("falls inside an earlier pause" in m for m in messages(overlapping))
    one_after_another = Dates(
        opened_on=D(2023, 1, 2),
        pauses=(Pause(D(2023, 2, 1), D(2023, 2, 28)), Pause(D(2023, 2, 28))),
    )
    assert messages(one_after_another) == []


def test_a_resume_before_the_pause_is_refused():
    assert messages(Dates(pauses=(Pause(D(2023, 2, 10), D(2023, 2, 9)),))) == [
        "The date resumed (9 February 2023) must be on or after the date paused (10 February 2023)"
    ]


def test_a_follow_up_commissioned_before_the_decision_is_refused():
    found = problems(
        Dates(parent_decision_on=D(2023, 3, 20), commissioned_on=D(2023, 3, 1)), today=TODAY
    )
    assert [p.message for p in found] == [
        "The date commissioned (1 March 2023) must be on or after the date of the rapid "
        "review's decision (20 March 2023)"
    ]


def test_the_panel_is_told_before_publication_and_publication_follows_completion():
    found = messages(
        Dates(
            opened_on=D(2023, 1, 2),
            completed_on=D(2023, 6, 1),
            panel_notified_before_publication_on=D(2023, 7, 10),
            published_on=D(2023, 5, 1),
        )
    )
    assert len(found) == 2
    assert all("The date published (1 May 2023)" in m for m in found)


def test_a_problem_already_there_is_not_new_but_a_second_one_like_it_is():
    bad = Dates(decision_on=D(2023, 3, 1), signoffs=(D(2023, 2, 1),))
    assert new_problems([bad], [bad], today=TODAY) == []
    twice = Dates(decision_on=D(2023, 3, 1), signoffs=(D(2023, 2, 1), D(2023, 2, 1)))
    assert len(new_problems([bad], [twice], today=TODAY)) == 1


# Properties: for any dates, a valid order is accepted and every violation is refused.


@PROPERTY
@given(st.lists(days, min_size=3, max_size=3))
def test_incident_aware_and_notified_in_order_are_accepted(triple):
    incident, aware, notified = sorted(triple)
    dates = Dates(incident_date=incident, la_aware_on=aware, notified_on=notified)
    assert problems(dates, today=TODAY) == []


@PROPERTY
@given(any_days, any_days, any_days)
def test_any_out_of_order_or_future_triple_is_refused_naming_the_dates(incident, aware, notified):
    found = messages(Dates(incident_date=incident, la_aware_on=aware, notified_on=notified))
    valid = incident <= aware <= notified <= TODAY
    assert (found == []) == valid
    if aware < incident:
        assert any(long_date(aware) in m and long_date(incident) in m for m in found)
    if notified < aware:
        assert any(long_date(notified) in m and long_date(aware) in m for m in found)
    if notified > TODAY:
        assert any("cannot be in the future" in m and long_date(notified) in m for m in found)


@PROPERTY
@given(st.lists(days, min_size=4, max_size=4), st.integers(0, 3))
def test_a_rapid_review_chain_in_order_is_accepted_and_any_swap_refused(chain, swap):
    aware, opened, decided, signed = sorted(chain)
    dates = Dates(la_aware_on=aware, opened_on=opened, decision_on=decided, signoffs=(signed,))
    assert problems(dates, today=TODAY) == []
    order = [aware, opened, decided, signed]
    if swap < 3 and order[swap] != order[swap + 1]:
        order[swap], order[swap + 1] = order[swap + 1], order[swap]
        swapped = Dates(
            la_aware_on=order[0], opened_on=order[1], decision_on=order[2], signoffs=(order[3],)
        )
        assert problems(swapped, today=TODAY) != []


@PROPERTY
@given(days, st.lists(st.tuples(days, st.one_of(st.none(), days)), max_size=4))
def test_pauses_are_accepted_exactly_when_they_are_true(opened, raw):
    pauses = tuple(Pause(start, end) for start, end in raw)
    found = problems(Dates(opened_on=opened, pauses=pauses), today=TODAY)
    ordered = sorted(pauses, key=lambda p: (p.starts_on, p.ends_on is None))
    true = (
        all(p.starts_on >= opened for p in pauses)
        and all(p.ends_on is None or p.ends_on >= p.starts_on for p in pauses)
        and all(
            a.ends_on is not None and b.starts_on >= a.ends_on
            for a, b in zip(ordered, ordered[1:], strict=False)
        )
    )
    assert (found == []) == true
