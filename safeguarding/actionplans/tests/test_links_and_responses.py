"""Link evidence on the action page, and a theme's partnership response listing its actions."""

from __future__ import annotations

import re

from django.urls import reverse

from safeguarding.actionplans.models import EvidenceItem, Recommendation
from safeguarding.actionplans.tests.helpers import D, make_action
from safeguarding.learning.models import Theme
from safeguarding.learning.services import theme_response_save


def test_the_agency_lead_adds_a_link_and_the_action_page_shows_it(client_for, world):
    action = make_action(world)
    client = client_for(world.users["agency_lead"])
    response = client.post(
        reverse("actionplans:evidence_add", args=[action.pk]),
        {
            "evidence-kind": "link",
            "evidence-description": "Revised guidance on the force intranet",
            "evidence-url": "https://example.invalid/guidance",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("actionplans:action_detail", args=[action.pk])).content.decode()
    assert "Revised guidance on the force intranet" in html
    assert 'href="https://example.invalid/guidance"' in html
    assert EvidenceItem.objects.get().url == "https://example.invalid/guidance"


def test_a_link_that_is_not_a_web_address_is_refused_and_nothing_is_saved(client_for, world):
    action = make_action(world)
    client = client_for(world.users["agency_lead"])
    for url, error in (("", "Enter the link"), ("javascript:alert(1)", "Enter a valid URL")):
        response = client.post(
            reverse("actionplans:evidence_add", args=[action.pk]),
            {"evidence-kind": "link", "evidence-description": "Guidance", "evidence-url": url},
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "There is a problem" in html and error in html
    assert not EvidenceItem.objects.exists()


def test_the_themes_partnership_response_lists_its_actions_as_far_as_each_user_may_see(
    client_for, world
):
    theme = Theme.objects.get(partnership=world.partnership, name="Escalation")
    response = theme_response_save(
        actor=world.business_unit,
        partnership=world.partnership,
        theme=theme,
        period_start=D(2021, 5, 1),
        period_end=D(2022, 12, 31),
        narrative="New guidance and training on the concerns resolution process.",
    )
    police = make_action(world, title="Police: train supervisors", theme_response=response)
    health = make_action(
        world, title="Health: brief health visitors", agency=world.health, theme_response=response
    )
    make_action(world, title="Not part of the response", theme=theme)
    url = reverse("learning:theme_detail", args=[theme.pk])

    html = client_for(world.business_unit).get(url).content.decode()
    listed = html[html.index("Actions in this response") :]
    for action in (police, health):
        assert reverse("actionplans:action_detail", args=[action.pk]) in listed
    assert "Not part of the response" not in listed
    assert "Set an action for this response" in listed

    # The police lead sees the response and their own agency's action only.
    html = client_for(world.users["agency_lead"]).get(url).content.decode()
    assert "New guidance and training" in html
    assert "Police: train supervisors" in html
    assert "Health: brief health visitors" not in html
    assert "Set an action for this response" not in html


def _review_with_finding(world, title: str):
    from safeguarding.learning.services import finding_create
    from safeguarding.reviews import services as review_services

    review = review_services.review_create(
        actor=world.business_unit,
        partnership=world.partnership,
        agencies=[world.police],
        kind="local_learning",
        title=title,
        opened_on=D(2022, 6, 1),
    )
    finding = finding_create(
        actor=world.business_unit,
        review=review,
        kind="improvement",
        text=f"{title}: escalation was not used when the plan drifted.",
    )
    return review, finding


def test_a_recommendation_answers_a_finding_and_its_page_links_back(client_for, world):
    review, finding = _review_with_finding(world, "Local learning review: Child Q")
    client = client_for(world.business_unit)
    response = client.post(
        reverse("actionplans:recommendation_create"),
        {
            "title": "Use escalation when plans drift",
            "text": "Agencies should escalate when a plan drifts.",
            "made_on": "2022-09-01",
            "finding": finding.pk,
        },
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    # The review is taken from the finding.
    assert (recommendation.finding, recommendation.review) == (finding, review)
    html = client.get(response["Location"]).content.decode()
    assert f'href="{reverse("learning:finding_detail", args=[finding.pk])}"' in html
    assert f'href="{reverse("reviews:review_detail", args=[review.pk])}"' in html


def test_a_finding_of_another_review_is_refused_and_nothing_is_saved(client_for, world):
    review, _ = _review_with_finding(world, "Local learning review: Child Q")
    _, other_finding = _review_with_finding(world, "Local learning review: Child R")
    response = client_for(world.business_unit).post(
        reverse("actionplans:recommendation_create"),
        {
            "title": "Use escalation when plans drift",
            "text": "Agencies should escalate when a plan drifts.",
            "made_on": "2022-09-01",
            "review": review.pk,
            "finding": other_finding.pk,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose a finding of that review, or leave the review empty" in html
    assert not Recommendation.objects.exists()


def test_the_review_and_finding_pages_list_what_answers_them_as_far_as_each_user_may_see(
    client_for, world
):
    from safeguarding.actionplans import services

    review, finding = _review_with_finding(world, "Local learning review: Child Q")
    recommendation = services.recommendation_create(
        actor=world.business_unit,
        partnership=world.partnership,
        title="Use escalation when plans drift",
        text="Agencies should escalate when a plan drifts.",
        made_on=D(2022, 9, 1),
        finding=finding,
    )
    police = make_action(world, title="Police: escalation refresher", recommendation=recommendation)
    health = make_action(
        world, title="Health: escalation refresher", agency=world.health, finding=finding
    )
    make_action(world, title="Answers nothing here")
    pages = [
        reverse("reviews:review_detail", args=[review.pk]),
        reverse("learning:finding_detail", args=[finding.pk]),
    ]
    for url in pages:
        html = client_for(world.business_unit).get(url).content.decode()
        listed = html[html.index("Recommendations and actions") :]
        assert reverse("actionplans:recommendation_detail", args=[recommendation.pk]) in listed
        for action in (police, health):
            assert reverse("actionplans:action_detail", args=[action.pk]) in listed, url
        assert "Answers nothing here" not in listed

        # The police lead (whose agency took part in the review): their own action only.
        html = client_for(world.users["agency_lead"]).get(url).content.decode()
        assert "Police: escalation refresher" in html, url
        assert "Health: escalation refresher" not in html, url


def test_the_business_unit_sets_an_action_from_a_finding_with_the_link_filled_in(client_for, world):
    review, finding = _review_with_finding(world, "Local learning review: Child Q")
    client = client_for(world.business_unit)
    html = client.get(reverse("learning:finding_detail", args=[finding.pk])).content.decode()
    start = reverse("actionplans:action_create") + f"?finding={finding.pk}"
    assert f'href="{start}"' in html
    form = client.get(start).content.decode()
    assert re.search(rf'<option value="{finding.pk}" selected>', form)
    # An agency lead may not set actions: no such link for them.
    lead_html = client_for(world.users["agency_lead"]).get(
        reverse("reviews:review_detail", args=[review.pk])
    )
    assert "Set an action for this review" not in lead_html.content.decode()
