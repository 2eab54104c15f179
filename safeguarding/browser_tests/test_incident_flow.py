"""The foundation's main journey in a real browser, with axe and the console checked on every page.

A business-unit officer signs in, records an incident (after first submitting the form empty),
and finds the rapid review's statutory due date on the dashboard. Every page visited must have
no WCAG 2.0/2.1/2.2 A or AA violations and nothing in the console, with the site's real
Content-Security-Policy in force.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safeguarding.browser_tests.axe import assert_no_axe_violations
from safeguarding.core.workingdays import WorkingCalendar
from safeguarding.reviews.models import Case, Incident, Review
from safeguarding.testing.factories import make_incident, make_world, rapid_review_of

pytestmark = pytest.mark.browser


def long_date(day: dt.date) -> str:
    """As the pages show dates: 3 December 2026."""
    return f"{day.day} {day:%B %Y}"


def wait_for_govuk_frontend(page: Any) -> None:
    """GOV.UK Frontend's JavaScript has run: it marks every component it starts.

    The skip link is on every page, so its init mark shows that init.mjs ran under the CSP and
    that the module it imports loaded; console errors from that run are in by then.
    """
    page.wait_for_selector("[data-module='govuk-skip-link'][data-govuk-skip-link-init]")


def check_page(page: Any, console_errors: Any, what: str) -> None:
    """The page in front of us: JavaScript started, no axe violations, a clean console."""
    wait_for_govuk_frontend(page)
    assert_no_axe_violations(page)
    console_errors.assert_none(f"on the {what}")


def choose(page: Any, question: str, answer: str) -> None:
    """Answer a choice question, whether the page asks it with radios or a select."""
    select = page.get_by_role("combobox", name=question, exact=True)
    if select.count():
        select.select_option(label=answer)
    else:
        page.get_by_role("group", name=question, exact=True).get_by_label(
            answer, exact=True
        ).check()


def visit(page: Any, url: str) -> Any:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    return response


def test_business_unit_records_an_incident_and_sees_the_rapid_review_due_date(
    page, live_server, login, console_errors, screenshot
):
    world = make_world()
    # Dates written out, not computed by the calendar under test: aware on Wednesday 20 May
    # 2026; 15 working days on, skipping the weekends and the spring bank holiday (Monday 25
    # May 2026), is Thursday 11 June 2026.
    aware_on = dt.date(2026, 5, 20)
    notified_on = dt.date(2026, 5, 21)
    expected_due = "11 June 2026"
    reference = "Child Browser"

    # Sign in through the real form (axe on the form first); we land on the dashboard.
    login(world.business_unit, check=lambda: check_page(page, console_errors, "sign-in page"))
    expect(page).to_have_url(f"{live_server.url}/")
    check_page(page, console_errors, "dashboard (before)")

    # To the form through the menu, as a person would.
    page.get_by_role("link", name="Incidents", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/incidents/")
    check_page(page, console_errors, "incident list")
    page.get_by_role("link", name="Record an incident").click()
    expect(page).to_have_url(f"{live_server.url}/incidents/new/")
    check_page(page, console_errors, "incident form")

    # Sent empty: the GOV.UK error summary, and nothing saved.
    page.get_by_role("button", name="Record incident").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: Record an incident"))
    expect(page).to_have_url(f"{live_server.url}/incidents/new/")
    for problem in ("Enter case reference", "Select outcome", "Enter what happened"):
        expect(summary.get_by_role("link", name=problem)).to_be_visible()
    # Each of the summary's links goes to the field it is about.
    for href in summary.get_by_role("link").evaluate_all("links => links.map(a => a.hash)"):
        expect(page.locator(f"main {href}")).to_have_count(1)
    check_page(page, console_errors, "incident form with errors")
    screenshot("incident-form-errors")
    assert Case.objects.count() == 0
    assert Incident.objects.count() == 0
    assert Review.objects.count() == 0

    # Filled in properly.
    page.get_by_label("Case reference", exact=True).fill(reference)
    page.get_by_label("Age at the incident, in years", exact=True).fill("3")
    choose(page, "Sex", "Female")
    choose(page, "Ethnicity", "White")
    choose(page, "Disability", "No")
    choose(page, "Outcome", "Seriously harmed")
    choose(page, "Category of abuse or neglect", "Physical abuse")
    page.get_by_label("Incident date", exact=True).fill(aware_on.isoformat())
    agencies = page.get_by_role("group", name="Agencies involved with the child or family")
    agencies.get_by_label("Police", exact=True).check()
    agencies.get_by_label("Integrated care board", exact=True).check()
    page.get_by_label("What happened", exact=True).fill(
        "A fictional incident, from a browser test."
    )
    page.get_by_label("Date the local authority became aware", exact=True).fill(
        aware_on.isoformat()
    )
    choose(page, "Notification decision", "Notify the national Panel")
    page.get_by_label("Reasons for the decision", exact=True).fill("Serious harm; abuse suspected.")
    page.get_by_label("Date the national Panel was notified", exact=True).fill(
        notified_on.isoformat()
    )
    page.get_by_role("button", name="Record incident").click()

    # The incident's page.
    expect(page).to_have_url(re.compile(r"/incidents/\d+/$"))
    incident = Incident.objects.get(case__reference=reference)
    expect(page).to_have_url(f"{live_server.url}/incidents/{incident.pk}/")
    expect(page.get_by_role("heading", name=reference, level=1)).to_be_visible()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Incident for {reference} recorded"
    )
    check_page(page, console_errors, "incident page")
    review = rapid_review_of(incident)
    assert review.case.agencies_involved.count() == 2

    # The dashboard shows the rapid review due 15 working days after the LA became aware.
    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/")
    row = page.locator("tr", has=page.get_by_role("link", name=review.title, exact=True))
    expect(row).to_have_count(1)
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == expected_due, cells
    assert "Rapid review (15 working days)" in cells[2], cells
    check_page(page, console_errors, "dashboard")
    screenshot("dashboard")

    # And on to the rapid review itself.
    row.get_by_role("link", name=review.title, exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/reviews/{review.pk}/")
    expect(page.get_by_role("heading", name=review.title, level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text(expected_due)
    check_page(page, console_errors, "rapid review page")
    screenshot("review-detail")


def test_every_other_main_page_is_accessible_to_the_business_unit(
    page, live_server, login, console_errors, screenshot
):
    world = make_world()
    today = timezone.localdate()
    calendar = WorkingCalendar()
    incident = make_incident(
        world,
        la_aware_on=calendar.add(today, -20),
        notified_on=calendar.add(today, -18),
        agencies=[world.police, world.la],
        age_years=0,
        sex="male",
        outcome="died",
    )
    # Clocks in every state on the dashboard: the first incident's rapid review is overdue and
    # its notification met; this one's notification is due soon and its rapid review on track.
    make_incident(world, la_aware_on=calendar.add(today, -4))
    review = rapid_review_of(incident)
    case = incident.case
    rapid_rule = world.partnership.clock_rules.get(key="rapid_review")
    band = world.partnership.age_bands.first()

    login(world.business_unit)
    tags = page.locator("main .govuk-tag")
    for status in ("Overdue", "Due soon", "On track"):
        expect(tags.filter(has_text=status).first).to_be_visible()
    check_page(page, console_errors, "dashboard")
    screenshot("dashboard-every-status")

    pages = {
        "incident list": "/incidents/",
        "case list": "/cases/",
        "case page": f"/cases/{case.pk}/",
        "review list": "/reviews/",
        "review list filtered": "/reviews/?kind=rapid_review",
        "review page": f"/reviews/{review.pk}/",
        "settings": "/accounts/settings/",
        "rapid review clock": f"/accounts/settings/clocks/{rapid_rule.pk}/",
        "removing an age band": f"/accounts/settings/age-bands/{band.pk}/remove/",
        "period summary (empty)": "/period-summary/",
    }
    for what, path in pages.items():
        visit(page, live_server.url + path)
        assert page.locator("h1").count() == 1, what
        check_page(page, console_errors, what)

    # The period summary with a period filled in, through its form.
    visit(page, f"{live_server.url}/period-summary/")
    page.get_by_label("From").fill(calendar.add(today, -60).isoformat())
    page.get_by_label("To").fill(today.isoformat())
    page.get_by_role("button", name="Show summary").click()
    expect(page).to_have_url(re.compile(r"/period-summary/\?.*start="))
    expect(page.get_by_role("heading", name=re.compile("^Review processes"))).to_be_visible()
    expect(page.locator("main")).to_contain_text("2 rapid reviews in the period")
    check_page(page, console_errors, "period summary")
    screenshot("period-summary")


def test_pages_work_under_the_real_content_security_policy(
    page, live_server, login, console_errors
):
    """The browser tests run with the site's CSP in force: prove it, so that the console checks
    above would see anything the policy blocks."""
    world = make_world()
    login(world.business_unit)
    response = visit(page, f"{live_server.url}/")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    wait_for_govuk_frontend(page)
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    console_errors.assert_none("on the dashboard")

    # An inline script is refused, and the refusal reaches the console-error collector.
    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(content="window.__inline_ran = true")
    assert page.evaluate("window.__inline_ran === undefined")
    assert any("Content Security Policy" in e for e in console_errors.errors)
    console_errors.errors.clear()


def test_the_accessibility_check_reports_what_it_finds(page):
    """assert_no_axe_violations fails loudly, naming each rule, its help and the nodes."""
    page.set_content(
        "<!DOCTYPE html><html><head><title>Bad page</title></head><body><main>"
        "<img id='no-alt' src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
        "<label>Name <input id='one'></label><input id='unlabelled'>"
        "</main></body></html>"
    )
    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page)
    message = str(failure.value)
    assert "- html-has-lang" in message
    assert "- image-alt (critical): Images must have alternative text" in message
    assert "at #no-alt" in message
    assert "at #unlabelled" in message
    assert "#one" not in message
