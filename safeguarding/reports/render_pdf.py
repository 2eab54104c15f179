"""Render a Document as PDF with WeasyPrint, from the standalone HTML and its print styles
(A4, "Page n of m" in the footer, the status beside it).

Charts are ``<img src="chart:NAME">`` in the print HTML; the fetcher here serves them with the
chart's PNG (`charts.chart_png`: drawn once, or by the other process of `rendering.py`). It
fetches nothing else but ``data:`` URLs: no files, no network.
"""

from __future__ import annotations

import logging
from typing import Any

from safeguarding.reports.charts import chart_id, chart_png
from safeguarding.reports.document import Chart, Document
from safeguarding.reports.render_html import render_html

# WeasyPrint logs each layout step, and every SVG presentation property its CSS parser does
# not know (the SVG renderer still draws them): noise in the logs, not problems.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def document_charts(document: Document) -> list[Chart]:
    """The document's charts in reading order, each once."""
    seen: dict[Chart, None] = {}
    for _number, _depth, section in document.walk():
        for block in section.blocks:
            if isinstance(block, Chart):
                seen.setdefault(block)
    return list(seen)


def _fetcher(document: Document) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    charts = {chart_id(chart): chart for chart in document_charts(document)}

    class ChartFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("chart:"):
                png = chart_png(charts[url.removeprefix("chart:")])
                return URLFetcherResponse(url, png, {"Content-Type": "image/png"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"A report fetches no {url.split(':')[0]}: URL")

    return ChartFetcher(allowed_protocols=("chart", "data"), fail_on_errors=True)


def render_pdf(document: Document) -> bytes:
    """The document as the bytes of a PDF file."""
    from weasyprint import HTML  # imported here: it loads Pango, which takes a moment

    html = render_html(document, for_print=True)
    result = HTML(string=html, url_fetcher=_fetcher(document)).write_pdf()
    assert result is not None  # noqa: S101 - with no target, WeasyPrint returns the bytes
    return bytes(result)
