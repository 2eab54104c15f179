"""The seed report (../shared/seed/ beside the repository): tests that compare the demo with it
read it through `seed_text()`. On a developer's machine without it they skip, saying so; in CI
(CI=true) a missing seed fails, so a CI run cannot go green without checking it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

SEED_FILE = (
    Path(settings.BASE_DIR).parent / "shared" / "seed" / "lscp-cross-cutting-themes-2023.txt"
)


def seed_text() -> str:
    if not SEED_FILE.exists():
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(f"CI=true and the seed report is missing ({SEED_FILE})")
        pytest.skip(f"seed report not on this machine ({SEED_FILE})")
    return SEED_FILE.read_text()
