"""A neutral document model that every renderer (Word, HTML, PDF) takes.

A report is built once as a :class:`Document` of frozen dataclasses and then rendered; the
renderers never compute a figure and the builders never know about a file format. The same
model serves the scrutiny board report and the learning brief.

Shape::

    Document(title, subtitle, partnership_name, period_label, status_label, sections, notes)
      Section(heading, blocks, subsections)          # numbered 1, 1.1, ... when rendered
        Paragraph(runs, footnotes, style)            # runs: str | Link | Strong | Footnote
        BulletList(items)                            # each item: a tuple of runs
        Table(caption, header, rows, numeric_columns, totals, note)
        Chart(title, alt_text, categories, values, table)

Inline runs: plain ``str``; :class:`Link` (text and the URL of the records behind it;
renderers show just the text when ``url`` is empty); :class:`Strong`; :class:`Footnote`
(a note numbered in reading order, placed where it stands in the text). Table cells are an
``int``, ``float``, ``str``, :class:`Link`, :class:`Suppressed` or ``None`` (shown as a dash).

:meth:`Document.iter_text` yields every piece of text a reader could see, with a
human-readable location, so a document can be scanned (e.g. for identifying details) before
it is published. Text copied from a record carries its *source* (``Paragraph.source``,
``BulletList.sources``, ``Table.cell_sources``: "Partnership response 7 to theme 'Neglect',
field 'narrative'"), and the location names it, so a finding says which record and field to
put right, not only where it shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, TypeAlias

STATUS_DRAFT = "Draft"
STATUS_PUBLISHED = "Published"


@dataclass(frozen=True)
class Link:
    """Text that links to the records behind it. An empty ``url`` renders as plain text."""

    text: str
    url: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Strong:
    """Emphasised (bold) text."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Footnote:
    """A note attached at this point of the text; renderers number notes in reading order."""

    text: str

    def __str__(self) -> str:  # a footnote adds no text to the sentence it sits in
        return ""


@dataclass(frozen=True)
class Suppressed:
    """A small number withheld from a published version (or a value that would reveal one).

    ``symbol`` is what a reader sees; ``reason`` is explained in the table's note.
    """

    symbol: str = "[c]"
    reason: str = "suppressed: a small number, or one that would reveal a small number"

    def __str__(self) -> str:
        return self.symbol


Run: TypeAlias = str | Link | Strong | Footnote
Cell: TypeAlias = int | float | str | Link | Suppressed | None


def source(record: str, field: str) -> str:
    """The record and field a piece of text was copied from, as a location names it."""
    return f"{record}, field '{field}'"


def _at(where: str, origin: str) -> str:
    return f"{where} (from {origin})" if origin else where


def run_text(run: Run) -> str:
    """The visible text of one run (a footnote's marker is not text)."""
    return str(run)


def runs_text(runs: tuple[Run, ...]) -> str:
    return "".join(run_text(run) for run in runs)


