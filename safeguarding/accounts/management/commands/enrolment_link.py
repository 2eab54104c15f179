"""Print a one-time set-up link for an account (enrolment.py); earlier links stop working.

manage.py enrolment_link USERNAME                    an invitation: choose a password, set up an app
manage.py enrolment_link USERNAME --purpose reset    sign in with the password, set up an app
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.accounts import enrolment
from safeguarding.accounts.models import EnrolmentPurpose, User


class Command(BaseCommand):
    help = "Print a one-time set-up link (24 hours) for an account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--purpose",
            choices=[p.value for p in EnrolmentPurpose],
            default=EnrolmentPurpose.INVITATION.value,
            help="invitation (choose a password, then set up an app; the default) or reset "
            "(sign in with the password, then set up an app).",
        )

    def handle(self, *args: Any, username: str, purpose: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account called {username!r}.")
        self.stdout.write(enrolment.enrolment_link_issue(actor=None, user=user, purpose=purpose))
