"""Working days on England & Wales bank holidays, checked against the official list.

The expected dates are worked out by hand in the comments, or counted by a plain loop over the
official GOV.UK list of England & Wales bank holidays typed in below. The code under test takes
its holidays from the `holidays` library; this list is the independent check on it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguarding.core.workingdays import WorkingCalendar

D = dt.date

# https://www.gov.uk/bank-holidays, England and Wales, 2020-2026 (substitute days as published).
OFFICIAL_BANK_HOLIDAYS = frozenset(
    {
        # 2020: VE Day moved the early May holiday to Friday 8 May; Boxing Day (Sat) -> Mon 28.
        D(2020, 1, 1), D(2020, 4, 10), D(2020, 4, 13), D(2020, 5, 8), D(2020, 5, 25),
        D(2020, 8, 31), D(2020, 12, 25), D(2020, 12, 28),
        # 2021: Christmas Day (Sat) -> Mon 27, Boxing Day (Sun) -> Tue 28.
        D(2021, 1, 1), D(2021, 4, 2), D(2021, 4, 5), D(2021, 5, 3), D(2021, 5, 31),
        D(2021, 8, 30), D(2021, 12, 27), D(2021, 12, 28),
        # 2022: New Year (Sat) -> Mon 3 Jan; spring holiday moved to Thu 2 Jun, Platinum Jubilee
        # Fri 3 Jun; the Queen's State Funeral Mon 19 Sep; Christmas (Sun) -> Tue 27.
        D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2),
        D(2022, 6, 3), D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27),
        # 2023: New Year (Sun) -> Mon 2 Jan; the Coronation Mon 8 May.
        D(2023, 1, 2), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 1), D(2023, 5, 8),
        D(2023, 5, 29), D(2023, 8, 28), D(2023, 12, 25), D(2023, 12, 26),
        D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6), D(2024, 5, 27),
        D(2024, 8, 26), D(2024, 12, 25), D(2024, 12, 26),
        D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26),
        D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26),
        # 2026: Boxing Day (Sat) -> Mon 28 Dec.
        D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25),
        D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28),
    }
)  # fmt: skip


def _is_working_day_by_hand(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in OFFICIAL_BANK_HOLIDAYS


def _add_by_hand(start: dt.date, n: int) -> dt.date:
    """Step forward a day at a time, counting the official working days (n >= 0)."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        if _is_working_day_by_hand(day):
            n -= 1
    return day


def _working_days_by_hand(first: dt.date, last: dt.date) -> int:
    """Official working days from `first` to `last`, both included."""
    count = 0
    day = first
    while day <= last:
        count += _is_working_day_by_hand(day)
        day += dt.timedelta(days=1)
    return count


calendar = WorkingCalendar()


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2022, 6, 2), "spring bank holiday moved for the Platinum Jubilee"),
        (D(2022, 6, 3), "Platinum Jubilee bank holiday"),
        (D(2022, 9, 19), "State Funeral of Queen Elizabeth II"),
        (D(2023, 5, 8), "Coronation of King Charles III"),
        (D(2022, 12, 26), "Boxing Day"),
        (D(2022, 12, 27), "Christmas Day substitute (25 Dec 2022 was a Sunday)"),
        (D(2021, 12, 27), "Christmas Day substitute (25 Dec 2021 was a Saturday)"),
        (D(2021, 12, 28), "Boxing Day substitute (26 Dec 2021 was a Sunday)"),
        (D(2023, 1, 2), "New Year's Day substitute (1 Jan 2023 was a Sunday)"),
        (D(2023, 4, 7), "Good Friday"),
        (D(2023, 4, 10), "Easter Monday"),
        (D(2022, 6, 4), "a Saturday"),
        (D(2022, 6, 5), "a Sunday"),
    ],
)
def test_bank_holidays_and_weekends_are_not_working_days(day, reason):
    assert not calendar.is_working_day(day), reason


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2022, 5, 30), "the Monday before the Jubilee weekend; spring holiday moved to 2 Jun"),
        (D(2022, 12, 28), "the first working day after Christmas 2022"),
        (D(2021, 12, 24), "Christmas Eve is not a bank holiday"),
        (D(2023, 5, 9), "the day after the Coronation"),
        (D(2023, 4, 6), "Maundy Thursday is not a bank holiday"),
    ],
)
def test_ordinary_weekdays_next_to_holidays_are_working_days(day, reason):
    assert calendar.is_working_day(day), reason


