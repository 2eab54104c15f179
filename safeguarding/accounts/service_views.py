"""The service administrator's pages (/service/): create, rename and close partnerships, and
invite each partnership's business unit users. A service administrator belongs to no
partnership, so every page that shows a child's record is closed to them (accounts/access);
these pages show partnerships and their business unit accounts only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.accounts import access, people
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.accounts.models import Partnership, Role, User
from safeguarding.accounts.people_forms import (
    BusinessUnitInviteForm,
    PartnershipCreateForm,
    PartnershipRenameForm,
)
from safeguarding.accounts.people_views import _with_app, run_action, status_of
from safeguarding.core.concurrency import VersionForm
from safeguarding.core.forms import posted


def _administering(request: AuthenticatedHttpRequest) -> None:
    access.require(access.can_user_administer_service(request.user))


def _partnership(pk: int) -> Partnership:
    return access.get_object_for_user(Partnership.objects.all(), pk)


def _business_unit(partnership: Partnership) -> list[User]:
    return list(
        User.objects.filter(
            partnership=partnership, role=Role.BUSINESS_UNIT, system_account__isnull=True
        ).order_by("-is_active", "last_name", "username")
    )


@login_required
@require_safe
def partnership_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _administering(request)
    partnerships = Partnership.objects.annotate(
        active_people=Count(
            "users", filter=Q(users__is_active=True, users__system_account__isnull=True)
        )
    ).order_by("closed_at", "name")
    return render(request, "service/partnerships.html", {"partnerships": partnerships})


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _administering(request)
    form = PartnershipCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = people.partnership_set_up(actor=request.user, **data)
        except people.PeopleError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(
                request,
                f"{invitation.user.partnership} created. An invitation was emailed to "
                f"{invitation.user.email}",
            )
            return redirect("service:partnership_detail", invitation.user.partnership_id)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": "Create a partnership",
            "intro": "The partnership starts with the default statutory clocks and age bands. "
            "Its first business unit user is invited by email and sets up everything else: "
            "agencies, people and settings.",
            "back_url": reverse("service:partnerships"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The partnership, its business unit users, and renaming it (the page's form)."""
    _administering(request)
    partnership = _partnership(pk)
    form = PartnershipRenameForm(
        posted(request), record=partnership, request=request, initial={"name": partnership.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            people.partnership_rename(
                actor=request.user, partnership=partnership, name=form.cleaned_data["name"]
            )
        except people.PeopleError as refused:
            form.add_error("name", refused.message)
        else:
            messages.success(request, f"Partnership renamed {partnership.name}")
            return redirect("service:partnership_detail", partnership.pk)
    unit = _business_unit(partnership)
    with_app = _with_app(unit)
    return render(
        request,
        "service/partnership.html",
        {
            "partnership": partnership,
            "form": form,
            "unit": [(p, status_of(p, with_app)) for p in unit],
            "people_count": User.objects.filter(
                partnership=partnership, is_active=True, system_account__isnull=True
            ).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_unit_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _administering(request)
    partnership = _partnership(pk)
    form = BusinessUnitInviteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = people.person_invite(
                actor=request.user,
                partnership=partnership,
                role=Role.BUSINESS_UNIT,
                **form.cleaned_data,
            )
        except people.PeopleError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, f"Invitation sent to {invitation.user.email}")
            return redirect("service:partnership_detail", partnership.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Invite a business unit user to {partnership}",
            "intro": "They manage the partnership: its people, agencies, settings and records.",
            "back_url": reverse("service:partnership_detail", args=[partnership.pk]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_unit_action(
    request: AuthenticatedHttpRequest, pk: int, user_pk: int, action: str
) -> HttpResponse:
    """A new invitation, or a second-factor reset, for a business unit user (when the
    partnership's only business unit user has lost their phone, nobody else can)."""
    _administering(request)
    partnership = _partnership(pk)
    person = access.get_object_for_user(
        User.objects.filter(
            partnership=partnership, role=Role.BUSINESS_UNIT, system_account__isnull=True
        ),
        user_pk,
    )
    wanted = "reset-two-factor" if person.has_usable_password() else "resend-invitation"
    access.require(action in ("reset-two-factor", "resend-invitation"))
    url = reverse("service:partnership_detail", args=[partnership.pk])
    if action != wanted or not person.is_active:
        messages.info(request, "That does not apply to this account now")
        return redirect(url)
    return run_action(request, person, action, back_url=url, done_url=url)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _administering(request)
    partnership = _partnership(pk)
    form = VersionForm(posted(request), record=partnership, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            count = people.partnership_close(actor=request.user, partnership=partnership)
        except people.PeopleError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, f"{partnership} is closed: {count} account(s) switched off")
            return redirect("service:partnerships")
    return render(
        request,
        "service/partnership_close.html",
        {"form": form, "forms": [form], "partnership": partnership},
    )
