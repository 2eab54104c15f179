"""Signing in: password, then the second factor (set up on first use), recovery codes, the
change-password page and the account page. Lockout: lockout.py; sessions: middleware.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.accounts import access, enrolment, lockout, oidc, sessions, twofactor
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    ConfirmPasswordForm,
    LoginForm,
)
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record

BAD_CODE = "The code is not right. Enter the 6-digit code your app shows now"
BAD_CODE_OR_RECOVERY = BAD_CODE + ", or one of your recovery codes"


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(access.landing_url_name(request.user))


def _with_next(name: str, request: HttpRequest) -> str:
    url = reverse(name)
    wanted = request.POST.get("next") or request.GET.get("next")
    return f"{url}?{urlencode({'next': wanted})}" if wanted else url


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "two_factor": twofactor.required(),
            "sso": oidc.enabled(),  # the organisation's sign-in button (sso_views.py)
        }

    def get_default_redirect_url(self) -> str:
        # A scrutiny reader lands on the published reports (the dashboard is not theirs).
        return reverse(access.landing_url_name(self.request.user))

    def form_valid(self, form: Any) -> HttpResponse:
        auth_login(self.request, form.get_user())  # a new session key
        if not twofactor.required():
            return HttpResponseRedirect(self.get_success_url())
        user = form.get_user()
        # A reset link opened in this session gives its grant now the password is checked.
        enrolment.reset_claim(self.request, user)
        step = (
            "accounts:two_factor_verify"
            if twofactor.confirmed_app(user) and enrolment.grant(self.request) is None
            else "accounts:two_factor_setup"
        )
        return HttpResponseRedirect(_with_next(step, self.request))


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view()


def _refused(request: HttpRequest, form: CodeForm, message: str) -> HttpResponse | None:
    """Count a wrong code towards lockout. Locked out: signed out, and the lockout page."""
    username = request.user.get_username()
    if lockout.record_failure(request, username):
        auth_logout(request)
        return lockout.locked_out_response(request)
    form.refuse(message)
    return None


def _locked(request: HttpRequest) -> HttpResponse | None:
    if lockout.is_locked_out(request, request.user.get_username()):
        auth_logout(request)
        return lockout.locked_out_response(request)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    # A key is served only to a session holding a grant from a set-up link for this user
    # (enrolment.py): a password alone never sets up the second factor.
    link = enrolment.grant(request)
    if link is None:
        if twofactor.is_verified(request):
            return redirect(_next_url(request))
        if twofactor.confirmed_app(request.user):
            return redirect(_with_next("accounts:two_factor_verify", request))
        return render(request, "accounts/two_factor_no_app.html", status=403)
    if (locked := _locked(request)) is not None:
        return locked
    form = CodeForm(
        request.POST if request.method == "POST" else None,
        help_text="The 6-digit code your app shows for Safeguarding Review Hub.",
    )
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_app(request, request.user, form.cleaned_data["code"])
        if codes is not None:
            lockout.clear_failures(request.user.get_username())
            enrolment.grant_end(request, link)
            return _recovery_codes_page(request, codes, first=True)
        if (locked := _refused(request, form, BAD_CODE)) is not None:
            return locked
    # A new key on every visit; a refused code shows the same key again.
    device = (
        twofactor.pending_app(request, request.user) if request.method == "POST" else None
    ) or twofactor.pending_app_new(request, request.user)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_data_uri(device),
            "secret": twofactor.secret_text(device),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    if twofactor.is_verified(request):
        return redirect(_next_url(request))
    if not twofactor.confirmed_app(request.user):
        return redirect(_with_next("accounts:two_factor_setup", request))
    if (locked := _locked(request)) is not None:
        return locked
    form = CodeForm(
        request.POST if request.method == "POST" else None,
        help_text="The 6-digit code your authenticator app shows now. Lost your phone? Enter "
        "one of your recovery codes instead.",
    )
    if request.method == "POST" and form.is_valid():
        check = twofactor.verify(request, request.user, form.cleaned_data["code"])
        if check.ok:
            lockout.clear_failures(request.user.get_username())
            if check.recovery_codes_left is not None:
                messages.info(
                    request,
                    f"You used a recovery code: it will not work again. You have "
                    f"{check.recovery_codes_left} left. You can make new ones from Your account.",
                )
            return redirect(_next_url(request))
        if (locked := _refused(request, form, BAD_CODE_OR_RECOVERY)) is not None:
            return locked
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


def _recovery_codes_page(
    request: HttpRequest, codes: list[str], *, first: bool = False
) -> HttpResponse:
    """The only time the codes are shown: in this response, never stored in the session."""
    response = render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": [twofactor.show(c) for c in codes],
            "first": first,
            "next": _next_url(request),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    # New codes are a second factor that lasts: the password is asked again, so a stolen
    # session or an unattended desk cannot make them. A wrong one counts towards lockout.
    if (locked := _locked(request)) is not None:
        return locked
    form = ConfirmPasswordForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            return _recovery_codes_page(request, twofactor.make_recovery_codes(request.user))
        if form.has_error("password", "password_incorrect"):
            username = request.user.get_username()
            audit_record(
                actor=request.user,
                action=AuditAction.TWO_FACTOR,
                summary=f"{username}: new recovery codes refused (password not right)",
                outcome="failed",
            )
            if lockout.record_failure(request, username):
                auth_logout(request)
                return lockout.locked_out_response(request)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"form": form, "left": twofactor.recovery_codes_left(request.user)},
    )


@login_required
@require_safe
def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {
            "two_factor": twofactor.required(),
            "has_app": twofactor.confirmed_app(request.user) is not None,
            "codes_left": twofactor.recovery_codes_left(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (locked := _locked(request)) is not None:
        return locked
    form = ChangePasswordForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            with sessions.keeping(request.session.session_key):
                user = form.save()  # ends the user's other sessions (signals.py)
            update_session_auth_hash(request, user)  # keeps this one, under a new key
            audit_record(
                actor=user,
                action=AuditAction.PASSWORD_CHANGED,
                summary=f"{user.username} changed their password",
            )
            messages.success(request, "Your password has been changed")
            return redirect("accounts:account")
        if form.has_error("old_password", "password_incorrect") and lockout.record_failure(
            request, request.user.get_username()
        ):
            auth_logout(request)
            return lockout.locked_out_response(request)
    return render(request, "accounts/password_change.html", {"form": form})
