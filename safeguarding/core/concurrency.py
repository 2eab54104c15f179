"""Optimistic locking without a version column: a second editor gets a clear conflict message,
not a silent overwrite.

A record's *version token* is a keyed hash of what is stored for it now: every concrete field
and every many-to-many link, read fresh from the database. An edit form carries the token of the
version it was opened on (a hidden field); when it comes back, the row is read again, locked
(`select_for_update`, inside the request's transaction), and the change is refused if the token
differs. The API carries the same token as the `ETag` of a record and expects it back in
`If-Match` (see `safeguarding.api.views.base`).

The hash is keyed with the SECRET_KEY, so a token says nothing about the values behind it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import connection, models
from django.template.loader import render_to_string
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.safestring import SafeString, mark_safe

from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    FormBase = forms.BaseForm
else:
    FormBase = object

# The hidden field every edit form of an existing record carries (with the form's prefix).
VERSION_FIELD = "record_version"
_SALT = "safeguarding.core.concurrency"
_TOKEN_CHARS = 20  # 80 bits
_FIELD_CHARS = 4  # per field: only to say which fields someone else changed

Versioned = models.Model | models.QuerySet[Any]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def _digest(text: str, chars: int) -> str:
    return salted_hmac(_SALT, text, algorithm="sha256").hexdigest()[:chars]


def _rows(target: Versioned, *, lock: bool) -> tuple[type[models.Model], list[dict[str, Any]]]:
    """The stored rows of `target` (one record, or every record of a query), read fresh."""
    if isinstance(target, models.Model):
        model: type[models.Model] = type(target)
        query = model._base_manager.filter(pk=target.pk)
    else:
        model = target.model
        query = target.order_by("pk")
    if lock and connection.in_atomic_block:
        query = query.select_for_update()
    fields = [f.attname for f in model._meta.concrete_fields]
    rows = [{name: _plain(row[name]) for name in fields} for row in query.values(*fields)]
    for m2m in model._meta.many_to_many:
        through: Any = m2m.remote_field.through  # type: ignore[attr-defined]
        source = m2m.m2m_field_name()  # type: ignore[attr-defined]
        target_name = m2m.m2m_reverse_field_name()  # type: ignore[attr-defined]
        links: dict[Any, list[Any]] = {}
        pks = [row[model._meta.pk.attname] for row in rows]
        for owner, linked in through.objects.filter(**{f"{source}__in": pks}).values_list(
            source, target_name
        ):
            links.setdefault(owner, []).append(linked)
        for row in rows:
            row[m2m.name] = sorted(links.get(row[model._meta.pk.attname], []))
    return model, rows


@dataclass(frozen=True)
class Version:
    """What is stored for a record now: its token, and a short digest of each field."""

    token: str
    fields: dict[str, str]

    @property
    def form_value(self) -> str:
        """The token, then each field's digest, as a form carries it."""
        return ".".join([self.token, *(f"{k}:{v}" for k, v in self.fields.items())])


def version_of(target: Versioned, *, lock: bool = False) -> Version:
    """The version of a record (or of every record of a query), read fresh from the database;
    with `lock`, the rows stay locked until the transaction ends."""
    model, rows = _rows(target, lock=lock)
    payload = json.dumps([model._meta.label, rows], sort_keys=True, default=str)
    fields: dict[str, str] = {}
    if isinstance(target, models.Model) and len(rows) == 1:
        fields = {
            name: _digest(json.dumps(value, sort_keys=True, default=str), _FIELD_CHARS)
            for name, value in rows[0].items()
        }
    return Version(token=_digest(payload, _TOKEN_CHARS), fields=fields)


def version_token(target: Versioned) -> str:
    """The version token of a record, as an API's ETag and a form's hidden field carry it."""
    return version_of(target).token


def changed_fields(sent: str, now: Version) -> list[str]:
    """The fields whose stored value differs from the version a form was opened on."""
    before = dict(part.split(":", 1) for part in sent.split(".")[1:] if ":" in part)
    return [name for name, digest in now.fields.items() if before.get(name) != digest]


def is_current(sent: str, now: Version) -> bool:
    return bool(sent) and constant_time_compare(sent.split(".", 1)[0], now.token)


