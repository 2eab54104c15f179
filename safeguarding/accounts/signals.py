"""Log-ins, log-outs, failed log-ins and lockouts go into the audit trail; switching a user off
or changing their password ends their other sessions on the server."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.hashers import check_password
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver

from safeguarding.accounts import sessions
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record

# Sent with `user` and `reason` after a user's password changes or the account is switched
# off, once their other sessions have ended: other credentials (API tokens) end too.
credentials_changed = Signal()


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.stamp_login(request.session)
    audit_record(actor=user, action=AuditAction.LOGIN, summary=f"{user.username} logged in")


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, summary=f"{user.username} logged out")


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: Any, request: Any = None, **kwargs: Any) -> None:
    # The username tried is not recorded: it may be a password typed in the wrong box.
    audit_record(
        actor=None, action=AuditAction.LOGIN_FAILED, summary="Failed log-in", outcome="failed"
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any = None, username: Any = None, **kwargs: Any) -> None:
    # Recorded against the account only when the name is one (never the text typed otherwise).
    user = User.objects.filter(username=username).first() if username else None
    audit_record(
        actor=user,
        partnership=getattr(user, "partnership", None),
        action=AuditAction.LOCKED_OUT,
        summary="Log-in refused: too many failed attempts"
        + (f" for {user.username}" if user else ""),
        outcome="refused",
    )


@receiver(pre_save, sender=User)
def _note_security_changes(sender: Any, instance: User, **kwargs: Any) -> None:
    instance._srh_end_sessions = ""  # type: ignore[attr-defined]
    if instance.pk is None or kwargs.get("raw"):
        return
    before = User.objects.filter(pk=instance.pk).values("is_active", "password").first()
    if before is None:
        return
    if before["is_active"] and not instance.is_active:
        instance._srh_end_sessions = "account switched off"  # type: ignore[attr-defined]
    elif before["password"] != instance.password and not _same_password(
        instance, before["password"]
    ):
        instance._srh_end_sessions = "password changed"  # type: ignore[attr-defined]


def _same_password(instance: User, old_hash: str) -> bool:
    """A new hash of the same password (Django re-hashes on log-in after a hasher upgrade)."""
    raw = getattr(instance, "_password", None)
    return raw is not None and check_password(raw, old_hash)


@receiver(post_save, sender=User)
def _end_sessions_after_change(sender: Any, instance: User, **kwargs: Any) -> None:
    reason = getattr(instance, "_srh_end_sessions", "")
    if reason:
        instance._srh_end_sessions = ""  # type: ignore[attr-defined]
        sessions.end_sessions(instance, reason=reason, keep=sessions.kept_session())
        credentials_changed.send(sender=User, user=instance, reason=reason)
