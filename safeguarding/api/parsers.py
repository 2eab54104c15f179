"""The API's JSON parser: a body it cannot read is a 400 with a reason, never a 500.

DRF's JSONParser turns a JSON syntax error into a 400, but Python's json module raises
RecursionError on deeply nested input (``[[[[...]]]]`` 5,000 deep) and can raise other
ValueErrors (a number too long to convert), which reached the server as a 500.
"""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
