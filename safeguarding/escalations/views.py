"""Pages of the escalation register: thin views over access helpers, services and selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguarding.accounts import access
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.core.dates import today
from safeguarding.escalations import charts, exports, selectors, services
from safeguarding.escalations.forms import (
    CloseForm,
    EscalationDetailForm,
    EscalationRecordForm,
    MoveUpForm,
    PeriodForm,
    StageForm,
    review_choices,
    theme_choices,
)
from safeguarding.escalations.models import Escalation, EscalationStage, EscalationStep


@login_required
@require_safe
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_user_use_escalation_register(user):
        # Roles that see aggregate figures only land on the analysis.
        access.require(access.can_user_see_escalation_analysis(user))
        return redirect("escalations:analysis")
    status = request.GET.get("status") or "open"
    if status not in ("open", "closed", "all"):
        status = "open"
    overdue = request.GET.get("overdue") == "1"
    escalations = selectors.register(
        user=user, status=status, overdue_on=today() if overdue else None
    )
    # Imported here: this module's header belongs to the escalation pages' own work.
    from safeguarding.core.exports import requested_format
    from safeguarding.imports import exports as list_exports

    if fmt := requested_format(request):
        return list_exports.escalations_response(request, escalations, fmt)
    return render(
        request,
        "escalations/register.html",
        {
            "escalations": escalations,
            "status": status,
            "overdue": overdue,
            "today": today(),
            "overdue_count": access.get_escalations_for_user(user).overdue(today()).count(),
            "can_manage_stages": access.can_user_manage_escalation_stages(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_use_escalation_register(user))
    partnership = access.get_partnership_for_user(user)
    # An empty POST is still a submission (request.POST alone would be falsy).
    data = request.POST if request.method == "POST" else None
    form = EscalationRecordForm(data, partnership=partnership, user=user, today=today())
    if request.method == "POST" and form.is_valid():
        escalation = services.escalation_record(
            actor=user, partnership=partnership, **form.cleaned_data
        )
        messages.success(request, f"Escalation {escalation.reference} recorded")
        return redirect("escalations:detail", pk=escalation.pk)
    return render(request, "escalations/record.html", {"form": form})


def _versioned(request: AuthenticatedHttpRequest, escalation: Escalation) -> dict[str, Any]:
    """Moving up or closing acts on the escalation as shown: it carries that version of it."""
    return {
        "record": escalation,
        "request": request,
        "latest_url": reverse("escalations:detail", args=[escalation.pk]),
    }


def _detail_context(
    request: AuthenticatedHttpRequest, escalation: Escalation, **forms: Any
) -> dict[str, Any]:
    user = request.user
    next_stage = services.next_stage(escalation) if escalation.is_open else None
    return {
        "escalation": escalation,
        "steps": selectors.steps_with_clocks(escalation=escalation, today=today()),
        "clock": selectors.current_clock(escalation=escalation, today=today()),
        "next_stage": next_stage,
        "reviews": escalation.reviews.filter(pk__in=access.get_reviews_for_user(user).values("pk")),
        "themes": escalation.themes.select_related("merged_into").order_by("name"),
        "move_form": forms.get("move_form")
        or MoveUpForm(prefix="move", **_versioned(request, escalation)),
        "close_form": forms.get("close_form")
        or CloseForm(prefix="close", **_versioned(request, escalation)),
        "forms": [f for f in forms.values() if f is not None],
        # base.html prefixes the title with "Error:" when `form` has errors.
        "form": next(iter(forms.values()), None),
        "today": today(),
    }


@login_required
@require_safe
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    escalation = access.get_escalation_for_user(request.user, pk)
    return render(request, "escalations/detail.html", _detail_context(request, escalation))


@login_required
@require_POST
def move_up(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    escalation = access.get_escalation_for_user(request.user, pk)
    form = MoveUpForm(request.POST, prefix="move", **_versioned(request, escalation))
    if form.is_valid():
        try:
            step = services.escalation_move_up(
                actor=request.user,
                escalation=escalation,
                on=form.cleaned_data["on"] or today(),
                note=form.cleaned_data["note"],
            )
        except services.EscalationError as error:
            form.add_error("on", str(error))
        else:
            messages.success(
                request, f"{escalation.reference} moved up to stage {step.stage.number}"
            )
            return redirect("escalations:detail", pk=escalation.pk)
    return render(
        request,
        "escalations/detail.html",
        _detail_context(request, escalation, move_form=form),
    )


@login_required
@require_POST
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    escalation = access.get_escalation_for_user(request.user, pk)
    form = CloseForm(request.POST, prefix="close", **_versioned(request, escalation))
    if form.is_valid():
        try:
            services.escalation_close(
                actor=request.user,
                escalation=escalation,
                outcome=form.cleaned_data["outcome"],
                how_resolved=form.cleaned_data["how_resolved"],
                note=form.cleaned_data["note"],
                on=form.cleaned_data["on"] or today(),
            )
        except services.EscalationError as error:
            form.add_error("on", str(error))
        else:
            messages.success(request, f"{escalation.reference} closed")
            return redirect("escalations:detail", pk=escalation.pk)
    return render(
        request,
        "escalations/detail.html",
        _detail_context(request, escalation, close_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    escalation = access.get_escalation_for_user(request.user, pk)
    form = EscalationDetailForm(
        request.POST if request.method == "POST" else None,
        instance=escalation,
        reviews=review_choices(request.user),
        themes=theme_choices(request.user),
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("reviews")
        # Links to reviews the user cannot see are kept: they only change what they can see.
        hidden = escalation.reviews.exclude(pk__in=review_choices(request.user).values("pk"))
        services.escalation_update(
            actor=request.user,
            escalation=escalation,
            reviews=[*chosen, *hidden],
            **data,
        )
        messages.success(request, f"{escalation.reference} updated")
        return redirect("escalations:detail", pk=escalation.pk)
    return render(
        request,
        "escalations/form.html",
        {
            "form": form,
            "title": f"Add detail to escalation {escalation.reference}",
            "back_url": reverse("escalations:detail", args=[escalation.pk]),
        },
    )


@login_required
@require_safe
def step_clock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Where a stage clock on the dashboard links to: the escalation it belongs to."""
    access.require(access.can_user_use_escalation_register(request.user))
    step = access.get_object_for_user(
        EscalationStep.objects.filter(escalation__in=access.get_escalations_for_user(request.user)),
        pk,
    )
    return redirect(reverse("escalations:detail", args=[step.escalation_id]) + "#stages")


