"""Single sign-on with OpenID Connect (an organisation's own sign-in: Microsoft Entra ID for most
councils and NHS bodies), through mozilla-django-oidc. Off unless SRH_OIDC_ISSUER,
SRH_OIDC_CLIENT_ID and SRH_OIDC_CLIENT_SECRET are all set (settings.py); the pages are in
sso_views.py, the set-up in docs/DEPLOY.md ("Single sign-on").

The rules, all decided here from the claims of the provider's signed ID token (the userinfo
endpoint is never asked, so every claim used was checked with the provider's key):

- Only invited people get in. The email claim, with the email-verified claim exactly true,
  must match the email of exactly one active account (case-insensitively). Nobody is ever
  created by signing in. No match, an unconfirmed email, only switched-off accounts, or more
  than one active account: refused (`SsoRefused`), nothing changed, one audit row.
- The second factor. When the ID token's `amr` holds one of MFA_AMR, or its `acr` is one of
  SRH_OIDC_MFA_ACR, the provider's own multi-factor sign-in counts: the session is marked
  (SESSION_PROVIDER_MFA, read by twofactor.is_verified) and audited. Otherwise the person goes
  on to our own second factor, exactly as after a password.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from enum import StrEnum
from typing import Any

import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from safeguarding.accounts.models import User

logger = logging.getLogger(__name__)

# RFC 8176 values (and "fido") that mean more than one factor was used at the provider. Each is
# compared exactly: Entra's "wiaormfa" (Windows sign-in *or* MFA) does not count.
MFA_AMR = frozenset({"mfa", "otp", "hwk", "swk", "fido"})
# Set only by the callback (sso_views.py) after log-in: the pk of the user whose provider said
# multi-factor. Dropped at every log-in (twofactor.py) and with the session at log-out.
SESSION_PROVIDER_MFA = "srh_provider_mfa"
# The session then belongs to Django's ModelBackend (as after a password): SsoBackend only
# takes part in the callback's authenticate() and never restores a session.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
DISCOVERY_PATH = "/.well-known/openid-configuration"
DISCOVERY_SECONDS = 3600  # the provider's endpoints and keys are looked up again after an hour
# mozilla-django-oidc's endpoint settings and their names in a discovery document.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def enabled() -> bool:
    """Single sign-on is configured (read on every call, so tests can switch it)."""
    return bool(
        settings.SSO_ISSUER and settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET
    )


def issuer() -> str:
    return str(settings.SSO_ISSUER).rstrip("/")


# --- The provider's discovery document ---------------------------------------------------------


class ProviderUnavailable(Exception):
    """The discovery document could not be fetched or does not describe the configured issuer."""


_discovered: dict[str, tuple[float, dict[str, Any]]] = {}
_discovery_lock = threading.Lock()


def discovery() -> dict[str, Any]:
    """The issuer's /.well-known/openid-configuration, kept for DISCOVERY_SECONDS."""
    url = issuer() + DISCOVERY_PATH
    with _discovery_lock:
        cached = _discovered.get(url)
        if cached is not None and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
            return cached[1]
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"{url}: {exc.__class__.__name__}") from exc
    # OpenID Connect Discovery 1.0, 4.3: the issuer in the document must be the one asked.
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer():
        raise ProviderUnavailable(f"{url} names another issuer")
    with _discovery_lock:
        _discovered[url] = (time.monotonic(), document)
    return document


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings, with each endpoint from settings.py when given there and
    otherwise from the discovery document."""
    if attr == "OIDC_OP_USER_ENDPOINT":
        return ""  # never asked: every claim used is the signed ID token's
    if attr in ENDPOINTS:
        explicit = getattr(settings, attr, "")
        if explicit:
            return explicit
        value = discovery().get(ENDPOINTS[attr])
        if not value:
            raise ProviderUnavailable(f"the discovery document has no {ENDPOINTS[attr]}")
        return value
    return import_from_settings(attr, *default)


# --- Who may come in ---------------------------------------------------------------------------


class Refusal(StrEnum):
    NO_EMAIL = "no_email"
    UNVERIFIED = "unverified"
    NO_ACCOUNT = "no_account"
    SWITCHED_OFF = "switched_off"
    SEVERAL_ACCOUNTS = "several_accounts"


class SsoRefused(Exception):
    """The provider vouched for someone who may not come in. Raised through Django's
    authenticate() (it is not PermissionDenied, so no other backend is tried and nothing is
    counted as a failed password)."""

    def __init__(self, reason: Refusal, *, email: str = "", accounts: list[User] | None = None):
        super().__init__(reason.value)
        self.reason = reason
        self.email = email
        self.accounts = accounts or []


class SsoFailed(Exception):
    """The exchange with the provider did not complete (a bad answer, a bad token, no answer)."""


def _is_true(value: Any) -> bool:
    # Some providers send the string "true"; anything else (absent, false, 1) is not confirmed.
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def account_for_claims(claims: dict[str, Any]) -> User:
    """The one active account whose email is the provider's verified email, or SsoRefused."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email.strip():
        raise SsoRefused(Refusal.NO_EMAIL)
    email = email.strip()
    if not _is_true(claims.get(settings.SSO_EMAIL_VERIFIED_CLAIM)):
        raise SsoRefused(Refusal.UNVERIFIED, email=email)
    # A system account (API tokens only) is never signed in to by a person.
    people = list(
        User.objects.filter(email__iexact=email, system_account__isnull=True).order_by("pk")
    )
    active = [u for u in people if u.is_active]
    if len(active) == 1:
        return active[0]
    if len(active) > 1:
        raise SsoRefused(Refusal.SEVERAL_ACCOUNTS, email=email, accounts=active)
    if people:
        raise SsoRefused(Refusal.SWITCHED_OFF, email=email, accounts=people)
    raise SsoRefused(Refusal.NO_ACCOUNT, email=email)


