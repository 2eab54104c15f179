"""Rendering Word, PDF and HTML in two processes (`rendering.render_all`), as the generation
task and the benchmark do: the same files as one process would write, the progress events in
order, and a clean fall back to one process when the child cannot deliver."""

from __future__ import annotations

import io
import logging
import os

import pytest
from docx import Document as WordFile
from pypdf import PdfReader

from safeguarding.accounts.models import Partnership
from safeguarding.reports import charts, generation
from safeguarding.reports.document import Chart, Document, Paragraph, Section, Table
from safeguarding.reports.rendering import render_all

FORMATS = ("html", "docx", "pdf")


def _document(name: str, counts: tuple[int, ...]) -> Document:
    kinds = ("Rapid review", "Local learning review", "Multi-agency audit")
    table = Table(
        caption="Reviews by type",
        header=("Type of review", "Number"),
        rows=tuple((k, n) for k, n in zip(kinds, counts, strict=True)),
        numeric_columns=frozenset({1}),
    )
    chart = Chart(
        title="Reviews by type",
        alt_text=f"Bar chart: {', '.join(f'{k} {n}' for k, n in zip(kinds, counts, strict=True))}.",
        categories=kinds,
        values=counts,
        table=table,
        key="by-type",
    )
    return Document(
        title="Cross cutting themes from review processes",
        subtitle="",
        partnership_name=name,
        period_label="1 May 2021 to 31 December 2022",
        status_label="Draft",
        sections=(Section("Review processes", (Paragraph(("Counts by type of review.",)), chart)),),
    )


def _read(files: dict[tuple[str, str], bytes]) -> dict[tuple[str, str], str]:
    """What a reader sees in each file: the PDF's text and page count, the Word file's
    paragraphs and tables, the HTML."""
    seen = {}
    for (key, fmt), content in files.items():
        if fmt == "pdf":
            pdf = PdfReader(io.BytesIO(content))
            # Words as a reader meets them: a table's cells are extracted one per line.
            text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
            seen[(key, fmt)] = f"{len(pdf.pages)} pages: {text}"
        elif fmt == "docx":
            word = WordFile(io.BytesIO(content))
            cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
            images = f"{len(word.inline_shapes)} chart images"
            seen[(key, fmt)] = "\n".join([*(p.text for p in word.paragraphs), *cells, images])
        else:
            seen[(key, fmt)] = content.decode("utf-8")
    return seen


@pytest.fixture
def documents() -> dict[str, Document]:
    charts.clear_caches()
    return {
        "north": _document("North partnership", (9, 3, 3)),
        "south": _document("South", (4, 7, 1)),
    }


def test_two_processes_write_what_one_process_writes_and_report_progress_in_order(documents):
    events: list[str] = []
    both = render_all(
        documents, FORMATS, render=generation.render, on_event=events.append, parallel=True
    )
    charts.clear_caches()
    one = render_all(documents, FORMATS, render=generation.render, parallel=False)
    assert set(both) == {(k, f) for k in documents for f in FORMATS}
    assert _read(both) == _read(one)
    assert events == ["charts", "docx"]
    north_pdf = _read(both)[("north", "pdf")]
    assert "North partnership" in north_pdf and "Rapid review 9" in north_pdf
    assert "Local learning review 7" in _read(both)[("south", "pdf")]
    # Each Word file carries its chart, drawn once per chart and shared with the PDF.
    assert _read(both)[("south", "docx")].endswith("\n1 chart images")


@pytest.mark.django_db
def test_the_child_may_not_query_the_database_and_the_parent_then_renders_it_all(documents, caplog):
    parent = os.getpid()
    queried_in: list[int] = []

    def render_with_a_query(document: Document, fmt: str) -> bytes:
        # Allowed in the parent; refused in the child, which then reports failure.
        Partnership.objects.count()
        queried_in.append(os.getpid())
        return generation.render(document, fmt)

    with caplog.at_level(logging.WARNING, logger="safeguarding.reports.rendering"):
        files = render_all(documents, FORMATS, render=render_with_a_query, parallel=True)
    assert set(queried_in) == {parent}
    assert len(files) == 6 and all(files.values())
    assert "must not query the database" in caplog.text
    assert _read(files) == _read(render_all(documents, FORMATS, render=generation.render))


def test_a_failing_renderer_fails_the_whole_rendering(documents):
    def broken(document: Document, fmt: str) -> bytes:
        raise RuntimeError("no fonts")

    with pytest.raises(RuntimeError, match="no fonts"):
        render_all(documents, FORMATS, render=broken, parallel=True)
