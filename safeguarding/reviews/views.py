"""Pages of the review register: thin views over access helpers, services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import ModelForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.accounts import access
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.core.dates import today
from safeguarding.core.exports import requested_format
from safeguarding.core.forms import posted, refusals_shown
from safeguarding.imports import exports as list_exports
from safeguarding.reviews import selectors, services
from safeguarding.reviews.forms import (
    CaseForm,
    CommissionForm,
    DecisionForm,
    IdentityForm,
    IncidentForm,
    PauseForm,
    PeriodForm,
    RapidReviewForm,
    ResumeForm,
    ReviewEditForm,
    ReviewForm,
    SignoffForm,
)
from safeguarding.reviews.models import (
    CaseIdentity,
    RapidReviewDecision,
    Review,
    ReviewKind,
    ReviewPause,
)

# Rapid review decisions that lead to a local review the business unit commissions.
FOLLOW_UP_DECISIONS = (RapidReviewDecision.CSPR, RapidReviewDecision.LOCAL_LEARNING)


def _url(name: str, *args: Any) -> str:
    # The form pages' back link; a real address, because the CSP blocks javascript: links.
    return reverse(name, args=args)


def _model_data(form: ModelForm[Any], exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    fields = form._meta.fields or ()
    return {k: v for k, v in form.cleaned_data.items() if k not in exclude and k in fields}


@login_required
@require_safe
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if access.can_user_administer_service(user):  # no partnership's work: their own pages
        return redirect("service:partnerships")
    access.require(access.can_user_see_dashboard(user))
    context: dict[str, Any] = {
        "today": today(),
        "can_see_summary": access.can_user_see_period_summary(user),
    }
    if access.can_user_use_registers(user):
        context["clocks"] = selectors.with_days_overdue(
            selectors.dashboard_clocks(user=user, today=today()), today()
        )
        context["upcoming"] = list(selectors.upcoming_clocks(user=user, today=today()))
    return render(request, "reviews/dashboard.html", context)


@login_required
@require_safe
def incident_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_use_registers(request.user))
    incidents = access.get_incidents_for_user(request.user).select_related("case")
    if fmt := requested_format(request):
        return list_exports.incidents_response(request, incidents, fmt)
    return render(
        request,
        "reviews/incident_list.html",
        {"incidents": incidents, "can_edit": access.can_user_edit_reviews(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_edit_reviews(user))
    partnership = access.get_partnership_for_user(user)
    case_form = CaseForm(posted(request), partnership=partnership, prefix="case")
    form = IncidentForm(posted(request), prefix="incident")
    # `&`, not `and`: both forms are validated so every error shows at once.
    if request.method == "POST" and case_form.is_valid() & form.is_valid():
        # One transaction: an incident refused for its dates leaves no case behind.
        with refusals_shown(case_form, form):
            case = services.case_create(
                actor=user,
                partnership=partnership,
                agencies=case_form.cleaned_data["agencies_involved"],
                **_model_data(case_form, exclude=("agencies_involved",)),
            )
            incident = services.incident_record(
                actor=user, partnership=partnership, case=case, **_model_data(form)
            )
            messages.success(request, f"Incident for {case.reference} recorded")
            return redirect("reviews:incident_detail", pk=incident.pk)
    return render(
        request,
        "reviews/incident_form.html",
        {"form": form, "case_form": case_form, "forms": [case_form, form]},
    )


@login_required
@require_safe
def incident_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    incident = access.get_incident_for_user(user, pk)
    reviews = (
        access.get_reviews_for_user(user).filter(incident=incident).order_by("opened_on", "pk")
    )
    return render(
        request,
        "reviews/incident_detail.html",
        {
            "incident": incident,
            "reviews": reviews,
            "clocks": selectors.with_days_overdue(
                selectors.clocks_for(subject=incident, today=today()), today()
            ),
            "can_edit": access.can_user_edit_reviews(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_reviews(request.user))
    incident = access.get_incident_for_user(request.user, pk)
    form = IncidentForm(posted(request), instance=incident, request=request)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(form):
            services.incident_update(actor=request.user, incident=incident, **_model_data(form))
            messages.success(request, "Incident updated")
            return redirect("reviews:incident_detail", pk=incident.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Change {incident}",
            "back_url": _url("reviews:incident_detail", incident.pk),
        },
    )


@login_required
@require_safe
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_use_registers(request.user))
    cases = access.get_cases_for_user(request.user).with_age_band()
    if fmt := requested_format(request):
        return list_exports.records_response(request, "cases", cases, fmt)
    return render(request, "reviews/case_list.html", {"cases": cases})


@login_required
@require_safe
def case_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = access.get_case_for_user(user, pk)
    return render(
        request,
        "reviews/case_detail.html",
        {
            "case": case,
            "agencies": case.agencies_involved.all(),
            "incidents": access.get_incidents_for_user(user)
            .filter(case=case)
            .select_related("case"),
            # In the order they happened: the rapid review before the review it led to.
            "reviews": access.get_reviews_for_user(user)
            .filter(case=case)
            .order_by("opened_on", "pk"),
            "can_edit": access.can_user_edit_reviews(user),
            "can_see_identifying": access.can_user_see_identifying(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    access.require(access.can_user_edit_reviews(user))
    case = access.get_case_for_user(user, pk)
    form = CaseForm(posted(request), instance=case, partnership=case.partnership, request=request)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(form):
            services.case_update(
                actor=user,
                case=case,
                agencies=form.cleaned_data["agencies_involved"],
                **_model_data(form, exclude=("agencies_involved",)),
            )
            messages.success(request, f"Case {case.reference} updated")
            return redirect("reviews:case_detail", pk=case.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Change case {case.reference}",
            "back_url": _url("reviews:case_detail", case.pk),
        },
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    # Identifying details must not linger in a browser or proxy cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def case_identity(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # 404 before 403: a role that may not see identifying details still must not learn which
    # cases outside its scope exist.
    case = access.get_case_for_user(request.user, pk)
    access.require(access.can_user_see_identifying(request.user))
    identity = services.case_identity_view(actor=request.user, case=case)
    return _no_store(
        render(request, "reviews/case_identity.html", {"case": case, "identity": identity})
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_identity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access.get_case_for_user(request.user, pk)
    access.require(access.can_user_see_identifying(request.user))
    identity = services.case_identity_view(actor=request.user, case=case)
    form = IdentityForm(
        posted(request),
        instance=identity,
        # The details may not be recorded yet: a second editor's first save is a change too.
        record=CaseIdentity.objects.filter(case=case),
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        with refusals_shown(form):
            services.case_identity_save(actor=request.user, case=case, **form.cleaned_data)
            messages.success(request, "Identifying details saved")
            return redirect("reviews:case_identity", pk=case.pk)
    return _no_store(
        render(
            request,
            "reviews/simple_form.html",
            {
                "form": form,
                "title": f"Identifying details of {case.reference}",
                "back_url": _url("reviews:case_detail", case.pk),
            },
        )
    )


@login_required
@require_safe
def review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_use_registers(request.user))
    kind = request.GET.get("kind") or None
    if kind not in ReviewKind.values:
        kind = None
    if fmt := requested_format(request):
        listed = selectors.review_list(user=request.user, kind=kind)
        return list_exports.records_response(
            request, "reviews", listed.prefetch_related("agencies"), fmt
        )
    reviews = list(selectors.review_list(user=request.user, kind=kind))
    # Link a review's rapid review only where the user may open it (an agency lead may take
    # part in a CSPR without having taken part in the rapid review before it).
    parent_ids = {r.parent_id for r in reviews if r.parent_id}
    visible_parents = (
        set(
            access.get_reviews_for_user(request.user)
            .filter(pk__in=parent_ids)
            .values_list("pk", flat=True)
        )
        if parent_ids
        else set()
    )
    return render(
        request,
        "reviews/review_list.html",
        {
            "reviews": reviews,
            "visible_parents": visible_parents,
            "kinds": ReviewKind.choices,
            "kind": kind,
            "can_edit": access.can_user_edit_reviews(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_edit_reviews(user))
    partnership = access.get_partnership_for_user(user)
    form = ReviewForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(form):
            review = services.review_create(
                actor=user,
                partnership=partnership,
                agencies=form.cleaned_data["agencies"],
                **_model_data(form, exclude=("agencies",)),
            )
            messages.success(request, f"{review.title} opened")
            return redirect("reviews:review_detail", pk=review.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {"form": form, "title": "Open a review", "back_url": _url("reviews:review_list")},
    )


def _can_commission(user: access.AnyUser, review: Review) -> bool:
    return (
        access.can_user_edit_reviews(user)
        and review.decision in FOLLOW_UP_DECISIONS
        and not review.children.exists()
    )


@login_required
@require_safe
def review_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    review = access.get_review_for_user(user, pk)
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "chain": selectors.review_chain(review=review, user=user),
            "clocks": selectors.with_days_overdue(
                selectors.clocks_for(subject=review, today=today()), today()
            ),
            "pauses": review.pauses.all(),
            "signoffs": review.signoffs.select_related("agency"),
            "agencies": review.agencies.all(),
            "can_edit": access.can_user_edit_reviews(user),
            "can_decide": access.can_user_record_decisions(user),
            "can_commission": _can_commission(user, review),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_reviews(request.user))
    review = access.get_review_for_user(request.user, pk)
    form_class = RapidReviewForm if review.is_rapid_review else ReviewEditForm
    form = form_class(
        posted(request), instance=review, partnership=review.partnership, request=request
    )
    if request.method == "POST" and form.is_valid():
        with refusals_shown(form):
            services.review_update(
                actor=request.user,
                review=review,
                agencies=form.cleaned_data["agencies"],
                **_model_data(form, exclude=("agencies",)),
            )
            messages.success(request, f"{review.title} updated")
            return redirect("reviews:review_detail", pk=review.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Change {review.title}",
            "back_url": _url("reviews:review_detail", review.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_decision(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_record_decisions(request.user))
    review = access.get_review_for_user(request.user, pk)
    access.require(review.is_rapid_review)
    form = DecisionForm(posted(request), instance=review, request=request)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(form):
            services.review_update(actor=request.user, review=review, **form.cleaned_data)
            messages.success(request, "Decision recorded")
            return redirect("reviews:review_detail", pk=review.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Decision: {review.title}",
            "back_url": _url("reviews:review_detail", review.pk),
            "intro": "Record the decision against the Regulation 11 criteria (SI 2018/789). Each "
            "statutory partner then signs it off.",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_signoff(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_record_decisions(request.user))
    review = access.get_review_for_user(request.user, pk)
    access.require(review.is_rapid_review)
    form = SignoffForm(posted(request), review=review)
    if request.method == "POST" and form.is_valid():
        with refusals_shown(form):
            services.review_signoff(actor=request.user, review=review, **form.cleaned_data)
            messages.success(request, "Sign-off recorded")
            return redirect("reviews:review_detail", pk=review.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Sign off: {review.title}",
            "back_url": _url("reviews:review_detail", review.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_pause(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_reviews(request.user))
    review = access.get_review_for_user(request.user, pk)
    form = PauseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if not selectors.clocks_for(subject=review, today=today()).exists():
            # An audit, say: no clock runs, so a pause would change nothing.
            form.add_error(None, "This review has no clock, so there is nothing to pause")
        else:
            with refusals_shown(form):
                services.review_pause(actor=request.user, review=review, **form.cleaned_data)
                messages.success(request, "Pause recorded; the due date has moved")
                return redirect("reviews:review_detail", pk=review.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Pause {review.title}",
            "back_url": _url("reviews:review_detail", review.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_resume(request: AuthenticatedHttpRequest, pk: int, pause_pk: int) -> HttpResponse:
    access.require(access.can_user_edit_reviews(request.user))
    review = access.get_review_for_user(request.user, pk)
    pause = access.get_object_for_user(ReviewPause.objects.filter(review=review), pause_pk)
    # Only an open pause is resumed; one resumed meanwhile by someone else is a conflict.
    access.require(pause.ends_on is None or request.method == "POST")
    form = ResumeForm(posted(request), record=pause, request=request)
    if request.method == "POST" and form.is_valid():
        if pause.ends_on is not None:
            form.add_error(None, "This pause has already ended")
        else:
            with refusals_shown(form):
                services.review_resume(actor=request.user, pause=pause, **form.cleaned_data)
                messages.success(request, "Review resumed")
                return redirect("reviews:review_detail", pk=review.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Resume {review.title}",
            "back_url": _url("reviews:review_detail", review.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_commission(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_reviews(request.user))
    review = access.get_review_for_user(request.user, pk)
    access.require(_can_commission(request.user, review))
    form = CommissionForm(posted(request), initial={"commissioned_on": review.decision_on})
    if request.method == "POST" and form.is_valid():
        with refusals_shown(form):
            follow_up = services.review_commission_follow_up(
                actor=request.user, rapid_review=review, **form.cleaned_data
            )
            messages.success(request, f"{follow_up.title} commissioned")
            return redirect("reviews:review_detail", pk=follow_up.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Commission the review decided on: {review.title}",
            "back_url": _url("reviews:review_detail", review.pk),
        },
    )


@login_required
@require_safe
def period_summary(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_see_period_summary(request.user))
    partnership = access.get_partnership_for_user(request.user)
    data = request.GET if "start" in request.GET else None
    form = PeriodForm(data)
    summary = None
    if form.is_bound and form.is_valid():
        summary = selectors.period_summary(
            partnership=partnership,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            user=request.user,
        )
    return render(request, "reviews/period_summary.html", {"form": form, "summary": summary})
