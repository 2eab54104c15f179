"""Writing many records at once (a spreadsheet import) with the same history and audit rows that
`core.history.save_and_record` and the apps' services leave for one record at a time, in a few
bulk statements instead of several per record.

The `*_create_many` services of the apps (cases, reviews, findings, actions) are built from
these pieces; each keeps the order of rows that the one-at-a-time service writes (a "+" history
row on creation, a "~" history row when a many-to-many field is then set, one audit row per
save), so an import written in bulk is indistinguishable from one written row by row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.utils import timezone

from safeguarding.audit.context import current_client_ip
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.core.history import _partnership_of, diff, snapshot

BATCH = 500


def user_of(actor: Any) -> Any:
    """The user a history or audit row names: None for the system (no signed-in user)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def clean_each(objs: Sequence[models.Model]) -> None:
    """`clean_fields` of every object, leaving out its relations (objects the caller holds, so
    no query per row to check they exist). A refusal names the object's position in `index`."""
    for index, obj in enumerate(objs):
        relations = [f.name for f in obj._meta.fields if f.is_relation]
        try:
            obj.clean_fields(exclude=relations)
        except ValidationError as error:
            error.index = index  # type: ignore[attr-defined]
            raise


def insert_plain(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows whose primary keys nobody needs back (history, audit, clocks) with one
    prepared statement run over all of them (`executemany`): each value goes through its field's
    `get_db_prep_save` as the ORM's inserts do, without building a model instance or compiling
    an INSERT per batch. A field left out of a row gets its default (now, for `auto_now_add`)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and getattr(f, "db_returning", False))
    ]
    quote = connection.ops.quote_name
    # Table and column names from the model, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    now = timezone.now()
    defaults: dict[str, Any] = {}
    for f in fields:
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()
    # Plain text, whole numbers and booleans are stored as they are by every field that holds
    # them here (text, integer, boolean and key fields); dates, times, JSON, choices' enum
    # members and anything else go through the field.
    plain = [
        not isinstance(
            f,
            models.JSONField
            | models.UUIDField
            | models.DecimalField
            | models.GenericIPAddressField,
        )
        for f in fields
    ]
    as_is = (str, int, bool)
    missing = object()
    params = []
    for row in rows:
        values = []
        for f, simple in zip(fields, plain, strict=True):
            value = row.get(f.attname, missing)
            if value is missing:
                value = defaults.get(f.attname)
            if value is None or (simple and type(value) in as_is):
                values.append(value)
            else:
                values.append(f.get_db_prep_save(value, connection))
        params.append(values)
    with connection.cursor() as cursor:
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start : start + 2000])


def history_create(
    model: type[models.Model], objs: Sequence[models.Model], *, user: Any, update: bool = False
) -> None:
    """One history row per object, as it is now: "+" (created) or "~" (changed); the fields of
    simple-history's own `bulk_history_create`."""
    from simple_history.utils import get_history_manager_for_model

    if not objs:
        return
    historical = get_history_manager_for_model(model).model
    names = [f.attname for f in historical.tracked_fields]  # type: ignore[attr-defined]
    now = timezone.now()
    insert_plain(
        historical,
        [
            {
                **{name: getattr(obj, name) for name in names},
                "history_date": now,
                "history_user_id": user.pk if user is not None else None,
                "history_change_reason": None,
                "history_type": "~" if update else "+",
            }
            for obj in objs
        ],
    )


def m2m_history_create(
    model: type[models.Model], field: str, changed: Sequence[models.Model], links: Iterable[Any]
) -> None:
    """The many-to-many rows (simple-history's `Historical<Model>_<field>` table, one per link)
    of the "~" history row just written for each record of `changed`."""
    from simple_history.utils import get_history_manager_for_model

    if not changed:
        return
    history = get_history_manager_for_model(model).model
    history_of: dict[int, int] = {}
    ids = [obj.pk for obj in changed]
    for start in range(0, len(ids), 900):
        history_of.update(
            history.objects.filter(id__in=ids[start : start + 900], history_type="~")
            .order_by("history_id")
            .values_list("id", "history_id")
        )
    through = getattr(model, field).through
    historical = apps.get_model(model._meta.app_label, f"Historical{model.__name__}_{field}")
    source = f"{model._meta.model_name}_id"
    names = [f.attname for f in through._meta.fields]
    insert_plain(
        historical,
        [
            {
                "history_id": history_of[getattr(link, source)],
                **{n: getattr(link, n) for n in names},
            }
            for link in links
            if getattr(link, source) in history_of
        ],
    )


def links_create(
    model: type[models.Model], field: str, pairs: Iterable[tuple[models.Model, Iterable[Any]]]
) -> list[Any]:
    """The many-to-many links of `field` for each `(record, targets)`, inserted together and
    read back (their keys go into the many-to-many history)."""
    descriptor = getattr(model, field)
    through = descriptor.through
    source = f"{descriptor.field.m2m_field_name()}_id"
    target = f"{descriptor.field.m2m_reverse_field_name()}_id"
    rows = [{source: obj.pk, target: other.pk} for obj, others in pairs for other in others]
    if not rows:
        return []
    insert_plain(through, rows)
    ids = sorted({row[source] for row in rows})
    links: list[Any] = []
    for start in range(0, len(ids), 900):
        links.extend(
            through.objects.filter(**{f"{source}__in": ids[start : start + 900]}).order_by("pk")
        )
    return links


class AuditRows:
    """Audit rows gathered while records are written, inserted together at the end (the same
    fields `audit.services.audit_record` fills)."""

    def __init__(self, actor: Any) -> None:
        self.user = user_of(actor)
        self.ip = current_client_ip()
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        obj: models.Model,
        summary: str,
        changes: dict[str, Any],
        action: str = AuditAction.CREATE,
    ) -> None:
        partnership = self._partnership(obj)
        self.rows.append(
            {
                "actor_id": self.user.pk if self.user is not None else None,
                "partnership_id": partnership.pk if partnership is not None else None,
                "action": str(action),
                "object_type": obj._meta.label,
                "object_id": str(obj.pk),
                "summary": summary[:300],
                "changes": changes or {},
                "ip_address": self.ip,
                "outcome": "ok",
            }
        )

    def _partnership(self, obj: models.Model) -> Any:
        # As `save_and_record` and `audit_record` choose it.
        found = _partnership_of(obj) or getattr(obj, "partnership", None)
        return found if found is not None else getattr(self.user, "partnership", None)

    def created(self, obj: models.Model, summary: str) -> None:
        """The row `save_and_record` writes for a new record: every field but the id."""
        changes = diff({}, snapshot(obj))
        changes.pop("id", None)
        self.add(obj, summary, changes)

    def changed(self, obj: models.Model, summary: str, before: dict[str, Any]) -> None:
        """The row `save_and_record` writes for a change, from the snapshot before it."""
        changes = diff(before, snapshot(obj))
        changes.pop("id", None)
        self.add(obj, summary, changes, AuditAction.UPDATE)

    def write(self) -> None:
        insert_plain(AuditEvent, self.rows)
        self.rows = []
