"""The audit trail: who saw or changed what, when and from where. Rows are only ever added."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    VIEW_IDENTIFYING = "view_identifying", "Viewed identifying details"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    LOGIN = "login", "Logged in"
    LOGOUT = "logout", "Logged out"
    LOGIN_FAILED = "login_failed", "Failed log-in"
    EXPORT = "export", "Exported"
    DENIED = "denied", "Denied"
    DELETE = "delete", "Deleted"
    DISPOSE = "dispose", "Disposed under the retention schedule"
    LEGAL_HOLD = "legal_hold", "Legal hold changed"
    BACKUP = "backup", "Backed up"
    RESTORE = "restore", "Restored"
    TWO_FACTOR = "two_factor", "Two-factor authentication"
    LOCKED_OUT = "locked_out", "Locked out"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    SESSION_ENDED = "session_ended", "Session ended"
    CONFLICT = "conflict", "Edit conflict refused"


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=300)
    # Field name -> [before, after]; never holds identifying details (only which fields changed).
    changes = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=20, default="ok")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.summary}"
