"""Learning in a real browser: a business-unit officer records two findings on a review page
and sees them counted on the cross-cutting analysis, then follows a count to the findings.
axe and the console are checked on every page visited, with the real Content-Security-Policy.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from safeguarding.browser_tests.test_incident_flow import check_page
from safeguarding.learning.models import Finding
from safeguarding.reviews import services as review_services
from safeguarding.testing.factories import make_world

pytestmark = pytest.mark.browser


def fill_finding(page: Any, number: int, kind: str, text: str, themes: list[str]) -> None:
    entry = page.get_by_role("group", name=f"New finding {number}", exact=True)
    entry.get_by_role("group", name="Type of finding").get_by_label(kind, exact=True).check()
    entry.get_by_label("Finding", exact=True).fill(text)
    for theme in themes:
        entry.get_by_role("group", name="Themes").get_by_label(theme, exact=True).check()


def test_two_findings_recorded_on_a_review_are_counted_on_the_analysis_page(
    page, live_server, login, console_errors, screenshot
):
    world = make_world()
    review = review_services.review_create(
        actor=world.business_unit,
        partnership=world.partnership,
        agencies=[world.police],
        kind="local_learning",
        title="Local learning review: Child Browser",
        opened_on=dt.date(2022, 5, 9),
    )
    login(world.business_unit)
    check_page(page, console_errors, "dashboard")

    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    expect(page.get_by_role("heading", name="Findings", level=2)).to_be_visible()
    check_page(page, console_errors, "review page before findings")
    fill_finding(
        page, 1, "Good practice", "The school passed on its worry the same day.", ["Escalation"]
    )
    fill_finding(
        page,
        2,
        "Area for improvement",
        "Nobody asked who else lived in the home.",
        ["Professional curiosity", "Escalation"],
    )
    page.get_by_role("button", name="Save findings").click()

    # Back on the review page, with both findings shown.
    expect(page).to_have_url(f"{live_server.url}/reviews/{review.pk}/#findings")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 findings recorded")
    main = page.locator("main")
    expect(main).to_contain_text("The school passed on its worry the same day.")
    expect(main).to_contain_text("Nobody asked who else lived in the home.")
    check_page(page, console_errors, "review page with findings")
    screenshot("review-findings")
    assert Finding.objects.filter(review=review).count() == 2

    # To the analysis through the menu, for 2022.
    page.get_by_role("link", name="Themes", exact=True).click()
    check_page(page, console_errors, "analysis page (default period)")
    page.get_by_label("From", exact=True).fill("2022-01-01")
    page.get_by_label("To", exact=True).fill("2022-12-31")
    page.get_by_role("button", name="Show the analysis").click()
    # Wait for the new page: reading cells straight after the click can read the old one.
    expect(page).to_have_url(re.compile(r"start=2022-01-01"))
    table = page.locator("#themes")
    escalation = table.locator("tr", has=page.get_by_role("link", name="Escalation", exact=True))
    expect(escalation).to_have_count(1)
    cells = escalation.locator("td").all_inner_texts()
    # One review, 100% of the period's reviews, good practice in it and improvement in it,
    # two findings; one review is below the threshold of two, so not cross-cutting.
    numbers = [re.match(r"[\d.]+%?", c.strip()).group(0) for c in cells[:5]]  # type: ignore[union-attr]
    assert numbers == ["1", "100.0%", "1", "1", "2"], cells
    curiosity = table.locator(
        "tr", has=page.get_by_role("link", name="Professional curiosity", exact=True)
    )
    assert curiosity.locator("td").nth(4).inner_text().startswith("1")
    check_page(page, console_errors, "analysis page")
    screenshot("analysis")
    # As narrow as a phone, or 400% zoom: the tables scroll in their own boxes, the page does
    # not (WCAG 1.4.10; the cells' visually hidden text used to widen the page).
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size(size)

    # A count leads to the findings behind it.
    escalation.locator("td").nth(4).get_by_role("link").click()
    expect(page.get_by_role("heading", name="2 findings from 1 review")).to_be_visible()
    check_page(page, console_errors, "findings behind a count")
