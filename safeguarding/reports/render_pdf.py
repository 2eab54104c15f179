"""Render a Document as PDF with ReportLab's page layout engine (platypus).

A4, the partnership and title, the status and the report's details, a contents list, numbered
headings, paragraphs with footnote markers, bullet lists, tables with a repeating header row
and a caption (a totals row above a rule), each chart as its PNG (the same image as in the
Word file: `charts.chart_png`, drawn once, see `rendering.py`) followed by its data table, and
"Page n of m" with the status in every page's footer. Footnotes are numbered notes at the end,
as in the Word file. Figures are never computed here: every text comes from the Document.

ReportLab lays out an 18-page report in about a sixth of the time WeasyPrint took from the
print HTML (see bench/README.md). It draws only what it is given: it fetches no URL and reads
no file but the bundled font. The PDF is not tagged (nor was WeasyPrint's); the HTML version
is the accessible one to publish, and the Word file is the one to edit.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from safeguarding.reports.charts import chart_png
from safeguarding.reports.document import (
    Block,
    BulletList,
    Chart,
    Document,
    Footnote,
    Paragraph,
    Run,
    Strong,
    Table,
    cell_text,
)

BLACK, GREY, RULE = "#0b0c0c", "#505a5f", "#b1b4b6"
MM = 72 / 25.4
MARGINS = {"left": 16 * MM, "right": 16 * MM, "top": 18 * MM, "bottom": 20 * MM}
CHART_WIDTH = 0.8  # of the text width
CELL_PADDING = 6  # points, right of each cell

_fonts_lock = threading.Lock()
_fonts_ready = False


def document_charts(document: Document) -> list[Chart]:
    """The document's charts in reading order, each once."""
    seen: dict[Chart, None] = {}
    for _number, _depth, section in document.walk():
        for block in section.blocks:
            if isinstance(block, Chart):
                seen.setdefault(block)
    return list(seen)


