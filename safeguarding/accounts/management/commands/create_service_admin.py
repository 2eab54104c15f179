"""Make a service administrator (runs the installation: partnerships and their first business
unit user; sees no child's record) and print their one-time sign-in link.

manage.py create_service_admin EMAIL [--first-name NAME] [--last-name NAME]

The link (24 hours, single use) leads to choosing a password and setting up two-factor
authentication. An address that already has an account is refused and nothing is changed
(`manage.py enrolment_link USERNAME` gives an existing account a new link).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from safeguarding.accounts import people
from safeguarding.accounts.models import Role


class Command(BaseCommand):
    help = "Make a service administrator and print their one-time sign-in link (24 hours)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, email: str, first_name: str, last_name: str, **o: Any) -> None:
        try:
            validate_email(email.strip())
        except ValidationError as bad:
            raise CommandError(f"{email!r} is not an email address.") from bad
        try:
            invitation = people.person_invite(
                actor=None,
                partnership=None,
                email=email,
                role=Role.SERVICE_ADMIN,
                first_name=first_name,
                last_name=last_name,
                send=False,
            )
        except people.PeopleError as refused:
            raise CommandError(refused.message) from refused
        self.stdout.write(
            f"Service administrator {invitation.user.username} made. Their one-time sign-in "
            "link (24 hours, single use) is below: it leads to choosing a password and setting "
            "up two-factor authentication."
        )
        self.stdout.write(invitation.link)
