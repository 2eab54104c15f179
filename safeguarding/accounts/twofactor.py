"""Two-factor authentication: a TOTP authenticator app (django-otp), with single-use recovery
codes (django-otp's static device) for when the phone is lost.

Only the pages in safeguarding/accounts/auth_views.py call these. A code, key or recovery
code is never logged or written to the audit trail. Who may set up an app at all is decided by
safeguarding/accounts/enrolment.py (a grant from a one-time link).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts import oidc
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# The unconfirmed device whose key this session was shown: the only one it may confirm.
SESSION_PENDING_DEVICE = "srh_pending_device"


def required() -> bool:
    return bool(settings.TWO_FACTOR)


def is_verified(request: HttpRequest) -> bool:
    """Signed in and past the second factor (or two-factor is off)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if not required():
        return True
    # Or the organisation's single sign-on, whose provider said multi-factor (oidc.py).
    return bool(getattr(user, "otp_device", None)) or oidc.provider_mfa_verified(request)


def confirmed_app(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_app_new(request: HttpRequest, user: User) -> TOTPDevice:
    """A new key for this visit of the set-up page, remembered in this session only. Any key
    shown before (in this session or another) stops working: a key someone else saw can never
    be the one confirmed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    request.session[SESSION_PENDING_DEVICE] = device.pk
    return device


def pending_app(request: HttpRequest, user: User) -> TOTPDevice | None:
    """The unconfirmed device whose key this session was shown, if it is still there."""
    pk = request.session.get(SESSION_PENDING_DEVICE)
    if pk is None:
        return None
    return TOTPDevice.objects.filter(pk=pk, user=user, confirmed=False).first()


def secret_text(device: TOTPDevice) -> str:
    """The key as an app asks for it: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI (allowed by the CSP's img-src)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


def _session_verified(request: HttpRequest, device: TOTPDevice | StaticDevice) -> None:
    """Mark the session as past the second factor, under a new session key."""
    request.session.cycle_key()
    otp_login(request, device)


@dataclass
class CodeCheck:
    ok: bool
    recovery_codes_left: int | None = None  # set when a recovery code was used


def _looks_like_app_code(code: str) -> bool:
    return code.isdigit() and len(code) == 6


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@transaction.atomic
def confirm_app(request: HttpRequest, user: User, code: str) -> list[str] | None:
    """Confirm the device whose key this session was shown with a code from the app. On
    success: the device is confirmed, the session verified, and new recovery codes returned (to
    show once)."""
    pk = request.session.get(SESSION_PENDING_DEVICE)
    device = (
        TOTPDevice.objects.select_for_update().filter(pk=pk, user=user, confirmed=False).first()
        if pk is not None
        else None
    )
    code = normalise(code)
    if device is None or not _looks_like_app_code(code) or not device.verify_token(code):
        audit_record(
            actor=user,
            action=AuditAction.TWO_FACTOR,
            summary=f"{user.username}: authenticator app set-up code refused",
            outcome="failed",
        )
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    request.session.pop(SESSION_PENDING_DEVICE, None)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    _session_verified(request, device)
    audit_record(
        actor=user,
        action=AuditAction.TWO_FACTOR,
        summary=f"{user.username} set up an authenticator app",
    )
    return make_recovery_codes(user, reason="first set-up")


@transaction.atomic
def verify(request: HttpRequest, user: User, code: str) -> CodeCheck:
    """Check a code from the app, or a recovery code (used up by checking it)."""
    code = normalise(code)
    if _looks_like_app_code(code):
        app = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        # verify_token refuses a time step at or before the last one used (no replay).
        if app is not None and app.verify_token(code):
            _session_verified(request, app)
            audit_record(
                actor=user,
                action=AuditAction.TWO_FACTOR,
                summary=f"{user.username} verified with the authenticator app",
            )
            return CodeCheck(ok=True)
    elif code:
        recovery = StaticDevice.objects.select_for_update().filter(user=user).first()
        if recovery is not None and recovery.verify_token(code):
            left = recovery.token_set.count()
            _session_verified(request, recovery)
            audit_record(
                actor=user,
                action=AuditAction.TWO_FACTOR,
                summary=f"{user.username} signed in with a recovery code ({left} left)",
            )
            return CodeCheck(ok=True, recovery_codes_left=left)
    audit_record(
        actor=user,
        action=AuditAction.TWO_FACTOR,
        summary=f"{user.username}: two-factor code refused",
        outcome="failed",
    )
    return CodeCheck(ok=False)


@transaction.atomic
def make_recovery_codes(user: User, *, reason: str = "made new") -> list[str]:
    """Replace the user's recovery codes with new ones; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    audit_record(
        actor=user,
        action=AuditAction.TWO_FACTOR,
        summary=f"{user.username}: {len(codes)} recovery codes made ({reason})",
    )
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def show(code: str) -> str:
    """A recovery code as shown: two groups of four (typed with or without the space)."""
    return f"{code[:4]} {code[4:]}"


def _forget_device_on_new_login(
    sender: object, request: HttpRequest, user: User, **_: object
) -> None:
    # A fresh password log-in always needs the second factor again (and a single sign-on
    # gives the provider's marker afresh, after this: sso_views.py).
    if request is not None and hasattr(request, "session"):
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        request.session.pop(oidc.SESSION_PROVIDER_MFA, None)


user_logged_in.connect(_forget_device_on_new_login, dispatch_uid="srh_forget_otp_device")
