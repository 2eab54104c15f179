"""Control characters out of stored text.

Nobody types a control character, but a pasted document or a client's bug can send one, and
each output breaks on it in its own way: a workbook or a Word file cannot hold most of them at
all (XML 1.0 refuses them, so openpyxl and python-docx raise), and a spreadsheet runs
`\\x01=HYPERLINK(...)` as a formula once a writer drops the `\\x01`. So the inputs (the GOV.UK
form base, the API's text field, the spreadsheet and taxonomy imports) strip them, and the
outputs strip them again for anything stored before.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

# C0 controls other than tab, line feed and carriage return (NUL included), DEL, the C1 range,
# and what else XML 1.0 cannot hold: lone surrogates, U+FFFE and U+FFFF.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\t\r\n]")


# The longest text a form's text area or the API's text field takes (a finding, a summary, a
# rationale): some pages of a review, far more than any field needs, and a bound on what one
# request can store. A field with a shorter maximum of its own (its model's max_length, the
# comment form's 4,000) keeps that.
TEXT_MAX_LENGTH = 20_000


def strip_controls(text: str, *, multiline: bool = True) -> str:
    """The text without control characters. Multi-line text keeps its tabs and line breaks;
    in a single-line value they become spaces."""
    text = CONTROL_CHARACTERS.sub("", text)
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    return text


def has_controls(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def strip_controls_deep(value: Any) -> Any:
    """A copy of `value` (text, or dataclasses, tuples, lists and dicts holding text) without
    control characters: for a document built from records stored before the inputs stripped
    them."""
    if isinstance(value, str):
        return strip_controls(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: strip_controls_deep(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        items = [strip_controls_deep(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, list):
        return [strip_controls_deep(v) for v in value]
    if isinstance(value, dict):
        return {k: strip_controls_deep(v) for k, v in value.items()}
    return value
