"""Every access rule, in one place, for the roles in DESIGN.md.

Views and the API call these helpers and nothing else to decide what a user may see or change.
Anything outside the user's partnership is a 404, so another partnership cannot even learn that
a record exists. A role that may not use a kind of page at all gets 403 whatever the object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from safeguarding.accounts.models import Partnership, Role, User

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    from safeguarding.accounts.models import Agency
    from safeguarding.core.models import ClockQuerySet
    from safeguarding.reviews.models import Case, CaseQuerySet, Incident, Review, ReviewQuerySet

    AnyUser = AbstractBaseUser | AnonymousUser

_M = TypeVar("_M", bound=Model)

# Roles that read every review of their partnership.
READ_ALL_REVIEWS = frozenset({Role.BUSINESS_UNIT, Role.RAG_MEMBER, Role.SCRUTINEER})
# Roles that may record and change reviews, cases and incidents.
EDIT_REVIEWS = frozenset({Role.BUSINESS_UNIT})
# Roles that may record a decision or comment on a review (the Review Advisory Group).
RECORD_DECISIONS = frozenset({Role.BUSINESS_UNIT, Role.RAG_MEMBER})
# Roles that may see a child's identifying details (each view is audited).
SEE_IDENTIFYING = frozenset({Role.BUSINESS_UNIT})
# Roles that may see the working pages (dashboard, registers) at all.
WORKING_ROLES = frozenset({Role.BUSINESS_UNIT, Role.RAG_MEMBER, Role.AGENCY_LEAD, Role.SCRUTINEER})
# Roles that see aggregate, anonymised figures only.
AGGREGATE_ONLY = frozenset({Role.SCRUTINY_READER, Role.ANALYST})
# Roles that see the partnership's live figures (period summary, theme and escalation analysis,
# the taxonomy, the dashboard's clocks): the working roles only. Live figures for a narrow
# period single out a child (one-day periods of the period summary named every rapid review's
# age band, sex and outcome), so scrutiny readers see published reports only (DESIGN.md).
LIVE_FIGURES = WORKING_ROLES
# Roles whose live figures count only the records they may open: an agency lead reads the
# reviews, cases and escalations their agency took part in, and partnership-wide figures for a
# one-day period named a rapid review (age band, sex, outcome) of a case the police were not
# in. Every other role of LIVE_FIGURES reads every record of the partnership, so its figures
# are the partnership's.
LIVE_FIGURES_IN_SCOPE = frozenset({Role.AGENCY_LEAD})
# Roles that see published reports and their own account, nothing else.
PUBLISHED_REPORTS_ONLY = frozenset({Role.SCRUTINY_READER})
# Roles that may change partnership settings (clocks, age bands, closures) and users.
MANAGE_PARTNERSHIP = frozenset({Role.BUSINESS_UNIT})


class AuthenticatedHttpRequest(HttpRequest):
    """The request a `login_required` view receives: its user is a signed-in `User`."""

    user: User


class _Membership(NamedTuple):
    """A signed-in, active user and the partnership they work in."""

    user: User
    partnership_id: int

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def agency_id(self) -> int | None:
        return self.user.agency_id


def _member(user: AnyUser) -> _Membership | None:
    """The user's membership, if signed in, active and in a partnership; otherwise None."""
    # request.user is a lazy proxy; isinstance sees through it to the real class.
    if isinstance(user, User) and user.is_active and user.partnership_id is not None:
        return _Membership(user, user.partnership_id)
    return None


def _has_role(user: AnyUser, roles: frozenset[Role]) -> bool:
    member = _member(user)
    return member is not None and member.role in roles


def can_user_use_registers(user: AnyUser) -> bool:
    return _has_role(user, WORKING_ROLES)


def can_user_edit_reviews(user: AnyUser) -> bool:
    return _has_role(user, EDIT_REVIEWS)


def can_user_record_decisions(user: AnyUser) -> bool:
    return _has_role(user, RECORD_DECISIONS)


def can_user_see_identifying(user: AnyUser) -> bool:
    return _has_role(user, SEE_IDENTIFYING)


def can_user_manage_partnership(user: AnyUser) -> bool:
    return _has_role(user, MANAGE_PARTNERSHIP)


