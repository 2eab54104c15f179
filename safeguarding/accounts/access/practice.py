"""Access rules for actions, dissemination and the assurance chain."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from safeguarding.accounts.access import (
    WORKING_ROLES,
    _has_role,
    _member,
    get_object_for_user,
    require,
)
from safeguarding.accounts.models import Role

if TYPE_CHECKING:
    from safeguarding.accounts.access import AnyUser

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
