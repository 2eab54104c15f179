"""Importing and exporting a taxonomy as CSV: all or nothing, with a report row by row."""

from __future__ import annotations

import csv
import io

import pytest

from safeguarding.learning import taxonomy
from safeguarding.learning.models import TaxonomyVersion, Theme
from safeguarding.learning.taxonomy_csv import (
    TaxonomyImportRejected,
    taxonomy_export_csv,
    taxonomy_import_csv,
)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def import_(world, text: str):
    return taxonomy_import_csv(
        actor=world.business_unit, partnership=world.partnership, data=text.encode("utf-8")
    )


def test_export_lists_every_theme_with_its_definition_and_status(world):
    exported = rows(taxonomy_export_csv(partnership=world.partnership))
    assert len(exported) == 21
    neglect = next(r for r in exported if r["name"] == "Neglect")
    assert neglect["status"] == "active" and neglect["definition"]


def test_importing_the_export_changes_nothing(world):
    report = import_(world, taxonomy_export_csv(partnership=world.partnership))
    assert report.added == [] and report.changed == [] and len(report.unchanged) == 21
    assert TaxonomyVersion.objects.filter(partnership=world.partnership).count() == 1


def test_import_adds_and_changes_themes_as_one_new_version(world):
    report = import_(
        world,
        "name,definition,keywords,parent,status\n"
        "Bullying,Harm by other children.,peers; school,,active\n"
        "Cyberbullying,Bullying online.,,Bullying,active\n"
        "neglect,Care that persistently falls short.,,,retired\n",
    )
    assert sorted(report.added) == ["Bullying", "Cyberbullying"]
    assert report.changed == ["neglect"]
    cyber = Theme.objects.get(partnership=world.partnership, name="Cyberbullying")
    assert cyber.parent.name == "Bullying"
    neglect = Theme.objects.get(partnership=world.partnership, name__iexact="neglect")
    assert neglect.status == "retired"
    assert report.version == 2
    assert cyber.current_revision.version.number == 2


def test_a_file_with_mistakes_imports_nothing_and_reports_each_row(world):
    bad = (
        "name,definition,keywords,parent,status\n"
        "Bullying,Harm by other children.,,,active\n"  # row 2: fine
        ",No name,,,active\n"  # row 3
        "Exploitation,Changed,,Nowhere,active\n"  # row 4: no such parent
        "Bullying,Again,,,active\n"  # row 5: duplicate
        "Online harm,Harm online,,,archived\n"  # row 6: bad status
    )
    with pytest.raises(TaxonomyImportRejected) as rejected:
        import_(world, bad)
    found = {(e.row, e.column) for e in rejected.value.errors}
    assert found == {(3, "name"), (4, "parent"), (5, "name"), (6, "status")}
    assert not Theme.objects.filter(partnership=world.partnership, name="Bullying").exists()
    assert TaxonomyVersion.objects.filter(partnership=world.partnership).count() == 1


def test_parents_that_go_round_in_a_circle_are_refused(world):
    with pytest.raises(TaxonomyImportRejected) as rejected:
        import_(world, "name,definition,parent\nA,a,B\nB,b,A\n")
    assert {e.column for e in rejected.value.errors} == {"parent"}


def test_a_file_that_is_not_utf8_csv_is_refused(world):
    with pytest.raises(TaxonomyImportRejected) as rejected:
        taxonomy_import_csv(
            actor=world.business_unit, partnership=world.partnership, data=b"\xff\xfe\x00bad"
        )
    assert "UTF-8" in rejected.value.errors[0].message
    with pytest.raises(TaxonomyImportRejected):
        import_(world, "title,text\nx,y\n")


def test_export_neutralises_values_a_spreadsheet_would_run(world):
    taxonomy.theme_create(
        actor=world.business_unit,
        partnership=world.partnership,
        name="=HYPERLINK(1)",
        definition="+danger",
        keywords="@sum",
    )
    row = next(
        r
        for r in rows(taxonomy_export_csv(partnership=world.partnership))
        if "HYPERLINK" in r["name"]
    )
    assert (row["name"], row["definition"], row["keywords"]) == (
        "'=HYPERLINK(1)",
        "'+danger",
        "'@sum",
    )


def test_the_import_page_takes_the_downloaded_file_back_with_a_new_theme(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = client_for(world.business_unit)
    exported = client.get(reverse("learning:taxonomy_export"))
    assert exported["Content-Type"].startswith("text/csv")
    text = exported.content.decode("utf-8-sig")
    assert len(rows(text)) == 21
    url = reverse("learning:taxonomy_import")

    # A mistake: the page says what and where, and nothing changes.
    bad = text + "Bullying,,,Nowhere,active\n"
    response = client.post(url, {"file": SimpleUploadedFile("themes.csv", bad.encode())})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "fix the 2 problems below" in page
    assert "There is no theme called Nowhere" in page
    assert not Theme.objects.filter(partnership=world.partnership, name="Bullying").exists()
    assert TaxonomyVersion.objects.filter(partnership=world.partnership).count() == 1

    good = text + "Bullying,Harm by other children.,,Exploitation,active\n"
    response = client.post(url, {"file": SimpleUploadedFile("themes.csv", good.encode())})
    assert response.status_code == 302
    bullying = Theme.objects.get(partnership=world.partnership, name="Bullying")
    assert bullying.parent is not None and bullying.parent.name == "Exploitation"
    listing = client.get(response["Location"]).content.decode()
    assert "Imported: 1 added, 0 changed, 21 unchanged" in listing
