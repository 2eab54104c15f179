"""Reads for API credentials: the token a key names (or why it is refused), and what the token
page lists."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from safeguarding.accounts import access
from safeguarding.accounts.models import User
from safeguarding.api.models import ApiToken
from safeguarding.api.services import key_digest

NOT_VALID = "The API token is not valid."


class TokenRefused(Exception):
    """Why a key does not authenticate; the message is for the client."""


def api_token_for_key(key: str) -> ApiToken:
    """The live token whose key this is, or TokenRefused with the reason. Looked up by the
    key's SHA-256, so the lookup never compares the key itself; the digests are compared again
    in constant time."""
    digest = key_digest(key)
    token = ApiToken.objects.select_related("user").filter(key_digest=digest).first()
    if token is None or not constant_time_compare(token.key_digest, digest):
        raise TokenRefused(NOT_VALID)
    if token.revoked_at is not None:
        raise TokenRefused(f"The API token was revoked on {token.revoked_at:%d %b %Y}.")
    if token.expires_at <= timezone.now():
        raise TokenRefused(f"The API token expired on {token.expires_at:%d %b %Y}.")
    if not token.user.is_active:
        raise TokenRefused("The account of this API token is switched off.")
    return token


def partnership_accounts(user: Any) -> QuerySet[User]:
    return User.objects.filter(partnership=access.get_partnership_for_user(user))


def token_accounts_for_user(user: Any) -> list[User]:
    """Who `user` may make a token for: themselves, then the partnership's system accounts."""
    systems = (
        partnership_accounts(user)
        .filter(is_active=True, system_account__isnull=False)
        .exclude(pk=user.pk)
        .order_by("username")
    )
    return [user, *(a for a in systems if not a.has_usable_password())]


def api_tokens_for_user(user: Any) -> QuerySet[ApiToken]:
    """The partnership's unrevoked tokens (expired ones too, until revoked), newest first."""
    return ApiToken.objects.filter(
        user__in=partnership_accounts(user), revoked_at__isnull=True
    ).select_related("user", "created_by", "user__system_account")
