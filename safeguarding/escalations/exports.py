"""CSV and XLSX of the escalation analysis, built from the same tables as the page.

Text that a spreadsheet would run as a formula (starting = + - @, a tab or a carriage return) is
prefixed with an apostrophe: agency names and labels are typed by users.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from safeguarding.core.exports import FORMULA_STARTS as FORMULA_STARTS
from safeguarding.core.exports import neutralise as neutralise
from safeguarding.escalations.selectors import Table


def tables_csv(tables: list[Table], *, heading: list[str]) -> str:
    """One CSV: a heading, then each table under its title, separated by a blank row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(v) for v in heading])
    for table in tables:
        writer.writerow([])
        writer.writerow([neutralise(table.title)])
        writer.writerow([neutralise(c) for c in table.columns])
        for row in table.rows:
            writer.writerow([neutralise(v) for v in row])
    return out.getvalue()


def tables_xlsx(tables: list[Table], *, heading: list[str]) -> bytes:
    """One worksheet per table, its title in the first row and the columns in bold."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for table in tables:
        sheet = workbook.create_sheet(title=table.title[:31])
        sheet.append([neutralise(v) for v in heading])
        sheet.append([neutralise(table.title)])
        sheet.append([neutralise(c) for c in table.columns])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([neutralise(v) for v in row])
        sheet.column_dimensions["A"].width = 48
        for letter in "BCDEFG":
            sheet.column_dimensions[letter].width = 18
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
