"""The business unit's token page, the command, the schema and the documentation page."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from safeguarding.api.tests.conftest import ApiClient
from safeguarding.audit.models import AuditEvent
from safeguarding.testing.factories import World


def test_business_unit_makes_a_token_shown_once_and_revokes_it(
    world: World, client_for: Any
) -> None:
    client = client_for(world.business_unit)
    system = world.users["agency_lead"]
    response = client.post("/api/tokens/", {"account": system.pk})
    assert response.status_code == 200
    key = Token.objects.get(user=system).key
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    page = client.get("/api/tokens/").content.decode()
    assert key not in page and key[:6] in page, "afterwards only its first characters show"
    api = ApiClient()
    api.headers = {"Authorization": f"Token {key}"}
    assert api.get("/api/v1/reviews/").status_code == 200
    assert AuditEvent.objects.filter(summary__contains="API token of").count() == 1
    response = client.post(f"/api/tokens/{system.pk}/revoke/")
    assert response.status_code == 302
    assert not Token.objects.filter(user=system).exists()
    assert api.get("/api/v1/reviews/").status_code == 401


@pytest.mark.parametrize("role", ["rag_member", "agency_lead", "scrutineer", "scrutiny_reader"])
def test_only_the_business_unit_has_the_token_page(
    world: World, client_for: Any, role: str
) -> None:
    client = client_for(world.users[role])
    assert client.get("/api/tokens/").status_code == 403
    user = world.users[role]
    assert client.post(f"/api/tokens/{user.pk}/revoke/").status_code == 403


def test_an_outsider_cannot_make_a_token_for_our_accounts(
    world: World, other_world: World, client_for: Any
) -> None:
    client = client_for(other_world.business_unit)
    response = client.post("/api/tokens/", {"account": world.business_unit.pk})
    assert response.status_code == 200 and not Token.objects.exists()
    assert client.post(f"/api/tokens/{world.business_unit.pk}/revoke/").status_code == 404


def test_the_command_prints_a_new_key_and_revokes_it(world: World) -> None:
    out = StringIO()
    call_command("create_api_token", world.business_unit.username, stdout=out)
    assert out.getvalue().strip() == Token.objects.get(user=world.business_unit).key
    call_command("create_api_token", world.business_unit.username, "--revoke", stdout=StringIO())
    assert not Token.objects.exists()
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", stdout=StringIO())


def test_the_schema_is_served_as_openapi_3(db: Any) -> None:
    response = Client().get("/api/schema/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/reviews/" in schema["paths"]
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    assert "identity" not in response.content.decode().lower()


def test_the_docs_page_loads_its_scripts_from_our_own_static_files(db: Any) -> None:
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<style" not in page and "<script>" not in page, "nothing inline: the CSP refuses it"
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    script = Client().get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
