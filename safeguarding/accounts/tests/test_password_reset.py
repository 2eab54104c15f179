"""Forgotten password: the emailed link, the same answer for every address, throttling, and no
way round the second factor."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.password_reset import reset_link
from safeguarding.accounts.tests.helpers import VERIFY, post_password
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.testing.factories import PASSWORD

REQUEST = "accounts:password_reset"
SENT = "accounts:password_reset_done"
NEW = "A brand new passphrase 2024"
UNKNOWN = "nobody-at-all@example.invalid"


@pytest.fixture
def person(world):
    user = world.business_unit
    user.email = "bu.officer@example.invalid"
    user.save()
    return user


def _ask(client: Client, email: str):
    return client.post(reverse(REQUEST), {"email": email})


def _link_in(message) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found, message.body
    return found.group(0)


def _set_password(client: Client, link: str, password: str = NEW):
    opened = client.get(urlsplit(link).path)
    assert opened.status_code == 302  # to the same page without the token in the address
    form_url = opened["Location"]
    assert "Choose a new password" in client.get(form_url).content.decode()
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_the_login_page_links_to_the_forgotten_password_page(db):
    page = Client().get(reverse("accounts:login")).content.decode()
    assert "Forgotten your password?" in page
    assert reverse(REQUEST) in page
    assert "Reset your password" in Client().get(reverse(REQUEST)).content.decode()


def test_a_known_address_gets_an_absolute_link_from_the_site_address(person):
    response = _ask(Client(), "BU.Officer@example.invalid")
    assert response.status_code == 302
    assert response["Location"] == reverse(SENT)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    link = _link_in(message)
    assert link.startswith(settings.SITE_URL + "/accounts/password-reset/")
    assert person.username in message.body
    event = AuditEvent.objects.get(summary=f"Password reset link requested for {person.username}")
    assert event.object_id == str(person.pk) and event.partnership == person.partnership


def test_the_link_ignores_the_host_the_request_came_to(person):
    _ask(Client(HTTP_HOST="localhost"), person.email)
    assert _link_in(mail.outbox[0]).startswith(settings.SITE_URL)


def test_known_unknown_and_switched_off_addresses_get_the_same_response(world, person):
    off = world.users["scrutineer"]
    off.email = "switched.off@example.invalid"
    off.is_active = False
    off.save()
    answers = []
    for email in (person.email, UNKNOWN, off.email):
        client = Client()
        response = _ask(client, email)
        page = client.get(response["Location"])
        answers.append((response.status_code, response["Location"], page.status_code, page.content))
    assert answers[0] == answers[1] == answers[2]
    assert [m.to for m in mail.outbox] == [[person.email]]  # nothing for nobody or switched off


def test_an_unknown_address_is_audited_without_the_address(world):
    _ask(Client(), UNKNOWN)
    event = AuditEvent.objects.get(outcome="no_account")
    assert event.action == AuditAction.PASSWORD_CHANGED
    assert event.actor is None
    for row in AuditEvent.objects.all():
        assert "nobody-at-all" not in f"{row.summary} {row.changes}"
    assert mail.outbox == []


def test_a_badly_formed_address_says_what_is_wrong(world):
    response = _ask(Client(), "not an address")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter an email address in the correct format" in page
    assert "Enter your email address" in _ask(Client(), "").content.decode()
    assert mail.outbox == []


def test_the_new_password_works_but_does_not_sign_in_or_skip_the_second_factor(person):
    elsewhere = Client()
    post_password(elsewhere, person)  # another session of theirs
    assert "_auth_user_id" in elsewhere.session
    client = Client()
    _ask(client, person.email)
    response = _set_password(client, _link_in(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert "_auth_user_id" not in client.session  # not signed in
    complete = client.get(response["Location"]).content.decode()
    assert "Your password has been changed" in complete
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert AuditEvent.objects.filter(
        actor=person,
        action=AuditAction.PASSWORD_CHANGED,
        summary=f"{person.username} set a new password through a reset link",
    ).exists()
    # Their other session has ended.
    assert "_auth_user_id" not in elsewhere.session
    # Signing in with the new password goes on to the second factor, as always.
    signing_in = post_password(Client(), person, password=NEW)
    assert signing_in.status_code == 302
    assert signing_in["Location"].startswith(reverse(VERIFY))


def test_a_used_link_does_not_work_again(person):
    _ask(Client(), person.email)
    link = _link_in(mail.outbox[0])
    _set_password(Client(), link)
    response = Client().get(urlsplit(link).path)
    assert response.status_code == 200
    assert "This password reset link does not work" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(NEW)


def test_an_expired_link_does_not_work_and_changes_nothing(person):
    link = reset_link(person)
    later = dt.datetime.now() + dt.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with mock.patch.object(default_token_generator, "_now", return_value=later):
        client = Client()
        page = client.get(urlsplit(link).path)
        assert "This password reset link does not work" in page.content.decode()
        # The form's address with the placeholder token opens nothing either.
        uid = urlsplit(link).path.rstrip("/").split("/")[-2]
        url = reverse("accounts:password_reset_confirm", args=[uid, "set-password"])
        client.post(url, {"new_password1": NEW, "new_password2": NEW})
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_a_made_up_link_gets_a_clear_page(world):
    url = reverse("accounts:password_reset_confirm", args=["MQ", "made-up-token"])
    response = Client().get(url)
    assert response.status_code == 200
    assert "Ask for a new link" in response.content.decode()


def test_two_different_new_passwords_are_refused_and_change_nothing(person):
    client = Client()
    _ask(client, person.email)
    opened = client.get(urlsplit(_link_in(mail.outbox[0])).path)
    response = client.post(
        opened["Location"], {"new_password1": NEW, "new_password2": "Another passphrase 99"}
    )
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The two new passwords are not the same" in page
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_requests_for_one_address_are_throttled_with_the_same_page(person):
    limit = settings.AXES_FAILURE_LIMIT
    answers = set()
    for n in range(limit + 2):
        response = _ask(Client(REMOTE_ADDR=f"10.0.0.{n + 1}"), person.email)
        answers.add((response.status_code, response["Location"]))
    assert answers == {(302, reverse(SENT))}
    assert len(mail.outbox) == limit
    assert AuditEvent.objects.filter(outcome="throttled").count() == 2


def test_requests_from_one_client_address_are_throttled(world, person, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="192.0.2.7")
    for n in range(3):
        _ask(client, f"someone{n}@example.invalid")
    response = _ask(client, person.email)
    assert response["Location"] == reverse(SENT)
    assert mail.outbox == []
    # Another address is not held back.
    _ask(Client(REMOTE_ADDR="192.0.2.8"), person.email)
    assert len(mail.outbox) == 1
