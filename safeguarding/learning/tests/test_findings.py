"""Recording findings: quick entry from the review page, changes with their history, and
withdrawal (nothing is deleted)."""

from __future__ import annotations

import datetime as dt
import re

from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.core.concurrency import version_data
from safeguarding.learning import taxonomy
from safeguarding.learning.models import Finding, ThemeResponse


def quick_entry(rows: list[dict], total: int = 3) -> dict:
    data = {
        "findings-TOTAL_FORMS": str(total),
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "20",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"findings-{i}-{key}"] = value
    return data


def test_several_findings_are_recorded_at_once_and_the_review_page_shows_them(
    world, build, client_for
):
    review = build.review(dt.date(2022, 3, 1))
    neglect, escalation = build.theme("Neglect"), build.theme("Escalation")
    client = client_for(world.business_unit)
    response = client.post(
        reverse("learning:review_findings_add", args=[review.pk]),
        quick_entry(
            [
                {
                    "kind": "good_practice",
                    "text": "Home visits kept going.",
                    "themes": [neglect.pk],
                },
                {
                    "kind": "improvement",
                    "text": "The concern was not escalated.",
                    "themes": [escalation.pk, neglect.pk],
                    "agencies": [world.health.pk],
                },
                {},  # a blank row is ignored
            ]
        ),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/reviews/{review.pk}/#findings")
    page = client.get(response["Location"]).content.decode()
    assert "2 findings recorded" in page
    assert "Home visits kept going." in page and "The concern was not escalated." in page
    second = Finding.objects.get(text="The concern was not escalated.")
    assert set(second.theme_tags.values_list("counts_as__name", flat=True)) == {
        "Escalation",
        "Neglect",
    }
    assert list(second.agencies.all()) == [world.health]


def test_a_quick_entry_with_a_mistake_saves_nothing_and_says_what_to_fix(world, build, client_for):
    review = build.review(dt.date(2022, 3, 1))
    response = client_for(world.business_unit).post(
        reverse("learning:review_findings_add", args=[review.pk]),
        quick_entry(
            [{"kind": "good_practice", "text": "Fine."}, {"kind": "improvement", "text": ""}]
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Enter finding" in page
    assert not Finding.objects.exists()


def test_an_empty_quick_entry_asks_for_a_finding(world, build, client_for):
    review = build.review(dt.date(2022, 3, 1))
    response = client_for(world.business_unit).post(
        reverse("learning:review_findings_add", args=[review.pk]), quick_entry([])
    )
    assert "Enter at least one finding" in response.content.decode()


def test_adding_rows_keeps_what_was_typed_and_saves_nothing(world, build, client_for):
    review = build.review(dt.date(2022, 3, 1))
    neglect = build.theme("Neglect")
    client = client_for(world.business_unit)
    url = reverse("learning:review_findings_add", args=[review.pk])
    # The review page offers the button inside its quick-entry form.
    review_page = client.get(reverse("reviews:review_detail", args=[review.pk])).content.decode()
    assert 'name="more"' in review_page
    typed = {"kind": "improvement", "text": "Nobody asked the child.", "themes": [neglect.pk]}
    response = client.post(url, {**quick_entry([typed], total=2), "more": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert not Finding.objects.exists()
    # What was typed is still there, three blank rows follow, and nothing is called a mistake.
    assert "Nobody asked the child." in page
    assert re.search(f'name="findings-0-themes"[^>]*value="{neglect.pk}"[^>]*checked', page)
    assert "New finding 5" in page and "New finding 6" not in page
    assert "There is a problem" not in page and "<title>Error" not in page
    # Saved from there, the typed row is recorded and the blank rows are ignored.
    response = client.post(url, quick_entry([typed], total=5))
    assert response.status_code == 302
    assert list(Finding.objects.values_list("text", flat=True)) == ["Nobody asked the child."]


def test_changing_a_finding_keeps_history_and_the_tagged_version(world, build, client_for):
    review = build.review(dt.date(2022, 3, 1))
    finding = build.finding(review, "improvement", "Neglect", text="First words.")
    first_revision = finding.theme_tags.get().revision
    neglect = build.theme("Neglect")
    taxonomy.theme_update(actor=world.business_unit, theme=neglect, definition="A new definition.")
    client = client_for(world.business_unit)
    response = client.post(
        reverse("learning:finding_edit", args=[finding.pk]),
        {
            "kind": "improvement",
            "text": "Better words.",
            "themes": [neglect.pk, build.theme("Escalation").pk],
            **version_data(finding),  # the version the form was opened on
        },
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.text == "Better words."
    # Neglect kept its tag from before the definition changed; Escalation is tagged now.
    tags = {t.counts_as.name: t.revision for t in finding.theme_tags.all()}
    assert tags["Neglect"] == first_revision
    assert tags["Escalation"].version.number == 1
    page = client.get(reverse("learning:finding_detail", args=[finding.pk])).content.decode()
    assert "First words." in page and "Better words." in page
    assert "Escalation, Neglect" in page  # the tags after the change
    assert finding.history.count() == 2
    events = AuditEvent.objects.filter(object_type="learning.Finding", object_id=str(finding.pk))
    assert events.count() == 4  # recorded, tagged, text changed, tags changed
    assert events.filter(changes__has_key="themes").exists()


def test_a_withdrawn_finding_stays_on_record(world, build, client_for):
    review = build.review(dt.date(2022, 3, 1))
    finding = build.finding(review, "improvement", "Neglect")
    client = client_for(world.business_unit)
    client.post(
        reverse("learning:finding_withdraw", args=[finding.pk]),
        {"reason": "Duplicate", **version_data(finding)},
    )
    finding.refresh_from_db()
    assert finding.is_withdrawn and finding.withdrawn_reason == "Duplicate"
    page = client.get(reverse("learning:finding_detail", args=[finding.pk])).content.decode()
    assert "Withdrawn" in page and "Duplicate" in page


def test_rag_members_can_comment_on_a_finding(world, build, client_for):
    review = build.review(dt.date(2022, 3, 1))
    finding = build.finding(review, "improvement", "Neglect")
    client = client_for(world.users["rag_member"])
    client.post(reverse("learning:finding_comment", args=[finding.pk]), {"text": "Agreed."})
    page = client.get(reverse("learning:finding_detail", args=[finding.pk])).content.decode()
    assert "Agreed." in page


def test_a_rag_member_records_the_partnerships_response_to_a_theme(world, build, client_for):
    for month in (2, 3):
        build.finding(build.review(dt.date(2022, month, 1)), "improvement", "Escalation")
    escalation = build.theme("Escalation")
    period = "start=2022-01-01&end=2022-12-31"
    client = client_for(world.users["rag_member"])
    # The form carries the version of the response as opened (none yet, then the first).
    responses = ThemeResponse.objects.filter(theme=escalation)
    response = client.post(
        reverse("learning:theme_response", args=[escalation.pk]) + "?" + period,
        {"narrative": "New guidance on challenge between agencies.", **version_data(responses)},
    )
    assert response.status_code == 302
    page = client.get(reverse("learning:analysis") + "?" + period).content.decode()
    assert "New guidance on challenge between agencies." in page
    # Changing it keeps one response per theme and period, with its history.
    client.post(
        reverse("learning:theme_response", args=[escalation.pk]) + "?" + period,
        {"narrative": "Guidance published.", **version_data(responses)},
    )
    response_row = escalation.responses.get()
    assert response_row.narrative == "Guidance published."
    assert response_row.history.count() == 2
