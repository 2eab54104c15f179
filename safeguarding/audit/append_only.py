"""The audit table is append-only, enforced by the database: triggers refuse every UPDATE and
DELETE (and, on PostgreSQL, TRUNCATE), whoever sends them: the ORM, raw SQL or a console.

SQLite's `INSERT OR REPLACE` and `REPLACE INTO` delete the row they collide with without firing
DELETE triggers (unless the connection has turned on recursive_triggers), so they could rewrite
an audit row in place. A BEFORE INSERT trigger refuses any insert whose id is already taken, so
the conflict is never reached. (`INSERT ... ON CONFLICT DO UPDATE` fires the UPDATE trigger, and
PostgreSQL has no REPLACE.)

Installed by migration 0003_append_only. Lifted only by the test environment's `flush`
(safeguarding/audit/management/commands/flush.py), which Django's transactional tests run to
empty the database between tests.
"""

from __future__ import annotations

from typing import Any

TABLE = "audit_auditevent"
MESSAGE = "audit_auditevent is append-only"

# Built from the constants above only (no input), hence the noqa.
SQLITE_NO_REPLACE = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_replace BEFORE INSERT ON {TABLE} "  # noqa: S608
    f"WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id) "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: REPLACE refused'); END",
]
SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END",
    f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END",
    *SQLITE_NO_REPLACE,
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_replace",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
]

POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$""",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse()",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse()",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_refuse()",
]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    raise NotImplementedError(f"No append-only triggers for the {vendor} database.")


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=True):
            cursor.execute(sql)


def remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=False):
            cursor.execute(sql)
