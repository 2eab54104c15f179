"""The import page, its templates and the command: who may use them and what they show."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from safeguarding.imports.reading import read_table
from safeguarding.imports.schema import RecordType, headings
from safeguarding.reviews.models import Case

from .helpers import CASE_ROW, csv_file

pytestmark = pytest.mark.django_db
URL = reverse("imports:import")


def test_only_the_business_unit_may_import(world, client_for):
    for role in ("rag_member", "agency_lead", "scrutineer", "scrutiny_reader"):
        client = client_for(world.users[role])
        assert client.get(URL).status_code == 403, role
        assert client.get(reverse("imports:template", args=["cases", "csv"])).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302  # to the sign-in page


def test_an_upload_with_a_bad_row_shows_the_error_summary_and_the_table(world, client_for):
    client = client_for(world.business_unit)
    bad = ["Child X", "ninety", "", "", "", "Died", "", "", ""]
    upload = SimpleUploadedFile("cases.csv", csv_file([CASE_ROW, bad]), "text/csv")
    response = client.post(URL, {"record_type": "cases", "file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "nothing was imported" in html
    assert 'id="import-errors"' in html and "ninety" in html
    assert not Case.objects.filter(partnership=world.partnership).exists()


def test_a_good_upload_confirms_what_was_written(world, other_world, client_for):
    client = client_for(world.business_unit)
    upload = SimpleUploadedFile("cases.csv", csv_file([CASE_ROW]), "text/csv")
    response = client.post(URL, {"record_type": "cases", "file": upload})
    assert "1 cases imported" in response.content.decode()
    assert Case.objects.filter(partnership=world.partnership).count() == 1
    assert not Case.objects.filter(partnership=other_world.partnership).exists()


def test_a_bad_file_or_nothing_chosen_is_an_error_on_the_field(world, client_for):
    client = client_for(world.business_unit)
    upload = SimpleUploadedFile("cases.xlsx", b"%PDF-1.7\x00\x00", "application/pdf")
    html = client.post(URL, {"record_type": "cases", "file": upload}).content.decode()
    assert 'href="#id_file"' in html and "CSV or an Excel workbook" in html
    html = client.post(URL, {}).content.decode()
    assert "Select what the file holds" in html and "govuk-error-summary" in html


def test_each_template_downloads_with_its_header_and_an_example(world, client_for):
    client = client_for(world.business_unit)
    for record_type in RecordType.values:
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse("imports:template", args=[record_type, fmt]))
            assert response.status_code == 200
            table = read_table(response.content)
            assert table.header == headings(record_type), (record_type, fmt)
            assert len(table.rows) == 1


def test_the_command_prints_the_report_and_fails_on_any_error(world, tmp_path, capsys):
    good = tmp_path / "cases.csv"
    good.write_bytes(csv_file([CASE_ROW]))
    call_command("import_records", "--partnership", world.partnership.slug, str(good))
    assert "Written: 1" in capsys.readouterr().out
    bad = tmp_path / "more.csv"
    bad.write_bytes(csv_file([["Child Y", "", "", "", "", "Lost", "", "", ""]]))
    with pytest.raises(CommandError):
        call_command(
            "import_records", "--partnership", world.partnership.slug, "--type", "cases", str(bad)
        )
    out = capsys.readouterr().out
    assert "2\tOutcome\tLost\tMust be one of" in out
    assert Case.objects.filter(partnership=world.partnership).count() == 1
