"""The assurance chain: submit, accept, return; no going back without a reason; audits move
the chain; where learning stalls, counted by the database."""

from __future__ import annotations

import pytest

from safeguarding.dissemination import selectors, services
from safeguarding.dissemination.models import (
    AssuranceSubmission,
    Stage,
    SubmissionSource,
    SubmissionStatus,
)
from safeguarding.dissemination.tests.helpers import D, ask, make_product
from safeguarding.reviews import services as review_services

TODAY = D(2023, 6, 30)
REACHED_ON = D(2023, 3, 1)


def submit(world, record, stage, *, reason="", on=REACHED_ON):
    return services.assurance_submit(
        actor=world.users["agency_lead"],
        record=record,
        stage=stage,
        achieved_on=on,
        evidence="Briefing circulated to every response officer.",
        reason=reason,
        today=TODAY,
    )


@pytest.fixture
def record(world):
    return ask(world, make_product(world), world.police)


def test_a_new_request_starts_at_no_stage(record):
    assert (record.stage, record.stage_on) == (Stage.NONE, None)


def test_a_submission_moves_the_chain_only_once_accepted(world, record):
    submission = submit(world, record, Stage.DISSEMINATED)
    record.refresh_from_db()
    assert record.stage == Stage.NONE
    services.assurance_accept(actor=world.business_unit, submission=submission)
    record.refresh_from_db()
    assert (record.stage, record.stage_on) == (Stage.DISSEMINATED, D(2023, 3, 1))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert submission.decided_by == world.business_unit


def test_a_returned_submission_leaves_the_chain_where_it_was(world, record):
    submission = submit(world, record, Stage.EMBEDDED)
    services.assurance_return(
        actor=world.business_unit, submission=submission, note="Attach the training plan."
    )
    record.refresh_from_db()
    assert record.stage == Stage.NONE
    submission.refresh_from_db()
    assert (submission.status, submission.decision_note) == (
        SubmissionStatus.RETURNED,
        "Attach the training plan.",
    )


def test_a_return_must_say_why(world, record):
    submission = submit(world, record, Stage.RECEIVED)
    with pytest.raises(services.DisseminationError, match="why"):
        services.assurance_return(actor=world.business_unit, submission=submission, note=" ")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_only_a_waiting_submission_can_be_decided(world, record):
    submission = submit(world, record, Stage.RECEIVED)
    services.assurance_accept(actor=world.business_unit, submission=submission)
    with pytest.raises(services.DisseminationError):
        services.assurance_accept(actor=world.business_unit, submission=submission)
    with pytest.raises(services.DisseminationError):
        services.assurance_return(actor=world.business_unit, submission=submission, note="No")


def test_one_submission_waits_at_a_time(world, record):
    submit(world, record, Stage.RECEIVED)
    with pytest.raises(services.DisseminationError, match="already waiting"):
        submit(world, record, Stage.DISSEMINATED)
    assert AssuranceSubmission.objects.count() == 1


def test_stages_may_be_skipped_forwards(world, record):
    submission = submit(world, record, Stage.EMBEDDED)
    services.assurance_accept(actor=world.business_unit, submission=submission)
    record.refresh_from_db()
    assert record.stage == Stage.EMBEDDED


def test_going_back_or_repeating_a_stage_needs_a_reason(world, record):
    services.assurance_accept(
        actor=world.business_unit, submission=submit(world, record, Stage.EMBEDDED)
    )
    for stage in (Stage.DISSEMINATED, Stage.EMBEDDED):
        with pytest.raises(services.DisseminationError, match="reason"):
            submit(world, record, stage)
    assert AssuranceSubmission.objects.count() == 1
    back = submit(world, record, Stage.DISSEMINATED, reason="Training was paused for a year.")
    services.assurance_accept(actor=world.business_unit, submission=back)
    record.refresh_from_db()
    assert record.stage == Stage.DISSEMINATED


def test_a_date_in_the_future_is_refused(world, record):
    with pytest.raises(services.DisseminationError, match="future"):
        submit(world, record, Stage.RECEIVED, on=D(2023, 7, 1))


def test_every_step_is_kept_as_history(world, record):
    first = submit(world, record, Stage.RECEIVED)
    services.assurance_return(actor=world.business_unit, submission=first, note="Add the date.")
    second = submit(world, record, Stage.RECEIVED)
    services.assurance_accept(actor=world.business_unit, submission=second)
    history = list(selectors.record_history(record=record))
    assert [(s.stage, s.status) for s in history] == [
        (Stage.RECEIVED, SubmissionStatus.RETURNED),
        (Stage.RECEIVED, SubmissionStatus.ACCEPTED),
    ]
    assert record.history.count() == 2  # asked, then moved to received


