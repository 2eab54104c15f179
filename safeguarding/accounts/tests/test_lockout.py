"""Lockout after repeated failures, on the password form, the code form and the current
password of the change-password page; failures during a lockout do not extend it; one address
cannot lock many accounts; nothing says whether an account exists."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.testing import app_device, current_code
from safeguarding.accounts.tests.helpers import post_code, post_password, sign_in
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.testing.factories import PASSWORD

LOCKED = "Signing in is locked for 15 minutes"
WRONG = "not-the-password-at-all"
GATEWAY = "203.0.113.7"  # one address for a whole office
ELSEWHERE = "198.51.100.9"


class Clock:
    """A stopped clock the test moves: django-axes' (each request's attempt time) and
    Django's timezone.now (axes' new attempt rows, sessions, audit rows), from the real time
    the test starts. Authenticator codes keep real time."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.start = self.now = timezone.now()
        monkeypatch.setattr("axes.handlers.proxy.now", self)
        monkeypatch.setattr("django.utils.timezone.now", self)

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, minutes: float = 0, seconds: float = 0) -> None:
        """Set the clock to this long after the test started."""
        self.now = self.start + dt.timedelta(minutes=minutes, seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def _from(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def _headers(response) -> dict[str, str]:
    """The headers that say anything: all but Expires (the time of the response)."""
    return {k: v for k, v in response.headers.items() if k != "Expires"}


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
    # Axes keeps the failed attempt, never the password typed; the attempt made while locked
    # is not counted (it would restart the cool-off: test_failures_during_a_lockout_...).
    attempt = AccessAttempt.objects.get(username=user.username)
    assert attempt.failures_since_start == 5
    assert WRONG not in attempt.post_data and PASSWORD not in attempt.post_data


def test_the_locked_page_does_not_say_whether_the_account_exists(world, settings):
    """Widened: the page for an address refused (the address throttle) is the same too, byte
    for byte, with the same status and headers."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    responses = []
    for username in (world.business_unit.username, "nobody-by-this-name"):
        client = Client()
        for _ in range(5):
            response = client.post(
                reverse("accounts:login"), {"username": username, "password": WRONG}
            )
        assert response.status_code == 429
        responses.append(response)
    # Two more failures from this address (12 in all): refused, for a name never tried.
    for username in ("someone-else", "yet-another"):
        response = Client().post(reverse("accounts:login"), {"username": username, "password": "x"})
    assert response.status_code == 429
    assert AccessAttempt.objects.get(username="yet-another").failures_since_start == 1
    responses.append(response)
    for other in responses[1:]:
        assert other.status_code == responses[0].status_code == 429
        assert other.content == responses[0].content
        assert _headers(other) == _headers(responses[0])
        assert "no-store" in other["Cache-Control"]


def test_the_lockout_is_by_username_so_other_people_can_still_sign_in(world):
    for _ in range(5):
        post_password(Client(), world.business_unit, WRONG)
    sign_in(Client(), world.users["rag_member"])  # same address, another account


def test_the_limit_and_cool_off_are_settings_and_the_lock_ends_after_the_cool_off(
    world, settings, clock
):
    """Widened: a failure during the lockout (which the old version never made) does not
    move the end of the lock."""
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    user = world.business_unit
    assert post_password(Client(), user, WRONG).status_code == 200
    response = post_password(Client(), user, WRONG)
    assert response.status_code == 429
    assert "Signing in is locked for 30 minutes" in response.content.decode()
    clock.at(minutes=29)
    assert post_password(Client(), user, WRONG).status_code == 429
    # 31 minutes after the lock began the right password works again.
    clock.at(minutes=31)
    sign_in(Client(), user)


def test_failures_during_a_lockout_do_not_extend_it(world, clock):
    """Regression (attack B): each failure counted while an account was already locked moved
    the start of the cool-off, so four requests an hour kept an account locked for good. The
    earlier test (the limit and cool-off test above) could not see it: it locked the account,
    made no attempt during the lockout, and moved the attempt back in time; and the first test
    here asserted 6 failures counted for 5 before the lock and 1 during it, the bug itself."""
    user = world.business_unit
    for _ in range(5):
        post_password(Client(), user, WRONG)
    assert post_password(Client(), user).status_code == 429  # locked at 09:00
    # The attacker keeps trying during the lockout every 14 minutes, passwords and codes.
    clock.at(minutes=14)
    for _ in range(3):
        assert post_password(Client(), user, WRONG).status_code == 429
    clock.at(minutes=15, seconds=-1)
    assert post_password(Client(), user).status_code == 429  # the lock's last second
    clock.at(minutes=15, seconds=1)
    sign_in(Client(), user)  # open again exactly when the first cool-off ends
    assert AccessAttempt.objects.filter(username=user.username).count() == 0


def test_one_address_cannot_lock_many_accounts(world, settings, clock):
    """Regression (attack B, from one address): 21 usernames from one address. After
    SRH_LOGIN_ADDRESS_FAILURE_LIMIT (20) failures across any usernames the address is refused
    for every username, before any password is checked, for the cool-off; another address is
    not affected. The earlier test (lockout by username above) only ever failed one account,
    so it could not see that one address could lock every account in turn."""
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    names = [f"guess-{i}" for i in range(17)] + [
        world.users[r].username for r in ("rag_member", "scrutineer", "agency_lead")
    ]
    for number, name in enumerate(names, start=1):
        response = _from(GATEWAY).post(
            reverse("accounts:login"), {"username": name, "password": WRONG}
        )
        assert response.status_code == (429 if number == 20 else 200), number
    user = world.business_unit  # the 21st username, with the right password
    refused = post_password(_from(GATEWAY), user)
    assert refused.status_code == 429 and LOCKED in refused.content.decode()
    assert not AccessAttempt.objects.filter(username=user.username).exists()  # not counted
    sign_in(_from(ELSEWHERE), user)
    # Failures while the address is refused are not counted either, so it opens on time.
    clock.at(minutes=14)
    assert post_password(_from(GATEWAY), user, WRONG).status_code == 429
    clock.at(minutes=15, seconds=1)
    sign_in(_from(GATEWAY), user, steps_ahead=1)  # the next code: the last one is used
    # Each refusal is in the audit trail, like an account's lockout.
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, actor=user).count() == 2


def test_the_address_throttle_uses_the_client_address_behind_a_trusted_proxy(world, settings):
    """Behind a proxy (SRH_TRUSTED_PROXY_COUNT=1) every request comes from the proxy's address:
    the throttle counts the client's, as the audit trail records it, not the proxy's."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    proxy = "10.0.0.2"
    for _ in range(3):
        Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=GATEWAY).post(
            reverse("accounts:login"), {"username": "guess", "password": WRONG}
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {GATEWAY}
    blocked = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=GATEWAY)
    assert post_password(blocked, world.business_unit).status_code == 429
    sign_in(Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE), world.business_unit)


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
