"""Every access rule, in one place, for the roles in DESIGN.md.

Views and the API call these helpers and nothing else to decide what a user may see or change.
Anything outside the user's partnership is a 404, so another partnership cannot even learn that
a record exists.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from safeguarding.accounts.models import Role

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


def _active(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.partnership_id)


def can_user_use_registers(user: Any) -> bool:
    return _active(user) and user.role in WORKING_ROLES


def can_user_edit_reviews(user: Any) -> bool:
    return _active(user) and user.role in EDIT_REVIEWS


def can_user_record_decisions(user: Any) -> bool:
    return _active(user) and user.role in RECORD_DECISIONS


def can_user_see_identifying(user: Any) -> bool:
    return _active(user) and user.role in SEE_IDENTIFYING


def can_user_manage_partnership(user: Any) -> bool:
    return _active(user) and user.role in MANAGE_PARTNERSHIP


def can_user_see_period_summary(user: Any) -> bool:
    # Aggregate, anonymised figures: every role of the partnership may see them.
    return _active(user)


def require(allowed: bool) -> None:
    """Raise PermissionDenied unless `allowed`."""
    if not allowed:
        raise PermissionDenied


def get_reviews_for_user(user: Any) -> QuerySet:
    from safeguarding.reviews.models import Review

    if not can_user_use_registers(user):
        return Review.objects.none()
    reviews = Review.objects.filter(partnership_id=user.partnership_id)
    if user.role == Role.AGENCY_LEAD:
        # Reviews their agency took part in, or whose case their agency was involved in.
        reviews = reviews.filter(
            Q(agencies=user.agency_id) | Q(case__agencies_involved=user.agency_id)
        ).distinct()
    return reviews


def get_cases_for_user(user: Any) -> QuerySet:
    from safeguarding.reviews.models import Case

    if not can_user_use_registers(user):
        return Case.objects.none()
    cases = Case.objects.filter(partnership_id=user.partnership_id)
    if user.role == Role.AGENCY_LEAD:
        cases = cases.filter(
            Q(agencies_involved=user.agency_id) | Q(reviews__agencies=user.agency_id)
        ).distinct()
    return cases


def get_incidents_for_user(user: Any) -> QuerySet:
    from safeguarding.reviews.models import Incident

    if not can_user_use_registers(user):
        return Incident.objects.none()
    return Incident.objects.filter(case__in=get_cases_for_user(user))


def get_clocks_for_user(user: Any) -> QuerySet:
    """Clocks on records the user may see."""
    from django.contrib.contenttypes.models import ContentType

    from safeguarding.core.models import Clock
    from safeguarding.reviews.models import Incident, Review

    if not can_user_use_registers(user):
        return Clock.objects.none()
    clocks = Clock.objects.filter(partnership_id=user.partnership_id)
    if user.role == Role.AGENCY_LEAD:
        clocks = clocks.filter(
            Q(
                subject_type=ContentType.objects.get_for_model(Review),
                subject_id__in=get_reviews_for_user(user).values("pk"),
            )
            | Q(
                subject_type=ContentType.objects.get_for_model(Incident),
                subject_id__in=get_incidents_for_user(user).values("pk"),
            )
        )
    return clocks


def get_object_for_user(queryset: QuerySet, pk: Any) -> Any:
    """The object with this key from a queryset already scoped to the user, or 404."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def get_agencies_for_user(user: Any) -> QuerySet:
    from safeguarding.accounts.models import Agency

    if not _active(user):
        return Agency.objects.none()
    return Agency.objects.filter(partnership_id=user.partnership_id)
