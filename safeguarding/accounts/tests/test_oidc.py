"""Single sign-on (accounts/oidc.py, sso_views.py) without a provider on the network: the
matching rules, the second-factor rule, and the start and callback pages with an ID token
signed here by a key the app is told to trust (the token endpoint's answer is the only thing
stood in for). Against a real provider: test_oidc_provider.py and browser_tests/test_sso.py."""

from __future__ import annotations

import os
import runpy
import time
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts import oidc
from safeguarding.accounts.models import User
from safeguarding.accounts.testing import app_device
from safeguarding.api.models import SystemAccount
from safeguarding.audit.models import AuditAction, AuditEvent

ISSUER = "https://login.example.org/tenant-1/v2.0"
CLIENT_ID = "srh-client"
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PRIVATE_PEM = _KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
PUBLIC_PEM = (
    _KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)
START = reverse("accounts:sso_start")
CALLBACK = reverse("accounts:sso_callback")
BUTTON = "Sign in with your organisation's account"


@pytest.fixture
def sso(settings):
    """Single sign-on configured, with the endpoints given (no discovery) and the provider's
    signing key given (no JWKS request)."""
    settings.SSO_ISSUER = ISSUER
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "a-client-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.org/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.org/token"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example.org/keys"
    settings.OIDC_RP_IDP_SIGN_KEY = PUBLIC_PEM
    settings.TWO_FACTOR = True  # as in production, whatever SRH_ENVIRONMENT this runs under
    return settings


def _with_email(user: User, email: str) -> User:
    User.objects.filter(pk=user.pk).update(email=email)
    user.refresh_from_db()
    return user


def _claims(email: str = "ada.example@example.org", **more: Any) -> dict[str, Any]:
    return {"email": email, "email_verified": True, **more}


def _sign_in(client, claims: dict[str, Any], **token: Any) -> Any:
    """Start, then come back from the provider with an ID token carrying `claims`."""
    start = client.get(START)
    assert start.status_code == 302, start
    query = parse_qs(urlsplit(start["Location"]).query)
    now = int(time.time())
    body = {
        "iss": ISSUER,
        "aud": CLIENT_ID,
        "sub": "provider-subject-1",
        "nonce": query["nonce"][0],
        "iat": now,
        "exp": now + 300,
        **claims,
        **token,
    }
    id_token = jwt.encode(body, PRIVATE_PEM, algorithm="RS256")
    answer = {"id_token": id_token, "access_token": "an-access-token"}
    with mock.patch.object(oidc._Exchange, "get_token", return_value=answer) as exchange:
        response = client.get(CALLBACK, {"code": "a-code", "state": query["state"][0]})
    if exchange.called:
        sent = exchange.call_args.args[0]
        assert sent["code"] == "a-code" and len(sent["code_verifier"]) == 64  # PKCE
    return response


# --- Off by default ---------------------------------------------------------------------------


def test_off_by_default_the_login_page_has_no_button_and_the_routes_are_404(client, world):
    assert not oidc.enabled()
    assert BUTTON not in client.get(reverse("accounts:login")).content.decode()
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404
    assert client.post(START).status_code == 405


def test_configured_the_login_page_has_the_button_with_next(client, sso, db):
    page = client.get(reverse("accounts:login"), {"next": "/reviews/"}).content.decode()
    assert BUTTON in page
    assert f'href="{START}?next=/reviews/"' in page


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    def _load(**env: str) -> dict[str, Any]:
        for name in list(os.environ):
            if name.startswith("SRH_") or name == "DATABASE_URL":
                monkeypatch.delenv(name)
        monkeypatch.setenv("SRH_ENVIRONMENT", "development")
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(Path(__file__).resolve().parents[2] / "settings.py"))

    return _load


