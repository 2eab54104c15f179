"""Shared set-up for the benchmark scripts: Django on the database named by DATABASE_URL
(a SQLite file in /tmp by default, never the development database)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "sqlite:////tmp/srh-bench.sqlite3"


def setup_django() -> str:
    """Configure Django for the benchmark and return the database address in use."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("SRH_ENVIRONMENT", "development")
    os.environ.setdefault("SRH_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguarding.settings")
    import django

    django.setup()
    url = os.environ["DATABASE_URL"]
    return url.split("@")[-1] if "@" in url else url
