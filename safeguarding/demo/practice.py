"""The demo partnership's learning into practice: actions, dissemination and assurance.

Fictional, in our own words. It covers the partnership responses that section 4 of the seed
report describes: the professional curiosity workshops, survey, shared resources and regional
masterclass series; the revised concerns resolution (escalation) guidance and the agencies' own
actions to promote it; bereavement learning at the children's partnership meeting; the domestic
abuse review's recommendations; the police-led workshop on registered sex offenders; and the
complex health needs travel policy widened to stays out of area. Historical records keep the
seed's dates; the ones still running are placed relative to today so the dashboard and the
reminders have something due soon and overdue. Must run after the learning demo (it links to
the themes, findings and responses that loader records).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from safeguarding.accounts.models import Agency, Partnership, User
from safeguarding.actionplans import services as actions
from safeguarding.actionplans.models import Action, Recommendation
from safeguarding.demo.learning import BER, CHN, COV, CSA, DA, DC, ESC, PC, RA, SEED_PERIOD
from safeguarding.dissemination import services as practice
from safeguarding.dissemination.models import LearningProduct
from safeguarding.learning.models import Finding, Theme, ThemeResponse
from safeguarding.reviews.models import Review, ReviewKind

D = dt.date


@dataclass(frozen=True)
class DemoAction:
    theme: str
    agency: str  # short name
    title: str
    lead: str
    agreed: dt.date | int  # a date, or days from today (negative: in the past)
    due: dt.date | int
    evidence: tuple[tuple[str, str, str], ...] = ()  # (kind, description, url)
    done: dt.date | None = None
    progress: str = ""
    recommendation: str = ""
    # The finding it answers: (review title, the start of the finding's text); the review is
    # taken from it.
    finding: tuple[str, str] | None = None


RECOMMENDATIONS = {
    "DA record": (
        DA,
        "Record domestic abuse enquiries and what came of them",
        "Every agency should record when it asks about domestic abuse, what it was told and "
        "what it did next, so that a pattern can be seen across incidents.",
    ),
    "DA pregnancy": (
        DA,
        "Assess past domestic abuse in a first pregnancy",
        "Antenatal and health visiting risk assessments should consider domestic abuse in a "
        "parent's earlier relationships, because pregnancy is a time of raised risk.",
    ),
}

ACTIONS: tuple[DemoAction, ...] = (
    DemoAction(
        PC,
        "LA",
        "Hold partnership workshops on what helps and hinders professional curiosity",
        "Partnership training and development officer",
        D(2022, 4, 4),
        D(2022, 9, 30),
        (
            (
                "note",
                "Three workshops held in June and July 2022 with 64 practitioners from "
                "nine agencies; notes of the barriers raised are on the partnership drive.",
                "",
            ),
        ),
        done=D(2022, 9, 14),
    ),
    DemoAction(
        PC,
        "LA",
        "Survey agencies on how supervision supports professional curiosity",
        "Partnership business unit manager",
        D(2022, 4, 4),
        D(2022, 11, 30),
        (
            (
                "link",
                "Survey summary: 14 of 16 agencies replied; half have no prompt for "
                "curiosity in supervision.",
                "https://example.invalid/lscp/curiosity-survey",
            ),
        ),
        done=D(2022, 11, 18),
    ),
    DemoAction(
        PC,
        "LA",
        "Write shared city-wide professional curiosity resources with the adults board",
        "Partnership business unit manager",
        D(2022, 12, 5),
        12,
        (("note", "Draft toolkit agreed by the adults board's learning group.", ""),),
        progress="Draft with the community safety partnership for comment.",
    ),
    DemoAction(
        PC,
        "Police",
        "Add professional curiosity prompts to the police supervision template",
        "Detective Inspector, safeguarding hub",
        D(2023, 1, 9),
        -10,
        progress="Template drafted; waiting for the force's records team.",
    ),
    DemoAction(
        DC,
        "LA",
        "Build disguised compliance case studies into the curiosity training",
        "Partnership training and development officer",
        D(2022, 10, 3),
        D(2023, 1, 31),
        (("note", "Two anonymised case studies added to the course pack in January.", ""),),
        done=D(2023, 1, 20),
    ),
    DemoAction(
        ESC,
        "LA",
        "Revise the concerns resolution guidance on confidence, power and early challenge",
        "Partnership business unit manager",
        D(2022, 9, 5),
        D(2023, 2, 28),
        (
            (
                "link",
                "Revised guidance published on the partnership website.",
                "https://example.invalid/lscp/concerns-resolution",
            ),
            ("note", "Guidance now asks practitioners to record informal, early challenge.", ""),
        ),
        done=D(2023, 2, 20),
    ),
    DemoAction(
        ESC,
        "Police",
        "Promote the concerns resolution process in police safeguarding training",
        "Detective Inspector, safeguarding hub",
        D(2023, 2, 20),
        6,
        (("note", "Slides added to the public protection course.", ""),),
        progress="First course with the new slides ran last month.",
    ),
    DemoAction(
        ESC,
        "ICB",
        "Remind health visitors how to escalate a disagreement about case closure",
        "Designated nurse for safeguarding children",
        D(2023, 2, 20),
        D(2023, 5, 31),
        (
            (
                "note",
                "Message sent to every health visiting team and discussed at their "
                "safeguarding supervision.",
                "",
            ),
        ),
        done=D(2023, 4, 28),
        finding=("CSPR: Child D", "The health visitor disagreed with the decision"),
    ),
    DemoAction(
        ESC,
        "Education",
        "Brief designated safeguarding leads on escalating when a response seems slow",
        "Education safeguarding adviser",
        D(2023, 2, 20),
        -20,
        finding=("Rapid review: Child J", "The school escalated its concern twice"),
    ),
    DemoAction(
        BER,
        "LA",
        "Present the bereavement learning at the spring children's partnership meeting",
        "Partnership business unit manager",
        D(2023, 1, 9),
        D(2023, 4, 30),
        (
            (
                "note",
                "Presented on 26 April 2023; discussion notes sent to the learning and "
                "development subgroup.",
                "",
            ),
        ),
        done=D(2023, 4, 26),
    ),
    DemoAction(
        DA,
        "Hospital",
        "Add the outcome of routine enquiry to the maternity booking record",
        "Named midwife for safeguarding",
        D(2022, 3, 7),
        D(2022, 9, 30),
        (("note", "New field live on the maternity system from 12 September 2022.", ""),),
        done=D(2022, 9, 12),
        recommendation="DA record",
    ),
    DemoAction(
        DA,
        "ICB",
        "Include past domestic abuse in antenatal and new-birth risk assessment guidance",
        "Designated nurse for safeguarding children",
        D(2023, 1, 9),
        45,
        progress="Guidance drafted with midwifery and health visiting.",
        recommendation="DA pregnancy",
        finding=(
            "Multi-agency audit: domestic abuse in first pregnancies",
            "Past domestic abuse was seldom assessed",
        ),
    ),
    DemoAction(
        RA,
        "Police",
        "Run a multi-agency workshop on the oversight of registered sex offenders",
        "Detective Inspector, public protection",
        D(2023, 3, 6),
        25,
        progress="Date and speakers agreed; invitations go out next week.",
        finding=("Rapid review: Child D", "Health staff did not understand what probation"),
    ),
    DemoAction(
        CHN,
        "ICB",
        "Widen the policy for children with complex health needs travelling abroad to "
        "cover stays out of area",
        "Designated doctor for safeguarding children",
        D(2022, 6, 6),
        D(2022, 11, 30),
        (
            (
                "link",
                "Updated policy, November 2022.",
                "https://example.invalid/lscp/complex-health-travel",
            ),
        ),
        done=D(2022, 11, 21),
        finding=("Rapid review: Child F", "No one checked that the child could get medical"),
    ),
    DemoAction(
        CSA,
        "Early Help",
        "Refresh the Was Not Brought guidance for Early Help workers",
        "Early Help service manager",
        D(2023, 1, 9),
        70,
        finding=("Rapid review: Child F", "When the child was not brought to two appointments"),
    ),
)


@dataclass(frozen=True)
class DemoProduct:
    kind: str
    title: str
    summary: str
    issued: dt.date | None
    themes: tuple[str, ...]
    # events: (title, date or days from today, status, audience short names, {agency: attended})
    events: tuple[tuple[str, dt.date | int, str, tuple[str, ...], dict[str, int]], ...] = ()
    plan: tuple[tuple[str, ...], int] | None = None  # (agencies, places per session)
    asked: tuple[str, ...] = ()
    # assurance: agency -> [(stage, date, evidence, decision)] with decision accept / return /
    # wait; a final "audit" entry is the re-audit's result.
    assurance: dict[str, list[tuple[int, dt.date, str, str]]] = field(default_factory=dict)
    reviews: tuple[str, ...] = ()


PRODUCTS: tuple[DemoProduct, ...] = (
    DemoProduct(
        "learning_brief",
        "Learning brief: rapid reviews, May 2021 to December 2022",
        "What eleven rapid reviews found, good practice first, and what each agency is asked "
        "to do with it. Sent to agency training leads for single-agency training.",
        D(2023, 1, 16),
        (PC, DC, ESC, BER, COV),
        asked=("LA", "ICB", "Police", "Education", "Early Help"),
        assurance={
            "LA": [
                (1, D(2023, 1, 18), "Circulated to all social work teams.", "accept"),
                (3, D(2023, 3, 30), "Added to the social work refresher course.", "accept"),
            ],
            "ICB": [
                (
                    2,
                    D(2023, 2, 10),
                    "Discussed at every health safeguarding supervision group in February.",
                    "accept",
                ),
                (3, D(2023, 4, 14), "Added to level 3 safeguarding training.", "wait"),
            ],
            "Police": [(1, D(2023, 1, 20), "Sent to the public protection unit.", "accept")],
            "Early Help": [(2, D(2023, 2, 1), "Shared with team managers.", "return")],
        },
        reviews=("Rapid review: Child B", "Rapid review: Child I", "Rapid review: Child K"),
    ),
    DemoProduct(
        "seven_minute",
        "7-minute briefing: escalation and the concerns resolution process",
        "Why concerns were not escalated, how power and confidence get in the way, and how to "
        "record early challenge.",
        D(2023, 2, 27),
        (ESC,),
        asked=("LA", "ICB", "Police", "Education"),
        assurance={
            "LA": [(2, D(2023, 3, 10), "Used in every team meeting in March.", "accept")],
            "Police": [(1, D(2023, 3, 1), "Received by the safeguarding hub.", "accept")],
            "ICB": [(3, D(2023, 5, 2), "In the health visitors' induction pack.", "accept")],
        },
        reviews=("Rapid review: Child J", "CSPR: Child D"),
    ),
    DemoProduct(
        "practitioner_session",
        "Practitioner session: professional curiosity and disguised compliance",
        "A 90-minute session using the review case studies: what looked like co-operation, and "
        "the questions that would have shown what was really happening.",
        D(2023, 2, 1),
        (PC, DC),
        events=(
            (
                "Practitioner session (online)",
                D(2023, 2, 8),
                "delivered",
                ("LA", "Police", "Early Help"),
                {"LA": 34, "Police": 12, "Early Help": 9},
            ),
            (
                "Practitioner session (city centre)",
                D(2023, 3, 8),
                "delivered",
                ("LA", "Police", "Early Help"),
                {"LA": 28, "Police": 19, "Early Help": 11},
            ),
            (
                "Practitioner session (online)",
                D(2023, 5, 10),
                "delivered",
                ("LA", "Police", "Early Help"),
                {"LA": 40, "Police": 15, "Early Help": 6},
            ),
            (
                "Practitioner session (east locality)",
                D(2023, 6, 14),
                "cancelled",
                ("LA", "Early Help"),
                {},
            ),
            ("Practitioner session (online)", 20, "planned", ("LA", "Police", "Early Help"), {}),
            (
                "Practitioner session (west locality)",
                48,
                "planned",
                ("LA", "Police", "Early Help"),
                {},
            ),
        ),
        plan=(("LA", "Police", "Early Help"), 60),
        asked=("LA", "Police", "Early Help"),
        assurance={
            "LA": [
                (
                    3,
                    D(2023, 6, 1),
                    "Session materials built into the social work induction programme.",
                    "accept",
                )
            ],
            "Police": [(2, D(2023, 5, 20), "Cascaded to every neighbourhood sergeant.", "accept")],
        },
    ),
    DemoProduct(
        "masterclass",
        "Regional masterclass series: professional curiosity",
        "A spring series with the regional partnerships; the partnership's workshop and survey "
        "findings chose the topics and speakers.",
        D(2023, 3, 15),
        (PC,),
        events=(
            (
                "Masterclass 1: curiosity in supervision",
                D(2023, 3, 15),
                "delivered",
                ("LA", "ICB", "Police", "Education", "Hospital"),
                {"LA": 22, "ICB": 18, "Police": 9, "Education": 25, "Hospital": 14},
            ),
            (
                "Masterclass 2: hearing the child",
                D(2023, 4, 19),
                "delivered",
                ("LA", "ICB", "Police", "Education", "Hospital"),
                {"LA": 19, "ICB": 21, "Police": 7, "Education": 31, "Hospital": 10},
            ),
            (
                "Masterclass 3: when families seem to co-operate",
                D(2023, 5, 17),
                "delivered",
                ("LA", "ICB", "Police", "Education", "Hospital"),
                {"LA": 25, "ICB": 16, "Police": 12, "Education": 20, "Hospital": 12},
            ),
        ),
    ),
    DemoProduct(
        "presentation",
        "Learning from reviews: children's partnership spring meeting",
        "Presentation to the children and young people's partnership, with a discussion of "
        "balancing support for bereaved families with watching risk.",
        D(2023, 4, 26),
        (BER, CSA),
        events=(
            (
                "Children's partnership bi-annual meeting",
                D(2023, 4, 26),
                "delivered",
                ("LA", "ICB", "Police", "Education", "Early Help", "Housing"),
                {"LA": 6, "ICB": 4, "Police": 3, "Education": 5, "Early Help": 2, "Housing": 2},
            ),
        ),
    ),
    DemoProduct(
        "newsletter",
        "Newsletter: the complex health needs travel policy now covers stays out of area",
        "What changed in November 2022 and what to check before a child with complex health "
        "needs stays with relatives elsewhere.",
        D(2022, 12, 5),
        (CHN,),
        asked=("ICB", "Hospital"),
        assurance={
            "ICB": [
                (1, D(2022, 12, 7), "Received and sent to community nursing.", "accept"),
                (
                    2,
                    D(2023, 1, 12),
                    "Included in the community children's nursing bulletin.",
                    "accept",
                ),
            ],
        },
    ),
    DemoProduct(
        "training_update",
        "Domestic abuse review: key messages for single-agency training",
        "The partnership's domestic abuse review: recording enquiries and their outcomes, and "
        "assessing past abuse in a first pregnancy.",
        D(2022, 3, 1),
        (DA,),
        asked=("ICB", "Hospital", "Police"),
        assurance={
            "Hospital": [
                (3, D(2022, 6, 1), "In midwives' mandatory training.", "accept"),
                (
                    4,
                    D(2022, 12, 9),
                    "Routine enquiry was recorded at booking in eight of the twelve files audited.",
                    "audit",
                ),
            ],
            "ICB": [
                (4, D(2022, 9, 1), "Health visitors report asking about past abuse.", "accept"),
                (
                    3,
                    D(2022, 12, 9),
                    "The audit found past abuse seldom assessed in a first pregnancy.",
                    "audit",
                ),
            ],
            "Police": [(2, D(2022, 4, 4), "Briefed to domestic abuse officers.", "accept")],
        },
    ),
    DemoProduct(
        "practitioner_session",
        "Workshop: multi-agency oversight of registered sex offenders",
        "A police-led workshop on what each agency's risk levels mean and who needs to know.",
        None,
        (RA,),
        events=(
            (
                "Registered sex offenders workshop",
                25,
                "planned",
                ("Police", "Probation", "LA", "ICB"),
                {},
            ),
        ),
        plan=(("Police", "Probation"), 40),
    ),
)

AUDIT_TITLE = "Multi-agency audit: domestic abuse in first pregnancies"


def _day(value: dt.date | int, today: dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else today + dt.timedelta(days=value)


def load_practice(*, actor: User, partnership: Partnership) -> dict[str, int]:
    """Record the demo's actions, dissemination and assurance. Returns counts of each."""
    today = timezone.localdate()
    agencies: dict[str, Agency] = {a.short_name: a for a in partnership.agencies.all()}
    themes = {t.name: t for t in Theme.objects.filter(partnership=partnership)}
    start, end = SEED_PERIOD
    responses = {
        r.theme.name: r
        for r in ThemeResponse.objects.filter(
            partnership=partnership, period_start=start, period_end=end
        ).select_related("theme")
    }
    leads: dict[int, User] = {
        u.agency_id: u
        for u in User.objects.filter(partnership=partnership, role="agency_lead")
        if u.agency_id is not None
    }
    recommendations: dict[str, Recommendation] = {}
    audit = Review.objects.filter(
        partnership=partnership, kind=ReviewKind.AUDIT, title=AUDIT_TITLE
    ).first()
    for key, (theme, title, text) in RECOMMENDATIONS.items():
        recommendations[key] = actions.recommendation_create(
            actor=actor,
            partnership=partnership,
            title=title,
            text=text,
            made_on=D(2022, 2, 14),
            theme=themes[theme],
        )
    made: list[Action] = []
    for demo in ACTIONS:
        made.append(
            _action(actor, partnership, demo, agencies, responses, recommendations, leads, today)
        )
    products = [
        _product(actor, partnership, demo, agencies, themes, leads, audit, today)
        for demo in PRODUCTS
    ]
    return {"actions": len(made), "products": len(products)}


