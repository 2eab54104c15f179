"""Three checks on every request of a signed-in user (installed after django-otp's OTPMiddleware
and Django's MessageMiddleware; see MIDDLEWARE in settings.py).

- SessionLimitMiddleware: a session older than SESSION_ABSOLUTE_HOURS ends, however busy it
  has been, and the user is sent to log in with a message. (The idle limit is Django's own:
  SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST.)
- TwoFactorMiddleware: a session past the password but not the second factor reaches only the
  two-factor pages and log-out; the API refuses it with JSON. A request to the API with a
  live API token passes (a token is a separate credential; see lockout.py); any other
  Authorization header is refused with 401.
- NoStoreMiddleware: nothing shown to a signed-in user, nor the log-in and two-factor pages,
  may be kept by the browser or a proxy, so Back after log-out shows no data.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from safeguarding.accounts import sessions, twofactor
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record

Handler = Callable[[HttpRequest], HttpResponse]


class SessionLimitMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and sessions.is_past_absolute_limit(request.session):
            audit_record(
                actor=user,
                action=AuditAction.SESSION_ENDED,
                summary=f"Session of {user.username} ended after "
                f"{settings.SESSION_ABSOLUTE_HOURS} hours",
            )
            logout(request)
            messages.info(
                request,
                f"You have been signed out because you signed in more than "
                f"{settings.SESSION_ABSOLUTE_HOURS} hours ago. Sign in again to continue.",
            )
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.path})}")
        return self.get_response(request)


def _two_factor_paths() -> tuple[str, ...]:
    return (
        reverse("accounts:two_factor_verify"),
        reverse("accounts:two_factor_setup"),
        reverse("accounts:logout"),
        # A set-up link, opened by someone past the password but without an app yet.
        reverse("accounts:enrol", args=["-"]).removesuffix("-/"),
        settings.STATIC_URL,
    )


def _is_api(path: str) -> bool:
    """The JSON API, as against the HTML pages that live under /api/ (docs, tokens)."""
    return path.startswith("/api/") and not path.startswith(
        (reverse("api:docs"), reverse("api:tokens"))
    )


class TwoFactorMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            twofactor.required()
            and user.is_authenticated
            and not twofactor.is_verified(request)
            and not request.path.startswith(_two_factor_paths())
        ):
            if _is_api(request.path):
                header = request.META.get("HTTP_AUTHORIZATION")
                if header:
                    # Only a live API token passes, and the API then acts as its account, not
                    # the session's; anything else in the header is refused here (the mere
                    # presence of a header once let the half-signed-in session through).
                    from safeguarding.api.authentication import token_refusal

                    refusal = token_refusal(header)
                    if refusal is None:
                        return self.get_response(request)
                    return JsonResponse(
                        {"detail": refusal}, status=401, headers={"WWW-Authenticate": "Token"}
                    )
                return JsonResponse(
                    {
                        "detail": "Two-factor authentication is not complete for this "
                        "session. Finish signing in, or use an API token."
                    },
                    status=403,
                )
            return redirect(_next_step(request))
        return self.get_response(request)


def _next_step(request: HttpRequest) -> str:
    name = (
        "accounts:two_factor_verify"
        if twofactor.confirmed_app(request.user)  # type: ignore[arg-type]
        else "accounts:two_factor_setup"
    )
    url = reverse(name)
    if request.method == "GET" and request.path != reverse("accounts:login"):
        url += "?" + urlencode({"next": request.get_full_path()})
    return url


class NoStoreMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in_before = request.user.is_authenticated
        response = self.get_response(request)
        match = request.resolver_match
        if (
            signed_in_before
            or request.user.is_authenticated
            or (match is not None and match.app_name == "accounts")
        ):
            add_never_cache_headers(response)
        return response
