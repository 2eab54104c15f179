"""One line per refused request in the logs, never a traceback.

Django logs every 4xx response on django.request at WARNING, and a refusal raised as an
exception (PermissionDenied, Http404, a SuspiciousOperation on django.security) with that
exception's traceback: a dozen lines for each 403, half a million for a morning of scanning.
A refusal is expected, and the audit trail has its row (safeguarding/audit/denials.py); the log
needs to say only that it happened. This filter, on those loggers (settings.LOGGING), turns each
4xx record into `Refused GET /path 403 user=7`: the method, the path without its query string,
the status and the user's id, nothing the client typed beyond the path. 5xx records keep their
traceback: those are the ones somebody must read.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest


def refusal_line(request: HttpRequest, status: int) -> str:
    # Escaped like Django's own request lines, so a crafted path cannot start a new log line.
    path = request.path.encode("unicode_escape").decode("ascii")
    method = str(request.method or "-").encode("unicode_escape").decode("ascii")[:16]
    user = getattr(request, "user", None)
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    return f"Refused {method} {path} {status} user={user_id if user_id is not None else '-'}"


class OneLineRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if isinstance(status, int) and 400 <= status < 500 and isinstance(request, HttpRequest):
            line = refusal_line(request, status)
            if record.name.startswith("django.security") and record.exc_info:
                line += f" ({type(record.exc_info[1]).__name__})"  # the kind, not its text
            record.msg = line
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
