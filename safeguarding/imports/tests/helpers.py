"""Building import files for the tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from safeguarding.core.exports import xlsx_bytes
from safeguarding.imports.schema import headings


def csv_file(
    rows: Sequence[Sequence[Any]], header: Sequence[str] | None = None, *, kind: str = "cases"
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header if header is not None else headings(kind))
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_file(rows: Sequence[Sequence[Any]], *, kind: str = "cases") -> bytes:
    return xlsx_bytes({"Import": (headings(kind), rows)})


CASE_ROW = [
    "Child Q",
    "3",
    "Female",
    "White",
    "No",
    "Seriously harmed",
    "Neglect",
    "2024-01-15",
    "Police; Schools",
]
