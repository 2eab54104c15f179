"""Single sign-on in a real browser against a real OpenID provider (django-oauth-toolkit, started
once for this module on 127.0.0.1: safeguarding/testing/oidc_provider), with axe and the
console checked on our pages.

Four people of the provider ("Example Council"): one whose ID token says multi-factor (straight
to the dashboard), one whose token does not (our own second factor next), one with no account
here, and one whose account here is switched off (both refused with a page saying why)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from safeguarding.accounts.models import User
from safeguarding.accounts.testing import app_device, unused_code
from safeguarding.browser_tests.test_incident_flow import check_page
from safeguarding.testing.factories import make_world
from safeguarding.testing.oidc_provider.server import (
    PROVIDER_PASSWORD,
    Provider,
    ProviderUser,
    running_provider,
)

pytestmark = pytest.mark.browser
BUTTON = "Sign in with your organisation's account"
PEOPLE = [
    ProviderUser("ada", "ada.lovelace@example.org", amr=("pwd", "mfa")),
    ProviderUser("brian", "brian.example@example.org", amr=("pwd",)),
    ProviderUser("carol", "carol.uninvited@example.org", amr=("pwd", "mfa")),
    ProviderUser("erin", "erin.left@example.org", amr=("pwd", "mfa")),
]


@pytest.fixture(scope="module")
def provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    callback = live_server.url + reverse("accounts:sso_callback")
    with running_provider(
        tmp_path_factory.mktemp("op"), people=PEOPLE, redirect_uri=callback
    ) as running:
        yield running


@pytest.fixture
def sso(settings: Any, provider: Provider) -> Provider:
    for name, value in provider.app_settings().items():
        setattr(settings, name, value)
    settings.TWO_FACTOR = True  # as in production, whatever SRH_ENVIRONMENT this runs under
    return provider


def _invite(user: User, email: str) -> User:
    User.objects.filter(pk=user.pk).update(email=email)
    user.refresh_from_db()
    return user


def _through_the_provider(
    page: Any, live_server: Any, console_errors: Any, who: str, screenshot: Any = None
) -> None:
    """From our sign-in page to the provider's, signed in there as `who`."""
    page.goto(f"{live_server.url}/accounts/login/")
    check_page(page, console_errors, "sign-in page with the organisation's button")
    if screenshot is not None:
        screenshot("sso-sign-in-page")
    page.get_by_role("button", name=BUTTON).click()
    expect(page.get_by_role("heading", name="Example Council sign-in")).to_be_visible()
    page.get_by_label("Username").fill(who)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to Example Council").click()


def _refused_page(page: Any, console_errors: Any, heading: str) -> None:
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    # Chromium reports the page's own 403 in the console; anything else still fails the check.
    console_errors.errors = [e for e in console_errors.errors if "status of 403" not in e]
    check_page(page, console_errors, "single sign-on refusal page")


def test_provider_mfa_takes_an_invited_person_to_the_dashboard(
    page, live_server, sso, console_errors
):
    _invite(make_world().business_unit, "Ada.Lovelace@example.org")
    _through_the_provider(page, live_server, console_errors, "ada")
    expect(page).to_have_url(f"{live_server.url}/")
    check_page(page, console_errors, "dashboard after single sign-on")


def test_without_provider_mfa_the_code_from_the_app_is_asked(
    page, live_server, sso, console_errors
):
    user = _invite(make_world().users["rag_member"], "brian.example@example.org")
    device = app_device(user)
    _through_the_provider(page, live_server, console_errors, "brian")
    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    check_page(page, console_errors, "two-factor page after single sign-on")
    page.fill("input[name=code]", unused_code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_someone_without_an_account_is_refused_and_nobody_is_made(
    page, live_server, sso, console_errors, screenshot
):
    make_world()
    users = User.objects.count()
    _through_the_provider(page, live_server, console_errors, "carol", screenshot)
    _refused_page(page, console_errors, "There is no account for this email address")
    screenshot("sso-refused-no-account")
    expect(page.get_by_text("ask your partnership's business unit to invite you")).to_be_visible()
    assert User.objects.count() == users
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")


def test_a_switched_off_account_is_refused(page, live_server, sso, console_errors):
    user = _invite(make_world().users["scrutineer"], "erin.left@example.org")
    User.objects.filter(pk=user.pk).update(is_active=False)
    _through_the_provider(page, live_server, console_errors, "erin")
    _refused_page(page, console_errors, "Your account has been switched off")
