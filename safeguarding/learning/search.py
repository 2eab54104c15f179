"""Full-text search over findings with the database's own engine: SQLite FTS5 or PostgreSQL
full text. Both rank the matches and mark the words found.

SQLite keeps an external-content FTS5 table in step with `learning_finding` through triggers;
PostgreSQL uses a GIN index on the same expression the queries use. A migration installs them
(`search_index_install`); `manage.py learning_search_index` reinstalls and rebuilds them, for
example after a migration that rebuilt the findings table on SQLite (which drops triggers).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Markers the database puts around matched words; the page turns them into <mark> only after
# escaping the text, so a finding's text can never inject markup.
START, STOP = "\x02", "\x03"
PG_CONFIG = "english"

_SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS learning_finding_fts USING fts5("
    "text, source_passage, content='learning_finding', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS learning_finding_fts_ai AFTER INSERT ON learning_finding BEGIN "
    "INSERT INTO learning_finding_fts(rowid, text, source_passage) "
    "VALUES (new.id, new.text, new.source_passage); END",
    "CREATE TRIGGER IF NOT EXISTS learning_finding_fts_ad AFTER DELETE ON learning_finding BEGIN "
    "INSERT INTO learning_finding_fts(learning_finding_fts, rowid, text, source_passage) "
    "VALUES ('delete', old.id, old.text, old.source_passage); END",
    "CREATE TRIGGER IF NOT EXISTS learning_finding_fts_au AFTER UPDATE OF text, source_passage "
    "ON learning_finding BEGIN "
    "INSERT INTO learning_finding_fts(learning_finding_fts, rowid, text, source_passage) "
    "VALUES ('delete', old.id, old.text, old.source_passage); "
    "INSERT INTO learning_finding_fts(rowid, text, source_passage) "
    "VALUES (new.id, new.text, new.source_passage); END",
]
_SQLITE_REBUILD = "INSERT INTO learning_finding_fts(learning_finding_fts) VALUES ('rebuild')"
_SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS learning_finding_fts_ai",
    "DROP TRIGGER IF EXISTS learning_finding_fts_ad",
    "DROP TRIGGER IF EXISTS learning_finding_fts_au",
    "DROP TABLE IF EXISTS learning_finding_fts",
]
# The same expression as SearchVector("text", "source_passage", config="english") renders.
_PG_INSTALL = [
    "CREATE INDEX IF NOT EXISTS learning_finding_search ON learning_finding USING gin "
    f"(to_tsvector('{PG_CONFIG}'::regconfig, COALESCE(text, '') || ' ' || "
    "COALESCE(source_passage, '')))"
]
_PG_UNINSTALL = ["DROP INDEX IF EXISTS learning_finding_search"]


def search_index_install(schema_editor: Any = None, *, rebuild: bool = False) -> None:
    conn = schema_editor.connection if schema_editor is not None else connection
    statements = {"sqlite": _SQLITE_INSTALL, "postgresql": _PG_INSTALL}.get(conn.vendor, [])
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # Even CREATE INDEX IF NOT EXISTS fails inside a transaction with pending trigger
            # events, so look first; a GIN index stays up to date by itself.
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'learning_finding_search'")
            if cursor.fetchone():
                return
        for sql in statements:
            cursor.execute(sql)
        if rebuild and conn.vendor == "sqlite":
            cursor.execute(_SQLITE_REBUILD)


def search_index_uninstall(schema_editor: Any = None) -> None:
    conn = schema_editor.connection if schema_editor is not None else connection
    statements = {"sqlite": _SQLITE_UNINSTALL, "postgresql": _PG_UNINSTALL}.get(conn.vendor, [])
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def words_of(query: str) -> list[str]:
    """The words of a search, lower case; everything else (quotes, operators) is dropped so
    that no query can be a syntax error."""
    return re.findall(r"\w+", query.lower())[:20]


def search_findings(findings: QuerySet[Any], query: str) -> QuerySet[Any]:
    """Findings matching every word of `query`, best first, annotated with `search_rank`
    (higher is better), `text_marked` and `passage_marked` (words between START and STOP)."""
    words = words_of(query)
    if not words:
        return findings
    if connection.vendor == "postgresql":
        return _search_postgresql(findings, words)
    return _search_sqlite(findings, words)


# FTS5's ranking and marking functions only work inside a query on the FTS table, so each is a
# correlated subquery on the finding's row. Constant SQL: the words are always a parameter.
_FTS_ONE = (
    "(SELECT {} FROM learning_finding_fts WHERE learning_finding_fts MATCH %s "
    'AND learning_finding_fts.rowid = "learning_finding"."id")'
)
_FTS_IDS = "SELECT rowid FROM learning_finding_fts WHERE learning_finding_fts MATCH %s"
# bm25 is lower for better matches; negated so that higher is better on both databases.
_FTS_RANK = "-" + _FTS_ONE.format("bm25(learning_finding_fts, 1.0, 0.5)")
_FTS_TEXT = _FTS_ONE.format("highlight(learning_finding_fts, 0, char(2), char(3))")
_FTS_PASSAGE = _FTS_ONE.format("snippet(learning_finding_fts, 1, char(2), char(3), '…', 30)")


def _search_sqlite(findings: QuerySet[Any], words: list[str]) -> QuerySet[Any]:
    match = " ".join(f'"{w}"' for w in words)  # each word quoted: implicit AND, no operators
    return (
        findings.filter(pk__in=RawSQL(_FTS_IDS, [match]))  # noqa: S611 - constant SQL
        .annotate(
            search_rank=RawSQL(_FTS_RANK, [match]),  # noqa: S611 - constant SQL
            text_marked=RawSQL(_FTS_TEXT, [match]),  # noqa: S611 - constant SQL
            passage_marked=RawSQL(_FTS_PASSAGE, [match]),  # noqa: S611 - constant SQL
        )
        .order_by("-search_rank", "pk")
    )


def _search_postgresql(findings: QuerySet[Any], words: list[str]) -> QuerySet[Any]:
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    vector = SearchVector("text", "source_passage", config=PG_CONFIG)
    search = SearchQuery(" ".join(words), search_type="plain", config=PG_CONFIG)
    return (
        findings.annotate(search_vector=vector)
        .filter(search_vector=search)
        .annotate(
            search_rank=SearchRank(F("search_vector"), search),
            text_marked=SearchHeadline(
                "text", search, config=PG_CONFIG, start_sel=START, stop_sel=STOP, highlight_all=True
            ),
            passage_marked=SearchHeadline(
                "source_passage",
                search,
                config=PG_CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
            ),
        )
        .order_by("-search_rank", "pk")
    )


def marked_html(text: str | None) -> SafeString:
    """Escape `text`, then turn the database's match markers into <mark> elements."""
    html = str(escape(text or ""))
    html = html.replace(START, '<mark class="srh-mark">').replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own tags added
