"""Signing in and out, and the business unit's settings pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.models import AgeBand, ClosureDay
from safeguarding.accounts.testing import app_device, current_code
from safeguarding.accounts.tests.helpers import post_code, post_password
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.core.concurrency import version_data
from safeguarding.testing.factories import PASSWORD, make_case, make_incident, rapid_review_of

PROBLEM = "There is a problem"


@pytest.fixture
def bu(world, client_for):
    return client_for(world.business_unit)


def test_signing_in_takes_the_user_through_two_factor_to_the_dashboard(world):
    client = Client()
    assert client.get(reverse("accounts:login")).status_code == 200
    device = app_device(world.business_unit)
    response = post_password(client, world.business_unit)
    assert response.status_code == 302
    assert response.url == reverse("accounts:two_factor_verify")
    response = post_code(client, current_code(device))
    assert response.url == reverse("reviews:dashboard")
    assert client.get(reverse("reviews:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=world.business_unit).exists()


def test_signing_in_returns_to_the_page_asked_for_but_never_to_another_site(world):
    client = Client()
    device = app_device(world.business_unit)
    response = post_password(
        client, world.business_unit, query=f"?next={reverse('reviews:review_list')}"
    )
    assert response.url == f"{reverse('accounts:two_factor_verify')}?next=%2Freviews%2F"
    response = post_code(client, current_code(device), next_url=reverse("reviews:review_list"))
    assert response.url == reverse("reviews:review_list")

    client = Client()
    post_password(client, world.business_unit, query="?next=https://evil.example/")
    response = post_code(
        client, current_code(device, steps_ahead=1), next_url="https://evil.example/"
    )
    assert response.url == reverse("reviews:dashboard")


def test_a_wrong_password_is_refused_with_a_clear_message(world):
    client = Client()
    response = client.post(
        reverse("accounts:login"),
        {"username": world.business_unit.username, "password": "not-the-password"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert PROBLEM in page
    assert "Enter a correct username and password" in page
    assert client.get(reverse("reviews:dashboard")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 1


def test_an_empty_sign_in_form_says_what_is_missing(db):
    response = Client().post(reverse("accounts:login"), {})
    page = response.content.decode()
    assert PROBLEM in page
    assert "Enter username" in page
    assert "Enter password" in page


def test_a_switched_off_account_cannot_sign_in(world):
    user = world.users["rag_member"]
    user.is_active = False
    user.save()
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert client.get(reverse("reviews:dashboard")).status_code == 302


def test_signing_out_ends_the_session(world, bu):
    response = bu.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    response = bu.get(reverse("reviews:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_every_page_offers_a_sign_out_button_once_signed_in(world, bu):
    html = bu.get(reverse("reviews:dashboard")).content.decode()
    assert f'action="{reverse("accounts:logout")}"' in html
    assert "Sign out" in html


# Settings: the business unit's only.


def test_the_settings_page_lists_clocks_age_bands_closures_and_agencies(world, bu):
    html = bu.get(reverse("accounts:settings")).content.decode()
    assert f"Settings for {world.partnership.name}" in html
    for text in ("Rapid review", "Serious incident notification", "Under 1", "12 and over"):
        assert text in html
    for agency in (world.la, world.health, world.police, world.school):
        assert agency.name.replace("'", "&#x27;") in html


@pytest.mark.parametrize("role", ["rag_member", "agency_lead", "scrutineer", "scrutiny_reader"])
def test_only_the_business_unit_is_offered_the_settings(role, world, client_for):
    html = client_for(world.users[role]).get(reverse("reviews:dashboard")).content.decode()
    assert reverse("accounts:settings") not in html
    html = client_for(world.business_unit).get(reverse("reviews:dashboard")).content.decode()
    assert reverse("accounts:settings") in html


def test_a_closure_day_moves_the_due_dates_after_it(world, bu):
    # Aware Wed 1 Mar 2023 + 15 working days: due Wed 22 Mar 2023.
    incident = make_incident(
        world, la_aware_on=dt.date(2023, 3, 1), notified_on=dt.date(2023, 3, 3)
    )
    review_url = reverse("reviews:review_detail", args=[rapid_review_of(incident).pk])
    assert "22 March 2023" in bu.get(review_url).content.decode()

    response = bu.post(
        reverse("accounts:closure_add"), {"date": "2023-03-15", "reason": "Office move"}
    )
    assert response.status_code == 302
    assert "Office move" in bu.get(reverse("accounts:settings")).content.decode()
    # One working day lost: due Thu 23 Mar 2023.
    assert "23 March 2023" in bu.get(review_url).content.decode()


def test_the_same_closure_day_cannot_be_added_twice(world, bu):
    data = {"date": "2023-12-27", "reason": "Office closed"}
    assert bu.post(reverse("accounts:closure_add"), data).status_code == 302
    response = bu.post(reverse("accounts:closure_add"), data)
    assert PROBLEM in response.content.decode()
    assert "That day is already a closure day" in response.content.decode()
    assert ClosureDay.objects.filter(partnership=world.partnership).count() == 1


def test_a_new_age_band_is_used_for_cases(world, bu):
    case = make_case(world, age_years=15)
    assert "12 and over" in bu.get(reverse("reviews:case_list")).content.decode()
    twelve = AgeBand.objects.get(partnership=world.partnership, label="12 and over")
    response = bu.post(
        reverse("accounts:age_band_edit", args=[twelve.pk]),
        {"label": "12 to 14", "min_years": "12", "max_years": "14", **version_data(twelve)},
    )
    assert response.status_code == 302
    response = bu.post(
        reverse("accounts:age_band_add"), {"label": "15 and over", "min_years": "15"}
    )
    assert response.status_code == 302
    html = bu.get(reverse("reviews:case_detail", args=[case.pk])).content.decode()
    assert "15 (15 and over)" in html


def test_settings_pages_of_another_partnership_are_not_found(world, other_world, client_for):
    outsider = client_for(other_world.business_unit)
    band = world.partnership.age_bands.first()
    rule = world.partnership.clock_rules.first()
    assert outsider.get(reverse("accounts:age_band_edit", args=[band.pk])).status_code == 404
    assert outsider.get(reverse("accounts:clock_rule_edit", args=[rule.pk])).status_code == 404
    html = outsider.get(reverse("accounts:settings")).content.decode()
    assert world.partnership.name not in html
