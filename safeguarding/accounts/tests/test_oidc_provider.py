"""Single sign-on against a real OpenID provider (django-oauth-toolkit, started once for this
module on 127.0.0.1: safeguarding/testing/oidc_provider). The provider's pages are used with
`requests` as a browser would; the app is Django's test client, and it really talks to the
provider: discovery, the code exchange (PKCE, client secret), the provider's keys (JWKS).
The same in Chromium: browser_tests/test_sso.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.urls import reverse

from safeguarding.accounts import oidc
from safeguarding.accounts.models import User
from safeguarding.accounts.testing import app_device
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.testing.oidc_provider.server import (
    PROVIDER_PASSWORD,
    Provider,
    ProviderUser,
    running_provider,
)

CALLBACK = reverse("accounts:sso_callback")
PEOPLE = [
    ProviderUser("ada", "Ada.Lovelace@example.org", amr=("pwd", "mfa")),
    ProviderUser("brian", "brian.example@example.org", amr=("pwd",)),
    ProviderUser("carol", "carol.uninvited@example.org", amr=("pwd", "mfa")),
    ProviderUser("dan", "dan.unconfirmed@example.org", email_verified=False),
]


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with running_provider(
        tmp_path_factory.mktemp("op"), people=PEOPLE, redirect_uri="http://testserver" + CALLBACK
    ) as running:
        yield running


@pytest.fixture
def sso(settings, provider):
    for name, value in provider.app_settings().items():
        setattr(settings, name, value)
    settings.TWO_FACTOR = True  # as in production, whatever SRH_ENVIRONMENT this runs under
    return provider


def _at_provider(authorize_url: str, username: str) -> str:
    """Sign in at the provider as `username`; the address it sends the browser back to."""
    browser = requests.Session()
    login = browser.get(authorize_url, timeout=10)  # the provider asks who you are first
    assert login.status_code == 200 and "/login/" in login.url, login.url
    sent = browser.post(
        login.url,
        data={
            "username": username,
            "password": PROVIDER_PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["op_csrftoken"],
            "next": parse_qs(urlsplit(login.url).query)["next"][0],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert sent.status_code == 302, sent.text[:300]
    authorized = browser.get(urljoin(login.url, sent.headers["Location"]), allow_redirects=False)
    assert authorized.status_code == 302, authorized.text[:300]
    return authorized.headers["Location"]


def _sign_in(client: Any, username: str) -> Any:
    start = client.get(reverse("accounts:sso_start"))
    assert start.status_code == 302
    back = urlsplit(_at_provider(start["Location"], username))
    assert back.path == CALLBACK
    return client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})


def _invite(user: User, email: str) -> User:
    User.objects.filter(pk=user.pk).update(email=email)
    user.refresh_from_db()
    return user


def test_the_endpoints_come_from_the_providers_discovery_document(sso, db):
    document = oidc.discovery()
    assert document["issuer"] == sso.issuer
    assert oidc.oidc_setting("OIDC_OP_TOKEN_ENDPOINT") == sso.issuer + "/token/"
    assert oidc.oidc_setting("OIDC_OP_JWKS_ENDPOINT") == sso.issuer + "/.well-known/jwks.json"


def test_an_issuer_without_a_discovery_document_is_unavailable(client, settings, sso, db):
    settings.SSO_ISSUER = sso.issuer + "/elsewhere"
    with pytest.raises(oidc.ProviderUnavailable):
        oidc.discovery()
    response = client.get(reverse("accounts:sso_start"))
    assert response.status_code == 503
    assert "not working at the moment" in response.content.decode()


def test_provider_mfa_signs_an_invited_person_straight_in(client, sso, world):
    user = _invite(world.business_unit, "ada.lovelace@example.org")
    response = _sign_in(client, "ada")
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:dashboard")
    assert client.get(response["Location"]).status_code == 200
    row = AuditEvent.objects.filter(actor=user, action=AuditAction.TWO_FACTOR).get()
    assert "(amr mfa)" in row.summary


def test_without_provider_mfa_our_second_factor_comes_next(client, sso, world):
    user = _invite(world.users["rag_member"], "Brian.Example@example.org")
    app_device(user)
    response = _sign_in(client, "brian")
    assert response["Location"] == reverse("accounts:two_factor_verify")
    assert client.get(reverse("reviews:dashboard")).status_code == 302


@pytest.mark.parametrize(
    ("username", "heading"),
    [
        ("carol", "There is no account for this email address"),
        ("dan", "Your organisation has not confirmed your email address"),
    ],
)
def test_uninvited_and_unconfirmed_people_are_refused(client, sso, world, username, heading):
    # dan has an account here, but the provider does not vouch for his address.
    _invite(world.users["scrutineer"], "dan.unconfirmed@example.org")
    users = User.objects.count()
    response = _sign_in(client, username)
    assert response.status_code == 403
    assert heading in response.content.decode()
    assert User.objects.count() == users
    assert "_auth_user_id" not in client.session
