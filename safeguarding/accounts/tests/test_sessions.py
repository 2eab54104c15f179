"""Sessions: log-out ends them on the server, idle and absolute timeouts, switching a user off
or changing a password ends their other sessions, and nothing a signed-in user sees is cached."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.sessions import LOGIN_AT_KEY
from safeguarding.accounts.testing import login_verified
from safeguarding.accounts.tests.helpers import post_password, sign_in, through_reset_link
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.testing.factories import PASSWORD, make_case

NEW_PASSWORD = "purple-otter-lantern-9"


def _key(client: Client) -> str:
    return client.cookies["sessionid"].value


def test_signing_out_deletes_the_session_and_the_old_cookie_gets_the_login_page(world):
    client = sign_in(Client(), world.business_unit)
    key = _key(client)
    assert Session.objects.filter(session_key=key).exists()
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("accounts:login")
    assert not Session.objects.filter(session_key=key).exists()

    old_cookie = Client()
    old_cookie.cookies["sessionid"] = key
    response = old_cookie.get(reverse("reviews:case_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_signing_out_needs_a_post(world, client_for):
    client = client_for(world.business_unit)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("reviews:dashboard")).status_code == 200


def test_each_request_pushes_the_idle_limit_back_and_an_idle_session_ends(world, client_for):
    client = client_for(world.business_unit)
    client.get(reverse("reviews:dashboard"))
    row = Session.objects.get(session_key=_key(client))
    left = row.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)
    # 31 minutes without a request:
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(reverse("reviews:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("hours_ago", "still_in"), [(11.9, True), (12.01, False)])
def test_a_session_ends_twelve_hours_after_log_in_however_busy(
    world, client_for, hours_ago, still_in
):
    client = client_for(world.business_unit)
    session = client.session
    assert isinstance(session[LOGIN_AT_KEY], float)
    session[LOGIN_AT_KEY] = (timezone.now() - dt.timedelta(hours=hours_ago)).timestamp()
    session.save()
    key = _key(client)
    response = client.get(reverse("reviews:case_list"))
    if still_in:
        assert response.status_code == 200
        return
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=%2Fcases%2F"
    assert not Session.objects.filter(session_key=key).exists()
    page = client.get(response.url).content.decode()
    assert "signed in more than 12 hours ago" in page
    assert AuditEvent.objects.filter(
        actor=world.business_unit, action=AuditAction.SESSION_ENDED
    ).exists()


def test_the_absolute_limit_is_a_setting(world, client_for, settings):
    settings.SESSION_ABSOLUTE_HOURS = 1
    client = client_for(world.business_unit)
    session = client.session
    session[LOGIN_AT_KEY] = (timezone.now() - dt.timedelta(minutes=61)).timestamp()
    session.save()
    assert client.get(reverse("reviews:dashboard")).status_code == 302


def test_switching_a_user_off_ends_all_their_sessions(world):
    user = world.business_unit
    laptop = login_verified(Client(), user)
    phone = login_verified(Client(), user)
    colleague = login_verified(Client(), world.users["rag_member"])
    keys = [_key(laptop), _key(phone)]
    user.is_active = False
    user.save()
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert Session.objects.filter(session_key=_key(colleague)).exists()
    for client in (laptop, phone):
        assert client.get(reverse("reviews:dashboard")).status_code == 302
    assert colleague.get(reverse("reviews:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(
        actor=user, action=AuditAction.SESSION_ENDED, summary__contains="switched off"
    ).exists()


def test_changing_the_password_keeps_this_session_and_ends_the_others(world):
    user = world.business_unit
    here = sign_in(Client(), user)
    elsewhere = login_verified(Client(), user)
    other_key = _key(elsewhere)
    here.get(reverse("reviews:dashboard"))
    page = here.get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:password_change") in page and "Change your password" in page
    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert "Your password has been changed" in here.get(response.url).content.decode()
    assert here.get(reverse("reviews:dashboard")).status_code == 200
    assert not Session.objects.filter(session_key=other_key).exists()
    assert elsewhere.get(reverse("reviews:dashboard")).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.PASSWORD_CHANGED).count() == 1
    ended = AuditEvent.objects.get(actor=user, action=AuditAction.SESSION_ENDED)
    assert "Ended 1 session(s)" in ended.summary
    for event in AuditEvent.objects.all():
        assert NEW_PASSWORD not in event.summary and NEW_PASSWORD not in str(event.changes)


def test_a_password_set_any_other_way_ends_every_session(world):
    user = world.business_unit
    client = login_verified(Client(), user)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert client.get(reverse("reviews:dashboard")).status_code == 302
    assert post_password(Client(), user, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_password1": "short", "new_password2": "short"}, "This password is too short"),
        (
            {"new_password1": "password123456", "new_password2": "password123456"},
            "This password is too common",
        ),
        (
            {"new_password1": "93847561029384", "new_password2": "93847561029384"},
            "This password is entirely numeric",
        ),
        (
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
            "The two new passwords are not the same",
        ),
        ({"new_password1": "", "new_password2": ""}, "Enter your new password"),
    ],
)
def test_a_weak_or_mistyped_new_password_is_refused_and_nothing_changes(
    world, client_for, data, message
):
    user = world.business_unit
    client = client_for(user)
    response = client.post(reverse("accounts:password_change"), {"old_password": PASSWORD, **data})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()


def test_every_page_for_a_signed_in_user_is_not_stored(world, client_for):
    case = make_case(world)
    client = client_for(world.business_unit)
    for url in (
        reverse("reviews:dashboard"),
        reverse("reviews:case_detail", args=[case.pk]),
        reverse("accounts:account"),
        "/api/v1/cases/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_the_login_and_two_factor_pages_are_not_stored(world):
    client = Client()
    assert "no-store" in client.get(reverse("accounts:login"))["Cache-Control"]
    post_password(client, world.business_unit)
    response = client.get(reverse("accounts:two_factor_setup"))  # no set-up link: no key
    assert response.status_code == 403
    assert "no-store" in response["Cache-Control"]
    through_reset_link(client, world.business_unit)
    response = client.get(reverse("accounts:two_factor_setup"))  # the page with the key
    assert response.status_code == 200 and 'id="secret-key"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_new_hash_of_the_same_password_ends_nothing(world, client_for):
    """Django re-hashes a password at log-in after a hasher upgrade: not a password change."""
    user = world.business_unit
    client = client_for(user)
    user.set_password(PASSWORD)
    user.save()
    assert Session.objects.filter(session_key=_key(client)).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SESSION_ENDED).exists()
