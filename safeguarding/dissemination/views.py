"""Pages of learning into practice: products, events, reach, the planner and assurance."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from safeguarding.accounts import access
from safeguarding.accounts.access import AuthenticatedHttpRequest
from safeguarding.core.dates import today
from safeguarding.core.exports import requested_format
from safeguarding.core.forms import posted
from safeguarding.dissemination import selectors, services
from safeguarding.dissemination.forms import (
    AttendanceForm,
    AuditResultForm,
    DecisionForm,
    EventForm,
    PlanForm,
    ProductForm,
    RequestForm,
    SubmissionForm,
)
from safeguarding.dissemination.models import (
    Attendance,
    LearningProduct,
    Stage,
)
from safeguarding.imports import exports as list_exports


def _form_page(request: AuthenticatedHttpRequest, **context: Any) -> HttpResponse:
    return render(request, "actionplans/form.html", context)


@login_required
@require_safe
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_read_dissemination(user))
    if fmt := requested_format(request):
        return list_exports.dissemination_response(
            request, selectors.product_list(user=user), access.get_events_for_user(user), fmt
        )
    return render(
        request,
        "dissemination/home.html",
        {
            "products": selectors.product_list(user=user),
            "waiting": selectors.waiting_submissions(user=user)
            if access.can_user_decide_assurance(user)
            else [],
            "can_manage": access.can_user_manage_dissemination(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _product_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _product_form(request, access.get_product_for_user(request.user, pk))


def _product_form(
    request: AuthenticatedHttpRequest, product: LearningProduct | None
) -> HttpResponse:
    user = request.user
    access.require(access.can_user_manage_dissemination(user))
    partnership = access.get_partnership_for_user(user)
    initial: dict[str, Any] = {}
    if product is not None:
        initial = {
            "kind": product.kind,
            "title": product.title,
            "summary": product.summary,
            "issued_on": product.issued_on,
            "reviews": list(product.reviews.all()),
            "themes": list(product.themes.all()),
        }
    form = ProductForm(
        posted(request), partnership=partnership, initial=initial, record=product, request=request
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        product = services.product_save(
            actor=user,
            partnership=partnership,
            product=product,
            reviews=data.pop("reviews"),
            themes=data.pop("themes"),
            **data,
        )
        messages.success(request, f"{product.title} saved")
        return redirect("dissemination:product_detail", pk=product.pk)
    back = (
        reverse("dissemination:product_detail", args=[product.pk])
        if product
        else reverse("dissemination:home")
    )
    return _form_page(
        request,
        form=form,
        title=f"Change {product.title}" if product else "Record a learning product",
        back_url=back,
    )


@login_required
@require_safe
def product_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    product = access.get_product_for_user(user, pk)
    return render(
        request,
        "dissemination/product_detail.html",
        {
            "product": product,
            "reviews": access.get_reviews_for_user(user).filter(learning_products=product),
            "themes": product.themes.all(),
            "events": selectors.product_events(product=product),
            "reach": selectors.reach(user=user, product=product),
            "records": access.get_assurance_records_for_user(user)
            .filter(product=product)
            .select_related("agency"),
            "rechecks": selectors.product_rechecks(user=user, product=product),
            "can_manage": access.can_user_manage_dissemination(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    product = access.get_product_for_user(user, pk)
    access.require(access.can_user_manage_dissemination(user))
    form = EventForm(
        posted(request),
        partnership=product.partnership,
        initial={"title": product.title, "status": "planned"},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            event = services.event_save(
                actor=user,
                product=product,
                audience_agencies=data.pop("audience_agencies"),
                **data,
            )
        except services.DisseminationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{event.title} recorded")
            return redirect("dissemination:product_detail", pk=product.pk)
    return _form_page(
        request,
        form=form,
        title=f"Record an event for {product.title}",
        back_url=reverse("dissemination:product_detail", args=[product.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    event = access.get_event_for_user(user, pk)
    access.require(access.can_user_manage_dissemination(user))
    form = EventForm(
        posted(request),
        partnership=event.product.partnership,
        initial={
            "title": event.title,
            "held_on": event.held_on,
            "status": event.status,
            "capacity": event.capacity,
            "audience_agencies": list(event.audience_agencies.all()),
        },
        record=event,
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.event_save(
                actor=user,
                product=event.product,
                event=event,
                audience_agencies=data.pop("audience_agencies"),
                **data,
            )
        except services.DisseminationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{event.title} changed")
            return redirect("dissemination:product_detail", pk=event.product_id)
    return _form_page(
        request,
        form=form,
        title=f"Change {event.title}",
        back_url=reverse("dissemination:product_detail", args=[event.product_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Attendance at a delivered event: the business unit for every audience agency, an agency
    lead for their own agency only."""
    user = request.user
    event = access.get_event_for_user(user, pk)
    agencies = [
        a for a in event.audience_agencies.all() if access.can_user_record_attendance(user, a.pk)
    ]
    access.require(bool(agencies))
    current = dict(Attendance.objects.filter(event=event).values_list("agency_id", "attendees"))
    form = AttendanceForm(
        posted(request),
        agencies=agencies,
        current=current,
        # The counts this user may change, as they were when the page was opened.
        record=Attendance.objects.filter(event=event, agency__in=agencies),
        request=request,
    )
    if request.method == "POST" and form.is_valid():
        try:
            for agency, attendees in form.counts():
                services.attendance_set(actor=user, event=event, agency=agency, attendees=attendees)
        except services.DisseminationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Attendance at {event.title} saved")
            return redirect("dissemination:product_detail", pk=event.product_id)
    return _form_page(
        request,
        form=form,
        title=f"Attendance: {event}",
        intro="How many staff of each agency attended. Leave an agency empty if not known.",
        back_url=reverse("dissemination:product_detail", args=[event.product_id]),
    )


