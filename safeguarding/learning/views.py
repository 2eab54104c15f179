"""Pages for findings, the cross-cutting analysis and its exports, search and responses.
Thin views: an access helper, a service or selector, a response. Theme pages are in
`views_themes.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguarding.accounts import access
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.core.exports import requested_format
from safeguarding.core.query import is_id, query_id, query_ids
from safeguarding.imports import exports as list_exports
from safeguarding.learning import exports, selectors, services
from safeguarding.learning.analysis import Scope, theme_analysis
from safeguarding.learning.forms import (
    MAX_ROWS,
    MORE_ROWS,
    AnalysisForm,
    CommentForm,
    FindingForm,
    FindingSearchForm,
    ResponseForm,
    WithdrawForm,
    quick_entry_formset,
)
from safeguarding.learning.models import ThemeResponse
from safeguarding.learning.services import FindingError, FindingInput
from safeguarding.reviews.models import ReviewKind


def _default_period() -> tuple[dt.date, dt.date]:
    """The last two reporting years up to today: what a report to scrutiny usually covers."""
    today = timezone.localdate()
    return today - relativedelta(years=2) + dt.timedelta(days=1), today


def _suppress_upto(user: Any) -> int:
    """Aggregate-only readers would see counts from 1 to the partnership's threshold suppressed
    (primary suppression only). Since no aggregate-only role may open the analysis (live
    figures are the working roles'), this is a second line of defence, not the rule."""
    if getattr(user, "role", None) in access.AGGREGATE_ONLY and user.partnership:
        return int(user.partnership.small_number_threshold)
    return 0


def _analysis_request(request: HttpRequest) -> tuple[AnalysisForm, Scope | None]:
    partnership = access.get_partnership_for_user(request.user)
    if "start" in request.GET:
        form = AnalysisForm(request.GET, partnership=partnership)
    else:
        start, end = _default_period()
        form = AnalysisForm({"start": start, "end": end}, partnership=partnership)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    scope = Scope(
        partnership=partnership,
        start=data["start"],
        end=data["end"],
        review_kinds=tuple(data["review_kinds"]),
        agency_ids=tuple(a.pk for a in data["agencies"]),
        # An agency lead's figures count only the reviews they may open (themes, pairs, year
        # on year and the matrix alike): a one-day period would otherwise name the theme of a
        # review of another agency.
        reviews=access.get_reviews_for_user(request.user)
        if access.are_live_figures_scoped(request.user)
        else None,
    )
    return form, scope


def _findings_query(scope: Scope) -> str:
    params: list[tuple[str, Any]] = [("start", scope.start), ("end", scope.end)]
    params += [("review_kind", k) for k in scope.review_kinds]
    params += [("agency", a) for a in scope.agency_ids]
    return urlencode(params)


@login_required
@require_safe
def analysis(request: HttpRequest) -> HttpResponse:
    access.require(access.can_user_see_theme_analysis(request.user))
    form, scope = _analysis_request(request)
    detail = access.can_user_read_findings(request.user)
    result = theme_analysis(scope, with_matrix=detail) if scope else None
    return render(
        request,
        "learning/analysis.html",
        {
            "form": form,
            "error_forms": [form],
            "analysis": result,
            "detail": detail,
            "suppress_upto": _suppress_upto(request.user),
            "findings_query": _findings_query(scope) if scope else "",
            "export_query": request.GET.urlencode() if scope else "",
            "responses": selectors.responses_for(
                user=request.user, start=scope.start, end=scope.end
            )
            if scope
            else {},
            "can_respond": access.can_user_respond_to_learning(request.user),
            "kinds": dict(ReviewKind.choices),
        },
    )


def _export_response(request: HttpRequest, content: Any, filename: str, kind: str) -> HttpResponse:
    content_type = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[kind]
    audit_record(actor=request.user, action=AuditAction.EXPORT, summary=f"Exported {filename}")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def analysis_export(request: HttpRequest, what: str, fmt: str) -> HttpResponse:
    access.require(access.can_user_see_theme_analysis(request.user))
    detail = access.can_user_read_findings(request.user)
    if what == "matrix":
        access.require(detail)
    form, scope = _analysis_request(request)
    if scope is None:
        return redirect(f"{reverse('learning:analysis')}?{request.GET.urlencode()}")
    result = theme_analysis(scope, with_matrix=detail)
    upto = _suppress_upto(request.user)
    stem = f"themes-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}"
    sheets = {"Themes": exports.theme_rows(result, upto)}
    if what == "matrix":
        sheets = {"Matrix": exports.matrix_rows(result)}
        stem = f"theme-matrix-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}"
    elif fmt == "xlsx":
        sheets["Found together"] = exports.pair_rows(result, upto)
        sheets["Year on year"] = exports.trend_rows(result, upto)
        if detail:
            sheets["Matrix"] = exports.matrix_rows(result)
    if fmt == "csv":
        return _export_response(
            request, exports.as_csv(next(iter(sheets.values()))), f"{stem}.csv", "csv"
        )
    return _export_response(request, exports.as_xlsx(sheets), f"{stem}.xlsx", "xlsx")


def _int(value: str | None) -> int | None:
    return int(value) if value and is_id(value) else None


@login_required
@require_safe
def finding_list(request: HttpRequest) -> HttpResponse:
    """Search and the findings behind every count of the analysis."""
    access.require(access.can_user_read_findings(request.user))
    partnership = access.get_partnership_for_user(request.user)
    form = FindingSearchForm(request.GET or None, partnership=partnership)
    get = request.GET
    filters = selectors.FindingFilter(
        review_kinds=tuple(k for k in get.getlist("review_kind") if k in ReviewKind.values),
        review_id=query_id(get, "review"),
        co_theme_id=query_id(get, "co_theme"),
    )
    valid = form.is_valid() if form.is_bound else True
    if form.is_bound and valid:
        data = form.cleaned_data
        agency_ids = query_ids(get, "agency")
        filters = selectors.FindingFilter(
            words=data["q"],
            theme_id=data["theme"].pk if data["theme"] else None,
            kind=data["kind"],
            agency_ids=agency_ids,
            start=data["start"],
            end=data["end"],
            review_kinds=filters.review_kinds,
            review_id=filters.review_id,
            co_theme_id=filters.co_theme_id,
        )
    findings = selectors.finding_list(user=request.user, filters=filters) if valid else None
    if findings is not None and (fmt := requested_format(request)):
        return list_exports.records_response(request, "findings", findings, fmt)
    counts = selectors.finding_list_counts(findings) if findings is not None else None
    page = Paginator(findings, 50).get_page(get.get("page")) if findings is not None else None
    query = get.copy()
    query.pop("page", None)
    return render(
        request,
        "learning/finding_list.html",
        {
            "form": form,
            "page": page,
            "counts": counts,
            "searching": bool(filters.words.strip()),
            "query": query.urlencode(),
        },
    )


@login_required
@require_safe
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = access.get_finding_for_user(request.user, pk)
    finding = selectors.review_findings(user=request.user, review=finding.review).get(pk=pk)
    return render(
        request,
        "learning/finding_detail.html",
        {
            "finding": finding,
            "history": selectors.finding_history(finding=finding),
            "comments": finding.comments.select_related("author"),
            "comment_form": CommentForm(),
            "can_edit": access.can_user_edit_learning(request.user) and not finding.is_withdrawn,
            "can_comment": access.can_user_respond_to_learning(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_learning(request.user))
    finding = access.get_finding_for_user(request.user, pk)
    access.require(not finding.is_withdrawn)
    form = FindingForm(
        request.POST or None, instance=finding, partnership=finding.partnership, request=request
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.finding_update(
            actor=request.user,
            # The form has already written its values onto `finding`: change a fresh copy,
            # so that the service sees the before and after.
            finding=access.get_finding_for_user(request.user, pk),
            themes=data["themes"],
            agencies=data["agencies"],
            kind=data["kind"],
            text=data["text"],
            source_passage=data["source_passage"],
        )
        messages.success(request, "Finding updated")
        return redirect("learning:finding_detail", pk=finding.pk)
    return render(
        request,
        "learning/form.html",
        {"form": form, "title": "Change a finding", "back_url": finding_url(finding.pk)},
    )


def finding_url(pk: int) -> str:
    return reverse("learning:finding_detail", args=[pk])


@login_required
@require_http_methods(["GET", "POST"])
def finding_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_learning(request.user))
    finding = access.get_finding_for_user(request.user, pk)
    access.require(not finding.is_withdrawn)
    form = WithdrawForm(request.POST or None, record=finding, request=request)
    if request.method == "POST" and form.is_valid():
        services.finding_withdraw(actor=request.user, finding=finding, **form.cleaned_data)
        messages.success(request, "Finding withdrawn: it no longer counts in the analysis")
        return redirect("learning:finding_detail", pk=finding.pk)
    return render(
        request,
        "learning/form.html",
        {
            "form": form,
            "title": "Withdraw a finding",
            "intro": "A withdrawn finding stays on record with its history, but no longer "
            "counts in the analysis.",
            "back_url": finding_url(finding.pk),
            "button": "Withdraw the finding",
        },
    )


@login_required
@require_POST
def finding_comment(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_respond_to_learning(request.user))
    finding = access.get_finding_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.finding_comment_add(actor=request.user, finding=finding, **form.cleaned_data)
        messages.success(request, "Comment added")
        return redirect(f"{finding_url(finding.pk)}#comments")
    return render(
        request,
        "learning/form.html",
        {"form": form, "title": "Comment on a finding", "back_url": finding_url(finding.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_findings_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Quick entry of several findings; posted from the review page, which it returns to."""
    access.require(access.can_user_edit_learning(request.user))
    review = access.get_review_for_user(request.user, pk)
    rows = min(max(_int(request.GET.get("rows")) or 3, 1), 10)
    if request.method == "POST" and "more" in request.POST:
        return _more_rows(request, review)
    formset = quick_entry_formset(request.POST or None, partnership=review.partnership, rows=rows)
    if request.method == "POST" and formset.is_valid():
        entries = [
            FindingInput(
                kind=f.cleaned_data["kind"],
                text=f.cleaned_data["text"],
                themes=list(f.cleaned_data["themes"]),
                agencies=list(f.cleaned_data["agencies"]),
                source_passage=f.cleaned_data["source_passage"],
            )
            for f in formset.forms
            if f.has_changed()
        ]
        try:
            saved = services.findings_create_many(
                actor=request.user, review=review, findings=entries
            )
        except FindingError as exc:
            formset._non_form_errors = formset.error_class([str(exc)])  # type: ignore[attr-defined]
        else:
            messages.success(
                request, f"{len(saved)} finding{'s' if len(saved) != 1 else ''} recorded"
            )
            return redirect(reverse("reviews:review_detail", args=[review.pk]) + "#findings")
    return render(
        request,
        "learning/findings_add.html",
        {"formset": formset, "review": review, "can_add_rows": len(formset.forms) < MAX_ROWS},
    )


def _more_rows(request: HttpRequest, review: Any) -> HttpResponse:
    """The "Add more rows" button: the rows as typed so far and blank ones after them, nothing
    saved and nothing checked yet (the person has not asked to save)."""
    data = request.POST.copy()
    typed = _int(data.get("findings-TOTAL_FORMS")) or 0
    data["findings-TOTAL_FORMS"] = str(min(typed + MORE_ROWS, MAX_ROWS))
    formset = quick_entry_formset(data, partnership=review.partnership)
    formset.full_clean()
    for form in formset.forms:
        form._errors = ErrorDict()
    formset._errors = [form.errors for form in formset.forms]  # type: ignore[attr-defined]
    formset._non_form_errors = formset.error_class()  # type: ignore[attr-defined]
    return render(
        request,
        "learning/findings_add.html",
        {"formset": formset, "review": review, "can_add_rows": len(formset.forms) < MAX_ROWS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_response(request: HttpRequest, pk: int) -> HttpResponse:
    """The partnership's response to a theme for a period (?start=&end=)."""
    theme = access.get_theme_for_user(request.user, pk)
    access.require(access.can_user_respond_to_learning(request.user))
    period = AnalysisForm(request.GET, partnership=theme.partnership)
    if not (period.is_valid()):
        return redirect("learning:analysis")
    start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    existing = selectors.responses_for(user=request.user, start=start, end=end).get(theme.pk)
    form = ResponseForm(
        request.POST or None,
        initial={"narrative": existing.narrative if existing else ""},
        # The response may not exist yet: one saved meanwhile by someone else is a conflict.
        record=ThemeResponse.objects.filter(
            partnership=theme.partnership, theme=theme, period_start=start, period_end=end
        ),
        request=request,
    )
    back = f"{reverse('learning:analysis')}?{urlencode({'start': start, 'end': end})}"
    if request.method == "POST" and form.is_valid():
        services.theme_response_save(
            actor=request.user,
            partnership=theme.partnership,
            theme=theme,
            period_start=start,
            period_end=end,
            narrative=form.cleaned_data["narrative"],
        )
        messages.success(request, f"Response to {theme.name} saved")
        return redirect(f"{back}#responses")
    return render(
        request,
        "learning/form.html",
        {
            "form": form,
            "title": f"Partnership response: {theme.name}",
            "intro": f"For reviews begun {start:%-d %B %Y} to {end:%-d %B %Y}.",
            "back_url": back,
            "response": existing,
        },
    )
