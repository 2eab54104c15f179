"""Field-level scope: a child's identifying details (name, date of birth, address, agency record
numbers) appear on the business unit's audited identifying-details pages and nowhere else, for
every role; API resources carry only the fields on their allow-list."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest

from safeguarding.accounts.models import Role
from safeguarding.security.scope import API_FIELDS, IDENTIFYING_FIELDS, IDENTITY_PAGES
from safeguarding.security.tests.crawl import Crawler, api_items, resolve_link, seed_urls
from safeguarding.security.tests.worlds import Worlds, build_small, canaries, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def worlds(django_db_setup: Any, django_db_blocker: Any) -> Any:
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_small()
        transaction.set_rollback(True)


def _keys(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in _keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


def test_identifying_details_appear_only_on_the_identifying_details_page(
    worlds: Worlds, client_for: Any
):
    values = canaries()
    assert len(values) >= 20  # names, addresses, record numbers and dates of birth
    seeds = seed_urls(start="2020-01-01", end="2026-12-31")
    surfaces = 0
    hits: list[str] = []
    shown_where_allowed = 0
    api_bad: list[str] = []
    for username, user in worlds.users.items():
        allowed_pages = IDENTITY_PAGES.get(user.role, frozenset())
        for surface in Crawler(client_for(user), per_route=2).crawl(seeds):
            if surface.status != 200:
                continue
            surfaces += 1
            resolved = resolve_link(urlsplit(surface.url).path)
            view_name = resolved[0] if resolved else ""
            text = surface.text
            if surface.kind == "pdf":
                values_here = [v for v in values if squeeze(v) in squeeze(text)]
            else:
                values_here = [v for v in values if v in text]
            if view_name in allowed_pages:
                shown_where_allowed += bool(values_here)
                continue
            hits += [f"{username}: {surface.url} ({surface.kind}) shows {v!r}" for v in values_here]
            if surface.kind == "json" and view_name.startswith("api:"):
                data = json.loads(text)
                basename, items = api_items(view_name, data)
                for item in items:
                    extra = set(item) - API_FIELDS[basename]
                    if extra:
                        api_bad.append(f"{surface.url}: {sorted(extra)}")
                leaked = _keys(data) & set(IDENTIFYING_FIELDS)
                if leaked:
                    api_bad.append(f"{surface.url}: {sorted(leaked)}")
    print(
        f"field scope: users {len(worlds.users)}, surfaces {surfaces}, canary values "
        f"{len(values)}, canary hits {len(hits)}, API fields outside allow-list {len(api_bad)}"
    )
    assert hits == []
    assert api_bad == []
    # The canaries are real: the business unit's identifying-details pages show them.
    assert shown_where_allowed >= 1
    assert worlds.users["business.unit"].role == Role.BUSINESS_UNIT
