"""`flush`, refused for the append-only audit trail except in the test environment.

Django's transactional tests (live-server browser tests among them) empty the database with
`flush` after each test: SQLite DELETE FROM and PostgreSQL TRUNCATE, which the audit table's
triggers refuse. With SRH_ENVIRONMENT=test this command lifts the triggers, flushes and puts
them back, in one transaction. Anywhere else it stops: the audit trail is never emptied.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from safeguarding.audit import append_only


class Command(DjangoFlush):
    help = DjangoFlush.help + " Test environment only: the audit trail is append-only."

    def handle(self, **options: Any) -> None:
        if settings.ENVIRONMENT != "test":
            raise CommandError(
                "flush would empty the audit trail, which is append-only; it runs only with "
                "SRH_ENVIRONMENT=test."
            )
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with transaction.atomic(using=connection.alias):
            append_only.remove(connection)
            super().handle(**options)
            append_only.install(connection)
