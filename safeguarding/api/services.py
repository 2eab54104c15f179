"""Writes for API tokens: one token per account, made and revoked by the business unit (or on
the command line), each with its audit row in the same transaction. The key is shown once, when
it is made; afterwards only its first characters are shown."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record

SHOWN_CHARACTERS = 6


def token_hint(token: Token) -> str:
    return f"{token.key[:SHOWN_CHARACTERS]}…"


@transaction.atomic
def api_token_create(*, actor: Any, account: User) -> Token:
    """Give an account a new API token, replacing (and so revoking) any it had."""
    replaced = Token.objects.filter(user=account).delete()[0] > 0
    token = Token.objects.create(user=account)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"{'Replaced' if replaced else 'Made'} the API token of {account.username}",
        obj=account,
        partnership=account.partnership,
        changes={"api_token": ["(hidden)" if replaced else None, token_hint(token)]},
    )
    return token


@transaction.atomic
def api_token_revoke(*, actor: Any, account: User) -> bool:
    """Revoke an account's API token; False if it had none."""
    token = Token.objects.filter(user=account).first()
    if token is None:
        return False
    hint = token_hint(token)
    token.delete()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"Revoked the API token of {account.username}",
        obj=account,
        partnership=account.partnership,
        changes={"api_token": [hint, None]},
    )
    return True
