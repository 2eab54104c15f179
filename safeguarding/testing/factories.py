"""Builders for tests: a partnership with its agencies and one user per role."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from safeguarding.accounts.models import Agency, Partnership, Role, User
from safeguarding.accounts.services import agency_create, partnership_create, user_create
from safeguarding.reviews import services as review_services
from safeguarding.reviews.models import Case, Incident, NotificationDecision, Review

PASSWORD = "correct-horse-battery-staple"
_seq = itertools.count(1)


@dataclass
class World:
    """One partnership, its agencies, and a user for every role."""

    partnership: Partnership
    la: Agency
    health: Agency
    police: Agency
    school: Agency
    users: dict[str, User] = field(default_factory=dict)

    @property
    def business_unit(self) -> User:
        return self.users["business_unit"]


def make_world(slug: str | None = None) -> World:
    n = next(_seq)
    slug = slug or f"p{n}"
    partnership = partnership_create(actor=None, name=f"Partnership {slug}", slug=slug)
    la = agency_create(
        actor=None,
        partnership=partnership,
        name="Children's services",
        is_statutory_partner=True,
        workforce_size=1200,
    )
    health = agency_create(
        actor=None,
        partnership=partnership,
        name="Integrated care board",
        is_statutory_partner=True,
        workforce_size=3000,
    )
    police = agency_create(
        actor=None,
        partnership=partnership,
        name="Police",
        is_statutory_partner=True,
        workforce_size=900,
    )
    school = agency_create(actor=None, partnership=partnership, name="Schools", workforce_size=5000)
    world = World(partnership=partnership, la=la, health=health, police=police, school=school)
    for role, agency in (
        (Role.BUSINESS_UNIT, None),
        (Role.RAG_MEMBER, None),
        (Role.AGENCY_LEAD, police),
        (Role.SCRUTINEER, None),
        (Role.SCRUTINY_READER, None),
    ):
        world.users[str(role)] = user_create(
            actor=None,
            partnership=partnership,
            username=f"{slug}-{role}",
            password=PASSWORD,
            role=role,
            agency=agency,
            first_name=str(role.label),
        )
    world.users["agency_lead_health"] = user_create(
        actor=None,
        partnership=partnership,
        username=f"{slug}-health-lead",
        password=PASSWORD,
        role=Role.AGENCY_LEAD,
        agency=health,
    )
    return world


def make_case(world: World, *, agencies: Any = (), **fields: Any) -> Case:
    defaults: dict[str, Any] = {
        "reference": f"Child {next(_seq)}",
        "age_years": 2,
        "sex": "female",
        "outcome": "seriously_harmed",
        "category": "neglect",
    }
    defaults.update(fields)
    return review_services.case_create(
        actor=world.business_unit, partnership=world.partnership, agencies=agencies, **defaults
    )


def make_incident(
    world: World,
    *,
    la_aware_on: dt.date,
    notified_on: dt.date | None = None,
    decision: str = NotificationDecision.NOTIFY,
    case: Case | None = None,
    **case_fields: Any,
) -> Incident:
    return review_services.incident_record(
        actor=world.business_unit,
        partnership=world.partnership,
        case=case or make_case(world, **case_fields),
        summary="A fictional incident for a test.",
        la_aware_on=la_aware_on,
        decision=decision,
        decision_rationale="Meets the criteria.",
        notified_on=notified_on,
    )


def rapid_review_of(incident: Incident) -> Review:
    return incident.reviews.get(kind="rapid_review")


def commission_cspr(
    world: Any,
    rapid_review: Review,
    *,
    decided_on: dt.date = dt.date(2023, 3, 20),
    commissioned_on: dt.date = dt.date(2023, 4, 3),
) -> Review:
    """Decide on the rapid review that a CSPR follows, then commission it (the CSPR)."""
    review_services.review_update(
        actor=world.business_unit,
        review=rapid_review,
        decision="cspr",
        decision_rationale="Meets the Regulation 11 criteria.",
        decision_on=decided_on,
    )
    return review_services.review_commission_follow_up(
        actor=world.business_unit, rapid_review=rapid_review, commissioned_on=commissioned_on
    )
