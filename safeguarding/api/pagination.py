"""Page-number pagination with a strict page size: a bad value is a 400, not a silent default."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, pagination
from rest_framework.request import Request

MAX_PAGE_SIZE = 100


def _positive_int(request: Request, name: str, maximum: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses (a 500).
    if (
        not (raw.isascii() and raw.isdigit())
        or int(raw) < 1
        or (maximum is not None and int(raw) > maximum)
    ):
        limit = f" and at most {maximum}" if maximum else ""
        raise exceptions.ValidationError({name: [f"Enter a whole number from 1{limit}."]})
    return int(raw)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        return _positive_int(request, "page_size", MAX_PAGE_SIZE) or self.page_size

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        _positive_int(request, self.page_query_param)  # "last" is not offered: numbers only
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Results per page (default {self.page_size}, at most "
                f"{MAX_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
