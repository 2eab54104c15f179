"""`make test` on a machine without Chromium or PostgreSQL passes everything else and says what
it skipped; in CI (CI=true) a missing browser fails instead (issue #2, "Set-up in two commands").

The browser tests are run here in a child pytest with Chromium hidden (SRH_CHROMIUM pointing at
nothing), as `make test` runs them, to read what a developer would read.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MISSING = "/nonexistent/chromium"
# One browser test that needs no database: the skip happens before any set-up.
ONE_BROWSER_TEST = [
    "safeguarding/browser_tests/test_incident_flow.py",
    "-k",
    "the_accessibility_check_reports_what_it_finds",
]


def pytest_as_make_test_runs_it(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "SRH_CHROMIUM")}
    return subprocess.run(  # noqa: S603 - our own test suite, fixed arguments
        [sys.executable, "-m", "pytest", *make_test_pytest_options(), *args],
        cwd=ROOT,
        env={**clean, "SRH_ENVIRONMENT": "test", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def make_test_pytest_options() -> list[str]:
    """The options `make test` gives pytest, read from the Makefile (the same on every run)."""
    found = set(re.findall(r"-m pytest((?: -[-\w]+)*)", (ROOT / "Makefile").read_text()))
    assert len(found) == 1, f"make test runs pytest in different ways: {found}"
    return found.pop().split()


def test_make_test_lists_every_skipped_test_with_its_reason():
    assert "-rs" in make_test_pytest_options()


def test_without_chromium_the_browser_tests_are_skipped_and_the_summary_says_why():
    result = pytest_as_make_test_runs_it(*ONE_BROWSER_TEST, SRH_CHROMIUM=MISSING)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "1 skipped" in output
    assert f"Chromium not installed: browser tests skipped (looked for {MISSING}" in output


def test_in_ci_a_missing_chromium_fails_the_run_instead(tmp_path):
    result = pytest_as_make_test_runs_it(*ONE_BROWSER_TEST, SRH_CHROMIUM=MISSING, CI="true")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "browser tests must run in CI" in output
