"""Per-table row counts and checksums of a database, the same on SQLite and PostgreSQL.

The backup command writes them into the manifest beside the backup file; the restore command
and the drill test recompute them on the restored database and compare. Rows are read through
Django's fields (so each backend's converters hand back the same Python values), ordered by
primary key, and every value is put into one plain text form before hashing: a date and time
as UTC ISO 8601, bytes as their own sha256, JSON with sorted keys. A table's checksum is the
sha256 of its rows, one JSON line each.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connections, models
from django.db.migrations.recorder import MigrationRecorder

CHUNK = 2000


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


def plain(value: Any) -> Any:
    """One value in a form that is the same whichever database it came from."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def checked_models() -> list[type[models.Model]]:
    """One model per database table Django manages (many-to-many tables and the migration
    record included), in table-name order."""
    found: dict[str, type[models.Model]] = {}
    candidates: list[type[models.Model]] = [
        *apps.get_models(include_auto_created=True),
        MigrationRecorder.Migration,  # type: ignore[list-item]
    ]
    for model in candidates:
        opts = model._meta
        if opts.proxy or not opts.managed:
            continue
        found.setdefault(opts.db_table, model)
    return [found[name] for name in sorted(found)]


def table_sum(model: type[models.Model], *, using: str) -> TableSum:
    names = [f.attname for f in model._meta.concrete_fields]
    digest = hashlib.sha256()
    rows = 0
    query = model._base_manager.using(using).order_by("pk").values_list(*names)
    for row in query.iterator(chunk_size=CHUNK):
        line = json.dumps([plain(v) for v in row], separators=(",", ":"))
        digest.update(line.encode() + b"\n")
        rows += 1
    return TableSum(rows=rows, sha256=digest.hexdigest())


def database_sums(*, using: str = "default") -> dict[str, TableSum]:
    """Row count and checksum of every table Django manages that exists in the database."""
    present = set(connections[using].introspection.table_names())
    return {
        model._meta.db_table: table_sum(model, using=using)
        for model in checked_models()
        if model._meta.db_table in present
    }


def unchecked_tables(*, using: str = "default") -> list[str]:
    """Tables in the database that no Django model describes (listed, not checked)."""
    known = {model._meta.db_table for model in checked_models()}
    names = connections[using].introspection.table_names()
    return sorted(n for n in names if n not in known and not n.startswith("sqlite_"))


def applied_migrations(*, using: str = "default") -> list[str]:
    """The database's migration state: every applied migration as "app.name", sorted."""
    if MigrationRecorder.Migration._meta.db_table not in set(
        connections[using].introspection.table_names()
    ):
        return []
    rows = MigrationRecorder.Migration.objects.using(using).values_list("app", "name")
    return sorted(f"{app}.{name}" for app, name in rows)


def sums_as_json(sums: dict[str, TableSum]) -> dict[str, dict[str, Any]]:
    return {name: {"rows": s.rows, "sha256": s.sha256} for name, s in sums.items()}


def sums_from_json(data: dict[str, dict[str, Any]]) -> dict[str, TableSum]:
    return {
        name: TableSum(rows=int(v["rows"]), sha256=str(v["sha256"])) for name, v in data.items()
    }


@dataclass(frozen=True)
class Mismatch:
    table: str
    expected: TableSum | None
    found: TableSum | None

    def describe(self) -> str:
        if self.expected is None:
            return f"{self.table}: not in the backup ({self.found.rows if self.found else 0} rows)"
        if self.found is None:
            return f"{self.table}: missing ({self.expected.rows} rows expected)"
        if self.expected.rows != self.found.rows:
            return f"{self.table}: {self.found.rows} rows, {self.expected.rows} expected"
        return f"{self.table}: same row count ({self.found.rows}), different contents"


def compare(expected: dict[str, TableSum], found: dict[str, TableSum]) -> list[Mismatch]:
    """Every table whose count or checksum differs, or that is only on one side."""
    return [
        Mismatch(name, expected.get(name), found.get(name))
        for name in sorted(set(expected) | set(found))
        if expected.get(name) != found.get(name)
    ]


@contextmanager
def extra_database(alias: str, name: str, *, like: str = "default") -> Iterator[str]:
    """A second connection, configured like `like` but to database `name` (a SQLite file or a
    PostgreSQL database), for reading a backup file or a restored copy. Closed afterwards."""
    settings_dict = dict(connections.settings[like])
    settings_dict["NAME"] = name
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "NAME": name}
    connections.settings[alias] = settings_dict
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        connections.settings.pop(alias, None)
