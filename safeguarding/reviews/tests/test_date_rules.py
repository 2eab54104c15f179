"""Impossible dates are refused everywhere a date is entered: by the services, so the pages
(GOV.UK error summary, message on the field), the API (400 with the reason) and the importer
(row errors, nothing written) all refuse them; and a refused pause never moves a clock."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguarding.api.tests.conftest import ApiClient
from safeguarding.core.concurrency import version_data
from safeguarding.core.models import Clock
from safeguarding.imports.services import records_import
from safeguarding.imports.tests.helpers import csv_file
from safeguarding.reviews import services
from safeguarding.reviews.dates import Dates, Pause, problems
from safeguarding.reviews.models import Case, Incident, Review, ReviewPause, ReviewSignoff
from safeguarding.reviews.timeline import review_timelines
from safeguarding.testing.factories import (
    commission_cspr,
    make_case,
    make_incident,
    rapid_review_of,
)

D = dt.date
PROBLEM = "There is a problem"


@pytest.fixture
def bu(world, client_for):
    return client_for(world.business_unit)


@pytest.fixture
def cspr(world) -> Review:
    """A CSPR commissioned on 3 April 2023 after its rapid review's decision of 20 March."""
    incident = make_incident(
        world, la_aware_on=D(2023, 3, 1), notified_on=D(2023, 3, 6), incident_date=D(2023, 2, 27)
    )
    return commission_cspr(world, rapid_review_of(incident))


def clock_of(review: Review) -> tuple:
    clock = Clock.objects.get(
        subject_type=ContentType.objects.get_for_model(Review), subject_id=review.pk
    )
    return (clock.due_on, clock.paused_working_days, clock.paused_since, clock.due_soon_from)


def field_error(page: str, message: str) -> bool:
    """The message is in the error summary and beside its field (GOV.UK: shown twice)."""
    page = html.unescape(page)
    return PROBLEM in page and page.count(message) >= 2


# --- Pages ----------------------------------------------------------------------------------


