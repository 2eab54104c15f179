"""ORM queries compiled once per shape and run again with new values.

Building and compiling the analysis's aggregate queryset costs Python more time than the
database takes to run it over one partnership's findings (a few milliseconds each). So the
queryset is built and compiled once for each shape of scope (one partnership or all; how many
review types and agencies), with placeholder values, and later runs only swap the values in.
The SQL is still the ORM's own, for the database in use; nothing here writes SQL by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import QuerySet

from safeguarding.accounts.models import Partnership

if TYPE_CHECKING:
    from safeguarding.learning.analysis import Scope

# Values no real scope can hold, so their places in the compiled parameters can be found.
_PARTNERSHIP = -7_000_000_001
_START, _END = dt.date(1001, 2, 3), dt.date(1002, 3, 4)
_AGENCY_BASE = -8_000_000_000
_KIND_PREFIX = "\x00kind-"


def _placeholder_scope(scope: Scope) -> Scope:
    return replace(
        scope,
        partnership=Partnership(pk=_PARTNERSHIP) if scope.partnership is not None else None,
        start=_START,
        end=_END,
        review_kinds=tuple(f"{_KIND_PREFIX}{i}" for i in range(len(scope.review_kinds))),
        agency_ids=tuple(_AGENCY_BASE - i for i in range(len(scope.agency_ids))),
    )


def _slot(value: Any) -> tuple[str, int] | None:
    """Which scope value a compiled parameter stands for, if any."""
    if value == _PARTNERSHIP:
        return ("partnership", 0)
    if value in (_START, _START.isoformat()):
        return ("start", 0)
    if value in (_END, _END.isoformat()):
        return ("end", 0)
    if isinstance(value, str) and value.startswith(_KIND_PREFIX):
        return ("kind", int(value[len(_KIND_PREFIX) :]))
    if isinstance(value, int) and _AGENCY_BASE - 10_000 < value <= _AGENCY_BASE:
        return ("agency", _AGENCY_BASE - value)
    return None


class PreparedQuery:
    """A values() queryset, built by `build(scope)`, compiled once per shape of scope."""

    def __init__(self, build: Callable[[Scope], QuerySet[Any]]) -> None:
        self.build = build
        self._compiled: dict[tuple[Any, ...], tuple[str, list[Any]]] = {}

    def _compile(self, scope: Scope) -> tuple[str, list[Any]]:
        key = (
            connection.vendor,
            scope.partnership is None,
            len(scope.review_kinds),
            len(scope.agency_ids),
        )
        if key not in self._compiled:
            query = self.build(_placeholder_scope(scope)).query
            sql, params = query.get_compiler(connection=connection).as_sql()
            self._compiled[key] = (sql, list(params))
        return self._compiled[key]

    def rows(self, scope: Scope) -> list[dict[str, Any]]:
        if scope.reviews is not None:
            # A scope limited to some reviews (an agency lead's) carries a subquery whose
            # values cannot be swapped in: run the ORM's queryset as it is.
            return list(self.build(scope))
        sql, template = self._compile(scope)
        params = []
        for value in template:
            slot = _slot(value)
            if slot is None:
                params.append(value)
                continue
            name, i = slot
            real: Any = {
                "partnership": scope.partnership.pk if scope.partnership else None,
                "start": scope.start,
                "end": scope.end,
                "kind": scope.review_kinds[i] if name == "kind" else None,
                "agency": scope.agency_ids[i] if name == "agency" else None,
            }[name]
            if isinstance(real, dt.date) and isinstance(value, str):
                real = real.isoformat()  # SQLite's adapter had already turned dates to text
            params.append(real)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [c[0] for c in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
