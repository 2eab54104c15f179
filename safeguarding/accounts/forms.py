from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.validators import MinValueValidator

from safeguarding.accounts.models import AgeBand, Agency, ClosureDay, Partnership
from safeguarding.core.forms import GovukFormMixin, GovukModelForm
from safeguarding.core.models import ClockKey, ClockRule, StartEvent


class LoginForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account has been switched off",
    }


class CodeForm(GovukFormMixin, forms.Form):
    """A code from the authenticator app (or, on the verify page, a recovery code)."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-10",
            }
        ),
    )

    def __init__(self, *args: Any, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = help_text

    def refuse(self, message: str) -> None:
        self.add_error("code", message)


class ChangePasswordForm(GovukFormMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right. Enter it again",
        "password_mismatch": "The two new passwords are not the same",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password1"].help_text = (
            "At least 12 characters. Not a common password, not all numbers, and not like "
            "your name or username."
        )
        for field in self.fields.values():
            field.error_messages["required"] = f"Enter your {str(field.label).lower()}"
        self.fields["old_password"].widget.attrs.pop("autofocus", None)


class ConfirmPasswordForm(GovukFormMixin, forms.Form):
    """The user's current password, asked again before a lasting change to their sign-in
    (new recovery codes): a session alone, stolen or left open at a desk, is not enough."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(
            attrs={
                "autocomplete": "current-password",
                "class": "govuk-input govuk-!-width-one-half",
            }
        ),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "Your password is not right. Enter it again", code="password_incorrect"
            )
        return password


class ChoosePasswordForm(GovukFormMixin, SetPasswordForm):
    """An invited person's first password (Django's password validators, as on the change
    page)."""

    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": "The two passwords are not the same",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Password"
        self.fields["new_password2"].label = "Password again"
        self.fields["new_password1"].help_text = (
            "At least 12 characters. Not a common password, not all numbers, and not like "
            "your name or username."
        )
        for field in self.fields.values():
            field.error_messages["required"] = f"Enter your {str(field.label).lower()}"
            field.widget.attrs.pop("autofocus", None)


# The events each clock can start from: the ones its records have. Only the rapid review's is
# a real choice (Working Together 2018 counts from the local authority becoming aware; some
# partnerships count from the notification); a clock with one start is not asked.
START_EVENTS = {
    ClockKey.NOTIFICATION: [StartEvent.LA_AWARE],
    ClockKey.RAPID_REVIEW: [StartEvent.LA_AWARE, StartEvent.NOTIFICATION_SENT],
    ClockKey.CSPR: [StartEvent.COMMISSIONED, StartEvent.OPENED],
    ClockKey.LOCAL_REVIEW: [StartEvent.OPENED, StartEvent.COMMISSIONED],
    ClockKey.ESCALATION_STAGE: [StartEvent.STAGE_ENTERED],
    ClockKey.ACTION: [StartEvent.ACTION_AGREED],
}


