"""What a write may not change, captured before it and compared after: who owns every record
(its partnership, agency and user links, and which partnership every record it points at belongs
to), everything of the other partnership, and every user's role and privileges.

Reading every table after every write is most of the cost, so the snapshot has the database note
which tables a write touched (temporary triggers filling a table that is rolled back with the
write) and `compare` reads again only the tables whose result could differ: a model's own table
and those its partnership lookup goes through. The others read as they did before."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection, models

from safeguarding.accounts.models import Partnership, User

USER_FIELDS = ("role", "is_staff", "is_superuser", "is_active", "partnership_id", "agency_id")


def _models() -> list[Any]:
    """Every model of the project, the many-to-many link tables included; not the history
    tables (written by the change itself) nor the append-only audit trail."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_config.name.startswith("safeguarding.")
        and not str(m._meta.model_name).startswith("historical")
        and m._meta.app_label != "audit"
    ]


def _fks(model: Any) -> list[Any]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model._meta.app_label != "contenttypes"
    ]


@cache
def partnership_path(model: Any, depth: int = 3) -> str | None:
    """The lookup from a record to its partnership's id, through its parents if need be."""
    if model is Partnership:
        return "pk"
    if "partnership" in {f.name for f in model._meta.concrete_fields}:
        return "partnership_id"
    if depth == 0:
        return None
    for f in _fks(model):
        if f.related_model is User or f.related_model is model:
            continue
        parent = partnership_path(f.related_model, depth - 1)
        if parent is not None:
            return f"{f.name}_id" if parent == "pk" else f"{f.name}__{parent}"
    return None


def _path_tables(model: Any) -> frozenset[str]:
    """The tables a model's rows and their partnership lookup are read from."""
    tables = {model._meta.db_table}
    path = partnership_path(model)
    if path is not None and path != "pk":
        current = model
        for name in path.split("__")[:-1]:
            current = current._meta.get_field(name).related_model
            tables.add(current._meta.db_table)
    return frozenset(tables)


CHANGED = "snapshot_changed_tables"
_MARK_PG = """
CREATE OR REPLACE FUNCTION pg_temp.snapshot_mark() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pg_temp.snapshot_changed_tables VALUES (TG_TABLE_NAME) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$"""


def _watch(tables: list[str]) -> None:
    """Temporary triggers that note, in a temporary table, every table written to. They and
    their notes are created and rolled back with the surrounding transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {CHANGED} (name TEXT PRIMARY KEY)")
        if connection.vendor == "postgresql":
            cursor.execute(_MARK_PG)
        for i, table in enumerate(tables):
            quoted = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE TRIGGER snapshot_mark_{i} AFTER INSERT OR UPDATE OR DELETE "
                    f"OR TRUNCATE ON {quoted} FOR EACH STATEMENT "
                    "EXECUTE FUNCTION pg_temp.snapshot_mark()"
                )
                continue
            for op in ("INSERT", "UPDATE", "DELETE"):
                note = f"INSERT OR IGNORE INTO {CHANGED} VALUES ('{table}')"  # noqa: S608
                cursor.execute(
                    f"CREATE TEMP TRIGGER IF NOT EXISTS snapshot_mark_{i}_{op.lower()} "
                    f"AFTER {op} ON main.{quoted} BEGIN {note}; END"
                )


def _written() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name FROM {CHANGED}")  # noqa: S608 - a constant name
        return {row[0] for row in cursor.fetchall()}


class Snapshot:
    """The records' ownership and the other partnership's records, as they are now. Create it
    inside a transaction that is rolled back (a test's), and compare inside inner ones that are
    rolled back after each write, so the notes of written tables start empty every time."""

    def __init__(self, worlds: Any) -> None:
        self.worlds = worlds
        self.models = sorted(set(_models()), key=lambda m: m._meta.label)
        self.tables = {m: _path_tables(m) for m in self.models}
        _watch(sorted({m._meta.db_table for m in self.models}))
        self.links = {m: self._links(m) for m in self.models}
        self.owners = {m: self._owners(m) for m in self.models}
        self.other = {m: self._other_rows(m) for m in self.models}
        self.users = self._users()

    def _links(self, model: Any) -> dict[Any, tuple[Any, ...]]:
        names = [f.attname for f in _fks(model)]
        return {row[0]: row[1:] for row in model.objects.values_list("pk", *names)}

    def _owners(self, model: Any) -> dict[Any, int | None]:
        path = partnership_path(model)
        if path is None:
            return {}
        return dict(model.objects.values_list("pk", path))

    def _other_rows(self, model: Any) -> dict[Any, tuple[Any, ...]]:
        path = partnership_path(model)
        if path is None:
            return {}
        names = [f.attname for f in model._meta.concrete_fields]
        rows = model.objects.filter(**{path: self.worlds.other.pk}).values_list(*names)
        return {row[0]: row for row in rows}

    def _users(self) -> dict[int, tuple[Any, ...]]:
        return {row[0]: row[1:] for row in User.objects.values_list("pk", *USER_FIELDS)}

    def written(self) -> set[str]:
        """The tables written since the surrounding (rolled back) transaction began."""
        return _written()

    def users_unchanged(self) -> bool:
        return self._users() == self.users

    def _partnership_of(self, model: Any, pk: Any) -> int | None:
        if pk in self.owners.get(model, {}):
            return self.owners[model][pk]
        path = partnership_path(model)
        if path is None:
            return None
        return model.objects.filter(pk=pk).values_list(path, flat=True).first()

    def compare(self, *, actor: User, extras: dict[str, Any] | None = None) -> list[str]:
        """What changed that the extras could have changed: a link to another partnership's
        record, and, for `extras` (the fields a form did not offer, with the values sent), a
        link within the partnership set to the value sent, such as an action moved to another
        agency of the same partnership."""
        home = actor.partnership_id
        extras = extras or {}
        problems: list[str] = []
        written = _written()
        for model in self.models:
            if not self.tables[model] & written:
                continue  # nothing it is read from was written: it reads as before
            label = model._meta.label
            fks = _fks(model)
            before = self.links[model]
            after = self._links(model)
            for pk, values in after.items():
                old = before.get(pk)
                for field, value, was in zip(fks, values, old or [None] * len(fks), strict=True):
                    if value is None or (old is not None and value == was):
                        continue
                    target = field.related_model
                    sent = extras.get(field.name, extras.get(field.attname))
                    if sent is not None and str(sent) == str(value):
                        problems.append(
                            f"{label} {pk}: {field.name} {was} -> {value}, a field the form "
                            "does not offer"
                        )
                        continue
                    owner = self._partnership_of(target, value)
                    if target is User:
                        owner = (
                            User.objects.filter(pk=value)
                            .values_list("partnership_id", flat=True)
                            .first()
                        )
                    if owner is not None and owner != home:
                        problems.append(f"{label} {pk}: {field.name} -> partnership {owner}")
            for pk in set(before) - set(after):
                if self.owners.get(model, {}).get(pk) == self.worlds.other.pk:
                    problems.append(f"{label} {pk} of the other partnership was deleted")
            other_now = self._other_rows(model)
            if other_now != self.other[model]:
                problems.append(f"{label}: the other partnership's records changed")
        if not self.users_unchanged():
            problems.append("a user's role, privileges, partnership or agency changed")
        return problems