def test_the_holiday_library_agrees_with_the_official_list_for_2020_to_2026():
    # A weekday that the library counts as a holiday but GOV.UK does not (or the other way) would
    # move statutory deadlines: this catches a library upgrade that changes the facts.
    day, differences = D(2020, 1, 1), []
    while day <= D(2026, 12, 31):
        if calendar.is_working_day(day) != _is_working_day_by_hand(day):
            differences.append(day)
        day += dt.timedelta(days=1)
    assert differences == []


def test_substitute_weekend_dates_are_not_counted_twice_in_a_year():
    # 2022: 365 days starting on a Saturday = 52 whole weeks + Sat 31 Dec, so 260 weekdays;
    # all 10 bank holidays fell on weekdays: 250 working days.
    assert calendar.between(D(2021, 12, 31), D(2022, 12, 31)) == 250
    # 2023: starts on a Sunday, 52 whole weeks + Sun 31 Dec = 260 weekdays, 9 holidays: 251.
    assert calendar.between(D(2022, 12, 31), D(2023, 12, 31)) == 251


def test_five_working_days_across_the_platinum_jubilee():
    # Tue 31 May 2022 + 5: Wed 1 Jun (1), Thu 2 and Fri 3 holidays, weekend, Mon 6 (2),
    # Tue 7 (3), Wed 8 (4), Thu 9 (5).
    assert calendar.add(D(2022, 5, 31), 5) == D(2022, 6, 9)


def test_fifteen_working_days_across_the_platinum_jubilee():
    # Mon 23 May 2022 + 15: 24-27 May (4), 30-31 May (6), 1 Jun (7), [2-3 Jun holidays],
    # 6-10 Jun (12), 13-15 Jun (15).
    assert calendar.add(D(2022, 5, 23), 15) == D(2022, 6, 15)


def test_five_working_days_across_the_state_funeral():
    # Thu 15 Sep 2022 + 5: Fri 16 (1), [Mon 19 funeral], Tue 20 (2) ... Fri 23 (5).
    assert calendar.add(D(2022, 9, 15), 5) == D(2022, 9, 23)


def test_five_working_days_across_the_coronation_and_the_early_may_holiday():
    # Fri 28 Apr 2023 + 5: [Mon 1 May holiday], Tue 2 (1), Wed 3 (2), Thu 4 (3), Fri 5 (4),
    # [Mon 8 Coronation], Tue 9 (5).
    assert calendar.add(D(2023, 4, 28), 5) == D(2023, 5, 9)


def test_five_working_days_across_christmas_2022_with_substitute_days():
    # Fri 23 Dec 2022 + 5: weekend, [Mon 26, Tue 27 holidays], Wed 28 (1), Thu 29 (2),
    # Fri 30 (3), weekend, [Mon 2 Jan 2023 New Year substitute], Tue 3 (4), Wed 4 (5).
    assert calendar.add(D(2022, 12, 23), 5) == D(2023, 1, 4)


def test_five_working_days_across_christmas_2021_with_substitute_days():
    # Thu 23 Dec 2021 + 5: Fri 24 (1), weekend, [Mon 27, Tue 28 substitutes], Wed 29 (2),
    # Thu 30 (3), Fri 31 (4), weekend, [Mon 3 Jan 2022 substitute], Tue 4 (5).
    assert calendar.add(D(2021, 12, 23), 5) == D(2022, 1, 4)


def test_five_working_days_across_easter():
    # Thu 6 Apr 2023 + 5: [Good Friday 7], weekend, [Easter Monday 10], Tue 11 (1) ... Fri 14
    # (4), Mon 17 (5).
    assert calendar.add(D(2023, 4, 6), 5) == D(2023, 4, 17)


def test_a_clock_starting_on_a_saturday_counts_the_monday_as_day_one():
    assert calendar.add(D(2022, 6, 4), 1) == D(2022, 6, 6)
    # Sun 5 Jun 2022 + 5: Mon 6 (1) ... Fri 10 (5).
    assert calendar.add(D(2022, 6, 5), 5) == D(2022, 6, 10)


def test_a_clock_starting_on_a_bank_holiday_counts_the_next_working_day_as_day_one():
    # Starts on the Coronation, Mon 8 May 2023: Tue 9 (1) ... Mon 15 (5).
    assert calendar.add(D(2023, 5, 8), 5) == D(2023, 5, 15)


