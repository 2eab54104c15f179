"""A small crawler for the scope tests: from a user's starting pages it follows the links a
person could follow (GET only), reads every response as the text a person or program would get
out of it (HTML, JSON, CSV, XLSX, Word, PDF), and keeps each one with the record links in it."""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import zipfile
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve
from pypdf import PdfReader

from safeguarding.security.scope import API_KINDS, API_REFS, LINK_KINDS

HREF = re.compile(r"""(?:href|action|src|data-url)\s*=\s*["']([^"']*)["']""")
# Never followed: leaving, static files, the API's description of itself.
SKIP_PREFIXES = ("/static/", "/assets/", "/accounts/logout/", "/accounts/login/", "/api/docs/")
SKIP_VIEWS = {"api:schema", "api:docs", "imports:template", "accounts:logout", "accounts:login"}


@dataclass
class Surface:
    """One response: where it came from, what it was, and its text."""

    url: str
    status: int
    kind: str
    text: str
    links: list[tuple[str, int]] = field(default_factory=list)  # (record kind, id)
    # A generated report file (the download of a report version: Word, PDF or HTML, sent as an
    # attachment), built from the partnership's records as a whole for a reader who may see it.
    generated_document: bool = False


# The text of each document file read so far, by its bytes: the same file, downloaded by
# several users, is read once (a PDF's text takes a tenth of a second a page).
_document_texts: dict[tuple[str, bytes], tuple[str, str]] = {}


def read_body(response: Any) -> tuple[str, str]:
    """(kind, text) of a response body."""
    ctype = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if any(k in ctype for k in ("spreadsheetml", "wordprocessingml", "pdf")):
        key = (ctype, hashlib.sha256(body).digest())
        if key not in _document_texts:
            _document_texts[key] = _read(ctype, body)
        return _document_texts[key]
    return _read(ctype, body)


def _read(ctype: str, body: bytes) -> tuple[str, str]:
    if "json" in ctype:
        return "json", body.decode()
    if "csv" in ctype:
        return "csv", body.decode("utf-8-sig")
    if "spreadsheetml" in ctype:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        cells = [
            str(v)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if v is not None
        ]
        return "xlsx", "\n".join(cells)
    if "wordprocessingml" in ctype:
        return "docx", _docx_text(body)
    if "pdf" in ctype:
        # pypdf, as the report tests read PDFs (no external tool needed).
        pages = PdfReader(io.BytesIO(body)).pages
        return "pdf", "\n".join(page.extract_text() for page in pages)
    if "html" in ctype:
        return "html", body.decode()
    return "other", body.decode("utf-8", "replace")


def _docx_text(body: bytes) -> str:
    # Every text run of every part (body, headers, footers, footnotes), with the runs of one
    # paragraph joined so a marker split across runs still reads whole.
    parts = []
    with zipfile.ZipFile(io.BytesIO(body)) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                xml = z.read(name).decode()
                for para in re.split(r"</w:p>", xml):
                    parts.append("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", para)))
    return html.unescape("\n".join(parts))


def resolve_link(path: str) -> tuple[str, dict[str, Any]] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, match.kwargs


def record_of(view_name: str, kwargs: dict[str, Any]) -> tuple[str, int] | None:
    """The record a route points at, if any."""
    if view_name in LINK_KINDS:
        kind, arg = LINK_KINDS[view_name]
        return kind, int(kwargs[arg])
    if view_name.startswith("api:") and view_name.endswith("-detail"):
        basename = view_name[4 : -len("-detail")]
        pk = str(kwargs.get("pk", ""))
        if basename in API_KINDS and pk.isdigit():
            return API_KINDS[basename], int(pk)
    return None


def api_items(view_name: str, data: Any) -> tuple[str, list[dict[str, Any]]]:
    """(resource basename, the records) of an API list or detail response."""
    basename = view_name[4:].rsplit("-", 1)[0]
    if not isinstance(data, dict):
        return basename, []
    items = data.get("results", [data])
    return basename, [i for i in items if isinstance(i, dict) and "id" in i]


def _api_records(view_name: str, data: Any) -> list[tuple[str, int]]:
    """The records an API response names: its own, and the ids of others inside them."""
    basename, items = api_items(view_name, data)
    kind = API_KINDS.get(basename)
    if kind is None:
        return []
    found = [(kind, int(i["id"])) for i in items]
    for item in items:
        for key, value in item.items():
            ref = API_REFS.get((basename, key))
            if ref is not None:
                found += [(ref, int(v)) for v in as_ids(value)]
    return found


def as_ids(value: Any) -> list[int]:
    if value is None:
        return []
    values = value if isinstance(value, list) else [value]
    return [int(v["id"] if isinstance(v, dict) else v) for v in values]


