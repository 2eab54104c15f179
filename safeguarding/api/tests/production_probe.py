"""Run by test_production.py in a subprocess with SRH_ENVIRONMENT=production and an empty
SQLite database: the three API findings probed as the attacker did, printing one JSON line.

    python -m safeguarding.api.tests.production_probe
"""

from __future__ import annotations

import json
from typing import Any

import django

# Production redirects http:// to https:// and trusts the proxy's X-Forwarded-Proto.
HTTPS: dict[str, Any] = {"wsgi.url_scheme": "https", "HTTP_X_FORWARDED_PROTO": "https"}


def main() -> dict[str, Any]:
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("migrate", verbosity=0)
    from safeguarding.accounts.models import Role
    from safeguarding.accounts.services import partnership_create, user_create
    from safeguarding.api import services
    from safeguarding.api.models import ApiToken
    from safeguarding.audit.models import AuditAction, AuditEvent
    from safeguarding.reviews.models import Incident

    partnership = partnership_create(actor=None, name="Probe", slug="probe")
    password = "a long probe password 7"
    bu = user_create(
        actor=None,
        partnership=partnership,
        username="probe-bu",
        password=password,
        role=Role.BUSINESS_UNIT,
    )
    colleague = user_create(
        actor=None,
        partnership=partnership,
        username="probe-bu-2",
        password=password,
        role=Role.BUSINESS_UNIT,
    )
    TOTPDevice.objects.create(user=bu, name="app", confirmed=True)
    result: dict[str, Any] = {
        "rate": settings.API_ANON_RATE,
        "authtoken_installed": "rest_framework.authtoken" in settings.INSTALLED_APPS,
    }

    # 1. A session past the password only, with headers that are not a live token.
    half = Client(**HTTPS)
    half.post("/accounts/login/", {"username": bu.username, "password": password})
    plain = half.get("/api/v1/cases/")
    result["half_session_no_header"] = plain.status_code
    headers = {"Bearer": "Bearer x", "Basic": "Basic eDp4", "bare": "x", "Token": "Token x"}
    result["half_session_get"] = {
        k: half.get("/api/v1/cases/", HTTP_AUTHORIZATION=v).status_code for k, v in headers.items()
    }
    result["half_session_post"] = {
        k: half.post(
            "/api/v1/incidents/", {}, content_type="application/json", HTTP_AUTHORIZATION=v
        ).status_code
        for k, v in headers.items()
    }
    result["incidents"] = Incident.objects.count()

    # 2. A business unit making a token for a colleague is refused.
    try:
        services.api_token_create(actor=bu, account=colleague, name="As them")
        result["token_for_colleague"] = "made"
    except services.TokenError:
        result["token_for_colleague"] = "refused"
    result["tokens"] = ApiToken.objects.count()

    # 3. 200 anonymous requests from one address.
    before = AuditEvent.objects.filter(action=AuditAction.DENIED).count()
    anonymous = Client(REMOTE_ADDR="198.51.100.20", **HTTPS)
    statuses = [anonymous.get("/api/v1/cases/").status_code for _ in range(200)]
    rows_now = AuditEvent.objects.filter(action=AuditAction.DENIED).count() - before
    import datetime as dt

    from django.utils import timezone

    services.refusal_windows_close(now=timezone.now() + dt.timedelta(hours=1))
    rows = AuditEvent.objects.filter(action=AuditAction.DENIED, ip_address="198.51.100.20")
    result["flood"] = {
        "401": statuses.count(401),
        "429": statuses.count(429),
        "rows_during": rows_now,
        "rows": rows.count(),
        "counted": sum(r.changes["count"][1] for r in rows if r.changes),
    }
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
