"""The three API findings, probed again with production settings (SRH_ENVIRONMENT=production,
a fresh SQLite database migrated in a subprocess; see production_probe.py), as the outside
attack was made."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_with_production_settings_the_api_findings_are_closed(tmp_path: Path) -> None:
    """The earlier tests ran with test settings only; these are the attack's settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SRH_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="safeguarding.settings",
        SRH_ENVIRONMENT="production",
        SRH_SECRET_KEY=secrets.token_urlsafe(64),
        SRH_ALLOWED_HOSTS="testserver",
        SRH_SITE_URL="https://testserver",
        SRH_MEDIA_ROOT=str(tmp_path / "media"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "safeguarding.api.tests.production_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"production probe: {result}")
    assert result["rate"] == "30/minute" and not result["authtoken_installed"]
    assert result["half_session_no_header"] == 403
    assert set(result["half_session_get"].values()) == {401}
    assert set(result["half_session_post"].values()) == {401}
    assert result["incidents"] == 0
    assert result["token_for_colleague"] == "refused" and result["tokens"] == 0
    flood = result["flood"]
    assert (flood["401"], flood["429"]) == (30, 170)
    assert flood["rows_during"] == 2 and flood["rows"] <= 4 and flood["counted"] == 200
