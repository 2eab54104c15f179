"""Access rules for findings, themes, the cross-cutting analysis and responses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from safeguarding.accounts.access import (
    WORKING_ROLES,
    _has_role,
    _member,
    get_object_for_user,
    get_reviews_for_user,
    require,
)
from safeguarding.accounts.models import Role

if TYPE_CHECKING:
    from safeguarding.accounts.access import AnyUser

# --- Learning: findings, themes, the cross-cutting analysis and responses -------------------

# Roles that may record and change findings, the theme taxonomy and the learning settings.
EDIT_LEARNING = frozenset({Role.BUSINESS_UNIT})
# Roles that may record the partnership's response to a theme and comment on findings.
RESPOND_TO_LEARNING = frozenset({Role.BUSINESS_UNIT, Role.RAG_MEMBER})

if TYPE_CHECKING:
    from safeguarding.learning.models import Finding, FindingQuerySet, Theme, ThemeResponse


def can_user_read_findings(user: AnyUser) -> bool:
    """Finding texts: the working roles, each within the reviews they may read."""
    return _has_role(user, WORKING_ROLES)


def can_user_edit_learning(user: AnyUser) -> bool:
    return _has_role(user, EDIT_LEARNING)


def can_user_respond_to_learning(user: AnyUser) -> bool:
    return _has_role(user, RESPOND_TO_LEARNING)


def can_user_see_theme_analysis(user: AnyUser) -> bool:
    # Live counts: the working roles only (a narrow period's themes describe one child's
    # review; scrutiny readers see published reports only).
    return _has_role(user, WORKING_ROLES)


def can_user_read_taxonomy(user: AnyUser) -> bool:
    # The theme pages show each theme's live counts and findings: the working roles.
    return _has_role(user, WORKING_ROLES)


def get_findings_for_user(user: AnyUser) -> FindingQuerySet:
    """Findings of the reviews the user may read (none for aggregate-only roles)."""
    from safeguarding.learning.models import Finding

    if not can_user_read_findings(user):
        return Finding.objects.none()
    member = _member(user)
    assert member is not None
    findings = Finding.objects.filter(partnership_id=member.partnership_id)
    if member.role == Role.AGENCY_LEAD:
        findings = findings.filter(review__in=get_reviews_for_user(user).values("pk"))
    return findings


def get_finding_for_user(user: AnyUser, pk: Any) -> Finding:
    """A finding the user may read: 403 for a role that may not read findings, 404 if out of
    their scope."""
    require(can_user_read_findings(user))
    return get_object_for_user(
        get_findings_for_user(user).select_related("review", "partnership"), pk
    )


def get_themes_for_user(user: AnyUser) -> QuerySet[Theme]:
    from safeguarding.learning.models import Theme

    member = _member(user)
    if member is None or member.role not in WORKING_ROLES:
        return Theme.objects.none()
    return Theme.objects.filter(partnership_id=member.partnership_id)


def get_theme_for_user(user: AnyUser, pk: Any) -> Theme:
    require(can_user_read_taxonomy(user))
    return get_object_for_user(get_themes_for_user(user), pk)


def get_theme_responses_for_user(user: AnyUser) -> QuerySet[ThemeResponse]:
    from safeguarding.learning.models import ThemeResponse

    member = _member(user)
    if member is None or member.role not in WORKING_ROLES:
        return ThemeResponse.objects.none()
    return ThemeResponse.objects.filter(partnership_id=member.partnership_id)
