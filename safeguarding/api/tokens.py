"""The page where the business unit makes and revokes API tokens: for themselves, or for a
system account of the partnership (a case management feed, say: an account nobody signs in
as, made with `manage.py create_system_account`). Never for another person. It lists every
unrevoked token of the partnership's accounts, each with its revoke button. A new key is shown
once, on the page that makes it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safeguarding.accounts import access
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.api import selectors, services
from safeguarding.core.forms import GovukForm


class TokenForm(GovukForm):
    name = forms.CharField(
        max_length=100,
        label="Name",
        help_text="What the token is for, for example 'Case management feed'.",
    )
    account = forms.TypedChoiceField(
        coerce=int,
        label="Account",
        help_text="The token acts as this account, with its role: yourself, or a system "
        "account of the partnership.",
    )
    days = forms.IntegerField(
        min_value=1,
        max_value=services.MAX_DAYS,
        initial=services.DEFAULT_DAYS,
        label="Days until it expires",
        help_text=f"At most {services.MAX_DAYS}.",
    )

    def __init__(self, *args: Any, accounts: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accounts = {a.pk: a for a in accounts}
        field = self.fields["account"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (
                a.pk,
                f"{a.username} ({'you' if i == 0 else 'system account'}, {a.get_role_display()})",
            )
            for i, a in enumerate(accounts)
        ]


def _page(request: AuthenticatedHttpRequest, form: TokenForm, **context: Any) -> HttpResponse:
    tokens = selectors.api_tokens_for_user(request.user)
    response = render(request, "api/tokens.html", {"form": form, "tokens": tokens, **context})
    # A new key must not linger in a browser or proxy cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    accounts = selectors.token_accounts_for_user(request.user)
    data = request.POST if request.method == "POST" else None
    form = TokenForm(data, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(
                actor=request.user,
                account=form.accounts[form.cleaned_data["account"]],
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except services.TokenError as refused:
            form.add_error(None, str(refused))
        else:
            return _page(request, TokenForm(accounts=accounts), new=issued)
    return _page(request, form)


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    token = access.get_object_for_user(selectors.api_tokens_for_user(request.user), pk)
    if services.api_token_revoke(actor=request.user, token=token):
        messages.success(request, f"API token {token.name} of {token.user.username} revoked")
    return redirect("api:tokens")
