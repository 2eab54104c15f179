"""Set-up links (enrolment.py): invitations and two-factor resets, one use each, 24 hours; the
set-up page only for a session holding a link's grant; the commands that print the links."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.enrolment import enrolment_link_issue, two_factor_reset
from safeguarding.accounts.models import EnrolmentLink
from safeguarding.accounts.testing import app_device, current_code
from safeguarding.accounts.tests.helpers import (
    LOGIN,
    SETUP,
    VERIFY,
    link_path,
    post_password,
    shown_device,
    sign_in,
    through_reset_link,
)
from safeguarding.audit.models import AuditAction, AuditEvent

NEW_PASSWORD = "a-long-new-passphrase-for-the-hub"
BAD_LINK = "This set-up link does not work"


def _invite(user, actor=None) -> str:
    return link_path(enrolment_link_issue(actor=actor, user=user, purpose="invitation"))


def _choose(client: Client, path: str, password: str = NEW_PASSWORD, again: str | None = None):
    return client.post(path, {"new_password1": password, "new_password2": again or password})


def _finish_set_up(client: Client, user) -> str:
    client.get(reverse(SETUP))
    response = client.post(reverse(SETUP), {"code": current_code(shown_device(client, user))})
    assert response.status_code == 200
    return response.content.decode()


def _state() -> tuple:
    return (
        list(EnrolmentLink.objects.values_list("pk", "used_at", "ended_at").order_by("pk")),
        TOTPDevice.objects.count(),
        list(Session.objects.values_list("session_key", flat=True).order_by("session_key")),
    )


def test_a_link_keeps_only_a_digest_lasts_24_hours_and_is_absolute(world, settings):
    settings.SITE_URL = "https://hub.example.gov.uk"
    user = world.users["rag_member"]
    url = enrolment_link_issue(actor=world.business_unit, user=user, purpose="invitation")
    match = re.fullmatch(r"https://hub\.example\.gov\.uk/accounts/account/enrol/([\w-]+)/", url)
    assert match, url
    token = match.group(1)
    link = EnrolmentLink.objects.get(user=user)
    assert link.token_digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(EnrolmentLink.objects.values().get())
    assert link.created_by == world.business_unit and link.purpose == "invitation"
    assert link.expires_at - link.created_at == dt.timedelta(hours=24)
    event = AuditEvent.objects.get(action=AuditAction.TWO_FACTOR, object_id=str(link.pk))
    assert "Set-up link (invitation) issued for" in event.summary
    assert event.actor == world.business_unit and event.partnership == user.partnership
    assert token not in event.summary


def test_an_invitation_sets_a_password_then_the_app_and_works_once(world):
    user = world.users["rag_member"]
    path = _invite(user)
    client = Client()
    page = client.get(path).content.decode()
    assert "Choose a password" in page and user.username in page
    # Django's password validators.
    response = _choose(client, path, "password")
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert "This password is too short" in response.content.decode()
    assert EnrolmentLink.objects.get().used_at is None
    response = _choose(client, path)
    assert response.url == reverse(SETUP)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert EnrolmentLink.objects.get().used_at is not None
    page = _finish_set_up(client, user)
    assert "Save your recovery codes" in page
    assert client.get(reverse("reviews:dashboard")).status_code == 200
    assert EnrolmentLink.objects.get().ended_at is not None
    # The link never opens again, in this browser or another.
    for again in (client, Client()):
        response = again.get(path)
        assert response.status_code == 404 and BAD_LINK in response.content.decode()
    assert _choose(Client(), path, "another-long-passphrase-1").status_code == 404
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(
        action=AuditAction.PASSWORD_CHANGED, summary__contains="through an invitation link"
    ).exists()


def test_an_invitation_abandoned_after_the_password_needs_a_new_link(world):
    """The link is used up when the password is set: whoever else holds it cannot choose the
    password again, and a later session with that password gets no key."""
    user = world.users["rag_member"]
    path = _invite(user)
    _choose(Client(), path)
    assert Client().get(path).status_code == 404
    later = Client()
    post_password(later, user, NEW_PASSWORD)
    page = later.get(reverse(SETUP)).content.decode()
    assert "Your account has no authenticator app set up" in page
    assert 'id="secret-key"' not in page


def test_a_reset_link_needs_the_password_in_the_same_session(world):
    user = world.business_unit
    old = app_device(user)
    path = link_path(enrolment_link_issue(actor=None, user=user, purpose="reset"))
    client = Client()
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0] == reverse(LOGIN)
    assert "Sign in with your password to set up your authenticator app" in (
        response.content.decode()
    )
    assert EnrolmentLink.objects.get().used_at is None  # only opened
    # A wrong password claims nothing; the right one gives the grant and the set-up page.
    post_password(client, user, "not-the-password")
    assert post_password(client, user).url == reverse(SETUP)
    assert EnrolmentLink.objects.get().used_at is not None
    _finish_set_up(client, user)
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()  # the new app replaces the old
    assert Client().get(path).status_code == 404
    # Another session that signs in with the password (without the link) gets the verify page.
    assert post_password(Client(), user).url == reverse(VERIFY)


def test_a_grant_is_for_its_session_and_its_user_only(world):
    user = world.business_unit
    holder = Client()
    through_reset_link(holder, user)
    other = Client()
    post_password(other, user)  # same person, same password, another session
    assert other.get(reverse(SETUP)).status_code == 403
    # A reset link opened by someone else's session: they are signed out, and the link waits.
    colleague = world.users["rag_member"]
    path = link_path(enrolment_link_issue(actor=None, user=colleague, purpose="reset"))
    assert holder.get(path).url == reverse(LOGIN)
    assert "_auth_user_id" not in holder.session
    post_password(holder, user)  # the wrong person's password claims nothing
    assert EnrolmentLink.objects.get(user=colleague).used_at is None


@pytest.mark.parametrize("kind", ["unknown", "used", "expired", "replaced", "switched off", "long"])
def test_every_bad_link_gets_the_same_page_and_changes_nothing(world, kind):
    user = world.users["rag_member"]
    path = _invite(user)
    if kind == "unknown":
        path = reverse("accounts:enrol", args=["x" * 43])
    elif kind == "used":
        _choose(Client(), path)
    elif kind == "expired":
        EnrolmentLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif kind == "replaced":
        _invite(user)
    elif kind == "switched off":
        user.is_active = False
        user.save()
    elif kind == "long":
        path = reverse("accounts:enrol", args=["y" * 500])
    before = _state()
    password = user.password if kind != "used" else None
    pages = []
    for method in ("get", "post"):
        client = Client()
        response = getattr(client, method)(
            path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assert response.status_code == 404
        pages.append(response.content.decode())
    assert BAD_LINK in pages[0]
    assert "Ask your partnership's business unit for a new set-up link" in pages[0]
    assert _state()[:2] == before[:2]
    if password is not None:
        user.refresh_from_db()
        assert user.password == password
    # The same page whatever the reason (rendered for a reason-free "unknown" token).
    unknown = Client().get(reverse("accounts:enrol", args=["z" * 43])).content.decode()
    assert pages[0] == pages[1] == unknown


def test_a_new_link_ends_the_earlier_ones_and_their_grants(world):
    user = world.business_unit
    holder = Client()
    through_reset_link(holder, user)
    holder.get(reverse(SETUP))
    first = _invite(user)
    assert EnrolmentLink.objects.filter(user=user, ended_at__isnull=True).count() == 1
    assert Client().get(first).status_code == 200
    second = _invite(user)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    # The session that held a grant from the first reset link is refused a key now.
    assert holder.get(reverse(SETUP)).status_code == 403


def test_the_administrators_reset_removes_the_app_and_codes_and_ends_sessions(world):
    user = world.users["rag_member"]
    signed_in = sign_in(Client(), user)
    StaticToken.objects.create(
        device=StaticDevice.objects.create(user=user, name="Recovery codes"), token="abcd2345"
    )
    url = two_factor_reset(actor=world.business_unit, user=user)
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert signed_in.get(reverse("reviews:dashboard")).url.startswith(reverse(LOGIN))
    assert EnrolmentLink.objects.get(user=user).purpose == "reset"
    assert AuditEvent.objects.filter(
        action=AuditAction.TWO_FACTOR,
        actor=world.business_unit,
        summary__contains=f"Two-factor reset for {user.username} by {world.business_unit.username}",
    ).exists()
    # The password alone now gets no key; the link and the password do.
    alone = Client()
    post_password(alone, user)
    assert alone.get(reverse(SETUP)).status_code == 403
    client = Client()
    client.get(link_path(url))
    assert post_password(client, user).url == reverse(SETUP)
    assert "Save your recovery codes" in _finish_set_up(client, user)


def test_the_commands_print_a_link(world):
    user = world.users["rag_member"]
    out = io.StringIO()
    call_command("enrolment_link", user.username, stdout=out)
    assert re.fullmatch(
        r"http://127\.0\.0\.1:8000/accounts/account/enrol/[\w-]+/\n", out.getvalue()
    )
    assert EnrolmentLink.objects.get(user=user).purpose == "invitation"
    out = io.StringIO()
    call_command("enrolment_link", user.username, "--purpose", "reset", stdout=out)
    assert EnrolmentLink.objects.filter(user=user, ended_at__isnull=True).get().purpose == "reset"
    app_device(user)
    out = io.StringIO()
    call_command("reset_two_factor", user.username, stdout=out)
    assert "/accounts/account/enrol/" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert EnrolmentLink.objects.get(user=user, ended_at__isnull=True).created_by is None
    with pytest.raises(CommandError, match="No active account"):
        call_command("reset_two_factor", "nobody-by-this-name")
    with pytest.raises(CommandError):
        call_command("enrolment_link", user.username, "--purpose", "admin")


def test_the_demo_invitation_sets_the_password_without_an_app(world, settings):
    settings.TWO_FACTOR = False
    user = world.users["rag_member"]
    client = Client()
    response = _choose(client, _invite(user))
    assert response.url == reverse("accounts:account")
    assert client.get(reverse("reviews:dashboard")).status_code == 200
    assert not TOTPDevice.objects.filter(user=user).exists()