def test_the_three_settings_go_together_and_addresses_must_be_addresses(load_settings):
    s = load_settings(
        SRH_OIDC_ISSUER="https://login.example.org/tenant-1/v2.0/",
        SRH_OIDC_CLIENT_ID="abc",
        SRH_OIDC_CLIENT_SECRET="secret",
        SRH_OIDC_MFA_ACR="urn:example:mfa, gold",
    )
    assert s["SSO_ISSUER"] == "https://login.example.org/tenant-1/v2.0"
    assert s["SSO_MFA_ACR"] == ["urn:example:mfa", "gold"]
    with pytest.raises(ImproperlyConfigured, match="only SRH_OIDC_ISSUER is set"):
        load_settings(SRH_OIDC_ISSUER="https://login.example.org/t")
    with pytest.raises(ImproperlyConfigured, match="SRH_OIDC_TOKEN_ENDPOINT"):
        load_settings(SRH_OIDC_TOKEN_ENDPOINT="login.example.org/token")
    with pytest.raises(ImproperlyConfigured, match="SRH_OIDC_EMAIL_VERIFIED_CLAIM"):
        load_settings(SRH_OIDC_EMAIL_VERIFIED_CLAIM="email verified")


# --- Who may come in ----------------------------------------------------------------------------


def test_a_verified_email_finds_its_one_active_account_whatever_the_case(world):
    user = _with_email(world.business_unit, "Ada.Example@Example.org")
    assert oidc.account_for_claims(_claims("ada.example@EXAMPLE.ORG")) == user
    assert oidc.account_for_claims(_claims(" ada.example@example.org ")) == user
    # Some providers send the flag as a string.
    assert oidc.account_for_claims(_claims(email_verified="true")) == user


@pytest.mark.parametrize("flag", [False, None, "false", 1, "yes"])
def test_an_email_not_confirmed_by_the_provider_is_refused(world, flag):
    _with_email(world.business_unit, "ada.example@example.org")
    claims = _claims()
    claims["email_verified"] = flag
    with pytest.raises(oidc.SsoRefused) as refused:
        oidc.account_for_claims(claims)
    assert refused.value.reason is oidc.Refusal.UNVERIFIED


def test_no_email_no_account_and_several_accounts_are_refused(world):
    for claims in ({"email_verified": True}, _claims(email="not-an-address")):
        with pytest.raises(oidc.SsoRefused) as refused:
            oidc.account_for_claims(claims)
        assert refused.value.reason is oidc.Refusal.NO_EMAIL
    with pytest.raises(oidc.SsoRefused) as refused:
        oidc.account_for_claims(_claims("nobody@example.org"))
    assert refused.value.reason is oidc.Refusal.NO_ACCOUNT
    _with_email(world.business_unit, "shared@example.org")
    _with_email(world.users["rag_member"], "SHARED@example.org")
    with pytest.raises(oidc.SsoRefused) as refused:
        oidc.account_for_claims(_claims("shared@example.org"))
    assert refused.value.reason is oidc.Refusal.SEVERAL_ACCOUNTS


def test_a_switched_off_account_is_refused_unless_an_active_one_has_the_email(world):
    old = _with_email(world.business_unit, "moved@example.org")
    User.objects.filter(pk=old.pk).update(is_active=False)
    with pytest.raises(oidc.SsoRefused) as refused:
        oidc.account_for_claims(_claims("moved@example.org"))
    assert refused.value.reason is oidc.Refusal.SWITCHED_OFF
    # Re-invited under a new account: that one is theirs.
    new = _with_email(world.users["rag_member"], "moved@example.org")
    assert oidc.account_for_claims(_claims("moved@example.org")) == new


def test_a_system_account_is_never_signed_in_to(world):
    account = _with_email(world.users["scrutiny_reader"], "feed@example.org")
    SystemAccount.objects.create(user=account, description="A case management feed")
    with pytest.raises(oidc.SsoRefused) as refused:
        oidc.account_for_claims(_claims("feed@example.org"))
    assert refused.value.reason is oidc.Refusal.NO_ACCOUNT


@pytest.mark.parametrize(
    ("claims", "counts"),
    [
        ({"amr": ["pwd", "mfa"]}, "amr mfa"),
        ({"amr": ["otp"]}, "amr otp"),
        ({"amr": ["hwk", "pin"]}, "amr hwk"),
        ({"amr": "fido"}, "amr fido"),
        ({"amr": ["pwd"]}, ""),
        ({"amr": ["wiaormfa"]}, ""),  # Windows sign-in *or* MFA: not known to be MFA
        ({"amr": [{"mfa": 1}]}, ""),
        ({}, ""),
        ({"acr": "urn:example:loa:mfa"}, "acr urn:example:loa:mfa"),
        ({"acr": "urn:example:loa:1"}, ""),
    ],
)
def test_the_providers_mfa_counts_only_when_amr_or_the_configured_acr_says_so(
    settings, claims, counts
):
    settings.SSO_MFA_ACR = ["urn:example:loa:mfa"]
    assert oidc.provider_mfa(claims) == counts