def cell_text(cell: Cell) -> str:
    """A cell as a reader sees it: ``None`` is a dash, numbers are thousands-separated."""
    if cell is None:
        return "–"
    if isinstance(cell, bool):  # bool is an int; never a figure
        return "Yes" if cell else "No"
    if isinstance(cell, int):
        return f"{cell:,}"
    if isinstance(cell, float):
        return f"{cell:,.1f}"
    return str(cell)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of runs. ``footnotes`` are extra notes attached at its end.

    ``style``: ``"body"``, ``"lead"`` (an introduction), ``"quote"`` (a quotation) or
    ``"small"`` (a note under a figure).
    """

    runs: tuple[Run, ...]
    footnotes: tuple[str, ...] = ()
    style: Literal["body", "lead", "quote", "small"] = "body"
    source: str = ""  # the record and field the text was copied from (see ``source()``)

    @property
    def text(self) -> str:
        return runs_text(self.runs)

    def all_footnotes(self) -> tuple[str, ...]:
        inline = tuple(run.text for run in self.runs if isinstance(run, Footnote))
        return inline + self.footnotes


@dataclass(frozen=True)
class BulletList:
    """A bulleted list; each item is a tuple of runs."""

    items: tuple[tuple[Run, ...], ...]
    sources: tuple[str, ...] = ()  # one per item, "" where the item is not from a record

    def all_footnotes(self) -> tuple[str, ...]:
        return tuple(run.text for item in self.items for run in item if isinstance(run, Footnote))

    def source_of(self, index: int) -> str:
        return self.sources[index] if index < len(self.sources) else ""


@dataclass(frozen=True)
class Table:
    """A data table with a caption and one header row.

    The first column holds each row's label (a row header). ``numeric_columns`` are indexes
    of columns to right-align. ``totals`` is an optional last row (shown bold). ``note`` is
    shown under the table (e.g. what a suppressed cell means).
    """

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric_columns: frozenset[int] = frozenset()
    totals: tuple[Cell, ...] | None = None
    note: str = ""
    # Per row, per cell: the record and field a cell was copied from ("" where none).
    cell_sources: tuple[tuple[str, ...], ...] = ()

    def all_rows(self) -> tuple[tuple[Cell, ...], ...]:
        return self.rows + ((self.totals,) if self.totals is not None else ())

    def column_weights(self) -> list[int]:
        """Relative column widths for renderers: label columns by their longest text (within
        limits), numeric columns by their header's longest word, so no word is broken."""
        weights = []
        for j, header in enumerate(self.header):
            longest_word = max((len(w) for w in header.split()), default=4)
            if j in self.numeric_columns:
                # Header words are bold and a cell has padding: room for the longest word.
                weights.append(max(round(longest_word * 1.3), 6) + 3)
            else:
                texts = [cell_text(r[j]) for r in self.all_rows() if j < len(r)] + [header]
                weights.append(min(max(max(len(x) for x in texts), 10), 32))
        return weights

    def has_suppressed(self) -> bool:
        return any(isinstance(c, Suppressed) for row in self.all_rows() for c in row)


@dataclass(frozen=True)
class Chart:
    """A bar chart of counts, always shown with ``alt_text`` and its data ``table``.

    ``values`` may hold :class:`Suppressed`: the bar is left out and labelled with the symbol.
    ``horizontal`` suits long category names (themes).
    """

    title: str
    alt_text: str
    categories: tuple[str, ...]
    values: tuple[int | Suppressed, ...]
    table: Table
    value_label: str = "Number"
    horizontal: bool = False
    # A stable name for the image file (e.g. "age-band"); renderers derive it if empty.
    key: str = ""


Block: TypeAlias = Paragraph | BulletList | Table | Chart


@dataclass(frozen=True)
class Section:
    """A headed part of the document. Renderers number top-level sections 1, 2, ... and
    subsections 1.1, 1.2, ... when :attr:`Document.numbered` is true."""

    heading: str
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()
    # An anchor for links within the HTML (e.g. "themes"); renderers derive one if empty.
    anchor: str = ""


