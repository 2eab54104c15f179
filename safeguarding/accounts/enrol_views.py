"""The page a set-up link opens (/accounts/account/enrol/<token>/); see enrolment.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeguarding.accounts import enrolment, twofactor
from safeguarding.accounts.forms import ChoosePasswordForm
from safeguarding.accounts.models import EnrolmentPurpose

BAD_LINK_STATUS = 404


def _bad_link(request: HttpRequest) -> HttpResponse:
    """One page for every token that opens nothing (unknown, used, replaced, expired, or for an
    account switched off), so the page says nothing about which; nothing is changed."""
    return render(request, "accounts/enrol_link_invalid.html", status=BAD_LINK_STATUS)


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, token: str) -> HttpResponse:
    link = enrolment.link_for_token(token)
    if link is None:
        return _bad_link(request)
    user = link.user
    if request.user.is_authenticated and request.user.pk != user.pk:
        auth_logout(request)  # a link is for one person: whoever was signed in here is not
    if link.purpose == EnrolmentPurpose.RESET:
        enrolment.reset_wait_for_password(request, link)
        if request.user.is_authenticated:  # this person's password was checked in this session
            enrolment.reset_claim(request, user)
            return redirect("accounts:two_factor_setup")
        messages.info(request, "Sign in with your password to set up your authenticator app.")
        return redirect("accounts:login")
    form = ChoosePasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not enrolment.enrolment_invitation_accept(
            link=link, password=form.cleaned_data["new_password1"]
        ):
            return _bad_link(request)  # used by another request meanwhile
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        enrolment.grant_give(request, link)
        if not twofactor.required():  # the demo
            messages.success(request, "Your password is set")
            return redirect("accounts:account")
        return redirect("accounts:two_factor_setup")
    return render(request, "accounts/enrol_password.html", {"form": form, "person": user})
