"""Checking every row of an import before anything is written.

Each problem becomes a `RowError` (row, column, value, reason); a row that matches a record
already held (by its natural key, see `schema.NATURAL_KEYS`) is counted as already present and
left alone. The database is read once per kind of lookup, never once per row.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F

from safeguarding.accounts.models import Agency, Partnership
from safeguarding.actionplans.models import Action, ActionStatus
from safeguarding.core.dates import today
from safeguarding.imports.schema import (
    AGENCIES,
    AGENCY,
    CHOICE,
    COLUMNS,
    DATE,
    INTEGER,
    NATURAL_KEYS,
    TEXT,
    THEME,
    THEMES,
    Column,
    RecordType,
    normalise_heading,
)
from safeguarding.learning.models import Finding, Theme, ThemeStatus
from safeguarding.reviews.dates import Dates, problems
from safeguarding.reviews.models import Case, ReviewKind
from safeguarding.reviews.models import Review as ReviewModel

MAX_AGE = 25
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number; 1 is the header, 0 the file as a whole
    column: str
    value: str
    reason: str


@dataclass
class ValidRow:
    row: int
    values: dict[str, Any]


@dataclass
class Validation:
    rows: list[ValidRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    already_present: list[int] = field(default_factory=list)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _text_key(text: str) -> str:
    return " ".join(text.split())


class Lookups:
    """The partnership's agencies, themes, cases and reviews, read once."""

    def __init__(self, partnership: Partnership) -> None:
        self.partnership = partnership
        self.agencies: dict[str, Agency] = {}
        # Current agencies first: a retired one's short name may now be a current one's.
        for agency in Agency.objects.filter(partnership=partnership).order_by(
            F("retired_at").desc(nulls_first=True), "pk"
        ):
            self.agencies.setdefault(_key(agency.name), agency)
            if agency.short_name:
                self.agencies.setdefault(_key(agency.short_name), agency)
        self.themes = {_key(t.name): t for t in Theme.objects.filter(partnership=partnership)}
        self._cases: dict[str, Case] | None = None
        self._reviews: dict[tuple[str, dt.date], list[ReviewModel]] | None = None

    @property
    def cases(self) -> dict[str, Case]:
        if self._cases is None:
            self._cases = {
                c.reference: c for c in Case.objects.filter(partnership=self.partnership)
            }
        return self._cases

    @property
    def reviews(self) -> dict[tuple[str, dt.date], list[ReviewModel]]:
        if self._reviews is None:
            found: dict[tuple[str, dt.date], list[ReviewModel]] = defaultdict(list)
            for review in ReviewModel.objects.filter(partnership=self.partnership):
                found[(_key(review.title), review.opened_on)].append(review)
            self._reviews = dict(found)
        return self._reviews


def parse_date(text: str) -> dt.date:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("Enter a real date, for example 2024-03-31")


@functools.cache
def _choice_values(choices: type[Any]) -> dict[str, str]:
    """Each choice's value and label, normalised, to its stored value (built once per kind)."""
    found: dict[str, str] = {}
    for value, label in choices.choices:
        if value != "":
            found.setdefault(_key(str(value)), str(value))
            found.setdefault(_key(str(label)), str(value))
    return found


def _choice(column: Column, text: str) -> str:
    assert column.choices is not None
    value = _choice_values(column.choices).get(_key(text))
    if value is None:
        raise ValueError(f"Must be one of: {column.format.removeprefix('one of: ')}")
    return value


def _names(text: str) -> list[str]:
    return [n.strip() for n in re.split(r"[;\n]", text) if n.strip()]


def _agency(lookups: Lookups, name: str) -> Agency:
    agency = lookups.agencies.get(_key(name))
    if agency is None:
        raise ValueError(f'No agency called "{name}" in this partnership')
    if agency.retired_at is not None:
        # An import makes new records only, and a new record names no retired agency.
        raise ValueError(f'The agency "{agency.name}" is retired: name a current agency')
    return agency


def _theme(lookups: Lookups, name: str) -> Theme:
    theme = lookups.themes.get(_key(name))
    if theme is None:
        raise ValueError(f'No theme called "{name}" in this partnership')
    if theme.status != ThemeStatus.ACTIVE:
        raise ValueError(f'The theme "{theme.name}" is not in use')
    return theme


