"""Large imports on the task queue: the progress page, its figures, access, all or nothing.

The tests run the immediate task backend (SRH_TASK_QUEUE=immediate), so the task runs within
the upload's request and the progress page already shows the finished report; the phases before
that are read from jobs in each state and from the real progress file.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.imports import jobs, progress, services, validate
from safeguarding.imports.models import ImportJob, ImportPhase
from safeguarding.reviews.models import Case

from .helpers import CASE_ROW, csv_file

pytestmark = pytest.mark.django_db
URL = reverse("imports:import")


def _rows(n: int) -> list[list[str]]:
    return [[f"Child {i}", *CASE_ROW[1:]] for i in range(n)]


@pytest.fixture
def queued(settings):
    """Every upload goes to the task queue, however small."""
    settings.SRH_IMPORT_SYNC_MAX_BYTES = 0


def _upload(client, data: bytes, name: str = "cases.csv"):
    upload = SimpleUploadedFile(name, data, "text/csv")
    return client.post(URL, {"record_type": "cases", "file": upload})


def test_a_large_file_runs_on_the_queue_and_its_page_shows_the_report(
    world, client_for, queued, settings
):
    client = client_for(world.business_unit)
    response = _upload(client, csv_file(_rows(3)))
    job = ImportJob.objects.get(partnership=world.partnership)
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert job.phase == ImportPhase.DONE
    assert (job.rows_total, job.rows_checked, job.rows_written) == (3, 3, 3)
    assert Case.objects.filter(partnership=world.partnership).count() == job.rows_written
    html = client.get(response["Location"]).content.decode()
    assert f"{job.rows_written} cases imported" in html and "govuk-panel--confirmation" in html
    assert f"{job.rows_total} rows read" in html
    assert "data-import-progress" not in html  # finished: no polling
    # The upload and the progress file are gone once the import has finished.
    assert job.stored_name == ""
    assert list(progress.directory().iterdir()) == []


def test_a_bad_row_through_the_queue_writes_nothing_and_the_page_lists_it(
    world, client_for, queued
):
    client = client_for(world.business_unit)
    bad = ["Child X", "ninety", "", "", "", "Died", "", "", ""]
    audit_before = AuditEvent.objects.count()
    response = _upload(client, csv_file([*_rows(4), bad]))
    job = ImportJob.objects.get(partnership=world.partnership)
    assert job.phase == ImportPhase.FAILED and job.rows_written == 0
    assert not Case.objects.filter(partnership=world.partnership).exists()
    assert AuditEvent.objects.count() == audit_before
    html = client.get(response["Location"]).content.decode()
    assert "govuk-error-summary" in html and "nothing was imported" in html
    assert 'id="import-errors"' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">6</td>' in html
    assert "ninety" in html and "Enter a whole number from 0 to 25" in html
    assert "Upload a corrected file" in html
    assert list(progress.directory().iterdir()) == []


def test_a_damaged_file_on_the_queue_is_a_problem_on_its_page(world, client_for, queued):
    client = client_for(world.business_unit)
    data = b"PK\x03\x04" + b"\x00garbage" * 50
    response = client.post(
        URL,
        {
            "record_type": "cases",
            "file": SimpleUploadedFile("cases.xlsx", data, "application/octet-stream"),
        },
    )
    html = client.get(response["Location"]).content.decode()
    assert "govuk-error-summary" in html and "The workbook is damaged and cannot be read" in html


def test_each_phase_shows_its_figures_from_the_job_and_the_progress_file(world, client_for):
    client = client_for(world.business_unit)
    job = ImportJob.objects.create(
        partnership=world.partnership, record_type="cases", file_name="big.csv"
    )
    page, poll = reverse("imports:job", args=[job.pk]), reverse("imports:progress", args=[job.pk])

    html = client.get(page).content.decode()
    assert "Waiting to start" in html and "data-import-progress" in html
    assert '<meta http-equiv="refresh"' in html and ">Refresh</a>" in html

    ImportJob.objects.filter(pk=job.pk).update(
        phase=ImportPhase.CHECKING, rows_total=12000, rows_checked=4500
    )
    html = client.get(page).content.decode()
    assert "Checking the rows: 4,500 of 12,000 checked." in html
    figures = client.get(poll)
    assert "no-store" in figures["Cache-Control"]
    assert figures.json()["phase"] == "checking"
    assert (figures.json()["rows_checked"], figures.json()["rows_total"]) == (4500, 12000)

    # While the records are written, the figures come from the progress file.
    ImportJob.objects.filter(pk=job.pk).update(
        phase=ImportPhase.WRITING, rows_checked=12000, rows_to_write=11000, rows_written=0
    )
    progress.progress_write(job.pk, {"rows_written": 3000, "rows_to_write": 11000})
    html = client.get(page).content.decode()
    assert "Writing the records: 3,000 of 11,000 written." in html
    assert client.get(poll).json()["rows_written"] == 3000
    assert client.get(poll).json()["finished"] is False


def test_the_job_saves_progress_outside_the_write_transaction(world, monkeypatch, queued):
    """Checking: saved on the job as it goes. Writing: the job says so before the write
    transaction opens; the rows written go to the progress file from inside it."""
    monkeypatch.setattr(services, "WRITE_CHUNK", 2)
    monkeypatch.setattr(validate, "PROGRESS_EVERY", 2)
    seen: list[tuple[str, int, int]] = []
    real_write = jobs.progress_write

    def spy(job_id, figures):
        job = ImportJob.objects.get(pk=job_id)
        seen.append((job.phase, figures["rows_written"], figures["rows_to_write"]))
        real_write(job_id, figures)
        assert progress.progress_read(job_id) == figures

    monkeypatch.setattr(jobs, "progress_write", spy)
    job = jobs.import_job_start(
        actor=world.business_unit,
        partnership=world.partnership,
        record_type="cases",
        data=csv_file(_rows(5)),
        file_name="cases.csv",
    )
    assert seen == [("writing", 0, 5), ("writing", 2, 5), ("writing", 4, 5), ("writing", 5, 5)]
    assert job.phase == ImportPhase.DONE and job.rows_written == 5
    assert progress.progress_read(job.pk) is None


def test_only_the_business_unit_of_the_partnership_sees_an_import(
    world, other_world, client_for, queued
):
    client = client_for(world.business_unit)
    _upload(client, csv_file(_rows(2)))
    job = ImportJob.objects.get(partnership=world.partnership)
    urls = [reverse("imports:job", args=[job.pk]), reverse("imports:progress", args=[job.pk])]
    for role in ("rag_member", "agency_lead", "scrutineer", "scrutiny_reader"):
        client = client_for(world.users[role])
        assert [client.get(u).status_code for u in urls] == [403, 403], role
    client = client_for(other_world.business_unit)
    assert [client.get(u).status_code for u in urls] == [404, 404]
    client.logout()
    assert [client.get(u).status_code for u in urls] == [302, 302]


def test_a_small_file_is_still_imported_within_the_request(world, client_for):
    client = client_for(world.business_unit)
    response = _upload(client, csv_file(_rows(2)))
    assert response.status_code == 200 and "2 cases imported" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_command_prints_progress_on_stderr(world, tmp_path, capsys):
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_file(_rows(3)))
    call_command("import_records", "--partnership", world.partnership.slug, str(path))
    out, err = capsys.readouterr()
    assert "Written: 3" in out
    assert "checking: 3 of 3 rows" in err and "writing: 3 of 3 rows" in err


def test_the_import_page_links_recent_imports_and_old_ones_are_removed(world, client_for, queued):
    client = client_for(world.business_unit)
    old = ImportJob.objects.create(
        partnership=world.partnership,
        record_type="cases",
        file_name="old.csv",
        phase=ImportPhase.DONE,
        finished_at=timezone.now() - dt.timedelta(days=jobs.KEPT_DAYS + 1),
    )
    _upload(client, csv_file(_rows(2)), name="new.csv")
    assert not ImportJob.objects.filter(pk=old.pk).exists()
    job = ImportJob.objects.get(partnership=world.partnership)
    html = client.get(URL).content.decode()
    assert f'href="{reverse("imports:job", args=[job.pk])}">new.csv</a>' in html
    assert job.get_phase_display() in html
