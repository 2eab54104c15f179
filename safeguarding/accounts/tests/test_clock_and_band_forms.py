"""The business unit's clock and age-band forms offer only what can work: each clock starts from
an event its records have, and each age belongs to one band."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from safeguarding.accounts.models import AgeBand
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.core.concurrency import version_data
from safeguarding.core.models import ClockKey, ClockRule
from safeguarding.reviews.selectors import period_summary
from safeguarding.testing.factories import make_incident

PROBLEM = "There is a problem"


@pytest.fixture
def bu(world, client_for):
    return client_for(world.business_unit)


def rule_of(world, key: str) -> ClockRule:
    return ClockRule.objects.get(partnership=world.partnership, key=key)


def start_choices(html: str) -> list[str]:
    """The values of the "starts on" radios, in the order shown."""
    radios = re.findall(r'<input[^>]*name="start_event"[^>]*>', html)
    assert all('type="radio"' in radio for radio in radios)
    return [re.search(r'value="([^"]*)"', radio).group(1) for radio in radios]  # type: ignore[union-attr]


def test_the_rapid_review_clock_offers_the_two_starts_partnerships_choose_between(world, bu):
    rule = rule_of(world, ClockKey.RAPID_REVIEW)
    html = bu.get(reverse("accounts:clock_rule_edit", args=[rule.pk])).content.decode()
    assert "The clock starts on" in html
    assert start_choices(html) == ["la_aware", "notification_sent"]
    for elsewhere in ("Date the escalation reached the stage", "Date the action was agreed"):
        assert elsewhere not in html


@pytest.mark.parametrize(
    "key, starts",
    [
        (ClockKey.CSPR, ["commissioned", "opened"]),
        (ClockKey.LOCAL_REVIEW, ["opened", "commissioned"]),
    ],
)
def test_review_clocks_offer_the_dates_a_review_has(world, bu, key, starts):
    rule = rule_of(world, key)
    html = bu.get(reverse("accounts:clock_rule_edit", args=[rule.pk])).content.decode()
    assert start_choices(html) == starts


@pytest.mark.parametrize("key", [ClockKey.NOTIFICATION, ClockKey.ACTION])
def test_a_clock_with_one_possible_start_does_not_ask(world, bu, key):
    rule = rule_of(world, key)
    html = bu.get(reverse("accounts:clock_rule_edit", args=[rule.pk])).content.decode()
    assert "The clock starts on" not in html
    assert "Length" in html


def test_a_start_the_rapid_review_has_no_date_for_is_refused_and_nothing_saved(world, bu):
    rule = rule_of(world, ClockKey.RAPID_REVIEW)
    response = bu.post(
        reverse("accounts:clock_rule_edit", args=[rule.pk]),
        {
            "name": rule.name,
            "start_event": "action_agreed",
            "length": "15",
            "unit": "working_days",
            "due_soon_working_days": "5",
            "guidance": rule.guidance,
            **version_data(rule),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert PROBLEM in page
    assert "Select when the clock starts" in page
    rule.refresh_from_db()
    assert rule.start_event == "la_aware"


def test_the_notification_clock_keeps_its_start_when_its_length_changes(world, bu):
    rule = rule_of(world, ClockKey.NOTIFICATION)
    response = bu.post(
        reverse("accounts:clock_rule_edit", args=[rule.pk]),
        {
            "name": rule.name,
            "length": "4",
            "unit": "working_days",
            "due_soon_working_days": "2",
            "guidance": rule.guidance,
            **version_data(rule),
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.start_event, rule.length) == ("la_aware", 4)


def band_form(label: str, low: str, high: str = "") -> dict[str, str]:
    return {"label": label, "min_years": low, "max_years": high}


@pytest.mark.parametrize(
    "label, low, high, message",
    [
        (
            "Toddlers",
            "0",
            "2",
            "These ages overlap the band Under 1 (ages 0 to 0): change or remove that band first",
        ),
        ("Teenagers", "13", "17", "These ages overlap the band 12 and over (ages 12 and over)"),
        ("Older", "10", "", "These ages overlap the band 5 to 11 (ages 5 to 11)"),
        ("under 1", "18", "", "Another age band already has that label"),
    ],
)
def test_an_age_band_that_overlaps_another_is_refused_and_nothing_saved(
    world, bu, label, low, high, message
):
    before = list(AgeBand.objects.filter(partnership=world.partnership).values_list("label"))
    response = bu.post(reverse("accounts:age_band_add"), band_form(label, low, high))
    page = response.content.decode()
    assert response.status_code == 200
    assert PROBLEM in page
    assert message in page
    after = list(AgeBand.objects.filter(partnership=world.partnership).values_list("label"))
    assert after == before


def test_changing_a_band_may_keep_its_own_ages(world, bu):
    band = AgeBand.objects.get(partnership=world.partnership, label="5 to 11")
    response = bu.post(
        reverse("accounts:age_band_edit", args=[band.pk]),
        {**band_form("Primary age", "5", "11"), **version_data(band)},
    )
    assert response.status_code == 302
    band.refresh_from_db()
    assert band.label == "Primary age"


def test_another_partnerships_bands_do_not_count_as_overlapping(world, other_world, client_for):
    outsider = client_for(other_world.business_unit)
    mine = AgeBand.objects.get(partnership=other_world.partnership, label="12 and over")
    response = outsider.post(
        reverse("accounts:age_band_edit", args=[mine.pk]),
        {**band_form("12 to 15", "12", "15"), **version_data(mine)},
    )
    assert response.status_code == 302
    response = outsider.post(reverse("accounts:age_band_add"), band_form("16 and over", "16"))
    assert response.status_code == 302
    assert AgeBand.objects.filter(partnership=world.partnership, label="16 and over").count() == 0


def test_a_band_can_be_removed_and_its_ages_then_count_as_outside_the_bands(world, bu):
    make_incident(world, la_aware_on=dt.date(2023, 3, 1), age_years=13)
    band = AgeBand.objects.get(partnership=world.partnership, label="12 and over")
    settings_page = bu.get(reverse("accounts:settings")).content.decode()
    remove_url = reverse("accounts:age_band_remove", args=[band.pk])
    assert f'href="{remove_url}"' in settings_page

    page = bu.get(remove_url).content.decode()
    assert "Remove the age band 12 and over" in page
    response = bu.post(remove_url, version_data(band))
    assert response.status_code == 302
    assert not AgeBand.objects.filter(pk=band.pk).exists()
    assert "Age band 12 and over removed" in bu.get(response.url).content.decode()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_id=str(band.pk))
    assert event.actor == world.business_unit
    assert event.summary == "Removed age band 12 and over"
    assert band.history.filter(history_type="-").count() == 1

    summary = period_summary(
        partnership=world.partnership, start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)
    )
    assert "12 and over" not in summary["rapid_reviews"]["by_age_band"]
    assert summary["rapid_reviews"]["by_age_band"]["Outside the partnership's bands"] == 1
    assert "Age not known" not in summary["rapid_reviews"]["by_age_band"]

    # The ages are free again for a new band.
    response = bu.post(reverse("accounts:age_band_add"), band_form("12 to 17", "12", "17"))
    assert response.status_code == 302


def test_a_band_changed_since_the_page_was_opened_is_not_removed(world, bu):
    band = AgeBand.objects.get(partnership=world.partnership, label="12 and over")
    opened = version_data(band)
    response = bu.post(
        reverse("accounts:age_band_edit", args=[band.pk]),
        {**band_form("12 to 17", "12", "17"), **version_data(band)},
    )
    assert response.status_code == 302
    response = bu.post(reverse("accounts:age_band_remove", args=[band.pk]), opened)
    assert response.status_code == 200
    assert PROBLEM in response.content.decode()
    assert AgeBand.objects.filter(pk=band.pk).exists()
