"""Access rules for the concerns resolution (escalation) register."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from safeguarding.accounts.access import (
    MANAGE_PARTNERSHIP,
    WORKING_ROLES,
    _has_role,
    _member,
    get_object_for_user,
    require,
)
from safeguarding.accounts.models import Role

if TYPE_CHECKING:
    from safeguarding.accounts.access import AnyUser
    from safeguarding.escalations.models import Escalation, EscalationQuerySet

# Escalations (the concerns resolution register). The business unit sees every escalation of
# the partnership; an agency lead those raised by or about their own agency; the review
# advisory group and the scrutineer aggregate figures only; scrutiny readers nothing (published
# reports only: live figures of a narrow period single out a child).
SEE_ESCALATION_RECORDS = frozenset({Role.BUSINESS_UNIT, Role.AGENCY_LEAD})


def can_user_use_escalation_register(user: AnyUser) -> bool:
    """May see, record and move on individual escalations (within their scope)."""
    return _has_role(user, SEE_ESCALATION_RECORDS)


def can_user_see_escalation_analysis(user: AnyUser) -> bool:
    # Live figures: the working roles only.
    return _has_role(user, WORKING_ROLES)


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
