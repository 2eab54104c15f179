"""The retention page: the schedule (editable), what is due in the next 90 days, legal holds.

Business unit only: other roles get 403; another partnership's holds are a 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safeguarding.accounts import access
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.core import dates
from safeguarding.core.forms import posted
from safeguarding.records import services
from safeguarding.records.forms import HoldLiftForm, HoldPlaceForm, ScheduleForm
from safeguarding.records.models import LegalHold
from safeguarding.records.retention import due_items

LOOK_AHEAD_DAYS = 90


@login_required
@require_http_methods(["GET", "POST"])
def retention(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    partnership = access.get_partnership_for_user(request.user)
    rules = services.retention_rules_install_defaults(partnership=partnership)
    form = ScheduleForm(
        posted(request),
        rules=rules,
        record=partnership.retention_rules.all(),
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        changed = form.changed_periods()
        for rule, years in changed:
            services.retention_rule_update(actor=request.user, rule=rule, years=years)
        messages.success(
            request,
            f"Retention schedule saved: {len(changed)} period{'s' if len(changed) != 1 else ''} "
            "changed",
        )
        return redirect("records:retention")
    today = dates.today()
    horizon = today + dt.timedelta(days=LOOK_AHEAD_DAYS)
    holds = LegalHold.objects.filter(partnership=partnership).select_related(
        "case", "review", "placed_by", "lifted_by"
    )
    return render(
        request,
        "records/retention.html",
        {
            "partnership": partnership,
            "form": form,
            "rules": rules,
            "due": due_items(partnership, on_or_before=horizon),
            "today": today,
            "horizon": horizon,
            "look_ahead_days": LOOK_AHEAD_DAYS,
            "active_holds": [h for h in holds if h.is_active],
            "lifted_holds": [h for h in holds if not h.is_active][:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def hold_place(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    partnership = access.get_partnership_for_user(request.user)
    form = HoldPlaceForm(
        posted(request),
        cases=access.get_cases_for_user(request.user).order_by("reference"),
        reviews=access.get_reviews_for_user(request.user).order_by("title"),
    )
    if request.method == "POST" and form.is_valid():
        hold = services.legal_hold_place(
            actor=request.user,
            partnership=partnership,
            case=form.cleaned_data["case"],
            review=form.cleaned_data["review"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, f"Legal hold placed on {hold.subject}")
        return redirect("records:retention")
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": "Place a legal hold",
            "intro": "Nothing under a held case or review is disposed of until the hold is "
            "lifted. A hold on a review also keeps its case.",
            "back_url": reverse("records:retention"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def hold_lift(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_manage_partnership(request.user))
    partnership = access.get_partnership_for_user(request.user)
    hold = access.get_object_for_user(
        LegalHold.objects.active().filter(partnership=partnership), pk
    )
    form = HoldLiftForm(posted(request), record=hold, request=request)
    if request.method == "POST" and form.is_valid():
        services.legal_hold_lift(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])
        messages.success(request, f"Legal hold on {hold.subject} lifted")
        return redirect("records:retention")
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Lift the legal hold on {hold.subject}",
            "intro": "Once lifted, its records follow the retention schedule again: anything "
            "already past its period is disposed of at the next daily run.",
            "back_url": reverse("records:retention"),
        },
    )
