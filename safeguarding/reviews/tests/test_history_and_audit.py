"""Every write keeps its history row and exactly one audit row, in the same transaction; views of
identifying details are audited; identifying values never reach the audit trail."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from safeguarding.accounts.models import Role
from safeguarding.accounts.services import user_create
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.core import history as history_module
from safeguarding.reviews import services
from safeguarding.reviews.models import Case, NotificationDecision, Review, ReviewKind
from safeguarding.testing.factories import PASSWORD, make_case, make_incident, rapid_review_of

D = dt.date


@pytest.fixture
def officer(world):
    """A second business unit officer, so the actor of the write under test is unmistakable."""
    return user_create(
        actor=world.business_unit,
        partnership=world.partnership,
        username=f"{world.partnership.slug}-officer",
        password=PASSWORD,
        role=Role.BUSINESS_UNIT,
    )


def audit_rows_for(obj) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk)))


# Each scenario sets up what it needs (as the business unit) and returns the write under test,
# done by `officer`, which returns the record it wrote.
Scenario = Callable[[Any, Any], Callable[[], Any]]


def _case_create(world, officer):
    return lambda: services.case_create(
        actor=officer,
        partnership=world.partnership,
        agencies=[world.la],
        reference="Child Q",
        outcome="died",
    )


def _case_update(world, officer):
    case = make_case(world)
    return lambda: services.case_update(actor=officer, case=case, outcome="died", age_years=0)


def _incident_record(world, officer):
    case = make_case(world)
    return lambda: services.incident_record(
        actor=officer,
        partnership=world.partnership,
        case=case,
        summary="A fictional incident.",
        la_aware_on=D(2023, 3, 6),
    )


def _incident_update(world, officer):
    incident = make_incident(world, la_aware_on=D(2023, 3, 6))
    return lambda: services.incident_update(
        actor=officer, incident=incident, notified_on=D(2023, 3, 8)
    )


def _review_create(world, officer):
    return lambda: services.review_create(
        actor=officer,
        partnership=world.partnership,
        kind=ReviewKind.AUDIT,
        title="Multi-agency audit: neglect",
        opened_on=D(2023, 3, 6),
    )


def _review_update(world, officer):
    review = rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6)))
    return lambda: services.review_update(actor=officer, review=review, facts="What happened.")


def _review_pause(world, officer):
    review = rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6)))
    return lambda: services.review_pause(
        actor=officer, review=review, starts_on=D(2023, 3, 14), reason="Criminal proceedings"
    )


def _review_resume(world, officer):
    review = rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6)))
    pause = services.review_pause(
        actor=world.business_unit, review=review, starts_on=D(2023, 3, 14), reason="Inquest"
    )
    return lambda: services.review_resume(actor=officer, pause=pause, ends_on=D(2023, 3, 21))


def _review_signoff(world, officer):
    review = rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6)))
    # A sign-off signs off a decision: one is recorded first.
    services.review_update(
        actor=world.business_unit, review=review, decision="no_further", decision_on=D(2023, 3, 20)
    )
    return lambda: services.review_signoff(
        actor=officer,
        review=review,
        agency=world.health,
        signed_by="Designated nurse",
        signed_on=D(2023, 3, 24),
    )


def _review_commission_follow_up(world, officer):
    review = services.review_update(
        actor=world.business_unit,
        review=rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6))),
        decision="cspr",
    )
    return lambda: services.review_commission_follow_up(
        actor=officer, rapid_review=review, commissioned_on=D(2023, 3, 31)
    )


def _case_identity_save_new(world, officer):
    case = make_case(world)
    return lambda: services.case_identity_save(
        actor=officer, case=case, child_name="Alex Example", date_of_birth=D(2019, 2, 3)
    )


def _case_identity_save_again(world, officer):
    case = make_case(world)
    services.case_identity_save(actor=world.business_unit, case=case, child_name="Alex Example")
    return lambda: services.case_identity_save(actor=officer, case=case, address="1 Any Street")


WRITES: dict[str, tuple[Scenario, str]] = {
    "case_create": (_case_create, AuditAction.CREATE),
    "case_update": (_case_update, AuditAction.UPDATE),
    "incident_record": (_incident_record, AuditAction.CREATE),
    "incident_update": (_incident_update, AuditAction.UPDATE),
    "review_create": (_review_create, AuditAction.CREATE),
    "review_update": (_review_update, AuditAction.UPDATE),
    "review_pause": (_review_pause, AuditAction.CREATE),
    "review_resume": (_review_resume, AuditAction.UPDATE),
    "review_signoff": (_review_signoff, AuditAction.CREATE),
    "review_commission_follow_up": (_review_commission_follow_up, AuditAction.CREATE),
    "case_identity_save (new)": (_case_identity_save_new, AuditAction.CREATE),
    "case_identity_save (again)": (_case_identity_save_again, AuditAction.UPDATE),
}


@pytest.mark.parametrize("name", WRITES)
def test_every_write_keeps_a_history_row_by_the_actor_and_exactly_one_audit_row(
    world, officer, name
):
    scenario, action = WRITES[name]
    write = scenario(world, officer)
    audit_before = AuditEvent.objects.count()

    obj = write()

    history = obj.history.order_by("-history_date", "-history_id")
    assert history.exists()
    assert history.first().history_user == officer
    assert history.filter(history_user=officer).count() >= 1

    assert AuditEvent.objects.count() == audit_before + 1
    (row,) = [row for row in audit_rows_for(obj) if row.actor == officer]
    assert row.actor == officer
    assert row.action == action
    assert row.partnership == world.partnership


def test_a_change_is_audited_with_its_before_and_after_values(world, officer):
    review = rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6)))
    old_title = review.title

    services.review_update(actor=officer, review=review, title="Rapid review: Child Z")

    row = AuditEvent.objects.filter(actor=officer).get()
    assert row.changes["title"] == [old_title, "Rapid review: Child Z"]
    assert set(row.changes) == {"title"}
    previous = review.history.filter(history_user=officer).get().prev_record
    assert previous.title == old_title


def test_an_incident_that_opens_a_rapid_review_audits_both_records_once(world, officer):
    incident = services.incident_record(
        actor=officer,
        partnership=world.partnership,
        case=make_case(world),
        summary="A fictional incident.",
        la_aware_on=D(2023, 3, 6),
        decision=NotificationDecision.NOTIFY,
    )
    review = rapid_review_of(incident)

    assert len(audit_rows_for(incident)) == 1
    assert len(audit_rows_for(review)) == 1
    assert AuditEvent.objects.filter(actor=officer).count() == 2
    assert review.history.get().history_user == officer


# --- Nothing is kept when a write fails ---------------------------------------------------


def test_an_invalid_change_leaves_no_history_and_no_audit_row(world, officer):
    case = make_case(world)
    history_before, audit_before = case.history.count(), AuditEvent.objects.count()

    with pytest.raises(ValidationError):
        services.case_update(actor=officer, case=case, outcome="not an outcome")

    case.refresh_from_db()
    assert case.outcome == "seriously_harmed"
    assert case.history.count() == history_before
    assert AuditEvent.objects.count() == audit_before


def test_a_write_that_fails_after_saving_keeps_neither_its_change_history_nor_audit(
    world, officer, monkeypatch
):
    review = rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6)))
    history_before, audit_before = review.history.count(), AuditEvent.objects.count()

    def clocks_fail(**kwargs):
        raise RuntimeError("clock store unavailable")

    monkeypatch.setattr(services, "clocks_sync_review", clocks_fail)
    with pytest.raises(RuntimeError):
        services.review_update(actor=officer, review=review, facts="What happened.")

    review = Review.objects.get(pk=review.pk)
    assert review.facts == ""
    assert review.history.count() == history_before
    assert AuditEvent.objects.count() == audit_before


def test_a_change_whose_audit_row_cannot_be_written_is_not_kept(world, officer, monkeypatch):
    case = make_case(world)
    history_before = case.history.count()

    def audit_fails(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(history_module, "audit_record", audit_fails)
    with pytest.raises(RuntimeError):
        services.case_update(actor=officer, case=case, outcome="died")

    assert Case.objects.get(pk=case.pk).outcome == "seriously_harmed"
    assert case.history.count() == history_before


def test_a_refused_follow_up_review_leaves_no_audit_row(world, officer):
    review = rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6)))
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ValueError):
        services.review_commission_follow_up(
            actor=officer, rapid_review=review, commissioned_on=D(2023, 3, 31)
        )
    assert AuditEvent.objects.count() == audit_before


# --- Identifying details ------------------------------------------------------------------


def test_viewing_identifying_details_is_audited_against_the_case(world, officer):
    case = make_case(world)
    services.case_identity_save(actor=world.business_unit, case=case, child_name="Alex Example")

    services.case_identity_view(actor=officer, case=case)

    row = AuditEvent.objects.get(actor=officer)
    assert row.action == AuditAction.VIEW_IDENTIFYING
    assert row.object_type == "reviews.Case"
    assert row.object_id == str(case.pk)
    assert row.partnership == world.partnership
    assert "Alex Example" not in row.summary


def test_looking_for_identifying_details_that_do_not_exist_is_still_audited(world, officer):
    case = make_case(world)
    assert services.case_identity_view(actor=officer, case=case) is None
    assert AuditEvent.objects.get(actor=officer).action == AuditAction.VIEW_IDENTIFYING


IDENTIFYING = {
    "child_name": "Alex Example",
    "date_of_birth": D(2019, 2, 3),
    "address": "1 Any Street, Anytown",
    "agency_record_numbers": "Police 12/3456/22",
}


def _leaks(row: AuditEvent) -> list[str]:
    text = (json.dumps(row.changes) + " " + row.summary).lower()
    values = [
        "Alex Example",
        "Alex",
        "2019-02-03",
        "3 February 2019",
        "03/02/2019",
        "Any Street",
        "12/3456/22",
        "Alexa",
        "2018-12-01",
    ]
    return [value for value in values if value.lower() in text]


def test_saving_identifying_details_names_the_fields_changed_but_not_their_values(world, officer):
    case = make_case(world)

    identity = services.case_identity_save(actor=officer, case=case, **IDENTIFYING)

    (row,) = audit_rows_for(identity)
    assert _leaks(row) == []
    assert {"child_name", "date_of_birth", "address", "agency_record_numbers"} <= set(row.changes)
    assert row.summary == f"Changed identifying details of {case.reference}"


def test_correcting_identifying_details_keeps_old_and_new_values_out_of_the_audit(world, officer):
    case = make_case(world)
    services.case_identity_save(actor=world.business_unit, case=case, **IDENTIFYING)

    identity = services.case_identity_save(
        actor=officer, case=case, child_name="Alexa Example", date_of_birth=D(2018, 12, 1)
    )

    row = AuditEvent.objects.get(actor=officer)
    assert row.object_id == str(identity.pk)
    assert _leaks(row) == []
    assert set(row.changes) == {"child_name", "date_of_birth"}
