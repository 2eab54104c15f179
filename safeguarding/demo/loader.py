"""Loads the demo partnership through the same services the pages use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.models import Agency, Partnership, User
from safeguarding.accounts.services import agency_create, partnership_create, user_create
from safeguarding.demo import partnership as p
from safeguarding.demo.escalations import load_escalations
from safeguarding.demo.learning import load_learning
from safeguarding.demo.practice import load_practice
from safeguarding.demo.reviews import (
    IDENTITIES,
    IN_PERIOD,
    OUTSIDE_PERIOD,
    RUNNING,
    RUNNING_CSPR_DAYS_AGO,
    DemoCase,
)
from safeguarding.reviews import services
from safeguarding.reviews.models import ReviewKind, ReviewStatus

FOLLOW_UP = {"cspr": "Independent reviewer (fictional)", "local_learning": ""}


@transaction.atomic
def load_demo() -> Partnership:
    """Create the demo partnership. Raises ValueError if it is already there."""
    if Partnership.objects.filter(slug=p.SLUG).exists():
        raise ValueError(f"The demo partnership '{p.SLUG}' is already loaded.")
    partnership = partnership_create(actor=None, name=p.NAME, slug=p.SLUG)
    agencies: dict[str, Agency] = {}
    for short, (name, statutory, workforce) in p.AGENCIES.items():
        agencies[short] = agency_create(
            actor=None,
            partnership=partnership,
            name=name,
            short_name=short,
            is_statutory_partner=statutory,
            workforce_size=workforce,
        )
    users: dict[str, User] = {}
    for username, (first, last, role, agency) in p.USERS.items():
        users[username] = user_create(
            actor=None,
            partnership=partnership,
            username=username,
            password=p.PASSWORD,
            role=role,
            first_name=first,
            last_name=last,
            agency=agencies[agency] if agency else None,
            email=f"{username}@example.invalid",
        )
    actor = users["business.unit"]
    statutory_partners = [a for a in agencies.values() if a.is_statutory_partner]
    for demo in IN_PERIOD + OUTSIDE_PERIOD:
        _load_case(actor, partnership, agencies, statutory_partners, demo)
    _load_running(actor, partnership, agencies)
    _load_audit(actor, partnership, agencies)
    _load_not_notified(actor, partnership, agencies)
    load_learning(actor=actor, partnership=partnership)
    load_practice(actor=actor, partnership=partnership)  # after learning: links its themes
    load_escalations(actor=actor, partnership=partnership, agencies=agencies)
    _load_other_partnership()
    return partnership


def _load_case(
    actor: User,
    partnership: Partnership,
    agencies: dict[str, Agency],
    statutory: list[Agency],
    demo: DemoCase,
) -> None:
    involved = [agencies[a] for a in demo.agencies]
    case = services.case_create(
        actor=actor,
        partnership=partnership,
        agencies=involved,
        reference=demo.reference,
        age_years=demo.age,
        sex=demo.sex,
        outcome=demo.outcome,
        category=demo.category,
        incident_date=demo.aware - dt.timedelta(days=1),
        ethnicity="unknown",
        disability="no",
    )
    if demo.reference in IDENTITIES:
        name, address = IDENTITIES[demo.reference]
        services.case_identity_save(
            actor=actor,
            case=case,
            child_name=name,
            address=address,
            date_of_birth=demo.aware - dt.timedelta(days=365 * demo.age + 70),
            agency_record_numbers=f"Police NB/{demo.aware:%y}/{ord(demo.reference[-1]):04d}",
        )
    incident = services.incident_record(
        actor=actor,
        partnership=partnership,
        case=case,
        summary=demo.facts,
        la_aware_on=demo.aware,
        decision="notify",
        notified_on=demo.notified,
        decision_rationale="Abuse or neglect is known or suspected and the child has "
        + ("died." if demo.outcome == "died" else "been seriously harmed."),
    )
    review = incident.reviews.get(kind=ReviewKind.RAPID_REVIEW)
    services.review_update(
        actor=actor,
        review=review,
        facts=demo.facts,
        agency_involvement="Agencies involved: " + ", ".join(a.name for a in involved) + ".",
        key_practice_episodes="Chronology of contacts in the twelve months before the "
        "incident, with the points where a different response might have changed things.",
        immediate_actions="Safety planning for siblings; single-agency reviews of records.",
        inequalities="The review considered whether the family's circumstances, ethnicity, "
        "disability or poverty affected how services responded.",
        decision=demo.decision,
        decision_on=demo.decision_on,
        decision_rationale=_rationale(demo.decision),
        sent_to_panel_on=demo.sent_to_panel,
        panel_response="The Panel thanked the partnership for the rapid review."
        if demo.panel_agreed
        else "",
        panel_response_on=demo.sent_to_panel + dt.timedelta(days=21)
        if demo.sent_to_panel and demo.panel_agreed
        else None,
        panel_agreed=demo.panel_agreed,
        status=ReviewStatus.COMPLETED,
        completed_on=demo.sent_to_panel,
    )
    for agency in statutory:
        services.review_signoff(
            actor=actor,
            review=review,
            agency=agency,
            signed_by=f"Safeguarding partner for {agency.short_name}",
            signed_on=demo.decision_on or demo.aware,
        )
    if demo.decision in FOLLOW_UP and demo.decision_on:
        follow_up = services.review_commission_follow_up(
            actor=actor,
            rapid_review=review,
            commissioned_on=demo.decision_on,
            author=FOLLOW_UP[demo.decision],
        )
        if demo.pause:
            pause = services.review_pause(
                actor=actor, review=follow_up, starts_on=demo.pause[0], reason=demo.pause[2]
            )
            if demo.pause[1]:
                services.review_resume(actor=actor, pause=pause, ends_on=demo.pause[1])
        if demo.follow_up_done:
            fields: dict[str, Any] = {
                "completed_on": demo.follow_up_done,
                "status": ReviewStatus.COMPLETED,
            }
            if demo.published:
                fields.update(
                    status=ReviewStatus.PUBLISHED,
                    published_on=demo.published,
                    panel_notified_before_publication_on=demo.published - dt.timedelta(days=7),
                )
            services.review_update(actor=actor, review=follow_up, **fields)


def _rationale(decision: str) -> str:
    return {
        "cspr": "The case meets the Regulation 11 criteria: it highlights improvements needed "
        "in how agencies work together, and may be of wider importance.",
        "local_learning": "The criteria for a CSPR are not met, but there is local learning "
        "about multi-agency practice that a local review can draw out.",
        "no_further": "The rapid review identified the learning; a further review would add "
        "little. Learning is taken forward through the action plan.",
    }.get(decision, "")


def _load_running(actor: User, partnership: Partnership, agencies: dict[str, Agency]) -> None:
    today = timezone.localdate()
    for demo in RUNNING:
        case = services.case_create(
            actor=actor,
            partnership=partnership,
            agencies=[agencies[a] for a in demo.agencies],
            reference=demo.reference,
            age_years=demo.age,
            sex=demo.sex,
            outcome=demo.outcome,
            category=demo.category,
        )
        services.incident_record(
            actor=actor,
            partnership=partnership,
            case=case,
            summary=demo.facts,
            la_aware_on=today - dt.timedelta(days=demo.aware_days_ago),
            decision=demo.decision,
            decision_rationale="Serious harm and abuse or neglect suspected."
            if demo.decision == "notify"
            else "",
            notified_on=today - dt.timedelta(days=demo.notified_days_ago)
            if demo.notified_days_ago is not None
            else None,
        )
    case = services.case_create(
        actor=actor,
        partnership=partnership,
        agencies=[agencies["LA"], agencies["ICB"]],
        reference="Child V",
        age_years=0,
        sex="male",
        outcome="seriously_harmed",
        category="physical",
    )
    services.review_create(
        actor=actor,
        partnership=partnership,
        agencies=[agencies["LA"], agencies["ICB"]],
        kind=ReviewKind.CSPR,
        title="CSPR: Child V",
        case=case,
        opened_on=today - dt.timedelta(days=RUNNING_CSPR_DAYS_AGO),
        commissioned_on=today - dt.timedelta(days=RUNNING_CSPR_DAYS_AGO),
        author="Independent reviewer (fictional)",
    )


def _load_audit(actor: User, partnership: Partnership, agencies: dict[str, Agency]) -> None:
    services.review_create(
        actor=actor,
        partnership=partnership,
        agencies=[agencies[a] for a in ("LA", "ICB", "Police", "Education")],
        kind=ReviewKind.AUDIT,
        title="Multi-agency audit: domestic abuse in first pregnancies",
        opened_on=dt.date(2022, 10, 10),
        completed_on=dt.date(2022, 12, 9),
        status=ReviewStatus.COMPLETED,
        audit_topic="Domestic abuse and first pregnancy",
        audit_questions="Was routine enquiry made at booking?\nWas historical abuse assessed?",
        audit_summary="Twelve case files audited; routine enquiry recorded in eight.",
    )


def _load_not_notified(actor: User, partnership: Partnership, agencies: dict[str, Agency]) -> None:
    case = services.case_create(
        actor=actor,
        partnership=partnership,
        agencies=[agencies["LA"]],
        reference="Child W",
        age_years=10,
        sex="female",
        outcome="other",
        category="not_known",
    )
    services.incident_record(
        actor=actor,
        partnership=partnership,
        case=case,
        summary="A ten-year-old was injured in a road accident; no abuse or neglect suspected.",
        la_aware_on=dt.date(2022, 3, 21),
        decision="do_not_notify",
        decision_rationale="No abuse or neglect is known or suspected.",
    )


def _load_other_partnership() -> None:
    other = partnership_create(actor=None, name=p.OTHER_NAME, slug=p.OTHER_SLUG)
    for username, (first, last, role, _agency) in p.OTHER_USERS.items():
        user_create(
            actor=None,
            partnership=other,
            username=username,
            password=p.PASSWORD,
            role=role,
            first_name=first,
            last_name=last,
        )
    for username, first, last, role in (p.ANALYST, p.SERVICE_ADMIN):
        user_create(
            actor=None,
            partnership=None,
            username=username,
            password=p.PASSWORD,
            role=role,
            first_name=first,
            last_name=last,
        )
