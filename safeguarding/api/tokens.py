"""The page where the business unit makes and revokes API tokens for the accounts of its
partnership (a system account, such as a case management feed, is an account like any other:
its token acts with that account's role). A new key is shown once, on the page that makes it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from rest_framework.authtoken.models import Token

from safeguarding.accounts import access
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.accounts.models import User
from safeguarding.api import services
from safeguarding.core.forms import GovukForm


class AccountChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.username} ({obj.get_role_display()})"


class TokenForm(GovukForm):
    account = AccountChoiceField(
        queryset=User.objects.none(),
        label="Account",
        empty_label="Choose an account",
        help_text="The token acts as this account, with its role. Making a new one replaces "
        "the old.",
    )

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = accounts


def _accounts(user: User) -> Any:
    partnership = access.get_partnership_for_user(user)
    return User.objects.filter(partnership=partnership, is_active=True).order_by("username")


def _page(request: AuthenticatedHttpRequest, form: TokenForm, **context: Any) -> HttpResponse:
    accounts = _accounts(request.user)
    tokens = {t.user_id: t for t in Token.objects.filter(user__in=accounts)}
    rows = [(a, services.token_hint(tokens[a.pk]) if a.pk in tokens else "") for a in accounts]
    response = render(request, "api/tokens.html", {"form": form, "rows": rows, **context})
    # A new key must not linger in a browser or proxy cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    data = request.POST if request.method == "POST" else None
    form = TokenForm(data, accounts=_accounts(request.user))
    if request.method == "POST" and form.is_valid():
        account = form.cleaned_data["account"]
        token = services.api_token_create(actor=request.user, account=account)
        return _page(request, TokenForm(accounts=_accounts(request.user)), new=token)
    return _page(request, form)


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    account = access.get_object_for_user(_accounts(request.user), pk)
    if services.api_token_revoke(actor=request.user, account=account):
        messages.success(request, f"API token of {account.username} revoked")
    return redirect("api:tokens")
