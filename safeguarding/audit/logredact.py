"""Keep query strings, and the token in a set-up link's path, out of the logs.

A query string is whatever the client typed, a child's name in a search box among others.
Django's own log records carry the request (django.request's `request` extra, and
django.template's DEBUG record of a failed variable lookup, whose message is the template
context with the request's repr in it, query string included). This filter, on the loggers
that make such records (settings.LOGGING), strips the query string from them before any
handler sees them. Paths carry only record numbers, never identifying details.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from django.http import HttpRequest, QueryDict

_REQUEST_REPR = re.compile(r"(<(?:WSGI|ASGI|Http)Request: [A-Z]+ '[^'?]*)\?[^']*'")
_QUERY = "(query string removed)"


# runserver's request line: GET /cases/?q=... HTTP/1.1
_REQUEST_LINE = re.compile(r"^([A-Z]+ [^?\s]*)\?\S*( HTTP/[0-9.]+)$")


# A set-up link's token is in its path (accounts/account/enrol/<token>/): a credential until used.
_ENROL_TOKEN = re.compile(r"(/enrol/)[A-Za-z0-9_-]{8,}")
_REMOVED = "(token removed)"


def scrub(text: str) -> str:
    text = _REQUEST_REPR.sub(rf"\1?{_QUERY}'", text)
    text = _ENROL_TOKEN.sub(rf"\1{_REMOVED}", text)
    return _REQUEST_LINE.sub(rf"\1?{_QUERY}\2", text)


def _without_query(request: HttpRequest) -> HttpRequest:
    if not request.META.get("QUERY_STRING"):
        return request
    clone = copy.copy(request)
    clone.META = {**request.META, "QUERY_STRING": ""}
    clone.GET = QueryDict()
    return clone


def _scrub_arg(value: Any) -> Any:
    if isinstance(value, HttpRequest):
        return _without_query(value)
    if isinstance(value, str):
        return scrub(value)
    return value


class RedactQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_scrub_arg(a) for a in record.args)
        request = getattr(record, "request", None)
        if isinstance(request, HttpRequest):
            record.request = _without_query(request)
        if record.exc_info and not record.exc_text:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = scrub(text)
            if record.exc_text != text:
                # The exception itself holds the query string: only the scrubbed text goes on.
                record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True