class Crawler:
    """Visits pages as one logged-in client, breadth first, at most `per_route` addresses of
    each route (the links on every page visited are all checked, visited or not)."""

    def __init__(self, client: Client, *, per_route: int = 4, limit: int = 400) -> None:
        self.client = client
        self.per_route = per_route
        self.limit = limit
        self.visits: Counter[str] = Counter()
        self.surfaces: list[Surface] = []
        self.forms: list[tuple[str, str]] = []  # (page, form html)

    def _cap(self, view_name: str, kwargs: dict[str, Any]) -> int:
        if view_name == "reports:download":
            return 24  # every rendition and format of a few versions
        return self.per_route if kwargs else self.per_route * 3

    def crawl(self, seeds: list[str]) -> list[Surface]:
        queue: deque[str] = deque(seeds)
        seen: set[str] = set()
        while queue and len(self.surfaces) < self.limit:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            resolved = resolve_link(urlsplit(url).path)
            if resolved is None or resolved[0] in SKIP_VIEWS:
                continue
            view_name, kwargs = resolved
            if url not in seeds and self.visits[view_name] >= self._cap(view_name, kwargs):
                continue
            self.visits[view_name] += 1
            surface = self._get(url, view_name)
            self.surfaces.append(surface)
            for link in self._links(url, surface):
                if link not in seen:
                    queue.append(link)
        return self.surfaces

    def _get(self, url: str, view_name: str) -> Surface:
        response = self.client.get(url)
        if response.status_code in (301, 302, 303):
            return Surface(url, response.status_code, "redirect", response["Location"], [])
        if response.status_code != 200:
            return Surface(url, response.status_code, "error", "", [])
        kind, text = read_body(response)
        records: list[tuple[str, int]] = []
        if kind == "json" and view_name.startswith("api:"):
            records = _api_records(view_name, json.loads(text))
        generated = view_name == "reports:download" and response.get(
            "Content-Disposition", ""
        ).startswith("attachment")
        return Surface(url, 200, kind, text, records, generated_document=generated)

    def _links(self, url: str, surface: Surface) -> list[str]:
        found: list[str] = []
        if surface.kind == "redirect":
            found.append(urljoin(url, surface.text))
        elif surface.kind == "html":
            for form in re.findall(r"<form\b.*?</form>", surface.text, flags=re.S):
                self.forms.append((url, form))
            for raw in HREF.findall(surface.text):
                found.append(urljoin(url, html.unescape(raw)))
        elif surface.kind == "json":
            found.extend(_json_links(json.loads(surface.text)))
            path = urlsplit(url).path
            if path.startswith("/api/v1/") and path.count("/") == 4:  # a list: its records
                kind = API_KINDS.get(str(resolve(path).url_name).rsplit("-", 1)[0])
                found.extend(f"{path}{pk}/" for k, pk in surface.links if k == kind)
        links = []
        for link in found:
            parts = urlsplit(link)
            if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP_PREFIXES):
                continue
            address = parts.path + (f"?{parts.query}" if parts.query else "")
            resolved = resolve_link(parts.path)
            if resolved is not None and (record := record_of(*resolved)):
                surface.links.append(record)
            links.append(address)
        return links


def _json_links(data: Any) -> list[str]:
    if isinstance(data, dict):
        out = [
            v for k, v in data.items() if k in ("next", "previous", "url") and isinstance(v, str)
        ]
        for value in data.values():
            out.extend(_json_links(value))
        return out
    if isinstance(data, list):
        return [link for item in data for link in _json_links(item)]
    return []


def _walk(patterns: Any, namespace: str = "") -> Any:
    from django.urls import URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else ""))
        elif p.name:
            yield namespace + p.name


def route_names() -> list[str]:
    """Every named route, from the URL resolver."""
    from django.urls import get_resolver

    return sorted(set(_walk(get_resolver().url_patterns)))


def seed_urls(start: str = "2021-05-01", end: str = "2022-12-31") -> list[str]:
    """Every route that takes no id, then the searches, periods, filters and exports that
    lead to the records behind lists and counts."""
    from django.urls import NoReverseMatch, reverse

    seeds = []
    for name in route_names():
        if name in SKIP_VIEWS:
            continue
        try:
            seeds.append(reverse(name))
        except NoReverseMatch:
            continue
    period = f"start={start}&end={end}"
    seeds += [
        f"/learning/analysis/?{period}",
        f"/escalations/analysis/?{period}",
        f"/period-summary/?{period}",
        "/learning/findings/?q=SCOPEMARK",
        "/learning/findings/?q=child",
        "/actions/?status=all",
        "/escalations/?status=all",
    ]
    for page in (
        "/incidents/",
        "/cases/",
        "/reviews/",
        "/learning/findings/",
        "/actions/?status=all",
        "/practice/",
        "/escalations/?status=all",
    ):
        joiner = "&" if "?" in page else "?"
        seeds += [f"{page}{joiner}format=csv", f"{page}{joiner}format=xlsx"]
    return seeds
