"""Ending sessions on the server.

A user's sessions are found by scanning the session store's unexpired rows (the database
backend, Django's default) for their user id. That needs no table kept in step with every
change of session key (log-in, two-factor, password change all cycle it), and it only runs
when a user is switched off or changes their password. Idle sessions expire after
SESSION_COOKIE_AGE, so the rows scanned are the last half hour's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record

LOGIN_AT_KEY = "srh_login_at"
_kept: ContextVar[str | None] = ContextVar("kept_session", default=None)


@contextmanager
def keeping(session_key: str | None) -> Iterator[None]:
    """Within this block, a password change ends every session of the user but this one."""
    token = _kept.set(session_key)
    try:
        yield
    finally:
        _kept.reset(token)


def kept_session() -> str | None:
    return _kept.get()


def stamp_login(session: Any) -> None:
    """Keep the log-in time in the session, for the absolute timeout."""
    session[LOGIN_AT_KEY] = timezone.now().timestamp()


def is_past_absolute_limit(session: Any, now: dt.datetime | None = None) -> bool:
    """True when the session is older than SESSION_ABSOLUTE_HOURS, or carries no log-in time
    (a session from before this check existed is not trusted)."""
    started = session.get(LOGIN_AT_KEY)
    if not isinstance(started, int | float):
        return True
    now = now or timezone.now()
    limit = dt.timedelta(hours=settings.SESSION_ABSOLUTE_HOURS)
    return now.timestamp() - started >= limit.total_seconds()


def session_keys_for(user_id: int) -> list[str]:
    keys = []
    for row in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(row.get_decoded().get(SESSION_KEY)) == str(user_id):
            keys.append(row.session_key)
    return keys


def end_sessions(user: Any, *, reason: str, keep: str | None = None) -> int:
    """Delete every session of `user` on the server except `keep`; returns how many ended."""
    keys = [k for k in session_keys_for(user.pk) if k != keep]
    if keys:
        Session.objects.filter(session_key__in=keys).delete()
        audit_record(
            actor=user,
            action=AuditAction.SESSION_ENDED,
            summary=f"Ended {len(keys)} session(s) of {user.username}: {reason}",
        )
    return len(keys)
