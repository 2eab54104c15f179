"""The dashboard and the registers make as many queries for 30 reviews as for 3."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.reviews import services
from safeguarding.testing.factories import make_incident, rapid_review_of

PAGES = (
    "reviews:dashboard",
    "reviews:incident_list",
    "reviews:review_list",
    "reviews:case_list",
)


def add_reviews(world, count: int) -> None:
    """`count` incidents, each with its rapid review; every third goes on to a CSPR. Their
    clocks spread from overdue to not yet due soon, so both dashboard tables fill."""
    today = timezone.localdate()
    bu = world.business_unit
    for i in range(count):
        incident = make_incident(
            world,
            la_aware_on=today - dt.timedelta(days=3 * (i % 10)),
            agencies=[world.la, world.police],
            age_years=i % 14,
            sex="male" if i % 2 else "female",
        )
        if i % 3 == 0:
            rapid = rapid_review_of(incident)
            services.review_update(
                actor=bu,
                review=rapid,
                decision="cspr",
                decision_rationale="Meets the criteria.",
                decision_on=today,
            )
            services.review_commission_follow_up(
                actor=bu, rapid_review=rapid, commissioned_on=today
            )


def queries_per_page(client) -> dict[str, int]:
    counts = {}
    for page in PAGES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(page))
        assert response.status_code == 200, page
        counts[page] = len(queries)
    return counts


@pytest.mark.parametrize("role", ["business_unit", "agency_lead", "scrutineer"])
def test_pages_make_as_many_queries_for_thirty_reviews_as_for_three(role, world, client_for):
    client = client_for(world.users[role])
    add_reviews(world, 3)
    queries_per_page(client)  # warm the per-process caches (content types) first
    with_three = queries_per_page(client)

    add_reviews(world, 27)
    with_thirty = queries_per_page(client)

    assert with_thirty == with_three
    # The pages did show the records they were counted for.
    html = client.get(reverse("reviews:review_list")).content.decode()
    assert html.count('<tr class="govuk-table__row">') == 30 + 10 + 1  # header row too
