"""Text normalised for matching, with a map back to the original text.

Two forms, both keeping where each character came from so a match can be masked from the
text the reader sees:

- ``clean``: Unicode NFKC, every format character (zero-width spaces and joiners, soft
  hyphens, direction marks: category Cf) removed, case kept. Dates, postcodes and the
  possible-name rules read this form.
- ``key``: ``clean`` case folded, accents removed, and every run of punctuation, hyphens and
  whitespace collapsed to one space. Restricted names and addresses are matched in this form,
  token by token, so "Kayleigh-Ann", "kayleigh ann" and "KAYLEIGH  ANN" are the same.
"""

from __future__ import annotations

import unicodedata
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
