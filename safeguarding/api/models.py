"""API credentials, and the counter that keeps repeated anonymous refusals to one audit row.

A **system account** is a User (so it has a partnership, a role and, for an agency lead, an
agency, and the access rules apply to it unchanged) marked by a SystemAccount row and given an
unusable password: nobody signs in as it; it acts only through its API tokens. It lives here,
not as a field on accounts.User, because tokens are the only thing that needs it.

An **API token** belongs to a system account or to the person who made it for themselves.
Only the SHA-256 of its key is stored (the key is shown once); the first characters are kept to
tell tokens apart on the page. Every token expires; revoking one keeps its row (who made it,
when it was last used) with the time and the reason.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class SystemAccount(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="system_account",
    )
    description = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user.username} (system account)"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self, now: dt.datetime | None = None) -> ApiTokenQuerySet:
        """Tokens that still work: not revoked and not yet expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    name = models.CharField(max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=100, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def hint(self) -> str:
        return f"{self.prefix}…"

    def is_live(self, now: dt.datetime | None = None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class RefusalCount(models.Model):
    """Repeats of one refusal of an anonymous request (same status, client address and route)
    since its first audit row. The audit trail is append-only, so the count cannot be added to
    that row: it is kept here and written as one more audit row when the window closes."""

    key = models.CharField(max_length=64, unique=True)
    summary = models.CharField(max_length=300)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    first_row = models.BigIntegerField()
    started_at = models.DateTimeField()
    last_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.count} x {self.summary}"
