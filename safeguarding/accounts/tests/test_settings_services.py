"""Partnership settings: new partnerships, clock rules and closure days, and what they do to
the clocks already running."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from safeguarding.accounts.models import AgeBand, ClosureDay, Partnership
from safeguarding.accounts.services import (
    age_band_save,
    clock_rule_update,
    closure_day_add,
    partnership_create,
)
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.core.models import Clock, ClockKey, ClockRule, StartEvent
from safeguarding.testing.factories import make_incident, rapid_review_of

D = dt.date


def rr_clock(review) -> Clock:
    return Clock.objects.get(
        rule__key=ClockKey.RAPID_REVIEW,
        subject_type=ContentType.objects.get_for_model(review),
        subject_id=review.pk,
    )


def rule_of(partnership, key: str) -> ClockRule:
    return ClockRule.objects.get(partnership=partnership, key=key)


@pytest.fixture
def review(world):
    """A rapid review the LA became aware of on Mon 6 Mar 2023, notified Wed 8 Mar: due Mon 27
    Mar 2023 (7-10 Mar (4), 13-17 (9), 20-24 (14), Mon 27 (15); no holidays in March 2023)."""
    review = rapid_review_of(
        make_incident(world, la_aware_on=D(2023, 3, 6), notified_on=D(2023, 3, 8))
    )
    assert rr_clock(review).due_on == D(2023, 3, 27)
    return review


# --- New partnerships ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_partnership_starts_with_the_statutory_clock_rules():
    partnership = partnership_create(actor=None, name="Anyshire LSCP", slug="anyshire")
    rules = {
        rule.key: (rule.start_event, rule.length, rule.unit)
        for rule in ClockRule.objects.filter(partnership=partnership)
    }
    # Other clocks (escalation stages, actions) may be added; these four must be there as is.
    assert {
        key: rules.get(key) for key in ("notification", "rapid_review", "cspr", "local_review")
    } == {
        "notification": ("la_aware", 5, "working_days"),
        "rapid_review": ("la_aware", 15, "working_days"),
        "cspr": ("commissioned", 6, "months"),
        "local_review": ("opened", 6, "months"),
    }
    assert all(rule.guidance for rule in ClockRule.objects.filter(partnership=partnership))


@pytest.mark.django_db
def test_a_new_partnership_starts_with_the_usual_age_bands():
    partnership = partnership_create(actor=None, name="Anyshire LSCP", slug="anyshire")
    bands = [
        (band.label, band.min_years, band.max_years)
        for band in AgeBand.objects.filter(partnership=partnership).order_by("min_years")
    ]
    assert bands == [
        ("Under 1", 0, 0),
        ("1 to 4", 1, 4),
        ("5 to 11", 5, 11),
        ("12 and over", 12, None),
    ]


def test_creating_a_partnership_is_audited_and_kept_in_history(world):
    partnership = partnership_create(
        actor=world.business_unit, name="Anyshire LSCP", slug="anyshire"
    )
    row = AuditEvent.objects.get(object_type="accounts.Partnership", object_id=str(partnership.pk))
    assert row.action == AuditAction.CREATE
    assert row.actor == world.business_unit
    assert partnership.history.get().history_user == world.business_unit


@pytest.mark.django_db
def test_two_partnerships_cannot_share_a_slug():
    partnership_create(actor=None, name="Anyshire LSCP", slug="anyshire")
    with pytest.raises(ValidationError):
        partnership_create(actor=None, name="Another", slug="anyshire")
    assert Partnership.objects.filter(slug="anyshire").count() == 1


# --- Clock rules --------------------------------------------------------------------------


def test_lengthening_the_rapid_review_clock_moves_reviews_already_running(world, review):
    clock_rule_update(
        actor=world.business_unit, rule=rule_of(world.partnership, "rapid_review"), length=20
    )
    # Mon 6 Mar 2023 + 20: Mon 27 Mar was day 15; Tue 28 .. Fri 31 (19), Mon 3 Apr (20).
    assert rr_clock(review).due_on == D(2023, 4, 3)


def test_counting_rapid_reviews_from_the_notification_moves_running_clocks(world, review):
    clock_rule_update(
        actor=world.business_unit,
        rule=rule_of(world.partnership, "rapid_review"),
        start_event=StartEvent.NOTIFICATION_SENT,
    )
    # Wed 8 Mar 2023 + 15: 9-10 Mar (2), 13-17 (7), 20-24 (12), 27-29 (15) -> Wed 29 Mar.
    clock = rr_clock(review)
    assert clock.starts_on == D(2023, 3, 8)
    assert clock.due_on == D(2023, 3, 29)


def test_a_clock_rule_in_calendar_days_counts_weekends_and_holidays(world):
    clock_rule_update(
        actor=world.business_unit,
        rule=rule_of(world.partnership, "rapid_review"),
        unit="calendar_days",
    )
    # 15 calendar days from Tue 31 May 2022, Jubilee holidays and all: Wed 15 Jun 2022.
    review = rapid_review_of(make_incident(world, la_aware_on=D(2022, 5, 31)))
    assert rr_clock(review).due_on == D(2022, 6, 15)


def test_changing_one_partnerships_rule_leaves_another_partnerships_clocks_alone(
    world, other_world, review
):
    theirs = rapid_review_of(make_incident(other_world, la_aware_on=D(2023, 3, 6)))
    clock_rule_update(
        actor=world.business_unit, rule=rule_of(world.partnership, "rapid_review"), length=20
    )
    assert rr_clock(theirs).due_on == D(2023, 3, 27)
    assert rule_of(other_world.partnership, "rapid_review").length == 15


def test_a_clock_rule_change_is_audited_with_before_and_after(world, review):
    rule = clock_rule_update(
        actor=world.business_unit,
        rule=rule_of(world.partnership, "rapid_review"),
        length=20,
        guidance="Working Together 2023",
    )
    row = AuditEvent.objects.get(object_type="core.ClockRule", object_id=str(rule.pk))
    assert row.action == AuditAction.UPDATE
    assert row.actor == world.business_unit
    assert row.partnership == world.partnership
    assert row.changes["length"] == [15, 20]
    latest = rule.history.order_by("-history_id").first()
    assert latest.history_user == world.business_unit
    assert latest.prev_record.length == 15


def test_an_invalid_clock_rule_is_refused_and_running_clocks_stay_as_they_were(world, review):
    rule = rule_of(world.partnership, "rapid_review")
    audit_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        clock_rule_update(actor=world.business_unit, rule=rule, unit="fortnights", length=2)
    rule.refresh_from_db()
    assert (rule.length, rule.unit) == (15, "working_days")
    assert rr_clock(review).due_on == D(2023, 3, 27)
    assert AuditEvent.objects.count() == audit_before


# --- Closure days -------------------------------------------------------------------------


def test_a_closure_day_inside_a_clock_pushes_its_due_date_back_one_working_day(world, review):
    closure_day_add(
        actor=world.business_unit,
        partnership=world.partnership,
        date=D(2023, 3, 15),
        reason="Staff training day",
    )
    # Wed 15 Mar no longer counts: Mon 27 Mar becomes Tue 28 Mar.
    assert rr_clock(review).due_on == D(2023, 3, 28)


@pytest.mark.parametrize(
    ("date", "why"),
    [
        (D(2023, 3, 18), "a Saturday is not a working day anyway"),
        (D(2023, 4, 7), "Good Friday is a bank holiday anyway"),
        (D(2023, 3, 28), "after the due date"),
        (D(2023, 3, 6), "the day the clock started is day 0"),
    ],
)
def test_a_closure_day_that_was_not_a_counted_working_day_does_not_move_the_due_date(
    world, review, date, why
):
    closure_day_add(actor=world.business_unit, partnership=world.partnership, date=date, reason=why)
    assert rr_clock(review).due_on == D(2023, 3, 27), why


def test_a_closure_day_changes_how_late_a_finished_review_was(world, review):
    from safeguarding.reviews.services import review_update

    review_update(actor=world.business_unit, review=review, sent_to_panel_on=D(2023, 3, 28))
    assert rr_clock(review).variance_working_days == 1  # one working day late

    closure_day_add(
        actor=world.business_unit,
        partnership=world.partnership,
        date=D(2023, 3, 15),
        reason="Staff training day",
    )
    # Due Tue 28 Mar now, and it went on Tue 28 Mar: on the day.
    assert rr_clock(review).variance_working_days == 0


def test_a_closure_day_only_affects_its_own_partnership(world, other_world, review):
    theirs = rapid_review_of(make_incident(other_world, la_aware_on=D(2023, 3, 6)))
    closure_day_add(
        actor=world.business_unit,
        partnership=world.partnership,
        date=D(2023, 3, 15),
        reason="Staff training day",
    )
    assert rr_clock(theirs).due_on == D(2023, 3, 27)


def test_the_same_closure_day_cannot_be_added_twice(world):
    closure_day_add(
        actor=world.business_unit,
        partnership=world.partnership,
        date=D(2023, 3, 15),
        reason="Staff training day",
    )
    with pytest.raises(ValidationError):
        closure_day_add(
            actor=world.business_unit,
            partnership=world.partnership,
            date=D(2023, 3, 15),
            reason="y",
        )
    assert ClosureDay.objects.filter(partnership=world.partnership).count() == 1


def test_adding_a_closure_day_is_audited_and_kept_in_history(world):
    closure = closure_day_add(
        actor=world.business_unit,
        partnership=world.partnership,
        date=D(2023, 3, 15),
        reason="Staff training day",
    )
    (row,) = AuditEvent.objects.filter(object_type="accounts.ClosureDay", object_id=str(closure.pk))
    assert row.actor == world.business_unit
    assert row.partnership == world.partnership
    assert closure.history.get().history_user == world.business_unit


# --- Age bands ----------------------------------------------------------------------------


def test_changing_an_age_band_is_audited_and_kept_in_history(world):
    band = AgeBand.objects.get(partnership=world.partnership, label="12 and over")
    age_band_save(actor=world.business_unit, band=band, label="12 to 17", max_years=17)
    band.refresh_from_db()
    assert (band.label, band.max_years) == ("12 to 17", 17)
    row = AuditEvent.objects.get(object_type="accounts.AgeBand", object_id=str(band.pk))
    assert row.action == AuditAction.UPDATE
    assert row.changes["max_years"] == [None, 17]
    assert band.history.order_by("-history_id").first().history_user == world.business_unit