def _values(claim: Any) -> list[str]:
    items = [claim] if isinstance(claim, str) else claim if isinstance(claim, list) else []
    return [v for v in items if isinstance(v, str)]


def provider_mfa(claims: dict[str, Any]) -> str:
    """Why the provider's sign-in counts as the second factor ("amr mfa"), or "" if it does
    not."""
    hits = [v for v in _values(claims.get("amr")) if v in MFA_AMR]
    if hits:
        return "amr " + ", ".join(hits)
    acr = claims.get("acr")
    if isinstance(acr, str) and acr in settings.SSO_MFA_ACR:
        return f"acr {acr}"
    return ""


def claims_shown(claims: dict[str, Any]) -> str:
    """The amr and acr values as the audit trail records them (short, plain characters only:
    they come from outside)."""
    safe = re.compile(r"[A-Za-z0-9_.:/-]{1,60}")
    amr = [v for v in _values(claims.get("amr")) if safe.fullmatch(v)][:6]
    acr = [v for v in _values(claims.get("acr")) if safe.fullmatch(v)][:1]
    shown = [f"amr {', '.join(amr) or 'none'}"] + [f"acr {a}" for a in acr]
    return "; ".join(shown)


def email_domain(email: str) -> str:
    """The part after the @ only: a refused address is never recorded in full."""
    domain = email.rpartition("@")[2]
    return domain if re.fullmatch(r"[A-Za-z0-9.-]{1,100}", domain) else "(not shown)"


# --- The session marker ------------------------------------------------------------------------


def provider_mfa_mark(request: HttpRequest, user: User) -> None:
    request.session[SESSION_PROVIDER_MFA] = user.pk


def provider_mfa_verified(request: HttpRequest) -> bool:
    """This session came from a single sign-on whose provider said multi-factor, for this user,
    and single sign-on is still on (turning it off sends such sessions to our second factor)."""
    user = request.user
    session = getattr(request, "session", None)
    return (
        session is not None
        and user.is_authenticated
        and session.get(SESSION_PROVIDER_MFA) == user.pk
        and session.get(BACKEND_SESSION_KEY) == SESSION_BACKEND
        and enabled()
    )


# --- The authentication backend ----------------------------------------------------------------


class _Exchange(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code exchange and ID token check (signature with the provider's
    keys, algorithm, nonce; PKCE), plus the audience and issuer, and our matching rule in
    place of its find-or-create."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self) -> None:
        super().__init__()
        self.claims: dict[str, Any] = {}

    def verify_token(self, token: Any, **kwargs: Any) -> Any:
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else audience or []
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is for another client.")
        if str(payload.get("iss", "")).rstrip("/") != issuer():
            raise SuspiciousOperation("The ID token is from another issuer.")
        if not isinstance(payload.get("exp"), int | float):  # PyJWT checks it only when present
            raise SuspiciousOperation("The ID token has no expiry.")
        return payload

    def get_or_create_user(self, access_token: Any, id_token: Any, payload: Any) -> User:
        self.claims = dict(payload)
        return account_for_claims(self.claims)


class SsoBackend:
    """First in AUTHENTICATION_BACKENDS. Its signature takes only the callback's credentials,
    so Django skips it for a password (and the password backends never see the callback: it
    returns a user or raises). It has no get_user: the session is ModelBackend's."""

    def authenticate(
        self, request: HttpRequest | None, *, nonce: Any, code_verifier: Any = None
    ) -> User:
        if request is None or not enabled():
            raise SsoFailed("single sign-on is off")
        try:
            exchange = _Exchange()
            user = exchange.authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except (SsoRefused, ProviderUnavailable):
            raise
        except Exception as exc:  # any failure of the exchange is one refusal page, logged
            logger.warning("Single sign-on did not complete: %s", exc.__class__.__name__)
            raise SsoFailed(exc.__class__.__name__) from exc
        if user is None:
            raise SsoFailed("no ID token")
        user._srh_sso_claims = exchange.claims  # type: ignore[attr-defined]
        return user
