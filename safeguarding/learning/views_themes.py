"""Pages of the theme taxonomy: the list, each theme, changes, merges, CSV import and export,
versions, and the learning settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.accounts import access
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.core.concurrency import VersionForm
from safeguarding.core.forms import posted
from safeguarding.learning import selectors, taxonomy
from safeguarding.learning.forms import (
    LearningSettingsForm,
    MergeForm,
    TaxonomyImportForm,
    ThemeForm,
)
from safeguarding.learning.models import LearningSettings, ThemeStatus
from safeguarding.learning.taxonomy import TaxonomyError
from safeguarding.learning.taxonomy_csv import (
    TaxonomyImportRejected,
    taxonomy_export_csv,
    taxonomy_import_csv,
)


@login_required
@require_safe
def theme_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_user_read_taxonomy(request.user))
    partnership = access.get_partnership_for_user(request.user)
    versions = selectors.taxonomy_versions(partnership_id=partnership.pk)
    return render(
        request,
        "learning/theme_list.html",
        {
            "themes": selectors.theme_list(user=request.user),
            "version": versions.first(),
            "can_edit": access.can_user_edit_learning(request.user),
        },
    )


@login_required
@require_safe
def theme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    theme = access.get_theme_for_user(request.user, pk)
    return render(
        request,
        "learning/theme_detail.html",
        {
            "theme": theme,
            "revisions": selectors.theme_revisions(theme=theme),
            "children": theme.children.exclude(status=ThemeStatus.MERGED),
            "merged_from": theme.merged_from.all(),
            "responses": theme.responses.all()
            if access.can_user_read_taxonomy(request.user)
            else [],
            "can_edit": access.can_user_edit_learning(request.user),
            "can_read_findings": access.can_user_read_findings(request.user),
            "escalations_linked": _escalations_linked(request, theme),
        },
    )


def _escalations_linked(request: HttpRequest, theme: Any) -> int:
    # A count only: every working role may see aggregate escalation figures; an agency lead's
    # count only the escalations raised by or about their agency.
    escalations = theme.escalations.all()
    if access.are_live_figures_scoped(request.user):
        escalations = escalations.filter(
            pk__in=access.get_escalations_for_user(request.user).values("pk")
        )
    return int(escalations.count())


def _form_page(
    request: HttpRequest, form: object, title: str, back_url: str, **extra: object
) -> HttpResponse:
    return render(
        request, "learning/form.html", {"form": form, "title": title, "back_url": back_url, **extra}
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_create(request: HttpRequest) -> HttpResponse:
    access.require(access.can_user_edit_learning(request.user))
    partnership = access.get_partnership_for_user(request.user)
    form = ThemeForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            theme = taxonomy.theme_create(
                actor=request.user, partnership=partnership, **form.cleaned_data
            )
        except TaxonomyError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"Theme {theme.name} added")
            return redirect("learning:theme_detail", pk=theme.pk)
    return _form_page(request, form, "Add a theme", reverse("learning:theme_list"))


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_learning(request.user))
    theme = access.get_theme_for_user(request.user, pk)
    access.require(theme.status != ThemeStatus.MERGED)
    form = ThemeForm(
        request.POST or None, instance=theme, partnership=theme.partnership, request=request
    )
    if request.method == "POST" and form.is_valid():
        try:
            # The form has already written its values onto `theme`: change a fresh copy, so
            # that the service sees the before and after.
            fresh = access.get_theme_for_user(request.user, pk)
            taxonomy.theme_update(actor=request.user, theme=fresh, **form.cleaned_data)
        except TaxonomyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Theme {theme.name} saved")
            return redirect("learning:theme_detail", pk=theme.pk)
    return _form_page(
        request,
        form,
        f"Change {theme.name}",
        reverse("learning:theme_detail", args=[theme.pk]),
        intro="Findings already tagged keep the name and definition they were tagged with; "
        "they count under the theme as it is now.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_merge(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_user_edit_learning(request.user))
    theme = access.get_theme_for_user(request.user, pk)
    access.require(theme.status != ThemeStatus.MERGED)
    form = MergeForm(request.POST or None, theme=theme, record=theme, request=request)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            moved = taxonomy.theme_merge(actor=request.user, source=theme, target=target)
        except TaxonomyError as exc:
            form.add_error("target", str(exc))
        else:
            messages.success(request, f"{theme.name} merged into {target.name}: {moved} tag(s)")
            return redirect("learning:theme_detail", pk=target.pk)
    return _form_page(
        request,
        form,
        f"Merge {theme.name} into another theme",
        reverse("learning:theme_detail", args=[theme.pk]),
        button="Merge",
    )


@login_required
@require_http_methods(["GET", "POST"])
def theme_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire a theme in use, or bring a retired one back (a confirmation page, then POST)."""
    access.require(access.can_user_edit_learning(request.user))
    theme = access.get_theme_for_user(request.user, pk)
    access.require(theme.status != ThemeStatus.MERGED)
    retiring = theme.status == ThemeStatus.ACTIVE
    # The button acts on the theme as shown: it carries that version of it.
    form = VersionForm(posted(request), record=theme, request=request)
    if request.method == "POST" and form.is_valid():
        if retiring:
            taxonomy.theme_retire(actor=request.user, theme=theme)
            messages.success(request, f"{theme.name} retired; its past findings still count")
        else:
            taxonomy.theme_reinstate(actor=request.user, theme=theme)
            messages.success(request, f"{theme.name} is in use again")
        return redirect("learning:theme_detail", pk=theme.pk)
    return render(
        request,
        "learning/theme_retire.html",
        {"theme": theme, "retiring": retiring, "form": form, "forms": [form]},
    )


