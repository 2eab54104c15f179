"""Which ages a partnership's age bands leave out.

A known age that no band covers is counted as "Outside the partnership's bands" in every figure
by age band (`safeguarding.reviews.models.age_band_label`); the settings page warns about such
ages before they turn up in a report. Bands are read by their ages, never their labels.
"""

from __future__ import annotations

from collections.abc import Iterable


def uncovered_ages(bands: Iterable[tuple[int, int | None]]) -> list[tuple[int, int | None]]:
    """The runs of ages (from, to; to None for "and over") that no band `(min, max)` covers,
    youngest first. Every age from 0 up is checked: without an open top band (max None),
    the ages above the oldest band are uncovered."""
    gaps: list[tuple[int, int | None]] = []
    next_age = 0  # the youngest age not yet known to be covered
    for low, high in sorted(bands, key=lambda band: band[0]):
        if low > next_age:
            gaps.append((next_age, low - 1))
        if high is None:
            return gaps
        next_age = max(next_age, high + 1)
    gaps.append((next_age, None))
    return gaps


def describe_ages(low: int, high: int | None) -> str:
    """'age 12', 'ages 12 to 13', 'ages 18 and over'."""
    if high is None:
        return f"ages {low} and over"
    if high == low:
        return f"age {low}"
    return f"ages {low} to {high}"


def uncovered_ages_text(bands: Iterable[tuple[int, int | None]]) -> list[str]:
    """`uncovered_ages` in words, for the settings page's warning."""
    return [describe_ages(low, high) for low, high in uncovered_ages(bands)]
