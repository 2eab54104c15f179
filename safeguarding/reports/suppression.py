"""Small-number suppression for published versions of reports. Pure functions.

A published table shows each count from 1 to the partnership's threshold, inclusive, as
suppressed (primary suppression), and then suppresses further cells so that no suppressed value
can be worked out from the totals shown (secondary suppression).

The rule that makes a table safe: a row with its total is one equation (cells add up to the
total). An equation with exactly one unknown gives that unknown away. So every line of the
table that is tied to a shown total must have no suppressed entry or at least two, counting
the total itself. Totals are treated as entries of an extended grid: each row ends with its
total, a totals row closes each column, and the grand total sits in the corner, so the
totals column and the totals row are lines too.

Zero is not suppressed (it names nobody); a count from 1 to the threshold is. The threshold is
the partnership's setting (default 5: the usual "fewer than five individuals" rule of official
statistics about children); a published version never uses less than 1
(:func:`published_threshold`), so suppression cannot be turned off for published output. A
threshold of 0 means no suppression, which only the functions' own tests and drafts use.

Single cells are not all. A public copy also applies the group rule to every breakdown
(:func:`suppress_breakdown`): a breakdown whose total is small is withheld whole, zeros
included, and zeros beside a lone withheld cell are withheld too; an average or percentage over
a withheld count is withheld (:func:`suppress_statistic`); and a public copy covers at least
three months (:func:`public_period_too_short`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from safeguarding.reports.document import Suppressed

SUPPRESSED = Suppressed()

Value = int | Suppressed


# The least threshold a published version applies, whatever is stored.
MIN_PUBLISHED_THRESHOLD = 1


def is_small(value: int, threshold: int) -> bool:
    """True for a count that a published version must not show: 1 to `threshold` inclusive."""
    return 0 < value <= threshold


def published_threshold(stored: int | None) -> int:
    """The threshold a published version applies: the partnership's, never below 1."""
    return max(MIN_PUBLISHED_THRESHOLD, int(stored or 0))


def threshold_statement(threshold: int) -> str:
    """The sentence every public copy carries, saying which threshold it applied."""
    counts = "A count of 1 is" if threshold == 1 else f"Counts from 1 to {threshold} are"
    return (
        f"{counts} shown as [c], as is any figure from which one could be worked out "
        "(small-number suppression); 0 is shown."
    )


@dataclass(frozen=True)
class SuppressedTable:
    """A grid after suppression: ``cells[i][j]``, ``row_totals[i]``, ``column_totals[j]`` and
    the ``grand_total`` (totals are ``None`` where the table does not show them)."""

    cells: tuple[tuple[Value, ...], ...]
    row_totals: tuple[Value, ...] | None
    column_totals: tuple[Value, ...] | None
    grand_total: Value | None


def suppress_table(
    grid: Sequence[Sequence[int]],
    *,
    threshold: int,
    row_totals: bool = True,
    column_totals: bool = True,
    breakdowns: bool = False,
) -> SuppressedTable:
    """Suppress a grid of counts shown with (optionally) row and column totals.

    With both kinds of totals the grand total is shown too. Secondary cells are chosen
    smallest first, cells before totals, so as little as possible is hidden.

    With ``breakdowns`` (every public copy: see :func:`suppress_breakdown`), each row, and each
    column that has a total, is also read as a breakdown of one group, and the group rule
    applies to it: a line whose total is small is withheld whole, zeros included; and a line
    with a withheld entry where every other category is 0 has its zeros withheld too.
    """
    rows = [list(r) for r in grid]
    if not rows:
        both = row_totals and column_totals
        return SuppressedTable(
            (), () if row_totals else None, () if column_totals else None, 0 if both else None
        )
    n_rows = len(rows)
    n_cols = len(rows[0]) if rows else 0
    if any(len(r) != n_cols for r in rows):
        raise ValueError("every row needs the same number of cells")
    # The extended grid: cells, then a totals column and/or a totals row.
    ext = [list(r) + ([sum(r)] if row_totals else []) for r in rows]
    if column_totals:
        ext.append(
            [sum(ext[i][j] for i in range(n_rows)) for j in range(len(ext[0]) if ext else 0)]
        )
    height = len(ext)
    width = len(ext[0]) if ext else 0
    hidden = [[is_small(v, threshold) for v in row] for row in ext]

    # Each line: its positions, and which of them is its total (-1: none).
    lines: list[list[tuple[int, int]]] = []
    if row_totals:
        lines += [[(i, j) for j in range(width)] for i in range(height)]
    if column_totals:
        lines += [[(i, j) for i in range(height)] for j in range(width)]

    def is_total(pos: tuple[int, int]) -> bool:
        return (row_totals and pos[1] == n_cols) or (column_totals and pos[0] == n_rows)

    # The group rule's lines: rows always (each row is one group's breakdown), columns when
    # they have a total; each with its total's position (None: no total shown).
    groups: list[tuple[list[tuple[int, int]], tuple[int, int] | None]] = []
    if breakdowns:
        groups += [
            ([(i, j) for j in range(n_cols)], (i, n_cols) if row_totals else None)
            for i in range(height)
        ]
        if column_totals:
            groups += [([(i, j) for i in range(n_rows)], (n_rows, j)) for j in range(width)]

    def group_rule() -> bool:
        grew = False
        for cells_at, total_at in groups:
            total_small = is_small(sum(ext[i][j] for i, j in cells_at), threshold)
            withheld = [hidden[i][j] for i, j in cells_at]
            # Categories a reader cannot rule out: withheld, or shown as more than 0.
            open_ = sum(1 for (i, j), h in zip(cells_at, withheld, strict=True) if h or ext[i][j])
            if total_small or (any(withheld) and open_ <= 1):
                for i, j in [*cells_at, *([total_at] if total_at else [])]:
                    if not hidden[i][j]:
                        hidden[i][j] = True
                        grew = True
        # A line whose shown total equals its shown cells pins every withheld entry to 0 (the
        # zeros the rule above withheld would be given back): its total is withheld too.
        for line in lines if groups else []:
            *entries, (ti, tj) = line
            if hidden[ti][tj] or not any(hidden[i][j] for i, j in entries):
                continue
            if ext[ti][tj] == sum(ext[i][j] for i, j in entries if not hidden[i][j]):
                hidden[ti][tj] = True
                grew = True
        return grew

    changed = threshold >= 1
    while changed:
        changed = group_rule() if threshold >= 1 else False
        for line in lines:
            if sum(hidden[i][j] for i, j in line) != 1:
                continue
            shown = [p for p in line if not hidden[p[0]][p[1]]]
            if not shown:
                continue

            def preference(pos: tuple[int, int]) -> tuple[int, int, int]:
                value = ext[pos[0]][pos[1]]
                # Cells before totals; positive before zero (a hidden zero beside a hidden
                # small count can still be pinned down by the fact counts are not negative);
                # then the smallest, to hide as little as possible.
                return (int(is_total(pos)), int(value == 0), value)

            i, j = min(shown, key=preference)
            hidden[i][j] = True
            changed = True

    def out(i: int, j: int) -> Value:
        return SUPPRESSED if hidden[i][j] else ext[i][j]

    cells = tuple(tuple(out(i, j) for j in range(n_cols)) for i in range(n_rows))
    return SuppressedTable(
        cells=cells,
        row_totals=tuple(out(i, n_cols) for i in range(n_rows)) if row_totals else None,
        column_totals=tuple(out(n_rows, j) for j in range(n_cols)) if column_totals else None,
        grand_total=out(n_rows, n_cols) if row_totals and column_totals else None,
    )