def can_user_administer_service(user: AnyUser) -> bool:
    """The service administrator's pages (partnerships and their first business unit user).
    A service administrator belongs to no partnership (a database constraint), so every rule
    above that reads a partnership's records gives them nothing."""
    return (
        isinstance(user, User)
        and user.is_active
        and user.role == Role.SERVICE_ADMIN
        and user.partnership_id is None
    )


def can_user_see_period_summary(user: AnyUser) -> bool:
    # Live figures: the working roles only (see LIVE_FIGURES).
    return _has_role(user, LIVE_FIGURES)


def are_live_figures_scoped(user: AnyUser) -> bool:
    """Whether the user's live figures (period summary, theme and escalation analysis, theme
    counts) count only the records in their scope (`get_reviews_for_user`,
    `get_escalations_for_user`, ...) rather than the whole partnership."""
    return _has_role(user, LIVE_FIGURES_IN_SCOPE)


def can_user_see_dashboard(user: AnyUser) -> bool:
    """The dashboard (behind log-in): every role but those who see published reports only."""
    return not _has_role(user, PUBLISHED_REPORTS_ONLY)


def landing_url_name(user: AnyUser) -> str:
    """Where a user lands after signing in (the dashboard, or the published reports for a
    role that sees nothing else)."""
    from django.conf import settings

    if _has_role(user, PUBLISHED_REPORTS_ONLY):
        return "reports:home"
    if can_user_administer_service(user):
        return "service:partnerships"
    return str(settings.LOGIN_REDIRECT_URL)


def require(allowed: bool) -> None:
    """Raise PermissionDenied unless `allowed`."""
    if not allowed:
        raise PermissionDenied


def get_partnership_for_user(user: AnyUser) -> Partnership:
    """The partnership the user works in, or PermissionDenied (signed out, switched off, or an
    analyst who belongs to none)."""
    member = _member(user)
    if member is None or member.user.partnership is None:
        raise PermissionDenied
    return member.user.partnership


def get_reviews_for_user(user: AnyUser) -> ReviewQuerySet:
    from safeguarding.reviews.models import Review

    member = _member(user)
    if member is None or member.role not in WORKING_ROLES:
        return Review.objects.none()
    reviews = Review.objects.filter(partnership_id=member.partnership_id)
    if member.role == Role.AGENCY_LEAD:
        # Reviews their agency took part in, or whose case their agency was involved in.
        reviews = reviews.filter(
            Q(agencies=member.agency_id) | Q(case__agencies_involved=member.agency_id)
        ).distinct()
    return reviews


def get_cases_for_user(user: AnyUser) -> CaseQuerySet:
    from safeguarding.reviews.models import Case

    member = _member(user)
    if member is None or member.role not in WORKING_ROLES:
        return Case.objects.none()
    cases = Case.objects.filter(partnership_id=member.partnership_id)
    if member.role == Role.AGENCY_LEAD:
        cases = cases.filter(
            Q(agencies_involved=member.agency_id) | Q(reviews__agencies=member.agency_id)
        ).distinct()
    return cases


def get_incidents_for_user(user: AnyUser) -> QuerySet[Incident]:
    from safeguarding.reviews.models import Incident

    if not can_user_use_registers(user):
        return Incident.objects.none()
    return Incident.objects.filter(case__in=get_cases_for_user(user))


def get_clocks_for_user(user: AnyUser) -> ClockQuerySet:
    """Clocks on records the user may see."""
    from django.contrib.contenttypes.models import ContentType

    from safeguarding.core.models import Clock
    from safeguarding.reviews.models import Incident, Review

    member = _member(user)
    if member is None or member.role not in WORKING_ROLES:
        return Clock.objects.none()
    clocks = Clock.objects.filter(partnership_id=member.partnership_id)
    if member.role == Role.AGENCY_LEAD:
        clocks = clocks.filter(
            Q(
                subject_type=ContentType.objects.get_for_model(Review),
                subject_id__in=get_reviews_for_user(member.user).values("pk"),
            )
            | Q(
                subject_type=ContentType.objects.get_for_model(Incident),
                subject_id__in=get_incidents_for_user(member.user).values("pk"),
            )
            | _escalation_clocks_q(member.user)
            | _action_clocks_q(member.user)
        )
    if not can_user_use_escalation_register(user):
        # Escalation stage clocks only for the roles that see escalation records.
        clocks = clocks.exclude(_escalation_clocks_q(None))
    return clocks


