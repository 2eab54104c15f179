"""The importer: all rows or none, a row-by-row report, duplicates, types and limits."""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.actionplans.models import Action, ActionStatus
from safeguarding.audit.models import AuditEvent
from safeguarding.imports.models import ImportLog
from safeguarding.imports.reading import ImportFileError, read_table
from safeguarding.imports.services import records_import
from safeguarding.learning.models import Finding
from safeguarding.reviews.models import Case, Review
from safeguarding.testing.factories import make_case

from .helpers import CASE_ROW, csv_file, xlsx_file


def _import(world, data, kind="cases"):
    return records_import(
        actor=world.business_unit,
        partnership=world.partnership,
        record_type=kind,
        data=data,
        file_name=f"{kind}.csv",
    )


@pytest.mark.django_db
def test_valid_cases_are_written_with_history_and_audit(world):
    report = _import(world, csv_file([CASE_ROW, ["Child R", "0", "", "", "", "Died", "", "", ""]]))
    assert report.ok, report.errors
    assert report.written == 2
    case = Case.objects.get(partnership=world.partnership, reference="Child Q")
    assert (
        case.age_years == 3 and case.sex == "female" and case.incident_date == dt.date(2024, 1, 15)
    )
    assert set(case.agencies_involved.values_list("name", flat=True)) == {"Police", "Schools"}
    assert case.history.exists()
    assert Case.objects.get(reference="Child R").sex == "unknown"
    assert AuditEvent.objects.filter(object_type="reviews.Case", object_id=str(case.pk)).exists()
    assert ImportLog.objects.get(partnership=world.partnership).rows_written == 2


@pytest.mark.django_db
def test_one_bad_row_writes_nothing_and_is_reported_by_row_and_column(world):
    bad = ["Child S", "three", "Female", "", "", "Seriously harmed", "", "31/02/2024", "Coastguard"]
    report = _import(world, csv_file([CASE_ROW, bad]))
    assert not report.ok
    assert report.written == 0
    assert not Case.objects.filter(partnership=world.partnership).exists()
    found = {(e.row, e.column, e.value) for e in report.errors}
    assert (3, "Age in years", "three") in found
    assert (3, "Incident date", "31/02/2024") in found
    assert (3, "Agencies involved", "Coastguard") in found
    assert all(e.reason for e in report.errors)


@pytest.mark.django_db
def test_reimporting_the_same_file_creates_nothing_new(world):
    data = xlsx_file([CASE_ROW])
    assert _import(world, data).written == 1
    again = _import(world, data)
    assert again.ok and again.written == 0
    assert again.already_present == [2]
    assert again.previous is not None
    assert Case.objects.filter(partnership=world.partnership).count() == 1


@pytest.mark.django_db
def test_repeated_rows_and_missing_or_unknown_columns_are_reported(world):
    report = _import(world, csv_file([CASE_ROW, CASE_ROW]))
    assert [e.row for e in report.errors] == [3]
    assert not Case.objects.exists()
    report = _import(world, csv_file([["Child T"]], header=["Reference", "Colour"]))
    reasons = {(e.column, e.reason) for e in report.errors}
    assert ("Colour", "Not a column of this template") in reasons
    assert ("Outcome", "This column is missing") in reasons
    # Headings match whatever their case and order.
    header = ["OUTCOME", "reference", "age_years"]
    report = _import(world, csv_file([["died", "Child U", "4"]], header=header))
    assert report.ok and report.written == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel 97-2003"),
        (b"%PDF-1.4\n\x00\x01binary", "CSV or an Excel workbook"),
        ("Reference,Outcome\nCafé,died\n".encode("latin-1"), "UTF-8"),
        (b"PK\x03\x04garbage", "damaged"),
    ],
)
def test_files_that_are_not_spreadsheets_get_a_clear_message(data, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(data)


def test_a_zip_that_is_not_a_workbook_is_refused():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        read_table(out.getvalue())


def test_a_zip_bomb_is_refused_before_it_is_opened():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (120 * 1024 * 1024))
    with pytest.raises(ImportFileError, match="expands to more than"):
        read_table(out.getvalue())


def test_a_workbook_with_entity_declarations_is_refused():
    import io
    import zipfile

    good = xlsx_file([CASE_ROW])
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + content
            z.writestr(item, content)
    with pytest.raises(ImportFileError, match="XML declarations"):
        read_table(out.getvalue())


def test_too_large_a_file_is_refused(monkeypatch):
    from safeguarding.imports import reading

    monkeypatch.setattr(reading, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(ImportFileError, match="smaller than"):
        read_table(csv_file([CASE_ROW] * 5))


@pytest.mark.django_db
def test_reviews_findings_and_actions_link_to_what_is_already_there(world):
    make_case(world, reference="Child V")
    reviews = csv_file(
        [
            [
                "Rapid review",
                "Rapid review: Child V",
                "2024-02-01",
                "Child V",
                "",
                "",
                "Police",
                "No further review",
                "2024-02-10",
                "2024-02-12",
                "",
                "",
                "",
            ]
        ],
        kind="reviews",
    )
    report = _import(world, reviews, "reviews")
    assert report.ok, report.errors
    review = Review.objects.get(partnership=world.partnership, title="Rapid review: Child V")
    assert review.case.reference == "Child V" and review.decision == "no_further"
    findings = csv_file(
        [
            [
                "Rapid review: Child V",
                "2024-02-01",
                "Good practice",
                '=HYPERLINK("x")',
                "Professional curiosity",
                "Police",
                "",
            ]
        ],
        kind="findings",
    )
    report = _import(world, findings, "findings")
    assert report.ok, report.errors
    finding = Finding.objects.get(review=review)
    assert finding.text == '=HYPERLINK("x")'
    assert [t.name for t in finding.themes.all()] == ["Professional curiosity"]
    actions = csv_file(
        [
            [
                "Train the front desk",
                "Police",
                "Training lead",
                "2024-02-15",
                "2024-04-15",
                "Completed",
                "2024-04-01",
                "Attendance list seen",
                "",
                "Rapid review: Child V",
                "2024-02-01",
                "",
            ]
        ],
        kind="actions",
    )
    report = _import(world, actions, "actions")
    assert report.ok, report.errors
    action = Action.objects.get(partnership=world.partnership)
    assert action.status == ActionStatus.COMPLETED and action.review == review
    assert action.evidence.get().description == "Attendance list seen"


@pytest.mark.django_db
def test_a_finding_for_a_review_not_held_and_a_bad_action_are_errors(world):
    findings = csv_file(
        [["No such review", "2024-02-01", "Good practice", "Text", "", "", ""]], kind="findings"
    )
    report = _import(world, findings, "findings")
    assert [(e.row, e.column) for e in report.errors] == [(2, "Review title")]
    # A completed action needs evidence and a date; due dates come after the date agreed.
    actions = csv_file(
        [
            [
                "Do it",
                "Police",
                "Lead",
                "2024-02-15",
                "2024-01-15",
                "Completed",
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        ],
        kind="actions",
    )
    report = _import(world, actions, "actions")
    columns = {e.column for e in report.errors}
    assert {"Due date", "Date completed", "Evidence"} <= columns
    assert not Action.objects.exists()