class ClockRuleForm(GovukModelForm):
    class Meta:
        model = ClockRule
        fields = ["name", "start_event", "length", "unit", "due_soon_working_days", "guidance"]
        widgets = {"start_event": forms.RadioSelect, "unit": forms.RadioSelect}
        labels = {"start_event": "The clock starts on", "length": "Length"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        starts = START_EVENTS.get(ClockKey(self.instance.key), list(StartEvent))
        if len(starts) == 1:
            del self.fields["start_event"]
            return
        field = self.fields["start_event"]
        if isinstance(field, forms.ChoiceField):
            field.choices = [(s.value, s.label) for s in starts]
            field.error_messages["invalid_choice"] = "Select when the clock starts"


class ClosureDayForm(GovukModelForm):
    class Meta:
        model = ClosureDay
        fields = ["date", "reason"]

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        self.partnership = partnership
        super().__init__(*args, **kwargs)

    def clean_date(self) -> dt.date:
        date = self.cleaned_data["date"]
        if ClosureDay.objects.filter(partnership=self.partnership, date=date).exists():
            raise forms.ValidationError("That day is already a closure day")
        return date


class AgeBandForm(GovukModelForm):
    class Meta:
        model = AgeBand
        fields = ["label", "min_years", "max_years"]
        labels = {"min_years": "From age (years)", "max_years": "To age (years)"}
        help_texts = {"max_years": "Leave blank for no upper limit."}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_years"), data.get("max_years")
        if low is not None and high is not None and high < low:
            self.add_error("max_years", "The upper age must be the same as or above the lower age")
            return data
        others = AgeBand.objects.filter(partnership=self.instance.partnership).exclude(
            pk=self.instance.pk
        )
        label = data.get("label")
        if label and others.filter(label__iexact=label).exists():
            self.add_error("label", "Another age band already has that label")
        if low is None:
            return data
        for band in others:
            # Each age belongs to one band: otherwise which band a child counts in is a guess.
            if low <= (band.max_years if band.max_years is not None else low) and (
                high is None or high >= band.min_years
            ):
                ages = (
                    f"{band.min_years} to {band.max_years}"
                    if band.max_years is not None
                    else f"{band.min_years} and over"
                )
                self.add_error(
                    "min_years",
                    f"These ages overlap the band {band.label} (ages {ages}): change or remove "
                    "that band first",
                )
                break
        return data


THRESHOLD_BELOW_ONE = (
    "The small-number threshold must be 1 or more: published reports always show counts "
    "from 1 upwards as [c]"
)


class SmallNumberThresholdForm(GovukModelForm):
    """The partnership's small-number threshold (published reports show 1 to it as [c])."""

    class Meta:
        model = Partnership
        fields = ["small_number_threshold"]
        labels = {"small_number_threshold": "Small-number threshold"}
        help_texts = {
            "small_number_threshold": "Published reports and learning briefs show each count "
            "from 1 to this number as [c], and any figure from which one could be worked out. "
            "0 is always shown. The default is 5; it cannot be less than 1."
        }
        error_messages = {
            "small_number_threshold": {"invalid": "Enter the threshold as a whole number, like 5"}
        }

    version_record_name = "setting"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["small_number_threshold"]
        field.widget.attrs.update(
            {"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}
        )
        # Below 1 gets our message, not Django's "greater than or equal to 0".
        field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator)]
        field.widget.attrs.pop("min", None)

    def clean_small_number_threshold(self) -> int:
        value = self.cleaned_data["small_number_threshold"]
        if value is None or value < 1:
            raise forms.ValidationError(THRESHOLD_BELOW_ONE)
        return int(value)


class AgencyForm(GovukModelForm):
    """An agency of the partnership: its names, whether it is a statutory partner, and the
    workforce the reach and sessions-needed figures count (safeguarding/dissemination)."""

    class Meta:
        model = Agency
        fields = ["name", "short_name", "is_statutory_partner", "workforce_size"]
        labels = {
            "name": "Name",
            "short_name": "Short name (optional)",
            "is_statutory_partner": "One of the partnership's statutory safeguarding partners",
            "workforce_size": "Workforce size",
        }
        help_texts = {
            "short_name": 'Used in tables and spreadsheets, for example "Police" or "ICB".',
            "is_statutory_partner": "The local authority, the police and the integrated care "
            "board. Statutory partners sign off rapid review decisions.",
            "workforce_size": "How many staff the agency's learning has to reach. The reach "
            "figures and the sessions needed are worked out from it.",
        }
        error_messages = {
            "workforce_size": {
                "invalid": "Enter the workforce size as a whole number, like 900",
                "min_value": "The workforce size must be 0 or more",
            }
        }

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        self.partnership = partnership
        super().__init__(*args, **kwargs)
        self.fields["workforce_size"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}
        )
        self.fields["short_name"].widget.attrs.update(
            {"class": "govuk-input govuk-input--width-10"}
        )

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        others = Agency.objects.filter(partnership=self.partnership).exclude(pk=self.instance.pk)
        same = others.filter(name__iexact=name).first()
        if same is not None:
            retired = " (retired)" if same.retired_at else ""
            raise forms.ValidationError(
                f"The partnership already has an agency called {same.name}{retired}: "
                "choose another name",
                code="unique",
            )
        return name
