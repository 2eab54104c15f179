from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from safeguarding.accounts.models import AgeBand, ClosureDay, Partnership
from safeguarding.core.forms import GovukFormMixin, GovukModelForm
from safeguarding.core.models import ClockRule


class LoginForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account has been switched off",
    }


class ClockRuleForm(GovukModelForm):
    class Meta:
        model = ClockRule
        fields = ["name", "start_event", "length", "unit", "due_soon_working_days", "guidance"]
        widgets = {"start_event": forms.RadioSelect, "unit": forms.RadioSelect}
        labels = {"start_event": "The clock starts on", "length": "Length"}


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
