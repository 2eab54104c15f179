"""The administrator's two-factor reset (a lost phone): removes the account's authenticator app
and recovery codes, ends its sessions, and prints a one-time reset link (enrolment.py).

manage.py reset_two_factor USERNAME
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.accounts import enrolment
from safeguarding.accounts.models import User


class Command(BaseCommand):
    help = "Remove an account's authenticator app and recovery codes and print a reset link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account called {username!r}.")
        self.stdout.write(enrolment.two_factor_reset(actor=None, user=user))
