"""Scratch databases for the drills: real, committed databases beside the test database.

The test database is migrated once per run; a scratch copy of it is taken in milliseconds
(SQLite: the online backup API into a new file; PostgreSQL: CREATE DATABASE ... TEMPLATE on the
same server), so a drill can commit data and run the management commands in a separate process
(`manage`) against it without migrating again. `empty_database` gives a database with nothing
in it, for a restore to go into. Everything made is removed afterwards.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess  # nosec B404
import sys
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from safeguarding.records import checksums


@dataclass
class Scratch:
    """A scratch database: its DATABASE_URL for a subprocess, and its NAME for a connection."""

    url: str
    name: str

    @contextmanager
    def alias(self) -> Iterator[str]:
        """A connection to it from the test process (call inside django_db_blocker.unblock())."""
        with checksums.extra_database(f"scratch_{uuid.uuid4().hex[:8]}", self.name) as alias:
            yield alias


def vendor() -> str:
    return connection.vendor


def _pg_admin() -> Any:
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _pg_url(name: str) -> str:
    s = connection.settings_dict
    user = quote(str(s["USER"]), safe="")
    password = quote(str(s["PASSWORD"] or ""), safe="")
    return f"postgres://{user}:{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


class ScratchServer:
    """Makes scratch databases and removes them all at `close`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.made: list[str] = []

    def copy_of_test_database(self) -> Scratch:
        """A migrated database with no data of any test (a copy of the test database).

        Call before any test's transaction starts (from a module fixture): PostgreSQL copies a
        database only while nobody is connected to it."""
        test_name = str(connection.settings_dict["NAME"])
        is_test = (
            "memorydb" in test_name or test_name.startswith("test")
            if vendor() == "sqlite"
            else test_name.startswith("test_")
        )
        if not is_test:
            raise RuntimeError(f"{test_name} is not a test database: mark the tests django_db")
        name = f"srh_scratch_{uuid.uuid4().hex[:10]}"
        if vendor() == "sqlite":
            path = self.directory / f"{name}.sqlite3"
            connection.ensure_connection()
            with closing(sqlite3.connect(path)) as target:
                connection.connection.backup(target)
            return Scratch(url=f"sqlite:///{path}", name=str(path))
        import psycopg
        from psycopg import sql

        template = connection.settings_dict["NAME"]
        connection.close()  # a template database must have no other connections
        create = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)
        )
        with _pg_admin() as admin:
            try:
                admin.execute(create)
            except psycopg.errors.ObjectInUse:
                # An idle connection left by an earlier test's thread (a live server's, say) on
                # this throwaway test database: end it, between tests, and copy again.
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    [template],
                )
                admin.execute(create)
        self.made.append(name)
        return Scratch(url=_pg_url(name), name=name)

    def empty_database(self) -> Scratch:
        """A database with nothing in it (SQLite: a file not yet made)."""
        name = f"srh_scratch_{uuid.uuid4().hex[:10]}"
        if vendor() == "sqlite":
            path = self.directory / f"{name}.sqlite3"
            return Scratch(url=f"sqlite:///{path}", name=str(path))
        from psycopg import sql

        with _pg_admin() as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.made.append(name)
        return Scratch(url=_pg_url(name), name=name)

    def close(self) -> None:
        if not self.made:
            return
        from psycopg import sql

        with _pg_admin() as admin:
            for name in self.made:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def manage_env(scratch: Scratch) -> dict[str, str]:
    return {**os.environ, "SRH_ENVIRONMENT": "test", "DATABASE_URL": scratch.url}


def manage(scratch: Scratch, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run `python manage.py ARGS` in a separate process against the scratch database."""
    # This interpreter and manage.py, with an argument list: no shell.
    return subprocess.run(  # noqa: S603  # nosec B603
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args],
        env=manage_env(scratch),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _pg_connect(scratch: Scratch) -> Any:
    """A psycopg connection to the scratch database (committed when its block ends)."""
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=scratch.name,
    )


def raw_query(scratch: Scratch, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of a query run through the database driver itself (sqlite3 or psycopg), not
    Django: the drills' checks do not lean on the code they check. `sql` uses %s for
    parameters."""
    if vendor() == "sqlite":
        with closing(sqlite3.connect(scratch.name)) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()
    with _pg_connect(scratch) as db:
        return db.execute(sql, params).fetchall()  # type: ignore[arg-type]


def raw_execute(scratch: Scratch, sql: str, params: tuple[Any, ...] = ()) -> None:
    """A write run through the database driver itself, committed."""
    if vendor() == "sqlite":
        with closing(sqlite3.connect(scratch.name)) as db:
            db.execute(sql.replace("%s", "?"), params)
            db.commit()
        return
    with _pg_connect(scratch) as db:
        db.execute(sql, params)  # type: ignore[arg-type]


def _hashable(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dict | list):  # PostgreSQL's json columns come back decoded
        return json.dumps(value, sort_keys=True)
    return value


def all_rows(scratch: Scratch, table: str) -> list[tuple[Any, ...]]:
    """Every row of `table`, every column, read by the driver and sorted in Python: what the
    backup checks are compared with, independently of the checksum code."""
    assert re.fullmatch(r"[a-z0-9_]+", table)  # a plain table name, safe to put in SQL
    rows = raw_query(scratch, f"SELECT * FROM {table}")  # noqa: S608  # nosec B608
    plain = [tuple(_hashable(v) for v in row) for row in rows]
    return sorted(plain, key=repr)
