"""bandit, the Python security linter, finds no high-severity issue in our code."""

from __future__ import annotations

import json
import shutil
import subprocess  # nosec B404
import sys
from collections import Counter
from pathlib import Path

from django.conf import settings


def test_bandit_finds_no_high_severity_issue():
    bandit = shutil.which("bandit") or str(Path(sys.executable).with_name("bandit"))
    done = subprocess.run(  # noqa: S603  # nosec B603
        [bandit, "-q", "-r", "safeguarding", "-c", "pyproject.toml", "-f", "json"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # bandit exits 1 when it finds anything at all (lows included); the JSON says what.
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["errors"] == [], report["errors"]
    by_severity = Counter(r["issue_severity"] for r in report["results"])
    high = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report["results"]
        if r["issue_severity"] == "HIGH"
    ]
    print(
        f"bandit: high {by_severity['HIGH']}, medium {by_severity['MEDIUM']}, "
        f"low {by_severity['LOW']}; lines scanned {report['metrics']['_totals']['loc']}"
    )
    assert high == []
