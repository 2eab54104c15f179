"""How the API knows who is calling: an API token, or a session past both factors.

- `ApiTokenAuthentication`: `Authorization: Token <key>`. Any Authorization header at all
  decides the request: a key that is not a live token, or any other scheme (Bearer, Basic, a
  bare value), is 401 with the reason. It never falls through to the session, so a header
  cannot carry a half-signed-in session past the second factor.
- `VerifiedSessionAuthentication`: the browser session (for the docs page), only once the
  second factor is done (DRF's own SessionAuthentication takes any signed-in session).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import (
    SessionAuthentication,
    TokenAuthentication,
    get_authorization_header,
)
from rest_framework.request import Request

from safeguarding.accounts import twofactor
from safeguarding.api import selectors, services

WRONG_SCHEME = (
    "Send the API token as the header `Authorization: Token <key>`; no other kind of "
    "credential is accepted."
)
UNVERIFIED = (
    "Two-factor authentication is not complete for this session. Finish signing in, or use "
    "an API token."
)


def token_from_header(header: bytes) -> Any:
    """The live token an Authorization header carries, or TokenRefused with the reason."""
    parts = header.split()
    if len(parts) != 2 or parts[0].lower() != b"token":
        raise selectors.TokenRefused(WRONG_SCHEME)
    try:
        key = parts[1].decode("ascii")
    except UnicodeDecodeError:
        raise selectors.TokenRefused(selectors.NOT_VALID) from None
    return selectors.api_token_for_key(key)


def token_refusal(header: str) -> str | None:
    """For middleware: why this Authorization header is refused, or None for a live token."""
    try:
        token_from_header(header.encode("latin-1", "replace"))
    except selectors.TokenRefused as refused:
        return str(refused)
    return None


class ApiTokenAuthentication(TokenAuthentication):
    # A subclass of DRF's class only so drf-spectacular declares it as "tokenAuth"; DRF's own
    # lookup (rest_framework.authtoken, keys in clear) is never used.
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = get_authorization_header(request)
        if not header:
            return None
        try:
            token = token_from_header(header)
        except selectors.TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        services.api_token_touch(token=token)
        return token.user, token


class VerifiedSessionAuthentication(SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None and not twofactor.is_verified(request._request):
            raise exceptions.AuthenticationFailed(UNVERIFIED)
        return result


class VerifiedSessionScheme(SessionScheme):
    target_class = "safeguarding.api.authentication.VerifiedSessionAuthentication"
