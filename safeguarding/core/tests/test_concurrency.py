"""Optimistic locking on every edit page: two editors open the same version, the first saves,
the second is told and nothing of theirs is saved.

`EDITS` holds every page that changes an existing record (test_edit_routes.py checks that every
other route taking a record's id says why it needs no version)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django import forms
from django.db import models
from django.urls import reverse

from safeguarding.accounts.models import AgeBand, Agency, Role, User
from safeguarding.accounts.services import user_create
from safeguarding.actionplans.models import Action, ActionStatus
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.core.concurrency import VERSION_FIELD, version_of, version_token
from safeguarding.core.models import ClockRule
from safeguarding.dissemination import services as practice
from safeguarding.dissemination.models import (
    AssuranceRecord,
    AssuranceSubmission,
    Attendance,
    LearningEvent,
    LearningProduct,
)
from safeguarding.escalations.models import Escalation, EscalationStage
from safeguarding.learning.models import Finding, LearningSettings, Theme, ThemeStatus
from safeguarding.reviews import services as review_services
from safeguarding.reviews.models import Case, CaseIdentity, Incident, Review, ReviewPause

CONFLICT = "Someone else changed this"
NOT_SAVED = "Your changes have not been saved."


@dataclass
class Edit:
    """Two editors on one page: `first` is what the first saves (on `first_route`, the same
    page by default), `second` what the second then tries."""

    route: str
    find: Callable[[Any], Any]
    first: dict[str, Any]
    second: dict[str, Any]
    kept: Callable[[Any], bool]
    page: str = ""  # the page the form is on, when the route only takes the POST
    form_key: str = "form"
    prefix: str = ""
    first_route: str = ""
    query: str = ""
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda r: {"pk": r.pk})


def _fresh(record: models.Model) -> Any:
    return type(record)._base_manager.get(pk=record.pk)


P = object()  # stands for the demo partnership in a filter below


def _bu(demo: Any) -> User:
    user = User.objects.filter(partnership=demo, role=Role.BUSINESS_UNIT).order_by("pk").first()
    assert user is not None
    return user


def _open_pause(demo: Any) -> ReviewPause:
    review = Review.objects.filter(partnership=demo, kind="cspr").first()
    assert review is not None
    actor = _bu(demo)
    return review_services.review_pause(
        actor=actor, review=review, starts_on=review.opened_on, reason="Criminal proceedings"
    )


def _waiting_submission(demo: Any) -> AssuranceSubmission:
    waiting = AssuranceSubmission.objects.filter(
        record__product__partnership=demo, status="submitted"
    ).first()
    if waiting:
        return waiting
    record = AssuranceRecord.objects.filter(product__partnership=demo, stage__lt=4).first()
    assert record is not None
    lead = User.objects.filter(role=Role.AGENCY_LEAD, agency=record.agency).first()
    return practice.assurance_submit(
        actor=lead,
        record=record,
        stage=record.stage + 1,
        achieved_on=dt.date.today(),
        evidence="The briefing went to every team.",
    )


def _open_escalation(demo: Any) -> Escalation:
    escalation = (
        Escalation.objects.filter(partnership=demo, status="open").order_by("stage__number").first()
    )
    assert escalation is not None
    return escalation


def _theme(demo: Any) -> Theme:
    theme = Theme.objects.filter(partnership=demo, status=ThemeStatus.ACTIVE).first()
    assert theme is not None
    return theme


def _first(model: type[models.Model], **filters: Any) -> Callable[[Any], Any]:
    def find(demo: Any) -> Any:
        record = model._base_manager.filter(
            **{k: (demo if v is P else v) for k, v in filters.items()}
        ).first()
        assert record is not None, model
        return record

    return find


EDITS = [
    Edit(
        "reviews:incident_edit",
        _first(Incident, partnership=P),
        {"summary": "First editor's summary."},
        {"summary": "Second editor's summary."},
        lambda r: _fresh(r).summary == "First editor's summary.",
    ),
    Edit(
        "reviews:case_edit",
        _first(Case, partnership=P),
        {"age_years": "7"},
        {"age_years": "8"},
        lambda r: _fresh(r).age_years == 7,
    ),
    Edit(
        "reviews:case_identity_edit",
        lambda demo: CaseIdentity.objects.filter(case__partnership=demo).first().case,  # type: ignore[union-attr]
        {"address": "1 First Street"},
        {"address": "2 Second Street"},
        lambda case: CaseIdentity.objects.get(case=case).address == "1 First Street",
    ),
    Edit(
        "reviews:review_edit",
        _first(Review, partnership=P, kind="cspr"),
        {"title": "First editor's title"},
        {"title": "Second editor's title"},
        lambda r: _fresh(r).title == "First editor's title",
    ),
    Edit(
        "reviews:review_edit",  # a rapid review has its own form
        _first(Review, partnership=P, kind="rapid_review"),
        {"facts": "First editor's facts."},
        {"facts": "Second editor's facts."},
        lambda r: _fresh(r).facts == "First editor's facts.",
    ),
    Edit(
        "reviews:review_decision",
        _first(Review, partnership=P, kind="rapid_review", decision="cspr"),
        {"decision_rationale": "First editor's reasons."},
        {"decision_rationale": "Second editor's reasons."},
        lambda r: _fresh(r).decision_rationale == "First editor's reasons.",
    ),
    Edit(
        "reviews:review_resume",
        _open_pause,
        {"ends_on": lambda p: str(p.starts_on + dt.timedelta(days=10))},
        {"ends_on": lambda p: str(p.starts_on + dt.timedelta(days=20))},
        lambda p: _fresh(p).ends_on == p.starts_on + dt.timedelta(days=10),
        kwargs=lambda p: {"pk": p.review_id, "pause_pk": p.pk},
    ),
    Edit(
        "actionplans:action_edit",
        _first(Action, partnership=P, status=ActionStatus.NOT_STARTED),
        {"lead": "First editor"},
        {"lead": "Second editor"},
        lambda a: _fresh(a).lead == "First editor",
    ),
    Edit(
        "actionplans:action_status",
        _first(Action, partnership=P, status=ActionStatus.NOT_STARTED),
        {"status": "in_progress", "note": "Started by the first editor."},
        {"status": "not_started", "note": "The second editor's note."},
        lambda a: _fresh(a).status == "in_progress",
        page="actionplans:action_detail",
        form_key="status_form",
        prefix="status",
    ),
    Edit(
        "dissemination:product_edit",
        _first(LearningProduct, partnership=P),
        {"title": "First editor's title"},
        {"title": "Second editor's title"},
        lambda p: _fresh(p).title == "First editor's title",
    ),
    Edit(
        "dissemination:event_edit",
        _first(LearningEvent, product__partnership=P),
        {"title": "First editor's title"},
        {"title": "Second editor's title"},
        lambda e: _fresh(e).title == "First editor's title",
    ),
    Edit(
        "dissemination:attendance",
        _first(LearningEvent, product__partnership=P, status="delivered"),
        {"first_agency": "11"},
        {"first_agency": "22"},
        lambda e: Attendance.objects.filter(event=e, attendees=11).exists(),
    ),
    Edit(
        "dissemination:submission_decide",
        _waiting_submission,
        {"decision": "accept", "note": ""},
        {"decision": "return", "note": "The second editor returns it."},
        lambda s: _fresh(s).status == "accepted",
        page="dissemination:record_detail",
        form_key="decision_form",
        prefix="decision",
    ),
    Edit(
        "learning:finding_edit",
        _first(Finding, partnership=P, withdrawn_at=None),
        {"text": "First editor's finding."},
        {"text": "Second editor's finding."},
        lambda f: _fresh(f).text == "First editor's finding.",
    ),
    Edit(
        "learning:finding_withdraw",
        _first(Finding, partnership=P, withdrawn_at=None),
        {"text": "First editor's finding."},
        {"reason": "A duplicate."},
        lambda f: _fresh(f).withdrawn_at is None,
        first_route="learning:finding_edit",
    ),
    Edit(
        "learning:theme_edit",
        _theme,
        {"definition": "First editor's definition."},
        {"definition": "Second editor's definition."},
        lambda t: _fresh(t).definition == "First editor's definition.",
    ),
    Edit(
        "learning:theme_merge",
        _theme,
        {"definition": "First editor's definition."},
        {"target": "other_theme"},
        lambda t: _fresh(t).status == ThemeStatus.ACTIVE,
        first_route="learning:theme_edit",
    ),
    Edit(
        "learning:theme_retire",
        _theme,
        {},
        {},
        lambda t: _fresh(t).status == ThemeStatus.RETIRED,  # not brought straight back
    ),
    Edit(
        "learning:theme_response",
        _theme,
        {"narrative": "First editor's response."},
        {"narrative": "Second editor's response."},
        lambda t: (
            t.responses.get(period_start=dt.date(2022, 4, 1)).narrative
            == "First editor's response."
        ),
        query="start=2022-04-01&end=2024-03-31",
    ),
    Edit(
        "learning:settings",
        lambda demo: LearningSettings.objects.get_or_create(partnership=demo)[0],
        {"cross_cutting_min_reviews": "4"},
        {"cross_cutting_min_reviews": "5"},
        lambda s: _fresh(s).cross_cutting_min_reviews == 4,
        kwargs=lambda s: {},
    ),
    Edit(
        "escalations:move_up",
        _open_escalation,
        {"note": "Moved up by the first editor."},
        {"note": "Moved up by the second editor."},
        lambda e: True,  # moved up once, not twice: counted in the test
        page="escalations:detail",
        form_key="move_form",
        prefix="move",
    ),
    Edit(
        "escalations:close",
        _open_escalation,
        {"outcome": "withdrawn", "note": "Closed by the first editor."},
        {"outcome": "resolved", "how_resolved": "explained", "note": "Second."},
        lambda e: _fresh(e).status == "withdrawn",
        page="escalations:detail",
        form_key="close_form",
        prefix="close",
    ),
    Edit(
        "escalations:edit",
        _open_escalation,
        {"summary": "First editor's summary."},
        {"summary": "Second editor's summary."},
        lambda e: _fresh(e).summary == "First editor's summary.",
    ),
    Edit(
        "escalations:stage_edit",
        _first(EscalationStage, partnership=P),
        {"description": "First editor's description."},
        {"description": "Second editor's description."},
        lambda s: _fresh(s).description == "First editor's description.",
    ),
    Edit(
        "accounts:clock_rule_edit",
        _first(ClockRule, partnership=P),
        {"guidance": "First editor's guidance."},
        {"guidance": "Second editor's guidance."},
        lambda c: _fresh(c).guidance == "First editor's guidance.",
    ),
    Edit(
        "accounts:age_band_edit",
        _first(AgeBand, partnership=P),
        {"label": "First label"},
        {"label": "Second label"},
        lambda b: _fresh(b).label == "First label",
    ),
    Edit(
        "accounts:agency_edit",
        _first(Agency, partnership=P, users__isnull=True),
        {"workforce_size": "111"},
        {"workforce_size": "222"},
        lambda a: _fresh(a).workforce_size == 111,
    ),
    Edit(
        "accounts:person_detail",
        lambda demo: User.objects.get(partnership=demo, username="police.lead"),
        {"role": "scrutineer"},
        {"role": "rag_member"},
        lambda u: _fresh(u).role == Role.SCRUTINEER,
    ),
    Edit(
        "reports:brief",
        _first(Review, partnership=P, kind="cspr"),
        {"summary": "First editor's summary.", "questions": "What would you do?"},
        {"summary": "Second editor's summary.", "questions": "What would you do?"},
        lambda r: r.learning_brief.summary == "First editor's summary.",
        kwargs=lambda r: {"review_pk": r.pk},
    ),
]
EDIT_ROUTES = {e.route for e in EDITS}


def _values(form: forms.BaseForm) -> dict[str, Any]:
    """What a browser would send back for the form as shown."""
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif value not in (None, ""):
            formatted = widget.format_value(value)
            data[bound.html_name] = formatted if formatted is not None else str(value)
    return data


def _fill(edit: Edit, form: forms.BaseForm, changes: dict[str, Any], record: Any) -> dict[str, Any]:
    data = _values(form)
    for name, value in changes.items():
        if callable(value):
            value = value(record)
        if name == "first_agency":
            name = next(n for n in form.fields if n.startswith("agency_"))
        if name == "target":
            other = Theme.objects.filter(partnership=record.partnership, status="active")
            value = str(other.exclude(pk=record.pk).values_list("pk", flat=True).first())
        data[form.add_prefix(name)] = value
    return data


def _open(client: Any, edit: Edit, route: str, record: Any) -> tuple[str, forms.BaseForm]:
    url = reverse(route, kwargs=edit.kwargs(record)) + (f"?{edit.query}" if edit.query else "")
    page = reverse(edit.page, args=[_page_pk(edit, record)]) if edit.page else url
    response = client.get(page)
    assert response.status_code == 200, (route, response.status_code)
    form = response.context[edit.form_key if route == edit.route else "form"]
    assert form is not None
    assert form.add_prefix(VERSION_FIELD) in response.content.decode(), "no version on the page"
    return url, form


def _page_pk(edit: Edit, record: Any) -> int:
    return int(record.record_id if isinstance(record, AssuranceSubmission) else record.pk)


@pytest.fixture
def second_editor(demo: Any) -> Any:
    return user_create(
        actor=None,
        partnership=demo,
        username="second.editor",
        password="correct-horse-battery-staple",
        role=Role.BUSINESS_UNIT,
    )


@pytest.mark.parametrize("edit", EDITS, ids=[f"{e.route}-{i}" for i, e in enumerate(EDITS)])
def test_the_second_editor_is_told_and_the_first_editors_change_stands(
    edit: Edit, demo: Any, client_for: Any, second_editor: Any
) -> None:
    first_editor = _bu(demo)
    record = edit.find(demo)
    steps_before = record.steps.count() if edit.route == "escalations:move_up" else None
    # Both open the same version of the record.
    first_route = edit.first_route or edit.route
    first_url, first_form = _open(client_for(first_editor), edit, first_route, record)
    second_url, second_form = _open(client_for(second_editor), edit, edit.route, record)
    # The first saves.
    response = client_for(first_editor).post(first_url, _fill(edit, first_form, edit.first, record))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    changed_version = version_token(record)
    # The second is told, and nothing of theirs is saved.
    audits = AuditEvent.objects.filter(action=AuditAction.CONFLICT).count()
    response = client_for(second_editor).post(
        second_url, _fill(edit, second_form, edit.second, record)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and CONFLICT in page and NOT_SAVED in page
    assert "Open the latest version</a>" in page
    if steps_before is not None:
        assert _fresh(record).steps.count() == steps_before + 1  # moved up once, not twice
    assert edit.kept(record)
    assert version_token(record) == changed_version
    assert AuditEvent.objects.filter(action=AuditAction.CONFLICT).count() == audits + 1
    refused = AuditEvent.objects.filter(action=AuditAction.CONFLICT).first()
    assert refused is not None and refused.actor == second_editor and refused.outcome == "refused"


def test_a_form_sent_without_its_version_is_refused(demo: Any, client_for: Any) -> None:
    incident = Incident.objects.filter(partnership=demo).first()
    assert incident is not None
    user = _bu(demo)
    url = reverse("reviews:incident_edit", args=[incident.pk])
    client = client_for(user)
    data = _values(client.get(url).context["form"])
    data.pop(VERSION_FIELD)
    data["summary"] = "Sent without a version."
    response = client.post(url, data)
    assert response.status_code == 200 and NOT_SAVED in response.content.decode()
    assert _fresh(incident).summary != "Sent without a version."


def test_the_message_names_the_fields_someone_else_changed(demo: Any, client_for: Any) -> None:
    action = Action.objects.filter(partnership=demo, status=ActionStatus.NOT_STARTED).first()
    assert action is not None
    user = _bu(demo)
    url = reverse("actionplans:action_edit", args=[action.pk])
    client = client_for(user)
    data = _values(client.get(url).context["form"])
    Action.objects.filter(pk=action.pk).update(lead="Someone else", title="Another title")
    data["description"] = "My change."
    page = client.post(url, data).content.decode()
    assert "They changed: Action, Lead." in page


def test_a_single_editor_saves_as_before(demo: Any, client_for: Any) -> None:
    review = Review.objects.filter(partnership=demo, kind="cspr").first()
    assert review is not None
    user = _bu(demo)
    client = client_for(user)
    url = reverse("reviews:review_edit", args=[review.pk])
    data = _values(client.get(url).context["form"])
    data["title"] = "Saved once"
    assert client.post(url, data).status_code == 302
    assert _fresh(review).title == "Saved once"
    # The saved version is the new one: the form opened now carries it.
    form = client.get(url).context["form"]
    assert form.initial[VERSION_FIELD].split(".")[0] == version_token(review)


def test_the_version_follows_every_stored_value_and_link(world: Any) -> None:
    from safeguarding.testing.factories import make_case

    case = make_case(world, agencies=[world.la])
    first = version_of(case)
    assert version_of(case) == first  # read again, unchanged
    Case.objects.filter(pk=case.pk).update(ethnicity="Changed")
    changed = version_of(case)
    assert changed.token != first.token
    assert [k for k in changed.fields if changed.fields[k] != first.fields[k]] == ["ethnicity"]
    case.agencies_involved.add(world.police)
    assert version_of(case).token != changed.token
    # A query: every record of it (here, none yet).
    nothing = version_of(CaseIdentity.objects.filter(case=case))
    CaseIdentity.objects.create(case=case, child_name="A")
    assert version_of(CaseIdentity.objects.filter(case=case)).token != nothing.token