def _register_fonts() -> None:
    """DejaVu Sans, from matplotlib's own files: the same font on every machine, with the
    glyphs of names in any European language, embedded (subset) in the PDF."""
    global _fonts_ready
    with _fonts_lock:
        if _fonts_ready:
            return
        import matplotlib
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont("Report", str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("Report-Bold", str(fonts / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(
            "Report", normal="Report", bold="Report-Bold", italic="Report", boldItalic="Report-Bold"
        )
        _fonts_ready = True


def _styles() -> dict[str, Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle as S

    body = S("body", fontName="Report", fontSize=9.5, leading=13.5, textColor=HexColor(BLACK))
    body.spaceAfter = 6
    bold = {"fontName": "Report-Bold"}
    heading = {**bold, "keepWithNext": 1}
    styles = {
        "body": body,
        "lead": S("lead", body, fontSize=11.5, leading=16, spaceAfter=8),
        "small": S("small", body, fontSize=8.5, leading=12),
        "quote": S("quote", body, spaceAfter=0),
        "caption": S("caption", body, fontSize=12, leading=15, textColor=HexColor(GREY)),
        "title": S("title", body, fontSize=20, leading=24, **bold),
        "tag": S("tag", body, fontSize=9, **bold),
        "h1": S("h1", body, fontSize=15, leading=19, spaceBefore=14, **heading),
        "h2": S("h2", body, fontSize=12, leading=15, spaceBefore=10, **heading),
        "h3": S("h3", body, fontSize=10, leading=13, spaceBefore=8, spaceAfter=3, **heading),
        "meta": S("meta", body, spaceAfter=1),
        "contents": S("contents", body, leftIndent=10, spaceAfter=1),
        "bullet": S("bullet", body, leftIndent=14, bulletIndent=3, spaceAfter=3),
        "note": S("note", body, fontSize=8.5, leading=12, leftIndent=16, bulletIndent=0),
        "table-caption": S("table-caption", body, spaceBefore=4, spaceAfter=3, **heading),
        "cell": S("cell", body, fontSize=8.5, leading=10.5, spaceAfter=0),
    }
    styles["cell-bold"] = S("cell-bold", styles["cell"], **bold)
    styles["cell-num"] = S("cell-num", styles["cell"], alignment=TA_RIGHT)
    styles["cell-num-bold"] = S("cell-num-bold", styles["cell-num"], **bold)
    return styles


class _Layout:
    """The flowables of one document, with its footnotes numbered in reading order."""

    def __init__(self, width: float) -> None:
        from reportlab import platypus

        self.p = platypus
        self.styles = _styles()
        self.width = width
        self.notes: list[str] = []
        self.story: list[Any] = []

    def para(self, markup: str, style: str, **kwargs: Any) -> Any:
        return self.p.Paragraph(markup, self.styles[style], **kwargs)

    def add(self, markup: str, style: str, **kwargs: Any) -> None:
        self.story.append(self.para(markup, style, **kwargs))

    def marker(self, text: str) -> str:
        self.notes.append(text)
        return f"<super>{len(self.notes)}</super>"

    def runs(self, runs: tuple[Run, ...]) -> str:
        out = []
        for run in runs:
            if isinstance(run, Strong):
                out.append(f"<b>{escape(run.text)}</b>")
            elif isinstance(run, Footnote):
                out.append(self.marker(run.text))
            else:  # plain text, or a Link's text (a printed page cannot follow it)
                out.append(escape(str(run)))
        return "".join(out)

    def ruled(self, flowable: Any, colour: str, width: float, padding: float) -> Any:
        """A flowable with a rule down its left side (inset text, the contents list)."""
        box = self.p.Table([[flowable]], colWidths=[self.width], hAlign="LEFT")
        box.setStyle(
            [
                ("LINEBEFORE", (0, 0), (0, 0), width, colour),
                ("LEFTPADDING", (0, 0), (0, 0), padding),
                ("TOPPADDING", (0, 0), (0, 0), 4),
                ("BOTTOMPADDING", (0, 0), (0, 0), 4),
            ]
        )
        return box

    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            markup = self.runs(block.runs) + "".join(self.marker(t) for t in block.footnotes)
            paragraph = self.para(markup, block.style)
            if block.style == "quote":
                self.story += [self.ruled(paragraph, RULE, 6, 12), self.p.Spacer(1, 8)]
            else:
                self.story.append(paragraph)
        elif isinstance(block, BulletList):
            for item in block.items:
                self.add(self.runs(item), "bullet", bulletText="•")
            self.story.append(self.p.Spacer(1, 4))
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Chart):
            self.chart(block)

    def widths(self, table: Table) -> list[float]:
        """Column widths in points: the table's relative weights, with each column at least as
        wide as its longest header word (bold) and, for figures, its widest figure, so that no
        word is broken; label columns give up what the others need."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        size, pad = self.styles["cell"].fontSize, CELL_PADDING + 1
        floors = []
        for j, header in enumerate(table.header):
            words = [stringWidth(w, "Report-Bold", size) for w in header.split()] or [0.0]
            if j in table.numeric_columns:
                words += [
                    stringWidth(cell_text(row[j]), "Report-Bold", size)
                    for row in table.all_rows()
                    if j < len(row)
                ]
            floors.append(max(words) + pad)
        weights = table.column_weights()
        widths = [
            max(self.width * w / sum(weights), f) for w, f in zip(weights, floors, strict=True)
        ]
        excess = sum(widths) - self.width
        labels = [j for j in range(len(widths)) if j not in table.numeric_columns]
        spare = sum(widths[j] - floors[j] for j in labels)
        if excess > 0 and spare > 0:
            for j in labels:
                widths[j] -= excess * (widths[j] - floors[j]) / spare
        return widths

    def table(self, table: Table) -> None:
        widths = self.widths(table)
        totals_at = len(table.rows) + 1 if table.totals is not None else -1
        numeric = table.numeric_columns

        def cell(text: str, j: int, bold: bool) -> Any:
            style = ("cell-num" if j in numeric else "cell") + ("-bold" if bold else "")
            return self.para(escape(text), style)

        data = [[cell(text, j, True) for j, text in enumerate(table.header)]]
        for i, row in enumerate(table.all_rows(), start=1):
            data.append([cell(cell_text(v), j, i == totals_at) for j, v in enumerate(row)])
        grid = self.p.Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
        style: list[tuple[Any, ...]] = [
            ("LINEBELOW", (0, 0), (-1, -1), 0.75, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if totals_at > 0:
            style.append(("LINEABOVE", (0, totals_at), (-1, totals_at), 1.5, BLACK))
        grid.setStyle(style)
        self.add(escape(table.caption), "table-caption")
        self.story.append(grid)
        if table.note:
            self.add(escape(table.note), "small")
        self.story.append(self.p.Spacer(1, 8))

    def chart(self, chart: Chart) -> None:
        from reportlab.lib.utils import ImageReader

        png = chart_png(chart)
        pixels_wide, pixels_high = ImageReader(io.BytesIO(png)).getSize()
        wide = self.width * CHART_WIDTH
        image = self.p.Image(io.BytesIO(png), width=wide, height=wide * pixels_high / pixels_wide)
        image.hAlign = "LEFT"
        heading = self.para(escape(f"Chart: {chart.title}"), "table-caption")
        # The PDF is not tagged, so an image cannot carry its text alternative: it is printed
        # under the chart (as Word keeps it in the picture's description), then the data table.
        alt = self.para(escape(chart.alt_text), "small")
        self.story.append(self.p.KeepTogether([heading, image, alt]))
        self.table(chart.table)


def _canvas_class(status: str) -> Any:
    """A canvas that holds its pages until the end, so that each footer can say "of m"."""
    from reportlab.pdfgen.canvas import Canvas

    class FooteredCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                self.setFont("Report", 8)
                self.setFillColor(GREY)
                y = MARGINS["bottom"] / 2
                self.drawString(MARGINS["left"], y, status)
                page = f"Page {self._pageNumber} of {total}"
                self.drawCentredString(self._pagesize[0] / 2, y, page)
                super().showPage()
            super().save()

    return FooteredCanvas


def render_pdf(document: Document) -> bytes:
    """The document as the bytes of a PDF file."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    _register_fonts()
    layout = _Layout(A4[0] - MARGINS["left"] - MARGINS["right"])
    layout.add(escape(document.partnership_name), "caption")
    layout.add(escape(document.title), "title")
    if document.subtitle:
        layout.add(escape(document.subtitle), "lead")
    layout.add(escape(document.status_label), "tag")
    for label, value in document.meta:
        layout.add(f"<b>{escape(label)}</b>   {escape(value)}", "meta")
    layout.story.append(layout.p.Spacer(1, 8))
    contents = [layout.para("<b>Contents</b>", "body")] + [
        layout.para(escape(document.section_label(number, section)), "contents")
        for number, depth, section in document.walk()
        if depth == 1
    ]
    layout.story.append(layout.ruled(contents, RULE, 4, 10))
    for number, depth, section in document.walk():
        layout.add(escape(document.section_label(number, section)), f"h{min(depth, 3)}")
        for block in section.blocks:
            layout.block(block)
    if document.notes:
        layout.add(escape(document.notes_heading), "h2")
        for paragraph in document.notes:
            layout.add(layout.runs(paragraph.runs), "small")
    if layout.notes:
        layout.add("Notes", "h2")
        for i, text in enumerate(layout.notes, start=1):
            layout.add(escape(text), "note", bulletText=f"{i}.")
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=f"{document.title}: {document.partnership_name}",
        author=document.partnership_name,
        subject=f"{document.period_label} ({document.status_label})",
        creator="Safeguarding Review Hub",
        lang=document.language,
    ).build(layout.story, canvasmaker=_canvas_class(document.status_label))
    return out.getvalue()
