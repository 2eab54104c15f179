"""Saving a change with its history row and its audit row, in one transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record

# Fields whose values the audit trail never holds, only the fact that they changed.
SECRET_FIELDS = frozenset({"password"})


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of `obj`, as stored."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [_plain(before.get(name)), _plain(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def save_and_record(
    obj: models.Model,
    *,
    actor: Any,
    summary: str,
    before: dict[str, Any] | None = None,
    hide_values: bool = False,
) -> models.Model:
    """Save `obj` (history via simple-history) and write the audit row for the change.

    `before` is the snapshot taken before the change; None means a new record. With
    `hide_values` the audit row names the changed fields but not their values (identifying
    details never go into the audit trail).
    """
    obj._history_user = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[attr-defined]
    obj.full_clean()
    obj.save()
    changes = diff(before or {}, snapshot(obj))
    changes.pop("id", None)
    if hide_values:
        changes = {name: ["(hidden)", "(hidden)"] for name in changes}
    for name in SECRET_FIELDS & set(changes):  # a password hash never goes into the trail
        changes[name] = ["(hidden)", "(hidden)"]
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        summary=summary,
        obj=obj,
        partnership=_partnership_of(obj),
        changes=changes,
    )
    return obj


def _partnership_of(obj: models.Model) -> Any:
    for path in ("partnership", "review", "case"):
        target = getattr(obj, path, None)
        if target is None:
            continue
        if path == "partnership":
            return target
        return getattr(target, "partnership", None)
    return None
