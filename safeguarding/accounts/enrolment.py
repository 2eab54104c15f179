"""Set-up links: the only way to a first authenticator app, or to a new one after a reset.

Knowing a password is never enough to own the second factor. The set-up page serves a key only
to a session holding a grant from a one-time link for that same user (SESSION_GRANT):

- an invitation link (EnrolmentPurpose.INVITATION): the person chooses a password on the link's
  page; the link is used up then, and that session is signed in with the grant;
- a reset link (EnrolmentPurpose.RESET, from two_factor_reset or `manage.py reset_two_factor`):
  the person signs in with their password in the session that opened the link; the link is used
  up then, and the grant given.

A link is used up when it is exchanged for the grant, not when the app is confirmed: from that
moment it opens nothing, so it can never be used twice (and a half-finished invitation cannot
have its password chosen again by whoever else holds the link). The grant lives only in that
session (ended by signing out, the idle and absolute limits, a reset, or a newer link) and ends
when the app is confirmed. Someone who abandons set-up half-way asks for a new link.

The raw token is only in the link; the database keeps its SHA-256 digest. A link lasts
LINK_HOURS, and issuing one for a user ends every earlier link of theirs (and any grant from
one). Every issue, use and reset is in the audit trail (AuditAction.TWO_FACTOR).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts import sessions
from safeguarding.accounts.models import EnrolmentLink, EnrolmentPurpose, User
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record

LINK_HOURS = 24
# The link whose grant this session holds: it may set up an app for that link's user.
SESSION_GRANT = "srh_enrolment_grant"
# A reset link opened in this session, waiting for the password to be checked.
SESSION_PENDING = "srh_enrolment_pending"
_TOKEN_MAX = 100  # token_urlsafe(32) is 43 characters


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _by(actor: Any) -> str:
    return actor.username if getattr(actor, "is_authenticated", False) else "the command line"


@transaction.atomic
def enrolment_link_issue(*, actor: Any, user: User, purpose: str) -> str:
    """A new one-time set-up link for `user`; returns its absolute address (the only copy of
    the token). The user's earlier links, used or not, stop working."""
    purpose = EnrolmentPurpose(purpose)
    now = timezone.now()
    ended = EnrolmentLink.objects.filter(user=user, ended_at__isnull=True).update(ended_at=now)
    token = secrets.token_urlsafe(32)
    link = EnrolmentLink.objects.create(
        user=user,
        purpose=purpose,
        token_digest=_digest(token),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        expires_at=now + timedelta(hours=LINK_HOURS),
    )
    audit_record(
        actor=actor,
        action=AuditAction.TWO_FACTOR,
        summary=f"Set-up link ({purpose.value}) issued for {user.username} by {_by(actor)}"
        + (f"; {ended} earlier link(s) ended" if ended else ""),
        obj=link,
        partnership=user.partnership,
    )
    return settings.SITE_URL + reverse("accounts:enrol", args=[token])


@transaction.atomic
def two_factor_reset(*, actor: Any, user: User) -> str:
    """The administrator's reset for a lost phone: the user's authenticator apps and recovery
    codes are deleted, their sessions ended, and a reset link issued (returned)."""
    apps, _ = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()  # and its codes
    ended = sessions.end_sessions(user, reason="two-factor reset")
    audit_record(
        actor=actor,
        action=AuditAction.TWO_FACTOR,
        summary=f"Two-factor reset for {user.username} by {_by(actor)}: authenticator app and "
        f"recovery codes removed, {ended} session(s) ended",
        partnership=user.partnership,
    )
    return enrolment_link_issue(actor=actor, user=user, purpose=EnrolmentPurpose.RESET)


def link_for_token(token: str) -> EnrolmentLink | None:
    """The link this token opens, or None for any token that opens nothing: unknown, used,
    ended by a newer link, expired, or for an account switched off (all treated alike)."""
    if not token or len(token) > _TOKEN_MAX:
        return None
    link = EnrolmentLink.objects.usable().select_related("user").filter(token_digest=_digest(token))
    found = link.first()
    return found if found is not None and found.user.is_active else None


def _use(link: EnrolmentLink) -> bool:
    """Mark the link used, once: False when another request used it first."""
    return bool(EnrolmentLink.objects.usable().filter(pk=link.pk).update(used_at=timezone.now()))


@transaction.atomic
def enrolment_invitation_accept(*, link: EnrolmentLink, password: str) -> bool:
    """The invited person's chosen password (already validated) is set and the link used up.
    False, and nothing changed, when the link no longer opens."""
    if link.purpose != EnrolmentPurpose.INVITATION or not _use(link):
        return False
    user = link.user
    user.set_password(password)
    user.save(update_fields=["password"])  # ends any other session of theirs (signals.py)
    audit_record(
        actor=user,
        action=AuditAction.PASSWORD_CHANGED,
        summary=f"{user.username} chose a password through an invitation link",
        obj=link,
        partnership=user.partnership,
    )
    return True


def grant_give(request: HttpRequest, link: EnrolmentLink) -> None:
    """After the link is used: this session (signed in as its user) may set up an app."""
    request.session.pop(SESSION_PENDING, None)
    request.session[SESSION_GRANT] = link.pk


def reset_wait_for_password(request: HttpRequest, link: EnrolmentLink) -> None:
    """A reset link was opened: the grant follows once this session's password is checked."""
    request.session[SESSION_PENDING] = link.pk


@transaction.atomic
def reset_claim(request: HttpRequest, user: User) -> bool:
    """Called when `user`'s password has been checked in this session: a reset link opened in
    it (for the same user, still usable) is used up and the grant given."""
    pk = request.session.pop(SESSION_PENDING, None)
    if pk is None:
        return False
    link = EnrolmentLink.objects.filter(pk=pk, user=user, purpose=EnrolmentPurpose.RESET).first()
    if link is None or not _use(link):
        return False
    grant_give(request, link)
    audit_record(
        actor=user,
        action=AuditAction.TWO_FACTOR,
        summary=f"{user.username} signed in through a reset link to set up an authenticator app",
        obj=link,
        partnership=user.partnership,
    )
    return True


def grant(request: HttpRequest) -> EnrolmentLink | None:
    """The link whose grant this session holds for the signed-in user, if it still stands."""
    pk = request.session.get(SESSION_GRANT)
    user = request.user
    if pk is None or not user.is_authenticated:
        return None
    return EnrolmentLink.objects.filter(
        pk=pk, user=user, used_at__isnull=False, ended_at__isnull=True
    ).first()


def grant_end(request: HttpRequest, link: EnrolmentLink) -> None:
    """The app is set up: the grant is spent."""
    EnrolmentLink.objects.filter(pk=link.pk, ended_at__isnull=True).update(ended_at=timezone.now())
    request.session.pop(SESSION_GRANT, None)
