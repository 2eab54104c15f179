"""Writes for people and partnerships: invitations by email, role and agency changes, switching
accounts off and on, second-factor resets, and the service administrator's partnerships.

Every account made here is an invitation: a person with no usable password until they open
the one-time set-up link emailed to them (accounts/enrolment.py), choose a password and set up
their authenticator app. Nobody is given a password by someone else.

Rules kept here, whichever page, command or test calls them:
- an email address belongs to one account in the whole installation (single sign-on matches
  the provider's verified email to it; a second account with the same address could be signed
  into by the wrong person), compared without regard to case;
- an agency lead has an agency of their partnership, one that is not retired;
- the last active business unit user of a partnership cannot be switched off or given another
  role (nobody would be left to manage it);
- a closed partnership takes no new people.
Each change is in the user's history (save_and_record) and the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from safeguarding.accounts import enrolment
from safeguarding.accounts.models import (
    PARTNERSHIP_ROLES,
    Agency,
    EnrolmentPurpose,
    Partnership,
    Role,
    User,
)
from safeguarding.accounts.services import partnership_create
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.core.history import save_and_record, snapshot


class PeopleError(ValueError):
    """A change refused, with the message to show (nothing was changed)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Invitation:
    user: User
    link: str  # the absolute one-time set-up link (also emailed)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_taken(email: str, *, other_than: User | None = None) -> bool:
    found = User.objects.filter(email__iexact=normalise_email(email))
    if other_than is not None:
        found = found.exclude(pk=other_than.pk)
    return found.exists()


def active_business_unit(partnership: Partnership) -> Any:
    """The business unit users who can work now: switched on, and past their invitation (a
    person only invited has no usable password yet, and their link may expire unused)."""
    return (
        User.objects.filter(partnership=partnership, role=Role.BUSINESS_UNIT, is_active=True)
        .exclude(system_account__isnull=False)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    )


def _check_role(*, partnership: Partnership, role: str, agency: Agency | None) -> None:
    if role not in PARTNERSHIP_ROLES:
        raise PeopleError("Select a role", field="role")
    if role == Role.AGENCY_LEAD and agency is None:
        raise PeopleError("Select the agency an agency lead works for", field="agency")
    if agency is not None and agency.partnership_id != partnership.pk:
        raise PeopleError("Select an agency of this partnership", field="agency")


def _is_last_business_unit(person: User) -> bool:
    if person.role != Role.BUSINESS_UNIT or not person.is_active or person.partnership is None:
        return False
    return not active_business_unit(person.partnership).exclude(pk=person.pk).exists()


