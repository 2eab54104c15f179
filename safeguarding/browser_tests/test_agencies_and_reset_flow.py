"""Settings -> Agencies and the forgotten-password pages in a real browser, each page checked
with axe-core and for console errors: a business-unit officer adds an agency (after an empty
form's error summary) and retires it; someone who forgot their password asks for a link, opens
it and chooses a new one, and is sent to sign in (not signed in)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from safeguarding.accounts.models import Agency
from safeguarding.browser_tests.test_incident_flow import check_page
from safeguarding.testing.factories import make_world

pytestmark = pytest.mark.browser
NEW_PASSWORD = "a-long-new-passphrase-after-reset"  # noqa: S105 - a test account's


def test_add_and_retire_an_agency(page, live_server, console_errors, login):
    world = make_world()
    login(world.business_unit)
    page.goto(f"{live_server.url}/accounts/settings/")
    page.get_by_role("link", name="Add an agency").click()
    expect(page.get_by_role("heading", name="Add an agency")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check_page(page, console_errors, "add an agency page with errors")

    page.get_by_label("Name", exact=True).fill("Probation service")
    page.get_by_label("Workforce size").fill("250")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Agency Probation service added")).to_be_visible()
    check_page(page, console_errors, "settings page")

    page.get_by_role("link", name="Retire Probation service").click()
    expect(page.get_by_role("heading", name="Retire the agency Probation service")).to_be_visible()
    check_page(page, console_errors, "retire page")
    page.get_by_role("button", name="Retire the agency").click()
    expect(page.get_by_role("cell", name="Probation service (retired)")).to_be_visible()
    assert Agency.objects.get(name="Probation service").retired_at is not None


def test_forgotten_password_pages(page, live_server, console_errors):
    world = make_world()
    user = world.business_unit
    user.email = "forgetful.officer@example.invalid"
    user.save()
    mail.outbox.clear()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    check_page(page, console_errors, "reset request page")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    check_page(page, console_errors, "check your email page")

    link = re.search(r"https?://\S+", mail.outbox[0].body)
    assert link
    page.goto(f"{live_server.url}{urlsplit(link.group(0)).path}")
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    check_page(page, console_errors, "choose a new password page")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    check_page(page, console_errors, "password changed page")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