class OutOfScope(Http404):
    """The object exists but is outside the user's scope. The user sees the same 404 as for
    a record that does not exist; the audit trail records a denied attempt."""


def get_object_for_user(queryset: QuerySet[_M], pk: Any) -> _M:
    """The object with this key from a queryset already scoped to the user, or 404
    (`OutOfScope` when it exists outside the scope: one more query, on the 404 path only)."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        model = queryset.model
        if model._default_manager.filter(pk=pk).exists():
            raise OutOfScope(f"{model._meta.label} {pk} is outside the user's scope")
        raise Http404
    return obj


def get_incident_for_user(user: AnyUser, pk: Any) -> Incident:
    """An incident the user may read: 403 for a role without the registers, 404 if out of
    their scope."""
    require(can_user_use_registers(user))
    return get_object_for_user(get_incidents_for_user(user).select_related("case"), pk)


def get_case_for_user(user: AnyUser, pk: Any) -> Case:
    """A case the user may read (with its age band): 403 for a role without the registers,
    404 if out of their scope."""
    require(can_user_use_registers(user))
    return get_object_for_user(get_cases_for_user(user).with_age_band(), pk)


def get_review_for_user(user: AnyUser, pk: Any) -> Review:
    """A review the user may read: 403 for a role without the registers, 404 if out of their
    scope."""
    require(can_user_use_registers(user))
    return get_object_for_user(
        get_reviews_for_user(user).select_related("case", "incident", "incident__case", "parent"),
        pk,
    )


def get_agencies_for_user(user: AnyUser) -> QuerySet[Agency]:
    from safeguarding.accounts.models import Agency

    member = _member(user)
    if member is None or member.role not in WORKING_ROLES:
        return Agency.objects.none()
    return Agency.objects.filter(partnership_id=member.partnership_id)


# The rules of each area live beside this module; they are re-exported so that every caller
# keeps writing `access.<rule>`.
from safeguarding.accounts.access.escalations import (  # noqa: E402
    SEE_ESCALATION_RECORDS as SEE_ESCALATION_RECORDS,
)
from safeguarding.accounts.access.escalations import (
    _escalation_clocks_q as _escalation_clocks_q,
)
from safeguarding.accounts.access.escalations import (
    can_user_manage_escalation_stages as can_user_manage_escalation_stages,
)
from safeguarding.accounts.access.escalations import (
    can_user_see_escalation_analysis as can_user_see_escalation_analysis,
)
from safeguarding.accounts.access.escalations import (
    can_user_use_escalation_register as can_user_use_escalation_register,
)
from safeguarding.accounts.access.escalations import (
    get_escalation_for_user as get_escalation_for_user,
)
from safeguarding.accounts.access.escalations import (
    get_escalations_for_user as get_escalations_for_user,
)
from safeguarding.accounts.access.learning import (  # noqa: E402
    EDIT_LEARNING as EDIT_LEARNING,
)
from safeguarding.accounts.access.learning import (
    RESPOND_TO_LEARNING as RESPOND_TO_LEARNING,
)
from safeguarding.accounts.access.learning import (
    can_user_edit_learning as can_user_edit_learning,
)
from safeguarding.accounts.access.learning import (
    can_user_read_findings as can_user_read_findings,
)
from safeguarding.accounts.access.learning import (
    can_user_read_taxonomy as can_user_read_taxonomy,
)
from safeguarding.accounts.access.learning import (
    can_user_respond_to_learning as can_user_respond_to_learning,
)
from safeguarding.accounts.access.learning import (
    can_user_see_theme_analysis as can_user_see_theme_analysis,
)
from safeguarding.accounts.access.learning import (
    get_finding_for_user as get_finding_for_user,
)
from safeguarding.accounts.access.learning import (
    get_findings_for_user as get_findings_for_user,
)
from safeguarding.accounts.access.learning import (
    get_theme_for_user as get_theme_for_user,
)
from safeguarding.accounts.access.learning import (
    get_theme_responses_for_user as get_theme_responses_for_user,
)
from safeguarding.accounts.access.learning import (
    get_themes_for_user as get_themes_for_user,
)
from safeguarding.accounts.access.practice import (  # noqa: E402
    MANAGE_ACTIONS as MANAGE_ACTIONS,
)
from safeguarding.accounts.access.practice import (
    MANAGE_DISSEMINATION as MANAGE_DISSEMINATION,
)
from safeguarding.accounts.access.practice import (
    _action_clocks_q as _action_clocks_q,
)
from safeguarding.accounts.access.practice import (
    can_user_decide_assurance as can_user_decide_assurance,
)
from safeguarding.accounts.access.practice import (
    can_user_manage_actions as can_user_manage_actions,
)
from safeguarding.accounts.access.practice import (
    can_user_manage_dissemination as can_user_manage_dissemination,
)
from safeguarding.accounts.access.practice import (
    can_user_read_actions as can_user_read_actions,
)
from safeguarding.accounts.access.practice import (
    can_user_read_dissemination as can_user_read_dissemination,
)
from safeguarding.accounts.access.practice import (
    can_user_record_attendance as can_user_record_attendance,
)
from safeguarding.accounts.access.practice import (
    can_user_submit_assurance as can_user_submit_assurance,
)
from safeguarding.accounts.access.practice import (
    can_user_update_action as can_user_update_action,
)
from safeguarding.accounts.access.practice import (
    get_action_for_update as get_action_for_update,
)
from safeguarding.accounts.access.practice import (
    get_action_for_user as get_action_for_user,
)
from safeguarding.accounts.access.practice import (
    get_actions_for_user as get_actions_for_user,
)
from safeguarding.accounts.access.practice import (
    get_assurance_record_for_user as get_assurance_record_for_user,
)
from safeguarding.accounts.access.practice import (
    get_assurance_records_for_user as get_assurance_records_for_user,
)
from safeguarding.accounts.access.practice import (
    get_event_for_user as get_event_for_user,
)
from safeguarding.accounts.access.practice import (
    get_events_for_user as get_events_for_user,
)
from safeguarding.accounts.access.practice import (
    get_evidence_item_for_user as get_evidence_item_for_user,
)
from safeguarding.accounts.access.practice import (
    get_product_for_user as get_product_for_user,
)
from safeguarding.accounts.access.practice import (
    get_products_for_user as get_products_for_user,
)
from safeguarding.accounts.access.practice import (
    get_recommendation_for_user as get_recommendation_for_user,
)
from safeguarding.accounts.access.practice import (
    get_recommendations_for_user as get_recommendations_for_user,
)
from safeguarding.accounts.access.practice import (
    get_session_plans_for_user as get_session_plans_for_user,
)
from safeguarding.accounts.access.practice import (
    get_submission_for_decision as get_submission_for_decision,
)
from safeguarding.accounts.access.practice import (
    is_agency_lead as is_agency_lead,
)
from safeguarding.accounts.access.reports import (  # noqa: E402
    MANAGE_REPORTS as MANAGE_REPORTS,
)
from safeguarding.accounts.access.reports import (
    READ_DRAFT_REPORTS as READ_DRAFT_REPORTS,
)
from safeguarding.accounts.access.reports import (
    SEE_REPORTS as SEE_REPORTS,
)
from safeguarding.accounts.access.reports import (
    can_user_manage_reports as can_user_manage_reports,
)
from safeguarding.accounts.access.reports import (
    can_user_read_draft_reports as can_user_read_draft_reports,
)
from safeguarding.accounts.access.reports import (
    can_user_see_reports as can_user_see_reports,
)
from safeguarding.accounts.access.reports import (
    get_report_for_manager as get_report_for_manager,
)
from safeguarding.accounts.access.reports import (
    get_report_version_for_user as get_report_version_for_user,
)
from safeguarding.accounts.access.reports import (
    get_report_versions_for_user as get_report_versions_for_user,
)
from safeguarding.accounts.access.reports import (
    renditions_for_user as renditions_for_user,
)
