"""Damaged and hostile files: the importer answers with validation errors, never an exception."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.imports.reading import ImportFileError, read_table
from safeguarding.imports.services import records_import

from .helpers import CASE_ROW, csv_file, xlsx_file

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VALID_XLSX = xlsx_file([CASE_ROW, ["Child W", "", "", "", "", "Died", "", "", ""]])
VALID_CSV = csv_file([CASE_ROW])


def _only_validation_errors(data: bytes) -> None:
    try:
        read_table(data)
    except ImportFileError as error:
        assert str(error)


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_give_only_validation_errors(data):
    _only_validation_errors(data)
    _only_validation_errors(b"PK\x03\x04" + data)


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID_XLSX) - 1), st.integers(0, 255)), min_size=1, max_size=12
    )
)
def test_mutated_workbooks_give_only_validation_errors(changes):
    data = bytearray(VALID_XLSX)
    for position, byte in changes:
        data[position] = byte
    _only_validation_errors(bytes(data))


@FUZZ
@given(st.integers(0, len(VALID_XLSX)))
def test_truncated_workbooks_give_only_validation_errors(length):
    _only_validation_errors(VALID_XLSX[:length])


def _rezip(mutate) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(VALID_XLSX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            z.writestr(item.filename, mutate(item.filename, source.read(item)))
    return out.getvalue()


@FUZZ
@given(st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml",
                        "[Content_Types].xml", "xl/_rels/workbook.xml.rels"]),
       st.integers(0, 2000), st.binary(min_size=1, max_size=40))  # fmt: skip
def test_damaged_xml_inside_a_valid_zip_gives_only_validation_errors(member, at, junk):
    def mutate(name: str, content: bytes) -> bytes:
        if name != member:
            return content
        at_ = min(at, len(content))
        return content[:at_] + junk + content[at_:]

    _only_validation_errors(_rezip(mutate))


@pytest.mark.django_db
@settings(FUZZ, max_examples=25)
@given(st.text(max_size=300))
def test_any_csv_text_through_the_whole_importer_gives_only_a_report(world, text):
    data = VALID_CSV + text.encode("utf-8", "surrogatepass")
    report = records_import(
        actor=world.business_unit, partnership=world.partnership, record_type="cases", data=data
    )
    assert report.ok or all(e.reason for e in report.errors)
