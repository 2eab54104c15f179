"""Single sign-on pages: the start (to the provider) and the callback (back from it), both
mozilla-django-oidc's views with our settings lookup, refusals and next step. With single
sign-on off both are 404 for everyone. The rules are in oidc.py."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import login as auth_login
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from safeguarding.accounts import access, enrolment, oidc, twofactor
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record

logger = logging.getLogger(__name__)
# Where mozilla-django-oidc keeps the checked `next` address between the start and the callback.
SESSION_NEXT = "oidc_login_next"
SESSION_STATES = "oidc_states"


@dataclass(frozen=True)
class Problem:
    title: str
    paragraphs: tuple[str, ...]


OTHER_WAY = "You can still sign in with your username and password if you have them."
PROBLEMS = {
    oidc.Refusal.NO_ACCOUNT: Problem(
        "There is no account for this email address",
        (
            "Your organisation signed you in as {email}, but no account of Safeguarding Review "
            "Hub has that email address. Nobody gets an account by signing in: an account is "
            "made by invitation.",
            "Ask your partnership's business unit to invite you, using this email address.",
            OTHER_WAY,
        ),
    ),
    oidc.Refusal.UNVERIFIED: Problem(
        "Your organisation has not confirmed your email address",
        (
            "Your organisation's sign-in gave the email address {email} without confirming that "
            "it is yours, so it cannot be used to find your account.",
            "Ask your organisation's IT service desk about it. " + OTHER_WAY,
        ),
    ),
    oidc.Refusal.NO_EMAIL: Problem(
        "Your organisation's sign-in gave no email address",
        (
            "An email address is needed to find your account, and your organisation's sign-in "
            "did not give one.",
            "Ask your organisation's IT service desk about it. " + OTHER_WAY,
        ),
    ),
    oidc.Refusal.SWITCHED_OFF: Problem(
        "Your account has been switched off",
        (
            "The account with the email address {email} has been switched off, so it cannot "
            "be used to sign in.",
            "If you still need to use the service, ask your partnership's business unit.",
        ),
    ),
    oidc.Refusal.SEVERAL_ACCOUNTS: Problem(
        "More than one account has this email address",
        (
            "More than one account of Safeguarding Review Hub has the email address {email}, "
            "so we cannot tell which one is yours.",
            "Ask your partnership's business unit to make sure that only one account has it. "
            + OTHER_WAY,
        ),
    ),
}
FAILED = Problem(
    "Signing in with your organisation's account did not work",
    (
        "Your organisation's sign-in did not finish, or its answer could not be checked.",
        "Try again from the sign-in page. If it keeps happening, tell your partnership's "
        "business unit. " + OTHER_WAY,
    ),
)
UNAVAILABLE = Problem(
    "Signing in with your organisation's account is not working at the moment",
    (
        "Your organisation's sign-in service did not answer.",
        "Try again later. " + OTHER_WAY,
    ),
)


def _problem(
    request: HttpRequest, problem: Problem, *, status: int, email: str = ""
) -> HttpResponse:
    return render(
        request,
        "accounts/sso_problem.html",
        {
            "problem": problem,
            "paragraphs": [p.format(email=email) for p in problem.paragraphs],
        },
        status=status,
    )


class _Start(OIDCAuthenticationRequestView):
    get_settings = staticmethod(oidc.oidc_setting)


class _Callback(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc.oidc_setting)

    def login_success(self) -> HttpResponse:
        return _signed_in(self.request, self.user)

    def login_failure(self) -> HttpResponse:
        error = self.request.GET.get("error", "")
        raise oidc.SsoFailed(
            f"the provider answered {error[:40]!r}" if error else "no sign-in was waiting"
        )


@require_safe
def sso_start(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404
    if twofactor.is_verified(request):
        return redirect(access.landing_url_name(request.user))
    try:
        return _Start.as_view()(request)
    except oidc.ProviderUnavailable as exc:
        logger.warning("Single sign-on: the provider is unavailable: %s", exc)
        return _problem(request, UNAVAILABLE, status=503)


@require_safe
def sso_callback(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404
    states = request.session.get(SESSION_STATES)
    waiting = isinstance(states, dict) and request.GET.get("state") in states
    try:
        return _Callback.as_view()(request)
    except oidc.SsoRefused as refusal:
        _audit_refusal(refusal)
        return _problem(request, PROBLEMS[refusal.reason], status=403, email=refusal.email)
    except (oidc.SsoFailed, oidc.ProviderUnavailable, SuspiciousOperation) as exc:
        # Only an attempt this browser started is recorded: a callback address opened by hand
        # (or by a flood) is not a sign-in, and writes nothing.
        if waiting:
            audit_record(
                actor=None,
                action=AuditAction.LOGIN_FAILED,
                summary=f"Single sign-on did not complete ({exc.__class__.__name__})",
                outcome="failed",
            )
        if isinstance(exc, oidc.ProviderUnavailable):
            return _problem(request, UNAVAILABLE, status=503)
        return _problem(request, FAILED, status=400)


def _audit_refusal(refusal: oidc.SsoRefused) -> None:
    # The address is not recorded in full (nor are typed usernames: signals.py); a switched-off
    # account is named, as a lockout names a real account.
    where = f" (an address at {oidc.email_domain(refusal.email)})" if refusal.email else ""
    actor = None
    summary = {
        oidc.Refusal.NO_EMAIL: "the provider gave no email address",
        oidc.Refusal.UNVERIFIED: "the provider did not confirm the email address" + where,
        oidc.Refusal.NO_ACCOUNT: "no account has the email address" + where,
        oidc.Refusal.SEVERAL_ACCOUNTS: f"{len(refusal.accounts)} active accounts have the "
        "email address" + where,
        oidc.Refusal.SWITCHED_OFF: "the account with the email address is switched off",
    }[refusal.reason]
    if refusal.reason is oidc.Refusal.SWITCHED_OFF and len(refusal.accounts) == 1:
        actor = refusal.accounts[0]
        summary = f"{actor.username}'s account is switched off"
    # "denied": the 403 is this row, not another one from the refusal middleware (denials.py).
    audit_record(
        actor=actor,
        partnership=getattr(actor, "partnership", None),
        action=AuditAction.LOGIN_FAILED,
        summary=f"Single sign-on refused: {summary}",
        outcome="denied",
    )


def _signed_in(request: HttpRequest, user: User) -> HttpResponse:
    """After the provider vouched for `user`: signed in (a new session key), then our second
    factor unless the provider's multi-factor sign-in counts (oidc.provider_mfa)."""
    claims = getattr(user, "_srh_sso_claims", {})
    # user_logged_in: the "logged in" row, the session's start, any earlier marker or device
    # dropped (twofactor.py).
    auth_login(request, user, backend=oidc.SESSION_BACKEND)
    next_url = request.session.pop(SESSION_NEXT, None)  # checked by the start view
    landing = next_url or reverse(access.landing_url_name(user))
    seen = oidc.claims_shown(claims)
    if not twofactor.required():
        audit_record(
            actor=user,
            action=AuditAction.LOGIN,
            summary=f"{user.username} signed in with single sign-on ({seen})",
        )
        return redirect(landing)
    # A reset link opened in this session gives its grant now, as after a password.
    enrolment.reset_claim(request, user)
    has_grant = enrolment.grant(request) is not None
    mfa = oidc.provider_mfa(claims)
    if mfa:
        oidc.provider_mfa_mark(request, user)
        audit_record(
            actor=user,
            action=AuditAction.TWO_FACTOR,
            summary=f"{user.username} signed in with single sign-on; the provider's "
            f"multi-factor sign-in ({mfa}) counts as the second factor",
        )
        if not has_grant:
            return redirect(landing)
    else:
        audit_record(
            actor=user,
            action=AuditAction.LOGIN,
            summary=f"{user.username} signed in with single sign-on; the provider reported no "
            f"multi-factor sign-in ({seen}), so the second factor is asked next",
        )
    step = (
        "accounts:two_factor_verify"
        if not has_grant and twofactor.confirmed_app(user)
        else "accounts:two_factor_setup"
    )
    url = reverse(step)
    return redirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
