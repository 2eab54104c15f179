"""The escalation register in a real browser, with axe and the console checked on every page.

An agency lead records an escalation (after first sending the form empty) with no more than
five required answers, in well under a minute, then moves it up a stage with one button. The
business unit then looks at the register, the stages and the analysis.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safeguarding.browser_tests.axe import assert_no_axe_violations
from safeguarding.escalations.models import Escalation, EscalationStage
from safeguarding.escalations.services import escalation_record
from safeguarding.testing.factories import make_world

pytestmark = pytest.mark.browser


def check_page(page: Any, console_errors: Any, what: str) -> None:
    """GOV.UK Frontend has started (its skip-link mark), no axe violations, a clean console."""
    page.wait_for_selector("[data-module='govuk-skip-link'][data-govuk-skip-link-init]")
    assert_no_axe_violations(page)
    console_errors.assert_none(f"on the {what}")


def form_questions(page: Any) -> list[dict[str, Any]]:
    """Each question of the page's main form: its label (or legend) and whether it is optional
    (GOV.UK marks optional questions "(optional)" and leaves required ones unmarked)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main form .govuk-form-group')].map(group => {
            const label = group.querySelector('legend, label');
            const text = label ? label.textContent.trim() : '';
            return {label: text, optional: text.includes('(optional)')};
        })"""
    )


def test_agency_lead_records_an_escalation_and_moves_it_up_a_stage(
    page, live_server, login, console_errors, screenshot
):
    world = make_world()
    lead = world.users["agency_lead"]  # the police
    login(lead)
    check_page(page, console_errors, "dashboard")

    page.get_by_role("link", name="Escalations", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/escalations/")
    check_page(page, console_errors, "register")
    page.get_by_role("link", name="Record an escalation").click()
    check_page(page, console_errors, "record form")

    # No more than five required questions; the rest say "(optional)".
    questions = form_questions(page)
    required = [q["label"] for q in questions if not q["optional"]]
    assert len(required) <= 5, required
    assert required == [
        "Raised by (agency)",
        "About (the agency whose decision is challenged)",
        "Concern",
        "Date raised",
        "Stage reached",
    ]

    # Sent with everything cleared: the GOV.UK error summary, nothing saved.
    page.get_by_label("Raised by (agency)").select_option(label="Choose an agency")
    page.get_by_label("Date raised").fill("")
    page.get_by_role("button", name="Record the escalation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    check_page(page, console_errors, "record form with errors")
    assert not Escalation.objects.exists()

    # Recorded properly, timed from a fresh form to the saved escalation's page.
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Record an escalation").click()
    started = time.monotonic()
    page.get_by_label("About (the agency whose decision is challenged)").select_option(
        label="Children's services"
    )
    page.get_by_label("Concern", exact=True).select_option(label="Threshold or referral decision")
    # Raised by (the lead's own agency), the date (today) and the stage (the first) are filled
    # in already: two answers and a button.
    page.get_by_role("button", name="Record the escalation").click()
    expect(page).to_have_url(re.compile(r"/escalations/\d+/$"))
    took = time.monotonic() - started
    assert took < 60, f"recording took {took:.1f} s"

    escalation = Escalation.objects.get()
    assert page.url == f"{live_server.url}/escalations/{escalation.pk}/"
    assert escalation.raised_by_agency == world.police
    assert escalation.raised_on == timezone.localdate()
    assert (
        f"Escalation {escalation.reference} recorded"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    check_page(page, console_errors, "escalation page")
    screenshot("escalation-recorded")

    # Up a stage: one button.
    page.get_by_role("button", name="Move up to stage 2: manager to manager").click()
    history = page.get_by_role("table", name="Stages, with when each began and ended")
    # The page is the same address before and after: wait for the second row, not the URL.
    expect(history.locator("tbody tr")).to_have_count(2)
    assert page.url == f"{live_server.url}/escalations/{escalation.pk}/"
    escalation.refresh_from_db()
    assert escalation.stage.number == 2
    rows = history.locator("tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert rows[0].startswith("1. Practitioner to practitioner") and "moved up a stage" in rows[0]
    assert rows[1].startswith("2. Manager to manager") and "Still at this stage" in rows[1]
    check_page(page, console_errors, "escalation page after moving up")
    screenshot("escalation-moved-up")


def test_business_unit_escalation_pages_are_accessible(page, live_server, login, console_errors):
    world = make_world()
    today = timezone.localdate()
    stages = {s.number: s for s in EscalationStage.objects.filter(partnership=world.partnership)}
    escalation = escalation_record(
        actor=world.business_unit,
        partnership=world.partnership,
        raised_by_agency=world.school,
        about_agency=world.la,
        category="threshold",
        raised_on=today,
        stage=stages[1],
        child_reference="Child Browser",
    )
    login(world.business_unit)
    for what, path in {
        "register": "/escalations/",
        "closed register": "/escalations/?status=closed",
        "escalation page": f"/escalations/{escalation.pk}/",
        "add detail form": f"/escalations/{escalation.pk}/edit/",
        "stages": "/escalations/stages/",
        "stage form": f"/escalations/stages/{stages[2].pk}/",
        "analysis": "/escalations/analysis/",
    }.items():
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, what
        assert page.locator("h1").count() == 1, what
        check_page(page, console_errors, what)

    # The chart: an image with a title and a text alternative, beside its data table.
    chart = page.get_by_role("img", name="Escalations by stage reached and outcome")
    assert chart.count() == 1
    description = chart.locator("desc").text_content() or ""
    assert "Stage 1: Practitioner to practitioner: 1 escalation (open 1" in description
    assert page.get_by_role("table", name="By stage reached and outcome").count() == 1

    # Closing with a bad answer shows the error summary on the escalation's page.
    page.goto(f"{live_server.url}/escalations/{escalation.pk}/")
    page.get_by_role("group", name="Outcome").get_by_label("Resolved").check()
    page.get_by_role("button", name="Close at stage 1").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, console_errors, "escalation page with a close error")
