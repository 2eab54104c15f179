"""Security headers on every response a business-unit user can get, the log-in page, static
files and error pages; and the production values (HSTS, secure cookies)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from safeguarding.accounts.models import User
from safeguarding.core.tests.crawl import open_the_rest, route_names, walk_site

pytestmark = pytest.mark.django_db

# Header -> a test of its value.
EXPECTED = {
    "Content-Security-Policy": lambda v: (
        "unsafe-inline" not in v
        and "default-src 'self'" in v
        and "frame-ancestors 'none'" in v
        and "script-src 'self'" in v
        and "style-src 'self'" in v
    ),
    "X-Frame-Options": lambda v: v == "DENY",
    "X-Content-Type-Options": lambda v: v == "nosniff",
    "Referrer-Policy": lambda v: v == "same-origin",
    "Cross-Origin-Opener-Policy": lambda v: v == "same-origin",
    "Permissions-Policy": lambda v: "camera=()" in v and "geolocation=()" in v,
}

# Routes a business-unit user never reaches by a GET with the demo's records, and why.
NOT_WALKED = {
    "api:": "the API's catch-all 404 for unknown /api/v1/ addresses (a 404 is walked below)",
    "accounts:logout": "POST only; signing out would end the walk",
    "reports:version": "the demo has no generated report",
    "reports:progress": "the demo has no generated report",
    "reports:publish": "the demo has no generated report",
    "reports:download": "the demo has no generated report",
}


def _missing(response) -> list[str]:
    return [h for h, ok in EXPECTED.items() if h not in response or not ok(response[h])]


def test_every_response_a_business_unit_user_can_get_carries_the_headers(demo, client_for, client):
    user = User.objects.get(username="business.unit", partnership=demo)
    anonymous = [client.get("/accounts/login/"), client.get("/cases/")]  # a redirect to log-in
    signed_in = client_for(user)
    walk = walk_site(signed_in)
    by_resolver = open_the_rest(signed_in, walk)
    extra = [
        client.get("/no-such-page/"),
        client.get("/govuk-frontend.min.css"),  # WhiteNoise, before any view
        client.get("/api/v1/no-such-endpoint/"),
        client.get("/cases/999999999/"),
        # A set-up link (the demo has none open): a token that opens nothing is its 404 page.
        client.get(reverse("accounts:enrol", args=["a-token-that-opens-nothing"])),
    ]
    responses = [("/accounts/login/", anonymous[0]), ("/cases/ (signed out)", anonymous[1])]
    responses += walk.responses
    responses += [(r.wsgi_request.path, r) for r in extra]
    failures = {url: _missing(r) for url, r in responses if _missing(r)}
    statuses = sorted({r.status_code for _, r in responses})
    print(
        f"responses checked {len(responses)}, missing headers {len(failures)}, "
        f"route names walked {len(walk.names)} ({len(by_resolver)} built from the resolver: "
        f"{by_resolver}), statuses {statuses}"
    )
    assert failures == {}
    assert extra[0].status_code == 404 and extra[1].status_code == 200
    opened_here = {"accounts:enrol"} if extra[4].status_code == 404 else set()
    unwalked = route_names() - set(walk.names) - set(NOT_WALKED) - opened_here
    assert unwalked == set(), f"routes never opened by the walk: {sorted(unwalked)}"


@pytest.mark.urls("safeguarding.core.tests.urls_errors")
def test_a_template_that_asks_for_the_nonce_gets_it_in_the_policy(client_for, world):
    response = client_for(world.business_unit).get("/test-only/nonce/")
    [nonce] = re.findall(r'nonce="([^"]+)"', response.content.decode())
    policy = response["Content-Security-Policy"]
    assert f"script-src 'self' 'nonce-{nonce}'" in policy
    assert f"style-src 'self' 'nonce-{nonce}'" in policy
    # A page that does not ask carries no nonce at all.
    plain = client_for(world.business_unit).get("/")
    assert "nonce-" not in plain["Content-Security-Policy"]


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SECURE_HSTS_PRELOAD=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_production_values_hsts_and_secure_httponly_samesite_cookies(client, world):
    from safeguarding.testing.factories import PASSWORD

    page = client.get("/accounts/login/", secure=True)
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/",
        {"username": world.business_unit.username, "password": PASSWORD},
        secure=True,
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
