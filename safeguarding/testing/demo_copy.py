"""The demo partnership for test modules, made by its loader once per test run and copied back
for every later module that asks for it.

The first module that needs the demo runs `load_demo()` and keeps the rows it added, table by
table. A later module, starting from the same database contents as the first (checked: every
row of every table, before anything is written), gets those rows inserted again, in a fraction
of a second instead of the loader's seconds, and the result is checked row for row against what
the loader left. From any other starting point the loader simply runs again. Either way the
module gets exactly the database the loader makes, inside the module's transaction.

Left out of the comparison and the copy: Django's migration record, SQLite's AUTOINCREMENT
counters (inserting a row with its id moves them) and SQLite's full-text index of findings,
which its triggers rebuild as the findings are inserted. On PostgreSQL each table's id sequence
is moved past the copied ids, as the loader's inserts would have moved it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection

from safeguarding.accounts.models import Partnership

SKIPPED = frozenset({"django_migrations", "sqlite_sequence"})


@dataclass
class _Copy:
    partnership_pk: int
    added: dict[str, list[Any]]  # table -> the rows the loader added
    after: str  # fingerprint of the whole database after the loader


_copies: dict[str, _Copy] = {}  # fingerprint of the database before -> what the loader added
_loader_runs = 0


def _tables() -> list[str]:
    names = set(connection.introspection.table_names()) - SKIPPED
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
            virtual = [row[0] for row in cursor.fetchall()]
        # A virtual table and its shadow tables (<name>_data, <name>_idx, ...).
        names = {n for n in names if not any(n == v or n.startswith(f"{v}_") for v in virtual)}
    return sorted(names)


def _rows(table: str) -> list[Any]:
    """Every row of a table: tuples on SQLite, COPY text lines on PostgreSQL."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {quoted} TO STDOUT") as copy:
                data = b"".join(bytes(chunk) for chunk in copy)
            return data.splitlines()
        cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - a table name from introspection
        return cursor.fetchall()


def _insert(table: str, rows: list[Any]) -> None:
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {quoted} FROM STDIN") as copy:
                copy.write(b"".join(line + b"\n" for line in rows))
            return
        marks = ", ".join("%s" for _ in rows[0])
        cursor.executemany(f"INSERT INTO {quoted} VALUES ({marks})", rows)  # noqa: S608


def _dump() -> dict[str, list[Any]]:
    return {table: _rows(table) for table in _tables()}


def _fingerprint(dump: dict[str, list[Any]]) -> str:
    digest = hashlib.sha256()
    for table, rows in sorted(dump.items()):
        digest.update(f"\0{table}\0".encode())
        for row in sorted(repr(r) for r in rows):
            digest.update(row.encode())
            digest.update(b"\n")
    return digest.hexdigest()


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    from django.apps import apps

    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def demo_partnership() -> Partnership:
    """The demo partnership in the test database, from the loader or copied from its first run.
    Call inside a transaction that is rolled back afterwards."""
    global _loader_runs
    from safeguarding.demo.loader import load_demo

    before = _dump()
    key = _fingerprint(before)
    copy = _copies.get(key)
    if copy is None:
        partnership = load_demo()
        _loader_runs += 1
        after = _dump()
        added = {}
        for table, rows in after.items():
            old = set(before.get(table, []))
            if old - set(rows):
                return partnership  # the loader changed or removed a row: no copy
            new = [r for r in rows if r not in old]
            if new:
                added[table] = new
        _copies[key] = _Copy(partnership.pk, added, _fingerprint(after))
        return partnership
    for table, rows in copy.added.items():
        _insert(table, rows)
    _reset_sequences()
    if _fingerprint(_dump()) != copy.after:
        raise AssertionError("the copied demo differs from what the loader made")
    return Partnership.objects.get(pk=copy.partnership_pk)
