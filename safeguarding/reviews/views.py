"""Pages of the review register: thin views over access helpers, services and selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safeguarding.accounts import access
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
from safeguarding.reviews.models import ReviewKind, ReviewPause


def today() -> dt.date:
    return timezone.localdate()


def _model_data(form: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        k: v for k, v in form.cleaned_data.items() if k not in exclude and k in form._meta.fields
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {"today": today()}
    if access.can_user_use_registers(user):
        context["clocks"] = list(selectors.dashboard_clocks(user=user, today=today()))
        context["upcoming"] = list(selectors.upcoming_clocks(user=user, today=today()))
    return render(request, "reviews/dashboard.html", context)


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_user_use_registers(request.user))
    incidents = access.get_incidents_for_user(request.user).select_related("case")
    return render(request, "reviews/incident_list.html", {"incidents": incidents})


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_edit_reviews(user))
    case_form = CaseForm(request.POST or None, partnership=user.partnership, prefix="case")
    form = IncidentForm(request.POST or None, prefix="incident")
    if request.method == "POST" and case_form.is_valid() & form.is_valid():
        case = services.case_create(
            actor=user,
            partnership=user.partnership,
            agencies=case_form.cleaned_data.pop("agencies_involved"),
            **_model_data(case_form, exclude=("agencies_involved",)),
        )
        incident = services.incident_record(
            actor=user, partnership=user.partnership, case=case, **_model_data(form)
        )
        messages.success(request, f"Incident for {case.reference} recorded")
        return redirect("reviews:incident_detail", pk=incident.pk)
    return render(
        request,
        "reviews/incident_form.html",
        {"form": form, "case_form": case_form, "forms": [case_form, form]},
    )


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = access.get_object_for_user(
        access.get_incidents_for_user(request.user).select_related("case"), pk
    )
    reviews = access.get_reviews_for_user(request.user).filter(incident=incident)
    return render(
        request,
        "reviews/incident_detail.html",
        {
            "incident": incident,
            "reviews": reviews,
            "clocks": selectors.clocks_for(subject=incident, today=today()),
            "can_edit": access.can_user_edit_reviews(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_reviews(request.user))
    incident = access.get_object_for_user(access.get_incidents_for_user(request.user), pk)
    form = IncidentForm(request.POST or None, instance=incident)
    if request.method == "POST" and form.is_valid():
        services.incident_update(actor=request.user, incident=incident, **_model_data(form))
        messages.success(request, "Incident updated")
        return redirect("reviews:incident_detail", pk=incident.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {"form": form, "title": f"Change {incident}", "back": incident},
    )


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_user_use_registers(request.user))
    cases = access.get_cases_for_user(request.user).with_age_band()
    return render(request, "reviews/case_list.html", {"cases": cases})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_object_for_user(access.get_cases_for_user(request.user).with_age_band(), pk)
    return render(
        request,
        "reviews/case_detail.html",
        {
            "case": case,
            "agencies": case.agencies_involved.all(),
            "incidents": access.get_incidents_for_user(request.user).filter(case=case),
            "reviews": access.get_reviews_for_user(request.user).filter(case=case),
            "can_edit": access.can_user_edit_reviews(request.user),
            "can_see_identifying": access.can_user_see_identifying(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_reviews(request.user))
    case = access.get_object_for_user(access.get_cases_for_user(request.user), pk)
    form = CaseForm(request.POST or None, instance=case, partnership=request.user.partnership)
    if request.method == "POST" and form.is_valid():
        services.case_update(
            actor=request.user,
            case=case,
            agencies=form.cleaned_data["agencies_involved"],
            **_model_data(form, exclude=("agencies_involved",)),
        )
        messages.success(request, f"Case {case.reference} updated")
        return redirect("reviews:case_detail", pk=case.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {"form": form, "title": f"Change case {case.reference}", "back": case},
    )


@login_required
def case_identity(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_object_for_user(access.get_cases_for_user(request.user), pk)
    access.require(access.can_user_see_identifying(request.user))
    identity = services.case_identity_view(actor=request.user, case=case)
    response = render(request, "reviews/case_identity.html", {"case": case, "identity": identity})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def case_identity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_object_for_user(access.get_cases_for_user(request.user), pk)
    access.require(access.can_user_see_identifying(request.user))
    identity = services.case_identity_view(actor=request.user, case=case)
    form = IdentityForm(request.POST or None, instance=identity)
    if request.method == "POST" and form.is_valid():
        services.case_identity_save(actor=request.user, case=case, **form.cleaned_data)
        messages.success(request, "Identifying details saved")
        return redirect("reviews:case_identity", pk=case.pk)
    response = render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Identifying details of {case.reference}",
            "back": case,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_user_use_registers(request.user))
    kind = request.GET.get("kind") or None
    if kind not in ReviewKind.values:
        kind = None
    reviews = selectors.review_list(user=request.user, kind=kind)
    return render(
        request,
        "reviews/review_list.html",
        {
            "reviews": reviews,
            "kinds": ReviewKind.choices,
            "kind": kind,
            "can_edit": access.can_user_edit_reviews(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_edit_reviews(user))
    form = ReviewForm(request.POST or None, partnership=user.partnership)
    if request.method == "POST" and form.is_valid():
        review = services.review_create(
            actor=user,
            partnership=user.partnership,
            agencies=form.cleaned_data["agencies"],
            **_model_data(form, exclude=("agencies",)),
        )
        messages.success(request, f"{review.title} opened")
        return redirect("reviews:review_detail", pk=review.pk)
    return render(request, "reviews/simple_form.html", {"form": form, "title": "Open a review"})


def _review_for(request: HttpRequest, pk: int) -> Any:
    return access.get_object_for_user(
        access.get_reviews_for_user(request.user).select_related(
            "case", "incident", "parent", "incident__case"
        ),
        pk,
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review_for(request, pk)
    user = request.user
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "chain": selectors.review_chain(review=review, user=user),
            "clocks": selectors.clocks_for(subject=review, today=today()),
            "pauses": review.pauses.all(),
            "signoffs": review.signoffs.select_related("agency"),
            "agencies": review.agencies.all(),
            "can_edit": access.can_user_edit_reviews(user),
            "can_decide": access.can_user_record_decisions(user),
            "can_commission": access.can_user_edit_reviews(user)
            and review.decision in ("cspr", "local_learning")
            and not review.children.exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_reviews(request.user))
    review = _review_for(request, pk)
    form_class = RapidReviewForm if review.is_rapid_review else ReviewEditForm
    form = form_class(request.POST or None, instance=review, partnership=review.partnership)
    if request.method == "POST" and form.is_valid():
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
        {"form": form, "title": f"Change {review.title}", "back": review},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_decision(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_record_decisions(request.user))
    review = _review_for(request, pk)
    access.require(review.is_rapid_review)
    form = DecisionForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        services.review_update(actor=request.user, review=review, **form.cleaned_data)
        messages.success(request, "Decision recorded")
        return redirect("reviews:review_detail", pk=review.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {
            "form": form,
            "title": f"Decision: {review.title}",
            "back": review,
            "intro": "Record the decision against the Regulation 11 criteria (SI 2018/789). Each "
            "statutory partner then signs it off.",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_signoff(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_record_decisions(request.user))
    review = _review_for(request, pk)
    access.require(review.is_rapid_review)
    form = SignoffForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        services.review_signoff(actor=request.user, review=review, **form.cleaned_data)
        messages.success(request, "Sign-off recorded")
        return redirect("reviews:review_detail", pk=review.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {"form": form, "title": f"Sign off: {review.title}", "back": review},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_pause(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_reviews(request.user))
    review = _review_for(request, pk)
    form = PauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.review_pause(actor=request.user, review=review, **form.cleaned_data)
        messages.success(request, "Pause recorded; the due date has moved")
        return redirect("reviews:review_detail", pk=review.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {"form": form, "title": f"Pause {review.title}", "back": review},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_resume(request: HttpRequest, pk: int, pause_pk: int) -> HttpResponse:
    access.require(access.can_user_edit_reviews(request.user))
    review = _review_for(request, pk)
    pause = access.get_object_for_user(
        ReviewPause.objects.filter(review=review, ends_on__isnull=True), pause_pk
    )
    form = ResumeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["ends_on"] < pause.starts_on:
            form.add_error("ends_on", "The date resumed must be on or after the date paused")
        else:
            services.review_resume(actor=request.user, pause=pause, **form.cleaned_data)
            messages.success(request, "Review resumed")
            return redirect("reviews:review_detail", pk=review.pk)
    return render(
        request,
        "reviews/simple_form.html",
        {"form": form, "title": f"Resume {review.title}", "back": review},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_commission(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_reviews(request.user))
    review = _review_for(request, pk)
    access.require(review.decision in ("cspr", "local_learning") and not review.children.exists())
    form = CommissionForm(request.POST or None, initial={"commissioned_on": review.decision_on})
    if request.method == "POST" and form.is_valid():
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
            "back": review,
        },
    )


@login_required
def period_summary(request: HttpRequest) -> HttpResponse:
    access.require(access.can_user_see_period_summary(request.user))
    data = request.GET if "start" in request.GET else None
    form = PeriodForm(data)
    summary = None
    if form.is_bound and form.is_valid():
        summary = selectors.period_summary(
            partnership=request.user.partnership,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
        )
    return render(request, "reviews/period_summary.html", {"form": form, "summary": summary})
