"""The review register's pages as a user meets them: forms that refuse bad input, the audited
identifying details, the chain from incident to review, the list filter and the clock settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.urls import reverse

from safeguarding.accounts.models import AgeBand, Role
from safeguarding.accounts.services import user_create
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.core.concurrency import version_data
from safeguarding.core.models import ClockKey, ClockRule
from safeguarding.reviews import services
from safeguarding.reviews.models import Review, ReviewKind
from safeguarding.testing.factories import (
    PASSWORD,
    commission_cspr,
    make_case,
    make_incident,
    rapid_review_of,
)

D = dt.date
PROBLEM = "There is a problem"


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model is not Session
    }


@pytest.fixture
def bu(world, client_for):
    return client_for(world.business_unit)


@pytest.fixture
def rapid_review(world) -> Review:
    incident = make_incident(
        world,
        la_aware_on=D(2023, 3, 1),
        notified_on=D(2023, 3, 6),
        reference="Child Quebec",
        agencies=[world.la, world.police],
    )
    return rapid_review_of(incident)


# Bad input: the form comes back with the GOV.UK error summary and nothing is saved.


def test_an_empty_incident_form_comes_back_with_its_problems_and_saves_nothing(world, bu):
    before = row_counts()
    response = bu.post(reverse("reviews:incident_create"), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert PROBLEM in page
    assert "Enter case reference" in page
    assert "Enter date the local authority became aware" in page
    assert row_counts() == before


def test_a_notification_date_before_the_aware_date_is_refused(world, bu):
    before = row_counts()
    response = bu.post(
        reverse("reviews:incident_create"),
        {
            "case-reference": "Child Romeo",
            "case-sex": "female",
            "case-ethnicity": "unknown",
            "case-disability": "unknown",
            "case-outcome": "died",
            "case-category": "neglect",
            "incident-summary": "A fictional incident.",
            "incident-la_aware_on": "2023-03-10",
            "incident-decision": "notify",
            "incident-decision_rationale": "Meets the criteria.",
            "incident-notified_on": "2023-03-09",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert PROBLEM in page
    assert (
        "The date the national Panel was notified (9 March 2023) must be on or after the date "
        "the local authority became aware (10 March 2023)"
    ) in page
    assert row_counts() == before


def test_a_decision_without_a_rationale_is_refused(world, bu, rapid_review):
    before = row_counts()
    response = bu.post(
        reverse("reviews:review_decision", args=[rapid_review.pk]),
        {"decision": "cspr", "decision_on": "2023-03-20"},
    )
    assert response.status_code == 200
    assert PROBLEM in response.content.decode()
    assert row_counts() == before
    rapid_review.refresh_from_db()
    assert rapid_review.decision == ""


def test_a_pause_without_a_date_or_a_reason_is_refused(world, bu, rapid_review):
    before = row_counts()
    response = bu.post(reverse("reviews:review_pause", args=[rapid_review.pk]), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert PROBLEM in page
    assert "Enter date paused" in page
    assert "Enter reason" in page
    assert row_counts() == before


def test_a_pause_with_a_date_that_is_not_a_date_is_refused(world, bu, rapid_review):
    before = row_counts()
    response = bu.post(
        reverse("reviews:review_pause", args=[rapid_review.pk]),
        {"starts_on": "31/02/2023", "reason": "Criminal proceedings"},
    )
    assert PROBLEM in response.content.decode()
    assert "Enter a real date" in response.content.decode()
    assert row_counts() == before


def test_an_age_band_with_its_upper_age_below_its_lower_age_is_refused(world, bu):
    before = row_counts()
    response = bu.post(
        reverse("accounts:age_band_add"),
        {"label": "Teenagers", "min_years": "16", "max_years": "13"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert PROBLEM in page
    assert "The upper age must be the same as or above the lower age" in page
    assert row_counts() == before
    assert not AgeBand.objects.filter(label="Teenagers").exists()


def test_a_clock_rule_without_a_length_is_refused(world, bu):
    rule = ClockRule.objects.get(partnership=world.partnership, key=ClockKey.RAPID_REVIEW)
    before = row_counts()
    response = bu.post(
        reverse("accounts:clock_rule_edit", args=[rule.pk]),
        {
            "name": "Rapid review",
            "start_event": "notification_sent",
            "length": "",
            "unit": "working_days",
            "due_soon_working_days": "5",
            "guidance": "Panel guidance.",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert PROBLEM in page
    assert "Enter length" in page
    assert row_counts() == before
    rule.refresh_from_db()
    assert (rule.start_event, rule.length) == ("la_aware", 15)


def test_a_good_incident_form_records_the_incident_and_opens_its_rapid_review(world, bu):
    response = bu.post(
        reverse("reviews:incident_create"),
        {
            "case-reference": "Child Sierra",
            "case-age_years": "0",
            "case-sex": "male",
            "case-ethnicity": "unknown",
            "case-disability": "unknown",
            "case-outcome": "seriously_harmed",
            "case-category": "physical",
            "case-agencies_involved": [str(world.health.pk)],
            "incident-summary": "A fictional incident.",
            "incident-la_aware_on": "2023-03-01",
            "incident-decision": "notify",
            "incident-decision_rationale": "Meets the criteria.",
            "incident-notified_on": "2023-03-03",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Incident for Child Sierra recorded" in page
    assert "Rapid review: Child Sierra" in page


# Identifying details: business unit only, every view audited, never cached.


def test_each_view_of_identifying_details_is_audited_and_not_cached(world, bu):
    case = make_case(world, reference="Child Tango")
    services.case_identity_save(
        actor=world.business_unit, case=case, child_name="Fictional Name", address="1 Road"
    )
    views = AuditEvent.objects.filter(action=AuditAction.VIEW_IDENTIFYING, object_id=str(case.pk))
    assert views.count() == 0

    for expected_views in (1, 2):
        response = bu.get(reverse("reviews:case_identity", args=[case.pk]))
        assert response.status_code == 200
        assert "Fictional Name" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert views.count() == expected_views
    assert set(views.values_list("actor", flat=True)) == {world.business_unit.pk}

    response = bu.get(reverse("reviews:case_identity_edit", args=[case.pk]))
    assert "no-store" in response["Cache-Control"]
    assert views.count() == 3


def test_a_refused_look_at_identifying_details_is_not_a_view(world, client_for):
    case = make_case(world, agencies=[world.police])
    response = client_for(world.users["agency_lead"]).get(
        reverse("reviews:case_identity", args=[case.pk])
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW_IDENTIFYING).exists()


def test_only_the_business_unit_is_offered_the_identifying_details(world, client_for):
    case = make_case(world, agencies=[world.police])
    url = reverse("reviews:case_detail", args=[case.pk])
    link = reverse("reviews:case_identity", args=[case.pk])
    assert link in client_for(world.business_unit).get(url).content.decode()
    for role in ("rag_member", "agency_lead", "scrutineer"):
        page = client_for(world.users[role]).get(url).content.decode()
        assert link not in page, role


# What each role is offered on the pages.


def test_only_the_business_unit_is_offered_record_an_incident(world, client_for):
    url = reverse("reviews:incident_list")
    assert "Record an incident" in client_for(world.business_unit).get(url).content.decode()
    for role in ("rag_member", "agency_lead", "scrutineer"):
        assert "Record an incident" not in client_for(world.users[role]).get(url).content.decode()


def test_only_the_business_unit_is_offered_to_change_a_review(world, client_for, rapid_review):
    url = reverse("reviews:review_detail", args=[rapid_review.pk])
    edit = reverse("reviews:review_edit", args=[rapid_review.pk])
    decide = reverse("reviews:review_decision", args=[rapid_review.pk])
    bu_page = client_for(world.business_unit).get(url).content.decode()
    assert edit in bu_page and decide in bu_page
    rag_page = client_for(world.users["rag_member"]).get(url).content.decode()
    assert edit not in rag_page and decide in rag_page
    for role in ("agency_lead", "scrutineer"):
        page = client_for(world.users[role]).get(url).content.decode()
        assert edit not in page and decide not in page, role


def test_the_scrutiny_reader_is_offered_the_published_reports_only(world, client_for):
    """A reader was offered the live period summary (one-day periods named each child's
    review); now the dashboard is refused and every page offers the reports only."""
    client = client_for(world.users["scrutiny_reader"])
    assert client.get(reverse("reviews:dashboard")).status_code == 403
    html = client.get(reverse("reports:home")).content.decode()
    assert reverse("reports:home") in html
    for name in (
        "reviews:dashboard",
        "reviews:period_summary",
        "learning:analysis",
        "escalations:register",
        "reviews:review_list",
        "accounts:settings",
    ):
        assert f'href="{reverse(name)}"' not in html, name


def test_an_analyst_outside_any_partnership_is_not_offered_a_summary_they_cannot_open(
    db, client_for
):
    analyst = user_create(
        actor=None, partnership=None, username="analyst", password=PASSWORD, role=Role.ANALYST
    )
    html = client_for(analyst).get(reverse("reviews:dashboard")).content.decode()
    assert reverse("reviews:period_summary") not in html


# The chain from incident to rapid review to CSPR.


def test_the_chain_from_incident_to_cspr_shows_on_every_page_of_it(world, bu, rapid_review):
    cspr = commission_cspr(world, rapid_review)
    incident = rapid_review.incident
    pages = {
        "incident": reverse("reviews:incident_detail", args=[incident.pk]),
        "rapid review": reverse("reviews:review_detail", args=[rapid_review.pk]),
        "CSPR": reverse("reviews:review_detail", args=[cspr.pk]),
    }
    for name, url in pages.items():
        html = bu.get(url).content.decode()
        assert "From incident to review" in html, name
        assert "Rapid review: Child Quebec" in html, name
        assert "CSPR: Child Quebec" in html, name
        for other, other_url in pages.items():
            if other != name:  # each page links to the others in its chain
                assert f'href="{other_url}"' in html, (name, other)


def test_an_agency_lead_in_a_cspr_only_is_not_shown_its_rapid_review(world, client_for):
    incident = make_incident(
        world, la_aware_on=D(2023, 3, 1), reference="Child Uniform", agencies=[world.police]
    )
    rapid = rapid_review_of(incident)
    cspr = commission_cspr(world, rapid)
    services.review_update(
        actor=world.business_unit, review=cspr, agencies=[world.police, world.school]
    )
    school_lead = user_create(
        actor=None,
        partnership=world.partnership,
        username="school-lead",
        password=PASSWORD,
        role=Role.AGENCY_LEAD,
        agency=world.school,
    )
    client = client_for(school_lead)
    rapid_url = reverse("reviews:review_detail", args=[rapid.pk])
    assert client.get(rapid_url).status_code == 404
    for url in (reverse("reviews:review_detail", args=[cspr.pk]), reverse("reviews:review_list")):
        html = client.get(url).content.decode()
        assert "CSPR: Child Uniform" in html
        assert rapid_url not in html
        assert "Rapid review: Child Uniform" not in html


# The review list and the clock settings.


def test_the_review_list_filters_by_type(world, bu, rapid_review):
    cspr = commission_cspr(world, rapid_review)
    services.review_create(
        actor=world.business_unit,
        partnership=world.partnership,
        kind=ReviewKind.AUDIT,
        title="Audit of neglect cases",
        opened_on=D(2023, 5, 1),
    )
    url = reverse("reviews:review_list")

    everything = bu.get(url).content.decode()
    assert all(t in everything for t in ("Rapid review: Child Quebec", cspr.title, "Audit of"))

    only_cspr = bu.get(url, {"kind": "cspr"}).content.decode()
    assert f">{cspr.title}</a>" in only_cspr
    assert "Audit of neglect cases" not in only_cspr
    # The rapid review shows only as what the CSPR follows, not as a row of its own.
    assert only_cspr.count(">Rapid review: Child Quebec</a>") == 1

    audits = bu.get(url, {"kind": "audit"}).content.decode()
    assert "Audit of neglect cases" in audits
    assert "Child Quebec" not in audits

    unknown = bu.get(url, {"kind": "nonsense"}).content.decode()
    assert "Audit of neglect cases" in unknown and cspr.title in unknown


def test_changing_the_rapid_review_clock_start_moves_the_due_date_on_the_review_page(
    world, bu, rapid_review
):
    url = reverse("reviews:review_detail", args=[rapid_review.pk])
    # Aware Wed 1 Mar 2023 + 15 working days: 2-3 Mar (2), 6-10 (7), 13-17 (12), 20-22 (15).
    assert "22 March 2023" in bu.get(url).content.decode()

    rule = ClockRule.objects.get(partnership=world.partnership, key=ClockKey.RAPID_REVIEW)
    response = bu.post(
        reverse("accounts:clock_rule_edit", args=[rule.pk]),
        {
            "name": rule.name,
            "start_event": "notification_sent",
            "length": "15",
            "unit": "working_days",
            "due_soon_working_days": "5",
            "guidance": "Panel guidance: from the date the notification was sent.",
            **version_data(rule),  # the version the form was opened on
        },
    )
    assert response.status_code == 302

    # Notified Mon 6 Mar 2023 + 15 working days: 7-10 Mar (4), 13-17 (9), 20-24 (14), Mon 27.
    html = bu.get(url).content.decode()
    assert "27 March 2023" in html
    assert "22 March 2023" not in html
