"""Shared fixtures: a partnership world, another partnership's outsider, logged-in clients."""

from __future__ import annotations

import pytest

from safeguarding.testing.factories import World, make_world


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def other_world(db) -> World:
    """Another partnership: its users are outsiders to `world`."""
    return make_world()


@pytest.fixture
def client_for(client):
    """Log a test client in as a user, past the two-factor step too."""
    from safeguarding.accounts.testing import login_verified

    def _login(user):
        return login_verified(client, user)

    return _login


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """The demo partnership, in the database once per test module inside a transaction that is
    rolled back after the module's last test. Loading it takes seconds; most demo tests only read
    it. The loader runs once per test run; later modules get a copy of what it made (see
    safeguarding/testing/demo_copy.py)."""
    from django.db import transaction

    from safeguarding.testing.demo_copy import demo_partnership

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield demo_partnership()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(db, _demo_loaded):
    """The demo partnership (each test's own changes are rolled back as usual)."""
    return _demo_loaded
