"""`manage.py check --deploy` with production settings reports no issues."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_with_production_settings_reports_no_issues(tmp_path):
    # A deployment's environment: none of our variables, and not the browser tests' permission
    # to run the ORM inside Playwright's event loop (DJANGO_ALLOW_ASYNC_UNSAFE, set in their
    # conftest when they are collected with this test).
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SRH_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        SRH_ENVIRONMENT="production",
        SRH_SECRET_KEY=secrets.token_urlsafe(64),
        SRH_ALLOWED_HOSTS="review-hub.example.org",
        SRH_SITE_URL="https://review-hub.example.org",
        SRH_TWO_FACTOR="true",
        SRH_MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    print(output)
    assert result.returncode == 0, output
    # Silenced checks are the ones settings.py names, each with its reason beside it
    # (axes.W006: the lockout is by username, which rotating cookies or user agents cannot dodge).
    assert re.search(r"System check identified no issues \((\d+) silenced\)\.", output), output
    assert set(settings.SILENCED_SYSTEM_CHECKS) <= {"axes.W006"}
