"""Control characters: refused nowhere, stored nowhere, and no output breaks on one stored
before (finding 11).

A theme named "Ctrl\\x01Theme" made the analysis XLSX export answer 500 for every role (openpyxl
refuses the character), and a finding with "\\x01" stopped the learning brief's Word file
(python-docx refuses characters XML cannot hold). The earlier tests of the forms, the API, the
imports and the exports (test_findings.py, api/tests/test_writes.py, imports/tests,
test_analysis_page.py) only ever sent printable text, and the API test of NUL was the only
control character any test sent.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.urls import reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

from safeguarding.api.tests.conftest import ApiClient
from safeguarding.core.concurrency import version_data
from safeguarding.imports.services import records_import
from safeguarding.imports.tests.helpers import csv_file, xlsx_file
from safeguarding.learning.models import Finding, Theme
from safeguarding.learning.services import finding_create
from safeguarding.learning.taxonomy_csv import taxonomy_import_csv
from safeguarding.reports.models import ReportFile
from safeguarding.reports.tests.report_helpers import issue_brief, make_reviewed_case
from safeguarding.reviews.services import review_create

pytestmark = pytest.mark.django_db

# Every control character a form, the API or a file might carry, but tab, LF and CR.
CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
CONTROLS += "".join(chr(c) for c in range(0x80, 0xA0))


def _clean(text: str) -> bool:
    return not any(ch in text for ch in CONTROLS)


def _review(world):
    return review_create(
        actor=world.business_unit,
        partnership=world.partnership,
        kind="audit",
        title="Audit of neglect",
        opened_on=dt.date(2023, 5, 1),
    )


def test_a_theme_typed_with_control_characters_is_stored_without_them(client_for, world):
    client = client_for(world.business_unit)
    response = client.post(
        reverse("learning:theme_create"),
        {
            "name": "Ctrl\x01Theme\x00\t",
            "definition": "Line one\x07\nline\ttwo\x1b[31m\x9b",
            "keywords": "a\x0bb",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    theme = Theme.objects.get(partnership=world.partnership, name="CtrlTheme")
    assert theme.definition == "Line one\nline\ttwo[31m"  # a text area keeps tab and LF
    assert theme.keywords == "ab"


def test_a_finding_edited_with_control_characters_is_stored_without_them(client_for, world):
    finding = finding_create(
        actor=world.business_unit, review=_review(world), kind="improvement", text="First."
    )
    response = client_for(world.business_unit).post(
        reverse("learning:finding_edit", args=[finding.pk]),
        {
            "kind": "improvement",
            "text": "Nobody\x01 asked\x00 the child.\x7f",
            **version_data(finding),
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.text == "Nobody asked the child."


def test_a_finding_sent_to_the_api_with_control_characters_is_stored_without_them(world):
    review = _review(world)
    response = ApiClient(world.business_unit).post(
        "/api/v1/findings/",
        {"review": review.pk, "kind": "good_practice", "text": "Curious\x01\x00 practitioners."},
    )
    assert response.status_code == 201, response.json()
    assert Finding.objects.get(pk=response.json()["id"]).text == "Curious practitioners."


@pytest.mark.parametrize("build", [csv_file, xlsx_file])
def test_an_imported_finding_with_control_characters_is_stored_without_them(world, build):
    review = _review(world)
    row = ["Audit of neglect", "2023-05-01", "Good practice", "Shared\x01 =early", "", "", ""]
    data = build([row], kind="findings")
    report = records_import(
        actor=world.business_unit,
        partnership=world.partnership,
        record_type="findings",
        data=data,
        file_name="findings." + ("csv" if build is csv_file else "xlsx"),
    )
    assert report.ok, report.errors
    assert Finding.objects.get(review=review).text == "Shared =early"


def test_a_theme_imported_from_the_taxonomy_csv_is_stored_without_control_characters(world):
    data = b"name,definition\r\nCtrl\x01Theme,What\x02 belongs\x1f here\r\n"
    report = taxonomy_import_csv(
        actor=world.business_unit, partnership=world.partnership, data=data
    )
    assert report.added == ["CtrlTheme"]
    theme = Theme.objects.get(partnership=world.partnership, name="CtrlTheme")
    assert theme.definition == "What belongs here"


def _stored_with_controls(world):
    """Records as they could be from before the inputs stripped control characters."""
    review = make_reviewed_case(world)
    theme = Theme.objects.filter(partnership=world.partnership).order_by("pk").first()
    bu = world.business_unit
    finding_create(actor=bu, review=review, kind="improvement", text="T", themes=[theme])
    # NUL only where the database can hold it (PostgreSQL text refuses it outright).
    nul = "\x00" if connection.vendor == "sqlite" else "\x02"
    Theme.objects.filter(pk=theme.pk).update(name=f"Ctrl\x01Theme{nul}")
    Finding.objects.filter(review=review).update(text="Shared\x01 concerns\x1b early.")
    return review


def test_the_analysis_exports_work_for_every_role_with_a_stored_control_character(
    client_for, world
):
    _stored_with_controls(world)
    query = "?start=2021-01-01&end=2024-12-31"
    reached = []
    for role, user in world.users.items():
        client = client_for(user)
        client.raise_request_exception = False
        for name in ("themes_xlsx", "matrix_xlsx", "themes_csv"):
            response = client.get(reverse(f"learning:{name}") + query)
            assert response.status_code in (200, 403), (role, name, response.status_code)
            if response.status_code != 200:
                continue
            reached.append((role, name))
            if name.endswith("xlsx"):
                book = load_workbook(io.BytesIO(response.content))
                cells = [str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r]
                assert "CtrlTheme" in cells and all(_clean(c) for c in cells)
            else:
                assert "CtrlTheme" in response.content.decode()
    assert {r for r, _ in reached} >= {"business_unit", "scrutineer"}, reached


def test_the_learning_brief_renders_with_a_stored_control_character(client_for, world):
    review = _stored_with_controls(world)
    version = issue_brief(world, review, summary="A baby\x01 was harmed.")
    files = ReportFile.objects.filter(version=version)
    assert {(f.rendition, f.format) for f in files} >= {("draft", "docx"), ("public", "docx")}
    word = files.get(rendition="draft", format="docx")
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(bytes(word.content))).paragraphs)
    assert "Shared concerns early." in text and _clean(text)
    downloads = 0
    for user in world.users.values():
        client = client_for(user)
        client.raise_request_exception = False
        for rendition in ("draft", "public"):
            url = reverse("reports:download", args=[version.pk, rendition, "docx"])
            response = client.get(url)
            assert response.status_code in (200, 403, 404), (user, response.status_code)
            downloads += response.status_code == 200
    assert downloads >= 2
