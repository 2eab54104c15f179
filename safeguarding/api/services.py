"""Writes for API credentials and for counted refusals, each with its audit row in the same
transaction.

Tokens: a person makes them for themselves, or the business unit for a system account of its
partnership (`safeguarding.api.models`); nobody makes one for another person, so a token never
lets anyone act as a colleague. Each has a name, and several may be live at once. The key is
returned once, by `api_token_create`; only its SHA-256 is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from safeguarding.accounts import access
from safeguarding.accounts.models import Agency, Partnership, Role, User
from safeguarding.api.models import ApiToken, RefusalCount, SystemAccount
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.audit.services import audit_record

DEFAULT_DAYS = 90
MAX_DAYS = 365
PREFIX_CHARACTERS = 8
# last_used_at is written at most this often per token, not on every request.
LAST_USED_EVERY = dt.timedelta(minutes=1)


class TokenError(ValueError):
    """A token that may not be made; the message is for the user."""


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once, never stored


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def is_system_account(user: User) -> bool:
    return SystemAccount.objects.filter(user=user).exists() and not user.has_usable_password()


def may_make_token_for(*, actor: Any, account: User) -> bool:
    """The rule: yourself, or (business unit) a system account of your partnership. With no
    actor (the command line, run by whoever runs the server) system accounts only."""
    if not account.is_active:
        return False
    if actor is not None and actor.pk == account.pk:
        return not is_system_account(account)
    if not is_system_account(account):
        return False
    if actor is None:
        return True
    return bool(
        access.can_user_manage_partnership(actor)
        and account.partnership_id is not None
        and account.partnership_id == actor.partnership_id
    )


@transaction.atomic
def system_account_create(
    *,
    actor: Any,
    partnership: Partnership,
    username: str,
    role: str,
    description: str,
    agency: Agency | None = None,
) -> User:
    """A user nobody signs in as (unusable password), for a system's API tokens."""
    if role == Role.AGENCY_LEAD and agency is None:
        raise TokenError("An agency lead must belong to an agency.")
    if agency is not None and agency.partnership_id != partnership.pk:
        raise TokenError("The agency must belong to the account's partnership.")
    if User.objects.filter(username=username).exists():
        raise TokenError(f"There is already an account called {username}.")
    user = User(username=username, partnership=partnership, role=role, agency=agency)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    SystemAccount.objects.create(
        user=user, description=description, created_by=actor if actor is not None else None
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"Added system account {username} ({user.get_role_display()})",
        obj=user,
        partnership=partnership,
    )
    return user


@transaction.atomic
def api_token_create(
    *,
    actor: Any,
    account: User,
    name: str,
    days: int = DEFAULT_DAYS,
    now: dt.datetime | None = None,
) -> IssuedToken:
    """Make a named token for `account`, valid for `days` (at most MAX_DAYS)."""
    name = name.strip()
    if not may_make_token_for(actor=actor, account=account):
        raise TokenError(
            "A token can be made only for yourself or for a system account of your partnership."
        )
    if not name:
        raise TokenError("Give the token a name.")
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(f"A token lasts from 1 to {MAX_DAYS} days.")
    now = now or timezone.now()
    if ApiToken.objects.live(now).filter(user=account, name__iexact=name).exists():
        raise TokenError(f"{account.username} already has a token called {name}.")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        user=account,
        key_digest=key_digest(key),
        prefix=key[:PREFIX_CHARACTERS],
        created_by=actor if actor is not None else None,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"Made API token {name!r} ({token.hint}) of {account.username}, "
        f"expires {token.expires_at:%d %b %Y}",
        obj=token,
        partnership=account.partnership,
        changes={"api_token": [None, token.hint]},
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(
    *, actor: Any, token: ApiToken, reason: str = "revoked", now: dt.datetime | None = None
) -> bool:
    """Revoke one token; False if it was revoked already."""
    now = now or timezone.now()
    if not ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason=reason[:100]
    ):
        return False
    token.revoked_at, token.revoked_reason = now, reason[:100]
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"Revoked API token {token.name!r} ({token.hint}) of {token.user.username}: "
        f"{reason}",
        obj=token,
        partnership=token.user.partnership,
        changes={"api_token": [token.hint, None]},
    )
    return True


@transaction.atomic
def api_tokens_revoke_all(*, actor: Any, user: User, reason: str) -> int:
    """Revoke every token of `user` (a password change, the account switched off)."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    if not tokens:
        return 0
    now = timezone.now()
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(
        revoked_at=now, revoked_reason=reason[:100]
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"Revoked {len(tokens)} API token(s) of {user.username}: {reason}",
        obj=user,
        partnership=user.partnership,
        changes={"api_tokens": [[t.hint for t in tokens], []]},
    )
    return len(tokens)


def api_token_touch(*, token: ApiToken, now: dt.datetime | None = None) -> None:
    """Note that a token was used: at most once a minute, not one write per request. Not
    audited: it is a usage stamp, like last_login."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- Repeated refusals of anonymous requests ------------------------------------------------


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.AUDIT_REPEAT_MINUTES)


@transaction.atomic
def refusal_record(
    *, key: str, summary: str, ip_address: str | None, now: dt.datetime | None = None
) -> None:
    """One anonymous refusal. The first of a kind (same status, address and route) within the
    window writes its audit row; later ones only add to the count, which is written as one
    more audit row when the window closes (`refusal_windows_close`). So a flood of requests
    writes a handful of rows, and the number of refusals is still in the trail."""
    now = now or timezone.now()
    refusal_windows_close(now=now)
    digest = hashlib.sha256(key.encode()).hexdigest()
    counter, made = RefusalCount.objects.get_or_create(
        key=digest,
        defaults={
            "summary": summary[:300],
            "ip_address": ip_address,
            "first_row": 0,
            "started_at": now,
            "last_at": now,
        },
    )
    if not made:
        RefusalCount.objects.filter(pk=counter.pk).update(count=F("count") + 1, last_at=now)
        return
    event = audit_record(actor=None, action=AuditAction.DENIED, summary=summary, outcome="denied")
    RefusalCount.objects.filter(pk=counter.pk).update(first_row=event.pk)


@transaction.atomic
def refusal_windows_close(*, now: dt.datetime | None = None) -> int:
    """Write the count of every window that has closed as an audit row; returns how many."""
    now = now or timezone.now()
    closed = list(RefusalCount.objects.select_for_update().filter(started_at__lte=now - _window()))
    rows = [
        AuditEvent(
            action=AuditAction.DENIED,
            summary=(
                f"Refused {c.count} times from {c.started_at:%H:%M:%S} to {c.last_at:%H:%M:%S} "
                f"UTC (first: audit row {c.first_row}): {c.summary}"
            )[:300],
            changes={"count": [1, c.count]},
            ip_address=c.ip_address,
            outcome="denied",
        )
        for c in closed
        if c.count > 1
    ]
    # The address is the refused client's, not that of whichever request closed the window.
    AuditEvent.objects.bulk_create(rows)
    RefusalCount.objects.filter(pk__in=[c.pk for c in closed]).delete()
    return len(rows)
