"""Reading an uploaded CSV or XLSX file into rows of text, safely.

The type is decided by the content, never by the name. Before openpyxl sees an XLSX file its zip
directory is checked (member count, declared uncompressed size, compression ratio) and every XML
member is read once, bounded by those sizes, to refuse DTDs and entity declarations (a real
workbook has none; openpyxl parses worksheets with the standard library's expat, which would
otherwise expand internal entities). Every error the parsers can raise on a damaged or hostile
file becomes `ImportFileError` with a message for the user.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import ParseError

from django.conf import settings

from safeguarding.core.exports import unneutralise
from safeguarding.core.text import strip_controls

logger = logging.getLogger(__name__)

MB = 1024 * 1024
MAX_UPLOAD_BYTES: int = getattr(settings, "SRH_IMPORT_MAX_BYTES", 10 * MB)
MAX_UNCOMPRESSED_BYTES: int = getattr(settings, "SRH_IMPORT_MAX_UNCOMPRESSED_BYTES", 100 * MB)
MAX_ZIP_MEMBERS = 200
MAX_RATIO = 200  # uncompressed / compressed, per member; a zip bomb is far above
MAX_ROWS: int = getattr(settings, "SRH_IMPORT_MAX_ROWS", 20_000)
MAX_COLUMNS = 60
MAX_CELL_CHARS = 20_000

XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# What openpyxl and zipfile raise on random or damaged bytes (see STACK-NOTES.md), plus the XML
# parsers' errors.
PARSE_ERRORS: tuple[type[BaseException], ...] = (
    EOFError,
    KeyError,
    NotImplementedError,
    RuntimeError,
    UnicodeDecodeError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    zlib.error,
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    ParseError,
    csv.Error,
    RecursionError,
)
try:  # openpyxl parses the workbook part with lxml when it is installed
    from lxml.etree import LxmlError

    PARSE_ERRORS += (LxmlError,)
except ImportError:  # pragma: no cover
    pass


class ImportFileError(Exception):
    """The file as a whole cannot be read (the message says why, for the user)."""


@dataclass
class Table:
    file_type: str  # "csv" or "xlsx"
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)


def sniff(data: bytes) -> str:
    """ "csv" or "xlsx", by content; ImportFileError for anything else."""
    if not data:
        raise ImportFileError("The selected file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(f"The file must be smaller than {MAX_UPLOAD_BYTES // MB} MB")
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(OLD_EXCEL):
        raise ImportFileError(
            "The file is in the old Excel 97-2003 format: save it as an Excel workbook (.xlsx) "
            "or as CSV UTF-8"
        )
    if b"\x00" in data[:8192]:
        raise ImportFileError("The file must be a CSV or an Excel workbook (.xlsx)")
    return "csv"


def read_table(data: bytes) -> Table:
    """The header and rows of the file's first sheet. Blank rows are left out."""
    file_type = sniff(data)
    try:
        if file_type == "xlsx":
            _check_zip(data)
            cells = _xlsx_rows(data)
        else:
            cells = _csv_rows(data)
        return _table(file_type, cells)
    except ImportFileError:
        raise
    except UnicodeDecodeError as error:
        if file_type == "csv":
            raise ImportFileError(
                'The file is not UTF-8 text: in your spreadsheet choose "Save as" and "CSV UTF-8"'
            ) from error
        raise ImportFileError("The workbook is damaged and cannot be read") from error
    except PARSE_ERRORS as error:
        logger.info("Unreadable import file: %r", error)
        kind = "CSV file" if file_type == "csv" else "workbook"
        raise ImportFileError(f"The {kind} is damaged and cannot be read") from error
    except Exception as error:  # noqa: BLE001 - a hostile file must never cause a 500
        logger.warning("Unexpected error reading an import file", exc_info=True)
        raise ImportFileError("The file is damaged and cannot be read") from error


def _check_zip(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise ImportFileError("The workbook has too many parts to be a spreadsheet")
        names = {m.filename for m in members}
        if not all(name in names for name in XLSX_MEMBERS):
            raise ImportFileError(
                "The file is a zip archive but not an Excel workbook (.xlsx): save it from "
                "your spreadsheet as an Excel workbook or as CSV UTF-8"
            )
        total = sum(m.file_size for m in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise ImportFileError(
                f"The workbook expands to more than {MAX_UNCOMPRESSED_BYTES // MB} MB: split it "
                "into smaller files"
            )
        for member in members:
            if member.file_size > MB and member.file_size > MAX_RATIO * max(
                member.compress_size, 1
            ):
                raise ImportFileError("The workbook is compressed suspiciously: it was refused")
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                # zipfile stops at the declared size, so this is bounded by the check above.
                content = archive.read(member)
                if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
                    raise ImportFileError(
                        "The workbook contains XML declarations that a spreadsheet never "
                        "writes: it was refused"
                    )
    except ImportFileError:
        raise
    except PARSE_ERRORS as error:
        raise ImportFileError("The workbook is damaged and cannot be read") from error


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        if not book.worksheets:
            raise ImportFileError("The workbook has no worksheet")
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):  # type: ignore[call-arg]
            yield list(row)
    finally:
        book.close()


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    text = data.decode("utf-8-sig")
    yield from csv.reader(io.StringIO(text, newline=""), strict=False)


def cell_text(value: Any) -> str:
    """A cell as text: dates as YYYY-MM-DD, whole numbers without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        raise ImportFileError(f"A cell holds more than {MAX_CELL_CHARS} characters")
    # Control characters are dropped (safeguarding.core.text) before the apostrophe an export
    # put in front of a formula comes off.
    return unneutralise(strip_controls(text).strip())


def _table(file_type: str, source: Iterable[list[Any]]) -> Table:
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(source, start=1):
        if len(raw) > MAX_COLUMNS:
            raw = raw[:MAX_COLUMNS]
        while raw and raw[-1] is None:
            raw.pop()  # a workbook pads every row to the widest one
        cells = [cell_text(v) for v in raw]
        while cells and not cells[-1]:
            cells.pop()  # a workbook pads every row to the widest one
        if not any(cells):
            continue
        if header is None:
            header = cells
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(f"The file has more than {MAX_ROWS:,} rows: split it")
        rows.append((number, cells))
    if header is None:
        raise ImportFileError("The file has no header row")
    return Table(file_type=file_type, header=header, rows=rows)
