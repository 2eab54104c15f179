"""Settings -> People: the business unit invites people by email, changes their role and
agency, switches accounts off and on, and resets a lost second factor (accounts/people.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts import access, people
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.accounts.models import Partnership, User
from safeguarding.accounts.people_forms import ROLE_HINTS, InviteForm, PersonChangeForm
from safeguarding.core.concurrency import VersionForm
from safeguarding.core.forms import posted


def people_of(partnership: Partnership) -> QuerySet[User]:
    """The partnership's people: every account but its API system accounts (on the API
    tokens page)."""
    return (
        User.objects.filter(partnership=partnership, system_account__isnull=True)
        .select_related("agency")
        .order_by("-is_active", "last_name", "first_name", "username")
    )


def status_of(person: User, with_app: set[int]) -> str:
    if not person.is_active:
        return "Switched off"
    if not person.has_usable_password():
        return "Invited"
    if person.pk not in with_app:
        return "Two-factor not set up"
    return "Active"


def _with_app(users: Any) -> set[int]:
    return set(
        TOTPDevice.objects.filter(user__in=users, confirmed=True).values_list("user_id", flat=True)
    )


def _setting_up(request: AuthenticatedHttpRequest) -> Partnership:
    access.require(access.can_user_manage_partnership(request.user))
    return access.get_partnership_for_user(request.user)


@login_required
@require_safe
def people_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    partnership = _setting_up(request)
    everyone = list(people_of(partnership))
    with_app = _with_app(everyone)
    rows = [(p, status_of(p, with_app)) for p in everyone]
    return render(request, "accounts/people/list.html", {"partnership": partnership, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def person_invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    partnership = _setting_up(request)
    form = InviteForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = people.person_invite(
                actor=request.user,
                partnership=partnership,
                email=data["email"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                agency=data["agency"],
            )
        except people.PeopleError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(
                request,
                f"Invitation sent to {invitation.user.email}. The link works once, for 24 hours",
            )
            return redirect("accounts:person_detail", invitation.user.pk)
    return render(
        request,
        "accounts/people/invite.html",
        {"form": form, "role_hints": ROLE_HINTS, "partnership": partnership},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = _setting_up(request)
    person = access.get_object_for_user(people_of(partnership), pk)
    form = PersonChangeForm(
        posted(request),
        partnership=partnership,
        keep=person.agency,
        record=person,
        request=request,
        initial={"role": person.role, "agency": person.agency_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            people.person_change(
                actor=request.user,
                person=person,
                role=form.cleaned_data["role"],
                agency=form.cleaned_data["agency"],
            )
        except people.PeopleError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, f"{person}'s role is now {person.get_role_display()}")
            return redirect("accounts:person_detail", person.pk)
        person.refresh_from_db()
    return render(
        request,
        "accounts/people/detail.html",
        {
            "person": person,
            "status": status_of(person, _with_app([person])),
            "form": form,
            "actions": available_actions(person, request.user),
            "partnership": partnership,
        },
    )


# slug -> (button, warning text, service function, message afterwards)
ACTIONS: dict[str, tuple[str, str, Any, str]] = {
    "switch-off": (
        "Switch off the account",
        "They are signed out everywhere now, their API tokens stop working, and they cannot "
        "sign in until the account is switched on again. Their records and history are kept.",
        people.person_switch_off,
        "{person}'s account is switched off",
    ),
    "switch-on": (
        "Switch on the account",
        "They can sign in again with their password and authenticator app.",
        people.person_switch_on,
        "{person}'s account is switched on",
    ),
    "reset-two-factor": (
        "Reset two-factor authentication",
        "Their authenticator app and recovery codes stop working and they are signed out. We "
        "email them a one-time link: they sign in with their password, then set up a new app.",
        people.person_two_factor_reset,
        "Two-factor authentication reset: a set-up link was emailed to {email}",
    ),
    "resend-invitation": (
        "Send a new invitation",
        "The earlier invitation link stops working and a new one is emailed.",
        people.invitation_resend,
        "A new invitation was emailed to {email}",
    ),
}


def available_actions(person: User, actor: User) -> list[tuple[str, str]]:
    """The actions that apply to this person now (slug, button)."""
    slugs = []
    if person.is_active:
        if person.pk != actor.pk:
            slugs.append("switch-off")
        slugs.append("reset-two-factor" if person.has_usable_password() else "resend-invitation")
    else:
        slugs.append("switch-on")
    return [(slug, ACTIONS[slug][0]) for slug in slugs]


def run_action(
    request: AuthenticatedHttpRequest,
    person: User,
    action: str,
    *,
    back_url: str,
    done_url: str,
) -> HttpResponse:
    """The confirmation page of one action (GET), and the action (POST)."""
    button, warning, service, done = ACTIONS[action]
    form = VersionForm(posted(request), record=person, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, person=person)
        except people.PeopleError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, done.format(person=person, email=person.email))
            return redirect(done_url)
    return render(
        request,
        "accounts/people/confirm.html",
        {
            "form": form,
            "forms": [form],
            "person": person,
            "button": button,
            "warning": warning,
            "back_url": back_url,
            "danger": action in ("switch-off", "reset-two-factor"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    partnership = _setting_up(request)
    person = access.get_object_for_user(people_of(partnership), pk)
    if action not in dict(available_actions(person, request.user)):
        access.require(action in ACTIONS)  # an unknown action: 403 (a known one not now: below)
        messages.info(request, "That does not apply to this account now")
        return redirect("accounts:person_detail", person.pk)
    url = reverse("accounts:person_detail", args=[person.pk])
    return run_action(request, person, action, back_url=url, done_url=url)