def test_a_pause_before_the_review_existed_is_refused_and_the_due_date_stays(world, bu, cspr):
    before = clock_of(cspr)
    response = bu.post(
        reverse("reviews:review_pause", args=[cspr.pk]),
        {"starts_on": "2023-01-02", "reason": "Parallel criminal proceedings"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert field_error(
        page,
        "The date paused (2 January 2023) must be on or after the date the review opened "
        "(3 April 2023)",
    )
    assert not ReviewPause.objects.filter(review=cspr).exists()
    assert clock_of(cspr) == before


def test_a_second_pause_while_one_is_open_is_refused(world, bu, cspr):
    services.review_pause(
        actor=world.business_unit, review=cspr, starts_on=D(2023, 5, 1), reason="Trial"
    )
    before = clock_of(cspr)
    response = bu.post(
        reverse("reviews:review_pause", args=[cspr.pk]),
        {"starts_on": "2023-06-01", "reason": "Another"},
    )
    assert "The review is already paused" in response.content.decode()
    assert ReviewPause.objects.filter(review=cspr).count() == 1
    assert clock_of(cspr) == before


def test_a_resume_before_its_pause_or_in_the_future_is_refused(world, bu, cspr):
    pause = services.review_pause(
        actor=world.business_unit, review=cspr, starts_on=D(2023, 5, 1), reason="Trial"
    )
    url = reverse("reviews:review_resume", args=[cspr.pk, pause.pk])
    response = bu.post(url, {"ends_on": "2023-04-28", **version_data(pause)})
    assert field_error(
        response.content.decode(),
        "The date resumed (28 April 2023) must be on or after the date paused (1 May 2023)",
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = bu.post(url, {"ends_on": tomorrow.isoformat(), **version_data(pause)})
    assert "cannot be in the future" in response.content.decode()
    pause.refresh_from_db()
    assert pause.ends_on is None


def test_a_decision_in_the_future_or_before_the_la_was_aware_is_refused(world, bu, cspr):
    rapid = cspr.parent
    url = reverse("reviews:review_decision", args=[rapid.pk])
    future = timezone.localdate() + dt.timedelta(days=7)
    data = {"decision": "cspr", "decision_rationale": "Meets the criteria.", **version_data(rapid)}
    page = bu.post(url, {**data, "decision_on": future.isoformat()}).content.decode()
    assert field_error(page, "cannot be in the future")
    page = bu.post(url, {**data, "decision_on": "2023-02-28"}).content.decode()
    assert field_error(
        page,
        "The decision date (28 February 2023) must be on or after the date the local authority "
        "became aware (1 March 2023)",
    )
    rapid.refresh_from_db()
    assert rapid.decision_on == D(2023, 3, 20)


def test_a_decision_moved_after_the_review_it_led_to_was_commissioned_is_refused(world, cspr):
    with pytest.raises(ValidationError) as refused:
        services.review_update(
            actor=world.business_unit, review=cspr.parent, decision_on=D(2023, 4, 10)
        )
    assert refused.value.message_dict == {
        "decision_on": [
            "The date of the rapid review's decision (10 April 2023) must be on or before the "
            "date commissioned (3 April 2023)"
        ]
    }


def test_a_sign_off_years_before_the_incident_is_refused(world, bu, cspr):
    response = bu.post(
        reverse("reviews:review_signoff", args=[cspr.parent.pk]),
        {"agency": world.police.pk, "signed_by": "Chief Superintendent", "signed_on": "2019-03-20"},
    )
    assert field_error(
        response.content.decode(),
        "The sign-off date (20 March 2019) must be on or after the decision date (20 March 2023)",
    )
    assert not ReviewSignoff.objects.filter(review=cspr.parent).exists()


def test_a_sign_off_before_any_decision_is_refused(world):
    review = rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 1)))
    with pytest.raises(ValidationError, match="Record the decision before it is signed off"):
        services.review_signoff(
            actor=world.business_unit,
            review=review,
            agency=world.police,
            signed_by="Chief Superintendent",
            signed_on=D(2023, 3, 20),
        )


def test_the_la_aware_before_the_incident_is_refused_and_no_case_is_left(world, bu):
    response = bu.post(
        reverse("reviews:incident_create"),
        {
            "case-reference": "Child Sierra",
            "case-sex": "female",
            "case-ethnicity": "unknown",
            "case-disability": "unknown",
            "case-outcome": "died",
            "case-category": "neglect",
            "case-incident_date": "2023-03-12",
            "incident-summary": "A fictional incident.",
            "incident-la_aware_on": "2023-03-10",
            "incident-decision": "notify",
            "incident-decision_rationale": "Meets the criteria.",
            "incident-notified_on": "2023-03-13",
        },
    )
    assert response.status_code == 200
    assert field_error(
        response.content.decode(),
        "The date the local authority became aware (10 March 2023) must be on or after the "
        "incident date (12 March 2023)",
    )
    assert not Case.objects.filter(reference="Child Sierra").exists()
    assert not Incident.objects.filter(partnership=world.partnership).exists()


def test_a_case_incident_date_moved_after_the_la_became_aware_is_refused(world, bu, cspr):
    case = cspr.case
    response = bu.post(
        reverse("reviews:case_edit", args=[case.pk]),
        {**_case_form(case), "incident_date": "2023-03-05", **version_data(case)},
    )
    page = response.content.decode()
    assert response.status_code == 200, response
    assert field_error(
        page,
        "The incident date (5 March 2023) must be on or before the date the local authority "
        "became aware (1 March 2023)",
    )
    case.refresh_from_db()
    assert case.incident_date == D(2023, 2, 27)


