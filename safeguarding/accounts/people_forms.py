"""Forms for people (Settings -> People) and the service administrator's partnerships."""

from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.accounts.models import PARTNERSHIP_ROLES, Agency, Partnership, User
from safeguarding.core.forms import GovukForm

ROLE_HINTS = {
    "business_unit": "Everything in the partnership, including identifying details and settings",
    "rag_member": "Reads every review; records decisions and sign-offs",
    "agency_lead": "Reads the incidents, cases and reviews their agency took part in",
    "scrutineer": "Reads everything in the partnership; changes nothing",
    "scrutiny_reader": "Published reports only (small numbers suppressed)",
}


def _role_choices() -> list[tuple[str, str]]:
    return [(str(role.value), str(role.label)) for role in PARTNERSHIP_ROLES]


def agency_choices(partnership: Partnership, keep: Agency | None = None) -> Any:
    """The partnership's agencies a person may be given: not retired (or the one they have)."""
    agencies = Agency.objects.filter(partnership=partnership)
    if keep is not None:
        return agencies.filter(retired_at__isnull=True) | agencies.filter(pk=keep.pk)
    return agencies.filter(retired_at__isnull=True)


class _RoleFields(GovukForm):
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        help_text="Needed for an agency lead: they see only their agency's work",
    )

    def __init__(
        self, *args: Any, partnership: Partnership, keep: Agency | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        agency = self.fields["agency"]
        assert isinstance(role, forms.ChoiceField)
        assert isinstance(agency, forms.ModelChoiceField)
        role.choices = _role_choices()
        agency.queryset = agency_choices(partnership, keep).order_by("name")
        agency.empty_label = "Not an agency lead"
        role.error_messages["required"] = "Select a role"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == "agency_lead" and not data.get("agency"):
            self.add_error("agency", "Select the agency an agency lead works for")
        return data


class InviteForm(_RoleFields):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="Their work address: the invitation goes here, and it is their username",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)

    field_order = ["email", "first_name", "last_name", "role", "agency"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.gov.uk"
        )


class PersonChangeForm(_RoleFields):
    """Role and agency of someone already invited (carries the account's version)."""


class PartnershipCreateForm(GovukForm):
    name = forms.CharField(label="Partnership name", max_length=200)
    slug = forms.SlugField(
        label="Short name",
        max_length=50,
        help_text="Lower-case letters, numbers and hyphens, for example northbrook",
    )
    business_unit_email = forms.EmailField(
        label="Business unit user's email address",
        max_length=254,
        help_text="They are invited by email to manage the partnership: its people, agencies "
        "and settings",
    )
    first_name = forms.CharField(label="Their first name", max_length=150)
    last_name = forms.CharField(label="Their last name", max_length=150)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].error_messages["invalid"] = (
            "Enter a short name of lower-case letters, numbers and hyphens only"
        )
        self.fields["business_unit_email"].error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.gov.uk"
        )


class PartnershipRenameForm(GovukForm):
    name = forms.CharField(label="Partnership name", max_length=200)


class BusinessUnitInviteForm(GovukForm):
    email = forms.EmailField(label="Email address", max_length=254)
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)


def person_label(person: User) -> str:
    return person.get_full_name() or person.email or person.username
