"""Create a partnership (default clocks and age bands) and invite its first business unit user.

manage.py create_partnership --name NAME --slug SLUG --business-unit-email EMAIL
    [--first-name NAME] [--last-name NAME]

The invitation is emailed (the configured email backend) and its link printed. A short name or
an address already taken is refused and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email, validate_slug

from safeguarding.accounts import people


class Command(BaseCommand):
    help = "Create a partnership and invite its first business unit user (prints the link)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--business-unit-email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        email, slug = options["business_unit_email"].strip(), options["slug"].strip()
        try:
            validate_email(email)
        except ValidationError as bad:
            raise CommandError(f"{email!r} is not an email address.") from bad
        try:
            validate_slug(slug)
        except ValidationError as bad:
            raise CommandError(
                f"{slug!r} is not a short name: use letters, numbers and hyphens."
            ) from bad
        try:
            invitation = people.partnership_set_up(
                actor=None,
                name=options["name"],
                slug=slug,
                business_unit_email=email,
                first_name=options["first_name"],
                last_name=options["last_name"],
            )
        except people.PeopleError as refused:
            raise CommandError(refused.message) from refused
        self.stdout.write(
            f"Partnership {invitation.user.partnership} created. {invitation.user.email} was "
            "invited as its business unit user (emailed); the one-time link (24 hours) is:"
        )
        self.stdout.write(invitation.link)