def _send_link(*, user: User, link: str, subject: str, opening: str) -> None:
    body = (
        f"{opening}\n\n"
        f"Open this link to {'' if user.has_usable_password() else 'choose a password and '}"
        f"set up two-factor authentication:\n\n{link}\n\n"
        f"The link works once and for {enrolment.LINK_HOURS} hours. If it has expired, ask for "
        f"a new one.\n\nYour username is {user.username}.\n"
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def person_invite(
    *,
    actor: Any,
    partnership: Partnership | None,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    agency: Agency | None = None,
    send: bool = True,
) -> Invitation:
    """A new account (username = the email address) with no usable password, and a one-time
    set-up link, emailed to them when `send`. `partnership` is None only for a service
    administrator."""
    email = normalise_email(email)
    if not email or "@" not in email:
        raise PeopleError("Enter an email address in the correct format", field="email")
    if email_taken(email) or User.objects.filter(username__iexact=email).exists():
        raise PeopleError(
            "This email address already has an account in Safeguarding Review Hub (an address "
            "belongs to one account). Use another address, or ask the service administrator",
            field="email",
        )
    if partnership is None:
        if role != Role.SERVICE_ADMIN:
            raise PeopleError("Only a service administrator belongs to no partnership")
        agency = None
    else:
        if partnership.closed_at is not None:
            raise PeopleError(f"{partnership} is closed: it takes no new people")
        _check_role(partnership=partnership, role=role, agency=agency)
        if agency is not None and agency.retired_at is not None:
            raise PeopleError(f"{agency} is retired: choose another agency", field="agency")
    user = User(
        username=email,
        email=email,
        partnership=partnership,
        role=role,
        agency=agency if role == Role.AGENCY_LEAD else None,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    user.set_unusable_password()
    save_and_record(
        user,
        actor=actor,
        summary=f"Invited {email} as {user.get_role_display()}"
        + (f" of {user.agency}" if user.agency else ""),
    )
    link = enrolment.enrolment_link_issue(
        actor=actor, user=user, purpose=EnrolmentPurpose.INVITATION
    )
    if send:
        where = partnership.name if partnership else "the installation"
        _send_link(
            user=user,
            link=link,
            subject="You have been invited to the Safeguarding Review Hub",
            opening=f"You have been invited to the Safeguarding Review Hub for {where} as "
            f"{user.get_role_display().lower()}.",
        )
    return Invitation(user=user, link=link)


@transaction.atomic
def invitation_resend(*, actor: Any, person: User) -> Invitation:
    """A new set-up link for someone who has not yet chosen a password (the old one ends)."""
    if person.has_usable_password():
        raise PeopleError(
            f"{person.email or person.username} has already accepted the invitation. To give "
            "them a new authenticator app, reset their two-factor authentication"
        )
    if not person.is_active:
        raise PeopleError(f"{person} is switched off: switch the account on first")
    link = enrolment.enrolment_link_issue(
        actor=actor, user=person, purpose=EnrolmentPurpose.INVITATION
    )
    _send_link(
        user=person,
        link=link,
        subject="Your invitation to the Safeguarding Review Hub",
        opening="Here is a new link to the Safeguarding Review Hub. Earlier links no longer work.",
    )
    return Invitation(user=person, link=link)


@transaction.atomic
def person_change(*, actor: Any, person: User, role: str, agency: Agency | None) -> User:
    """A new role (and agency, for an agency lead) for someone of the partnership."""
    partnership = person.partnership
    if partnership is None:
        raise PeopleError("This account belongs to no partnership")
    _check_role(partnership=partnership, role=role, agency=agency)
    if agency is not None and agency.retired_at is not None and agency.pk != person.agency_id:
        raise PeopleError(f"{agency} is retired: choose another agency", field="agency")
    if role != Role.BUSINESS_UNIT and _is_last_business_unit(person):
        raise PeopleError(
            f"{person} is the last active business unit user of {partnership}. Invite or "
            "switch on another business unit user first",
            field="role",
        )
    before = snapshot(person)
    person.role = role
    person.agency = agency if role == Role.AGENCY_LEAD else None
    save_and_record(
        person,
        actor=actor,
        summary=f"Changed {person.username}'s role to {person.get_role_display()}"
        + (f" of {person.agency}" if person.agency else ""),
        before=before,
    )
    return person


@transaction.atomic
def person_switch_off(*, actor: Any, person: User) -> User:
    """The account stops working now: its sessions and API tokens end (accounts/signals.py)."""
    if _is_last_business_unit(person):
        raise PeopleError(
            f"{person} is the last active business unit user of {person.partnership}. Invite "
            "or switch on another business unit user first"
        )
    if getattr(actor, "pk", None) == person.pk:
        raise PeopleError("You cannot switch off your own account")
    if not person.is_active:
        return person
    before = snapshot(person)
    person.is_active = False
    save_and_record(person, actor=actor, summary=f"Switched off {person.username}", before=before)
    return person


@transaction.atomic
def person_switch_on(*, actor: Any, person: User) -> User:
    if person.partnership is not None and person.partnership.closed_at is not None:
        raise PeopleError(f"{person.partnership} is closed")
    if person.role == Role.AGENCY_LEAD and person.agency and person.agency.retired_at:
        raise PeopleError(f"{person.agency} is retired: give {person} another agency first")
    if person.is_active:
        return person
    before = snapshot(person)
    person.is_active = True
    save_and_record(person, actor=actor, summary=f"Switched on {person.username}", before=before)
    return person


@transaction.atomic
def person_two_factor_reset(*, actor: Any, person: User) -> Invitation:
    """A lost phone: their authenticator app and recovery codes go, their sessions end, and a
    one-time reset link is emailed (they sign in with their password, then set up a new app)."""
    if not person.is_active:
        raise PeopleError(f"{person} is switched off: switch the account on first")
    if not person.has_usable_password():
        return invitation_resend(actor=actor, person=person)
    link = enrolment.two_factor_reset(actor=actor, user=person)
    _send_link(
        user=person,
        link=link,
        subject="Set up two-factor authentication again",
        opening="Your two-factor authentication for the Safeguarding Review Hub has been reset "
        "(for example because your phone was lost). Your old authenticator app and recovery "
        "codes no longer work.",
    )
    return Invitation(user=person, link=link)


# --- The service administrator's partnerships --------------------------------------------


@transaction.atomic
def partnership_set_up(
    *,
    actor: Any,
    name: str,
    slug: str,
    business_unit_email: str,
    first_name: str = "",
    last_name: str = "",
    send: bool = True,
) -> Invitation:
    """A new partnership (default clocks and age bands) and its first business unit user,
    invited. Refused, with nothing saved, when the slug or the email is taken."""
    name, slug = name.strip(), slug.strip().lower()
    if not name:
        raise PeopleError("Enter the partnership's name", field="name")
    if Partnership.objects.filter(name__iexact=name).exists():
        raise PeopleError("A partnership already has this name", field="name")
    if Partnership.objects.filter(slug=slug).exists():
        raise PeopleError("A partnership already has this short name", field="slug")
    if email_taken(business_unit_email):
        raise PeopleError("This email address already has an account", field="business_unit_email")
    partnership = partnership_create(actor=actor, name=name, slug=slug)
    return person_invite(
        actor=actor,
        partnership=partnership,
        email=business_unit_email,
        role=Role.BUSINESS_UNIT,
        first_name=first_name,
        last_name=last_name,
        send=send,
    )


@transaction.atomic
def partnership_rename(*, actor: Any, partnership: Partnership, name: str) -> Partnership:
    name = name.strip()
    if not name:
        raise PeopleError("Enter the partnership's name", field="name")
    if Partnership.objects.filter(name__iexact=name).exclude(pk=partnership.pk).exists():
        raise PeopleError("A partnership already has this name", field="name")
    before = snapshot(Partnership.objects.get(pk=partnership.pk))
    old = before.get("name")
    partnership.name = name
    save_and_record(
        partnership, actor=actor, summary=f"Renamed partnership {old} to {name}", before=before
    )
    return partnership


@transaction.atomic
def partnership_close(*, actor: Any, partnership: Partnership) -> int:
    """The partnership stops: every account of it is switched off (sessions and tokens end);
    its records are kept, under their retention schedule. Returns how many were switched off."""
    if partnership.closed_at is not None:
        raise PeopleError(f"{partnership} is already closed")
    before = snapshot(Partnership.objects.get(pk=partnership.pk))
    partnership.closed_at = timezone.now()
    save_and_record(
        partnership, actor=actor, summary=f"Closed partnership {partnership}", before=before
    )
    count = 0
    for person in User.objects.filter(partnership=partnership, is_active=True):
        before_person = snapshot(person)
        person.is_active = False
        save_and_record(
            person,
            actor=actor,
            summary=f"Switched off {person.username}: partnership closed",
            before=before_person,
        )
        count += 1
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"Closed partnership {partnership}: {count} account(s) switched off",
        obj=partnership,
        partnership=partnership,
    )
    return count