def _action(
    actor: User,
    partnership: Partnership,
    demo: DemoAction,
    agencies: dict[str, Agency],
    responses: dict[str, ThemeResponse],
    recommendations: dict[str, Recommendation],
    leads: dict[int, User],
    today: dt.date,
) -> Action:
    agency = agencies[demo.agency]
    agreed = _day(demo.agreed, today)
    action = actions.action_create(
        actor=actor,
        partnership=partnership,
        title=demo.title,
        owner_agency=agency,
        lead=demo.lead,
        agreed_on=agreed,
        due_on=max(_day(demo.due, today), agreed),
        recommendation=recommendations.get(demo.recommendation),
        theme_response=responses.get(demo.theme),
        finding=_finding(partnership, demo.finding) if demo.finding else None,
    )
    # The agency's own lead records its evidence where it has one; else the business unit.
    by = leads.get(agency.pk, actor)
    for kind, description, url in demo.evidence:
        actions.evidence_add(actor=by, action=action, kind=kind, description=description, url=url)
    if demo.done:
        actions.action_set_status(actor=by, action=action, status="completed", on=demo.done)
    elif demo.progress:
        actions.action_set_status(
            actor=by, action=action, status="in_progress", on=today, note=demo.progress
        )
    return action


def _finding(partnership: Partnership, which: tuple[str, str]) -> Finding:
    review_title, opening = which
    return Finding.objects.current().get(
        partnership=partnership, review__title=review_title, text__startswith=opening
    )


