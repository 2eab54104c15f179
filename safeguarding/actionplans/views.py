"""Pages of the action plan: thin views over access helpers, services and selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.accounts import access
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.actionplans import selectors, services
from safeguarding.actionplans.clocks import default_due_on
from safeguarding.actionplans.forms import (
    ActionForm,
    ActionStatusForm,
    EvidenceForm,
    RecommendationForm,
)
from safeguarding.actionplans.models import Action, EvidenceKind
from safeguarding.core.dates import today
from safeguarding.core.exports import requested_format
from safeguarding.core.forms import posted
from safeguarding.core.query import is_id, query_id
from safeguarding.imports import exports as list_exports


def _form_page(request: AuthenticatedHttpRequest, **context: Any) -> HttpResponse:
    return render(request, "actionplans/form.html", context)


@login_required
@require_safe
def action_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_read_actions(user))
    status = request.GET.get("status") or "open"
    if status not in ("open", "completed", "all"):
        status = "open"
    agencies = access.get_agencies_for_user(user)
    agency_id = query_id(request.GET, "agency")
    actions = selectors.action_list(user=user, status=status, agency_id=agency_id, today=today())
    if fmt := requested_format(request):
        return list_exports.records_response(request, "actions", actions, fmt)
    return render(
        request,
        "actionplans/action_list.html",
        {
            "actions": actions,
            "status": status,
            "agency_id": agency_id,
            "agencies": agencies if not access.is_agency_lead(user) else [],
            "counts": selectors.action_counts(user=user, today=today()),
            "can_manage": access.can_user_manage_actions(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_manage_actions(user))
    partnership = access.get_partnership_for_user(user)
    initial: dict[str, Any] = {"agreed_on": today()}
    # Links can be filled in from where the user came (a theme response, a finding...).
    for name in ("theme_response", "finding", "review", "recommendation", "theme"):
        if is_id(request.GET.get(name, "")):
            initial[name] = int(request.GET[name])
    form = ActionForm(posted(request), partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["due_on"] = data["due_on"] or default_due_on(partnership, data["agreed_on"])
        try:
            action = services.action_create(actor=user, partnership=partnership, **data)
        except services.ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Action set for {action.owner_agency}")
            return redirect("actionplans:action_detail", pk=action.pk)
    return _form_page(
        request,
        form=form,
        title="Set an action",
        back_url=reverse("actionplans:action_list"),
        button="Set the action",
    )


@login_required
@require_safe
def action_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    action = access.get_action_for_user(user, pk)
    return render(request, "actionplans/action_detail.html", _detail_context(request, action))


def _versioned(request: AuthenticatedHttpRequest, action: Action) -> dict[str, Any]:
    """A status change acts on the action as shown: it carries that version of it."""
    return {
        "record": action,
        "request": request,
        "latest_url": reverse("actionplans:action_detail", args=[action.pk]),
    }


def _detail_context(
    request: AuthenticatedHttpRequest, action: Action, **forms: Any
) -> dict[str, Any]:
    user = request.user
    can_update = access.can_user_update_action(user, action)
    status_form = forms.get("status_form") or ActionStatusForm(
        prefix="status",
        initial={"status": action.status, "on": today()},
        **_versioned(request, action),
    )
    evidence_form = forms.get("evidence_form") or EvidenceForm(
        prefix="evidence", initial={"kind": EvidenceKind.NOTE}
    )
    bound = [f for f in forms.values() if f is not None]
    return {
        "action": action,
        "links": selectors.action_links(user=user, action=action),
        "clock": selectors.action_clock(action=action, today=today()),
        "evidence": action.evidence.select_related("added_by"),
        "history": selectors.action_history(action=action),
        "can_update": can_update,
        "can_manage": access.can_user_manage_actions(user),
        "status_form": status_form,
        "evidence_form": evidence_form,
        "forms": bound,
        # base.html starts the title with "Error:" when `form` has errors.
        "form": bound[0] if bound else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    action = access.get_action_for_user(user, pk)
    access.require(access.can_user_manage_actions(user))
    initial = {
        name: getattr(action, name) for name in ActionForm.base_fields if hasattr(action, name)
    }
    form = ActionForm(
        posted(request),
        partnership=action.partnership,
        initial=initial,
        record=action,
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["due_on"] = data["due_on"] or action.due_on
        try:
            services.action_update(actor=user, action=action, **data)
        except services.ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Action changed")
            return redirect("actionplans:action_detail", pk=action.pk)
    return _form_page(
        request,
        form=form,
        title=f"Change the action: {action.title}",
        back_url=reverse("actionplans:action_detail", args=[action.pk]),
    )


@login_required
@require_http_methods(["POST"])
def action_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    action = access.get_action_for_update(user, pk)
    form = ActionStatusForm(request.POST, prefix="status", **_versioned(request, action))
    if form.is_valid():
        try:
            services.action_set_status(actor=user, action=action, **form.cleaned_data)
        except services.ActionError as error:
            form.add_error("status", str(error))
        else:
            messages.success(request, f"Status changed to {action.get_status_display().lower()}")
            return redirect("actionplans:action_detail", pk=action.pk)
    action.refresh_from_db()
    return render(
        request,
        "actionplans/action_detail.html",
        _detail_context(request, action, status_form=form),
    )


@login_required
@require_http_methods(["POST"])
def evidence_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    action = access.get_action_for_update(user, pk)
    form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence_add(
                actor=user,
                action=action,
                kind=data["kind"],
                description=data["description"],
                upload=data["file"] if data["kind"] == EvidenceKind.FILE else None,
                url=data["url"] if data["kind"] == EvidenceKind.LINK else "",
            )
        except services.ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Evidence added")
            return redirect("actionplans:action_detail", pk=action.pk)
    return render(
        request,
        "actionplans/action_detail.html",
        _detail_context(request, action, evidence_form=form),
    )


@login_required
@require_safe
def evidence_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse | FileResponse:
    """An evidence file, only to a user who may see its action; never cached or rendered."""
    item = access.get_evidence_item_for_user(request.user, pk)
    if item.kind != EvidenceKind.FILE or not item.file:
        return redirect("actionplans:action_detail", pk=item.action_id)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name or "evidence",
        content_type=item.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def recommendation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_read_actions(user))
    return render(
        request,
        "actionplans/recommendation_list.html",
        {
            "recommendations": selectors.recommendation_list(user=user),
            "can_manage": access.can_user_manage_actions(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_manage_actions(user))
    partnership = access.get_partnership_for_user(user)
    form = RecommendationForm(
        posted(request), partnership=partnership, initial={"made_on": today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_create(
                actor=user, partnership=partnership, **form.cleaned_data
            )
        except services.ActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Recommendation recorded")
            return redirect("actionplans:recommendation_detail", pk=recommendation.pk)
    return _form_page(
        request,
        form=form,
        title="Record a recommendation",
        back_url=reverse("actionplans:recommendation_list"),
    )


@login_required
@require_safe
def recommendation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    recommendation = access.get_recommendation_for_user(user, pk)
    return render(
        request,
        "actionplans/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "links": selectors.action_links(user=user, action=recommendation),
            "actions": access.get_actions_for_user(user)
            .filter(recommendation=recommendation)
            .with_timeliness(today())
            .select_related("owner_agency"),
            "can_manage": access.can_user_manage_actions(user),
        },
    )


@login_required
@require_safe
def agency_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An agency lead's home: their agency's actions, assurance requests and reminders."""
    user = request.user
    access.require(access.is_agency_lead(user))
    return render(
        request, "actionplans/agency_home.html", selectors.agency_home(user=user, today=today())
    )
