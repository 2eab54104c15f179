"""Fixtures of the records tests."""

from __future__ import annotations

import pytest

from safeguarding.records.tests.scratch import ScratchServer


@pytest.fixture(scope="module")
def scratch_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """Makes committed scratch databases next to the test database (removed afterwards)."""
    server = ScratchServer(tmp_path_factory.mktemp("scratch"))
    with django_db_blocker.unblock():
        try:
            yield server
        finally:
            server.close()
