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
    from safeguarding.escalations.models import Escalation, EscalationQuerySet
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


def can_user_see_period_summary(user: AnyUser) -> bool:
    # Aggregate, anonymised figures: every role of the partnership may see them.
    return _member(user) is not None


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


def get_object_for_user(queryset: QuerySet[_M], pk: Any) -> _M:
    """The object with this key from a queryset already scoped to the user, or 404."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
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
    if member is None:
        return Agency.objects.none()
    return Agency.objects.filter(partnership_id=member.partnership_id)


# Escalations (the concerns resolution register). The business unit sees every escalation of
# the partnership; an agency lead those raised by or about their own agency; every other role
# (the review advisory group, the scrutineer, scrutiny readers) aggregate figures only.
SEE_ESCALATION_RECORDS = frozenset({Role.BUSINESS_UNIT, Role.AGENCY_LEAD})


def can_user_use_escalation_register(user: AnyUser) -> bool:
    """May see, record and move on individual escalations (within their scope)."""
    return _has_role(user, SEE_ESCALATION_RECORDS)


def can_user_see_escalation_analysis(user: AnyUser) -> bool:
    # Aggregate, anonymised figures: every role of the partnership may see them.
    return _member(user) is not None


def can_user_manage_escalation_stages(user: AnyUser) -> bool:
    return _has_role(user, MANAGE_PARTNERSHIP)


def get_escalations_for_user(user: AnyUser) -> EscalationQuerySet:
    from safeguarding.escalations.models import Escalation

    member = _member(user)
    if member is None or member.role not in SEE_ESCALATION_RECORDS:
        return Escalation.objects.none()
    escalations = Escalation.objects.filter(partnership_id=member.partnership_id)
    if member.role == Role.AGENCY_LEAD:
        escalations = escalations.involving(member.agency_id)
    return escalations


def get_escalation_for_user(user: AnyUser, pk: Any) -> Escalation:
    """An escalation the user may see: 403 for a role that sees aggregate figures only, 404 if
    out of their scope (another agency's, or another partnership's)."""
    require(can_user_use_escalation_register(user))
    return get_object_for_user(
        get_escalations_for_user(user).select_related(
            "stage", "raised_by_agency", "about_agency", "partnership"
        ),
        pk,
    )


def _escalation_clocks_q(user: AnyUser | None) -> Q:
    """Stage clocks of the escalations `user` may see; with no user, every stage clock."""
    from django.contrib.contenttypes.models import ContentType

    from safeguarding.escalations.models import EscalationStep

    q = Q(subject_type=ContentType.objects.get_for_model(EscalationStep))
    if user is None:
        return q
    steps = EscalationStep.objects.filter(escalation__in=get_escalations_for_user(user))
    return q & Q(subject_id__in=steps.values("pk"))


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
    # Aggregate, anonymised counts: every role of the partnership. Only roles that may read
    # findings also see the theme x review matrix and the links to the findings.
    return _member(user) is not None


def can_user_read_taxonomy(user: AnyUser) -> bool:
    return _member(user) is not None


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
    if member is None:
        return Theme.objects.none()
    return Theme.objects.filter(partnership_id=member.partnership_id)


def get_theme_for_user(user: AnyUser, pk: Any) -> Theme:
    require(can_user_read_taxonomy(user))
    return get_object_for_user(get_themes_for_user(user), pk)


def get_theme_responses_for_user(user: AnyUser) -> QuerySet[ThemeResponse]:
    from safeguarding.learning.models import ThemeResponse

    member = _member(user)
    if member is None:
        return ThemeResponse.objects.none()
    return ThemeResponse.objects.filter(partnership_id=member.partnership_id)


# --- Action plans: recommendations, actions and their evidence -------------------------------
# Every working role reads the partnership's actions; an agency lead only their own agency's
# (another agency's action is a 404). The business unit sets and changes actions for any
# agency; an agency lead moves on and evidences their own agency's actions and nothing else.

MANAGE_ACTIONS = frozenset({Role.BUSINESS_UNIT})

if TYPE_CHECKING:
    from safeguarding.actionplans.models import (
        Action,
        ActionQuerySet,
        EvidenceItem,
        Recommendation,
    )


def can_user_read_actions(user: AnyUser) -> bool:
    return _has_role(user, WORKING_ROLES)


def can_user_manage_actions(user: AnyUser) -> bool:
    """May set actions and recommendations and change them, for any agency."""
    return _has_role(user, MANAGE_ACTIONS)


def can_user_update_action(user: AnyUser, action: Action) -> bool:
    """May record progress, evidence and completion on this action."""
    member = _member(user)
    if member is None or member.partnership_id != action.partnership_id:
        return False
    if member.role in MANAGE_ACTIONS:
        return True
    return member.role == Role.AGENCY_LEAD and member.agency_id == action.owner_agency_id


def get_actions_for_user(user: AnyUser) -> ActionQuerySet:
    from safeguarding.actionplans.models import Action

    member = _member(user)
    if member is None or member.role not in WORKING_ROLES:
        return Action.objects.none()
    actions = Action.objects.filter(partnership_id=member.partnership_id)
    if member.role == Role.AGENCY_LEAD:
        actions = actions.filter(owner_agency_id=member.agency_id)
    return actions


def get_action_for_user(user: AnyUser, pk: Any) -> Action:
    """An action the user may read: 403 for a role without the working pages, 404 if out of
    their scope (another agency's or another partnership's)."""
    require(can_user_read_actions(user))
    return get_object_for_user(
        get_actions_for_user(user).select_related("owner_agency", "partnership"), pk
    )


def get_action_for_update(user: AnyUser, pk: Any) -> Action:
    """An action the user may update: 404 out of scope, 403 for a role that only reads."""
    action = get_action_for_user(user, pk)
    require(can_user_update_action(user, action))
    return action


def get_evidence_item_for_user(user: AnyUser, pk: Any) -> EvidenceItem:
    from safeguarding.actionplans.models import EvidenceItem

    require(can_user_read_actions(user))
    return get_object_for_user(
        EvidenceItem.objects.filter(action__in=get_actions_for_user(user).values("pk")), pk
    )


def get_recommendations_for_user(user: AnyUser) -> QuerySet[Recommendation]:
    from safeguarding.actionplans.models import Recommendation

    member = _member(user)
    if member is None or member.role not in WORKING_ROLES:
        return Recommendation.objects.none()
    recommendations = Recommendation.objects.filter(partnership_id=member.partnership_id)
    if member.role == Role.AGENCY_LEAD:
        recommendations = recommendations.filter(
            actions__owner_agency_id=member.agency_id
        ).distinct()
    return recommendations


def get_recommendation_for_user(user: AnyUser, pk: Any) -> Recommendation:
    require(can_user_read_actions(user))
    return get_object_for_user(get_recommendations_for_user(user), pk)


def _action_clocks_q(user: AnyUser) -> Q:
    """Clocks of the actions `user` may see."""
    from django.contrib.contenttypes.models import ContentType

    from safeguarding.actionplans.models import Action

    return Q(
        subject_type=ContentType.objects.get_for_model(Action),
        subject_id__in=get_actions_for_user(user).values("pk"),
    )


def is_agency_lead(user: AnyUser) -> bool:
    return _has_role(user, frozenset({Role.AGENCY_LEAD}))


# --- Dissemination and assurance: learning products, events, the planner, the chain ----------
# Every working role reads the partnership's learning products, events, reach and the planner;
# the business unit records them. An agency lead records their own agency's attendance, sees
# their own agency's assurance records only, and submits the stage their agency has reached;
# the business unit accepts or returns each submission. Where learning stalls (counts only)
# is open to every working role.

MANAGE_DISSEMINATION = frozenset({Role.BUSINESS_UNIT})

if TYPE_CHECKING:
    from safeguarding.dissemination.models import (
        AssuranceRecord,
        AssuranceSubmission,
        LearningEvent,
        LearningProduct,
        SessionPlan,
    )


def can_user_read_dissemination(user: AnyUser) -> bool:
    return _has_role(user, WORKING_ROLES)


def can_user_manage_dissemination(user: AnyUser) -> bool:
    return _has_role(user, MANAGE_DISSEMINATION)


def can_user_decide_assurance(user: AnyUser) -> bool:
    """May accept or return an agency's assurance submission, and record audit results."""
    return _has_role(user, MANAGE_DISSEMINATION)


