"""The demo partnership's escalations: the seed's period, and one overdue now."""

from __future__ import annotations

from django.utils import timezone

from safeguarding.accounts import access
from safeguarding.accounts.models import Partnership, User
from safeguarding.demo.loader import load_demo
from safeguarding.escalations.models import Escalation
from safeguarding.escalations.selectors import escalation_summary
from safeguarding.escalations.tests.helpers import D


def test_demo_has_escalations_resolved_at_every_stage_and_one_overdue_now(db):
    partnership = load_demo()
    s = escalation_summary(partnership=partnership, start=D(2021, 5, 1), end=D(2022, 12, 31))
    # Written in safeguarding/demo/escalations.py: 8 + 5 + 3 + 1 resolved at stages 1 to 4,
    # 3 withdrawn, 1 referred on; 3 of them first recorded at stage 2.
    assert s["total"] == 21
    assert s["by_outcome"] == {"Open": 0, "Resolved": 17, "Withdrawn": 3, "Referred on": 1}
    assert [row["resolved"] for row in s["by_stage_reached"]] == [8, 5, 3, 1]
    assert s["recorded_at_first_stage"] == 18
    today = timezone.localdate()
    overdue = Escalation.objects.filter(partnership=partnership).overdue(today)
    assert overdue.count() == 1
    assert Escalation.objects.filter(partnership=partnership).open().count() == 3
    # The demo police lead sees that overdue escalation; the other partnership sees none.
    police_lead = User.objects.get(username="police.lead")
    assert overdue.get() in access.get_escalations_for_user(police_lead)
    other = Partnership.objects.get(slug="eastmoor")
    assert not Escalation.objects.filter(partnership=other).exists()
    # The stage 4 escalation is linked to a rapid review, with the Escalation theme.
    linked = Escalation.objects.get(partnership=partnership, child_reference="Child EJ")
    assert linked.reviews.count() == 1
    assert sorted(linked.themes.values_list("name", flat=True)) == [
        "Escalation",
        "Professional curiosity",
    ]
