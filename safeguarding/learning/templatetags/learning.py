"""Template helpers for learning pages, and what the review page's findings section needs."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from safeguarding.accounts import access
from safeguarding.learning import search, selectors
from safeguarding.learning.forms import quick_entry_formset

register = template.Library()


@register.simple_tag(takes_context=True)
def review_learning(context: template.Context, review: Any) -> dict[str, Any]:
    """The findings of a review as the user may see them, and a blank quick-entry form for
    those who may add some (used by learning/review_findings.html on the review page)."""
    user = context["request"].user
    can_read = access.can_user_read_findings(user)
    can_edit = access.can_user_edit_learning(user)
    return {
        "can_read": can_read,
        "can_edit": can_edit,
        "findings": list(selectors.review_findings(user=user, review=review)) if can_read else [],
        "formset": quick_entry_formset(partnership=review.partnership, rows=2)
        if can_edit
        else None,
    }


@register.simple_tag
def findings_url(base_query: str, **params: Any) -> str:
    """The findings page filtered by the analysis scope (`base_query`) and `params`."""
    extra = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    query = "&".join(q for q in (base_query, extra) if q)
    return f"{reverse('learning:finding_list')}?{query}"


@register.simple_tag
def year_findings_url(base_query: str, analysis: Any, year: int, **params: Any) -> str:
    """`findings_url` for one reporting year of the analysis: the scope's other filters, the
    year's days within the period."""
    start, end = analysis.year_period(year)
    kept = [(k, v) for k, v in parse_qsl(base_query) if k not in ("start", "end")]
    return findings_url(urlencode([("start", start), ("end", end), *kept]), **params)


@register.filter
def small(value: int, upto: int) -> Any:
    """A count, or "[c]" for a count from 1 to `upto` (small numbers suppressed; 0: none)."""
    if upto and 0 < value <= upto:
        return "[c]"
    return value


@register.filter
def marked(text: str | None) -> SafeString:
    return search.marked_html(text)


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def cell(matrix: Any, ids: str) -> tuple[int, int]:
    """matrix[theme][review] as (good practice, improvement); `ids` is "theme,review"."""
    theme_id, review_id = (int(i) for i in ids.split(","))
    return (matrix.get(theme_id) or {}).get(review_id, (0, 0))  # type: ignore[no-any-return]


@register.simple_tag
def trend_cell(trend: Any, theme_id: int, year: int) -> tuple[int, int, int]:
    return (trend.get(theme_id) or {}).get(year, (0, 0, 0))  # type: ignore[no-any-return]


@register.simple_tag
def matrix_cell(matrix: Any, theme_id: int, review_id: int) -> tuple[int, int]:
    return (matrix.get(theme_id) or {}).get(review_id, (0, 0))  # type: ignore[no-any-return]


@register.filter
def plain(value: Any) -> str:
    """A value from an audit row's before/after, as a person would write it."""
    if value in (None, "", []):
        return "(blank)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
