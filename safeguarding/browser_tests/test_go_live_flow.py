"""From an empty installation to a partnership at work, in a real browser, with no Python shell:

1. `manage.py create_service_admin` prints a one-time link; the service administrator opens it,
   chooses a password and sets up an authenticator app (the code computed from the key the page
   shows, as their app would);
2. they create a partnership with its business unit user on the Partnerships page; the
   invitation goes through Django's console email backend (what `make demo` uses) and the test
   reads the link from what it printed;
3. the business unit user opens it, sets up both factors, adds an agency (Settings ->
   Agencies) and invites an agency lead (Settings -> People);
4. the agency lead opens their emailed link, sets up both factors and sees only their agency's
   work: of two cases of the partnership, the one their agency is involved in.
Every new page passes axe-core with a clean console. Bad input on the way (an address already
invited) re-renders with the GOV.UK error summary and saves nothing.
"""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from safeguarding.accounts.models import Partnership, Role, User
from safeguarding.accounts.testing import current_code
from safeguarding.browser_tests.test_incident_flow import check_page
from safeguarding.reviews import services as review_services

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://[^\s]+/accounts/account/enrol/[^\s/]+/")


def _path(link: str) -> str:
    return urlsplit(link).path


def _last_link(printed: str) -> str:
    links = LINK.findall(printed)
    assert links, f"no set-up link in:\n{printed[-2000:]}"
    return links[-1]


def _enrol(page: Any, live_server: Any, console_errors: Any, link: str, username: str) -> None:
    """Open a set-up link: choose a password, set up the app, save the recovery codes."""
    page.goto(f"{live_server.url}{_path(link)}")
    expect(page.get_by_role("heading", name="Choose a password")).to_be_visible()
    check_page(page, console_errors, f"choose a password page ({username})")
    password = f"A long passphrase for {username.split('@')[0]} 9"
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    page.fill("input[name=code]", current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    page.get_by_role("link", name="I have saved my recovery codes").click()


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()


def test_from_an_empty_installation_to_an_agency_lead_at_work(
    page, live_server, console_errors, settings, capsys, screenshot
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.SITE_URL = live_server.url

    # 1. The service administrator, from the shell.
    out = io.StringIO()
    call_command("create_service_admin", "sam.admin@example.org", stdout=out)
    _enrol(page, live_server, console_errors, _last_link(out.getvalue()), "sam.admin@example.org")
    expect(page.get_by_role("heading", name="Partnerships", level=1)).to_be_visible()
    check_page(page, console_errors, "partnerships page")

    # 2. A partnership and its business unit user, on the page.
    page.get_by_role("link", name="Create a partnership").click()
    check_page(page, console_errors, "create a partnership page")
    page.get_by_label("Partnership name").fill("Hollin Moor Safeguarding Children Partnership")
    page.get_by_label("Short name").fill("hollin-moor")
    page.get_by_label("Business unit user's email address").fill("bea.unit@hollin.example.org")
    page.get_by_label("Their first name").fill("Bea")
    page.get_by_label("Their last name").fill("Unit")
    capsys.readouterr()
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("heading", name="Hollin Moor Safeguarding Children Partnership")
    ).to_be_visible()
    expect(page.get_by_text("Invited")).to_be_visible()
    check_page(page, console_errors, "partnership page")
    screenshot("go-live-partnership")
    invitation = _last_link(capsys.readouterr().out)
    partnership = Partnership.objects.get(slug="hollin-moor")
    _sign_out(page)

    # 3. The business unit user: both factors, an agency, an agency lead invited.
    _enrol(page, live_server, console_errors, invitation, "bea.unit@hollin.example.org")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Add an agency").click()
    check_page(page, console_errors, "add an agency page")
    page.get_by_label("Name", exact=True).fill("Hollin Moor Police")
    page.get_by_label("Short name (optional)").fill("Police")
    page.get_by_label("Workforce size").fill("800")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Hollin Moor Police", exact=True)).to_be_visible()
    police = partnership.agencies.get(name="Hollin Moor Police")
    health = partnership.agencies.create(name="Hollin Moor Health")

    page.goto(f"{live_server.url}/accounts/settings/people/")
    check_page(page, console_errors, "people page")
    page.get_by_role("link", name="Invite someone").click()
    check_page(page, console_errors, "invite page")

    def invite(email: str) -> None:
        page.get_by_label("Email address").fill(email)
        page.get_by_label("First name").fill("Pip")
        page.get_by_label("Last name").fill("Lead")
        page.get_by_role("group", name="Role").get_by_label("Agency lead", exact=True).check()
        page.get_by_label("Agency", exact=True).select_option(label="Hollin Moor Police")
        page.get_by_role("button", name="Send the invitation").click()

    # An address that already has an account: the error summary, nothing saved.
    before = User.objects.count()
    invite("BEA.unit@hollin.example.org")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "This email address already has an account"
    )
    check_page(page, console_errors, "invite page with an error")
    screenshot("go-live-invite-error")
    assert User.objects.count() == before

    capsys.readouterr()
    invite("pip.lead@hollin.example.org")
    expect(page.get_by_role("heading", name="Pip Lead")).to_be_visible()
    check_page(page, console_errors, "person page")
    screenshot("go-live-person")
    page.get_by_role("link", name="Back to people").click()
    screenshot("go-live-people")
    lead_link = _last_link(capsys.readouterr().out)
    lead = User.objects.get(email="pip.lead@hollin.example.org")
    assert (lead.role, lead.agency, lead.partnership) == (Role.AGENCY_LEAD, police, partnership)

    # Two cases of the partnership: one the police are involved in, one they are not.
    unit = User.objects.get(email="bea.unit@hollin.example.org")
    for reference, agency in (("Child Heron", police), ("Child Kestrel", health)):
        review_services.case_create(
            actor=unit,
            partnership=partnership,
            agencies=[agency],
            reference=reference,
            age_years=4,
            sex="male",
            outcome="seriously_harmed",
            category="neglect",
        )
    _sign_out(page)

    # 4. The agency lead sees their agency's work only.
    _enrol(page, live_server, console_errors, lead_link, "pip.lead@hollin.example.org")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.get_by_role("link", name="Cases").click()
    expect(page.get_by_role("link", name="Child Heron")).to_be_visible()
    expect(page.get_by_text("Child Kestrel")).to_have_count(0)
    check_page(page, console_errors, "agency lead's case list")
    # And no settings: the business unit's pages are refused.
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    response = page.goto(f"{live_server.url}/accounts/settings/people/")
    assert response is not None and response.status == 403
    console_errors.errors.clear()  # the browser logs the 403 it was just asked to fetch
