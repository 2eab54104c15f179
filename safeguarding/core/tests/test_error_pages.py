"""Errors show a plain GOV.UK page: no stack trace, no exception text, no settings."""

from __future__ import annotations

import pytest
from django.test import override_settings

from safeguarding.core.tests.urls_errors import CANARY

pytestmark = [pytest.mark.django_db, pytest.mark.urls("safeguarding.core.tests.urls_errors")]

LEAKS = ("Traceback", "RuntimeError", CANARY, "SECRET_KEY", "settings.py", "DATABASES", 'File "')


def _plain(response) -> str:
    body = response.content.decode()
    assert not [leak for leak in LEAKS if leak in body], body
    return body


@override_settings(DEBUG=False)
def test_a_view_that_raises_shows_the_plain_500_page(client_for, world):
    client = client_for(world.business_unit)
    client.raise_request_exception = False
    response = client.get("/test-only/boom/")
    assert response.status_code == 500
    body = _plain(response)
    assert "Sorry, there is a problem with the service" in body
    assert response["Content-Security-Policy"] and response["X-Frame-Options"] == "DENY"


@override_settings(DEBUG=False)
def test_not_found_and_forbidden_pages_are_plain(client_for, world, other_world):
    from safeguarding.testing.factories import make_case

    outsider_case = make_case(other_world)
    client = client_for(world.business_unit)
    missing = client.get("/no-such-page/?q=" + CANARY)
    assert missing.status_code == 404
    assert "Page not found" in _plain(missing)
    out_of_scope = client.get(f"/cases/{outsider_case.pk}/")
    assert out_of_scope.status_code == 404
    # Exactly the page of a record that does not exist: nothing says it is there.
    assert "Page not found" in _plain(out_of_scope)
    assert outsider_case.reference not in out_of_scope.content.decode()
    reader = client_for(world.users["scrutiny_reader"])
    forbidden = reader.get("/cases/")
    assert forbidden.status_code == 403
    assert "You do not have access to this page" in _plain(forbidden)