def can_user_record_attendance(user: AnyUser, agency_id: int) -> bool:
    member = _member(user)
    if member is None:
        return False
    if member.role in MANAGE_DISSEMINATION:
        return True
    return member.role == Role.AGENCY_LEAD and member.agency_id == agency_id


def can_user_submit_assurance(user: AnyUser, record: AssuranceRecord) -> bool:
    """Only the lead of the record's own agency submits its stage."""
    member = _member(user)
    return (
        member is not None
        and member.partnership_id == record.partnership_id
        and member.role == Role.AGENCY_LEAD
        and member.agency_id == record.agency_id
    )


def get_products_for_user(user: AnyUser) -> QuerySet[LearningProduct]:
    from safeguarding.dissemination.models import LearningProduct

    member = _member(user)
    if member is None or member.role not in WORKING_ROLES:
        return LearningProduct.objects.none()
    return LearningProduct.objects.filter(partnership_id=member.partnership_id)


def get_product_for_user(user: AnyUser, pk: Any) -> LearningProduct:
    require(can_user_read_dissemination(user))
    return get_object_for_user(get_products_for_user(user), pk)


def get_events_for_user(user: AnyUser) -> QuerySet[LearningEvent]:
    from safeguarding.dissemination.models import LearningEvent

    return LearningEvent.objects.filter(product__in=get_products_for_user(user).values("pk"))


