"""Full dates in every common written form, with the dates each could mean.

Read from the ``clean`` form of a text (NFKC, no zero-width characters). Recognised:
01/03/2021, 1/3/21, 01-03-2021, 01.03.2021, 2021-03-01, 1 March 2021, 1st March 2021, the 1st
of March 2021, March 1, 2021, Mar 1st 2021, 1 Mar 21. A numeric date such as 03/01/2021 is
read both day first (as written in England) and month first: either may be a date of birth,
and the check is the stricter for taking both.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

_MONTH_NAMES = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[0-2]?\d|3[01])(?:\s?(?:st|nd|rd|th))?"
_YEAR = r"(?:\d{4}|\d{2})"
_SEP = r"[/.\-\u2010-\u2015]"  # slash, dot, hyphen and the dashes NFKC keeps

DATE = re.compile(
    rf"""(?<![\w/.\-])(?:
        (?P<iy>\d{{4}})(?P<is>{_SEP})(?P<im>\d{{1,2}})(?P=is)(?P<id>\d{{1,2}})
      | (?P<na>\d{{1,2}})(?P<ns>{_SEP})(?P<nb>\d{{1,2}})(?P=ns)(?P<ny>\d{{4}}|\d{{2}})
      | (?P<dd>{_DAY})(?:\s+of)?[\s,]+(?P<dm>{_MONTH})[\s,]+(?P<dy>{_YEAR})
      | (?P<mm>{_MONTH})[\s,]+(?P<md>{_DAY})[\s,]+(?P<my>{_YEAR})
    )(?![\w/]|[.\-]\d)""",
    re.IGNORECASE | re.VERBOSE,
)

# Words a date of birth is written after: "born", "born on the", "DOB:", "date of birth".
BIRTH_WORDS = re.compile(
    r"(?:\bborn|\bd\.?\s?o\.?\s?b\.?|\bdate\s+of\s+birth|\bbirth\s*date|\bbirthday)"
    r"[\s:,\-–—]*(?:on\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    dates: frozenset[dt.date]


def _year(text: str) -> list[int]:
    value = int(text)
    if len(text) == 4:
        return [value]
    return [2000 + value, 1900 + value]  # "21" may be 2021 or 1921


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _month(text: str) -> int:
    return _MONTH_NAMES[text.lower()[:3]]


def _make(years: list[int], month: int, day: int) -> set[dt.date]:
    found = set()
    for year in years:
        try:
            found.add(dt.date(year, month, day))
        except ValueError:
            continue
    return found


def _candidates(m: re.Match[str]) -> set[dt.date]:
    g = m.groupdict()
    if g["iy"]:
        return _make([int(g["iy"])], int(g["im"]), int(g["id"]))
    if g["na"]:
        a, b, years = int(g["na"]), int(g["nb"]), _year(g["ny"])
        return _make(years, b, a) | _make(years, a, b)
    if g["dd"]:
        return _make(_year(g["dy"]), _month(g["dm"]), _day(g["dd"]))
    return _make(_year(g["my"]), _month(g["mm"]), _day(g["md"]))


def find_dates(text: str) -> Iterator[DateMatch]:
    """Every full date in ``text`` (a clean form) that is a real calendar date."""
    for m in DATE.finditer(text):
        dates = _candidates(m)
        if dates:
            yield DateMatch(m.start(), m.end(), frozenset(dates))


def after_birth_words(text: str, start: int) -> bool:
    """Whether the date starting at ``start`` follows "born", "DOB" or "date of birth"."""
    return BIRTH_WORDS.search(text[max(0, start - 30) : start]) is not None


# "March 2021 birth, 1st", "born in March 2021, on the 1st": the day, month and year of a
# restricted date of birth in any order within a few words of "born", "birth" or "DOB".
_BIRTH_TOKEN = re.compile(r"^(?:born|birth(?:day|date)?|dob)$", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+")
BIRTH_WINDOW = 6  # words either side of the birth word
_ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]


def _as_day(word: str) -> int | None:
    word = word.lower()
    if word in _ORDINALS:
        return _ORDINALS.index(word) + 1
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", word)
    return int(m.group(1)) if m else None


def _as_month(word: str) -> int | None:
    if re.fullmatch(_MONTH, word, re.IGNORECASE):
        return _month(word)
    return int(word) if re.fullmatch(r"\d{1,2}", word) and 1 <= int(word) <= 12 else None


def _as_year(word: str) -> set[int]:
    return set(_year(word)) if re.fullmatch(r"\d{4}|\d{2}", word) else set()


def _holds(words: list[re.Match[str]], date: dt.date) -> list[re.Match[str]] | None:
    """Three different words of ``words`` that are the day, month and year of ``date``."""
    days = [w for w in words if _as_day(w.group()) == date.day]
    months = [w for w in words if _as_month(w.group()) == date.month]
    years = [w for w in words if date.year in _as_year(w.group())]
    for d in days:
        for m in months:
            for y in years:
                if len({d.start(), m.start(), y.start()}) == 3:
                    return [d, m, y]
    return None


def birth_phrases(text: str, dates_of_birth: set[dt.date]) -> Iterator[tuple[int, int]]:
    """Spans of ``text`` (a squeezed clean form) from the first to the last word of a
    restricted date of birth written near a birth word, in any order."""
    if not dates_of_birth:
        return
    words = list(_WORD.finditer(text))
    for i, word in enumerate(words):
        if not _BIRTH_TOKEN.match(word.group()):
            continue
        near = words[max(0, i - BIRTH_WINDOW) : i + BIRTH_WINDOW + 1]
        for date in sorted(dates_of_birth):
            held = _holds(near, date)
            if held:
                yield min(w.start() for w in held), max(w.end() for w in held)