def test_what_the_audit_trail_shows_of_outside_values_is_short_and_plain():
    assert oidc.claims_shown({"amr": ["pwd", "mfa"], "acr": "1"}) == "amr pwd, mfa; acr 1"
    assert oidc.claims_shown({"amr": ["<script>", "x" * 100]}) == "amr none"
    assert oidc.email_domain("ada@example.org") == "example.org"
    assert oidc.email_domain("ada@<b>") == "(not shown)"


# --- The pages ----------------------------------------------------------------------------------


def test_the_start_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(client, sso, db):
    response = client.get(START, {"next": "/reviews/"})
    assert response.status_code == 302
    where = urlsplit(response["Location"])
    assert f"{where.scheme}://{where.netloc}{where.path}" == "https://login.example.org/authorize"
    query = {k: v[0] for k, v in parse_qs(where.query).items()}
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == "http://testserver" + CALLBACK
    assert query["scope"] == "openid email profile"
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) == 32 and len(query["nonce"]) == 32
    assert client.session["oidc_login_next"] == "/reviews/"


def test_an_invited_person_without_provider_mfa_goes_on_to_our_second_factor(client, sso, world):
    user = _with_email(world.business_unit, "ada.example@example.org")
    app_device(user)
    response = _sign_in(client, _claims("ADA.example@example.org", amr=["pwd"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_verify")
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[BACKEND_SESSION_KEY] == oidc.SESSION_BACKEND
    # Past the provider, not past the second factor: no page yet.
    assert client.get(reverse("reviews:dashboard"))["Location"].startswith(
        reverse("accounts:two_factor_verify")
    )
    row = AuditEvent.objects.filter(actor=user).order_by("-pk").first()
    assert row is not None and row.action == AuditAction.LOGIN
    assert "single sign-on" in row.summary and "amr pwd" in row.summary


def test_without_an_app_the_person_is_sent_to_set_up_as_after_a_password(client, sso, world):
    _with_email(world.business_unit, "ada.example@example.org")
    TOTPDevice.objects.filter(user=world.business_unit).delete()
    response = _sign_in(client, _claims())
    assert response["Location"] == reverse("accounts:two_factor_setup")


def test_provider_mfa_counts_as_the_second_factor_and_is_audited(client, sso, world):
    user = _with_email(world.business_unit, "ada.example@example.org")
    response = _sign_in(client, _claims(amr=["pwd", "mfa"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:dashboard")
    assert client.get(reverse("reviews:dashboard")).status_code == 200
    row = AuditEvent.objects.filter(actor=user, action=AuditAction.TWO_FACTOR).get()
    assert "multi-factor sign-in (amr mfa) counts as the second factor" in row.summary
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.LOGIN).exists()


def test_with_two_factor_off_as_in_the_demo_sso_signs_straight_in(client, sso, world):
    user = _with_email(world.business_unit, "ada.example@example.org")
    sso.TWO_FACTOR = False
    response = _sign_in(client, _claims(amr=["pwd"]))
    assert response["Location"] == reverse("reviews:dashboard")
    row = AuditEvent.objects.filter(actor=user).order_by("-pk").first()
    assert (
        row is not None
        and row.summary == f"{user.username} signed in with single sign-on (amr pwd)"
    )


def test_the_next_address_survives_the_round_trip(client, sso, world):
    _with_email(world.business_unit, "ada.example@example.org")
    start = client.get(START, {"next": "/reviews/"})
    query = parse_qs(urlsplit(start["Location"]).query)
    now = int(time.time())
    body = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "s", "nonce": query["nonce"][0], "iat": now}
    token = jwt.encode({**body, "exp": now + 60, **_claims(amr=["mfa"])}, PRIVATE_PEM, "RS256")
    answer = {"id_token": token, "access_token": "a"}
    with mock.patch.object(oidc._Exchange, "get_token", return_value=answer):
        response = client.get(CALLBACK, {"code": "c", "state": query["state"][0]})
    assert response["Location"] == "/reviews/"


def test_the_marker_ends_with_a_new_log_in_and_when_sso_is_turned_off(client, sso, world):
    user = _with_email(world.business_unit, "ada.example@example.org")
    _sign_in(client, _claims(amr=["mfa"]))
    assert client.get(reverse("reviews:dashboard")).status_code == 200
    sso.SSO_ISSUER = ""
    assert client.get(reverse("reviews:dashboard")).status_code == 302
    sso.SSO_ISSUER = ISSUER
    assert client.get(reverse("reviews:dashboard")).status_code == 200
    client.force_login(user)  # a new log-in of the same user in the same session
    assert oidc.SESSION_PROVIDER_MFA not in client.session
    assert client.get(reverse("reviews:dashboard")).status_code == 302


@pytest.mark.parametrize(
    ("claims", "heading"),
    [
        (_claims("nobody@example.org"), "There is no account for this email address"),
        (_claims(email_verified=False), "Your organisation has not confirmed your email address"),
        ({"email_verified": True}, "Your organisation&#x27;s sign-in gave no email address"),
    ],
)
def test_a_refusal_is_a_clear_403_page_that_changes_nothing(client, sso, world, claims, heading):
    _with_email(world.business_unit, "ada.example@example.org")
    users = User.objects.count()
    response = _sign_in(client, claims)
    page = response.content.decode()
    assert response.status_code == 403
    assert heading in page
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users
    row = AuditEvent.objects.order_by("-pk").first()
    assert row is not None and row.action == AuditAction.LOGIN_FAILED
    assert row.outcome == "denied" and row.summary.startswith("Single sign-on refused")
    assert "nobody@" not in row.summary and "ada.example@" not in row.summary
    # One row for the refusal: the 403 is not recorded a second time.
    assert AuditEvent.objects.filter(summary__startswith="Refused GET").count() == 0


def test_the_no_account_page_says_to_ask_for_an_invitation(client, sso, world):
    page = _sign_in(client, _claims("nobody@example.org")).content.decode()
    assert "nobody@example.org" in page  # the person's own address, shown back to them
    assert "ask your partnership&#x27;s business unit to invite you" in page.lower()
    row = AuditEvent.objects.order_by("-pk").first()
    assert row is not None and "(an address at example.org)" in row.summary


def test_a_switched_off_account_is_refused_and_named_in_the_audit_trail(client, sso, world):
    user = _with_email(world.business_unit, "ada.example@example.org")
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = _sign_in(client, _claims(amr=["mfa"]))
    assert response.status_code == 403
    assert "Your account has been switched off" in response.content.decode()
    row = AuditEvent.objects.order_by("-pk").first()
    assert row is not None and row.actor == user and row.outcome == "denied"
    assert "_auth_user_id" not in client.session


def test_two_accounts_with_the_email_are_refused(client, sso, world):
    _with_email(world.business_unit, "shared@example.org")
    _with_email(world.users["scrutineer"], "Shared@Example.org")
    response = _sign_in(client, _claims("shared@example.org"))
    assert response.status_code == 403
    assert "More than one account has this email address" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "token",
    [
        {"aud": "another-client"},
        {"iss": "https://elsewhere.example.org"},
        {"nonce": "x"},
        {"exp": int(time.time()) - 60},
        {"exp": None},
    ],
)
def test_an_id_token_not_meant_for_us_is_a_failure_page(client, sso, world, token):
    _with_email(world.business_unit, "ada.example@example.org")
    response = _sign_in(client, _claims(amr=["mfa"]), **token)
    assert response.status_code == 400
    assert "did not work" in response.content.decode()
    assert "_auth_user_id" not in client.session
    row = AuditEvent.objects.order_by("-pk").first()
    assert row is not None and row.summary.startswith("Single sign-on did not complete")


def test_a_callback_nobody_started_writes_nothing(client, sso, db):
    before = AuditEvent.objects.count()
    response = client.get(CALLBACK, {"code": "c", "state": "never-issued"})
    assert response.status_code == 400
    assert client.get(CALLBACK, {"error": "access_denied"}).status_code == 400
    assert AuditEvent.objects.count() == before


def test_a_password_still_signs_in_with_sso_on(client, sso, world):
    from safeguarding.testing.factories import PASSWORD

    user = world.business_unit
    app_device(user)
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("accounts:two_factor_verify")
    assert client.session[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
