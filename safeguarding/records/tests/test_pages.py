"""The retention page: schedule, due list, legal holds; who may use it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.core.concurrency import version_data
from safeguarding.records.models import DEFAULT_YEARS, LegalHold, RecordType, RetentionRule
from safeguarding.records.services import legal_hold_place
from safeguarding.records.tests.helpers import D, make_closed_case

pytestmark = pytest.mark.django_db

URL = "/records/retention/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def schedule_data(world, **years):
    rules = RetentionRule.objects.filter(partnership=world.partnership)
    data = {f"years_{r.record_type}": str(years.get(r.record_type, r.years)) for r in rules}
    return {**data, **version_data(rules)}


@pytest.mark.parametrize("role", ["rag_member", "agency_lead", "scrutineer", "scrutiny_reader"])
def test_other_roles_are_refused(world, client_for, role):
    client = client_for(world.users[role])
    assert client.get(URL).status_code == 403
    assert client.get(reverse("records:hold_place")).status_code == 403


def test_signed_out_visitors_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_business_unit_sees_the_schedule_with_its_periods(world, client_for):
    page = client_for(world.business_unit).get(URL).content.decode()
    assert "Retention schedule" in page
    for rule in RetentionRule.objects.filter(partnership=world.partnership):
        assert f'name="years_{rule.record_type}" value="{rule.years}"' in page
        assert rule.get_record_type_display() in page
    assert "not legal advice" in page


def test_a_case_due_within_90_days_is_listed(world, client_for, monkeypatch):
    closed = make_closed_case(world, completed_on=D(2010, 5, 10))
    due_year = 2010 + DEFAULT_YEARS[RecordType.CASE]
    monkeypatch.setattr("safeguarding.core.dates.today", lambda: D(due_year, 3, 1))
    page = client_for(world.business_unit).get(URL).content.decode()
    assert f"Case {closed.case.reference}" in page
    assert f"10 May {due_year}" in page


def test_changing_a_period_saves_it_with_history_and_audit(world, client_for):
    client = client_for(world.business_unit)
    response = client.post(URL, schedule_data(world, case=20))
    assert response.status_code == 302
    rule = RetentionRule.objects.get(partnership=world.partnership, record_type="case")
    assert rule.years == 20
    assert rule.history.count() == 2
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="records.RetentionRule", object_id=str(rule.pk)
    ).exists()
    assert "1 period changed" in client.get(URL).content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Enter a period of at least 1 year"),
        ("abc", "Enter the period as a whole number of years"),
        ("", "Enter the period for cases"),
    ],
)
def test_a_bad_period_is_shown_in_the_error_summary_and_nothing_is_saved(
    world, client_for, value, message
):
    response = client_for(world.business_unit).post(URL, schedule_data(world, case=value))
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert (
        RetentionRule.objects.get(partnership=world.partnership, record_type="case").years
        == (DEFAULT_YEARS["case"])
    )


def test_placing_and_lifting_a_hold(world, client_for):
    closed = make_closed_case(world)
    client = client_for(world.business_unit)
    response = client.post(
        reverse("records:hold_place"), {"case": closed.case.pk, "reason": "Civil claim"}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get(case=closed.case)
    page = client.get(URL).content.decode()
    assert "Civil claim" in page and f"Case {closed.case.reference}" in page

    lift = reverse("records:hold_lift", args=[hold.pk])
    response = client.post(lift, {"reason": "Settled", **version_data(hold)})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None and hold.lift_reason == "Settled"
    assert AuditEvent.objects.filter(action=AuditAction.LEGAL_HOLD).count() == 2


def test_a_hold_needs_one_subject_and_a_reason(world, client_for):
    closed = make_closed_case(world)
    client = client_for(world.business_unit)
    page = client.post(
        reverse("records:hold_place"), {"case": closed.case.pk, "review": closed.review.pk}
    ).content.decode()
    assert "govuk-error-summary" in page
    assert "Choose either a case or a review to hold" in page
    assert "Enter the reason for the hold" in page
    assert not LegalHold.objects.exists()


def test_an_outsider_cannot_see_lift_or_hold_another_partnerships_records(
    world, other_world, client_for
):
    closed = make_closed_case(world)
    hold = legal_hold_place(
        actor=world.business_unit, partnership=world.partnership, case=closed.case, reason="Claim X"
    )
    client = client_for(other_world.business_unit)
    assert "Claim X" not in client.get(URL).content.decode()
    assert client.get(reverse("records:hold_lift", args=[hold.pk])).status_code == 404
    client.post(reverse("records:hold_place"), {"case": closed.case.pk, "reason": "Mine now"})
    assert LegalHold.objects.count() == 1
