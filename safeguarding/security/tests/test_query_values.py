"""No value in a query string makes a 500: every GET route with query parameters and every API
list filter, sent 99999999999999999999999, -1, 1e999, "abc", "" and a NUL byte (finding 13).

The routes are those a business-unit user reaches in the demo (safeguarding/core/tests/crawl.py,
one address per route); a route's parameters are those its pages link to or its GET forms send,
and those its view reads from request.GET (read from the view's source). The API's list
filters come from the OpenAPI schema. The earlier checks (schemathesis, the API filter tests)
covered the API with values its schema allows, and no test sent the pages' own query
parameters anything but what their links carry, so `?review=99999999999999999999999` on the
findings page (an integer SQLite cannot hold) answered 500.
"""

from __future__ import annotations

import inspect
import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.urls import Resolver404, resolve

from safeguarding.accounts.models import User
from safeguarding.core.tests.crawl import walk_site

pytestmark = pytest.mark.django_db

# The six of the finding, and a digit str.isdigit() takes but int() refuses (superscript two).
BAD_VALUES = ["99999999999999999999999", "-1", "1e999", "abc", "", "\x00", "\u00b2"]
# A view's reads of its query string: request.GET.get("x"), .getlist("x"), "x" in request.GET.
# In a view that reads request.GET, every .get("x") / .getlist("x") / "x" in is counted (some
# are of other dicts: sending those too costs a few requests).
_READ = re.compile(r"""\.get(?:list)?\(\s*["']([a-z_]+)["']""")
_QUERY = re.compile(r"""query_ids?\([^,()]+,\s*["']([a-z_]+)["']""")  # safeguarding.core.query
_IN = re.compile(r"""["']([a-z_]+)["']\s+in\s+(?:request\.)?GET""")
_HREF = re.compile(r'href="([^"#]*\?[^"#]*)"')


class _GetForms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        # (action, field names, the values the form holds as served)
        self.forms: list[tuple[str, set[str], list[tuple[str, str]]]] = []
        self._names: set[str] | None = None
        self._values: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "get":
            self._names, self._values = set(), []
            self.forms.append((a.get("action", ""), self._names, self._values))
        elif tag in ("input", "select", "textarea") and self._names is not None and a.get("name"):
            self._names.add(a["name"])
            if tag == "input" and a.get("value") and a.get("type") not in ("submit", "radio"):
                self._values.append((a["name"], a["value"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._names = None


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _source_params(path: str) -> set[str]:
    func = resolve(path).func
    func = getattr(func, "cls", None) or inspect.unwrap(func)
    try:
        body = inspect.getsource(func)
    except (OSError, TypeError):
        return set()
    if "GET" not in body:
        return set()
    return set(_READ.findall(body)) | set(_IN.findall(body)) | set(_QUERY.findall(body))


def _parameters(walk) -> dict[str, tuple[str, set[str], list[tuple[str, str]]]]:
    """view name -> (one address of it, the query parameters it takes, the longest query a
    link or GET form gives it)."""
    address: dict[str, str] = {}
    params: dict[str, set[str]] = defaultdict(set)
    fullest: dict[str, list[tuple[str, str]]] = {}  # the longest query a link or form gives
    for url, response in walk.responses:
        name = _view_name(urlsplit(url).path)
        if name is None or response.status_code != 200:
            continue
        address.setdefault(name, urlsplit(url).path)
        params[name] |= {k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)}
        if response.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode()
            for link in _HREF.findall(html):
                parts = urlsplit(link.replace("&amp;", "&"))
                target = _view_name(parts.path or urlsplit(url).path)
                if target:
                    pairs = parse_qsl(parts.query, keep_blank_values=True)
                    params[target] |= {k for k, _ in pairs}
                    if len(pairs) > len(fullest.get(target, [])):
                        fullest[target] = pairs
            parser = _GetForms()
            parser.feed(html)
            for action, names, values in parser.forms:
                target = _view_name(urlsplit(action).path or urlsplit(url).path)
                if target:
                    params[target] |= names
                    if len(values) > len(fullest.get(target, [])):
                        fullest[target] = values
    found = {}
    for name, path in address.items():
        names = params[name] | _source_params(path)
        if names and not path.startswith("/api/"):
            found[name] = (path, names, fullest.get(name, []))
    return found


def test_no_query_value_makes_a_500_on_any_page(demo, client_for):
    client = client_for(User.objects.get(username="business.unit", partnership=demo))
    routes = _parameters(walk_site(client, per_route=1))
    client.raise_request_exception = False  # a 500 is counted, not raised
    failures, sent, refused = [], 0, 0
    for _name, (path, names, base) in sorted(routes.items()):
        for param in sorted(names):
            for value in BAD_VALUES:
                # Alone, and among the other values a link sends (a form reads some of its
                # fields only when others are there: the analysis reads agencies with a start).
                others = [(k, v) for k, v in base if k != param]
                for pairs in (
                    ([(param, value)], [*others, (param, value)]) if others else ([(param, value)],)
                ):
                    url = f"{path}?{urlencode(pairs)}"
                    response = client.get(url)
                    sent += 1
                    refused += response.status_code == 400
                    if response.status_code >= 500:
                        failures.append(f"{url} -> {response.status_code}")
    params = sum(len(n) for _, n, _ in routes.values())
    print(
        f"query values: page routes {len(routes)}, parameters {params}, requests {sent}, "
        f"400s {refused}, 500s {len(failures)}"
    )
    for name, (path, names, _) in sorted(routes.items()):
        print(f"  {name} {path}: {', '.join(sorted(names))}")
    assert len(routes) >= 10 and failures == [], "\n".join(failures)


def _api_lists() -> dict[str, list[str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: [p["name"] for p in op["get"].get("parameters", []) if p["in"] == "query"]
        for path, op in schema["paths"].items()
        if "get" in op and "{" not in path
    }


def test_no_query_value_makes_a_500_on_any_api_list(demo, client_for):
    client = client_for(User.objects.get(username="business.unit", partnership=demo))
    lists = _api_lists()
    client.raise_request_exception = False
    failures, sent = [], 0
    for path, names in sorted(lists.items()):
        for param in names:
            for value in BAD_VALUES:
                response = client.get(f"{path}?{param}={quote(value)}")
                sent += 1
                if response.status_code >= 500:
                    failures.append(f"{path}?{param}={value!r} -> {response.status_code}")
                elif response.status_code == 400:
                    assert response.json(), path  # a JSON body naming the parameter
    params = sum(len(n) for n in lists.values())
    print(
        f"query values: api lists {len(lists)}, filters {params}, requests {sent}, "
        f"500s {len(failures)}"
    )
    assert len(lists) >= 10 and failures == [], "\n".join(failures)
