"""Two-factor set-up in a real browser, and Back after signing out.

A new business-unit officer opens their invitation link (the only way to a first authenticator
app: a password alone gets no key), chooses a password, then the set-up page (QR code and key),
a code from the app (computed here from the key the page showed), the recovery codes page, the
dashboard. The link opens nothing a second time. They open a case, sign out, and press Back:
the browser shows the sign-in page, not the case. Every signed-in page is sent with
Cache-Control: no-store (test_sessions.py checks the header); Chromium also asks the server
again on Back because the pages vary on the session cookie, which signing out changed, so this
test passes with or without no-store in Chromium. It shows what the user sees; the header test
is the one that fails if no-store goes.
"""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from safeguarding.accounts.enrolment import enrolment_link_issue
from safeguarding.accounts.testing import current_code
from safeguarding.browser_tests.axe import assert_no_axe_violations
from safeguarding.browser_tests.test_incident_flow import check_page, wait_for_govuk_frontend
from safeguarding.testing.factories import PASSWORD, make_case, make_world

pytestmark = pytest.mark.browser
NEW_PASSWORD = "a-long-new-passphrase-for-the-hub"  # noqa: S105 - a test account's


def test_set_up_two_factor_then_back_after_sign_out_shows_no_case_data(
    page, live_server, console_errors
):
    world = make_world()
    user = world.business_unit
    case = make_case(world, reference="Child Backbutton")

    link = urlsplit(enrolment_link_issue(actor=None, user=user, purpose="invitation")).path
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", name="Choose a password")).to_be_visible()
    check_page(page, console_errors, "choose a password page")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    check_page(page, console_errors, "two-factor set-up page")
    shown_key = page.locator("#secret-key").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert base64.b32decode(shown_key) == device.bin_key

    page.fill("input[name=code]", current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    check_page(page, console_errors, "recovery codes page")
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page).to_have_url(f"{live_server.url}/")

    case_url = f"{live_server.url}/cases/{case.pk}/"
    page.goto(case_url)
    expect(page.get_by_role("heading", name="Child Backbutton", level=1)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()

    page.go_back()
    # Back re-asks the server (no-store), which sends a signed-out browser to sign in.
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/cases/{case.pk}/")
    expect(page.get_by_text("Child Backbutton")).to_have_count(0)
    console_errors.assert_none("after Back")

    # The invitation link opens nothing a second time.
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", name="This set-up link does not work")).to_be_visible()
    _check_refusal_page(page, console_errors, "used set-up link page", 404)


def test_a_password_alone_gets_no_authenticator_key(page, live_server, console_errors):
    world = make_world()
    user = world.business_unit
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(
        page.get_by_role("heading", name="Your account has no authenticator app set up")
    ).to_be_visible()
    expect(
        page.get_by_text("Ask your partnership's business unit for a set-up link.")
    ).to_be_visible()
    expect(page.locator("#secret-key")).to_have_count(0)
    expect(page.get_by_role("img")).to_have_count(0)
    _check_refusal_page(page, console_errors, "no-authenticator page", 403)
    assert not TOTPDevice.objects.filter(user=user).exists()


def _check_refusal_page(page, console_errors, what: str, status: int) -> None:
    """check_page for a page sent with a refusal status: Chromium logs the status itself as a
    console error, which is expected; anything else logged fails."""
    wait_for_govuk_frontend(page)
    assert_no_axe_violations(page)
    found, console_errors.errors = console_errors.errors, []
    expected = f"the server responded with a status of {status}"
    assert found and all(expected in line for line in found), f"on the {what}: {found}"


def test_signing_in_with_the_app_code(page, live_server, login, console_errors):
    """The verify page, as every other browser test passes it (see conftest.login)."""
    world = make_world()
    login(world.users["rag_member"])
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Your account")).to_be_visible()
    console_errors.assert_none("after signing in")


def test_new_recovery_codes_ask_for_the_password(page, live_server, login, console_errors):
    """Finding F6: the page made new codes from the session alone. A wrong password shows the
    GOV.UK error summary (its link moves to the field) and no codes; the right one, ten."""
    world = make_world()
    login(world.business_unit)
    page.goto(f"{live_server.url}/accounts/account/recovery-codes/")
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    check_page(page, console_errors, "recovery codes form")

    page.get_by_label("Your password").fill("not-the-password")
    page.get_by_role("button", name="Make new recovery codes").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Your password is not right")
    expect(page.locator("#recovery-codes li")).to_have_count(0)
    check_page(page, console_errors, "recovery codes form with an error")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Your password")).to_be_focused()

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.get_by_role("heading", name="Your new recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
