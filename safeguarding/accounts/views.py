"""The partnership's settings (small-number threshold, clocks, age bands, closure days).
Signing in: auth_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguarding.accounts import access, services
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.accounts.bands import uncovered_ages_text
from safeguarding.accounts.forms import (
    AgeBandForm,
    ClockRuleForm,
    ClosureDayForm,
    SmallNumberThresholdForm,
)
from safeguarding.accounts.models import AgeBand
from safeguarding.core.concurrency import VersionForm
from safeguarding.core.forms import posted


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    partnership = access.get_partnership_for_user(request.user)
    # The one setting edited on this page itself: the small-number threshold.
    current = partnership.small_number_threshold  # the form's instance takes what is typed
    form = SmallNumberThresholdForm(posted(request), instance=partnership, request=request)
    if request.method == "POST" and form.is_valid():
        threshold = form.cleaned_data["small_number_threshold"]
        services.partnership_threshold_set(
            actor=request.user, partnership=partnership, small_number_threshold=threshold
        )
        messages.success(
            request,
            f"Small-number threshold saved: reports issued from now on show counts from 1 to "
            f"{threshold} as [c]",
        )
        return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        {
            "form": form,
            "threshold": current,
            "partnership": partnership,
            "rules": partnership.clock_rules.all(),
            "bands": partnership.age_bands.all(),
            # Ages no band covers: warned of, as figures count them outside the bands.
            "uncovered_ages": uncovered_ages_text(
                partnership.age_bands.values_list("min_years", "max_years")
            ),
            "closures": partnership.closures.all(),
            # Retired agencies last: they stay listed, for their history.
            "agencies": partnership.agencies.order_by(
                F("retired_at").asc(nulls_first=True), "-is_statutory_partner", "name"
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def clock_rule_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    partnership = access.get_partnership_for_user(request.user)
    rule = access.get_object_for_user(partnership.clock_rules.all(), pk)
    form = ClockRuleForm(posted(request), instance=rule, request=request)
    if request.method == "POST" and form.is_valid():
        services.clock_rule_update(actor=request.user, rule=rule, **form.cleaned_data)
        messages.success(request, f"{rule.name} clock changed; every due date recalculated")
        return redirect("accounts:settings")
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Change the {rule.name.lower()} clock",
            "back_url": reverse("accounts:settings"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def closure_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    partnership = access.get_partnership_for_user(request.user)
    form = ClosureDayForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        services.closure_day_add(actor=request.user, partnership=partnership, **form.cleaned_data)
        messages.success(request, "Closure day added; every due date recalculated")
        return redirect("accounts:settings")
    return render(
        request,
        "reviews/simple_form.html",
        {"form": form, "title": "Add a closure day", "back_url": reverse("accounts:settings")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def age_band_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    partnership = access.get_partnership_for_user(request.user)
    band = (
        access.get_object_for_user(partnership.age_bands.all(), pk)
        if pk
        else AgeBand(partnership=partnership)
    )
    form = AgeBandForm(posted(request), instance=band, request=request)
    if request.method == "POST" and form.is_valid():
        services.age_band_save(actor=request.user, band=band, **form.cleaned_data)
        messages.success(request, "Age band saved")
        return redirect("accounts:settings")
    return render(
        request,
        "reviews/simple_form.html",
        {"form": form, "title": "Age band", "back_url": reverse("accounts:settings")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def age_band_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    partnership = access.get_partnership_for_user(request.user)
    band = access.get_object_for_user(partnership.age_bands.all(), pk)
    form = VersionForm(posted(request), record=band, request=request)
    if request.method == "POST" and form.is_valid():
        services.age_band_remove(actor=request.user, band=band)
        messages.success(request, f"Age band {band.label} removed")
        return redirect("accounts:settings")
    return render(
        request, "accounts/age_band_remove.html", {"form": form, "forms": [form], "band": band}
    )