@login_required
@require_safe
def stages(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_manage_escalation_stages(request.user))
    partnership = access.get_partnership_for_user(request.user)
    return render(
        request,
        "escalations/stages.html",
        {"stages": EscalationStage.objects.filter(partnership=partnership).order_by("number")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def stage_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    access.require(access.can_user_manage_escalation_stages(request.user))
    partnership = access.get_partnership_for_user(request.user)
    stage = (
        access.get_object_for_user(EscalationStage.objects.filter(partnership=partnership), pk)
        if pk is not None
        else None
    )
    form = StageForm(
        request.POST if request.method == "POST" else None, instance=stage, request=request
    )
    if request.method == "POST" and form.is_valid():
        saved = services.stage_save(
            actor=request.user, partnership=partnership, stage=stage, **form.cleaned_data
        )
        messages.success(request, f"Stage {saved.number} saved; every stage clock recalculated")
        return redirect("escalations:stages")
    return render(
        request,
        "escalations/form.html",
        {
            "form": form,
            "title": f"Change stage {stage.number}" if stage else "Add a stage",
            "back_url": reverse("escalations:stages"),
        },
    )


def _period(request: AuthenticatedHttpRequest) -> tuple[PeriodForm, dt.date | None, dt.date | None]:
    if "start" in request.GET or "end" in request.GET:
        form = PeriodForm(request.GET)
    else:
        # The last twelve months, unless a period is asked for.
        end = today()
        form = PeriodForm(
            {"start": end.replace(year=end.year - 1) + dt.timedelta(days=1), "end": end}
        )
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, None, None


def _stage_chart(summary: dict[str, Any]) -> charts.BarChart:
    return charts.stacked_bar_chart(
        chart_id="chart-stage-outcome",
        title="Escalations by stage reached and outcome",
        series=[label for _, label in selectors.OUTCOMES],
        rows=[
            (row["stage"], [row[value] for value, _ in selectors.OUTCOMES])
            for row in summary["by_stage_reached"]
        ],
        unit=("escalation", "escalations"),
    )


@login_required
@require_safe
def analysis(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require(access.can_user_see_escalation_analysis(request.user))
    partnership = access.get_partnership_for_user(request.user)
    form, start, end = _period(request)
    context: dict[str, Any] = {"form": form}
    if start and end:
        summary = selectors.escalation_summary(
            partnership=partnership, start=start, end=end, user=request.user
        )
        tables = selectors.analysis_tables(summary)
        context.update(
            summary=summary,
            tables={t.key: t for t in tables},
            chart=_stage_chart(summary),
            start=start,
            end=end,
            query=f"start={start.isoformat()}&end={end.isoformat()}",
        )
    return render(request, "escalations/analysis.html", context)


@login_required
@require_safe
def analysis_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    access.require(access.can_user_see_escalation_analysis(request.user))
    partnership = access.get_partnership_for_user(request.user)
    form, start, end = _period(request)
    if not (start and end):
        return render(request, "escalations/analysis.html", {"form": form}, status=400)
    summary = selectors.escalation_summary(
        partnership=partnership, start=start, end=end, user=request.user
    )
    tables = selectors.analysis_tables(summary)
    heading = [f"{partnership.name}: escalations raised {start:%-d %B %Y} to {end:%-d %B %Y}"]
    name = f"escalations-{partnership.slug}-{start.isoformat()}-to-{end.isoformat()}"
    response: HttpResponse
    if fmt == "csv":
        response = HttpResponse(
            exports.tables_csv(tables, heading=heading), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.tables_xlsx(tables, heading=heading),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        summary=f"Exported the escalation analysis ({fmt.upper()}) for {start} to {end}",
        partnership=partnership,
    )
    return response
