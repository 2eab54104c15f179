"""The business unit's token page, the commands, the schema and the documentation page."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from safeguarding.accounts.models import Role
from safeguarding.accounts.services import user_create
from safeguarding.api import services
from safeguarding.api.models import ApiToken
from safeguarding.api.tests.conftest import ApiClient
from safeguarding.audit.models import AuditEvent
from safeguarding.testing.factories import World


def _feed(world: World, username: str = "case-feed", role: str = Role.BUSINESS_UNIT) -> Any:
    return services.system_account_create(
        actor=world.business_unit,
        partnership=world.partnership,
        username=username,
        role=role,
        description="Case management feed",
    )


def _api(key: str) -> ApiClient:
    api = ApiClient()
    api.headers = {"Authorization": f"Token {key}"}
    return api


def test_business_unit_makes_a_token_for_a_system_account_shown_once_and_revokes_it(
    world: World, client_for: Any
) -> None:
    client = client_for(world.business_unit)
    feed = _feed(world)
    response = client.post("/api/tokens/", {"name": "Feed", "account": feed.pk, "days": 30})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=feed)
    page = response.content.decode()
    key = page.split('<code id="new-token">')[1].split("<")[0]
    assert hashlib.sha256(key.encode()).hexdigest() == token.key_digest
    assert "no-store" in response["Cache-Control"]
    assert token.expires_at - token.created_at == dt.timedelta(days=30)
    assert token.created_by == world.business_unit
    listing = client.get("/api/tokens/").content.decode()
    assert key not in listing and token.prefix in listing, "afterwards only its prefix shows"
    for heading in ("Name", "Account", "Created by", "Created", "Expires", "Last used"):
        assert f">{heading}</th>" in listing
    api = _api(key)
    assert api.get("/api/v1/reviews/").status_code == 200
    assert AuditEvent.objects.filter(summary__contains="API token 'Feed'").count() == 1
    response = client.post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    refused = api.get("/api/v1/reviews/")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


def test_a_business_unit_cannot_make_a_token_for_another_person(
    world: World, client_for: Any
) -> None:
    """The finding: the page offered every account of the partnership, so the business unit
    could make a token for a colleague (another business unit user) and act as them, the audit
    row naming the colleague. The earlier test made one for an agency lead and called that a
    system account, so it could not see that this was wrong."""
    bu = world.business_unit
    colleague = user_create(
        actor=bu,
        partnership=world.partnership,
        username="second-bu",
        password="a long enough password 1",
        role=Role.BUSINESS_UNIT,
    )
    client = client_for(bu)
    for person in (colleague, world.users["agency_lead"]):
        response = client.post("/api/tokens/", {"name": "Mine", "account": person.pk, "days": 90})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        with pytest.raises(services.TokenError):
            services.api_token_create(actor=bu, account=person, name="Mine")
        with pytest.raises(services.TokenError):
            services.api_token_create(actor=None, account=person, name="Mine")
    assert not ApiToken.objects.exists()
    # A system account is a user with no usable password: one given a password is not.
    feed = _feed(world)
    feed.set_password("now someone can sign in")
    feed.save()
    with pytest.raises(services.TokenError):
        services.api_token_create(actor=bu, account=feed, name="Feed")
    assert not ApiToken.objects.exists()


def test_a_person_makes_their_own_tokens_several_at_once(world: World, client_for: Any) -> None:
    bu = world.business_unit
    client = client_for(bu)
    for name in ("Laptop", "Report tool"):
        response = client.post("/api/tokens/", {"name": name, "account": bu.pk, "days": 90})
        assert response.status_code == 200, response.content.decode()
    tokens = ApiToken.objects.filter(user=bu)
    assert tokens.count() == 2 and all(t.revoked_at is None for t in tokens)
    assert {t.expires_at - t.created_at for t in tokens} == {dt.timedelta(days=90)}
    same = client.post("/api/tokens/", {"name": "laptop", "account": bu.pk, "days": 90})
    assert "already has a token called laptop" in same.content.decode()


def test_a_token_must_expire_within_a_year(world: World) -> None:
    bu = world.business_unit
    for days in (0, 366):
        with pytest.raises(services.TokenError):
            services.api_token_create(actor=bu, account=bu, name="Long", days=days)
    issued = services.api_token_create(actor=bu, account=bu, name="Default")
    assert issued.token.expires_at - issued.token.created_at == dt.timedelta(days=90)
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now())
    refused = _api(issued.key).get("/api/v1/reviews/")
    assert refused.status_code == 401 and "expired" in refused.json()["detail"]


def test_only_the_digest_of_a_key_is_stored(world: World) -> None:
    issued = services.api_token_create(actor=None, account=_feed(world), name="Feed")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")  # noqa: S608 - our table
        stored = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert issued.key not in stored and issued.key[: services.PREFIX_CHARACTERS] in stored
    assert issued.key[:-1] not in stored


@pytest.mark.parametrize("change", ["password", "switch off"])
def test_a_password_change_or_switching_off_ends_the_accounts_tokens(
    world: World, change: str
) -> None:
    user = world.users["agency_lead"]
    mine = [services.api_token_create(actor=user, account=user, name=n) for n in "ab"]
    other = services.api_token_create(
        actor=world.business_unit, account=world.business_unit, name="Kept"
    )
    if change == "password":
        user.set_password("a different long password")
    else:
        user.is_active = False
    user.save()
    for issued in mine:
        issued.token.refresh_from_db()
        assert issued.token.revoked_at is not None
        assert _api(issued.key).get("/api/v1/reviews/").status_code == 401
    assert _api(other.key).get("/api/v1/reviews/").status_code == 200
    assert AuditEvent.objects.filter(summary__startswith="Revoked 2 API token(s)").count() == 1


def test_last_used_is_written_at_most_once_a_minute(world: World) -> None:
    bu = world.business_unit
    issued = services.api_token_create(actor=bu, account=bu, name="Feed")
    api = _api(issued.key)
    assert api.get("/api/v1/reviews/").status_code == 200
    issued.token.refresh_from_db()
    first = issued.token.last_used_at
    assert first is not None
    api.get("/api/v1/reviews/")
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == first
    ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    api.get("/api/v1/reviews/")
    issued.token.refresh_from_db()
    assert issued.token.last_used_at > first - dt.timedelta(minutes=1)


@pytest.mark.parametrize("role", ["rag_member", "agency_lead", "scrutineer", "scrutiny_reader"])
def test_only_the_business_unit_has_the_token_page(
    world: World, client_for: Any, role: str
) -> None:
    issued = services.api_token_create(actor=None, account=_feed(world), name="Feed")
    client = client_for(world.users[role])
    assert client.get("/api/tokens/").status_code == 403
    assert client.post(f"/api/tokens/{issued.token.pk}/revoke/").status_code == 403
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_an_outsider_cannot_make_or_revoke_a_token_of_our_accounts(
    world: World, other_world: World, client_for: Any
) -> None:
    issued = services.api_token_create(actor=None, account=_feed(world), name="Feed")
    client = client_for(other_world.business_unit)
    response = client.post(
        "/api/tokens/", {"name": "X", "account": issued.token.user.pk, "days": 90}
    )
    assert response.status_code == 200 and ApiToken.objects.count() == 1
    assert client.post(f"/api/tokens/{issued.token.pk}/revoke/").status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_the_commands_make_a_system_account_and_print_a_key_once(world: World) -> None:
    out = StringIO()
    call_command(
        "create_system_account",
        "feed",
        "--partnership",
        world.partnership.slug,
        "--role",
        "business_unit",
        stdout=out,
    )
    call_command("create_api_token", "feed", "--name", "Nightly", "--days", "30", stdout=out)
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(user__username="feed")
    assert hashlib.sha256(key.encode()).hexdigest() == token.key_digest
    assert _api(key).get("/api/v1/reviews/").status_code == 200
    call_command("create_api_token", "feed", "--revoke", "Nightly", stdout=StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
    with pytest.raises(CommandError, match="yourself or for a system account"):
        call_command(
            "create_api_token", world.business_unit.username, "--name", "X", stdout=StringIO()
        )
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", "--name", "X", stdout=StringIO())
    assert ApiToken.objects.count() == 1


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
