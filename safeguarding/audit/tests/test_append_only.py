"""The database itself refuses to change or remove an audit row (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(world) -> AuditEvent:
    return audit_record(actor=world.business_unit, action=AuditAction.EXPORT, summary="Exported")


def _refused(statement) -> str:
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        statement()
    return str(refused.value)


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_update_and_delete_fail_in_the_database(row):
    assert AuditEvent._meta.db_table == "audit_auditevent"
    attempts = {
        "raw UPDATE": lambda: _raw(
            "UPDATE audit_auditevent SET summary = %s WHERE id = %s", ["x", row.pk]
        ),
        "raw DELETE": lambda: _raw("DELETE FROM audit_auditevent WHERE id = %s", [row.pk]),
        "raw DELETE of every row": lambda: _raw(
            "DELETE FROM audit_auditevent WHERE %s = %s", [1, 1]
        ),
        "ORM .update()": lambda: AuditEvent.objects.filter(pk=row.pk).update(summary="x"),
        "ORM .delete()": lambda: AuditEvent.objects.filter(pk=row.pk).delete(),
        "model .save()": lambda: AuditEvent.objects.get(pk=row.pk).save(),
        "model .delete()": lambda: AuditEvent.objects.get(pk=row.pk).delete(),
    }
    messages = {name: _refused(attempt) for name, attempt in attempts.items()}
    assert all("append-only" in m for m in messages.values()), messages
    stored = AuditEvent.objects.get(pk=row.pk)
    assert (stored.summary, stored.action, stored.at) == (row.summary, row.action, row.at)
    print(f"{connection.vendor}: {len(messages)} of {len(attempts)} changes refused")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_fails_on_postgresql(row):
    # The test's own transaction holds deferred foreign-key checks for the new row; run them
    # first, or PostgreSQL refuses the TRUNCATE for that reason before the trigger is reached.
    _raw("SET CONSTRAINTS ALL IMMEDIATE", [])
    message = _refused(lambda: _raw("TRUNCATE audit_auditevent CASCADE", []))
    assert "append-only" in message
    assert AuditEvent.objects.filter(pk=row.pk).exists()


def test_adding_rows_still_works(row, world):
    audit_record(actor=world.business_unit, action=AuditAction.EXPORT, summary="Again")
    assert AuditEvent.objects.count() >= 2


@override_settings(ENVIRONMENT="production")
def test_flush_is_refused_outside_the_test_environment(row):
    with pytest.raises(CommandError, match="append-only"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_test_environment_flush_empties_the_table_and_keeps_the_triggers(world):
    audit_record(actor=world.business_unit, action=AuditAction.EXPORT, summary="Exported")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    again = audit_record(actor=None, action=AuditAction.EXPORT, summary="After the flush")
    assert "append-only" in _refused(lambda: AuditEvent.objects.filter(pk=again.pk).delete())


def _rewrite_sql(verb: str) -> str:
    """`verb` over every existing row, with the same id and another summary."""
    with connection.cursor() as cursor:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(cursor, "audit_auditevent")
        ]
    chosen = ", ".join("'rewritten'" if c == "summary" else c for c in columns)
    return f"{verb} audit_auditevent ({', '.join(columns)}) SELECT {chosen} FROM audit_auditevent"  # noqa: S608


def test_a_row_cannot_be_rewritten_by_replace_or_upsert(row, world):
    """SQLite's REPLACE deletes the colliding row without firing DELETE triggers, so INSERT OR
    REPLACE and REPLACE INTO rewrote audit rows in place (56 in the outside attack). The test
    above sent only UPDATE and DELETE statements, which the triggers did see; this one sends
    every statement that can overwrite a row by colliding with its id, over every row."""
    audit_record(actor=world.business_unit, action=AuditAction.EXPORT, summary="Second")
    before = list(AuditEvent.objects.order_by("pk").values_list("pk", "summary"))
    verbs = ["INSERT OR REPLACE INTO", "REPLACE INTO"] if connection.vendor == "sqlite" else []
    attempts = {verb: _rewrite_sql(verb) for verb in verbs}
    upsert = (
        _rewrite_sql("INSERT INTO") + " WHERE true ON CONFLICT (id) DO UPDATE SET summary = 'x'"
    )
    attempts["INSERT ... ON CONFLICT DO UPDATE"] = upsert
    messages = {name: _refused(lambda sql=sql: _raw(sql, [])) for name, sql in attempts.items()}
    assert all("append-only" in m for m in messages.values()), messages
    assert list(AuditEvent.objects.order_by("pk").values_list("pk", "summary")) == before
    print(f"{connection.vendor}: {len(messages)} rewrites of {len(before)} rows refused")
