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
    """Log a test client in as a user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
