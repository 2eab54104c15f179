"""A theme taxonomy as CSV: export, and all-or-nothing import with a row-by-row error report.

Columns: name, definition, keywords (separated by semicolons), parent (a theme's name, blank for
none), status (active or retired; merged themes are exported as merged and left alone on
import). A theme is matched by name, ignoring case; themes not in the file are left as they are.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from safeguarding.accounts.models import Partnership
from safeguarding.core.history import save_and_record, snapshot
from safeguarding.core.text import strip_controls
from safeguarding.learning.exports import safe_cell
from safeguarding.learning.models import Theme, ThemeStatus
from safeguarding.learning.taxonomy import _revise, version_new

COLUMNS = ["name", "definition", "keywords", "parent", "status"]
MAX_BYTES = 1_000_000
MAX_ROWS = 2_000


@dataclass(frozen=True)
class RowError:
    row: int  # the line of the file, counting the header as line 1
    column: str
    message: str


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    version: int | None = None


class TaxonomyImportRejected(ValueError):
    """The file was not imported; `errors` says what to fix, row by row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the file")
        self.errors = errors


def taxonomy_export_csv(*, partnership: Partnership) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for theme in Theme.objects.filter(partnership=partnership).select_related("parent"):
        writer.writerow(
            [
                safe_cell(theme.name),
                safe_cell(theme.definition),
                safe_cell(theme.keywords),
                safe_cell(theme.parent.name if theme.parent else ""),
                theme.status,
            ]
        )
    return out.getvalue()


def _read(data: bytes) -> tuple[list[dict[str, str]], list[RowError]]:
    if len(data) > MAX_BYTES:
        return [], [RowError(1, "", "The file must be smaller than 1 MB")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(1, "", "The file must be a CSV saved as UTF-8")]
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return [], [RowError(1, "", f"The file is not a readable CSV ({exc})")]
    if not rows:
        return [], [RowError(1, "", "The file is empty")]
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in ("name", "definition") if c not in header]
    if missing:
        return [], [RowError(1, c, f"The first row must name a column '{c}'") for c in missing]
    if len(rows) - 1 > MAX_ROWS:
        return [], [RowError(1, "", f"The file may hold at most {MAX_ROWS} themes")]
    records: list[dict[str, str]] = []
    for values in rows[1:]:
        if not any(v.strip() for v in values):
            records.append({})
            continue
        record = {c: "" for c in COLUMNS}
        for name, value in zip(header, values, strict=False):
            if name in record:
                record[name] = strip_controls(value).strip()  # safeguarding.core.text
        records.append(record)
    return records, []


def _validate(
    partnership: Partnership, records: list[dict[str, str]]
) -> tuple[dict[str, Theme], list[RowError]]:
    existing = {t.name.lower(): t for t in Theme.objects.filter(partnership=partnership)}
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    in_file = {r["name"].lower() for r in records if r}
    for i, r in enumerate(records, start=2):
        if not r:
            continue
        name, key = r["name"], r["name"].lower()
        if not name:
            errors.append(RowError(i, "name", "Enter the theme's name"))
            continue
        if len(name) > 100:
            errors.append(RowError(i, "name", "The name must be 100 characters or fewer"))
        if key in seen:
            errors.append(RowError(i, "name", f"{name} is already on row {seen[key]}"))
        seen[key] = i
        status = (r["status"] or ThemeStatus.ACTIVE).lower()
        theme = existing.get(key)
        if status == ThemeStatus.MERGED:
            if theme is None or theme.status != ThemeStatus.MERGED:
                errors.append(
                    RowError(i, "status", "Only a theme already merged can have status merged")
                )
            continue
        if theme is not None and theme.status == ThemeStatus.MERGED:
            errors.append(RowError(i, "status", f"{name} has been merged and cannot be changed"))
            continue
        if status not in (ThemeStatus.ACTIVE, ThemeStatus.RETIRED):
            errors.append(RowError(i, "status", "The status must be active or retired"))
        if not r["definition"]:
            errors.append(RowError(i, "definition", "Enter a definition of the theme"))
        if len(r["keywords"]) > 500:
            errors.append(RowError(i, "keywords", "Keywords must be 500 characters or fewer"))
        parent = r["parent"].lower()
        if parent:
            if parent == key:
                errors.append(RowError(i, "parent", "A theme cannot be its own parent"))
            elif parent not in in_file and parent not in existing:
                errors.append(RowError(i, "parent", f"There is no theme called {r['parent']}"))
    if not errors:
        errors += _cycles(existing, records)
    return existing, errors


def _cycles(existing: dict[str, Theme], records: list[dict[str, str]]) -> list[RowError]:
    parent_of = {k: (t.parent.name.lower() if t.parent else "") for k, t in existing.items()}
    row_of: dict[str, int] = {}
    for i, r in enumerate(records, start=2):
        if r and (r["status"] or "").lower() != ThemeStatus.MERGED:
            parent_of[r["name"].lower()] = r["parent"].lower()
            row_of[r["name"].lower()] = i
    errors = []
    for key, row in row_of.items():
        node, steps = parent_of.get(key, ""), 0
        while node and steps <= len(parent_of):
            if node == key:
                errors.append(RowError(row, "parent", "The parents go round in a circle"))
                break
            node, steps = parent_of.get(node, ""), steps + 1
    return errors


@transaction.atomic
def taxonomy_import_csv(*, actor: Any, partnership: Partnership, data: bytes) -> ImportReport:
    """Import a taxonomy CSV: every row is applied, as one new version, or none is."""
    records, errors = _read(data)
    existing: dict[str, Theme] = {}
    if not errors:
        existing, errors = _validate(partnership, records)
    if errors:
        raise TaxonomyImportRejected(errors)
    report = ImportReport()
    version = version_new(partnership=partnership, actor=actor, summary="Imported from CSV")
    touched: dict[str, tuple[Theme, dict[str, Any] | None]] = {}
    parent_keys: dict[str, str] = {}
    for r in records:
        if not r or (r["status"] or "").lower() == ThemeStatus.MERGED:
            continue
        key = r["name"].lower()
        theme = existing.get(key)
        before = snapshot(theme) if theme else None
        if theme is None:
            theme = Theme(partnership=partnership)
            existing[key] = theme
        theme.name = r["name"]
        theme.definition = r["definition"]
        theme.keywords = r["keywords"]
        theme.status = (r["status"] or ThemeStatus.ACTIVE).lower()
        touched[key] = (theme, before)
        parent_keys[key] = r["parent"].lower()
    # Parents first, so that a theme new in this file has a key before its children point at it.
    order: list[str] = []

    def visit(key: str) -> None:
        if key in order:
            return
        if parent_keys.get(key) in touched:
            visit(parent_keys[key])
        order.append(key)

    for key in touched:
        visit(key)
    for key in order:
        theme, before = touched[key]
        parent = existing[parent_keys[key]] if parent_keys[key] else None
        while parent is not None and parent.status == ThemeStatus.MERGED:
            parent = parent.merged_into  # a merged theme's old name: the theme it became
        theme.parent = parent
        if before is not None and snapshot(theme) == before:
            report.unchanged.append(theme.name)
            continue
        what = "Imported theme" if before is None else "Changed by import: theme"
        save_and_record(theme, actor=actor, summary=f"{what} {theme.name}", before=before)
        (report.added if before is None else report.changed).append(theme.name)
        _revise(theme, version)
    if not report.added and not report.changed:
        version.delete()  # nothing changed: no new version
        return report
    version.summary = f"Imported from CSV: {len(report.added)} added, {len(report.changed)} changed"
    version.save(update_fields=["summary"])
    report.version = version.number
    return report
