"""Render a Document as an editable Word file (.docx) with python-docx.

Real headings (Title, Heading 1/2/3 styles, so Word's navigation pane works), tables with a
repeating header row and a caption, chart images with their alt text in ``docPr descr`` and
the data table after them, links to records as real hyperlinks, and footnotes as numbered
notes at the end (python-docx has no footnotes API).
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from safeguarding.reports.charts import chart_png
from safeguarding.reports.document import (
    Block,
    BulletList,
    Cell,
    Chart,
    Document,
    Footnote,
    Link,
    Paragraph,
    Run,
    Strong,
    Table,
    cell_text,
)

TABLE_TEXT = Pt(9)
TEXT_WIDTH_CM = 16.5


class _Notes:
    """Numbers footnotes in reading order (and keeps the document's styles at hand: looking a
    style up by name walks every style, which dominates a long document's rendering)."""

    def __init__(self, doc: Any = None) -> None:
        self.texts: list[str] = []
        self._styles: dict[str, Any] = {}
        self._doc = doc

    def style(self, name: str | None) -> Any:
        if name is None:
            return None
        if name not in self._styles:
            self._styles[name] = self._doc.styles[name]
        return self._styles[name]

    def para(self, text: str = "", name: str | None = None) -> Any:
        """A new paragraph in the named style. The style id is written straight into the
        paragraph: python-docx's `style=` setter looks for the default style among all of them
        on every call, which was half of the time of a long report."""
        paragraph = self._doc.add_paragraph(text)
        if name is not None:
            paragraph._p.get_or_add_pPr().style = self.style(name).style_id
        return paragraph

    def add(self, text: str) -> int:
        self.texts.append(text)
        return len(self.texts)


def _hyperlink(paragraph: DocxParagraph, text: str, url: str, *, bold: bool = False) -> None:
    part = paragraph.part
    r_id = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    props.append(style)
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "1D70B8")
    props.append(colour)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(underline)
    if bold:
        props.append(OxmlElement("w:b"))
    run.append(props)
    text_el = OxmlElement("w:t")
    text_el.text = text
    text_el.set(qn("xml:space"), "preserve")
    run.append(text_el)
    link.append(run)
    paragraph._p.append(link)


def _runs(paragraph: DocxParagraph, runs: tuple[Run, ...], notes: _Notes) -> None:
    for run in runs:
        if isinstance(run, Link):
            if run.url:
                _hyperlink(paragraph, run.text, run.url)
            else:
                paragraph.add_run(run.text)
        elif isinstance(run, Strong):
            paragraph.add_run(run.text).bold = True
        elif isinstance(run, Footnote):
            _marker(paragraph, notes.add(run.text))
        else:
            paragraph.add_run(str(run))


def _marker(paragraph: DocxParagraph, number: int) -> None:
    marker = paragraph.add_run(str(number))
    marker.font.superscript = True


def _cell(paragraph: DocxParagraph, value: Cell, *, bold: bool = False) -> None:
    if isinstance(value, Link) and value.url:
        _hyperlink(paragraph, value.text, value.url, bold=bold)
    else:
        paragraph.add_run(cell_text(value)).bold = bold or None


def _widths(table: Table) -> list[Cm]:
    weights = table.column_weights()
    scale = TEXT_WIDTH_CM / sum(weights)
    return [Cm(w * scale) for w in weights]


