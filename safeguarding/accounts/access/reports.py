"""Access rules for issued reports (scrutiny reports and learning briefs) and their versions.

- Business unit: generates, publishes and sees everything, drafts included.
- Review advisory group and independent scrutineer: read drafts and published versions.
- Agency leads: published versions only; of learning briefs, only those of reviews their agency
  took part in.
- Scrutiny readers: published versions only, which are the suppressed (public) renditions.
- Analysts: nothing partnership-specific. Another partnership: 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from safeguarding.accounts.access import (
    _has_role,
    _member,
    get_object_for_user,
    get_reviews_for_user,
    require,
)
from safeguarding.accounts.models import Role

if TYPE_CHECKING:
    from safeguarding.accounts.access import AnyUser
    from safeguarding.reports.models import Report, ReportVersion, ReportVersionQuerySet

# Roles that see the reports pages at all.
SEE_REPORTS = frozenset(
    {Role.BUSINESS_UNIT, Role.RAG_MEMBER, Role.SCRUTINEER, Role.AGENCY_LEAD, Role.SCRUTINY_READER}
)
# Roles that generate, publish and edit reports and their text.
MANAGE_REPORTS = frozenset({Role.BUSINESS_UNIT})
# Roles that read draft versions and the draft (unsuppressed) rendition.
READ_DRAFT_REPORTS = frozenset({Role.BUSINESS_UNIT, Role.RAG_MEMBER, Role.SCRUTINEER})


def can_user_see_reports(user: AnyUser) -> bool:
    return _has_role(user, SEE_REPORTS)


def can_user_manage_reports(user: AnyUser) -> bool:
    return _has_role(user, MANAGE_REPORTS)


def can_user_read_draft_reports(user: AnyUser) -> bool:
    return _has_role(user, READ_DRAFT_REPORTS)


def get_report_versions_for_user(user: AnyUser) -> ReportVersionQuerySet:
    """The versions the user may see: all of them for the business unit; ready drafts and
    published versions for the advisory group and the scrutineer; published ones otherwise."""
    from safeguarding.reports.models import Generation, ReportKind, ReportVersion

    member = _member(user)
    if member is None or member.role not in SEE_REPORTS:
        return ReportVersion.objects.none()
    versions = ReportVersion.objects.filter(report__partnership_id=member.partnership_id)
    if member.role in MANAGE_REPORTS:
        return versions
    versions = versions.filter(generation=Generation.DONE)
    if member.role in READ_DRAFT_REPORTS:
        return versions
    versions = versions.published()
    if member.role == Role.AGENCY_LEAD:
        versions = versions.filter(
            Q(report__kind=ReportKind.SCRUTINY)
            | Q(report__review__in=get_reviews_for_user(member.user).values("pk"))
        )
    return versions


def get_report_version_for_user(user: AnyUser, pk: Any) -> ReportVersion:
    """A version the user may see: 403 for a role without reports, 404 if out of scope."""
    require(can_user_see_reports(user))
    return get_object_for_user(
        get_report_versions_for_user(user).select_related(
            "report", "report__partnership", "issued_by", "published_by"
        ),
        pk,
    )


def get_report_for_manager(user: AnyUser, pk: Any) -> Report:
    """A report the business unit may change: 403 for other roles, 404 if out of scope."""
    from safeguarding.reports.models import Report

    require(can_user_manage_reports(user))
    member = _member(user)
    assert member is not None
    return get_object_for_user(Report.objects.filter(partnership_id=member.partnership_id), pk)


def renditions_for_user(user: AnyUser, version: ReportVersion) -> list[str]:
    """The renditions of a version the user may download: the public one always; the draft
    (full figures) only for the roles that read drafts."""
    from safeguarding.reports.models import Rendition

    if can_user_read_draft_reports(user):
        return [Rendition.DRAFT, Rendition.PUBLIC]
    return [Rendition.PUBLIC] if version.is_published else []
