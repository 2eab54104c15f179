"""The assurance chain in a real browser, with axe and the console checked on every page.

An agency lead finds the business unit's request on their home page, first sends the form
empty (and sees the GOV.UK error summary), then submits the stage their agency has reached with
its evidence. The business unit finds the submission waiting and accepts it; the chain moves.
On the way the lead finds their action can't be completed without evidence, attaches a file
and completes it. The action-plan and dissemination pages are checked for each of them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safeguarding.actionplans import services as action_services
from safeguarding.browser_tests.axe import assert_no_axe_violations
from safeguarding.dissemination import services
from safeguarding.dissemination.models import AssuranceRecord, Stage, SubmissionStatus
from safeguarding.learning.models import Theme
from safeguarding.testing.factories import make_world

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Evidence files go to a temporary folder, not the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def check_page(page: Any, console_errors: Any, what: str) -> None:
    """GOV.UK Frontend has started (its skip-link mark), no axe violations, a clean console."""
    page.wait_for_selector("[data-module='govuk-skip-link'][data-govuk-skip-link-init]")
    assert_no_axe_violations(page)
    console_errors.assert_none(f"on the {what}")


def sign_out(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def test_agency_lead_submits_evidence_and_the_business_unit_accepts_it(
    page, live_server, login, console_errors, screenshot
):
    world = make_world()
    today = timezone.localdate()
    theme = Theme.objects.get(partnership=world.partnership, name="Escalation")
    product = services.product_save(
        actor=world.business_unit,
        partnership=world.partnership,
        kind="seven_minute",
        title="7-minute briefing: escalation",
        summary="How to escalate, and how to record early challenge.",
        issued_on=today,
        themes=[theme],
    )
    services.assurance_request(
        actor=world.business_unit, product=product, agencies=[world.police], on=today
    )
    action = action_services.action_create(
        actor=world.business_unit,
        partnership=world.partnership,
        title="Promote the concerns resolution process",
        owner_agency=world.police,
        lead="Detective Inspector",
        agreed_on=today,
        due_on=today,
        theme=theme,
    )
    record = AssuranceRecord.objects.get()

    # The agency lead: dashboard, their home page, the request.
    login(world.users["agency_lead"])
    check_page(page, console_errors, "agency lead's dashboard")
    page.get_by_role("link", name="Your agency's actions and assurance").click()
    check_page(page, console_errors, "agency home")
    screenshot("agency-home")
    page.get_by_role("link", name=action.title).click()
    check_page(page, console_errors, "action page")

    # Completing it before any evidence is refused; a file, then it can be completed.
    page.get_by_role("group", name="Status").get_by_label("Completed").check()
    page.get_by_role("button", name="Save the status").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Add evidence before marking the action completed"
    )
    check_page(page, console_errors, "action completed without evidence")
    page.get_by_role("group", name="Kind of evidence").get_by_label("File").check()
    page.get_by_label("What the evidence shows").fill("Course register: 48 officers trained.")
    page.get_by_label("File (for a file)").set_input_files(
        files=[{"name": "register.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Add the evidence").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Evidence added")
    expect(page.get_by_role("link", name="Download register.pdf")).to_be_visible()
    page.get_by_role("group", name="Status").get_by_label("Completed").check()
    page.get_by_role("button", name="Save the status").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Status changed")
    check_page(page, console_errors, "completed action")
    action.refresh_from_db()
    assert action.status == "completed" and action.evidence.get().original_name == "register.pdf"

    page.goto(f"{live_server.url}/actions/my-agency/")
    page.get_by_role("link", name=product.title).click()
    expect(page).to_have_url(f"{live_server.url}/practice/assurance/{record.pk}/")
    check_page(page, console_errors, "assurance request")

    # Sent empty: the error summary, nothing saved.
    page.get_by_role("button", name="Submit to the business unit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    check_page(page, console_errors, "submission with errors")
    assert not record.submissions.exists()

    page.get_by_role("group", name="Stage reached").get_by_label("Disseminated internally").check()
    page.get_by_label("Date reached").fill(today.isoformat())
    page.get_by_label("Evidence", exact=True).fill(
        "Briefing sent to every response team; read receipts from 212 officers."
    )
    page.get_by_role("button", name="Submit to the business unit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Submitted to the business unit"
    )
    check_page(page, console_errors, "submitted assurance")
    screenshot("assurance-submitted")
    submission = record.submissions.get()
    assert submission.status == SubmissionStatus.SUBMITTED
    sign_out(page)

    # The business unit: the waiting submission, accepted.
    login(world.business_unit)
    page.get_by_role("link", name="Learning into practice").click()
    check_page(page, console_errors, "learning into practice")
    page.get_by_role("table", name="Assurance waiting for your decision").get_by_role(
        "link"
    ).first.click()
    check_page(page, console_errors, "submission to decide")
    page.get_by_role("group", name="Decision").get_by_label("Accept").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Accepted")
    check_page(page, console_errors, "accepted assurance")
    screenshot("assurance-accepted")
    record.refresh_from_db()
    submission.refresh_from_db()
    assert (record.stage, record.stage_on) == (Stage.DISSEMINATED, today)
    assert submission.status == SubmissionStatus.ACCEPTED

    for what, path in {
        "product page": f"/practice/products/{product.pk}/",
        "where learning stalls": "/practice/assurance/",
        "planner": "/practice/planner/",
        "reach": "/practice/reach/",
        "actions": "/actions/",
        "action page": f"/actions/{action.pk}/",
        "set an action": "/actions/new/",
        "recommendations": "/actions/recommendations/",
        "plan sessions": "/practice/planner/new/",
        "record a learning product": "/practice/products/new/",
    }.items():
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, what
        check_page(page, console_errors, what)