def test_commissioning_before_the_decision_is_refused(world, bu):
    rapid = rapid_review_of(make_incident(world, la_aware_on=D(2023, 3, 1)))
    services.review_update(
        actor=world.business_unit,
        review=rapid,
        decision="cspr",
        decision_rationale="Meets the criteria.",
        decision_on=D(2023, 3, 20),
    )
    response = bu.post(
        reverse("reviews:review_commission", args=[rapid.pk]), {"commissioned_on": "2023-03-10"}
    )
    assert field_error(
        response.content.decode(),
        "The date commissioned (10 March 2023) must be on or after the date of the rapid "
        "review's decision (20 March 2023)",
    )
    assert not rapid.children.exists()


def test_completion_before_opening_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.review_create(
            actor=world.business_unit,
            partnership=world.partnership,
            kind="audit",
            title="Audit of neglect cases",
            opened_on=D(2023, 5, 1),
            completed_on=D(2023, 4, 1),
        )
    assert refused.value.message_dict["completed_on"] == [
        "The date completed (1 April 2023) must be on or after the date the review opened "
        "(1 May 2023)"
    ]
    assert not Review.objects.filter(partnership=world.partnership).exists()


def test_a_date_of_birth_after_the_incident_or_in_the_future_is_refused(world, cspr):
    case = cspr.case  # incident on 27 February 2023
    with pytest.raises(ValidationError) as refused:
        services.case_identity_save(
            actor=world.business_unit, case=case, child_name="A Name", date_of_birth=D(2023, 3, 1)
        )
    assert refused.value.message_dict == {
        "date_of_birth": [
            "The date of birth (1 March 2023) must be on or before the incident date "
            "(27 February 2023)"
        ]
    }
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.case_identity_save(
            actor=world.business_unit, case=case, date_of_birth=D(2099, 1, 1)
        )
    services.case_identity_save(actor=world.business_unit, case=case, date_of_birth=D(2021, 6, 1))


def test_a_record_kept_from_before_the_rules_can_still_be_changed(world, cspr):
    # Written straight to the database, as a record older than these rules might be.
    Review.objects.filter(pk=cspr.pk).update(completed_on=D(2023, 1, 1))
    cspr.refresh_from_db()
    services.review_update(actor=world.business_unit, review=cspr, author="A new author")
    with pytest.raises(ValidationError):  # but nothing new that cannot be true
        services.review_update(actor=world.business_unit, review=cspr, completed_on=D(2022, 1, 1))


# --- API ------------------------------------------------------------------------------------


def test_the_api_refuses_impossible_dates_with_a_400_and_the_reason(world):
    api = ApiClient(world.business_unit)
    case = make_case(world, incident_date=D(2023, 3, 12))
    response = api.post(
        "/api/v1/incidents/",
        {"case": case.pk, "summary": "By a system.", "la_aware_on": "2023-03-10"},
    )
    assert response.status_code == 400
    assert response.json()["errors"]["la_aware_on"] == [
        "The date the local authority became aware (10 March 2023) must be on or after the "
        "incident date (12 March 2023)"
    ]
    response = api.post(
        "/api/v1/reviews/",
        {"kind": "audit", "title": "Audit", "opened_on": "2099-01-04", "agencies": []},
    )
    assert response.status_code == 400
    assert response.json()["errors"]["opened_on"] == [
        "The date the review opened (4 January 2099) cannot be in the future"
    ]
    assert not Incident.objects.filter(case=case).exists()
    assert not Review.objects.filter(partnership=world.partnership).exists()


# --- Import ---------------------------------------------------------------------------------


def _import(world, rows, kind):
    return records_import(
        actor=world.business_unit,
        partnership=world.partnership,
        record_type=kind,
        data=csv_file(rows, kind=kind),
        file_name=f"{kind}.csv",
    )


