"""Reports in a real browser, with axe and the console checked on every page.

The business unit generates a scrutiny report through the form (after first sending it with the
period the wrong way round), watches its progress step by step, sees the finished version with
its downloads and publishes it. Then it writes a learning brief with a child's name planted in
the summary, and the publication check blocks it with a list of what it found and where.

The task queue is replaced by one that only queues (DummyBackend); the test thread then runs the
queued generation, as the worker would, while the page polls its progress. The scrutiny report
is a small one-section document here: its full content has its own tests.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from safeguarding.browser_tests.axe import assert_no_axe_violations
from safeguarding.reports import generation
from safeguarding.reports.models import ReportVersion
from safeguarding.reports.tests.report_helpers import (
    CHILD_NAME,
    _small_scrutiny,
    make_reviewed_case,
)
from safeguarding.testing.factories import make_world

pytestmark = pytest.mark.browser


def check_page(page: Any, console_errors: Any, what: str) -> None:
    page.wait_for_selector("[data-module='govuk-skip-link'][data-govuk-skip-link-init]")
    assert_no_axe_violations(page)
    console_errors.assert_none(f"on the {what}")


@pytest.fixture
def queue_only(settings: Any, monkeypatch: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(generation, "scrutiny_document", _small_scrutiny)


def run_queued_generation(page: Any, version: ReportVersion) -> None:
    """Run the queued generation as the worker would, checking the page shows each step."""
    labels = generation.steps_for(version.report.kind)

    def on_step(number: int) -> None:
        expect(page.locator("[data-progress-message]")).to_have_text(
            f"Step {number} of {len(labels)}: {labels[number - 1]}"
        )
        expect(page.locator(f"[data-step='{number}'] [data-step-state]")).to_have_text(
            "In progress"
        )

    generation.run_generation(version.pk, on_step=on_step)
    version.refresh_from_db()
    assert version.is_ready, version.error


def test_business_unit_generates_publishes_and_is_stopped_by_a_planted_name(
    page, live_server, login, console_errors, screenshot, queue_only
):
    world = make_world()
    review = make_reviewed_case(world)
    login(world.business_unit)

    page.get_by_role("link", name="Reports", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/reports/")
    expect(page.get_by_text("No reports have been issued yet.")).to_be_visible()
    check_page(page, console_errors, "reports page")

    page.get_by_role("link", name="Generate a scrutiny report").click()
    check_page(page, console_errors, "new report form")
    page.get_by_label("Period from").fill("2022-12-31")
    page.get_by_label("Period to").fill("2021-05-01")
    page.get_by_role("button", name="Generate the report").click()
    summary = page.locator(".govuk-error-summary")
    expect(
        summary.get_by_text("The end of the period must be on or after its start")
    ).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    check_page(page, console_errors, "form with errors")
    assert not ReportVersion.objects.exists()

    page.get_by_label("Period from").fill("2021-05-01")
    page.get_by_label("Period to").fill("2022-12-31")
    page.get_by_label("Rapid review").check()
    page.get_by_label("Introduction (optional)").fill("This report is for the scrutiny board.")
    page.get_by_role("button", name="Generate the report").click()
    expect(page.get_by_role("heading", name="Generating the report")).to_be_visible()
    expect(page.locator("[data-progress-message]")).to_have_text("Waiting to start")
    check_page(page, console_errors, "progress page")
    screenshot("report-progress-waiting")

    version = ReportVersion.objects.get()
    run_queued_generation(page, version)
    expect(page.get_by_role("heading", name="Download")).to_be_visible()
    expect(page.get_by_role("link", name="Word (public)")).to_be_visible()
    expect(page.get_by_role("heading", name="Generating the report")).to_have_count(0)
    check_page(page, console_errors, "finished version")
    screenshot("report-version-finished")

    page.get_by_role("button", name="Mark as published").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("published")
    expect(page.locator(".govuk-summary-list").get_by_text("Published", exact=True)).to_be_visible()
    check_page(page, console_errors, "published version")

    # A learning brief, from the review page, with the child's name planted in the summary.
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    page.get_by_role("link", name="Learning brief").click()
    check_page(page, console_errors, "learning brief form")
    page.get_by_label("Summary").fill(
        f"{CHILD_NAME}, aged two, was seriously harmed at home near EX1 2AB."
    )
    page.get_by_label("Questions for practitioners").fill("Who else lives in the home?")
    page.get_by_role("button", name="Save and generate the brief").click()
    expect(page.locator("[data-progress-message]")).to_have_text("Waiting to start")
    brief_version = ReportVersion.objects.get(report__review=review)
    run_queued_generation(page, brief_version)
    expect(page.get_by_role("link", name="PDF (public)")).to_be_visible()

    page.get_by_role("button", name="Mark as published").click()
    summary = page.locator(".govuk-error-summary")
    expect(
        summary.get_by_role("heading", name=re.compile("Not published: 2 identifying"))
    ).to_be_visible()
    items = summary.locator("#publication-findings li")
    expect(items).to_have_count(2)
    expect(items.first).to_have_text(
        "Name from a child's identifying record (J••••• O•••••) in Section 1 'Summary', "
        "paragraph 1 (from Learning brief of review 'Local learning review: Child P', field "
        "'summary')"
    )
    expect(summary).not_to_contain_text(CHILD_NAME)
    check_page(page, console_errors, "blocked publication")
    screenshot("report-publication-blocked")
    brief_version.refresh_from_db()
    assert not brief_version.is_published

    page.get_by_role("link", name="Reports", exact=True).click()
    rows = page.locator("#history tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Learning brief")
    expect(rows.nth(1)).to_contain_text("Published")
    expect(rows.nth(1)).to_contain_text("Rapid review; all agencies")
    check_page(page, console_errors, "reports page with history")
    screenshot("reports-history")
