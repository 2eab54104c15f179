"""Lockout after repeated failures, on the password form, the code form and the current
password of the change-password page; nothing says whether an account exists."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.testing import app_device, current_code
from safeguarding.accounts.tests.helpers import post_code, post_password, sign_in
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.testing.factories import PASSWORD

LOCKED = "Signing in is locked for 15 minutes"
WRONG = "not-the-password-at-all"


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(world):
    user = world.business_unit
    client = Client()
    for _ in range(4):
        response = post_password(client, user, WRONG)
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    response = post_password(client, user, WRONG)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "no-store" in response["Cache-Control"]
    response = post_password(client, user, PASSWORD)
    assert response.status_code == 429
    assert client.get(reverse("reviews:dashboard")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 6
    locked = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT)
    assert locked.count() == 2 and {e.actor for e in locked} == {user}
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()
    # Axes keeps the failed attempt, never the password typed.
    attempt = AccessAttempt.objects.get(username=user.username)
    assert attempt.failures_since_start == 6
    assert WRONG not in attempt.post_data and PASSWORD not in attempt.post_data


def test_the_locked_page_does_not_say_whether_the_account_exists(world):
    pages = []
    for username in (world.business_unit.username, "nobody-by-this-name"):
        client = Client()
        for _ in range(5):
            response = client.post(
                reverse("accounts:login"), {"username": username, "password": WRONG}
            )
        assert response.status_code == 429
        pages.append(response.content.decode().replace(username, "NAME"))
    assert pages[0] == pages[1]


def test_the_lockout_is_by_username_so_other_people_can_still_sign_in(world):
    for _ in range(5):
        post_password(Client(), world.business_unit, WRONG)
    sign_in(Client(), world.users["rag_member"])  # same address, another account


def test_the_limit_and_cool_off_are_settings_and_the_lock_ends_after_the_cool_off(world, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    user = world.business_unit
    assert post_password(Client(), user, WRONG).status_code == 200
    response = post_password(Client(), user, WRONG)
    assert response.status_code == 429
    assert "Signing in is locked for 30 minutes" in response.content.decode()
    # 31 minutes later (the attempt moved back in time) the right password works again.
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))
    sign_in(Client(), user)


def test_wrong_codes_count_and_lock_the_account_out_the_same_way(world):
    user = world.business_unit
    device = app_device(user)
    waiting = Client()
    post_password(waiting, user)  # another session, past the password before the lockout
    client = Client()
    post_password(client, user)
    for _ in range(4):
        response = post_code(client, "123456")
        assert response.status_code == 200
        assert "The code is not right" in response.content.decode()
    response = post_code(client, "654321")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # Signed out on the server, and the password alone no longer gets in either.
    assert not Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()
    assert client.get(reverse("reviews:dashboard")).status_code == 302
    assert post_password(Client(), user).status_code == 429
    # Even the right code is refused while the account is locked.
    response = post_code(waiting, current_code(device))
    assert response.status_code == 429
    assert waiting.get(reverse("reviews:dashboard")).status_code == 302
    failed_codes = AuditEvent.objects.filter(
        actor=user, action=AuditAction.TWO_FACTOR, outcome="failed"
    )
    assert failed_codes.count() == 5
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.LOCKED_OUT).exists()
    stored = AccessAttempt.objects.get(username=user.username).post_data
    assert "123456" not in stored and "654321" not in stored


def test_a_complete_sign_in_clears_earlier_failures(world):
    user = world.business_unit
    for _ in range(3):
        post_password(Client(), user, WRONG)
    sign_in(Client(), user)
    for _ in range(4):
        assert post_password(Client(), user, WRONG).status_code == 200


def test_a_password_and_a_wrong_code_do_not_reset_the_count(world):
    user = world.business_unit
    app_device(user)
    for _ in range(4):
        client = Client()
        post_password(client, user)  # right password...
        post_code(client, "000000")  # ...wrong code, four times
    client = Client()
    post_password(client, user)
    assert post_code(client, "000000").status_code == 429


def test_wrong_current_passwords_on_the_change_page_lock_out_too(world, client_for):
    user = world.business_unit
    client = client_for(user)
    url = reverse("accounts:password_change")
    data = {"old_password": WRONG, "new_password1": "a-new-long-passphrase", "new_password2": "a"}
    for _ in range(4):
        response = client.post(url, {**data, "new_password2": data["new_password1"]})
        assert "Your current password is not right" in response.content.decode()
    response = client.post(url, {**data, "new_password2": data["new_password1"]})
    assert response.status_code == 429
    assert client.get(reverse("reviews:dashboard")).status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_api_takes_no_password(world):
    """Systems use tokens made on the token page; HTTP Basic is not accepted, so the API is
    no way round the lockout."""
    response = Client().get(
        "/api/v1/cases/", HTTP_AUTHORIZATION="Basic cDEtYnU6Y29ycmVjdC1ob3JzZQ=="
    )
    assert response.status_code in (401, 403)
    assert "detail" in response.json()
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()
