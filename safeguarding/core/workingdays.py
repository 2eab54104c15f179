"""Working-day arithmetic on England & Wales bank holidays.

Bank holidays come from the maintained `holidays` library. It lists the weekend date beside an
"(observed)" substitute day, so only weekdays are ever looked up (see STACK-NOTES.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: dt.date) -> bool:
    return day in _bank_holidays(day.year)


class WorkingCalendar:
    """Weekends, England & Wales bank holidays and any extra closure days are not working days."""

    def __init__(self, closures: Iterable[dt.date] = ()) -> None:
        self.closures = frozenset(closures)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and not is_bank_holiday(day) and day not in self.closures

    def add(self, start: dt.date, days: int) -> dt.date:
        """The date `days` working days after `start` (the start day itself is day 0).

        A clock that starts on a weekend or holiday still counts its first working day as day 1.
        Negative `days` count backwards.
        """
        step = 1 if days >= 0 else -1
        remaining = abs(days)
        day = start
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days from `start` to `end`: positive when `end` is later, 0 on the same day.

        Counts working days in (start, end], so `between(d, add(d, n)) == n`.
        """
        if end == start:
            return 0
        sign = 1 if end > start else -1
        low, high = (start, end) if end > start else (end, start)
        # Weekdays in (low, high] by arithmetic, then the weekday holidays and closures in it.
        weeks, extra = divmod((high - low).days, 7)
        first = low.weekday()
        count = weeks * 5 + sum(1 for i in range(1, extra + 1) if (first + i) % 7 < 5)
        shut = {
            day
            for year in range(low.year, high.year + 1)
            for day in _bank_holidays(year)
            if low < day <= high and day.weekday() < 5
        }
        shut.update(day for day in self.closures if low < day <= high and day.weekday() < 5)
        return sign * (count - len(shut))
