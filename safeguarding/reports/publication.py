"""The identifying-details check a report must pass before it is published.

It reads every piece of text a reader could see (``Document.iter_text()``, kept with each version
as ``public_text``) and looks for:

- names, dates of birth, address lines and agency record numbers from the restricted identifying
  records (`CaseIdentity`) of the partnership's cases;
- dates written next to "born", "DOB" or "date of birth", whatever the date;
- UK postcodes and street addresses ("12 Acacia Avenue");
- patterns of agency record numbers (NHS numbers, police references, National Insurance numbers).

Each finding says what kind of detail it is, where it is, and the matched text *masked*: the
check must never echo a full identifying value back to a page, a log or the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from dateutil import parser as date_parser

from safeguarding.reviews.models import CaseIdentity

NAME = "Name from a child's identifying record"
DATE_OF_BIRTH = "Date of birth"
ADDRESS = "Address"
POSTCODE = "Postcode"
RECORD_NUMBER = "Agency record number"

# Name parts this short, or these common words, are not matched on their own (the full name
# still is): "Al" or "May" alone would flag ordinary text.
_MIN_NAME_PART = 3

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE = re.compile(
    rf"""\b(?:
        \d{{4}}-\d{{1,2}}-\d{{1,2}}                                   # 2019-03-14
      | \d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}                             # 14/03/2019
      | \d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+\d{{4}}          # 14 March 2019
      | (?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}          # March 14, 2019
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
_BIRTH_WORDS = re.compile(
    r"\b(?:born(?:\s+on)?|d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday)\W{0,3}$",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)\s?[0-9][A-Z]{2}\b")
_STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Court|Place|Gardens|"
    "Terrace|Grove|Hill|Square|Walk|Mews|Row|Parade|Rise|View|Green"
)
_STREET = re.compile(
    rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'\-]+\s+){{1,3}}(?:{_STREET_TYPES})\b\.?"
)
_RECORD_PATTERNS = (
    ("NHS number", re.compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b")),
    ("Police reference", re.compile(r"\b\d{2}/\d{3,7}/\d{2,4}\b")),
    (
        "National Insurance number",
        re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"),
    ),
    ("Record reference", re.compile(r"\b[A-Z]{2,5}[-/]?\d{5,}\b")),
)


@dataclass(frozen=True)
class Finding:
    """One identifying detail found: what kind, where, and the matched text masked."""

    kind: str
    where: str
    masked: str

    def message(self) -> str:
        return f"{self.kind} ({self.masked}) in {self.where}"


@dataclass
class KnownDetails:
    """The identifying details held for the cases in scope, ready to match."""

    names: list[re.Pattern[str]] = field(default_factory=list)
    dates_of_birth: set[dt.date] = field(default_factory=set)
    addresses: list[re.Pattern[str]] = field(default_factory=list)
    record_numbers: list[re.Pattern[str]] = field(default_factory=list)


def mask(text: str) -> str:
    """Each word's first character kept, every other letter or digit hidden."""
    words = []
    for word in text.split():
        words.append(word[0] + re.sub(r"[A-Za-z0-9]", "•", word[1:]))
    return " ".join(words)


def _literal(value: str, *, ignore_case: bool = True) -> re.Pattern[str]:
    pattern = r"(?<!\w)" + r"\s+".join(re.escape(part) for part in value.split()) + r"(?!\w)"
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


def known_details(identities: Iterable[CaseIdentity]) -> KnownDetails:
    """Matchers for the names, dates of birth, addresses and record numbers in `identities`."""
    known = KnownDetails()
    names: set[str] = set()
    addresses: set[str] = set()
    numbers: set[str] = set()
    for identity in identities:
        name = " ".join(identity.child_name.split())
        if name:
            names.add(name)
            # Each part of a name on its own, too ("Jayden" as well as "Jayden Smith").
            names.update(part for part in name.split() if len(part) >= _MIN_NAME_PART)
        if identity.date_of_birth:
            known.dates_of_birth.add(identity.date_of_birth)
        for line in re.split(r"[\n,]", identity.address):
            line = " ".join(line.split())
            if len(line) >= 5:
                addresses.add(line)
        for line in identity.agency_record_numbers.splitlines():
            # "Police 12/3456/22": the parts holding digits are the number itself.
            for token in line.split():
                token = token.strip(".,;:()")
                if sum(ch.isdigit() for ch in token) >= 4:
                    numbers.add(token)
    # Longest first, so "Jayden Smith" is reported rather than "Jayden" and "Smith".
    known.names = [_literal(n) for n in sorted(names, key=len, reverse=True)]
    known.addresses = [_literal(a) for a in sorted(addresses, key=len, reverse=True)]
    known.record_numbers = [_literal(n) for n in sorted(numbers, key=len, reverse=True)]
    return known


def _parse_date(text: str) -> dt.date | None:
    try:
        return date_parser.parse(text, dayfirst=True, fuzzy=False).date()
    except (ValueError, OverflowError):
        return None


def _scan(where: str, text: str, known: KnownDetails) -> list[Finding]:
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, match: re.Match[str]) -> None:
        start, end = match.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return  # already reported as part of a longer match
        taken.append((start, end))
        found.append(Finding(kind, where, mask(match.group(0))))

    for pattern in known.names:
        for match in pattern.finditer(text):
            add(NAME, match)
    for pattern in known.record_numbers:
        for match in pattern.finditer(text):
            add(RECORD_NUMBER, match)
    for match in _DATE.finditer(text):
        date = _parse_date(match.group(0))
        after_birth_words = _BIRTH_WORDS.search(text[max(0, match.start() - 20) : match.start()])
        if (date is not None and date in known.dates_of_birth) or after_birth_words:
            add(DATE_OF_BIRTH, match)
    for match in _POSTCODE.finditer(text):
        add(POSTCODE, match)
    for pattern in known.addresses:
        for match in pattern.finditer(text):
            add(ADDRESS, match)
    for match in _STREET.finditer(text):
        add(ADDRESS, match)
    for label, pattern in _RECORD_PATTERNS:
        for match in pattern.finditer(text):
            add(f"{RECORD_NUMBER} ({label})", match)
    return found


def check_text(pieces: Iterable[tuple[str, str]], known: KnownDetails) -> list[Finding]:
    """Every identifying detail in the (where, text) pieces, in reading order."""
    findings: list[Finding] = []
    for where, text in pieces:
        findings.extend(_scan(where, text, known))
    return findings


def identities_in_scope(*, partnership_id: int) -> list[CaseIdentity]:
    """The identifying records the check compares against: every case of the partnership (a
    report can mention any of them, and a wider net only makes the check stricter)."""
    return list(CaseIdentity.objects.filter(case__partnership_id=partnership_id))


def summary_of(findings: list[Finding]) -> str:
    """A short description safe for an audit row or a log: counts by kind, no values."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    return ", ".join(f"{kind}: {n}" for kind, n in counts.items())
