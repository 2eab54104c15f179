"""CSV and XLSX files of the analysis and its matrix. Every text cell is neutralised so that a
spreadsheet never runs it as a formula."""

from __future__ import annotations

from typing import Any

from safeguarding.core.exports import FORMULA_STARTS as FORMULA_STARTS
from safeguarding.core.exports import neutralise as safe_cell


def _n(value: int, upto: int) -> Any:
    """A count, or "[c]" for a count from 1 to `upto` (small numbers suppressed; 0: none)."""
    return "[c]" if upto and 0 < value <= upto else value


def _share(row: Any, upto: int) -> Any:
    return "" if upto and 0 < row.reviews <= upto else row.share


THEME_HEADER = [
    "Theme",
    "Status",
    "Reviews",
    "Share of the period's reviews (%)",
    "Reviews with good practice",
    "Reviews with areas for improvement",
    "Findings",
    "Good practice findings",
    "Areas for improvement",
    "Cross-cutting",
]


def theme_rows(analysis: Any, suppress_upto: int = 0) -> list[list[Any]]:
    rows: list[list[Any]] = [THEME_HEADER]
    for t in analysis.themes:
        rows.append(
            [
                safe_cell(t.name),
                t.status,
                _n(t.reviews, suppress_upto),
                _share(t, suppress_upto),
                _n(t.good_practice, suppress_upto),
                _n(t.improvement, suppress_upto),
                _n(t.findings, suppress_upto),
                _n(t.good_practice_findings, suppress_upto),
                _n(t.improvement_findings, suppress_upto),
                "yes" if t.cross_cutting else "no",
            ]
        )
    return rows


def matrix_rows(analysis: Any) -> list[list[Any]]:
    header: list[Any] = ["Theme"]
    for r in analysis.matrix_reviews:
        header += [
            safe_cell(f"{r['title']}: good practice"),
            safe_cell(f"{r['title']}: improvement"),
        ]
    rows = [header]
    for t in analysis.themes:
        cells = analysis.matrix.get(t.theme_id, {})
        row: list[Any] = [safe_cell(t.name)]
        for r in analysis.matrix_reviews:
            good, improve = cells.get(r["pk"], (0, 0))
            row += [good, improve]
        rows.append(row)
    return rows


def pair_rows(analysis: Any, suppress_upto: int = 0) -> list[list[Any]]:
    rows: list[list[Any]] = [["Theme", "Found with", "Reviews with both"]]
    for p in analysis.pairs:
        rows.append([safe_cell(p.a_name), safe_cell(p.b_name), _n(p.reviews, suppress_upto)])
    return rows


def trend_rows(analysis: Any, suppress_upto: int = 0) -> list[list[Any]]:
    header: list[Any] = ["Theme"] + [label for _, label, _ in analysis.trend_years]
    rows = [
        header,
        ["Reviews in the year"] + [_n(n, suppress_upto) for *_, n in analysis.trend_years],
    ]
    for t in analysis.themes:
        by_year = analysis.trend.get(t.theme_id, {})
        rows.append(
            [safe_cell(t.name)]
            + [_n(by_year.get(y, (0, 0, 0))[0], suppress_upto) for y, _, _ in analysis.trend_years]
        )
    return rows


def as_csv(rows: list[list[Any]]) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def as_xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
