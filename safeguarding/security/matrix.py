"""Helpers of the access matrix test: every route of the URL resolver, every operation of the
OpenAPI schema, what a response means (policy.Outcome), the forms a page offers (so that a
refused write is sent with the fields a real user would send), and a checksum of every table."""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import connection
from django.http.response import HttpResponseBase
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from safeguarding.security.policy import Outcome

# --- Routes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern, with the prefixes of the urlconfs that include it."""

    pattern: str  # the full pattern, e.g. "reviews/<int:pk>/edit/"
    name: str | None  # namespaced, e.g. "reviews:review_edit"
    callback: Any
    default_args: dict[str, Any]

    @property
    def key(self) -> str:
        """The route's key in the policy table: its name, or its pattern if it has none."""
        return self.name or self.pattern

    @property
    def is_api_router(self) -> bool:
        """A route of the API's router (its operations are in the OpenAPI schema)."""
        return hasattr(self.callback, "cls") and self.pattern.startswith("api/v1/^")

    @property
    def has_format_suffix(self) -> bool:
        return "(?P<format>" in self.pattern


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield Route(prefix + str(entry.pattern), name, entry.callback, entry.default_args)


def _static_prefixes() -> tuple[str, ...]:
    prefixes = [
        str(getattr(settings, name, "") or "").lstrip("/") for name in ("STATIC_URL", "MEDIA_URL")
    ]
    return tuple(p for p in prefixes if p) + ("__debug__/", "__reload__/")


def all_routes() -> tuple[list[Route], list[Route]]:
    """Every route of the URL resolver, recursively through included urlconfs: (checked,
    skipped). Only static/media-like and debug-toolbar routes are skipped."""
    checked: list[Route] = []
    skipped: list[Route] = []
    for route in _walk(get_resolver().url_patterns):
        plain = route.pattern.lstrip("^")
        (skipped if plain.startswith(_static_prefixes()) else checked).append(route)
    return checked, skipped


# --- API operations ----------------------------------------------------------------------------


def api_operations() -> list[str]:
    """Every operation of the OpenAPI schema drf-spectacular serves, as "METHOD path"."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    methods = ("get", "post", "put", "patch", "delete")
    return [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in methods
    ]


API_COLLECTION = re.compile(r"^/api/v1/([a-z-]+)/")


def api_collection(path: str) -> str:
    """The collection an API path belongs to ("/api/v1/cases/{id}/" -> "cases")."""
    match = API_COLLECTION.match(path)
    assert match, path
    return match.group(1)


def router_collection(route: Route) -> str:
    """The collection of a router pattern ("api/v1/^cases/(?P<pk>[^/]+)/$" -> "cases")."""
    match = re.match(r"api/v1/\^([a-z-]+)", route.pattern)
    assert match, route.pattern
    return match.group(1)


# --- Responses ---------------------------------------------------------------------------------


def _path(url: str) -> str:
    return urlsplit(url).path


def classify(response: HttpResponseBase, *, api: bool = False) -> str:
    """What a response means, as a policy letter; anything else is "<status>" (e.g. "500"),
    which never matches a cell. A redirect to the two-factor pages is "2FA"."""
    status = response.status_code
    if 200 <= status < 300:
        return Outcome.ALLOW.value
    if status in (301, 302, 303, 307, 308):
        target = _path(response.get("Location", ""))
        if target == reverse("accounts:login"):
            return Outcome.LOGIN.value
        if target in _two_factor_pages():
            return "2FA"
        return Outcome.ALLOW.value
    if status == 401 and api:
        return Outcome.LOGIN.value
    return {
        403: Outcome.DENY.value,
        404: Outcome.HIDDEN.value,
        405: Outcome.METHOD.value,
    }.get(status, str(status))


def _two_factor_pages() -> set[str]:
    pages = set()
    for name in ("accounts:two_factor_verify", "accounts:two_factor_setup"):
        with contextlib.suppress(NoReverseMatch):  # no two-factor pages in this install
            pages.add(reverse(name))
    return pages


# --- The forms a page offers -------------------------------------------------------------------

PROBE_TEXT = "Access matrix probe"


@dataclass
class _Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    radios: dict[str, str] = field(default_factory=dict)  # first value of each radio group
    checked_radios: set[str] = field(default_factory=set)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self._form: _Form | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = _Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind == "checkbox":
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind == "radio":
                form.radios.setdefault(name, a.get("value", "on"))
                if "checked" in a:
                    form.checked_radios.add(name)
                    form.fields.append((name, a.get("value", "on")))
            else:
                value = a.get("value", "")
                if not value and kind in ("text", "search"):
                    value = PROBE_TEXT
                form.fields.append((name, value))
        elif tag == "select" and name:
            self._select, self._options = (name, "multiple" in a), []
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            form = self._form
            for name, value in form.radios.items():
                if name not in form.checked_radios:
                    form.fields.append((name, value))
            self._form = None
        elif tag == "select" and self._select and self._form is not None:
            name, multiple = self._select
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not multiple:
                chosen = [v for v, _ in self._options if v][:1]
            self._form.fields.extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._text).strip("\n") or PROBE_TEXT
            self._form.fields.append((self._textarea, text))
            self._textarea = None


def post_forms(page_url: str, html: str) -> dict[str, list[tuple[str, str]]]:
    """The POST forms of a page, by the path they post to, with the values a user would send:
    as filled in, an empty text box or text area given some text, the first choice of an empty
    list or radio group."""
    parser = _FormParser()
    parser.feed(html)
    found: dict[str, list[tuple[str, str]]] = {}
    for form in parser.forms:
        if form.method == "post":
            target = _path(urljoin(page_url, form.action or page_url))
            found.setdefault(target, form.fields)
    return found


def as_post_data(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


# --- Database checksum -------------------------------------------------------------------------


def table_checksums(ignore: frozenset[str] = frozenset()) -> dict[str, tuple[int, str]]:
    """Every table of the database (Django's, third-party apps' and the history tables): its
    row count and a SHA-256 over its rows in primary-key order (all columns in order where
    there is no primary key). Works on SQLite and PostgreSQL; values are compared only with
    those read from the same database."""
    result: dict[str, tuple[int, str]] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = sorted(
            t.name
            for t in connection.introspection.get_table_list(cursor)
            if t.type == "t" and t.name not in ignore
        )
        for table in tables:
            description = connection.introspection.get_table_description(cursor, table)
            columns = [c.name for c in description]
            pk = connection.introspection.get_primary_key_column(cursor, table)
            order = quote(pk) if pk else ", ".join(quote(c) for c in columns)
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                count += 1
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
            result[table] = (count, digest.hexdigest())
    return result


def _plain(value: Any) -> Any:
    # memoryview (PostgreSQL bytea) has no stable repr.
    return bytes(value) if isinstance(value, memoryview) else value


def changed_tables(
    before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]
) -> list[str]:
    """The tables whose rows differ, with their row counts before and after."""
    return [
        f"{table} ({before.get(table, (0, ''))[0]} -> {after.get(table, (0, ''))[0]} rows)"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    ]
