"""Tests that read the seed report skip without it on a developer's machine and fail in CI
(issue 22: four of them skipped in CI too, without a word)."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguarding.testing import seed


def test_a_missing_seed_fails_in_ci_and_skips_elsewhere(monkeypatch, tmp_path):
    monkeypatch.setattr(seed, "SEED_FILE", tmp_path / "absent.txt")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="seed report is missing"):
        seed.seed_text()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="seed report not on this machine"):
        seed.seed_text()


def test_the_seed_is_read_when_it_is_there(monkeypatch, tmp_path: Path):
    there = tmp_path / "seed.txt"
    there.write_text("Rapid Reviews")
    monkeypatch.setattr(seed, "SEED_FILE", there)
    assert seed.seed_text() == "Rapid Reviews"
