"""Issuing scrutiny reports through the form: versions kept with who issued them, the period
and filters; progress; a failed generation; and the brief's text kept between versions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from safeguarding.accounts.testing import login_verified
from safeguarding.core.concurrency import version_data
from safeguarding.reports import generation
from safeguarding.reports.models import Generation, Report, ReportVersion
from safeguarding.reports.tests.report_helpers import (
    fast_render,  # noqa: F401
    make_reviewed_case,
)

pytestmark = pytest.mark.usefixtures("fast_render")

PERIOD = {"start": "2021-05-01", "end": "2022-12-31"}


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_bad_input_saves_nothing_and_regenerating_keeps_every_version(client, world):
    login_verified(client, world.business_unit)
    response = client.post(
        reverse("reports:scrutiny_new"), {"start": "2022-12-31", "end": "2021-05-01"}
    )
    page = _text(response)
    assert "There is a problem" in page
    assert "The end of the period must be on or after its start" in page
    response = client.post(reverse("reports:scrutiny_new"), {})
    assert "Enter the start of the period" in _text(response)
    assert not ReportVersion.objects.exists()

    # Regenerating a period issues the next version and keeps the old.
    url = reverse("reports:scrutiny_new")
    first = client.post(url, {**PERIOD, "introduction": "First words."})
    version_1 = ReportVersion.objects.get()
    assert first.url == reverse("reports:version", args=[version_1.pk])
    client.post(url, {**PERIOD, "introduction": "Second words."})
    client.post(url, {**PERIOD, "review_kinds": ["rapid_review"], "agencies": [world.police.pk]})

    report = Report.objects.get(review_kinds=[])
    assert [v.number for v in report.versions.order_by("number")] == [1, 2]
    assert report.introduction == "Second words."  # kept on the report, for next time
    old, new = report.versions.order_by("number")
    assert old.text == {"introduction": "First words."}  # each version as issued
    assert new.issued_by == world.business_unit
    assert (str(new.period_start), str(new.period_end)) == (PERIOD["start"], PERIOD["end"])
    filtered = ReportVersion.objects.exclude(report=report).get()
    assert filtered.number == 1
    assert filtered.filters_label == "Rapid review; Police"

    page = _text(client.get(reverse("reports:home")))
    title = "Cross-cutting themes from review processes, 1 May 2021 to 31 December 2022"
    # One row per version, newest first: the filtered report, then version 2, then version 1.
    rows = re.findall(
        re.escape(title) + r'<span class="govuk-visually-hidden">, version (\d)', page
    )
    assert rows == ["1", "2", "1"]
    assert page.index("Rapid review; Police") < page.index(", version 2<")
    assert "Draft" in page and "Word" in page and "PDF" in page and "HTML" in page


def test_a_queued_version_shows_its_steps_as_they_run_and_a_failed_one_says_so(
    client, world, monkeypatch
):
    # A backend that only queues: the page shows the version waiting, with its steps.
    monkeypatch.setattr("safeguarding.reports.services._enqueue", lambda version: None)
    login_verified(client, world.business_unit)
    client.post(reverse("reports:scrutiny_new"), PERIOD)
    version = ReportVersion.objects.get()
    page = _text(client.get(reverse("reports:version", args=[version.pk])))
    assert "Generating the report" in page and "Waiting to start" in page
    assert 'role="status"' in page and "report-progress.js" in page
    # Other roles do not see a version being generated.
    login_verified(client, world.users["rag_member"])
    assert client.get(reverse("reports:version", args=[version.pk])).status_code == 404

    seen: list[dict] = []

    def look(step: int) -> None:
        seen.append(client.get(reverse("reports:progress", args=[version.pk])).json())

    login_verified(client, world.business_unit)
    generation.run_generation(version.pk, on_step=look)
    assert [p["message"] for p in seen] == [
        "Step 1 of 4: Counting reviews",
        "Step 2 of 4: Drawing charts",
        "Step 3 of 4: Writing Word",
        "Step 4 of 4: Writing PDF",
    ]
    # Finished: every step done, and the page shows the downloads instead of the progress.
    progress = client.get(reverse("reports:progress", args=[version.pk])).json()
    assert progress["finished"] and {s["state"] for s in progress["steps"]} == {"done"}
    page = _text(client.get(reverse("reports:version", args=[version.pk])))
    assert "Word (public)" in page and "PDF (draft, full figures)" in page
    assert "Generating the report" not in page

    def broken(document, fmt):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(generation, "render", broken)
    client.post(reverse("reports:scrutiny_new"), PERIOD)
    failed = ReportVersion.objects.get(number=2)
    generation.run_generation(failed.pk)
    failed.refresh_from_db()
    assert failed.generation == Generation.FAILED
    assert not failed.files.exists()
    assert "could not be generated" in _text(
        client.get(reverse("reports:version", args=[failed.pk]))
    )


def test_the_brief_keeps_its_text_and_each_version(client, world):
    review = make_reviewed_case(world)
    login_verified(client, world.business_unit)
    url = reverse("reports:brief", args=[review.pk])
    assert "Learning brief" in _text(client.get(reverse("reviews:review_detail", args=[review.pk])))
    response = client.post(url, {"summary": "", "questions": ""})
    assert "Enter a summary" in _text(response)
    assert not Report.objects.exists()
    # Each save carries the version of the brief it was opened on (none yet, then the first).
    brief = Report.objects.filter(review=review)
    client.post(url, {"summary": "First summary.", "questions": "Q1?", **version_data(brief)})
    client.post(url, {"summary": "Second summary.", "questions": "Q1?\nQ2?", **version_data(brief)})
    report = Report.objects.get()
    assert (report.summary, report.questions) == ("Second summary.", "Q1?\nQ2?")
    assert [v.text["summary"] for v in report.versions.order_by("number")] == [
        "First summary.",
        "Second summary.",
    ]
    page = _text(client.get(url))
    assert "Second summary." in page  # the form holds the kept text
    assert "Versions of this brief, newest first" in page
