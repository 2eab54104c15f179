"""Walk the site as one user: every GET route from the URL resolver, then every link and form
action on the pages (and every address in the API's JSON), so routes with an object in their
address are opened with real objects. Used by the header and log-canary tests."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.http import HttpResponse
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse

_LINK = re.compile(r'(?:href|action|src)="([^"#]*)')
_API_URL = re.compile(r"^(?:https?://testserver)?(/api/[^\s\"']*)$")
# Never followed: signing out would end the walk.
SKIP_NAMES = {"accounts:logout"}


def route_names() -> set[str]:
    """Every named route in the URL resolver (the API's format-suffix twins share a name)."""

    def walk(patterns: list[Any], ns: str = "") -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
            elif isinstance(p, URLPattern) and p.name:
                yield ns + p.name

    return set(walk(get_resolver().url_patterns))


def _seeds() -> list[str]:
    urls = []
    for name in sorted(route_names() - SKIP_NAMES):
        try:
            urls.append(reverse(name))
        except Exception:  # noqa: S112 - needs an object: found by following links instead
            continue
    return urls


@dataclass
class Walk:
    responses: list[tuple[str, HttpResponse]] = field(default_factory=list)
    names: Counter[str] = field(default_factory=Counter)


def _links(path: str, response: HttpResponse) -> list[str]:
    content_type = response.get("Content-Type", "")
    if getattr(response, "streaming", False):
        return []
    body = response.content.decode("utf-8", "replace")
    if content_type.startswith("text/html"):
        return [urljoin(path, link.replace("&amp;", "&")) for link in _LINK.findall(body)]
    if content_type.startswith("application/json"):
        found: list[str] = []

        def visit(value: Any) -> None:
            if isinstance(value, dict):
                for v in value.values():
                    visit(v)
            elif isinstance(value, list):
                for v in value:
                    visit(v)
            elif isinstance(value, str) and (m := _API_URL.match(value)):
                found.append(m.group(1))

        try:
            data = json.loads(body)
        except ValueError:
            return found
        visit(data)
        # A list's records open at <list>/<id>/ (and their actions below that).
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            base = urlsplit(path).path
            found += [
                f"{base}{r['id']}/" for r in data["results"] if isinstance(r, dict) and "id" in r
            ]
        return found
    return []


def walk_site(client: Any, *, per_route: int = 2, limit: int = 600) -> Walk:
    """GET every route (at most `per_route` addresses per route name), following links."""
    result = Walk()
    queue = ["/", *_seeds()]
    seen: set[str] = set()
    while queue and len(result.responses) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or url in seen:
            continue
        seen.add(url)
        try:
            name = resolve(parts.path).view_name
        except Resolver404:
            name = "(static)"
        if name in SKIP_NAMES or (name != "(static)" and result.names[name] >= per_route):
            continue
        result.names[name] += 1
        response = client.get(url)
        result.responses.append((url, response))
        queue.extend(_links(url, response))
    return result


def open_the_rest(client: Any, walk: Walk, kwargs_value: int = 1) -> list[str]:
    """GET each route the walk never reached, its address built from the resolver with every
    argument set to `kwargs_value` (a 404 or 405 still has to carry the headers)."""
    from django.urls import NoReverseMatch

    opened = []
    for name in sorted(route_names() - set(walk.names) - SKIP_NAMES):
        for kwargs in (
            {"pk": kwargs_value},
            {"pk": kwargs_value, "pause_pk": kwargs_value},
            {"pk": kwargs_value, "user_pk": kwargs_value, "action": "reset-two-factor"},
            {"uidb64": "MQ", "token": "no-such-token"},
        ):
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            walk.responses.append((url, client.get(url)))
            walk.names[name] += 1
            opened.append(name)
            break
    return opened
