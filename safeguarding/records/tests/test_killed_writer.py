"""A writer killed mid-write (SIGKILL, no chance to clean up) loses no committed row."""

from __future__ import annotations

import signal
import subprocess  # nosec B404
import sys
import time

import pytest
from django.conf import settings

from safeguarding.records.tests.scratch import manage_env, raw_query, vendor

WANTED = 200

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def scratch(scratch_server):
    return scratch_server.copy_of_test_database()


def test_a_writer_killed_mid_write_loses_no_committed_row(scratch):
    writer = subprocess.Popen(  # nosec B603
        [sys.executable, "manage.py", "write_drill"],
        cwd=settings.BASE_DIR,
        env=manage_env(scratch),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    printed: list[int] = []
    deadline = time.monotonic() + 300
    try:
        assert writer.stdout is not None
        while len(printed) < WANTED and time.monotonic() < deadline:
            line = writer.stdout.readline()
            if not line:
                break
            printed.append(int(line))
        writer.send_signal(signal.SIGKILL)  # mid-write: it was writing the next case
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    assert len(printed) == WANTED, writer.stderr.read() if writer.stderr else ""

    if vendor() == "sqlite":
        integrity = raw_query(scratch, "PRAGMA integrity_check")[0][0]
        assert raw_query(scratch, "PRAGMA foreign_key_check") == []
    else:
        integrity = "connected" if raw_query(scratch, "SELECT 1") == [(1,)] else "no"
    stored = {pk for (pk,) in raw_query(scratch, "SELECT id FROM reviews_case")}
    lost = [pk for pk in printed if pk not in stored]
    # Each committed case came with its history row and its audit row: none half-written.
    with_history = {pk for (pk,) in raw_query(scratch, "SELECT id FROM reviews_historicalcase")}
    audited = {
        int(pk)
        for (pk,) in raw_query(
            scratch,
            "SELECT object_id FROM audit_auditevent WHERE object_type = %s",
            ("reviews.Case",),
        )
    }
    print(
        f"killed writer ({vendor()}): committed {len(printed)}, found {len(stored)}, "
        f"lost {len(lost)}; integrity {integrity}"
    )
    assert integrity in ("ok", "connected")
    assert lost == []
    assert stored <= with_history and stored <= audited
