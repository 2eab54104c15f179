"""Forgotten password: the usual emailed link, on Django's password reset views.

- The request page answers every well-formed address the same way: a redirect to the same
  "check your email" page, whether the address belongs to an account, to a switched-off one, to
  none, or the request was throttled. The request does the same work in every case (one lookup,
  one audit row, one task put on the queue); the email itself is sent by the task
  (`send_reset_links`), so with the database queue (production) the time an SMTP conversation
  takes never shows in the response.
- Throttling, with the sign-in lockout's numbers (lockout.py): at most SRH_LOGIN_FAILURE_LIMIT
  requests for one email address, and SRH_LOGIN_ADDRESS_FAILURE_LIMIT from one client address,
  within SRH_LOCKOUT_MINUTES. A throttled request gets the same neutral page (a 429 would say
  nothing about the address either, but the same page gives a script nothing to count) and
  sends nothing; the audit trail records it. The counts live in the shared cache (the database
  cache table), keyed by a keyed hash of the address, never the address itself.
- The link is absolute, built from SRH_SITE_URL (not the request's Host header, which a
  client chooses), and lasts PASSWORD_RESET_TIMEOUT. Django's token changes when the password
  does, and when the person signs in, so a used link never works again.
- Setting the new password does not sign the person in (post_reset_login is off): they sign in
  with it and then the second factor, as always. Their other sessions end (signals.py).
- Audit: each request (against the account it matched, or, for an address that matches none,
  without the address typed) and each password set through a link.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from safeguarding.accounts import lockout
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.core.forms import GovukFormMixin

_SALT = "safeguarding.accounts.password_reset"
STRONG_ENOUGH_HINT = (
    "At least 12 characters. Not a common password, not all numbers, and not like your name "
    "or username."
)


class ResetRequestForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address your partnership's business unit has for you.",
        widget=forms.EmailInput(
            attrs={"autocomplete": "email", "spellcheck": "false", "class": "govuk-input"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        messages = self.fields["email"].error_messages
        messages["required"] = "Enter your email address"
        messages["invalid"] = "Enter an email address in the correct format, like name@example.com"


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    """The new password, twice (Django's password validators, as on the change page)."""

    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": "The two new passwords are not the same",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password1"].help_text = STRONG_ENOUGH_HINT
        for field in self.fields.values():
            field.error_messages["required"] = f"Enter your {str(field.label).lower()}"
            field.widget.attrs.pop("autofocus", None)


# --- Throttling -----------------------------------------------------------------------------


def _bump(key: str, limit: int) -> bool:
    """Count one request in a fixed window of the lockout's length; True when past `limit`.
    (BaseCache.incr would reset the window's expiry on every request.)"""
    window = int(settings.AXES_COOLOFF_TIME.total_seconds())
    now = time.time()
    count, until = cache.get(key) or (0, now + window)
    if until <= now:
        count, until = 0, now + window
    count += 1
    cache.set(key, (count, until), timeout=max(1, int(until - now)))
    return count > limit


def _key(kind: str, value: str) -> str:
    return f"srh-reset:{kind}:" + salted_hmac(_SALT, value, algorithm="sha256").hexdigest()[:32]


def is_throttled(request: HttpRequest, email: str) -> bool:
    """Count this request for its email address and its client address (both, always)."""
    by_email = _bump(_key("email", email.strip().casefold()), settings.AXES_FAILURE_LIMIT)
    ip = lockout.client_ip(request) or "unknown"
    by_ip = _bump(_key("ip", ip), settings.LOGIN_ADDRESS_FAILURE_LIMIT)
    return by_email or by_ip


# --- The request and the email --------------------------------------------------------------


def users_for_email(email: str) -> list[User]:
    """Accounts a link may go to: switched on, with a password, with this address (Django's own
    rule, PasswordResetForm.get_users). A switched-off account gets nothing."""
    model = get_user_model()
    field = model.get_email_field_name()
    found = model._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
    return [u for u in found if u.has_usable_password() and getattr(u, field, "").strip()]


def reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:password_reset_confirm", args=[uid, token])


@task()
def send_reset_links(user_ids: list[int]) -> None:
    """Email each account its reset link (nothing for an empty list: a request that matched
    nobody queues this too, so the two cost the request the same)."""
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        context = {"user": user, "link": reset_link(user), "minutes": minutes}
        send_mail(
            subject=render_to_string("accounts/email/password_reset_subject.txt", context).strip(),
            message=render_to_string("accounts/email/password_reset_body.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """Audit the request and queue the links, unless throttled. Says nothing to the caller
    about whether the address matched."""
    if is_throttled(request, email):
        audit_record(
            actor=None,
            action=AuditAction.PASSWORD_CHANGED,
            summary="Password reset request refused: too many requests for that email address "
            "or from that client address",
            outcome="throttled",
        )
        return
    users = users_for_email(email)
    for user in users:
        audit_record(
            actor=None,
            action=AuditAction.PASSWORD_CHANGED,
            summary=f"Password reset link requested for {user.username}",
            obj=user,
            partnership=user.partnership,
            outcome="requested",
        )
    if not users:
        # The address typed is not recorded: it may be someone's password, or nobody's.
        audit_record(
            actor=None,
            action=AuditAction.PASSWORD_CHANGED,
            summary="Password reset requested for an address that matches no account",
            outcome="no_account",
        )
    send_reset_links.enqueue([u.pk for u in users])


class RequestView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm  # type: ignore[assignment]
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        password_reset_request(request=self.request, email=form.cleaned_data["email"])
        return HttpResponseRedirect(str(self.success_url))


class SentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
            "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        }


class ConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False  # the second factor is never skipped

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        minutes = settings.PASSWORD_RESET_TIMEOUT // 60
        return {**super().get_context_data(**kwargs), "minutes": minutes}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # saves: ends the user's sessions (signals.py)
        user = form.user
        audit_record(
            actor=user,
            action=AuditAction.PASSWORD_CHANGED,
            summary=f"{user.username} set a new password through a reset link",
            obj=user,
            partnership=user.partnership,
        )
        return response


class CompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


request_page = RequestView.as_view()
sent_page = SentView.as_view()
confirm_page = ConfirmView.as_view()
complete_page = CompleteView.as_view()