def _repeat_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(doc: Any, table: Table, notes: _Notes) -> None:
    caption = notes.para(table.caption, "Caption")
    caption.paragraph_format.keep_with_next = True
    rows = table.all_rows()
    t = doc.add_table(rows=1 + len(rows), cols=len(table.header))
    t.style = notes.style("Table Grid")
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    t.autofit = False
    widths = _widths(table)
    for j, column in enumerate(t.columns):  # the grid (LibreOffice reads it) ...
        column.width = widths[j]
    grid = [row.cells for row in t.rows]  # ... and each cell (Word does); .cells walks a row
    for cells in grid:
        for j, cell in enumerate(cells):
            cell.width = widths[j]
    for j, text in enumerate(table.header):
        p = grid[0][j].paragraphs[0]
        run = p.add_run(text)
        run.bold = True
        run.font.size = TABLE_TEXT
        if j in table.numeric_columns:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _repeat_header(t.rows[0])
    totals_index = len(table.rows) if table.totals is not None else -1
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            p = grid[i + 1][j].paragraphs[0]
            _cell(p, value, bold=(i == totals_index))
            for run in p.runs:
                run.font.size = TABLE_TEXT
            if j in table.numeric_columns:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if table.note:
        note = doc.add_paragraph(table.note)
        note.runs[0].font.size = Pt(8)
    else:
        doc.add_paragraph()


def _chart(doc: Any, chart: Chart, number: int, notes: _Notes) -> None:
    heading = notes.para(f"Chart: {chart.title}", "Caption")
    heading.paragraph_format.keep_with_next = True
    p = doc.add_paragraph()
    p.add_run().add_picture(io.BytesIO(chart_png(chart)), width=Cm(15.5))
    for doc_pr in p._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", chart.alt_text)
        doc_pr.set("title", chart.title)
        doc_pr.set("name", f"Chart {number}: {chart.title}")
    _table(doc, chart.table, notes)


def _block(doc: Any, block: Block, notes: _Notes, counter: list[int]) -> None:
    if isinstance(block, Paragraph):
        style = {"quote": "Quote", "small": None, "lead": None}.get(block.style)
        p = notes.para("", style)
        _runs(p, block.runs, notes)
        for text in block.footnotes:
            _marker(p, notes.add(text))
        if block.style == "small":
            for run in p.runs:
                run.font.size = Pt(9)
    elif isinstance(block, BulletList):
        for item in block.items:
            p = notes.para("", "List Bullet")
            _runs(p, item, notes)
    elif isinstance(block, Table):
        _table(doc, block, notes)
    elif isinstance(block, Chart):
        counter[0] += 1
        _chart(doc, block, counter[0], notes)


def _set_language(doc: Any, language: str) -> None:
    styles = doc.styles.element
    r_pr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), language)


def render_docx(document: Document) -> bytes:
    """The document as the bytes of a .docx file."""
    doc = new_docx()
    _set_language(doc, document.language)
    props = doc.core_properties
    props.title = document.title
    props.subject = f"{document.partnership_name}: {document.period_label}"
    props.author = document.partnership_name
    props.keywords = document.status_label
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"  # type: ignore[attr-defined]
    normal.font.size = Pt(11)  # type: ignore[attr-defined]
    section = doc.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    footer = section.footer.paragraphs[0]
    footer.text = f"{document.partnership_name} · {document.title} · {document.status_label}"
    footer.runs[0].font.size = Pt(8)

    doc.add_paragraph(document.partnership_name).runs[0].bold = True
    doc.add_heading(document.title, level=0)  # the Title style
    if document.subtitle:
        doc.add_paragraph(document.subtitle, style="Subtitle")
    for label, value in document.meta:
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
        p.paragraph_format.space_after = Pt(0)
    status = doc.add_paragraph()
    status.add_run(f"Status: {document.status_label}").bold = True

    notes = _Notes(doc)
    counter = [0]
    for number, depth, sec in document.walk():
        label = document.section_label(number, sec)
        notes.para(label, f"Heading {min(depth, 3)}")
        for block in sec.blocks:
            _block(doc, block, notes, counter)
    if document.notes:
        notes.para(document.notes_heading, "Heading 1")
        for paragraph in document.notes:
            _block(doc, paragraph, notes, counter)
    if notes.texts:
        notes.para("Notes", "Heading 1")
        for i, text in enumerate(notes.texts, start=1):
            p = doc.add_paragraph()
            p.add_run(f"{i}. ").bold = True
            p.add_run(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
