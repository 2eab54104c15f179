"""Signing in through the real pages, as a person does: password, then the code."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts import twofactor
from safeguarding.accounts.enrolment import enrolment_link_issue
from safeguarding.accounts.testing import app_device, current_code
from safeguarding.testing.factories import PASSWORD

LOGIN = "accounts:login"
VERIFY = "accounts:two_factor_verify"
SETUP = "accounts:two_factor_setup"


def post_password(client: Client, user: Any, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(
        reverse(LOGIN) + extra.pop("query", ""),
        {"username": user.username, "password": password},
        **extra,
    )


def post_code(client: Client, code: str, next_url: str = "") -> Any:
    data = {"code": code}
    if next_url:
        data["next"] = next_url
    return client.post(reverse(VERIFY), data)


def sign_in(client: Client, user: Any, *, steps_ahead: int = 0) -> Client:
    """Password, then the app's code; the user gets an app first if they have none."""
    device = app_device(user)
    response = post_password(client, user)
    assert response.status_code == 302 and response.url.startswith(reverse(VERIFY))
    response = post_code(client, current_code(device, steps_ahead=steps_ahead))
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def link_path(url: str) -> str:
    """The path of an absolute set-up link (enrolment_link_issue returns SRH_SITE_URL + path)."""
    return urlsplit(url).path


def through_reset_link(client: Client, user: Any) -> Any:
    """A reset link issued (as `manage.py enrolment_link --purpose reset` does) and opened in
    this client, then the password: returns the redirect to set-up (straight away when this
    session is past the password already)."""
    url = enrolment_link_issue(actor=None, user=user, purpose="reset")
    response = client.get(link_path(url))
    assert response.status_code == 302, response
    if response["Location"] == reverse(SETUP):
        return response
    assert response["Location"] == reverse(LOGIN), response
    return post_password(client, user)


def shown_device(client: Client, user: Any) -> TOTPDevice:
    """The unconfirmed device whose key this client's session was shown."""
    pk = client.session[twofactor.SESSION_PENDING_DEVICE]
    return TOTPDevice.objects.get(pk=pk, user=user, confirmed=False)