@dataclass(frozen=True)
class Document:
    """A whole report.

    ``meta`` holds labelled lines shown under the title (e.g. ("Report to", "Scrutiny
    board")). ``notes`` are closing paragraphs (e.g. how the figures were counted), under the
    heading ``notes_heading``.
    ``published`` is true for a version meant for the public: no links to records, small
    numbers suppressed (the builder's job; renderers only show what they are given).
    """

    title: str
    subtitle: str
    partnership_name: str
    period_label: str
    status_label: str
    sections: tuple[Section, ...]
    notes: tuple[Paragraph, ...] = ()
    meta: tuple[tuple[str, str], ...] = ()
    published: bool = False
    numbered: bool = True
    language: str = "en-GB"
    notes_heading: str = "About the figures"

    # -- navigation -------------------------------------------------------------------------

    def walk(self) -> Iterator[tuple[str, int, Section]]:
        """Every section in reading order as (number such as "4.2", depth from 1, section)."""

        def visit(sections: tuple[Section, ...], prefix: str, depth: int) -> Iterator:
            for i, section in enumerate(sections, start=1):
                number = f"{prefix}{i}"
                yield number, depth, section
                yield from visit(section.subsections, number + ".", depth + 1)

        yield from visit(self.sections, "", 1)

    def footnotes(self) -> list[str]:
        """Every footnote in reading order (renderers number them 1, 2, ... in this order)."""
        notes: list[str] = []
        for _number, _depth, section in self.walk():
            for block in section.blocks:
                if isinstance(block, Paragraph | BulletList):
                    notes.extend(block.all_footnotes())
        for paragraph in self.notes:
            notes.extend(paragraph.all_footnotes())
        return notes

    def tables(self) -> Iterator[Table]:
        """Every table, including charts' data tables, in reading order."""
        for _number, _depth, section in self.walk():
            for block in section.blocks:
                if isinstance(block, Table):
                    yield block
                elif isinstance(block, Chart):
                    yield block.table

    def section_label(self, number: str, section: Section) -> str:
        return f"{number}. {section.heading}" if self.numbered else section.heading

    # -- text for scanning -------------------------------------------------------------------

    def iter_text(self) -> Iterator[tuple[str, str]]:
        """Yield ``(where, text)`` for every piece of text a reader of any rendering sees.

        ``where`` is a human location such as ``"Section 4.2 'Professional curiosity',
        paragraph 2"`` or ``"Table 'Reviews by age band', row 3"``. Footnotes, link texts,
        table captions, headers and cells, chart titles, alt text and categories are all
        included; link URLs are not (they are not text a reader reads).
        """
        yield "Title", self.title
        if self.subtitle:
            yield "Subtitle", self.subtitle
        yield "Partnership name", self.partnership_name
        yield "Period", self.period_label
        yield "Status", self.status_label
        for label, value in self.meta:
            yield f"Heading details '{label}'", f"{label}: {value}"
        for number, _depth, section in self.walk():
            where = f"Section {number} '{section.heading}'"
            yield f"{where}, heading", section.heading
            yield from _blocks_text(where, section.blocks)
        for i, paragraph in enumerate(self.notes, start=1):
            yield f"Notes, paragraph {i}", paragraph.text
            for j, note in enumerate(paragraph.all_footnotes(), start=1):
                yield f"Notes, paragraph {i}, footnote {j}", note

    def plain_text(self) -> str:
        """All the text of :meth:`iter_text`, one piece a line (for tests and search)."""
        return "\n".join(text for _where, text in self.iter_text())


def _blocks_text(where: str, blocks: tuple[Block, ...]) -> Iterator[tuple[str, str]]:
    counts = {"paragraph": 0, "list": 0}
    for block in blocks:
        if isinstance(block, Paragraph):
            counts["paragraph"] += 1
            here = f"{where}, paragraph {counts['paragraph']}"
            yield _at(here, block.source), block.text
            for j, note in enumerate(block.all_footnotes(), start=1):
                yield f"{here}, footnote {j}", note
        elif isinstance(block, BulletList):
            counts["list"] += 1
            for j, item in enumerate(block.items, start=1):
                here = f"{where}, list {counts['list']}, item {j}"
                yield _at(here, block.source_of(j - 1)), runs_text(item)
                for k, run in enumerate((r for r in item if isinstance(r, Footnote)), start=1):
                    yield f"{here}, footnote {k}", run.text
        elif isinstance(block, Table):
            yield from _table_text(block)
        elif isinstance(block, Chart):
            yield f"Chart '{block.title}', title", block.title
            yield f"Chart '{block.title}', alt text", block.alt_text
            for j, category in enumerate(block.categories, start=1):
                yield f"Chart '{block.title}', category {j}", category
            yield from _table_text(block.table)


def _table_text(table: Table) -> Iterator[tuple[str, str]]:
    where = f"Table '{table.caption}'"
    yield f"{where}, caption", table.caption
    yield f"{where}, header", " | ".join(table.header)
    for i, row in enumerate(table.rows, start=1):
        sources = table.cell_sources[i - 1] if i <= len(table.cell_sources) else ()
        if not any(sources):
            yield f"{where}, row {i}", " | ".join(cell_text(c) for c in row)
            continue
        # Cells copied from a record are read on their own, so a finding names that record.
        plain = [cell_text(c) for j, c in enumerate(row) if j >= len(sources) or not sources[j]]
        if plain:
            yield f"{where}, row {i}", " | ".join(plain)
        for j, (cell, origin) in enumerate(zip(row, sources, strict=False)):
            if origin:
                column = table.header[j] if j < len(table.header) else f"column {j + 1}"
                yield _at(f"{where}, row {i}, '{column}'", origin), cell_text(cell)
    if table.totals is not None:
        yield f"{where}, totals row", " | ".join(cell_text(c) for c in table.totals)
    if table.note:
        yield f"{where}, note", table.note
