"""The demo partnership's learning into practice: the seed report's section 4 responses as
actions with evidence, dissemination with attendance, reach and a planner, assurance at several
stages (a re-audit moving the chain), and `send_reminders` run twice on it.

Expected figures are worked out here from the demo's rows (attendance, workforce, events), not
copied from the pages, and compared with what the selectors and pages give."""

from __future__ import annotations

import io
import math
import re
from collections import Counter, defaultdict

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from safeguarding.accounts.models import User
from safeguarding.actionplans.models import Action, ActionStatus, EvidenceItem
from safeguarding.demo.learning import CHN, ESC, PC, SEED_PERIOD
from safeguarding.dissemination import selectors
from safeguarding.dissemination.models import (
    AssuranceRecord,
    AssuranceSubmission,
    Attendance,
    AuditRecheck,
    EventStatus,
    LearningEvent,
    LearningProduct,
    ProductKind,
    SessionPlan,
    Stage,
    SubmissionSource,
    SubmissionStatus,
)
from safeguarding.learning.models import ThemeResponse
from safeguarding.reviews.models import ReviewKind


def response_actions(partnership, theme: str):
    start, end = SEED_PERIOD
    response = ThemeResponse.objects.get(
        partnership=partnership, theme__name=theme, period_start=start, period_end=end
    )
    return response.actions.all()


@pytest.mark.parametrize(
    ("theme", "words"),
    [
        # The seed's professional curiosity work: workshops, an agency survey, shared resources.
        (PC, ["workshops", "survey", "resources"]),
        # The escalation guidance, and the agencies' own actions to promote it.
        (ESC, ["concerns resolution guidance", "promote the concerns resolution process"]),
        # The complex health needs travel policy, widened to stays out of area.
        (CHN, ["travelling abroad to cover stays out of area"]),
    ],
)
def test_the_seeds_section_4_responses_are_actions_with_evidence(demo, theme, words):
    actions = list(response_actions(demo, theme))
    titles = " | ".join(a.title.lower() for a in actions)
    for word in words:
        assert word in titles, (theme, word)
    completed = [a for a in actions if a.status == ActionStatus.COMPLETED]
    assert completed, theme
    for action in completed:
        assert action.evidence.exists(), action.title


def test_the_travel_policy_was_updated_in_november_2022_with_the_policy_as_evidence(demo):
    (action,) = response_actions(demo, CHN)
    assert (action.completed_on.year, action.completed_on.month) == (2022, 11)
    assert action.evidence.filter(kind="link").exists()


def test_no_demo_action_is_completed_without_evidence_and_some_are_still_open(demo):
    actions = Action.objects.filter(partnership=demo)
    assert not actions.filter(status=ActionStatus.COMPLETED, evidence__isnull=True).exists()
    statuses = Counter(actions.values_list("status", flat=True))
    assert set(statuses) == set(ActionStatus.values)
    kinds = set(EvidenceItem.objects.filter(action__partnership=demo).values_list("kind", flat=1))
    assert kinds >= {"note", "link"}


def test_every_kind_of_learning_product_is_in_the_demo_with_events_and_attendance(demo):
    products = LearningProduct.objects.filter(partnership=demo)
    assert set(products.values_list("kind", flat=True)) == set(ProductKind.values)
    # The regional masterclass series on professional curiosity ran in spring 2023.
    masterclass = products.get(kind=ProductKind.MASTERCLASS, themes__name=PC)
    held = masterclass.events.filter(status=EventStatus.DELIVERED)
    assert held.count() >= 3
    assert {e.held_on.month for e in held} <= {3, 4, 5}
    assert all(e.held_on.year == 2023 for e in held)
    events = LearningEvent.objects.filter(product__partnership=demo)
    assert set(events.values_list("status", flat=True)) == set(EventStatus.values)
    # Every delivered event has its attendance, and only delivered events have any.
    for event in events:
        assert event.attendance.exists() == (event.status == EventStatus.DELIVERED), event


def test_reach_per_agency_is_the_attendance_against_the_workforce(demo):
    business_unit = User.objects.get(username="business.unit")
    attended: dict[int, int] = defaultdict(int)
    for row in Attendance.objects.filter(event__product__partnership=demo):
        attended[row.agency_id] += row.attendees
    rows = selectors.reach(user=business_unit)
    assert {r.agency.pk: r.attended for r in rows} == {
        a.pk: attended[a.pk] for a in demo.agencies.all()
    }
    reached = [r for r in rows if r.attended]
    assert len(reached) >= 5
    for row in reached:
        assert row.percent == round(100 * attended[row.agency.pk] / row.agency.workforce_size, 1)