def get_event_for_user(user: AnyUser, pk: Any) -> LearningEvent:
    require(can_user_read_dissemination(user))
    return get_object_for_user(get_events_for_user(user).select_related("product"), pk)


def get_session_plans_for_user(user: AnyUser) -> QuerySet[SessionPlan]:
    from safeguarding.dissemination.models import SessionPlan

    return SessionPlan.objects.filter(product__in=get_products_for_user(user).values("pk"))


def get_assurance_records_for_user(user: AnyUser) -> QuerySet[AssuranceRecord]:
    from safeguarding.dissemination.models import AssuranceRecord

    member = _member(user)
    if member is None or member.role not in WORKING_ROLES:
        return AssuranceRecord.objects.none()
    records = AssuranceRecord.objects.filter(partnership_id=member.partnership_id)
    if member.role == Role.AGENCY_LEAD:
        records = records.filter(agency=member.agency_id)
    return records


def get_assurance_record_for_user(user: AnyUser, pk: Any) -> AssuranceRecord:
    """An assurance record the user may read: 403 for a role without the working pages, 404
    if it is another agency's (for an agency lead) or another partnership's."""
    require(can_user_read_dissemination(user))
    return get_object_for_user(
        get_assurance_records_for_user(user).select_related("product", "agency"), pk
    )


def get_submission_for_decision(user: AnyUser, pk: Any) -> AssuranceSubmission:
    from safeguarding.dissemination.models import AssuranceSubmission

    require(can_user_read_dissemination(user))
    submission = get_object_for_user(
        AssuranceSubmission.objects.filter(
            record__in=get_assurance_records_for_user(user).values("pk")
        ).select_related("record", "record__agency", "record__product"),
        pk,
    )
    require(can_user_decide_assurance(user))
    return submission
