"""Who may see and do what on every reports page: each role of the partnership, an analyst and
an outsider from another partnership."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from safeguarding.accounts.models import Role
from safeguarding.accounts.services import user_create
from safeguarding.accounts.testing import login_verified
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.reports import services
from safeguarding.reports.tests.report_helpers import (
    fast_render,  # noqa: F401
    issue_brief,
    make_reviewed_case,
)
from safeguarding.testing.factories import PASSWORD

pytestmark = pytest.mark.usefixtures("fast_render")

ROLES = ["business_unit", "rag_member", "agency_lead", "scrutineer", "scrutiny_reader"]


@pytest.fixture
def people(world, other_world):
    users = {role: world.users[role] for role in ROLES}
    users["agency_lead_health"] = world.users["agency_lead_health"]
    users["analyst"] = user_create(
        actor=None, partnership=None, username="analyst", password=PASSWORD, role=Role.ANALYST
    )
    users["outsider"] = other_world.business_unit
    return users


def _statuses(client, people, url, method="get"):
    result = {}
    for name, user in people.items():
        login_verified(client, user)
        result[name] = getattr(client, method)(url).status_code
    return result


def _scrutiny(world):
    return services.scrutiny_report_issue(
        actor=world.business_unit,
        partnership=world.partnership,
        start=dt.date(2021, 5, 1),
        end=dt.date(2022, 12, 31),
    )


def test_the_reports_home_the_new_report_form_and_drafts(client, world, people):
    home = _statuses(client, people, reverse("reports:home"))
    assert home == {
        "business_unit": 200,
        "rag_member": 200,
        "agency_lead": 200,
        "scrutineer": 200,
        "scrutiny_reader": 200,
        "agency_lead_health": 200,
        "analyst": 403,
        "outsider": 200,  # their own partnership's reports page
    }
    new = _statuses(client, people, reverse("reports:scrutiny_new"))
    assert {k for k, v in new.items() if v == 200} == {"business_unit", "outsider"}
    assert {k for k, v in new.items() if v == 403} == set(people) - {"business_unit", "outsider"}

    # Drafts are for the business unit, the advisory group and the scrutineer.
    version = _scrutiny(world)
    for url in (
        reverse("reports:version", args=[version.pk]),
        reverse("reports:progress", args=[version.pk]),
        reverse("reports:download", args=[version.pk, "draft", "pdf"]),
        reverse("reports:download", args=[version.pk, "public", "docx"]),
    ):
        statuses = _statuses(client, people, url)
        assert statuses == {
            "business_unit": 200,
            "rag_member": 200,
            "agency_lead": 404,
            "scrutineer": 200,
            "scrutiny_reader": 404,
            "agency_lead_health": 404,
            "analyst": 403,
            "outsider": 404,
        }, url
    # Every download wrote an audit row (one per role that got the file above).
    downloads = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(version.pk))
    assert downloads.count() == 6
    assert downloads.filter(
        actor=people["rag_member"], summary__contains="Draft (full figures), PDF"
    ).exists()
    # The outsider's own reports page does not list it.
    login_verified(client, people["outsider"])
    assert version.report.title not in client.get(reverse("reports:home")).content.decode()


def test_only_the_business_unit_publishes_then_everyone_reads_the_public_version(
    client, world, people
):
    version = _scrutiny(world)
    url = reverse("reports:publish", args=[version.pk])
    for name in ("rag_member", "agency_lead", "scrutineer", "scrutiny_reader", "analyst"):
        login_verified(client, people[name])
        assert client.post(url).status_code == 403, name
    login_verified(client, people["outsider"])
    assert client.post(url).status_code == 404
    version.refresh_from_db()
    assert not version.is_published
    login_verified(client, people["business_unit"])
    page = client.get(reverse("reports:version", args=[version.pk])).content.decode()
    assert "Mark as published" in page
    response = client.post(url, follow=True)
    assert "Published" in response.content.decode()

    public = _statuses(
        client, people, reverse("reports:download", args=[version.pk, "public", "pdf"])
    )
    assert {k for k, v in public.items() if v == 200} == set(ROLES) | {"agency_lead_health"}
    assert public["analyst"] == 403 and public["outsider"] == 404
    draft = _statuses(
        client, people, reverse("reports:download", args=[version.pk, "draft", "pdf"])
    )
    assert {k for k, v in draft.items() if v == 200} == {
        "business_unit",
        "rag_member",
        "scrutineer",
    }
    # Councillors see the published version on their reports page, with its public downloads.
    login_verified(client, people["scrutiny_reader"])
    page = client.get(reverse("reports:home")).content.decode()
    assert version.report.title in page and "Word" in page and "draft, full figures" not in page


def test_agency_leads_read_published_briefs_of_reviews_their_agency_took_part_in(
    client, world, people
):
    review = make_reviewed_case(world, agencies=[world.police])
    version = issue_brief(world, review)
    services.version_publish(actor=world.business_unit, version=version)
    statuses = _statuses(client, people, reverse("reports:version", args=[version.pk]))
    assert statuses["agency_lead"] == 200  # the police took part
    assert statuses["agency_lead_health"] == 404
    assert statuses["scrutiny_reader"] == 200 and statuses["outsider"] == 404

    brief_page = _statuses(client, people, reverse("reports:brief", args=[review.pk]))
    assert brief_page == {
        "business_unit": 200,
        "rag_member": 200,
        "agency_lead": 200,
        "scrutineer": 200,
        "scrutiny_reader": 403,
        "agency_lead_health": 404,
        "analyst": 403,
        "outsider": 404,
    }
    posts = _statuses(client, people, reverse("reports:brief", args=[review.pk]), "post")
    assert {k for k, v in posts.items() if v == 200} == {"business_unit"}  # the form, re-shown
