"""Who may open each learning page: every role, an analyst, another partnership's officer and
a visitor who is not signed in. The table is the specification."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from safeguarding.accounts.models import Role
from safeguarding.accounts.services import user_create
from safeguarding.accounts.testing import login_verified

ROLES = [
    "business_unit",
    "rag_member",
    "agency_lead",  # police: took part in the review
    "agency_lead_health",  # health: did not
    "scrutineer",
    "scrutiny_reader",
    "analyst",
    "outsider",  # business unit of another partnership
    "anonymous",
]

ALL_200 = (200,) * 8 + (302,)
# Live figures: the working roles only (scrutiny readers see published reports only).
WORKING_200 = (200, 200, 200, 200, 200, 403, 403, 200, 302)
# page -> expected status per role, in the order of ROLES
EXPECTED = {
    "analysis": WORKING_200,
    "themes_csv": WORKING_200,
    "themes_xlsx": WORKING_200,
    "matrix_csv": (200, 200, 200, 200, 200, 403, 403, 200, 302),
    "finding_list": (200, 200, 200, 200, 200, 403, 403, 200, 302),
    "finding_detail": (200, 200, 200, 404, 200, 403, 403, 404, 302),
    "finding_edit": (200, 403, 403, 403, 403, 403, 403, 404, 302),
    "finding_withdraw": (200, 403, 403, 403, 403, 403, 403, 404, 302),
    "review_findings_add": (200, 403, 403, 403, 403, 403, 403, 404, 302),
    "theme_list": WORKING_200,
    "theme_detail": (200, 200, 200, 200, 200, 403, 403, 404, 302),
    "theme_create": (200, 403, 403, 403, 403, 403, 403, 200, 302),
    "theme_edit": (200, 403, 403, 403, 403, 403, 403, 404, 302),
    "theme_merge": (200, 403, 403, 403, 403, 403, 403, 404, 302),
    "theme_retire": (200, 403, 403, 403, 403, 403, 403, 404, 302),
    "theme_response": (200, 200, 403, 403, 403, 403, 403, 404, 302),
    "taxonomy_export": WORKING_200,
    "taxonomy_import": (200, 403, 403, 403, 403, 403, 403, 200, 302),
    "taxonomy_versions": WORKING_200,
    "settings": (200, 403, 403, 403, 403, 403, 403, 200, 302),
}
POSTS = {
    # a comment: business unit and RAG members only
    "finding_comment": (302, 302, 403, 403, 403, 403, 403, 404, 302),
}
PERIOD = {"start": "2022-01-01", "end": "2022-12-31"}


@pytest.fixture
def setting(world, other_world, build):
    review = build.review(dt.date(2022, 3, 1), agencies=[world.police])
    finding = build.finding(review, "improvement", "Neglect", agencies=[world.police])
    theme = build.theme("Escalation")
    world.users["analyst"] = user_create(
        actor=None,
        partnership=world.partnership,
        username=f"{world.partnership.slug}-analyst",
        password="x" * 20,
        role=Role.ANALYST,
    )
    world.users["outsider"] = other_world.business_unit
    urls = {
        "analysis": (reverse("learning:analysis"), PERIOD),
        "themes_csv": (reverse("learning:themes_csv"), PERIOD),
        "themes_xlsx": (reverse("learning:themes_xlsx"), PERIOD),
        "matrix_csv": (reverse("learning:matrix_csv"), PERIOD),
        "finding_list": (reverse("learning:finding_list"), {}),
        "finding_detail": (reverse("learning:finding_detail", args=[finding.pk]), {}),
        "finding_edit": (reverse("learning:finding_edit", args=[finding.pk]), {}),
        "finding_withdraw": (reverse("learning:finding_withdraw", args=[finding.pk]), {}),
        "finding_comment": (reverse("learning:finding_comment", args=[finding.pk]), {}),
        "review_findings_add": (reverse("learning:review_findings_add", args=[review.pk]), {}),
        "theme_list": (reverse("learning:theme_list"), {}),
        "theme_detail": (reverse("learning:theme_detail", args=[theme.pk]), {}),
        "theme_create": (reverse("learning:theme_create"), {}),
        "theme_edit": (reverse("learning:theme_edit", args=[theme.pk]), {}),
        "theme_merge": (reverse("learning:theme_merge", args=[theme.pk]), {}),
        "theme_retire": (reverse("learning:theme_retire", args=[theme.pk]), {}),
        "theme_response": (reverse("learning:theme_response", args=[theme.pk]), PERIOD),
        "taxonomy_export": (reverse("learning:taxonomy_export"), {}),
        "taxonomy_import": (reverse("learning:taxonomy_import"), {}),
        "taxonomy_versions": (reverse("learning:taxonomy_versions"), {}),
        "settings": (reverse("learning:settings"), {}),
    }
    return world, urls


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_each_role_gets_the_expected_status_on_every_learning_page(page, setting, client):
    world, urls = setting
    url, params = urls[page]
    got = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            login_verified(client, world.users[role])
        got.append(client.get(url, params).status_code)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, EXPECTED[page], strict=True))


@pytest.mark.parametrize("page", sorted(POSTS))
def test_each_role_gets_the_expected_status_when_posting(page, setting, client):
    world, urls = setting
    url, _ = urls[page]
    got = []
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            login_verified(client, world.users[role])
        got.append(client.post(url, {"text": "A comment."}).status_code)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, POSTS[page], strict=True))


def test_aggregate_readers_get_no_theme_figures_for_any_period(setting, client):
    """Scrutiny readers and analysts once saw the live theme counts (with primary suppression
    only): a one-day period named the themes of the one review begun that day. They are
    refused the analysis and its downloads now, whatever the period."""
    world, _ = setting
    one_day = {"start": "2022-03-01", "end": "2022-03-01"}
    for role in ("scrutiny_reader", "analyst"):
        client.logout()
        login_verified(client, world.users[role])
        for name in ("learning:analysis", "learning:themes_csv", "learning:themes_xlsx"):
            response = client.get(reverse(name), one_day)
            assert response.status_code == 403, (role, name)
            assert b"Neglect" not in response.content


def test_the_review_page_shows_findings_only_to_those_who_may_read_them(setting, client):
    world, _ = setting
    from safeguarding.learning.models import Finding

    finding = Finding.objects.get()
    url = reverse("reviews:review_detail", args=[finding.review_id])
    login_verified(client, world.users["agency_lead"])
    page = client.get(url).content.decode()
    assert finding.text in page and "Save findings" not in page
    login_verified(client, world.business_unit)
    page = client.get(url).content.decode()
    assert finding.text in page and "Save findings" in page


def test_an_agency_lead_gets_theme_figures_only_of_reviews_their_agency_took_part_in(
    setting, client
):
    """The health lead once got the police review's theme from a one-day themes CSV (the
    counts were the partnership's): now their figures, matrix and theme list count only the
    reviews they may open, and the police lead's still count the police review."""
    world, _ = setting
    one_day = {"start": "2022-03-01", "end": "2022-03-01"}
    seen = {}
    for role in ("agency_lead", "agency_lead_health"):
        client.logout()
        login_verified(client, world.users[role])
        rows = list(
            csv.reader(io.StringIO(client.get(reverse("learning:themes_csv"), one_day).text))
        )
        analysis = client.get(reverse("learning:analysis"), one_day).context["analysis"]
        tagged = {
            t.name: t.tagged for t in client.get(reverse("learning:theme_list")).context["themes"]
        }
        seen[role] = (
            {row[0]: row[2] for row in rows[1:] if row[2] != "0"},
            analysis.total_reviews,
            len(analysis.matrix_reviews),
            tagged["Neglect"],
        )
    assert seen["agency_lead"] == ({"Neglect": "1"}, 1, 1, 1)
    assert seen["agency_lead_health"] == ({}, 0, 0, 0)
