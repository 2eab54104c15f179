"""Render a Document as PDF with WeasyPrint, from the standalone HTML and its print styles
(A4, "Page n of m" in the footer, the status beside it)."""

from __future__ import annotations

import logging

from safeguarding.reports.document import Document
from safeguarding.reports.render_html import render_html

# WeasyPrint logs each layout step, and every SVG presentation property its CSS parser does
# not know (the SVG renderer still draws them): noise in the logs, not problems.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def render_pdf(document: Document) -> bytes:
    """The document as the bytes of a PDF file."""
    from weasyprint import HTML  # imported here: it loads Pango, which takes a moment

    html = render_html(document, for_print=True)
    result = HTML(string=html).write_pdf()
    assert result is not None  # noqa: S101 - with no target, WeasyPrint returns the bytes
    return bytes(result)
