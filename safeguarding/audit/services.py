"""Writing audit events. Call inside the transaction of the change being recorded."""

from __future__ import annotations

from typing import Any

from django.db import models

from safeguarding.audit.context import current_client_ip
from safeguarding.audit.models import AuditAction, AuditEvent


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    summary: str,
    obj: models.Model | None = None,
    partnership: Any = None,
    changes: dict[str, Any] | None = None,
    outcome: str = "ok",
) -> AuditEvent:
    """Add one audit row; the object's partnership is used when none is given."""
    if partnership is None and obj is not None:
        partnership = getattr(obj, "partnership", None)
    if partnership is None and actor is not None and getattr(actor, "is_authenticated", False):
        partnership = actor.partnership
    event = AuditEvent.objects.create(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        partnership=partnership,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        changes=changes or {},
        ip_address=current_client_ip(),
        outcome=outcome,
    )
    if outcome == "denied":
        from safeguarding.audit.denials import note_denied_row

        note_denied_row(event.pk)
    return event
