"""Where a running import keeps its progress while it writes, and where its upload waits.

The checking phase saves its figures on the `ImportJob` row: each save is a short transaction
of its own. The writing phase cannot: every record is written in ONE transaction (all or
nothing), and while it is open, on SQLite, no other connection may write at all (and on
PostgreSQL nobody else would see a row changed inside it). So while the records are written the
figures go to a small JSON file, `<MEDIA_ROOT>/imports/<job id>.progress.json`, replaced
atomically (written beside it, then `os.replace`) so a reader never sees half of one. A file
rather than a cache: the worker and the web server share MEDIA_ROOT already (evidence files live
there), it needs no new setting, and Django's default cache is per process. The uploaded file
waits in the same directory under a random name until the import finishes. Nothing under
MEDIA_ROOT is served.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings


def directory() -> Path:
    # Read each time, so a test's MEDIA_ROOT takes effect.
    root = Path(settings.MEDIA_ROOT or Path(settings.BASE_DIR) / "var" / "media")
    path = root / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _path(job_id: int) -> Path:
    return directory() / f"{int(job_id)}.progress.json"


def progress_write(job_id: int, figures: dict[str, Any]) -> None:
    """Replace the job's progress file with `figures`."""
    target = _path(job_id)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".progress-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(figures, out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def progress_read(job_id: int) -> dict[str, Any] | None:
    """The figures last written, or None when there is no progress file (or it cannot be read
    just now)."""
    try:
        found = json.loads(_path(job_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def progress_remove(job_id: int) -> None:
    _path(job_id).unlink(missing_ok=True)


def upload_save(name: str, data: bytes) -> None:
    path = directory() / name
    with open(path, "xb") as out:
        os.chmod(path, 0o600)
        out.write(data)


def upload_read(name: str) -> bytes:
    return (directory() / name).read_bytes()


def upload_remove(name: str) -> None:
    if name:
        (directory() / name).unlink(missing_ok=True)
