"""Settings come from the environment, and a bad value stops start-up with a message naming the
variable (issue #2: "failing loudly on bad values").

Most cases run safeguarding/settings.py afresh in this process with one variable changed; one
runs `manage.py check` in a child process to show that start-up really stops.
"""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = ROOT / "safeguarding" / "settings.py"


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    """Run settings.py with a clean development environment plus the given variables."""

    def _load(**env: str) -> dict[str, Any]:
        for name in list(os.environ):
            if name.startswith("SRH_") or name == "DATABASE_URL":
                monkeypatch.delenv(name)
        monkeypatch.setenv("SRH_ENVIRONMENT", "development")
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite3'}")
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS))

    return _load


def test_good_values_are_taken(load_settings, tmp_path):
    s = load_settings(
        SRH_SESSION_IDLE_SECONDS="900",
        SRH_TRUSTED_PROXY_COUNT="1",
        SRH_LOG_LEVEL="warning",
        SRH_FROM_EMAIL="Review Hub <hub@example.org>",
        SRH_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SRH_MEDIA_ROOT=str(tmp_path / "media"),
    )
    assert s["SESSION_COOKIE_AGE"] == 900
    assert s["TRUSTED_PROXY_COUNT"] == 1
    assert s["LOGGING"]["root"]["level"] == "WARNING"
    assert s["DEFAULT_FROM_EMAIL"] == "Review Hub <hub@example.org>"
    assert s["MEDIA_ROOT"] == tmp_path / "media"
    assert s["DATABASES"]["default"]["NAME"] == str(tmp_path / "db.sqlite3")


def test_database_url_picks_postgresql(load_settings):
    s = load_settings(DATABASE_URL="postgres://hub:secret@db.example.org:5433/reviews")
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("db.example.org", 5433, "reviews")


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("SRH_ENVIRONMENT", "prod", "SRH_ENVIRONMENT='prod' is not one of"),
        ("DATABASE_URL", "", "DATABASE_URL is empty"),
        ("DATABASE_URL", "garbage", "DATABASE_URL is not sqlite:////"),
        ("DATABASE_URL", "mysql://u:p@host/db", "DATABASE_URL must be a sqlite:// or postgres://"),
        ("DATABASE_URL", "postgres://u:p@host:notaport/db", "DATABASE_URL is not sqlite:////"),
        ("DATABASE_URL", "postgres://u:p@host:5432/", "DATABASE_URL names no database"),
        ("DATABASE_URL", "sqlite://", "DATABASE_URL names no database"),
        ("SRH_DEBUG", "maybe", "SRH_DEBUG='maybe' is not a yes/no value"),
        ("SRH_TWO_FACTOR", "perhaps", "SRH_TWO_FACTOR='perhaps' is not a yes/no value"),
        ("SRH_DEMO", "2", "SRH_DEMO='2' is not a yes/no value"),
        ("SRH_SESSION_IDLE_SECONDS", "half an hour", "SRH_SESSION_IDLE_SECONDS='half an hour'"),
        ("SRH_SESSION_IDLE_SECONDS", "0", "SRH_SESSION_IDLE_SECONDS='0' must be 60 or more"),
        ("SRH_SESSION_IDLE_SECONDS", "-5", "SRH_SESSION_IDLE_SECONDS='-5' must be 60 or more"),
        ("SRH_SESSION_ABSOLUTE_HOURS", "0", "SRH_SESSION_ABSOLUTE_HOURS='0' must be 1 or more"),
        ("SRH_TRUSTED_PROXY_COUNT", "-1", "SRH_TRUSTED_PROXY_COUNT='-1' must be 0 or more"),
        ("SRH_LOGIN_FAILURE_LIMIT", "0", "SRH_LOGIN_FAILURE_LIMIT and SRH_LOCKOUT_MINUTES"),
        ("SRH_LOCKOUT_MINUTES", "-3", "SRH_LOGIN_FAILURE_LIMIT and SRH_LOCKOUT_MINUTES"),
        ("SRH_LOG_LEVEL", "LOUD", "SRH_LOG_LEVEL='LOUD' is not one of DEBUG"),
        (
            "SRH_EMAIL_BACKEND",
            "nope.Backend",
            "SRH_EMAIL_BACKEND='nope.Backend' is not a backend to import",
        ),
        ("SRH_EMAIL_BACKEND", "smtp", "SRH_EMAIL_BACKEND='smtp' is not a backend to import"),
        ("SRH_FROM_EMAIL", "review hub", "SRH_FROM_EMAIL='review hub' is not an email address"),
        ("SRH_MEDIA_ROOT", "", "SRH_MEDIA_ROOT must be an absolute path"),
        ("SRH_MEDIA_ROOT", "media", "SRH_MEDIA_ROOT must be an absolute path"),
        ("SRH_TASK_QUEUE", "redis", "SRH_TASK_QUEUE='redis' is not one of database, immediate"),
        ("SRH_LOGIN_ADDRESS_FAILURE_LIMIT", "0", "SRH_LOGIN_ADDRESS_FAILURE_LIMIT='0' must be 1"),
        ("SRH_SITE_URL", "ftp://hub.example", "SRH_SITE_URL='ftp://hub.example' is not a site"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(load_settings, name, value, message):
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings(**{name: value})
    assert message in str(refused.value)


PRODUCTION = {
    "SRH_ENVIRONMENT": "production",
    "SRH_SECRET_KEY": "k" * 64,
    "SRH_ALLOWED_HOSTS": "review-hub.example.org",
    "SRH_SITE_URL": "https://review-hub.example.org",
}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"SRH_SECRET_KEY": "short"}, "SRH_SECRET_KEY must be at least 50 characters"),
        ({"SRH_ALLOWED_HOSTS": ","}, "SRH_ALLOWED_HOSTS must name at least one host"),
        ({"SRH_DEBUG": "true"}, "SRH_DEBUG cannot be turned on in production"),
        ({"SRH_TWO_FACTOR": "false"}, "SRH_TWO_FACTOR cannot be turned off in production"),
        ({"SRH_SSL_REDIRECT": "sometimes"}, "SRH_SSL_REDIRECT='sometimes' is not a yes/no"),
        ({"SRH_SITE_URL": "http://review-hub.example.org"}, "SRH_SITE_URL must be an https://"),
        ({"SRH_SITE_URL": "review-hub.example.org"}, "SRH_SITE_URL='review-hub.example.org' is"),
    ],
)
def test_production_refuses_unsafe_or_missing_values(load_settings, tmp_path, change, message):
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings(**{**PRODUCTION, "SRH_MEDIA_ROOT": str(tmp_path / "media"), **change})
    assert message in str(refused.value)


def test_production_without_a_site_address_does_not_start(load_settings, tmp_path):
    """Set-up links (manage.py enrolment_link) need the address people reach the site at."""
    without = {k: v for k, v in PRODUCTION.items() if k != "SRH_SITE_URL"}
    with pytest.raises(ImproperlyConfigured, match="SRH_SITE_URL must be set"):
        load_settings(**without, SRH_MEDIA_ROOT=str(tmp_path / "media"))


def test_production_without_a_secret_key_does_not_start(load_settings, monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="SRH_SECRET_KEY must be set"):
        load_settings(SRH_ENVIRONMENT="production", SRH_ALLOWED_HOSTS="review-hub.example.org")


def test_manage_py_stops_with_the_message_and_a_failing_exit_code(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SRH_", "DATABASE_URL"))}
    env.update(SRH_ENVIRONMENT="development", DATABASE_URL="postgres://u:p@host:5432/")
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL names no database" in result.stderr
