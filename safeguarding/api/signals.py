"""A user's API tokens end when their password changes or their account is switched off, as
their other sessions do (safeguarding/accounts/signals.py)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from safeguarding.accounts.signals import credentials_changed
from safeguarding.api import services


@receiver(credentials_changed)
def _revoke_tokens(sender: Any, user: Any, reason: str, **kwargs: Any) -> None:
    services.api_tokens_revoke_all(actor=None, user=user, reason=reason)
