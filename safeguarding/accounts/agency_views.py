"""Settings -> Agencies: the business unit adds, renames and retires the partnership's agencies
and sets which are statutory partners and how large each workforce is. Another partnership's
agency is 404 (access.get_object_for_user)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguarding.accounts import access, services
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.accounts.agencies import agency_active_people
from safeguarding.accounts.forms import AgencyForm
from safeguarding.accounts.models import Agency
from safeguarding.core.concurrency import VersionForm
from safeguarding.core.forms import posted

# Where the agencies table is: the settings page, at its agencies section.
BACK = "accounts:settings"


def _back() -> str:
    return reverse(BACK) + "#agencies"


def _name_taken(form: AgencyForm) -> None:
    """The database's own unique check, when two people add the same name at once."""
    form.add_error("name", "The partnership already has an agency with that name")


@login_required
@require_http_methods(["GET", "POST"])
def agency_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    partnership = access.get_partnership_for_user(request.user)
    form = AgencyForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(
                actor=request.user, partnership=partnership, **form.cleaned_data
            )
        except ValidationError:
            _name_taken(form)
        else:
            messages.success(request, f"Agency {agency.name} added")
            return redirect(_back())
    return render(
        request,
        "reviews/simple_form.html",
        {"form": form, "title": "Add an agency", "back_url": _back()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    partnership = access.get_partnership_for_user(request.user)
    agency = access.get_object_for_user(partnership.agencies.all(), pk)
    form = AgencyForm(posted(request), instance=agency, partnership=partnership, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError:
            _name_taken(form)
        else:
            messages.success(request, f"Agency {agency.name} saved")
            return redirect(_back())
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Change the agency {Agency.objects.get(pk=agency.pk).label}",
            "intro": "Records that name the agency show the new name; its history keeps the old.",
            "back_url": _back(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    partnership = access.get_partnership_for_user(request.user)
    agency = access.get_object_for_user(partnership.agencies.all(), pk)
    form = VersionForm(posted(request), record=agency, request=request)
    people = list(agency_active_people(agency))
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_retire(actor=request.user, agency=agency)
        except ValueError as refused:
            # Someone was switched on, or it was retired, since the page was opened.
            form.add_error(None, str(refused))
            people = list(agency_active_people(agency))
        else:
            messages.success(
                request,
                f"Agency {agency.name} retired: the records that name it keep it, and it is no "
                "longer offered for new records",
            )
            return redirect(_back())
    return render(
        request,
        "accounts/agency_retire.html",
        {"form": form, "forms": [form], "agency": agency, "people": people, "back_url": _back()},
    )
