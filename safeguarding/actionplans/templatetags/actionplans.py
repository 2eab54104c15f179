"""Template tags that let other apps' pages show action-plan data through one include line,
always through the access helpers."""

from __future__ import annotations

from typing import Any

from django import template

from safeguarding.accounts import access
from safeguarding.core.dates import today

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.simple_tag(takes_context=True)
def response_actions(context: template.Context, response: Any) -> list[Any] | None:
    """The actions of a theme response that the user may see; None if they may see none."""
    from safeguarding.actionplans.selectors import response_actions as select

    user = _user(context)
    if response is None or not access.can_user_read_actions(user):
        return None
    return list(select(user=user, response=response, today=today()))


@register.simple_tag(takes_context=True)
def user_can_manage_actions(context: template.Context) -> bool:
    return access.can_user_manage_actions(_user(context))


@register.simple_tag(takes_context=True)
def agency_lead_summary(context: template.Context) -> dict[str, Any] | None:
    """For an agency lead's dashboard: counts of their agency's open and overdue actions and
    of the assurance requests waiting for them."""
    from safeguarding.actionplans.selectors import agency_lead_summary as select

    user = _user(context)
    if not access.is_agency_lead(user):
        return None
    return select(user=user, today=today())


@register.simple_tag(takes_context=True)
def linked_actions(context: template.Context, **about: Any) -> dict[str, Any] | None:
    """The recommendations and actions that answer a review or a finding (`review=` or
    `finding=`), as far as the user may see them; None if they may see no actions at all."""
    from safeguarding.actionplans.selectors import linked_actions as select

    user = _user(context)
    if not access.can_user_read_actions(user):
        return None
    return select(user=user, today=today(), **about)