def test_zero_working_days_is_the_start_date_itself():
    assert calendar.add(D(2022, 6, 4), 0) == D(2022, 6, 4)
    assert calendar.between(D(2022, 6, 4), D(2022, 6, 4)) == 0


def test_a_partnership_closure_day_is_not_a_working_day():
    closed = WorkingCalendar([D(2022, 6, 1)])
    assert not closed.is_working_day(D(2022, 6, 1))
    # Tue 31 May 2022 + 5 with Wed 1 Jun closed: [1 closed, 2-3 holidays], Mon 6 (1) ... Fri 10
    # (5): one day later than without the closure (Thu 9 Jun).
    assert closed.add(D(2022, 5, 31), 5) == D(2022, 6, 10)
    assert calendar.add(D(2022, 5, 31), 5) == D(2022, 6, 9)


def test_a_closure_day_only_affects_the_calendar_that_has_it():
    closed = WorkingCalendar([D(2022, 6, 1)])
    assert not closed.is_working_day(D(2022, 6, 1))
    assert WorkingCalendar([D(2022, 6, 6)]).is_working_day(D(2022, 6, 1))
    assert calendar.is_working_day(D(2022, 6, 1))


def test_between_is_positive_forwards_and_negative_backwards():
    # (Wed 1 Jun, Mon 6 Jun 2022]: Thu 2 and Fri 3 holidays, weekend, Mon 6: one working day.
    assert calendar.between(D(2022, 6, 1), D(2022, 6, 6)) == 1
    assert calendar.between(D(2022, 6, 6), D(2022, 6, 1)) == -1


def test_between_counts_working_days_across_the_year_end():
    # (Fri 23 Dec 2022, Wed 4 Jan 2023]: Wed 28, Thu 29, Fri 30, Tue 3, Wed 4.
    assert calendar.between(D(2022, 12, 23), D(2023, 1, 4)) == 5


def test_going_back_working_days_skips_holidays_too():
    # Tue 7 Jun 2022 - 2: Mon 6 (1), weekend, [Fri 3, Thu 2 holidays], Wed 1 Jun (2).
    assert calendar.add(D(2022, 6, 7), -2) == D(2022, 6, 1)


dates_2020_to_2026 = st.dates(min_value=D(2020, 1, 1), max_value=D(2026, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=dates_2020_to_2026, n=st.integers(min_value=0, max_value=60))
def test_between_undoes_add_for_any_start_and_length(start, n):
    assert calendar.between(start, calendar.add(start, n)) == n


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=D(2020, 1, 1), max_value=D(2026, 9, 30)),
    n=st.integers(min_value=0, max_value=60),
)
def test_add_matches_a_day_by_day_count_of_the_official_list(start, n):
    due = calendar.add(start, n)
    assert due == _add_by_hand(start, n)
    if n:
        assert _is_working_day_by_hand(due)


@settings(max_examples=300, deadline=None)
@given(first=dates_2020_to_2026, second=dates_2020_to_2026)
def test_between_is_antisymmetric_and_matches_a_day_by_day_count(first, second):
    assert calendar.between(first, second) == -calendar.between(second, first)
    low, high = sorted((first, second))
    expected = _working_days_by_hand(low + dt.timedelta(days=1), high)
    assert calendar.between(low, high) == expected


@settings(max_examples=200, deadline=None)
@given(end=dates_2020_to_2026, n=st.integers(min_value=0, max_value=60))
def test_counting_back_from_a_working_day_is_undone_by_between(end, n):
    while not _is_working_day_by_hand(end):
        end += dt.timedelta(days=1)
    assert calendar.between(calendar.add(end, -n), end) == n


@settings(max_examples=200, deadline=None)
@given(
    first=dates_2020_to_2026,
    second=dates_2020_to_2026,
    closures=st.lists(dates_2020_to_2026, max_size=8),
)
def test_between_with_closure_days_matches_counting_each_day(first, second, closures):
    """`between` counts by arithmetic; walking the days one by one must agree, closures and all."""
    with_closures = WorkingCalendar(closures)
    low, high = sorted((first, second))
    walked = sum(
        1
        for offset in range(1, (high - low).days + 1)
        if with_closures.is_working_day(low + dt.timedelta(days=offset))
    )
    assert with_closures.between(low, high) == walked
    assert with_closures.between(high, low) == -walked
