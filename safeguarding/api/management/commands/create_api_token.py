"""Make (or replace) the API token of an account and print it once.

manage.py create_api_token USERNAME          make a token (replacing any the account had)
manage.py create_api_token USERNAME --revoke revoke the account's token
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.accounts.models import User
from safeguarding.api import services


class Command(BaseCommand):
    help = "Make, replace or revoke the API token of an account (the key is printed once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--revoke", action="store_true", help="Revoke the token instead.")

    def handle(self, *args: Any, username: str, revoke: bool, **options: Any) -> None:
        account = User.objects.filter(username=username, is_active=True).first()
        if account is None:
            raise CommandError(f"No active account called {username!r}.")
        if revoke:
            done = services.api_token_revoke(actor=None, account=account)
            self.stdout.write("Token revoked." if done else f"{username} had no token.")
            return
        token = services.api_token_create(actor=None, account=account)
        self.stdout.write(token.key)
