"""The claims each test person's ID token carries: from PEOPLE in the provider's settings."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from safeguarding.testing.oidc_provider.settings import PEOPLE


class ClaimsValidator(OAuth2Validator):
    # amr is an ID token claim of the openid scope (django-oauth-toolkit drops claims it cannot
    # place in a scope).
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "amr": "openid"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        person = PEOPLE[request.user.username]
        claims = {
            "email": person["email"],
            "email_verified": person["email_verified"],
            "name": person.get("name", request.user.username),
        }
        if person.get("amr"):
            claims["amr"] = person["amr"]
        return claims
