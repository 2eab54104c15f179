"""Generating a version's files, step by step, recording progress for the progress page.

`run_generation` is what the background task runs (see `tasks.py`). Each step saves the version's
`step` and `step_label` in its own write, so a page polling the version sees them as they happen
when a worker runs the task; the files are written at the end, all together. The builders and
renderers (`scrutiny.py`, `render_*.py`) are looked up here, in one place.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.core.text import strip_controls_deep
from safeguarding.reports.brief import BriefText, build_brief
from safeguarding.reports.document import Document
from safeguarding.reports.models import (
    FileFormat,
    Generation,
    Rendition,
    ReportFile,
    ReportKind,
    ReportVersion,
)

logger = logging.getLogger(__name__)

STEPS = {
    ReportKind.SCRUTINY: ("Counting reviews", "Drawing charts", "Writing Word", "Writing PDF"),
    ReportKind.BRIEF: ("Gathering the findings", "Writing HTML", "Writing Word", "Writing PDF"),
}


def steps_for(kind: str) -> tuple[str, ...]:
    return STEPS[ReportKind(kind)]


def _renderer(module: str, *names: str) -> Callable[[Document], Any]:
    mod = importlib.import_module(f"safeguarding.reports.{module}")
    for name in names:
        function = getattr(mod, name, None)
        if callable(function):
            return function
    raise ImportError(f"safeguarding.reports.{module} has none of {names}")


def _as_bytes(result: Any) -> bytes:
    if isinstance(result, bytes):
        return result
    if isinstance(result, str):
        return result.encode("utf-8")
    if hasattr(result, "getvalue"):
        return _as_bytes(result.getvalue())
    raise TypeError(f"A renderer returned {type(result).__name__}, not bytes or text")


def render(document: Document, fmt: str) -> bytes:
    """One document in one format, through the shared renderers."""
    # Text stored before the inputs stripped control characters: python-docx refuses them
    # (not XML), and no format should carry them.
    document = strip_controls_deep(document)
    if fmt == FileFormat.DOCX:
        return _as_bytes(_renderer("render_docx", "render_docx", "render")(document))
    if fmt == FileFormat.PDF:
        return _as_bytes(_renderer("render_pdf", "render_pdf", "render")(document))
    return _as_bytes(
        _renderer("render_html", "render_html_document", "render_html", "render")(document)
    )


# What `rendering.render_all` reports, and the step that starts then.
EVENT_STEPS = {"charts": 3, "docx": 4}
FORMATS = (FileFormat.HTML, FileFormat.DOCX, FileFormat.PDF)


def render_files(
    documents: Mapping[str, Document],
    formats: Sequence[str] = FORMATS,
    *,
    on_event: Callable[[str], None] | None = None,
) -> dict[tuple[str, str], bytes]:
    """Every document in every format, ``{(key, format): bytes}``: the path of the task, the
    page and the benchmark (`bench/reports.py`)."""
    from safeguarding.reports.rendering import render_all

    # `render` looked up now (not bound at import), so a test can replace it.
    return render_all(documents, formats, render=render, on_event=on_event)


def build_documents(version: ReportVersion) -> dict[str, Document]:
    """The draft and public renditions of the version, from what it was issued with."""
    report = version.report
    if report.kind == ReportKind.BRIEF:
        assert report.review is not None
        text = BriefText(
            summary=version.text.get("summary", ""), questions=version.text.get("questions", "")
        )
        return {
            Rendition.DRAFT: build_brief(review=report.review, text=text, published=False),
            Rendition.PUBLIC: build_brief(review=report.review, text=text, published=True),
        }
    # A period under three months is drafted for the business unit only: no public copy is
    # made, so there is none to publish or to read (see suppression.public_period_too_short).
    renditions = (
        (Rendition.DRAFT,)
        if version.period_too_short_to_publish
        else (Rendition.DRAFT, Rendition.PUBLIC)
    )
    return {
        rendition: scrutiny_document(version, published=rendition == Rendition.PUBLIC)
        for rendition in renditions
    }


def scrutiny_document(version: ReportVersion, *, published: bool) -> Document:
    """The scrutiny report for the version's period and filters (built by `scrutiny.py`)."""
    from safeguarding.reports import scrutiny

    report = version.report
    assert version.period_start is not None and version.period_end is not None
    return scrutiny.build_scrutiny_report(
        partnership=report.partnership,
        start=version.period_start,
        end=version.period_end,
        review_kinds=tuple(version.filters.get("review_kinds") or ()),
        agency_ids=tuple(version.filters.get("agency_ids") or ()),
        intro_text=version.text.get("introduction", ""),
        published=published,
        report_date=timezone.localdate(version.issued_at) if version.issued_at else None,
    )


def _step(version: ReportVersion, number: int) -> None:
    version.step = number
    version.step_label = steps_for(version.report.kind)[number - 1]
    version.generation = Generation.RUNNING
    version.save(update_fields=["step", "step_label", "generation"])


def run_generation(version_id: int, *, on_step: Callable[[int], None] | None = None) -> None:
    """Generate every file of a queued version. A failure marks the version failed (with a
    message for the page) rather than leaving it running for ever."""
    version = ReportVersion.objects.select_related("report", "report__partnership").get(
        pk=version_id
    )
    if version.generation == Generation.DONE:
        return

    def step(number: int) -> None:
        _step(version, number)
        if on_step is not None:
            on_step(number)

    try:
        # Progress is saved step by step outside any transaction, so a polling page sees it;
        # the files and the finished state are written together at the end.
        step(1)
        documents = build_documents(version)
        step(2)
        # Every file in one go, in two processes (`rendering.py`): charts drawn once, Word
        # and PDF side by side. Steps 3 and 4 as the charts and then the Word files are done.
        files = render_files(documents, on_event=lambda name: step(EVENT_STEPS[name]))
        with transaction.atomic():
            for (rendition, fmt), content in files.items():
                ReportFile.objects.create(
                    version=version,
                    rendition=rendition,
                    format=fmt,
                    content=content,
                    size=len(content),
                )
            public = documents.get(Rendition.PUBLIC)
            version.public_text = [list(p) for p in public.iter_text()] if public else []
            version.generation = Generation.DONE
            version.step_label = "Finished"
            version.finished_at = timezone.now()
            version.save()
    except Exception as error:
        logger.exception("Generating report version %s failed", version_id)
        version.generation = Generation.FAILED
        version.error = f"{type(error).__name__}: the report could not be generated"[:300]
        version.finished_at = timezone.now()
        version.save(update_fields=["generation", "error", "finished_at"])


def period_label(start: dt.date | None, end: dt.date | None) -> str:
    if start is None or end is None:
        return ""
    return f"{start:%-d %B %Y} to {end:%-d %B %Y}"
