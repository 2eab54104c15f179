"""Reinstall and rebuild the full-text index of findings (see safeguarding/learning/search.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from safeguarding.learning.search import search_index_install


class Command(BaseCommand):
    help = (
        "Reinstall the findings' full-text index (SQLite: FTS5 table and triggers, rebuilt from "
        "the findings; PostgreSQL: the GIN index). Safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        search_index_install(rebuild=True)
        self.stdout.write(f"Search index ready on {connection.vendor}.")
