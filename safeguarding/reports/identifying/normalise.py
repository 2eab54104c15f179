"""Text normalised for matching, with a map back to the original text.

Two forms, both keeping where each character came from so a match can be masked from the
text the reader sees:

- ``clean``: Unicode NFKC, every format character (zero-width spaces and joiners, soft
  hyphens, direction marks: category Cf) removed, case kept. Dates, postcodes and the
  possible-name rules read this form.
- ``key``: ``clean`` case folded, accents removed, and every run of punctuation, hyphens and
  whitespace collapsed to one space. Restricted names and addresses are matched in this form,
  token by token, so "Kayleigh-Ann", "kayleigh ann" and "KAYLEIGH  ANN" are the same.

And two forms made from those (finding F4 of the second outside attack):

- ``squeeze(form)``: runs of whitespace as one, and a word spelled out a character at a time
  joined up ("O-l-i-v-e-r", "N B 1 1 A A"). Every rule reads the squeezed forms as well.
- ``Compact``: a key form with no separators at all, for postcodes and record numbers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mapped:
    """A normalised text and, for each of its characters, the span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that ``text[start:end]`` came from."""
        return self.starts[start], self.ends[end - 1]


def _clusters(text: str) -> list[tuple[int, int]]:
    """Spans of each base character with the combining marks after it."""
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if spans and unicodedata.combining(ch):
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    return spans


def clean(text: str) -> Mapped:
    """NFKC, format characters removed, case kept (see the module docstring)."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        for ch in unicodedata.normalize("NFKC", text[start:end]):
            if unicodedata.category(ch) == "Cf":
                continue
            out.append(ch)
            starts.append(start)
            ends.append(end)
    return Mapped("".join(out), tuple(starts), tuple(ends))


def fold(text: str) -> str:
    """Case folded with accents removed ("Zoë" -> "zoe"); one character may become several."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def key(text: str) -> Mapped:
    """The matching form: clean, folded, separators collapsed, one space at each end, so a
    value's key is found as a whole-token substring with ``f" {value} " in text``."""
    cleaned = clean(text)
    out: list[str] = [" "]
    starts: list[int] = [0]
    ends: list[int] = [0]
    for i, ch in enumerate(cleaned.text):
        folded = fold(ch)
        for part in folded:
            if part.isalnum():
                out.append(part)
            elif out[-1] != " ":
                out.append(" ")
            else:
                continue
            starts.append(cleaned.starts[i])
            ends.append(cleaned.ends[i])
    if out[-1] != " ":
        out.append(" ")
        starts.append(len(text))
        ends.append(len(text))
    return Mapped("".join(out), tuple(starts), tuple(ends))


def value_key(value: str) -> str:
    """The key of a restricted value, without the spaces at each end ("" if none left)."""
    return key(value).text.strip()


# A new form's characters: (text, first, last), ``text`` standing for ``text[first:last]``.
Pieces = list[tuple[str, int, int]]


def _rebuild(mapped: Mapped, pieces: Pieces) -> Mapped:
    """A new form made of ``pieces`` of ``mapped``, each still mapped to the original text."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for piece, first, last in pieces:
        for ch in piece:
            out.append(ch)
            starts.append(mapped.starts[first])
            ends.append(mapped.ends[last - 1])
    return Mapped("".join(out), tuple(starts), tuple(ends))


_WHITESPACE_RUN = re.compile(r"\s{2,}")
# Three or more single letters or digits apart by the same separator each time: one space,
# or a hyphen or dot with or without a space either side ("O-l-i-v-e-r", "N B 1 1 A A",
# "D . a . w . n"). The same separator, so "b-o-r-n 2 May" keeps its "2" apart.
_SPELLED = re.compile(
    r"(?<![^\W_])[^\W_](?P<sep>[ \t]?[.\-\u2010-\u2015][ \t]?|[ \t])[^\W_]"
    r"(?:(?P=sep)[^\W_])+(?![^\W_])"
)


def _replaced(
    mapped: Mapped, pattern: re.Pattern[str], pieces: Callable[[re.Match[str]], Pieces]
) -> Mapped:
    """``mapped`` with each match of ``pattern`` replaced by ``pieces(match)``."""
    out: Pieces = []
    at = 0
    for m in pattern.finditer(mapped.text):
        out += [(ch, i, i + 1) for i, ch in enumerate(mapped.text[at : m.start()], at)]
        out += pieces(m)
        at = m.end()
    out += [(ch, i, i + 1) for i, ch in enumerate(mapped.text[at:], at)]
    return _rebuild(mapped, out)


def _one_space(m: re.Match[str]) -> Pieces:
    return [("\n" if "\n" in m.group() else " ", m.start(), m.end())]


def _letters_only(m: re.Match[str]) -> Pieces:
    return [(ch, i, i + 1) for i, ch in enumerate(m.group(), m.start()) if ch.isalnum()]


def squeeze(mapped: Mapped) -> Mapped:
    """A form with every run of whitespace as one space (a newline if it held one) and every
    word spelled out a character at a time joined up: "NB1  1AA" -> "NB1 1AA",
    "O-l-i-v-e-r" -> "Oliver", "N B 1 1 A A" -> "NB11AA". Works on ``clean`` and ``key``
    forms alike; the map still leads back to the original text."""
    return _replaced(_replaced(mapped, _WHITESPACE_RUN, _one_space), _SPELLED, _letters_only)


@dataclass(frozen=True)
class Compact:
    """A key form with every separator removed, and where its tokens start and end: a
    postcode or record number is found however it is split ("NB1  1AA", "N B 1 1 A A",
    "nb-11aa"), but only from the start of a token to the end of one."""

    text: str
    token_starts: frozenset[int]
    token_ends: frozenset[int]
    keyed: Mapped
    positions: tuple[int, ...]  # index in ``keyed.text`` of each character of ``text``

    @classmethod
    def of(cls, keyed: Mapped) -> Compact:
        positions = tuple(i for i, ch in enumerate(keyed.text) if ch != " ")
        starts = {n for n, i in enumerate(positions) if keyed.text[i - 1] == " "}
        ends = {n for n, i in enumerate(positions) if keyed.text[i + 1] == " "}
        text = "".join(keyed.text[i] for i in positions)
        return cls(text, frozenset(starts), frozenset(ends), keyed, positions)

    def spans(self, value: str) -> list[tuple[int, int]]:
        """Spans of the original text where ``value`` (no separators) stands."""
        found = []
        start = self.text.find(value) if value else -1
        while start != -1:
            end = start + len(value)
            if start in self.token_starts and end - 1 in self.token_ends:
                first, last = self.positions[start], self.positions[end - 1]
                found.append(self.keyed.original_span(first, last + 1))
            start = self.text.find(value, start + 1)
        return found


def compact_value(value: str) -> str:
    """A restricted value with every separator removed ("NB1 1AA" -> "nb11aa")."""
    return value_key(value).replace(" ", "")