def make_audit(world):
    return review_services.review_create(
        actor=world.business_unit,
        partnership=world.partnership,
        kind="audit",
        title="Re-audit of escalation",
        opened_on=D(2023, 5, 1),
    )


def test_an_audit_result_moves_the_chain_on(world, record):
    services.assurance_accept(
        actor=world.business_unit, submission=submit(world, record, Stage.EMBEDDED)
    )
    audit = make_audit(world)
    result = services.audit_result_record(
        actor=world.business_unit,
        audit=audit,
        product=record.product,
        agency=world.police,
        stage=Stage.PRACTICE_CHANGE,
        on=D(2023, 5, 31),
        finding="Nine of ten files recorded the escalation and its outcome.",
    )
    record.refresh_from_db()
    assert (record.stage, record.stage_on) == (Stage.PRACTICE_CHANGE, D(2023, 5, 31))
    assert (result.source, result.status, result.audit) == (
        SubmissionSource.AUDIT,
        SubmissionStatus.ACCEPTED,
        audit,
    )
    assert list(record.product.rechecks.values_list("audit", flat=True)) == [audit.pk]


def test_an_audit_that_finds_no_change_moves_the_chain_back_only_with_a_reason(world, record):
    services.assurance_accept(
        actor=world.business_unit, submission=submit(world, record, Stage.PRACTICE_CHANGE)
    )
    audit = make_audit(world)
    kwargs = dict(
        actor=world.business_unit,
        audit=audit,
        product=record.product,
        agency=world.police,
        stage=Stage.EMBEDDED,
        on=D(2023, 5, 31),
        finding="Only three of ten files recorded the escalation.",
    )
    with pytest.raises(services.DisseminationError, match="reason"):
        services.audit_result_record(**kwargs)
    services.audit_result_record(**kwargs, reason="The re-audit did not find the change.")
    record.refresh_from_db()
    assert record.stage == Stage.EMBEDDED


def test_only_a_multi_agency_audit_can_recheck_learning(world, record):
    review = review_services.review_create(
        actor=world.business_unit,
        partnership=world.partnership,
        kind="local_learning",
        title="Not an audit",
        opened_on=D(2023, 5, 1),
    )
    with pytest.raises(services.DisseminationError, match="audit"):
        services.audit_recheck_link(actor=world.business_unit, audit=review, product=record.product)


def test_the_stall_view_counts_records_by_stage_for_each_agency_and_theme(world):
    escalation = make_product(world, title="Escalation brief", themes=("Escalation",))
    curiosity = make_product(
        world,
        title="Curiosity masterclass",
        themes=("Professional curiosity", "Disguised compliance"),
        kind="masterclass",
    )
    for product in (escalation, curiosity):
        for agency in (world.police, world.health, world.school):
            ask(world, product, agency)
    # Police: escalation reached practice change; curiosity received.
    police_escalation = escalation.assurance_records.get(agency=world.police)
    services.assurance_accept(
        actor=world.business_unit,
        submission=submit(world, police_escalation, Stage.PRACTICE_CHANGE),
    )
    police_curiosity = curiosity.assurance_records.get(agency=world.police)
    services.assurance_accept(
        actor=world.business_unit, submission=submit(world, police_curiosity, Stage.RECEIVED)
    )
    stall = selectors.stall(user=world.business_unit)
    by_agency = {row.label: row.counts for row in stall["by_agency"]}
    # Columns: none, received, disseminated, embedded, practice change, outcome.
    assert by_agency == {
        "Integrated care board": [2, 0, 0, 0, 0, 0],
        "Police": [0, 1, 0, 0, 1, 0],
        "Schools": [2, 0, 0, 0, 0, 0],
    }
    by_theme = {row.label: row.counts for row in stall["by_theme"]}
    assert by_theme == {
        "Disguised compliance": [2, 1, 0, 0, 0, 0],
        "Escalation": [2, 0, 0, 0, 1, 0],
        "Professional curiosity": [2, 1, 0, 0, 0, 0],
    }
    assert stall["total"] == 6
    rows = {row.label: row for row in stall["by_agency"]}
    assert rows["Schools"].stalls_at == "Not yet confirmed"
    # A tie between received and practice change: the earlier stage is where it stalls.
    assert rows["Police"].stalls_at == "Received"


def test_an_agency_lead_sees_only_their_own_agencys_counts(world):
    product = make_product(world)
    ask(world, product, world.police)
    ask(world, product, world.health)
    stall = selectors.stall(user=world.users["agency_lead"])
    assert [row.label for row in stall["by_agency"]] == ["Police"]
