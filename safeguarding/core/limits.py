"""Request size: a body larger than any form takes is refused before it is read.

Django reads a multipart body as it parses it, so a 200 MB upload used to be streamed to a
temporary file in full before the form said "smaller than 10 MB". Two guards now stop it early:

- `RequestSizeMiddleware`, first in the chain, answers 413 to a request whose Content-Length is
  over settings.MAX_REQUEST_BYTES (SRH_MAX_REQUEST_MB, 12 by default: a 10 MB file and the form
  around it), or over the import page's own limit there (safeguarding.imports.reading), without
  touching the body;
- `LimitedUploadHandler` stops storing a file part once it passes the largest file allowed
  (settings.MAX_UPLOAD_BYTES, or the import limit on the import page) and hands the form a
  `RefusedUpload` that keeps the size seen, so the form's own check says what is wrong and
  nothing is saved.

The proxy in front should refuse larger bodies still sooner: see docs/security-13-input.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

MB = 1024 * 1024
# What a multipart form adds around its file: the other fields, boundaries, headers.
FORM_OVERHEAD_BYTES = 2 * MB


def _on_import_page(request: HttpRequest) -> bool:
    return request.path == reverse("imports:import")


def _import_file_limit() -> int:
    from safeguarding.imports import reading

    return int(reading.MAX_UPLOAD_BYTES)


def request_limit(request: HttpRequest) -> int:
    """The largest body, in bytes, this request may send."""
    limit = int(settings.MAX_REQUEST_BYTES)
    if _on_import_page(request):
        limit = max(limit, _import_file_limit() + FORM_OVERHEAD_BYTES)
    return limit


def file_limit(request: HttpRequest) -> int:
    """The largest file, in bytes, one file field of this request may carry."""
    limit = int(settings.MAX_UPLOAD_BYTES)
    if _on_import_page(request):
        limit = max(limit, _import_file_limit())
    return limit


def _content_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    message = (
        f"What you sent is larger than this service accepts ({limit // MB} MB). "
        "Nothing has been saved. Send a smaller file."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413)
    from django.contrib.auth.models import AnonymousUser

    from safeguarding.core.views import error_page

    if not hasattr(request, "user"):
        # Answered before the session is read: the page shows no one's menu.
        request.user = AnonymousUser()  # type: ignore[assignment]
    return error_page(request, 413, "The file is too large", message)


class RequestSizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = _content_length(request)
        if length is None:
            return HttpResponse("Content-Length is not a number.", status=400)
        limit = request_limit(request)
        if length > limit:
            # The body stays unread; the server closes the connection after answering.
            response = too_large_response(request, limit)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


class RefusedUpload(UploadedFile):
    """A file part that passed the limit: its name and the size seen so far, no content."""

    def __init__(self, *, name: str, size: int, content_type: str | None) -> None:
        from io import BytesIO

        super().__init__(BytesIO(b""), name, content_type, size, None)


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler that stops writing a file once it passes the limit."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.limit = file_limit(self.request) if self.request is not None else 0
        self.seen = 0
        self.refused = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen += len(raw_data)
        if self.refused:
            return None
        if self.limit and self.seen > self.limit:
            # Over the limit: drop what was written, and only count the rest.
            self.refused = True
            self.file.close()
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.refused:
            return RefusedUpload(name=self.file_name or "", size=self.seen, content_type=None)
        return super().file_complete(file_size)
