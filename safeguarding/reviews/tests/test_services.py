"""Writes to incidents, cases and reviews: what each one leaves for the business unit to see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from safeguarding.core.models import Clock, ClockKey
from safeguarding.reviews import services
from safeguarding.reviews.models import (
    CaseIdentity,
    NotificationDecision,
    Review,
    ReviewKind,
    ReviewPause,
    ReviewSignoff,
)
from safeguarding.testing.factories import make_case, make_incident, rapid_review_of

D = dt.date


def clocks_on(subject) -> dict[str, Clock]:
    clocks = Clock.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).select_related("rule")
    return {clock.rule.key: clock for clock in clocks}


def record(world, *, decision: str, **fields):
    case = fields.pop("case", None) or make_case(world, agencies=[world.la, world.police])
    return services.incident_record(
        actor=world.business_unit,
        partnership=world.partnership,
        case=case,
        summary="A fictional serious incident.",
        la_aware_on=fields.pop("la_aware_on", D(2023, 3, 6)),
        decision=decision,
        **fields,
    )


def decide(world, review: Review, decision: str) -> Review:
    return services.review_update(
        actor=world.business_unit,
        review=review,
        decision=decision,
        decision_rationale="Against the Regulation 11 criteria.",
        decision_on=D(2023, 3, 24),
    )


# --- Incidents ----------------------------------------------------------------------------


def test_a_decision_to_notify_opens_exactly_one_rapid_review_for_the_incident(world):
    incident = record(world, decision=NotificationDecision.NOTIFY, notified_on=D(2023, 3, 8))

    reviews = Review.objects.filter(partnership=world.partnership)
    assert reviews.count() == 1
    review = reviews.get()
    assert review.kind == ReviewKind.RAPID_REVIEW
    assert review.incident == incident
    assert review.case == incident.case
    assert review.opened_on == D(2023, 3, 8)
    assert review.created_by == world.business_unit
    assert set(review.agencies.all()) == {world.la, world.police}
    assert set(clocks_on(review)) == {ClockKey.RAPID_REVIEW}


def test_an_incident_still_being_considered_runs_the_notification_clock_but_opens_no_review(
    world,
):
    incident = record(world, decision=NotificationDecision.PENDING)

    assert not incident.reviews.exists()
    clock = clocks_on(incident)[ClockKey.NOTIFICATION]
    assert clock.starts_on == D(2023, 3, 6)
    assert clock.stopped_on is None


def test_deciding_later_to_notify_opens_the_rapid_review_then_and_only_once(world):
    incident = record(world, decision=NotificationDecision.PENDING)

    services.incident_update(
        actor=world.business_unit,
        incident=incident,
        decision=NotificationDecision.NOTIFY,
        notified_on=D(2023, 3, 9),
    )
    services.incident_update(
        actor=world.business_unit, incident=incident, decision_rationale="Panel informed."
    )

    review = incident.reviews.get()
    assert review.kind == ReviewKind.RAPID_REVIEW
    assert review.case == incident.case
    assert review.opened_on == D(2023, 3, 9)
    assert ClockKey.RAPID_REVIEW in clocks_on(review)


def test_sending_the_notification_stops_its_clock(world):
    incident = record(world, decision=NotificationDecision.PENDING)
    services.incident_update(
        actor=world.business_unit,
        incident=incident,
        decision=NotificationDecision.NOTIFY,
        notified_on=D(2023, 3, 10),
    )
    assert clocks_on(incident)[ClockKey.NOTIFICATION].stopped_on == D(2023, 3, 10)


def test_a_decision_not_to_notify_has_no_notification_clock_and_no_review(world):
    incident = record(
        world,
        decision=NotificationDecision.DO_NOT_NOTIFY,
        decision_rationale="Does not meet the criteria.",
    )
    assert clocks_on(incident) == {}
    assert not incident.reviews.exists()


def test_changing_the_decision_to_do_not_notify_removes_the_notification_clock(world):
    incident = record(world, decision=NotificationDecision.PENDING)
    assert ClockKey.NOTIFICATION in clocks_on(incident)

    services.incident_update(
        actor=world.business_unit,
        incident=incident,
        decision=NotificationDecision.DO_NOT_NOTIFY,
        decision_rationale="Does not meet the criteria.",
    )

    assert clocks_on(incident) == {}


def test_correcting_the_date_the_la_became_aware_moves_the_rapid_review_due_date(world):
    incident = make_incident(world, la_aware_on=D(2023, 3, 6), notified_on=D(2023, 3, 7))
    review = rapid_review_of(incident)
    services.incident_update(
        actor=world.business_unit, incident=incident, la_aware_on=D(2023, 3, 3)
    )
    # Fri 3 Mar 2023 + 15: 6-10 Mar (5), 13-17 (10), 20-24 (15) -> Fri 24 Mar.
    assert clocks_on(review)[ClockKey.RAPID_REVIEW].due_on == D(2023, 3, 24)


# --- Rapid reviews and what follows them --------------------------------------------------


def test_sending_the_rapid_review_to_the_panel_stops_its_clock(world):
    review = rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6)))
    services.review_update(
        actor=world.business_unit, review=review, sent_to_panel_on=D(2023, 3, 24)
    )
    assert clocks_on(review)[ClockKey.RAPID_REVIEW].stopped_on == D(2023, 3, 24)


def test_commissioning_a_cspr_opens_it_under_the_rapid_review_for_the_same_case(world):
    incident = make_incident(world, la_aware_on=D(2023, 3, 6), agencies=[world.health])
    rapid_review = decide(world, rapid_review_of(incident), "cspr")

    cspr = services.review_commission_follow_up(
        actor=world.business_unit,
        rapid_review=rapid_review,
        commissioned_on=D(2023, 3, 31),
        author="An independent reviewer",
    )

    assert cspr.kind == ReviewKind.CSPR
    assert cspr.parent == rapid_review
    assert cspr.case == rapid_review.case
    assert cspr.incident == incident
    assert cspr.commissioned_on == D(2023, 3, 31)
    assert cspr.author == "An independent reviewer"
    assert list(rapid_review.children.all()) == [cspr]
    assert set(cspr.agencies.all()) == {world.health}
    # Six months from Fri 31 Mar 2023: September has 30 days, so Sat 30 Sep 2023.
    assert clocks_on(cspr)[ClockKey.CSPR].due_on == D(2023, 9, 30)


def test_commissioning_a_local_learning_review_opens_one_under_the_rapid_review(world):
    rapid_review = decide(
        world, rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6))), "local_learning"
    )
    review = services.review_commission_follow_up(
        actor=world.business_unit, rapid_review=rapid_review, commissioned_on=D(2023, 3, 31)
    )
    assert review.kind == ReviewKind.LOCAL_LEARNING
    assert review.parent == rapid_review
    assert review.case == rapid_review.case


@pytest.mark.parametrize("decision", ["", "no_further", "national"])
def test_no_local_review_is_commissioned_when_the_decision_does_not_call_for_one(world, decision):
    rapid_review = decide(
        world, rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6))), decision
    )
    with pytest.raises(ValueError, match="does not call for"):
        services.review_commission_follow_up(
            actor=world.business_unit, rapid_review=rapid_review, commissioned_on=D(2023, 3, 31)
        )
    assert not Review.objects.filter(parent=rapid_review).exists()
    assert Review.objects.filter(partnership=world.partnership).count() == 1


def test_each_statutory_partner_signs_off_a_decision_once(world):
    review = decide(world, rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6))), "cspr")
    services.review_signoff(
        actor=world.business_unit,
        review=review,
        agency=world.police,
        signed_by="Detective Superintendent",
        signed_on=D(2023, 3, 24),
    )
    with pytest.raises(ValidationError):
        services.review_signoff(
            actor=world.business_unit,
            review=review,
            agency=world.police,
            signed_by="Someone else",
            signed_on=D(2023, 3, 25),
        )
    assert ReviewSignoff.objects.filter(review=review).count() == 1


def test_a_pause_is_kept_with_its_reason_and_its_resume_date(world):
    review = rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 6)))
    pause = services.review_pause(
        actor=world.business_unit,
        review=review,
        starts_on=D(2023, 3, 14),
        reason="Parallel criminal proceedings",
    )
    services.review_resume(actor=world.business_unit, pause=pause, ends_on=D(2023, 3, 21))

    kept = ReviewPause.objects.get(review=review)
    assert (kept.starts_on, kept.ends_on) == (D(2023, 3, 14), D(2023, 3, 21))
    assert kept.reason == "Parallel criminal proceedings"


# --- Identifying details ------------------------------------------------------------------


def test_identifying_details_are_saved_once_per_case_and_can_be_corrected(world):
    case = make_case(world)
    services.case_identity_save(
        actor=world.business_unit, case=case, child_name="Alex Example", date_of_birth=D(2019, 2, 3)
    )
    services.case_identity_save(actor=world.business_unit, case=case, child_name="Alexa Example")

    identity = CaseIdentity.objects.get(case=case)
    assert identity.child_name == "Alexa Example"
    assert identity.date_of_birth == D(2019, 2, 3)


def test_viewing_identifying_details_returns_them_or_nothing(world):
    case = make_case(world)
    assert services.case_identity_view(actor=world.business_unit, case=case) is None
    services.case_identity_save(actor=world.business_unit, case=case, child_name="Alex Example")
    identity = services.case_identity_view(actor=world.business_unit, case=case)
    assert identity is not None
    assert identity.child_name == "Alex Example"