def test_the_importer_reports_impossible_dates_by_row_and_writes_nothing(world):
    make_case(world, reference="Child V", incident_date=D(2024, 1, 10))
    good = ["Rapid review", "RR: Child V", "2024-01-12", "Child V", "", "", "", "", "", "", "", ""]
    before_incident = ["Local learning review", "LLR: Child V", "2024-01-05", "Child V"]
    completed_first = ["Multi-agency audit", "Audit", "2024-02-01", "", "Completed", "2024-01-20"]
    report = _import(world, [good, before_incident, completed_first], "reviews")
    assert not report.ok and report.written == 0
    assert {(e.row, e.column, e.value, e.reason) for e in report.errors} == {
        (
            3,
            "Opened",
            "2024-01-05",
            "The date the review opened (5 January 2024) must be on or after the incident "
            "date (10 January 2024)",
        ),
        (
            4,
            "Completed",
            "2024-01-20",
            "The date completed (20 January 2024) must be on or after the date the review "
            "opened (1 February 2024)",
        ),
    }
    assert not Review.objects.filter(partnership=world.partnership).exists()


def test_the_importer_refuses_an_incident_date_in_the_future(world):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    report = _import(world, [["Child Y", "3", "", "", "", "Died", "", future, ""]], "cases")
    assert [(e.row, e.column, e.value) for e in report.errors] == [(2, "Incident date", future)]
    assert "cannot be in the future" in report.errors[0].reason
    assert not Case.objects.filter(partnership=world.partnership).exists()


# --- The demo, and clocks under random pauses ---------------------------------------------


def test_the_demo_holds_no_impossible_date(demo):
    today = timezone.localdate()
    for review in Review.objects.filter(partnership=demo).select_related("incident__case"):
        for dates in review_timelines(review):
            assert problems(dates, today=today) == [], review.title


RANDOM_DB = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@RANDOM_DB
@given(
    starts=st.dates(min_value=D(2023, 1, 1), max_value=D(2027, 12, 31)),
    ends=st.one_of(st.none(), st.dates(min_value=D(2023, 1, 1), max_value=D(2027, 12, 31))),
)
def test_a_refused_pause_or_resume_never_moves_a_clock(world, cspr, starts, ends):
    """Whatever the dates, a pause is recorded exactly when the rules allow it, and a clock
    moves only for a pause (or resume) that was recorded."""
    today = timezone.localdate()
    with transaction.atomic():
        # An earlier pause, ended: a new one must not fall inside it.
        earlier = services.review_pause(
            actor=world.business_unit, review=cspr, starts_on=D(2023, 5, 1), reason="Trial"
        )
        services.review_resume(actor=world.business_unit, pause=earlier, ends_on=D(2023, 5, 31))
        before = clock_of(cspr)
        wanted = [Pause(D(2023, 5, 1), D(2023, 5, 31)), Pause(starts)]
        allowed = not problems(Dates(opened_on=cspr.opened_on, pauses=tuple(wanted)), today=today)
        try:
            pause = services.review_pause(
                actor=world.business_unit, review=cspr, starts_on=starts, reason="Random"
            )
        except ValidationError:
            assert not allowed
            assert clock_of(cspr) == before
            assert ReviewPause.objects.filter(review=cspr).count() == 1
        else:
            assert allowed
            if ends is not None:
                paused = clock_of(cspr)
                ended = [wanted[0], Pause(starts, ends)]
                may_end = not problems(
                    Dates(opened_on=cspr.opened_on, pauses=tuple(ended)), today=today
                )
                try:
                    services.review_resume(actor=world.business_unit, pause=pause, ends_on=ends)
                except ValidationError:
                    assert not may_end
                    assert clock_of(cspr) == paused
                    pause.refresh_from_db()
                    assert pause.ends_on is None
                else:
                    assert may_end
        transaction.set_rollback(True)


def _case_form(case: Case) -> dict[str, str]:
    return {
        "reference": case.reference,
        "age_years": str(case.age_years or ""),
        "sex": case.sex,
        "ethnicity": case.ethnicity,
        "disability": case.disability,
        "outcome": case.outcome,
        "category": case.category,
    }