def test_the_planner_shows_sessions_needed_against_planned_and_delivered(demo, client_for):
    business_unit = User.objects.get(username="business.unit")
    plans = SessionPlan.objects.filter(product__partnership=demo)
    assert plans.count() >= 2
    html = client_for(business_unit).get(reverse("dissemination:planner")).content.decode()
    for plan in plans:
        workforce = sum(a.workforce_size for a in plan.agencies.all())
        assert plan.workforce_to_reach == workforce
        needed = math.ceil(workforce / plan.session_capacity)
        events = Counter(plan.product.events.values_list("status", flat=True))
        row = html[html.index(plan.product.title) :].split("</tr>")[0]
        cells = [int(n) for n in re.findall(r'srh-num">\s*(\d+)\s*<', row)]
        # workforce, places, needed, delivered, planned, still to plan
        assert cells == [
            workforce,
            plan.session_capacity,
            needed,
            events[EventStatus.DELIVERED],
            events[EventStatus.PLANNED],
            needed - events[EventStatus.DELIVERED] - events[EventStatus.PLANNED],
        ]


def test_assurance_is_at_several_stages_with_waiting_returned_and_re_audited_records(demo):
    records = AssuranceRecord.objects.filter(partnership=demo)
    stages = set(records.values_list("stage", flat=True))
    assert len(stages) >= 4
    assert Stage.NONE in stages and Stage.PRACTICE_CHANGE in stages
    submissions = AssuranceSubmission.objects.filter(record__partnership=demo)
    assert submissions.filter(status=SubmissionStatus.SUBMITTED).exists()
    assert submissions.filter(status=SubmissionStatus.RETURNED).exists()
    # The multi-agency audit re-checks the domestic abuse learning; its result moved one
    # agency on and one back (with the reason).
    audited = submissions.filter(source=SubmissionSource.AUDIT)
    assert {s.audit.kind for s in audited} == {ReviewKind.AUDIT}
    assert AuditRecheck.objects.filter(product__partnership=demo).exists()
    moved_back = [s for s in audited if s.reason]
    assert moved_back and all(s.record.stage == s.stage for s in audited)
    for submission in moved_back:
        earlier = submission.record.submissions.filter(
            status=SubmissionStatus.ACCEPTED, submitted_at__lte=submission.submitted_at
        ).exclude(pk=submission.pk)
        assert max(earlier.values_list("stage", flat=True)) > submission.stage


def test_the_stall_view_counts_every_demo_record_by_agency_and_theme(demo):
    business_unit = User.objects.get(username="business.unit")
    stall = selectors.stall(user=business_unit)
    records = AssuranceRecord.objects.filter(partnership=demo)
    assert stall["total"] == records.count()
    by_agency = Counter((r.agency.name, r.stage) for r in records)
    for row in stall["by_agency"]:
        assert row.counts == [by_agency[(row.label, s.value)] for s in Stage], row.label


def test_send_reminders_twice_on_the_demo_sends_nothing_new_and_says_how_many(demo, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    first = re.fullmatch(
        r"Sent (\d+) reminder e-mails? about (\d+) items?\.", out.getvalue().strip()
    )
    assert first, out.getvalue()
    assert int(first[1]) == len(mail.outbox) >= 2
    listed = sum(m.body.count("\n- ") for m in mail.outbox)
    assert int(first[2]) == listed
    # The police lead hears about the police's overdue curiosity prompts action.
    (police,) = [m for m in mail.outbox if m.to == ["police.lead@example.invalid"]]
    assert "Add professional curiosity prompts to the police supervision template" in police.body
    assert "overdue since" in police.body

    again = io.StringIO()
    call_command("send_reminders", stdout=again)
    assert again.getvalue().strip() == "Sent 0 reminder e-mails about 0 items."
    assert len(mail.outbox) == int(first[1])


def test_demo_actions_answer_review_findings_and_the_review_page_lists_them(demo, client_for):
    linked = Action.objects.filter(partnership=demo, finding__isnull=False)
    assert linked.count() >= 5
    for action in linked.select_related("finding"):
        assert action.review_id == action.finding.review_id, action.title
    (travel,) = response_actions(demo, CHN)
    assert travel.finding is not None
    business_unit = User.objects.get(username="business.unit")
    url = reverse("reviews:review_detail", args=[travel.review_id])
    html = client_for(business_unit).get(url).content.decode()
    listed = html[html.index("Recommendations and actions") :]
    assert reverse("actionplans:action_detail", args=[travel.pk]) in listed
