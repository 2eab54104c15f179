"""Make a named API token for a system account and print its key once, or revoke tokens.

manage.py create_api_token USERNAME --name NAME [--days 90]   make a token (printed once)
manage.py create_api_token USERNAME --revoke NAME              revoke the live token NAME
manage.py create_api_token USERNAME --revoke-all               revoke every token of USERNAME

Only for system accounts (manage.py create_system_account): a person makes their own token on
/api/tokens/ after signing in with both factors, so nobody makes one to act as someone else.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguarding.accounts.models import User
from safeguarding.api import services
from safeguarding.api.models import ApiToken


class Command(BaseCommand):
    help = "Make (key printed once) or revoke API tokens of a system account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", help="What the token is for (required to make one).")
        parser.add_argument(
            "--days",
            type=int,
            default=services.DEFAULT_DAYS,
            help=f"Days until it expires (default {services.DEFAULT_DAYS}, at most "
            f"{services.MAX_DAYS}).",
        )
        parser.add_argument("--revoke", metavar="NAME", help="Revoke the token of this name.")
        parser.add_argument("--revoke-all", action="store_true", help="Revoke all its tokens.")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        account = User.objects.filter(username=username).first()
        if account is None:
            raise CommandError(f"No account called {username!r}.")
        if options["revoke_all"]:
            count = services.api_tokens_revoke_all(
                actor=None, user=account, reason="revoked on the command line"
            )
            self.stdout.write(f"Revoked {count} token(s).")
            return
        if options["revoke"]:
            token = ApiToken.objects.filter(
                user=account, name=options["revoke"], revoked_at__isnull=True
            ).first()
            if token is None:
                raise CommandError(f"{username} has no unrevoked token {options['revoke']!r}.")
            services.api_token_revoke(actor=None, token=token)
            self.stdout.write("Token revoked.")
            return
        if not options["name"]:
            raise CommandError("Give the token a name with --name.")
        try:
            issued = services.api_token_create(
                actor=None, account=account, name=options["name"], days=options["days"]
            )
        except services.TokenError as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(issued.key)