@login_required
@require_safe
def reach(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_read_dissemination(user))
    return render(request, "dissemination/reach.html", {"rows": selectors.reach(user=user)})


@login_required
@require_safe
def planner(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_read_dissemination(user))
    return render(
        request,
        "dissemination/planner.html",
        {
            "rows": selectors.planner(user=user),
            "can_manage": access.can_user_manage_dissemination(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_manage_dissemination(user))
    partnership = access.get_partnership_for_user(user)
    form = PlanForm(posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_plan_create(actor=user, **form.cleaned_data)
        except (services.DisseminationError, ValueError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Sessions planned")
            return redirect("dissemination:planner")
    return _form_page(
        request,
        form=form,
        title="Plan sessions",
        intro="Sessions needed = the workforce to reach divided by the places per session, "
        "rounded up.",
        back_url=reverse("dissemination:planner"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assurance_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    product = access.get_product_for_user(user, pk)
    access.require(access.can_user_manage_dissemination(user))
    form = RequestForm(posted(request), partnership=product.partnership)
    if request.method == "POST" and form.is_valid():
        created = services.assurance_request(
            actor=user, product=product, agencies=form.cleaned_data["agencies"], on=today()
        )
        messages.success(
            request, f"Asked {len(created)} agenc{'y' if len(created) == 1 else 'ies'}"
        )
        return redirect("dissemination:product_detail", pk=product.pk)
    return _form_page(
        request,
        form=form,
        title=f"Ask for assurance on {product.title}",
        intro="Each agency's lead is asked how far this learning has got in their agency.",
        back_url=reverse("dissemination:product_detail", args=[product.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One agency's assurance on one product: its history, and the lead's submission form."""
    user = request.user
    record = access.get_assurance_record_for_user(user, pk)
    can_submit = access.can_user_submit_assurance(user, record)
    if request.method == "POST":
        access.require(can_submit)
    form = SubmissionForm(posted(request), initial={"achieved_on": today()}) if can_submit else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.assurance_submit(actor=user, record=record, **form.cleaned_data)
        except services.DisseminationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Submitted to the business unit")
            return redirect("dissemination:record_detail", pk=record.pk)
    history = list(selectors.record_history(record=record))
    waiting = next((s for s in history if s.status == "submitted"), None)
    return render(
        request,
        "dissemination/record_detail.html",
        {
            "record": record,
            "history": history,
            "waiting": waiting,
            "form": form if waiting is None else None,
            "decision_form": DecisionForm(
                prefix="decision", record=waiting, request=request, latest_url=request.path
            )
            if waiting and access.can_user_decide_assurance(user)
            else None,
            "decision_forms": [],
            "stages": [s for s in Stage if s != Stage.NONE],
        },
    )


@login_required
@require_http_methods(["POST"])
def submission_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    submission = access.get_submission_for_decision(user, pk)
    # Accepting or returning acts on the submission as shown: it carries that version of it.
    form = DecisionForm(
        request.POST,
        prefix="decision",
        record=submission,
        request=request,
        latest_url=reverse("dissemination:record_detail", args=[submission.record_id]),
    )
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == "accept":
                services.assurance_accept(actor=user, submission=submission, note=note)
                messages.success(request, "Accepted: the stage is recorded")
            else:
                services.assurance_return(actor=user, submission=submission, note=note)
                messages.success(request, "Returned to the agency")
        except services.DisseminationError as error:
            form.add_error(None, str(error))
        else:
            return redirect("dissemination:record_detail", pk=submission.record_id)
    record = submission.record
    history = list(selectors.record_history(record=record))
    return render(
        request,
        "dissemination/record_detail.html",
        {
            "record": record,
            "history": history,
            "waiting": submission,
            "decision_form": form,
            "decision_forms": [form],
            "form": form,
            "stages": [s for s in Stage if s != Stage.NONE],
        },
    )


@login_required
@require_safe
def stall(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require(access.can_user_read_dissemination(user))
    return render(request, "dissemination/stall.html", selectors.stall(user=user))


@login_required
@require_http_methods(["GET", "POST"])
def audit_result(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record what a multi-agency audit found about this learning in one agency."""
    user = request.user
    product = access.get_product_for_user(user, pk)
    access.require(access.can_user_decide_assurance(user))
    form = AuditResultForm(
        posted(request), partnership=product.partnership, initial={"on": today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_result_record(actor=user, product=product, **form.cleaned_data)
        except services.DisseminationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Audit result recorded: the chain has moved")
            return redirect("dissemination:product_detail", pk=product.pk)
    return _form_page(
        request,
        form=form,
        title=f"Record an audit result for {product.title}",
        intro="A re-audit checks whether the learning changed practice. Its result moves the "
        "agency's assurance on, or back with a reason.",
        back_url=reverse("dissemination:product_detail", args=[product.pk]),
    )
