"""Statutory clocks: due dates, status, lateness and pauses, as the dashboard shows them.

Expected dates are counted by hand in the comments (England & Wales bank holidays from GOV.UK).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType

from safeguarding.accounts.services import clock_rule_update
from safeguarding.core.clocks import (
    DEFAULT_RULES,
    Pause,
    clock_sync,
    paused_working_days,
    working_days_overdue,
)
from safeguarding.core.models import Clock, ClockKey, ClockRule, ClockStatus, StartEvent
from safeguarding.core.workingdays import WorkingCalendar
from safeguarding.reviews import services
from safeguarding.reviews.models import NotificationDecision, ReviewPause
from safeguarding.reviews.services import clocks_sync_review
from safeguarding.testing.factories import make_incident, rapid_review_of

D = dt.date


def clock_of(subject, key: str, today: dt.date | None = None) -> Clock:
    clocks = Clock.objects.filter(
        rule__key=key,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
    )
    return clocks.with_status(today or D(2000, 1, 1)).get()


def has_clock(subject, key: str) -> bool:
    return Clock.objects.filter(
        rule__key=key,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
    ).exists()


def rule_of(world, key: str) -> ClockRule:
    return ClockRule.objects.get(partnership=world.partnership, key=key)


def commission_cspr(world, *, la_aware_on: dt.date, commissioned_on: dt.date):
    incident = make_incident(world, la_aware_on=la_aware_on, notified_on=la_aware_on)
    rapid_review = services.review_update(
        actor=world.business_unit,
        review=rapid_review_of(incident),
        decision="cspr",
        decision_on=commissioned_on,
    )
    return services.review_commission_follow_up(
        actor=world.business_unit, rapid_review=rapid_review, commissioned_on=commissioned_on
    )


# --- The default rules --------------------------------------------------------------------


def test_default_clock_rules_say_which_guidance_they_come_from():
    guidance = {str(rule["key"]): str(rule["guidance"]) for rule in DEFAULT_RULES}
    assert all(guidance.values())
    for key in (ClockKey.NOTIFICATION, ClockKey.RAPID_REVIEW, ClockKey.CSPR):
        assert "Working Together" in guidance[key]


def test_a_new_partnership_has_the_statutory_clocks_as_editable_rules(world):
    rules = {r.key: r for r in ClockRule.objects.filter(partnership=world.partnership)}
    assert (rules["notification"].length, rules["notification"].unit) == (5, "working_days")
    assert rules["notification"].start_event == StartEvent.LA_AWARE
    assert (rules["rapid_review"].length, rules["rapid_review"].unit) == (15, "working_days")
    assert rules["rapid_review"].start_event == StartEvent.LA_AWARE
    assert (rules["cspr"].length, rules["cspr"].unit) == (6, "months")
    assert rules["cspr"].start_event == StartEvent.COMMISSIONED


# --- Due dates ----------------------------------------------------------------------------


def test_notification_is_due_five_working_days_after_the_la_became_aware(world):
    # Mon 6 Mar 2023 + 5: Tue 7 (1), Wed 8, Thu 9, Fri 10, Mon 13 (5).
    incident = make_incident(world, la_aware_on=D(2023, 3, 6))
    assert clock_of(incident, ClockKey.NOTIFICATION).due_on == D(2023, 3, 13)


def test_notification_due_date_skips_the_platinum_jubilee(world):
    # Tue 31 May 2022 + 5: Wed 1 Jun (1), [Thu 2, Fri 3 holidays], Mon 6 ... Thu 9 (5).
    incident = make_incident(world, la_aware_on=D(2022, 5, 31))
    assert clock_of(incident, ClockKey.NOTIFICATION).due_on == D(2022, 6, 9)


def test_notification_due_date_skips_the_state_funeral(world):
    # Thu 15 Sep 2022 + 5: Fri 16 (1), [Mon 19 State Funeral], Tue 20 ... Fri 23 (5).
    incident = make_incident(world, la_aware_on=D(2022, 9, 15))
    assert clock_of(incident, ClockKey.NOTIFICATION).due_on == D(2022, 9, 23)


def test_notification_due_date_skips_the_coronation(world):
    # Wed 3 May 2023 + 5: Thu 4 (1), Fri 5 (2), [Mon 8 Coronation], Tue 9 ... Thu 11 (5).
    incident = make_incident(world, la_aware_on=D(2023, 5, 3))
    assert clock_of(incident, ClockKey.NOTIFICATION).due_on == D(2023, 5, 11)


def test_notification_due_date_skips_christmas_substitute_days(world):
    # Fri 23 Dec 2022 + 5: [Mon 26, Tue 27], Wed 28 (1), Thu 29, Fri 30 (3), [Mon 2 Jan 2023],
    # Tue 3 (4), Wed 4 (5).
    incident = make_incident(world, la_aware_on=D(2022, 12, 23))
    assert clock_of(incident, ClockKey.NOTIFICATION).due_on == D(2023, 1, 4)


def test_a_partnership_closure_day_moves_the_notification_due_date(world):
    world.partnership.closures.create(date=D(2023, 3, 8), reason="Office move")
    # Mon 6 Mar 2023 + 5 with Wed 8 closed: Tue 7 (1), Thu 9, Fri 10, Mon 13, Tue 14 (5).
    incident = make_incident(world, la_aware_on=D(2023, 3, 6))
    assert clock_of(incident, ClockKey.NOTIFICATION).due_on == D(2023, 3, 14)


def test_rapid_review_is_due_fifteen_working_days_after_the_la_became_aware(world):
    # Mon 23 May 2022 + 15: 24-27 May (4), 30 May-1 Jun (7), [2-3 Jun], 6-10 Jun (12),
    # 13-15 Jun (15). The notification date does not matter by default.
    incident = make_incident(world, la_aware_on=D(2022, 5, 23), notified_on=D(2022, 5, 27))
    assert clock_of(rapid_review_of(incident), ClockKey.RAPID_REVIEW).due_on == D(2022, 6, 15)


def test_rapid_review_counts_from_the_notification_once_the_partnership_chooses_that(world):
    incident = make_incident(world, la_aware_on=D(2022, 5, 23), notified_on=D(2022, 5, 27))
    review = rapid_review_of(incident)

    clock_rule_update(
        actor=world.business_unit,
        rule=rule_of(world, ClockKey.RAPID_REVIEW),
        start_event=StartEvent.NOTIFICATION_SENT,
    )

    # The existing clock is recomputed. Fri 27 May 2022 + 15: Mon 30, Tue 31, Wed 1 Jun (3),
    # [2-3 Jun], 6-10 Jun (8), 13-17 Jun (13), Mon 20 (14), Tue 21 (15).
    clock = clock_of(review, ClockKey.RAPID_REVIEW)
    assert clock.starts_on == D(2022, 5, 27)
    assert clock.due_on == D(2022, 6, 21)


def test_rapid_review_counted_from_notification_starts_only_when_the_notification_is_sent(world):
    clock_rule_update(
        actor=world.business_unit,
        rule=rule_of(world, ClockKey.RAPID_REVIEW),
        start_event=StartEvent.NOTIFICATION_SENT,
    )
    incident = make_incident(world, la_aware_on=D(2023, 3, 1))
    review = rapid_review_of(incident)
    assert not has_clock(review, ClockKey.RAPID_REVIEW)

    services.incident_update(
        actor=world.business_unit, incident=incident, notified_on=D(2023, 3, 6)
    )

    # Mon 6 Mar 2023 + 15: 7-10 Mar (4), 13-17 (9), 20-24 (14), Mon 27 Mar (15).
    assert clock_of(review, ClockKey.RAPID_REVIEW).due_on == D(2023, 3, 27)


@pytest.mark.parametrize(
    ("commissioned_on", "due_on"),
    [
        (D(2023, 3, 15), D(2023, 9, 15)),
        # Six calendar months from 31 August: there is no 31 February, so the end of February.
        (D(2022, 8, 31), D(2023, 2, 28)),
        (D(2023, 8, 31), D(2024, 2, 29)),  # 2024 is a leap year
        (D(2022, 12, 31), D(2023, 6, 30)),
    ],
)
def test_cspr_is_due_six_calendar_months_after_it_was_commissioned(world, commissioned_on, due_on):
    cspr = commission_cspr(
        world, la_aware_on=commissioned_on - dt.timedelta(days=40), commissioned_on=commissioned_on
    )
    clock = clock_of(cspr, ClockKey.CSPR)
    assert clock.starts_on == commissioned_on
    assert clock.due_on == due_on


# --- Status -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "status"),
    [
        # Aware Mon 6 Mar 2023, due Mon 13 Mar; due soon from 2 working days before (Thu 9).
        (D(2023, 3, 6), ClockStatus.ON_TRACK),
        (D(2023, 3, 8), ClockStatus.ON_TRACK),  # Wed: three working days left
        (D(2023, 3, 9), ClockStatus.DUE_SOON),  # Thu: two working days left (Fri, Mon)
        (D(2023, 3, 11), ClockStatus.DUE_SOON),  # the weekend before the due date
        (D(2023, 3, 13), ClockStatus.DUE_SOON),  # the due date itself is not yet overdue
        (D(2023, 3, 14), ClockStatus.OVERDUE),
        (D(2023, 6, 1), ClockStatus.OVERDUE),
    ],
)
def test_a_running_notification_clock_shows_its_status_on_the_day(world, today, status):
    incident = make_incident(world, la_aware_on=D(2023, 3, 6))
    assert clock_of(incident, ClockKey.NOTIFICATION, today=today).status == status


def test_due_soon_follows_the_rules_threshold_when_the_partnership_changes_it(world):
    incident = make_incident(world, la_aware_on=D(2023, 3, 6))
    clock_rule_update(
        actor=world.business_unit,
        rule=rule_of(world, ClockKey.NOTIFICATION),
        due_soon_working_days=4,
    )
    # Due Mon 13 Mar 2023. Four working days before it is Tue 7 (Wed 8, Thu 9, Fri 10, Mon 13
    # left); on Mon 6 five are left.
    assert clock_of(incident, ClockKey.NOTIFICATION, D(2023, 3, 6)).status == ClockStatus.ON_TRACK
    assert clock_of(incident, ClockKey.NOTIFICATION, D(2023, 3, 7)).status == ClockStatus.DUE_SOON


def test_working_days_overdue_counts_only_working_days(world):
    incident = make_incident(world, la_aware_on=D(2022, 5, 25))
    clock = clock_of(incident, ClockKey.NOTIFICATION)
    # Wed 25 May 2022 + 5: Thu 26, Fri 27, Mon 30, Tue 31, Wed 1 Jun (5).
    assert clock.due_on == D(2022, 6, 1)
    # On Mon 6 Jun it is one working day overdue: Thu 2 and Fri 3 were bank holidays.
    assert clock_of(incident, ClockKey.NOTIFICATION, D(2022, 6, 6)).status == ClockStatus.OVERDUE
    assert working_days_overdue(clock, D(2022, 6, 6)) == 1
    assert working_days_overdue(clock, D(2022, 5, 30)) == 0


def test_a_notification_sent_early_is_met_with_the_working_days_to_spare(world):
    # Due Mon 13 Mar 2023; sent Thu 9 Mar: Fri 10 and Mon 13 to spare.
    incident = make_incident(world, la_aware_on=D(2023, 3, 6), notified_on=D(2023, 3, 9))
    clock = clock_of(incident, ClockKey.NOTIFICATION, today=D(2023, 6, 1))
    assert clock.stopped_on == D(2023, 3, 9)
    assert clock.status == ClockStatus.MET
    assert clock.variance_working_days == -2


def test_a_notification_sent_on_the_due_date_is_met_on_the_day(world):
    incident = make_incident(world, la_aware_on=D(2023, 3, 6), notified_on=D(2023, 3, 13))
    clock = clock_of(incident, ClockKey.NOTIFICATION, today=D(2023, 6, 1))
    assert clock.status == ClockStatus.MET
    assert clock.variance_working_days == 0


def test_a_notification_sent_late_is_missed_by_the_working_days_late(world):
    # Due Mon 13 Mar 2023; sent Thu 16 Mar: Tue 14, Wed 15, Thu 16 late.
    incident = make_incident(world, la_aware_on=D(2023, 3, 6), notified_on=D(2023, 3, 16))
    clock = clock_of(incident, ClockKey.NOTIFICATION, today=D(2023, 3, 16))
    assert clock.status == ClockStatus.MISSED
    assert clock.variance_working_days == 3


def test_lateness_across_the_jubilee_weekend_counts_working_days_not_calendar_days(world):
    # Due Wed 1 Jun 2022 (see above); sent Mon 6 Jun: five calendar days but one working day
    # late, because Thu 2 and Fri 3 June were bank holidays.
    incident = make_incident(world, la_aware_on=D(2022, 5, 25), notified_on=D(2022, 6, 6))
    clock = clock_of(incident, ClockKey.NOTIFICATION)
    assert clock.status == ClockStatus.MISSED
    assert clock.variance_working_days == 1


def test_a_rapid_review_sent_to_the_panel_in_time_is_met(world):
    incident = make_incident(world, la_aware_on=D(2022, 5, 23), notified_on=D(2022, 5, 24))
    review = services.review_update(
        actor=world.business_unit, review=rapid_review_of(incident), sent_to_panel_on=D(2022, 6, 10)
    )
    # Due Wed 15 Jun 2022; sent Fri 10 Jun: Mon 13, Tue 14, Wed 15 to spare.
    clock = clock_of(review, ClockKey.RAPID_REVIEW, today=D(2022, 7, 1))
    assert clock.status == ClockStatus.MET
    assert clock.variance_working_days == -3


def test_a_cspr_completed_after_six_months_is_missed(world):
    cspr = commission_cspr(world, la_aware_on=D(2022, 7, 1), commissioned_on=D(2022, 8, 31))
    cspr = services.review_update(
        actor=world.business_unit, review=cspr, completed_on=D(2023, 3, 3)
    )
    # Due Tue 28 Feb 2023; completed Fri 3 Mar: Wed 1, Thu 2, Fri 3 late.
    clock = clock_of(cspr, ClockKey.CSPR)
    assert clock.status == ClockStatus.MISSED
    assert clock.variance_working_days == 3


# --- Pauses -------------------------------------------------------------------------------


@pytest.fixture
def rapid_review(world):
    """A rapid review the LA became aware of on Mon 6 Mar 2023: due Mon 27 Mar 2023
    (7-10 Mar (4), 13-17 (9), 20-24 (14), Mon 27 (15); no holidays in March 2023)."""
    incident = make_incident(world, la_aware_on=D(2023, 3, 6), notified_on=D(2023, 3, 7))
    review = rapid_review_of(incident)
    assert clock_of(review, ClockKey.RAPID_REVIEW).due_on == D(2023, 3, 27)
    return review


def test_a_pause_of_five_working_days_moves_the_due_date_five_working_days(world, rapid_review):
    pause = services.review_pause(
        actor=world.business_unit,
        review=rapid_review,
        starts_on=D(2023, 3, 14),
        reason="Parallel criminal proceedings",
    )
    services.review_resume(actor=world.business_unit, pause=pause, ends_on=D(2023, 3, 21))
    # Paused Tue 14 to Tue 21 Mar: Wed 15, Thu 16, Fri 17, Mon 20, Tue 21 = 5 working days.
    # 27 Mar + 5: Tue 28, Wed 29, Thu 30, Fri 31, Mon 3 Apr.
    clock = clock_of(rapid_review, ClockKey.RAPID_REVIEW)
    assert clock.paused_working_days == 5
    assert clock.due_on == D(2023, 4, 3)


def test_resuming_on_the_day_of_the_pause_does_not_move_the_due_date(world, rapid_review):
    pause = services.review_pause(
        actor=world.business_unit, review=rapid_review, starts_on=D(2023, 3, 14), reason="Query"
    )
    services.review_resume(actor=world.business_unit, pause=pause, ends_on=D(2023, 3, 14))
    assert clock_of(rapid_review, ClockKey.RAPID_REVIEW).due_on == D(2023, 3, 27)


def test_several_pauses_add_up(world, rapid_review):
    first = services.review_pause(
        actor=world.business_unit, review=rapid_review, starts_on=D(2023, 3, 7), reason="Inquest"
    )
    services.review_resume(actor=world.business_unit, pause=first, ends_on=D(2023, 3, 9))
    second = services.review_pause(
        actor=world.business_unit, review=rapid_review, starts_on=D(2023, 3, 13), reason="Police"
    )
    services.review_resume(actor=world.business_unit, pause=second, ends_on=D(2023, 3, 17))
    # (7, 9 Mar] = Wed 8, Thu 9 -> 2; (13, 17 Mar] = Tue 14 .. Fri 17 -> 4; 6 in all.
    # 27 Mar + 6: Tue 28, Wed 29, Thu 30, Fri 31, Mon 3 Apr, Tue 4 Apr.
    clock = clock_of(rapid_review, ClockKey.RAPID_REVIEW)
    assert clock.paused_working_days == 6
    assert clock.due_on == D(2023, 4, 4)


def test_overlapping_pauses_count_each_paused_day_once(world, rapid_review):
    """Pauses may no longer overlap (reviews/dates.py), but a record kept from before that rule
    may have two: the clock still loses each paused day once."""
    ReviewPause.objects.create(
        review=rapid_review, starts_on=D(2023, 3, 7), ends_on=D(2023, 3, 14), reason="Trial"
    )
    ReviewPause.objects.create(
        review=rapid_review, starts_on=D(2023, 3, 13), ends_on=D(2023, 3, 16), reason="Inquest"
    )
    clocks_sync_review(review=rapid_review)
    # The review was paused from Tue 7 to Thu 16 Mar: Wed 8, Thu 9, Fri 10, Mon 13, Tue 14,
    # Wed 15, Thu 16 = 7 working days (Tue 14 is in both pauses but was lost only once).
    # 27 Mar + 7: Tue 28 .. Fri 31 (4), Mon 3, Tue 4, Wed 5 Apr (7).
    clock = clock_of(rapid_review, ClockKey.RAPID_REVIEW)
    assert clock.paused_working_days == 7
    assert clock.due_on == D(2023, 4, 5)


def test_an_open_pause_keeps_moving_the_due_date_until_today(world, rapid_review):
    rule = rule_of(world, ClockKey.RAPID_REVIEW)

    def due_on_while_paused(today: dt.date) -> dt.date:
        clock = clock_sync(
            rule=rule,
            subject=rapid_review,
            label=rapid_review.title,
            starts_on=D(2023, 3, 6),
            stopped_on=None,
            pauses=[Pause(D(2023, 3, 14), None, "Criminal proceedings")],
            today=today,
        )
        assert clock is not None
        return clock.due_on

    # Paused since Tue 14 Mar. On Fri 17: Wed, Thu, Fri lost -> 27 Mar + 3 = Thu 30 Mar.
    assert due_on_while_paused(D(2023, 3, 17)) == D(2023, 3, 30)
    # On Tue 21: 5 lost -> Mon 3 Apr.
    assert due_on_while_paused(D(2023, 3, 21)) == D(2023, 4, 3)


def test_a_pause_over_easter_loses_only_its_working_days():
    # Paused Mon 3 to Tue 11 Apr 2023: Tue 4, Wed 5, Thu 6, [Good Friday, weekend, Easter
    # Monday], Tue 11 = 4 working days.
    pauses = [Pause(D(2023, 4, 3), D(2023, 4, 11))]
    assert paused_working_days(pauses, WorkingCalendar(), until=D(2023, 5, 1)) == 4


def test_a_pause_recorded_as_ending_before_it_started_loses_nothing():
    pauses = [Pause(D(2023, 4, 11), D(2023, 4, 3))]
    assert paused_working_days(pauses, WorkingCalendar(), until=D(2023, 5, 1)) == 0


# --- Clocks that stop applying ------------------------------------------------------------


def test_a_decision_not_to_notify_removes_the_notification_clock(world):
    incident = make_incident(
        world, la_aware_on=D(2023, 3, 6), decision=NotificationDecision.PENDING
    )
    assert has_clock(incident, ClockKey.NOTIFICATION)
    services.incident_update(
        actor=world.business_unit,
        incident=incident,
        decision=NotificationDecision.DO_NOT_NOTIFY,
        decision_rationale="Does not meet the criteria.",
    )
    assert not has_clock(incident, ClockKey.NOTIFICATION)


def test_nested_and_adjacent_pauses_count_each_paused_day_once():
    pauses = [
        Pause(D(2023, 3, 6), D(2023, 3, 10)),  # Tue 7 .. Fri 10 = 4
        Pause(D(2023, 3, 7), D(2023, 3, 9)),  # inside the first: nothing more
        Pause(D(2023, 3, 10), D(2023, 3, 14)),  # starts as the first ends: Mon 13, Tue 14
        Pause(D(2023, 3, 20), D(2023, 3, 21)),  # separate: Tue 21
    ]
    assert paused_working_days(pauses, WorkingCalendar(), until=D(2023, 5, 1)) == 7


def test_a_review_still_paused_does_not_turn_overdue_on_the_dashboard(world, rapid_review):
    clock_sync(
        rule=rule_of(world, ClockKey.RAPID_REVIEW),
        subject=rapid_review,
        label=rapid_review.title,
        starts_on=D(2023, 3, 6),
        stopped_on=None,
        pauses=[Pause(D(2023, 3, 14), None, "Criminal proceedings")],
        today=D(2023, 3, 17),
    )
    # Still paused a month later: the clock has not run since Tue 14 Mar.
    status = clock_of(rapid_review, ClockKey.RAPID_REVIEW, today=D(2023, 4, 17)).status
    assert status == ClockStatus.PAUSED
