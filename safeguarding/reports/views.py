"""Pages of the reports area: thin views over the access helpers, services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safeguarding.accounts import access
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.core.forms import posted
from safeguarding.reports import selectors, services
from safeguarding.reports.forms import BriefForm, ScrutinyReportForm
from safeguarding.reports.models import Report, ReportFile, ReportKind, ReportVersion
from safeguarding.reports.publication import Finding


@login_required
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_see_reports(user))
    versions = selectors.with_downloads(user=user, versions=selectors.history(user=user))
    return render(
        request,
        "reports/home.html",
        {
            "versions": versions,
            "can_manage": access.can_user_manage_reports(user),
            "reads_drafts": access.can_user_read_draft_reports(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scrutiny_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_manage_reports(user))
    partnership = access.get_partnership_for_user(user)
    form = ScrutinyReportForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = services.scrutiny_report_issue(
            actor=user,
            partnership=partnership,
            start=data["start"],
            end=data["end"],
            review_kinds=data["review_kinds"],
            agencies=list(data["agencies"]),
            introduction=data["introduction"].strip(),
        )
        return redirect("reports:version", pk=version.pk)
    return render(request, "reports/scrutiny_form.html", {"form": form})


def _version_context(
    request: AuthenticatedHttpRequest,
    version: ReportVersion,
    findings: list[Finding] | None = None,
    problem: str = "",
) -> dict[str, Any]:
    user = request.user
    report = version.report
    return {
        "version": version,
        "report": report,
        "period": selectors.version_period(version),
        "progress": selectors.progress(version),
        "downloads": selectors.downloads(user=user, version=version) if version.is_ready else [],
        "can_manage": access.can_user_manage_reports(user),
        "versions": selectors.with_downloads(
            user=user, versions=selectors.history(user=user, report=report)
        ),
        "findings": findings or [],
        "problem": problem,
        "brief_url": reverse("reports:brief", args=[report.review_id])
        if report.kind == ReportKind.BRIEF and access.can_user_manage_reports(user)
        else "",
    }


@login_required
@require_GET
def version_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    version = access.get_report_version_for_user(request.user, pk)
    return render(request, "reports/version.html", _version_context(request, version))


@login_required
@require_GET
def version_progress(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """The progress the version page polls (static JS; the page refreshes itself without it)."""
    version = access.get_report_version_for_user(request.user, pk)
    response = JsonResponse(selectors.progress(version))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def version_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_manage_reports(request.user))
    version = access.get_report_version_for_user(request.user, pk)
    try:
        findings = services.version_publish(actor=request.user, version=version)
    except services.ReportError as error:
        return render(
            request, "reports/version.html", _version_context(request, version, problem=str(error))
        )
    if findings:
        # Nothing changed: the page lists what was found, and where, in the error summary.
        return render(request, "reports/version.html", _version_context(request, version, findings))
    messages.success(request, f"Version {version.number} of {version.report.title} published")
    return redirect("reports:version", pk=version.pk)


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest, pk: int, rendition: str, fmt: str) -> HttpResponse:
    user = request.user
    version = access.get_report_version_for_user(user, pk)
    if rendition not in access.renditions_for_user(user, version):
        raise Http404
    file = ReportFile.objects.filter(version=version, rendition=rendition, format=fmt).first()
    if file is None:
        raise Http404
    services.file_download_record(actor=user, file=file)
    response = HttpResponse(bytes(file.content), content_type=file.content_type)
    report = version.report
    name = f"{report.kind}-{report.pk}-v{version.number}-{rendition}.{fmt}"
    # Saved, never shown inline: a standalone HTML report carries its own styles, which the
    # site's Content-Security-Policy would (rightly) refuse on our origin.
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def brief(request: AuthenticatedHttpRequest, review_pk: int) -> HttpResponse:
    """A review's learning brief: its text (business unit) and the versions issued."""
    user = request.user
    access.require(access.can_user_see_reports(user))
    review = access.get_review_for_user(user, review_pk)
    report = Report.objects.filter(review=review).first()
    can_manage = access.can_user_manage_reports(user)
    form = None
    if can_manage:
        initial = {"summary": report.summary, "questions": report.questions} if report else {}
        form = BriefForm(
            posted(request),
            initial=initial,
            # The brief may not exist yet: one saved meanwhile by someone else is a conflict.
            record=Report.objects.filter(review=review),
            request=request,
        )
        if request.method == "POST" and form.is_valid():
            report = services.brief_save(actor=user, review=review, **form.cleaned_data)
            version = services.brief_issue(actor=user, report=report)
            return redirect("reports:version", pk=version.pk)
    elif request.method == "POST":
        access.require(False)
    versions = (
        selectors.with_downloads(user=user, versions=selectors.history(user=user, report=report))
        if report
        else []
    )
    return render(
        request,
        "reports/brief.html",
        {"review": review, "report": report, "form": form, "versions": versions},
    )
