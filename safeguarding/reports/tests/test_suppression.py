"""Small-number suppression: counts from 1 to the threshold (inclusive) are withheld, and
nothing withheld can be worked out from the totals a published table shows."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguarding.reports.document import Suppressed
from safeguarding.reports.suppression import (
    percent,
    published_threshold,
    suppress_counts,
    suppress_table,
    suppress_value,
    threshold_statement,
)


def _hidden(value: object) -> bool:
    return isinstance(value, Suppressed)


def test_a_small_count_in_a_row_with_its_total_takes_a_second_cell_with_it():
    cells, total = suppress_counts([2, 5, 4], threshold=3)
    assert [_hidden(c) for c in cells] == [True, False, True]  # 2; then 4, the smallest other
    assert total == 11
    assert cells[1] == 5


def test_two_small_counts_in_a_row_protect_each_other():
    cells, total = suppress_counts([2, 5, 4, 1], threshold=3)
    assert [_hidden(c) for c in cells] == [True, False, False, True]
    assert total == 12


def test_with_no_small_count_nothing_is_withheld():
    assert suppress_counts([4, 5, 0], threshold=3) == ([4, 5, 0], 9)


def test_a_count_equal_to_the_threshold_is_withheld():
    """Counts from 1 to the threshold inclusive are [c]: at the default of 5, a 5 is withheld.
    The earlier tests only used counts strictly below the threshold, so they could not see
    that a count equal to it was shown (the old rule was 1 to threshold - 1)."""
    assert _hidden(suppress_value(5, threshold=5))
    assert suppress_value(6, threshold=5) == 6
    cells, total = suppress_counts([3, 5, 4], threshold=3)
    assert [_hidden(c) for c in cells] == [True, False, True]  # 3; then 4, the smallest other
    assert total == 12


def test_only_threshold_zero_turns_suppression_off_and_published_output_never_has_it():
    """A threshold of 1 used to turn suppression off as 0 did; now 1 withholds counts of 1, and
    a published version never applies less than 1, whatever is stored."""
    assert suppress_counts([1, 2], threshold=0) == ([1, 2], 3)
    cells, total = suppress_counts([1, 2], threshold=1)
    assert all(_hidden(c) for c in cells) and total == 3
    assert published_threshold(0) == 1
    assert published_threshold(None) == 1
    assert published_threshold(5) == 5


def test_the_statement_names_the_threshold_applied():
    assert threshold_statement(5).startswith("Counts from 1 to 5 are shown as [c]")
    assert threshold_statement(1).startswith("A count of 1 is shown as [c]")


def test_a_small_total_is_withheld_too():
    cells, total = suppress_counts([1, 0, 0], threshold=3)
    assert _hidden(cells[0]) and _hidden(total)


def test_a_single_count_on_its_own_and_percentages_of_withheld_counts():
    assert _hidden(suppress_value(2, threshold=3))
    assert _hidden(suppress_value(3, threshold=3))
    assert suppress_value(4, threshold=3) == 4
    assert suppress_value(0, threshold=3) == 0
    assert _hidden(percent(Suppressed(), 10))
    assert _hidden(percent(4, Suppressed()))
    assert percent(1, 4) == "25%"


def _lines(n_rows: int, n_cols: int, row_totals: bool, column_totals: bool) -> list:
    """The equations a reader has: each line of the extended grid adds up to its last entry."""
    height = n_rows + (1 if column_totals else 0)
    width = n_cols + (1 if row_totals else 0)
    lines = []
    if row_totals:
        lines += [[(i, j) for j in range(width)] for i in range(height)]
    if column_totals:
        lines += [[(i, j) for i in range(height)] for j in range(width)]
    return lines


def _extended(result, row_totals: bool, column_totals: bool) -> list[list]:
    ext = [list(r) for r in result.cells]
    if row_totals:
        for i, total in enumerate(result.row_totals):
            ext[i].append(total)
    if column_totals:
        ext.append(list(result.column_totals) + ([result.grand_total] if row_totals else []))
    return ext


def _values_a_reader_could_infer(shown, lines, true_ext, bound):
    """For each withheld position, the values it can take in some table of non-negative
    counts that agrees with everything shown (search, stopped once each has two)."""
    unknown = [(i, j) for i, row in enumerate(shown) for j, v in enumerate(row) if _hidden(v)]
    possible: dict = {pos: set() for pos in unknown}
    trial = [[None if _hidden(v) else v for v in row] for row in shown]

    def consistent() -> bool:
        for line in lines:
            values = [trial[i][j] for i, j in line]
            *cells, total = values
            if None in values:
                known = [v for v in cells if v is not None]
                if total is not None and sum(known) > total:
                    return False
                continue
            if sum(cells) != total:
                return False
        return True

    def search(k: int) -> bool:
        if all(len(v) >= 2 for v in possible.values()):
            return True
        if k == len(unknown):
            for pos in unknown:
                possible[pos].add(trial[pos[0]][pos[1]])
            return False
        i, j = unknown[k]
        for value in range(bound + 1):
            trial[i][j] = value
            if consistent() and search(k + 1):
                return True
        trial[i][j] = None
        return False

    search(0)
    return possible


grids = st.integers(1, 2).flatmap(
    lambda rows: st.integers(1, 3).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 4), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=150, deadline=None)
@given(
    grid=grids,
    threshold=st.integers(0, 4),
    row_totals=st.booleans(),
    column_totals=st.booleans(),
)
def test_no_withheld_value_can_be_worked_out_from_the_totals_shown(
    grid, threshold, row_totals, column_totals
):
    result = suppress_table(
        grid, threshold=threshold, row_totals=row_totals, column_totals=column_totals
    )
    shown = _extended(result, row_totals, column_totals)
    true_ext = [list(r) + ([sum(r)] if row_totals else []) for r in grid]
    if column_totals:
        true_ext.append(
            [sum(true_ext[i][j] for i in range(len(grid))) for j in range(len(true_ext[0]))]
        )

    for true_row, shown_row in zip(true_ext, shown, strict=True):
        for true, seen in zip(true_row, shown_row, strict=True):
            if 0 < true <= threshold:
                assert _hidden(seen), "every small count is withheld"
            if not _hidden(seen):
                assert seen == true, "what is shown is the true count"

    lines = _lines(len(grid), len(grid[0]), row_totals, column_totals)
    for line in lines:
        assert sum(_hidden(shown[i][j]) for i, j in line) != 1, "a line with one unknown"
    bound = 2 * sum(map(sum, grid)) + 2
    for pos, values in _values_a_reader_could_infer(shown, lines, true_ext, bound).items():
        assert len(values) >= 2, f"the value at {pos} can be worked out"


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(0, 30), min_size=1, max_size=8), threshold=st.integers(1, 10))
def test_a_row_with_its_total_never_has_exactly_one_unknown(values, threshold):
    cells, total = suppress_counts(values, threshold=threshold)
    hidden = sum(_hidden(c) for c in cells) + _hidden(total)
    assert hidden != 1
    assert all(_hidden(c) for c, v in zip(cells, values, strict=True) if 0 < v <= threshold)
    # The complement: counts at or over the threshold are withheld only when needed, so at
    # most one cell beyond the small ones is taken (per row, its total counted as a cell).
    small = sum(1 for v in values if 0 < v <= threshold) + (0 < sum(values) <= threshold)
    assert hidden <= max(small + 1, 0) if small else hidden == 0