def suppress_counts(
    values: Sequence[int], *, threshold: int, total_shown: bool = True
) -> tuple[list[Value], Value | None]:
    """Suppress one list of counts (e.g. reviews by age band) shown with its total.

    Returns the cells and the total (``None`` when the total is not shown)."""
    if not values:
        return [], (0 if total_shown else None)
    table = suppress_table(
        [list(values)], threshold=threshold, row_totals=total_shown, column_totals=False
    )
    total = table.row_totals[0] if table.row_totals is not None else None
    return list(table.cells[0]), total


def suppress_breakdown(
    values: Sequence[int], *, threshold: int, total_shown: bool = True
) -> tuple[list[Value], Value | None]:
    """Suppress a breakdown of one group (reviews by age band, escalations by outcome) for a
    public copy: as :func:`suppress_counts`, and then the group rule.

    Single cells are not enough. "[c] aged under 1" beside 0 in every other band says that
    every child reviewed was a baby, and with the total withheld that may be one child. So a
    breakdown whose total is small (1 to the threshold) is withheld whole, zeros included,
    and a breakdown that would show every category but one as 0 next to a withheld cell has
    its zeros withheld too.
    """
    if not values:
        return [], (0 if total_shown else None)
    table = suppress_table(
        [list(values)],
        threshold=threshold,
        row_totals=total_shown,
        column_totals=False,
        breakdowns=True,
    )
    total = table.row_totals[0] if table.row_totals is not None else None
    return list(table.cells[0]), total


def suppress_statistic(
    value: float | int | None, *, over: int | Value, threshold: int
) -> float | int | Suppressed | None:
    """An average, median or percentage computed over ``over`` items: suppressed when that
    count is (1 to the threshold, or already withheld); a figure of few cases describes them."""
    if isinstance(over, Suppressed) or is_small(over, threshold):
        return SUPPRESSED
    return value


# A public copy covers at least this many months: a day's or a fortnight's figures describe
# the few children reviewed in it, however the counts are suppressed.
MIN_PUBLIC_PERIOD_MONTHS = 3


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def public_period_too_short(start: dt.date, end: dt.date) -> bool:
    """True when a period (dates inclusive) is shorter than three months: 1 January to
    31 March is long enough, 1 January to 30 March is not."""
    return end + dt.timedelta(days=1) < _add_months(start, MIN_PUBLIC_PERIOD_MONTHS)


SHORT_PERIOD_MESSAGE = (
    "This version cannot be published: its period is shorter than three months. A public "
    "copy of a shorter period could describe the few children reviewed in it. Issue a "
    "version for a period of three months or more."
)


def suppress_columns(
    values: Sequence[int], *, threshold: int, total_shown: bool = True
) -> tuple[list[Value], Value | None]:
    """The same as :func:`suppress_counts` for a single column of a table."""
    return suppress_counts(values, threshold=threshold, total_shown=total_shown)


def percent(part: Value, whole: Value, *, places: int = 0) -> str | Suppressed:
    """A percentage for a table cell; suppressed when the count or its base is suppressed
    (a percentage of a known base would give the count away)."""
    if isinstance(part, Suppressed) or isinstance(whole, Suppressed):
        return SUPPRESSED
    if not whole:
        return "–"
    return f"{100 * part / whole:.{places}f}%"


def suppress_value(value: int, *, threshold: int) -> Value:
    """A single count shown on its own (no total beside it)."""
    return SUPPRESSED if is_small(value, threshold) else value
