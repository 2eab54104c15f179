"""The identifying-details check a report must pass before it is published.

It reads every piece of text a reader could see (``Document.iter_text()``, kept with each version
as ``public_text``; text copied from a record names that record and field) and looks for:

- names, dates of birth, address lines and agency record numbers from the restricted identifying
  records (`CaseIdentity`) of the partnership's cases, however they are written: text and values
  are normalised first (``identifying/normalise.py``: NFKC, zero-width and other format
  characters removed, case folded, punctuation, hyphens and spaces collapsed), so
  "Kayleigh-Ann", "kayleigh ann" and "KayleighAnn" are one name and "CS-778812", "cs 778 812"
  and "CS778812" one number; runs of whitespace count as one and a word spelled out a
  character at a time is joined up ("O-l-i-v-e-r", "N B 1 1 A A"), and postcodes and record
  numbers are also matched with every separator removed;
- full dates in every common written form (``identifying/dates.py``) that are a restricted date
  of birth, any full date written after "born", "DOB" or "date of birth", and the day, month
  and year of a restricted date of birth in any order within a few words of "born", "birth"
  or "DOB" ("March 2021 birth, 1st");
- UK postcodes (in any case) and street addresses ("12 Acacia Avenue"), and a restricted street
  name with or without its number or town;
- patterns of agency record numbers (NHS numbers, police references, National Insurance numbers);
- possible personal names in no restricted record (``identifying/names.py``): a title and a
  name, a given name and a surname, a given name that is not a common word.

Every finding blocks publication, possible names too: a false alarm costs the business unit a
rewording ("the nursery worker" for "Dawn"; a published review names no practitioner either),
while a name that gets through is published for good.

Each finding says what kind of detail it is, where it is, and the matched text *masked*: the
check must never echo a full identifying value back to a page, a log or the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from safeguarding.reports.identifying import dates, names
from safeguarding.reports.identifying.normalise import (
    Compact,
    clean,
    compact_value,
    key,
    squeeze,
    value_key,
)
from safeguarding.reviews.models import CaseIdentity

NAME = "Name from a child's identifying record"
DATE_OF_BIRTH = "Date of birth"
ADDRESS = "Address"
POSTCODE = "Postcode"
RECORD_NUMBER = "Agency record number"
POSSIBLE_NAME = "Possible personal name"

# Name parts this short are not matched on their own (the full name still is): "Al" alone
# would flag ordinary text. A part that is a common word ("Will", "Rose") is matched on its
# own only where it is capitalised in the middle of a sentence.
_MIN_NAME_PART = 3
# Address lines (and street names without their number) shorter than this are not matched.
_MIN_ADDRESS = 5

_POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)\s?(?!1st|2nd|3rd|\dth)[0-9][A-Z]{2}\b", re.IGNORECASE
)
_STREET_TYPES = (
    "Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Crescent|Court|Place|Gardens|"
    "Terrace|Grove|Hill|Square|Walk|Mews|Row|Parade|Rise|View|Green"
)
_STREET = re.compile(
    rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][A-Za-z'\-]+\s+){{1,3}}(?:{_STREET_TYPES})\b\.?"
)
# The same street type written out or short, for restricted address lines ("Rd" for "Road").
_STREET_SHORT = {
    "street": "st",
    "road": "rd",
    "avenue": "ave",
    "lane": "ln",
    "drive": "dr",
    "close": "cl",
    "crescent": "cres",
    "court": "ct",
    "place": "pl",
    "gardens": "gdns",
    "terrace": "ter",
    "square": "sq",
    "grove": "gr",
}
_RECORD_PATTERNS = (
    ("NHS number", re.compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b")),
    ("Police reference", re.compile(r"\b\d{2}/\d{3,7}/\d{2,4}\b")),
    (
        "National Insurance number",
        re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE),
    ),
    ("Record reference", re.compile(r"\b[A-Z]{2,5}[-/]?\d{5,}\b")),
)
# Between two characters of a record number: nothing, or one space, dot, slash or dash.
_NUMBER_GAP = r"[\s./\-\u2010-\u2015]?"


@dataclass(frozen=True)
class Finding:
    """One identifying detail found: what kind, where, and the matched text masked."""

    kind: str
    where: str
    masked: str

    def message(self) -> str:
        return f"{self.kind} ({self.masked}) in {self.where}"


@dataclass(frozen=True)
class NamePart:
    """A restricted name or a part of one, in the matching (key) form."""

    key: str
    common_word: bool = False  # matched only capitalised, in the middle of a sentence


@dataclass
class KnownDetails:
    """The identifying details held for the cases in scope, ready to match."""

    names: list[NamePart] = field(default_factory=list)
    dates_of_birth: set[dt.date] = field(default_factory=set)
    # Address lines and street names in the key form, longest first; each with the other
    # lines of its address (the town after a street is reported with it).
    addresses: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    record_numbers: list[re.Pattern[str]] = field(default_factory=list)
    # Postcodes and record numbers with every separator removed ("nb11aa", "cs778812").
    compact_postcodes: list[str] = field(default_factory=list)
    compact_numbers: list[str] = field(default_factory=list)
    # Text that is never a personal name: the cases' pseudonyms, agency and theme names.
    safe_phrases: list[str] = field(default_factory=list)


def mask(text: str) -> str:
    """Each word's first character kept, every other letter or digit hidden. A word of one
    character after the first is hidden too: "N B 1 1 A A" (spelled out) -> "N • • • • •"."""
    words = []
    for i, word in enumerate(text.split()):
        keep = 1 if i == 0 or len(re.sub(r"\W", "", word)) > 1 else 0
        words.append(word[:keep] + re.sub(r"[^\W_]", "•", word[keep:]))
    return " ".join(words)


def _name_keys(name: str) -> set[str]:
    """A name as written, with its hyphens as spaces, joined up, and all of it joined up:
    "Kayleigh-Ann Brooks" -> "kayleigh ann brooks", "kayleighann brooks", "kayleighannbrooks"."""
    spaced = value_key(name)
    joined = " ".join(value_key(word).replace(" ", "") for word in name.split())
    return {k for k in (spaced, joined, spaced.replace(" ", "")) if k}


def _name_parts(name: str) -> set[NamePart]:
    parts: set[NamePart] = {NamePart(k) for k in _name_keys(name)}
    for word in name.split():
        # The word as written ("brooks okafor"), joined up ("brooksokafor") and each part.
        pieces = [value_key(word), value_key(word).replace(" ", ""), *value_key(word).split()]
        for piece in pieces:
            if len(piece) >= _MIN_NAME_PART:
                parts.add(NamePart(piece, common_word=piece in names.common_words()))
    return parts


def _address_keys(address: str) -> list[tuple[str, tuple[str, ...]]]:
    lines = [value_key(line) for line in re.split(r"[\n,;]", address)]
    lines = [line for line in lines if len(line) >= _MIN_ADDRESS]
    found: list[tuple[str, tuple[str, ...]]] = []
    for line in lines:
        others = tuple(other for other in lines if other != line)
        variants = {line}
        # The street without its number ("14 larch road" -> "larch road"), and "rd" for "road".
        words = line.split()
        while words and any(ch.isdigit() for ch in words[0]):
            words = words[1:]
        if len(words) >= 2 and len(" ".join(words)) >= _MIN_ADDRESS:
            variants.add(" ".join(words))
        for variant in list(variants):
            *rest, last = variant.split()
            if rest and last in _STREET_SHORT:
                variants.add(" ".join([*rest, _STREET_SHORT[last]]))
            short = {v: k for k, v in _STREET_SHORT.items()}
            if rest and last in short:
                variants.add(" ".join([*rest, short[last]]))
        found += [(variant, others) for variant in variants]
    return found


def _number_pattern(token: str) -> re.Pattern[str] | None:
    """A record number matched with or without spaces, hyphens, dots or slashes inside it."""
    compact = value_key(token).replace(" ", "")
    if len(compact) < 5 or sum(ch.isdigit() for ch in compact) < 4:
        return None
    body = _NUMBER_GAP.join(re.escape(ch) for ch in compact)
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])", re.IGNORECASE)


def _record_numbers(text: str) -> set[str]:
    """The numbers in an identity's record-number lines: "Police 12/3456/22" -> "12/3456/22"
    (words without a digit are labels), "NHS 943 476 5919" -> "943 476 5919"."""
    numbers: set[str] = set()
    for line in text.splitlines():
        tokens = [t.strip(".,;:()") for t in line.split()]
        run: list[str] = []
        for token in [*tokens, ""]:
            if any(ch.isdigit() for ch in token):
                run.append(token)
                continue
            if run:
                numbers.add(" ".join(run))
                numbers.update(run)
            run = []
    return numbers


def known_details(
    identities: Iterable[CaseIdentity], *, safe_phrases: Iterable[str] = ()
) -> KnownDetails:
    """Matchers for the names, dates of birth, addresses and record numbers in `identities`.
    ``safe_phrases`` are never reported as possible names (pseudonyms, agency names)."""
    known = KnownDetails()
    parts: set[NamePart] = set()
    addresses: set[tuple[str, tuple[str, ...]]] = set()
    patterns: dict[str, re.Pattern[str]] = {}
    postcodes: set[str] = set()
    numbers: set[str] = set()
    for identity in identities:
        if identity.child_name.strip():
            parts |= _name_parts(identity.child_name)
        if identity.date_of_birth:
            known.dates_of_birth.add(identity.date_of_birth)
        addresses.update(_address_keys(identity.address))
        postcodes.update(
            compact_value(m.group()) for m in _POSTCODE.finditer(clean(identity.address).text)
        )
        for number in _record_numbers(identity.agency_record_numbers):
            pattern = _number_pattern(number)
            if pattern is not None:
                patterns[pattern.pattern] = pattern
                numbers.add(compact_value(number))
    # Longest first, so "Jayden Okafor" is reported rather than "Jayden" and "Okafor".
    known.names = sorted(parts, key=lambda p: (-len(p.key), p.key))
    known.addresses = sorted(addresses, key=lambda a: (-len(a[0]), a[0]))
    known.record_numbers = sorted(patterns.values(), key=lambda p: -len(p.pattern))
    known.compact_postcodes = sorted(postcodes, key=lambda p: (-len(p), p))
    known.compact_numbers = sorted(numbers, key=lambda n: (-len(n), n))
    known.safe_phrases = sorted({" ".join(p.split()) for p in safe_phrases if p.strip()})
    return known


def _key_spans(text_key: str, value: str) -> list[tuple[int, int]]:
    """Where ``value`` (a key) stands as whole tokens in ``text_key``."""
    spans, needle = [], f" {value} "
    start = text_key.find(needle)
    while start != -1:
        spans.append((start + 1, start + 1 + len(value)))
        start = text_key.find(needle, start + 1)
    return spans


def _mid_sentence_capital(text: str, start: int) -> bool:
    if not text[start : start + 1].isupper():
        return False
    return re.search(r"(?:^|[.!?:;|•\n])\s*$", text[:start]) is None


def _scan(where: str, text: str, known: KnownDetails) -> list[Finding]:
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []
    # Every rule reads the squeezed forms: whitespace runs as one, a word spelled out a
    # character at a time joined up ("O-l-i-v-e-r"). Names and addresses are matched in the
    # key form both as it is and squeezed; postcodes and numbers also with no separators.
    cleaned, keyed = squeeze(clean(text)), key(text)
    keyed_forms = [keyed, squeezed] if (squeezed := squeeze(keyed)).text != keyed.text else [keyed]
    compact = Compact.of(keyed)

    def add(kind: str, start: int, end: int) -> None:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            return  # already reported as part of a longer match
        taken.append((start, end))
        found.append(Finding(kind, where, mask(text[start:end])))

    def add_clean(kind: str, start: int, end: int) -> None:
        add(kind, *cleaned.original_span(start, end))

    for part in known.names:
        for form in keyed_forms:
            for start, end in _key_spans(form.text, part.key):
                first = form.original_span(start, end)[0]
                if not part.common_word or _mid_sentence_capital(text, first):
                    add(NAME, *form.original_span(start, end))
    for pattern in known.record_numbers:
        for match in pattern.finditer(cleaned.text):
            add_clean(RECORD_NUMBER, *match.span())
    for number in known.compact_numbers:
        for span in compact.spans(number):
            add(RECORD_NUMBER, *span)
    for date in dates.find_dates(cleaned.text):
        if date.dates & known.dates_of_birth or dates.after_birth_words(cleaned.text, date.start):
            add_clean(DATE_OF_BIRTH, date.start, date.end)
    for start, end in dates.birth_phrases(cleaned.text, known.dates_of_birth):
        add_clean(DATE_OF_BIRTH, start, end)
    for postcode in known.compact_postcodes:
        for span in compact.spans(postcode):
            add(POSTCODE, *span)
    for match in _POSTCODE.finditer(cleaned.text):
        add_clean(POSTCODE, *match.span())
    for line, others in known.addresses:
        for form in keyed_forms:
            for start, end in _key_spans(form.text, line):
                # The town (or another line) after a street is part of the same address.
                for other in others:
                    if form.text.startswith(f" {other} ", end):
                        end += 1 + len(other)
                        break
                add(ADDRESS, *form.original_span(start, end))
    for match in _STREET.finditer(cleaned.text):
        add_clean(ADDRESS, *match.span())
    for label, pattern in _RECORD_PATTERNS:
        for match in pattern.finditer(cleaned.text):
            add_clean(f"{RECORD_NUMBER} ({label})", *match.span())
    safe_spans = [
        m.span()
        for phrase in known.safe_phrases
        for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", cleaned.text, re.IGNORECASE)
    ]
    for hit in names.possible_names(cleaned.text):
        if not any(s <= hit.start and hit.end <= e for s, e in safe_spans):
            add_clean(POSSIBLE_NAME, hit.start, hit.end)
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


def safe_phrases_in_scope(*, partnership_id: int) -> list[str]:
    """Text of the partnership's own records that is never a personal name: the cases'
    pseudonyms ("Child P"), the partnership's, agencies' and themes' names. A restricted
    value inside one is still found; only the possible-name rule skips them."""
    from safeguarding.accounts.models import Agency, Partnership
    from safeguarding.learning.models import Theme
    from safeguarding.reviews.models import Case

    phrases = list(
        Case.objects.filter(partnership_id=partnership_id).values_list("reference", flat=True)
    )
    for agency in Agency.objects.filter(partnership_id=partnership_id):
        phrases += [agency.name, agency.short_name]
    phrases += list(Partnership.objects.filter(pk=partnership_id).values_list("name", flat=True))
    phrases += list(
        Theme.objects.filter(partnership_id=partnership_id).values_list("name", flat=True)
    )
    return [p for p in phrases if p]


def known_details_in_scope(*, partnership_id: int) -> KnownDetails:
    """What the check compares a partnership's report against."""
    return known_details(
        identities_in_scope(partnership_id=partnership_id),
        safe_phrases=safe_phrases_in_scope(partnership_id=partnership_id),
    )


def summary_of(findings: list[Finding]) -> str:
    """A short description safe for an audit row or a log: counts by kind, no values."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    return ", ".join(f"{kind}: {n}" for kind, n in counts.items())