def parse_cell(column: Column, text: str, lookups: Lookups) -> Any:
    """The value of one cell, or ValueError with the reason."""
    if column.kind == TEXT:
        if column.max_length and len(text) > column.max_length:
            raise ValueError(f"Must be {column.max_length} characters or fewer")
        return text
    if column.kind == INTEGER:
        if not re.fullmatch(r"\d{1,3}", text) or int(text) > MAX_AGE:
            raise ValueError(f"Enter a whole number from 0 to {MAX_AGE}")
        return int(text)
    if column.kind == DATE:
        value = parse_date(text)
        if not dt.date(1990, 1, 1) <= value <= dt.date(2100, 12, 31):
            raise ValueError("Enter a date between 1990 and 2100")
        return value
    if column.kind == CHOICE:
        return _choice(column, text)
    if column.kind == AGENCIES:
        return list({a.pk: a for a in (_agency(lookups, n) for n in _names(text))}.values())
    if column.kind == THEMES:
        return list({t.pk: t for t in (_theme(lookups, n) for n in _names(text))}.values())
    if column.kind == AGENCY:
        return _agency(lookups, text)
    if column.kind == THEME:
        return _theme(lookups, text)
    raise AssertionError(column.kind)  # pragma: no cover


def match_header(kind: str, header: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """Which cell of each row holds each column; errors for missing or unknown headings."""
    by_heading = {normalise_heading(c.heading): c for c in COLUMNS[kind]}
    by_heading.update({normalise_heading(c.key): c for c in COLUMNS[kind]})
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, heading in enumerate(header):
        column = by_heading.get(normalise_heading(heading))
        if column is None:
            if heading:
                errors.append(RowError(1, heading, heading, "Not a column of this template"))
            continue
        if column.key in positions:
            errors.append(RowError(1, heading, heading, "This column appears twice"))
            continue
        positions[column.key] = index
    for column in COLUMNS[kind]:
        if column.required and column.key not in positions:
            errors.append(RowError(1, column.heading, "", "This column is missing"))
    return positions, errors


# Rows checked between two calls of `validate`'s progress callback.
PROGRESS_EVERY = 500


def validate(
    kind: str,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    partnership: Partnership,
    progress: Callable[[int], None] | None = None,
) -> Validation:
    """Check every row; nothing is written here. `progress(rows checked)` is called every
    `PROGRESS_EVERY` rows."""
    result = Validation()
    positions, result.errors = match_header(kind, header)
    if result.errors:
        return result
    lookups = Lookups(partnership)
    existing = _existing_keys(kind, partnership)
    seen: dict[tuple[Any, ...], int] = {}
    columns = [c for c in COLUMNS[kind] if c.key in positions]
    for done, (number, cells) in enumerate(rows, start=1):
        if progress and done % PROGRESS_EVERY == 0:
            progress(done)
        values: dict[str, Any] = {}
        row_errors: list[RowError] = []
        for column in columns:
            index = positions[column.key]
            text = cells[index] if index < len(cells) else ""
            if not text:
                if column.required:
                    row_errors.append(RowError(number, column.heading, "", "Required"))
                values[column.key] = [] if column.kind in (AGENCIES, THEMES) else None
                continue
            try:
                values[column.key] = parse_cell(column, text, lookups)
            except ValueError as error:
                row_errors.append(RowError(number, column.heading, text, str(error)))
        if not row_errors:
            row_errors = _CHECKS[kind](number, values, lookups)
        if row_errors:
            result.errors.extend(row_errors)
            continue
        key = _natural_key(kind, values)
        if key in seen:
            result.errors.append(
                RowError(number, "", "", f"The same record as row {seen[key]} of this file")
            )
            continue
        seen[key] = number
        if key in existing:
            result.already_present.append(number)
            continue
        result.rows.append(ValidRow(number, values))
    return result


def _heading(kind: str, key: str) -> str:
    return next(c.heading for c in COLUMNS[kind] if c.key == key)


def _review_for(kind: str, number: int, values: dict[str, Any], lookups: Lookups) -> list[RowError]:
    title, opened = values.get("review_title"), values.get("review_opened_on")
    values["review"] = None
    if not title and not opened:
        return []
    if not title or not opened:
        return [
            RowError(
                number,
                _heading(kind, "review_title"),
                title or "",
                "Give both the review title and the date it opened",
            )
        ]
    found = lookups.reviews.get((_key(title), opened), [])
    if len(found) != 1:
        reason = (
            "No review with this title opened on that date"
            if not found
            else ("More than one review has this title and opened date")
        )
        return [RowError(number, _heading(kind, "review_title"), title, reason)]
    values["review"] = found[0]
    return []


def _date_errors(kind: str, number: int, values: dict[str, Any], dates: Dates) -> list[RowError]:
    """The row's impossible dates, by the rules every page and the API apply
    (safeguarding.reviews.dates), each under the column of a date the row gives."""
    headings = {c.key: c.heading for c in COLUMNS[kind]}
    errors: list[RowError] = []
    for problem in problems(dates, today=today()):
        name, message = problem.seen_from(headings)
        when = values.get(name)
        error = RowError(
            number,
            headings.get(name, ""),
            when.isoformat() if isinstance(when, dt.date) else "",
            message,
        )
        if error not in errors:
            errors.append(error)
    return errors


def _check_case(number: int, values: dict[str, Any], lookups: Lookups) -> list[RowError]:
    for name, default in (
        ("sex", "unknown"),
        ("ethnicity", "unknown"),
        ("disability", "unknown"),
        ("category", "not_known"),
    ):
        values[name] = values.get(name) or default
    return _date_errors("cases", number, values, Dates(incident_date=values.get("incident_date")))


def _check_review(number: int, values: dict[str, Any], lookups: Lookups) -> list[RowError]:
    errors: list[RowError] = []
    reference = values.get("case")
    values["case"] = None
    if reference:
        values["case"] = lookups.cases.get(reference)
        if values["case"] is None:
            errors.append(
                RowError(
                    number,
                    "Case reference",
                    reference,
                    "No case with this reference: import the cases first",
                )
            )
    values["status"] = values.get("status") or "open"
    if values["kind"] != ReviewKind.RAPID_REVIEW:
        for name in ("decision", "decision_on", "sent_to_panel_on"):
            if values.get(name):
                errors.append(
                    RowError(
                        number,
                        _heading("reviews", name),
                        str(values[name]),
                        "Only a rapid review has this",
                    )
                )
    case = values["case"]
    dates = Dates(
        incident_date=case.incident_date if case else None,
        opened_on=values.get("opened_on"),
        completed_on=values.get("completed_on"),
        decision_on=values.get("decision_on"),
        sent_to_panel_on=values.get("sent_to_panel_on"),
        commissioned_on=values.get("commissioned_on"),
        published_on=values.get("published_on"),
    )
    return errors + _date_errors("reviews", number, values, dates)


def _check_finding(number: int, values: dict[str, Any], lookups: Lookups) -> list[RowError]:
    errors = _review_for("findings", number, values, lookups)
    values["text"] = values["text"].strip()
    return errors


def _check_action(number: int, values: dict[str, Any], lookups: Lookups) -> list[RowError]:
    errors = _review_for("actions", number, values, lookups)
    if values["due_on"] < values["agreed_on"]:
        errors.append(
            RowError(
                number,
                "Due date",
                values["due_on"].isoformat(),
                "Must be on or after the date agreed",
            )
        )
    values["status"] = values.get("status") or ActionStatus.NOT_STARTED
    completed = values.get("completed_on")
    if values["status"] == ActionStatus.COMPLETED:
        if not completed:
            errors.append(RowError(number, "Date completed", "", "Required for a completed action"))
        elif completed < values["agreed_on"]:
            errors.append(
                RowError(
                    number,
                    "Date completed",
                    completed.isoformat(),
                    "Must be on or after the date agreed",
                )
            )
        if not values.get("evidence"):
            errors.append(RowError(number, "Evidence", "", "A completed action needs evidence"))
    elif completed:
        errors.append(
            RowError(
                number,
                "Date completed",
                completed.isoformat(),
                "Only a completed action has a date completed",
            )
        )
    return errors


_CHECKS: dict[str, Any] = {
    RecordType.CASES: _check_case,
    RecordType.REVIEWS: _check_review,
    RecordType.FINDINGS: _check_finding,
    RecordType.ACTIONS: _check_action,
}


def _natural_key(kind: str, values: dict[str, Any]) -> tuple[Any, ...]:
    if kind == RecordType.FINDINGS:
        return (values["review"].pk, values["kind"], _text_key(values["text"]))
    if kind == RecordType.ACTIONS:
        return (values["title"], values["owner_agency"].pk, values["agreed_on"])
    return tuple(values[k] for k in NATURAL_KEYS[kind])


def _existing_keys(kind: str, partnership: Partnership) -> set[tuple[Any, ...]]:
    if kind == RecordType.CASES:
        refs = Case.objects.filter(partnership=partnership).values_list("reference", flat=True)
        return {(r,) for r in refs}
    if kind == RecordType.REVIEWS:
        return set(
            ReviewModel.objects.filter(partnership=partnership).values_list(
                "kind", "title", "opened_on"
            )
        )
    if kind == RecordType.FINDINGS:
        found = Finding.objects.filter(partnership=partnership).values_list(
            "review_id", "kind", "text"
        )
        return {(r, k, _text_key(t)) for r, k, t in found}
    rows = Action.objects.filter(partnership=partnership).values_list(
        "title", "owner_agency_id", "agreed_on"
    )
    return set(rows)
