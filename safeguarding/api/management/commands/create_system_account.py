"""Add a system account: an account of one partnership, with a role, that nobody signs in as
(it has no usable password) and that acts only through its API tokens.

manage.py create_system_account USERNAME --partnership SLUG --role ROLE
    [--agency NAME] [--description TEXT]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.accounts.models import Agency, Partnership, Role
from safeguarding.api import services


class Command(BaseCommand):
    help = "Add a system account (no password; API tokens only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--agency", help="The agency's name (for an agency lead).")
        parser.add_argument("--description", default="", help="What system uses it.")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            raise CommandError(f"No partnership {options['partnership']!r}.")
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(partnership=partnership, name=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency {options['agency']!r} in {partnership.name}.")
        try:
            services.system_account_create(
                actor=None,
                partnership=partnership,
                username=username,
                role=options["role"],
                agency=agency,
                description=options["description"] or username,
            )
        except services.TokenError as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"System account {username} added.")
