"""Writes for recommendations, actions and evidence. Each keeps history, writes its audit row in
the same transaction and keeps the action's clock up to date.

The rules that matter are enforced here, not only in the forms:
- every linked record belongs to the action's partnership;
- an action cannot be completed without at least one piece of evidence;
- evidence files are of an allowed type and size.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.models import Agency, Partnership
from safeguarding.actionplans.clocks import action_clock_sync
from safeguarding.actionplans.models import (
    Action,
    ActionStatus,
    EvidenceItem,
    EvidenceKind,
    Recommendation,
)
from safeguarding.core.history import save_and_record, snapshot

# Evidence files people attach: documents, spreadsheets, slides, pictures. Checked by name and
# by the file's first bytes, so a renamed executable is refused.
ALLOWED_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
    ".csv": "text/csv",
}
_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class ActionError(ValueError):
    """A change refused by the rules (the message says why, for the user)."""


def _check_partnership(partnership: Partnership, **linked: Any) -> None:
    for name, obj in linked.items():
        if obj is not None and obj.partnership_id != partnership.pk:
            raise ActionError(f"The {name.replace('_', ' ')} belongs to another partnership")


def _links(
    partnership: Partnership, recommendation: Recommendation | None, fields: dict[str, Any]
) -> dict[str, Any]:
    """Fill the review, finding and theme from the recommendation and the theme response where
    not given, and check that every link is the partnership's."""
    if recommendation is not None:
        for name in ("review", "finding", "theme"):
            if fields.get(name) is None:
                fields[name] = getattr(recommendation, name)
    response = fields.get("theme_response")
    if response is not None:
        if fields.get("theme") is None:
            fields["theme"] = response.theme
        elif fields["theme"].pk != response.theme_id:
            raise ActionError("The theme must be the theme of the response")
    finding = fields.get("finding")
    if finding is not None and fields.get("review") is None:
        fields["review"] = finding.review
    _check_partnership(
        partnership,
        recommendation=recommendation,
        **{k: fields.get(k) for k in ("review", "finding", "theme", "theme_response")},
    )
    return fields


