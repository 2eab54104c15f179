"""The chain from incident to review as users meet it on pages that are not the usual
incident -> rapid review -> CSPR (a review opened on its own, an audit), the case page's order,
and the pause that only a review with a clock offers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.reviews import services
from safeguarding.reviews.models import Review, ReviewKind, ReviewPause
from safeguarding.testing.factories import (
    commission_cspr,
    make_case,
    make_incident,
    rapid_review_of,
)

D = dt.date
CHAIN = "From incident to review"
NOT_FROM_AN_INCIDENT = "This review was not opened from an incident or a rapid review"


@pytest.fixture
def bu(world, client_for):
    return client_for(world.business_unit)


def open_review(world, kind: str, title: str, **fields) -> Review:
    return services.review_create(
        actor=world.business_unit,
        partnership=world.partnership,
        kind=kind,
        title=title,
        opened_on=D(2023, 5, 1),
        **fields,
    )


def test_a_cspr_opened_on_its_own_says_so_instead_of_an_empty_chain(world, bu):
    case = make_case(world, reference="Child Victor")
    cspr = open_review(
        world, ReviewKind.CSPR, "CSPR: Child Victor", case=case, commissioned_on=D(2023, 5, 1)
    )
    html = bu.get(reverse("reviews:review_detail", args=[cspr.pk])).content.decode()
    assert CHAIN not in html
    assert NOT_FROM_AN_INCIDENT in html


def test_an_audit_shows_no_chain_and_no_clock_to_pause(world, bu):
    audit = open_review(world, ReviewKind.AUDIT, "Audit of neglect cases")
    html = bu.get(reverse("reviews:review_detail", args=[audit.pk])).content.decode()
    assert CHAIN not in html
    assert NOT_FROM_AN_INCIDENT not in html
    assert "No clock runs on this review." in html
    assert "Pause the clock" not in html
    assert reverse("reviews:review_pause", args=[audit.pk]) not in html
    assert ">Pauses<" not in html


def test_a_pause_on_a_review_without_a_clock_is_refused_and_nothing_saved(world, bu):
    audit = open_review(world, ReviewKind.AUDIT, "Audit of neglect cases")
    response = bu.post(
        reverse("reviews:review_pause", args=[audit.pk]),
        {"starts_on": "2023-05-10", "reason": "Criminal proceedings"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "This review has no clock, so there is nothing to pause" in page
    assert not ReviewPause.objects.filter(review=audit).exists()


def test_a_review_with_a_clock_still_offers_the_pause(world, bu):
    rapid = rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 1)))
    html = bu.get(reverse("reviews:review_detail", args=[rapid.pk])).content.decode()
    assert reverse("reviews:review_pause", args=[rapid.pk]) in html
    assert "Never paused." in html


def test_the_rapid_reviews_decision_reads_as_a_phrase_in_the_chain(world, bu):
    rapid = rapid_review_of(
        make_incident(world, la_aware_on=D(2023, 3, 1), reference="Child Quebec")
    )
    cspr = commission_cspr(world, rapid)
    html = bu.get(reverse("reviews:review_detail", args=[cspr.pk])).content.decode()
    assert (
        "Rapid review: Child Quebec</a> (decision: commission a local child safeguarding "
        "practice review)" in html
    )


def test_the_case_page_lists_its_incident_and_reviews_in_the_order_they_happened(world, bu):
    rapid = rapid_review_of(
        make_incident(world, la_aware_on=D(2023, 3, 1), reference="Child Quebec")
    )
    cspr = commission_cspr(world, rapid)
    html = bu.get(reverse("reviews:case_detail", args=[rapid.case.pk])).content.decode()
    section = html[html.index("Incidents and reviews") :]
    in_order = ("Incident: Child Quebec", rapid.title, cspr.title)
    positions = [section.index(text) for text in in_order]
    assert positions == sorted(positions)
