"""Make the provider's people (from PEOPLE) and the one client application (the app under test)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from oauth2_provider.models import get_application_model

from safeguarding.testing.oidc_provider.settings import PEOPLE


class Command(BaseCommand):
    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--redirect-uri", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        for username, person in PEOPLE.items():
            User.objects.create_user(username, password=str(person["password"]))
        application = get_application_model()
        application.objects.create(
            name="Safeguarding Review Hub (under test)",
            client_id=options["client_id"],
            client_secret=options["client_secret"],
            client_type=application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=options["redirect_uri"],
            skip_authorization=True,
            algorithm=application.RS256_ALGORITHM,
        )