@login_required
@require_safe
def taxonomy_export(request: HttpRequest) -> HttpResponse:
    access.require(access.can_user_read_taxonomy(request.user))
    partnership = access.get_partnership_for_user(request.user)
    audit_record(actor=request.user, action=AuditAction.EXPORT, summary="Exported the themes")
    response = HttpResponse(
        taxonomy_export_csv(partnership=partnership), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="themes-{partnership.slug}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def taxonomy_import(request: HttpRequest) -> HttpResponse:
    access.require(access.can_user_edit_learning(request.user))
    partnership = access.get_partnership_for_user(request.user)
    form = TaxonomyImportForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        try:
            report = taxonomy_import_csv(
                actor=request.user, partnership=partnership, data=form.cleaned_data["file"].read()
            )
        except TaxonomyImportRejected as rejected:
            errors = rejected.errors
            n = len(errors)
            form.add_error(
                "file",
                f"The file was not imported: fix the {n} problem{'s' if n != 1 else ''} below",
            )
        else:
            messages.success(
                request,
                f"Imported: {len(report.added)} added, {len(report.changed)} changed, "
                f"{len(report.unchanged)} unchanged",
            )
            return redirect("learning:theme_list")
    return render(request, "learning/taxonomy_import.html", {"form": form, "errors": errors})


@login_required
@require_safe
def taxonomy_versions(request: HttpRequest) -> HttpResponse:
    access.require(access.can_user_read_taxonomy(request.user))
    partnership = access.get_partnership_for_user(request.user)
    return render(
        request,
        "learning/taxonomy_versions.html",
        {"versions": selectors.taxonomy_versions(partnership_id=partnership.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def learning_settings(request: HttpRequest) -> HttpResponse:
    access.require(access.can_user_edit_learning(request.user))
    partnership = access.get_partnership_for_user(request.user)
    current = taxonomy.learning_settings_for(partnership)
    form = LearningSettingsForm(
        request.POST or None,
        instance=current,
        record=LearningSettings.objects.filter(pk=current.pk),
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        taxonomy.learning_settings_update(
            actor=request.user, partnership=partnership, **form.cleaned_data
        )
        messages.success(request, "Learning settings saved")
        return redirect("learning:analysis")
    return _form_page(request, form, "Learning settings", reverse("learning:analysis"))
