"""Plain error pages: no stack trace, no detail, the GOV.UK look."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def error_page(request: HttpRequest, status: int, title: str, body: str) -> HttpResponse:
    """A plain GOV.UK page saying what went wrong, with the status given."""
    html: str
    try:
        html = render_to_string("error.html", {"title": title, "body": body}, request=request)
    except Exception:  # the error page itself must never fail
        html = f"<!DOCTYPE html><title>{title}</title><h1>{title}</h1><p>{body}</p>"
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    from safeguarding.core.query import QueryError

    # Only our own messages are shown: another exception's text could echo the request.
    reason = str(exception) if isinstance(exception, QueryError) else ""
    return error_page(
        request,
        400,
        "The address of this page is not right",
        reason or "Go back and try again. If you typed the web address, check it is correct.",
    )


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error_page(
        request,
        403,
        "You do not have access to this page",
        "Your role does not allow this. Ask your partnership's business unit if you need it.",
    )


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error_page(
        request, 404, "Page not found", "If you typed the web address, check it is correct."
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you entered has been saved unless you were told so.",
    )