def version_data(target: Versioned, prefix: str | None = None) -> dict[str, str]:
    """The hidden field a form opened now would send (for tests and scripted clients)."""
    name = f"{prefix}-{VERSION_FIELD}" if prefix else VERSION_FIELD
    return {name: version_of(target).form_value}


def record_conflict(*, actor: Any, target: Versioned, fields: list[str], how: str = "form") -> None:
    """The audit row of a refused change (which fields had changed, never their values)."""
    obj = target if isinstance(target, models.Model) else target.first()
    model = type(obj) if obj is not None else getattr(target, "model", None)
    what = model._meta.verbose_name if model is not None else "record"
    audit_record(
        actor=actor,
        action=AuditAction.CONFLICT,
        summary=f"Refused a change ({how}) to {what} {obj.pk if obj else ''}: changed by someone "
        "else since it was opened",
        obj=obj,
        changes={"changed_since_opened": fields},
        outcome="refused",
    )


def conflict_message(*, record_name: str, latest_url: str, changed: list[str]) -> SafeString:
    html = render_to_string(
        "includes/edit_conflict.html",
        {"record_name": record_name, "latest_url": latest_url, "changed": changed},
    )
    return mark_safe(html.strip())  # noqa: S308 - rendered by the template, which escapes


class VersionedFormMixin(FormBase):
    """An edit form of an existing record carries the version it was opened on, and refuses the
    change if the record has changed since.

    `record` is the record edited (a ModelForm's saved instance by default), or a query for a
    record that may not exist yet. `request` gives the editor (for the audit row) and the page
    to open the latest version on (`latest_url`, the current page by default). A form without a
    record (creating one) carries nothing.
    """

    version_record_name = ""  # the message's "this <record>"; the model's name by default

    def __init__(
        self,
        *args: Any,
        record: Versioned | None = None,
        request: HttpRequest | None = None,
        latest_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if record is None and instance is not None and instance.pk is not None:
            record = instance
        self.version_record = record
        self.version_request = request
        self.version_latest_url = latest_url or (request.get_full_path() if request else "")
        self.version_conflict: list[str] | None = None
        if record is not None:
            self.fields[VERSION_FIELD] = forms.CharField(widget=forms.HiddenInput, required=False)
            if not self.is_bound:
                self.initial[VERSION_FIELD] = version_of(record).form_value

    def _record_name(self) -> str:
        if self.version_record_name:
            return self.version_record_name
        target = self.version_record
        model = type(target) if isinstance(target, models.Model) else target.model  # type: ignore[union-attr]
        return str(model._meta.verbose_name)

    def _field_label(self, name: str) -> str:
        if name in self.fields and self.fields[name].label:
            return str(self.fields[name].label)
        target = self.version_record
        model = type(target) if isinstance(target, models.Model) else target.model  # type: ignore[union-attr]
        for field in model._meta.get_fields():
            if name in (field.name, getattr(field, "attname", None)):
                return str(getattr(field, "verbose_name", name)).capitalize()
        return name.replace("_", " ").capitalize()

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or self.version_record is None:
            return
        # The version is the form's own business: the services get the record's fields only.
        self.cleaned_data.pop(VERSION_FIELD, None)
        sent = str(self.data.get(self.add_prefix(VERSION_FIELD)) or "")
        now = version_of(self.version_record, lock=True)
        if is_current(sent, now):
            return
        changed = changed_fields(sent, now) if sent else []
        skip = {"id", "updated_at", "modified_at"}
        labels = list(dict.fromkeys(self._field_label(n) for n in changed if n not in skip))
        self.version_conflict = labels
        request = self.version_request
        if sent:
            # A stale version is a real conflict, audited. (A form sent without any version,
            # from a page older than this check or a hand-made request, is only refused.)
            record_conflict(
                actor=request.user if request is not None else None,
                target=self.version_record,
                fields=[n for n in changed if n not in skip],
            )
        message = conflict_message(
            record_name=self._record_name(),
            latest_url=self.version_latest_url,
            changed=labels,
        )
        self.add_error(None, forms.ValidationError(message, code="conflict"))


class VersionForm(VersionedFormMixin, forms.Form):
    """Only the version: for a button that changes a record without asking anything more."""

    def __init__(self, data: Any = None, *, record: Versioned, **kwargs: Any) -> None:
        super().__init__(data, record=record, **kwargs)