@transaction.atomic
def recommendation_create(
    *,
    actor: Any,
    partnership: Partnership,
    title: str,
    text: str,
    made_on: dt.date,
    review: Any = None,
    finding: Any = None,
    theme: Any = None,
) -> Recommendation:
    _check_partnership(partnership, review=review, finding=finding, theme=theme)
    if finding is not None and review is not None and finding.review_id != review.pk:
        raise ActionError("The finding must be one of the review's findings")
    recommendation = Recommendation(
        partnership=partnership,
        title=title.strip(),
        text=text.strip(),
        made_on=made_on,
        review=review or (finding.review if finding else None),
        finding=finding,
        theme=theme,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    save_and_record(recommendation, actor=actor, summary=f"Recorded recommendation: {title}")
    return recommendation


@transaction.atomic
def action_create(
    *,
    actor: Any,
    partnership: Partnership,
    title: str,
    owner_agency: Agency,
    lead: str,
    agreed_on: dt.date,
    due_on: dt.date,
    description: str = "",
    recommendation: Recommendation | None = None,
    **links: Any,
) -> Action:
    """Set an action for one agency; its clock starts on the date agreed.

    `links` may name `review`, `finding`, `theme` and `theme_response`; missing ones are taken
    from the recommendation (and the theme from the response).
    """
    _check_partnership(partnership, owner_agency=owner_agency)
    if due_on < agreed_on:
        raise ActionError("The due date must be on or after the date agreed")
    links = _links(partnership, recommendation, dict(links))
    action = Action(
        partnership=partnership,
        title=title.strip(),
        description=description.strip(),
        owner_agency=owner_agency,
        lead=lead.strip(),
        agreed_on=agreed_on,
        due_on=due_on,
        recommendation=recommendation,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **links,
    )
    save_and_record(action, actor=actor, summary=f"Set action for {owner_agency}: {title}")
    action_clock_sync(action)
    return action


@transaction.atomic
def actions_create_many(
    *, actor: Any, partnership: Partnership, actions: list[dict[str, Any]]
) -> list[Action]:
    """Set many actions at once (a spreadsheet import), in bulk statements, leaving the rows
    that this sequence leaves for each, one action at a time: `action_create` (with `title`,
    `owner_agency`, `lead`, `agreed_on`, `due_on`, `description`, `review`, `theme`); then, when
    `evidence` is given, `evidence_add` of that note (which moves a not-started action on to in
    progress); then `action_set_status` to `status` (on `completed_on` when completed, else on
    the date agreed) when it differs. Each step's history and audit rows are written as those
    services write them; the clock once, as it ends. All or none: a refusal raises ActionError
    (its `index` is the action's position) before anything is written."""
    from safeguarding.actionplans.clocks import action_rule_for
    from safeguarding.core import bulk
    from safeguarding.core.clocks import calendar_for

    user = bulk.user_of(actor)
    objs: list[Action] = []
    for index, values in enumerate(actions):
        try:
            objs.append(_bulk_action(partnership, user, values))
        except ActionError as error:
            error.index = index  # type: ignore[attr-defined]
            raise
    bulk.clean_each(objs)
    Action.objects.bulk_create(objs, batch_size=bulk.BATCH)
    # The states each action passes through, as copies holding its primary key.
    created = [_as(action, ActionStatus.NOT_STARTED, None) for action in objs]
    audit = bulk.AuditRows(actor)
    bulk.history_create(Action, created, user=user)
    for action, values, first in zip(objs, actions, created, strict=True):
        audit.created(first, f"Set action for {action.owner_agency}: {values['title']}")
    evidence = [
        EvidenceItem(
            action=action,
            kind=EvidenceKind.NOTE,
            description=values["evidence"].strip(),
            added_by=user,
        )
        for action, values in zip(objs, actions, strict=True)
        if values.get("evidence")
    ]
    bulk.clean_each(evidence)
    EvidenceItem.objects.bulk_create(evidence, batch_size=bulk.BATCH)
    bulk.history_create(EvidenceItem, evidence, user=user)
    steps: list[Action] = []
    current = {action.pk: first for action, first in zip(objs, created, strict=True)}
    for item in evidence:
        audit.created(item, f"Added evidence to action: {item.action.title}")
        before = current[item.action.pk]
        moved = _as(before, ActionStatus.IN_PROGRESS, None)
        audit.changed(moved, f"Action in progress: {moved.title}", snapshot(before))
        steps.append(moved)
        current[moved.pk] = moved
    bulk.history_create(Action, steps, user=user, update=True)
    final: list[Action] = []
    for action in objs:
        before = current[action.pk]
        if action.status == before.status and action.status != ActionStatus.COMPLETED:
            continue
        label = ActionStatus(action.status).label.lower()
        audit.changed(action, f"Action {label}: {action.title}", snapshot(before))
        final.append(action)
    bulk.history_create(Action, final, user=user, update=True)
    audit.write()
    _action_clocks_create(objs, action_rule_for(partnership), calendar_for(partnership))
    return objs


def _as(action: Action, status: str, completed_on: dt.date | None) -> Action:
    """A copy of `action` (same primary key) in another status, for its history rows."""
    copy = Action(**{f.attname: getattr(action, f.attname) for f in Action._meta.concrete_fields})
    copy.status, copy.completed_on = status, completed_on
    copy.owner_agency = action.owner_agency
    copy.partnership = action.partnership
    return copy


def _bulk_action(partnership: Partnership, user: Any, values: dict[str, Any]) -> Action:
    """One action of `actions_create_many` in its final state, checked as the services check it."""
    _check_partnership(partnership, owner_agency=values["owner_agency"])
    if values["due_on"] < values["agreed_on"]:
        raise ActionError("The due date must be on or after the date agreed")
    links = _links(
        partnership, None, {"review": values.get("review"), "theme": values.get("theme")}
    )
    status = values.get("status") or ActionStatus.NOT_STARTED
    if status not in ActionStatus.values:
        raise ActionError("Choose a status")
    if values.get("evidence") and not values["evidence"].strip():
        raise ActionError("Enter what the evidence shows")
    if status == ActionStatus.COMPLETED:
        if not values.get("evidence"):
            raise ActionError("Add evidence before marking the action completed")
        if values.get("completed_on") is None or values["completed_on"] < values["agreed_on"]:
            raise ActionError("The date completed must be on or after the date agreed")
    return Action(
        partnership=partnership,
        title=values["title"].strip(),
        description=(values.get("description") or "").strip(),
        owner_agency=values["owner_agency"],
        lead=values["lead"].strip(),
        agreed_on=values["agreed_on"],
        due_on=values["due_on"],
        status=status,
        completed_on=values["completed_on"] if status == ActionStatus.COMPLETED else None,
        created_by=user,
        **links,
    )


def _action_clocks_create(actions: list[Action], rule: Any, calendar: Any) -> None:
    """The clocks `action_clock_sync` stores for these actions, in one insert."""
    from django.contrib.contenttypes.models import ContentType

    from safeguarding.core.models import Clock

    subject_type = ContentType.objects.get_for_model(Action)
    clocks = []
    for action in actions:
        stopped = action.completed_on if action.is_completed else None
        clocks.append(
            Clock(
                partnership=action.partnership,
                rule=rule,
                subject_type=subject_type,
                subject_id=action.pk,
                label=f"Action: {action.title} ({action.owner_agency})"[:200],
                starts_on=action.agreed_on,
                due_on=action.due_on,
                due_soon_from=calendar.add(action.due_on, -rule.due_soon_working_days),
                paused_working_days=0,
                stopped_on=stopped,
                variance_working_days=calendar.between(action.due_on, stopped) if stopped else None,
            )
        )
    Clock.objects.bulk_create(clocks, batch_size=500)


@transaction.atomic
def action_update(*, actor: Any, action: Action, **fields: Any) -> Action:
    """Change what an action is, who owns it and when it is due (the business unit's page)."""
    before = snapshot(action)
    recommendation = fields.pop("recommendation", action.recommendation)
    if "owner_agency" in fields:
        _check_partnership(action.partnership, owner_agency=fields["owner_agency"])
    links: dict[str, Any] = {
        k: fields.pop(k) for k in ("review", "finding", "theme", "theme_response") if k in fields
    }
    for name, value in {**fields, **_links(action.partnership, recommendation, links)}.items():
        setattr(action, name, value)
    action.recommendation = recommendation
    if action.due_on < action.agreed_on:
        raise ActionError("The due date must be on or after the date agreed")
    save_and_record(action, actor=actor, summary=f"Changed action: {action.title}", before=before)
    action_clock_sync(action)
    return action


@transaction.atomic
def action_set_status(
    *, actor: Any, action: Action, status: str, on: dt.date, note: str = ""
) -> Action:
    """Move an action on. Completing it needs evidence already attached: no evidence, no
    completion, whoever asks and however."""
    # Lock the row so evidence cannot be withdrawn between the check and the save.
    Action.objects.select_for_update().filter(pk=action.pk).first()
    if status not in ActionStatus.values:
        raise ActionError("Choose a status")
    if status == ActionStatus.COMPLETED:
        if not action.evidence.exists():
            raise ActionError("Add evidence before marking the action completed")
        if on < action.agreed_on:
            raise ActionError("The date completed must be on or after the date agreed")
    before = snapshot(action)
    action.status = status
    action.completed_on = on if status == ActionStatus.COMPLETED else None
    if note.strip():
        action.progress_note = note.strip()
    save_and_record(
        action,
        actor=actor,
        summary=f"Action {ActionStatus(status).label.lower()}: {action.title}",
        before=before,
    )
    action_clock_sync(action)
    return action


def check_evidence_file(upload: UploadedFile) -> str:
    """The content type to store for an allowed file, or ActionError saying what is wrong."""
    name = upload.name or ""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in ALLOWED_EXTENSIONS:
        allowed = ", ".join(sorted(s.lstrip(".").upper() for s in ALLOWED_EXTENSIONS))
        raise ActionError(f"The file must be one of these types: {allowed}")
    if upload.size is None or upload.size == 0:
        raise ActionError("The selected file is empty")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ActionError("The file must be smaller than 10 MB")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    signatures = _SIGNATURES.get(suffix)
    if signatures and not head.startswith(signatures):
        raise ActionError(f"The file is not a real {suffix.lstrip('.').upper()} file")
    if not signatures and b"\x00" in head:
        raise ActionError(f"The file is not a real {suffix.lstrip('.').upper()} file")
    return ALLOWED_EXTENSIONS[suffix]


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    action: Action,
    kind: str,
    description: str,
    upload: UploadedFile | None = None,
    url: str = "",
) -> EvidenceItem:
    """Attach a note, a file or a link to an action."""
    if not description.strip():
        raise ActionError("Enter what the evidence shows")
    item = EvidenceItem(
        action=action,
        kind=kind,
        description=description.strip(),
        added_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if kind == EvidenceKind.FILE:
        if upload is None:
            raise ActionError("Choose a file")
        item.content_type = check_evidence_file(upload)
        item.original_name = PurePosixPath(upload.name or "evidence").name[:200]
        item.size = upload.size or 0
        item.file.save(item.original_name, upload, save=False)
    elif kind == EvidenceKind.LINK:
        if not url:
            raise ActionError("Enter the link")
        item.url = url
    elif kind != EvidenceKind.NOTE:
        raise ActionError("Choose the kind of evidence")
    try:
        save_and_record(item, actor=actor, summary=f"Added evidence to action: {action.title}")
    except Exception:
        # The database row was not written: do not leave the file behind.
        if item.file:
            item.file.delete(save=False)
        raise
    if action.status == ActionStatus.NOT_STARTED:
        action_set_status(
            actor=actor, action=action, status=ActionStatus.IN_PROGRESS, on=timezone.localdate()
        )
    return item