def _product(
    actor: User,
    partnership: Partnership,
    demo: DemoProduct,
    agencies: dict[str, Agency],
    themes: dict[str, Theme],
    leads: dict[int, User],
    audit: Review | None,
    today: dt.date,
) -> LearningProduct:
    product = practice.product_save(
        actor=actor,
        partnership=partnership,
        kind=demo.kind,
        title=demo.title,
        summary=demo.summary,
        issued_on=demo.issued,
        themes=[themes[name] for name in demo.themes],
        reviews=Review.objects.filter(partnership=partnership, title__in=demo.reviews),
    )
    for title, when, status, audience, attended in demo.events:
        event = practice.event_save(
            actor=actor,
            product=product,
            audience_agencies=[agencies[a] for a in audience],
            title=title,
            held_on=_day(when, today),
            status=status,
            capacity=60 if demo.kind != "masterclass" else 150,
        )
        for short, count in attended.items():
            practice.attendance_set(
                actor=actor, event=event, agency=agencies[short], attendees=count
            )
    if demo.plan:
        names, places = demo.plan
        practice.session_plan_create(
            actor=actor,
            product=product,
            agencies=[agencies[a] for a in names],
            session_capacity=places,
        )
    asked = set(demo.asked) | set(demo.assurance)
    if asked:
        practice.assurance_request(
            actor=actor,
            product=product,
            agencies=[agencies[a] for a in sorted(asked)],
            on=demo.issued or today,
        )
    for short, steps in demo.assurance.items():
        agency = agencies[short]
        record = product.assurance_records.get(agency=agency)
        for stage, on, evidence, decision in steps:
            _assure(
                actor, leads.get(agency.pk, actor), record, stage, on, evidence, decision, audit
            )
            record.refresh_from_db()
    return product


def _assure(
    actor: User,
    lead: User,
    record: Any,
    stage: int,
    on: dt.date,
    evidence: str,
    decision: str,
    audit: Review | None,
) -> None:
    if decision == "audit":
        if audit is None:
            return
        practice.audit_result_record(
            actor=actor,
            audit=audit,
            product=record.product,
            agency=record.agency,
            stage=stage,
            on=on,
            finding=evidence,
            reason="" if stage > record.stage else "The re-audit did not find the change.",
        )
        return
    submission = practice.assurance_submit(
        actor=lead, record=record, stage=stage, achieved_on=on, evidence=evidence
    )
    if decision == "accept":
        practice.assurance_accept(actor=actor, submission=submission, note="Thank you.")
    elif decision == "return":
        practice.assurance_return(
            actor=actor,
            submission=submission,
            note="Please say which teams it reached and attach the briefing record.",
        )
