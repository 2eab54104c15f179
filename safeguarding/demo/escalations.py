"""The demo partnership's escalations: fictional, written for the demo.

Most in the seed's period (1 May 2021 to 31 December 2022) were recorded at the first stage and
settled there; some were resolved at each later stage, three were withdrawn and one was referred
on; three were first recorded only once they reached the second stage (the gap the seed report
describes). A few are running now, relative to today, and exactly one is past its stage's limit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from safeguarding.accounts.models import Agency, Partnership, User
from safeguarding.escalations import services
from safeguarding.escalations.models import EscalationStage
from safeguarding.learning.models import Theme
from safeguarding.reviews.models import Review, ReviewKind

D = dt.date


@dataclass(frozen=True)
class DemoEscalation:
    raised_on: dt.date
    raised_by: str  # agency short names
    about: str
    category: str
    moves: tuple[dt.date, ...]  # the days it moved up a stage
    outcome: str  # resolved / withdrawn / referred_on / "" (still open)
    closed_on: dt.date | None
    how: str = ""
    note: str = ""
    child: str = ""
    first_stage: int = 1
    by_name: str = ""
    summary: str = ""


IN_PERIOD: tuple[DemoEscalation, ...] = (
    # Resolved at the first stage.
    DemoEscalation(
        D(2021, 5, 24),
        "Education",
        "LA",
        "threshold",
        (),
        "resolved",
        D(2021, 5, 26),
        "explained",
        "Social worker explained the early help offer; school agreed.",
        "Child EA",
        by_name="Designated safeguarding lead, primary school",
    ),
    DemoEscalation(
        D(2021, 7, 6),
        "ICB",
        "LA",
        "information",
        (),
        "resolved",
        D(2021, 7, 8),
        "action_agreed",
        "Health visitor invited to the core group.",
        "Child EB",
    ),
    DemoEscalation(
        D(2021, 9, 14),
        "Police",
        "Housing",
        "information",
        (),
        "resolved",
        D(2021, 9, 15),
        "action_agreed",
        "Housing shared the tenancy history the same day.",
    ),
    DemoEscalation(
        D(2021, 11, 2),
        "Early Help",
        "LA",
        "threshold",
        (),
        "resolved",
        D(2021, 11, 5),
        "decision_changed",
        "Referral accepted for assessment.",
        "Child EC",
    ),
    DemoEscalation(
        D(2022, 1, 18),
        "Hospital",
        "LA",
        "strategy",
        (),
        "resolved",
        D(2022, 1, 19),
        "action_agreed",
        "Strategy discussion held the next morning.",
        "Child ED",
    ),
    DemoEscalation(
        D(2022, 3, 8),
        "Education",
        "ICB",
        "plan",
        (),
        "resolved",
        D(2022, 3, 10),
        "explained",
        "School nurse explained the health plan.",
    ),
    DemoEscalation(
        D(2022, 6, 7),
        "LA",
        "Police",
        "information",
        (),
        "resolved",
        D(2022, 6, 9),
        "action_agreed",
        "Police shared the domestic abuse history for the assessment.",
        "Child EE",
    ),
    DemoEscalation(
        D(2022, 10, 4),
        "Probation",
        "LA",
        "risk",
        (),
        "resolved",
        D(2022, 10, 6),
        "explained",
        "Risk assessment levels explained; plan unchanged.",
    ),
    # Resolved at the second stage.
    DemoEscalation(
        D(2021, 6, 15),
        "Education",
        "LA",
        "closure",
        (D(2021, 6, 18),),
        "resolved",
        D(2021, 6, 24),
        "decision_changed",
        "Case kept open under a child in need plan.",
        "Child EF",
    ),
    DemoEscalation(
        D(2021, 10, 12),
        "ICB",
        "LA",
        "progress",
        (D(2021, 10, 15),),
        "resolved",
        D(2021, 10, 21),
        "action_agreed",
        "Team manager allocated a new social worker.",
    ),
    DemoEscalation(
        D(2022, 2, 1),
        "Police",
        "LA",
        "strategy",
        (D(2022, 2, 3),),
        "resolved",
        D(2022, 2, 9),
        "action_agreed",
        "Section 47 enquiry started.",
        "Child EG",
    ),
    # Recorded only once they reached the second stage.
    DemoEscalation(
        D(2022, 4, 26),
        "Hospital",
        "LA",
        "threshold",
        (),
        "resolved",
        D(2022, 5, 4),
        "decision_changed",
        "Referral accepted after managers spoke.",
        first_stage=2,
    ),
    DemoEscalation(
        D(2022, 8, 16),
        "Early Help",
        "Education",
        "information",
        (),
        "resolved",
        D(2022, 8, 19),
        "action_agreed",
        "School agreed to share attendance weekly.",
        first_stage=2,
    ),
    # Resolved at the third stage.
    DemoEscalation(
        D(2021, 8, 3),
        "ICB",
        "LA",
        "plan",
        (D(2021, 8, 6), D(2021, 8, 16)),
        "resolved",
        D(2021, 8, 20),
        "decision_changed",
        "Child protection conference reconvened.",
        "Child EH",
    ),
    DemoEscalation(
        D(2022, 5, 10),
        "Education",
        "LA",
        "threshold",
        (D(2022, 5, 13), D(2022, 5, 24)),
        "resolved",
        D(2022, 5, 27),
        "action_agreed",
        "Joint visit agreed by the heads of service.",
        "Child EI",
    ),
    DemoEscalation(
        D(2022, 9, 6),
        "LA",
        "ICB",
        "information",
        (D(2022, 9, 9),),
        "resolved",
        D(2022, 9, 27),
        "action_agreed",
        "Safeguarding leads agreed an information protocol.",
        first_stage=2,
    ),
    # Resolved at the fourth stage: the independently chaired meeting.
    DemoEscalation(
        D(2022, 7, 5),
        "Police",
        "LA",
        "threshold",
        (D(2022, 7, 8), D(2022, 7, 15), D(2022, 7, 22)),
        "resolved",
        D(2022, 8, 3),
        "decision_changed",
        "Independent chair's meeting agreed a child protection conference.",
        "Child EJ",
        summary="Police and children's social care disagreed whether repeated domestic "
        "incidents met the threshold for a child protection enquiry.",
    ),
    # Withdrawn.
    DemoEscalation(
        D(2021, 12, 7),
        "Housing",
        "LA",
        "threshold",
        (),
        "withdrawn",
        D(2021, 12, 8),
        note="New information showed the family had moved out of the area.",
    ),
    DemoEscalation(
        D(2022, 4, 5),
        "Education",
        "Police",
        "information",
        (),
        "withdrawn",
        D(2022, 4, 6),
        note="Raised in error: the information had already been shared.",
    ),
    DemoEscalation(
        D(2022, 11, 8),
        "Hospital",
        "LA",
        "closure",
        (D(2022, 11, 11),),
        "withdrawn",
        D(2022, 11, 15),
        note="Practitioner satisfied once the step-down plan was shared.",
    ),
    # Referred on.
    DemoEscalation(
        D(2022, 10, 18),
        "Early Help",
        "Education",
        "risk",
        (D(2022, 10, 21), D(2022, 10, 28)),
        "referred_on",
        D(2022, 11, 2),
        note="Referred to the Local Authority Designated Officer: an allegation against staff.",
    ),
)

# After the period, so that the period filter matters.
AFTER_PERIOD: tuple[DemoEscalation, ...] = (
    DemoEscalation(
        D(2023, 2, 7),
        "ICB",
        "Police",
        "information",
        (),
        "resolved",
        D(2023, 2, 8),
        "action_agreed",
        "Police shared the MARAC outcome.",
    ),
    DemoEscalation(
        D(2023, 3, 14),
        "Education",
        "LA",
        "threshold",
        (D(2023, 3, 17),),
        "resolved",
        D(2023, 3, 23),
        "explained",
        "Threshold explained by the team manager.",
    ),
)


def _running(today: dt.date) -> tuple[DemoEscalation, ...]:
    days = dt.timedelta
    return (
        # Past its limit: at the second stage for 17 calendar days (limit 5 working days).
        DemoEscalation(
            today - days(24),
            "Police",
            "LA",
            "strategy",
            (today - days(17),),
            "",
            None,
            child="Child EK",
            by_name="Detective sergeant, child protection unit",
        ),
        DemoEscalation(today - days(1), "Education", "ICB", "plan", (), "", None, child="Child EL"),
        DemoEscalation(
            today - days(14),
            "Hospital",
            "LA",
            "threshold",
            (today - days(10), today - days(2)),
            "",
            None,
            child="Child EM",
        ),
    )


def load_escalations(*, actor: User, partnership: Partnership, agencies: dict[str, Agency]) -> int:
    """Record the demo escalations through the register's services. Returns how many."""
    stages = {s.number: s for s in EscalationStage.objects.filter(partnership=partnership)}
    today = timezone.localdate()
    count = 0
    for demo in IN_PERIOD + AFTER_PERIOD + _running(today):
        escalation = services.escalation_record(
            actor=actor,
            partnership=partnership,
            raised_by_agency=agencies[demo.raised_by],
            about_agency=agencies[demo.about],
            category=demo.category,
            raised_on=demo.raised_on,
            stage=stages[demo.first_stage],
            raised_by_name=demo.by_name,
            child_reference=demo.child,
            summary=demo.summary,
        )
        for moved_on in demo.moves:
            services.escalation_move_up(actor=actor, escalation=escalation, on=moved_on)
        if demo.outcome and demo.closed_on:
            services.escalation_close(
                actor=actor,
                escalation=escalation,
                outcome=demo.outcome,
                on=demo.closed_on,
                how_resolved=demo.how,
                note=demo.note,
            )
        count += 1
    _link_to_review(actor, partnership)
    return count


def _link_to_review(actor: User, partnership: Partnership) -> None:
    """The stage 4 escalation came up again in a rapid review: link them, theme Escalation."""
    escalation = partnership.escalations.filter(child_reference="Child EJ").first()
    review = (
        Review.objects.filter(partnership=partnership, kind=ReviewKind.RAPID_REVIEW)
        .filter(opened_on__gte=D(2022, 8, 1))
        .order_by("opened_on")
        .first()
    )
    if escalation and review:
        services.escalation_update(
            actor=actor,
            escalation=escalation,
            reviews=[review],
            themes=Theme.objects.filter(
                partnership=partnership, name__in=["Escalation", "Professional curiosity"]
            ),
        )
