"""Render a Document as HTML: a body include for a GOV.UK page, and a standalone file.

The document is flattened into a list of items (headings, paragraphs, lists, tables,
charts) that ``reports/document/body.html`` lays out with GOV.UK Frontend classes. Inline
text (links, bold, footnote markers) is escaped and marked up here with ``format_html``.

Use in a page::

    {% include "reports/document/body.html" with document=report_body %}

where ``report_body = document_context(document, heading_level=2)``.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from safeguarding.reports.charts import chart_svg
from safeguarding.reports.document import (
    BulletList,
    Cell,
    Chart,
    Document,
    Footnote,
    Link,
    Paragraph,
    Run,
    Strong,
    Suppressed,
    Table,
    cell_text,
)


class _Notes:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.texts: list[str] = []

    def marker(self, text: str) -> SafeString:
        self.texts.append(text)
        n = len(self.texts)
        return format_html(
            '<sup class="report-note-ref"><a href="#{0}note-{1}" id="{0}ref-{1}" '
            'aria-label="Note {1}">{1}</a></sup>',
            self.prefix,
            n,
        )


def _run(run: Run, notes: _Notes) -> SafeString:
    if isinstance(run, Link):
        if run.url:
            return format_html('<a class="govuk-link" href="{}">{}</a>', run.url, run.text)
        return format_html("{}", run.text)
    if isinstance(run, Strong):
        return format_html("<strong>{}</strong>", run.text)
    if isinstance(run, Footnote):
        return notes.marker(run.text)
    return format_html("{}", run)


def _runs(runs: tuple[Run, ...], notes: _Notes) -> SafeString:
    return mark_safe("".join(_run(r, notes) for r in runs))  # noqa: S308 - parts are escaped


def _cell(value: Cell) -> SafeString:
    if isinstance(value, Link) and value.url:
        return format_html('<a class="govuk-link" href="{}">{}</a>', value.url, value.text)
    if isinstance(value, Suppressed):
        return format_html('<abbr title="{}">{}</abbr>', value.reason, value.symbol)
    return format_html("{}", cell_text(value))


def _table(table: Table, table_id: str) -> dict[str, Any]:
    body_rows = []
    for i, row in enumerate(table.all_rows()):
        body_rows.append(
            {
                "total": table.totals is not None and i == len(table.rows),
                "cells": [
                    {
                        "html": _cell(value),
                        "numeric": j in table.numeric_columns,
                        "header": j == 0,
                    }
                    for j, value in enumerate(row)
                ],
            }
        )
    weights = table.column_weights()
    return {
        "id": table_id,
        "caption": table.caption,
        "widths": [f"{100 * w / sum(weights):.1f}%" for w in weights],
        "header": [
            {"text": text, "numeric": j in table.numeric_columns}
            for j, text in enumerate(table.header)
        ],
        "rows": body_rows,
        "note": table.note,
    }


def document_context(
    document: Document, *, heading_level: int = 1, id_prefix: str = ""
) -> dict[str, Any]:
    """The document as template data for ``reports/document/body.html``.

    ``heading_level`` is the level of the title (1 standalone; 2 inside a page that has its
    own h1). ``id_prefix`` keeps element ids unique if two documents share a page.
    """
    notes = _Notes(id_prefix)
    items: list[dict[str, Any]] = []
    used: set[str] = set()
    chart_number = 0
    for number, depth, section in document.walk():
        anchor = id_prefix + (section.anchor or slugify(section.heading) or f"section-{number}")
        while anchor in used:
            anchor += "-x"
        used.add(anchor)
        level = min(heading_level + depth, 6)
        items.append(
            {
                "kind": "heading",
                "level": level,
                "id": anchor,
                "text": document.section_label(number, section),
                "size": {1: "l", 2: "m"}.get(depth, "s"),
            }
        )
        for block in section.blocks:
            if isinstance(block, Paragraph):
                html = _runs(block.runs, notes)
                if block.footnotes:
                    html = mark_safe(html + "".join(notes.marker(t) for t in block.footnotes))  # noqa: S308
                items.append({"kind": "paragraph", "html": html, "style": block.style})
            elif isinstance(block, BulletList):
                items.append(
                    {"kind": "list", "items": [_runs(item, notes) for item in block.items]}
                )
            elif isinstance(block, Table):
                items.append(
                    {
                        "kind": "table",
                        "table": _table(block, f"{anchor}-t{len(items)}"),
                    }
                )
            elif isinstance(block, Chart):
                chart_number += 1
                chart_id = f"{id_prefix}chart-{block.key or chart_number}"
                image = mark_safe(chart_svg(block, element_id=chart_id))  # noqa: S308 - our own SVG, its text escaped
                items.append(
                    {
                        "kind": "chart",
                        "id": chart_id,
                        "title": block.title,
                        "svg": image,
                        "table": _table(block.table, f"{chart_id}-data"),
                    }
                )
    closing = [_runs(p.runs, notes) for p in document.notes]
    toc = [
        {"id": item["id"], "text": item["text"]}
        for item in items
        if item["kind"] == "heading" and item["level"] == heading_level + 1
    ]
    return {
        "title": document.title,
        "subtitle": document.subtitle,
        "partnership_name": document.partnership_name,
        "period_label": document.period_label,
        "status_label": document.status_label,
        "published": document.published,
        "meta": document.meta,
        "title_level": heading_level,
        "sub_level": min(heading_level + 1, 6),
        "items": items,
        "toc": toc,
        "closing": closing,
        "closing_heading": document.notes_heading,
        "notes": [
            {"number": i, "text": text, "id": f"{id_prefix}note-{i}", "ref": f"{id_prefix}ref-{i}"}
            for i, text in enumerate(notes.texts, start=1)
        ],
        "language": document.language,
    }


def render_body(document: Document, *, heading_level: int = 2, id_prefix: str = "") -> str:
    """The document's body, for placing inside a GOV.UK page that has its own h1."""
    context = document_context(document, heading_level=heading_level, id_prefix=id_prefix)
    return render_to_string("reports/document/body.html", {"document": context})


def render_html(document: Document) -> str:
    """The document as a standalone HTML file (styles inline; charts as inline SVG)."""
    context = document_context(document, heading_level=1)
    return render_to_string(
        "reports/document/standalone.html",
        {"document": context, "standalone": True},
    )
