"""Who may see which records, computed a second time for the security tests.

This module deliberately does not call `safeguarding.accounts.access`: it restates the policy of
DESIGN.md (who uses it, and may what) as plain ORM filters on partnership and agency ids, so a
mistake in the app's access module shows up as a difference between the two instead of being
copied into the test's expectation.

The policy, per role, within the user's own partnership only:
- business unit, review advisory group member, independent scrutineer: every review, case,
  incident, finding, action, recommendation, learning product, event and assurance record;
  escalation records only for the business unit (the others see aggregate escalation figures).
- agency lead: reviews their agency took part in (named on the review, or involved in its case)
  and those reviews' cases, incidents and findings; their own agency's actions (and the
  recommendations behind them), evidence, assurance records and submissions; escalations raised
  by or about their agency; every learning product and event.
- scrutiny reader: published reports only; the taxonomy and other partnership-wide lists.
- analyst (no partnership) and everyone of another partnership: nothing of this partnership.
Report versions: the business unit every version; the review advisory group and the scrutineer
finished ones; agency leads published ones (a learning brief only of a review in their scope);
scrutiny readers published ones.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from safeguarding.accounts.models import AgeBand, Agency, Role
from safeguarding.actionplans.models import Action, EvidenceItem, Recommendation
from safeguarding.core.models import ClockRule
from safeguarding.dissemination.models import (
    AssuranceRecord,
    AssuranceSubmission,
    LearningEvent,
    LearningProduct,
)
from safeguarding.escalations.models import Escalation, EscalationStage, EscalationStep
from safeguarding.learning.models import Finding, FindingComment, Theme, ThemeResponse
from safeguarding.reports.models import ReportVersion
from safeguarding.reviews.models import Case, Incident, Review

# The policy's role groups, written out here rather than imported.
ALL_RECORDS = {Role.BUSINESS_UNIT, Role.RAG_MEMBER, Role.SCRUTINEER}
ESCALATION_RECORDS = {Role.BUSINESS_UNIT}

# Every kind of record a page, export or API response can point at, by the name the tests use.
KINDS: dict[str, Any] = {
    "agency": Agency,
    "age_band": AgeBand,
    "clock_rule": ClockRule,
    "case": Case,
    "incident": Incident,
    "review": Review,
    "finding": Finding,
    "comment": FindingComment,
    "theme": Theme,
    "theme_response": ThemeResponse,
    "action": Action,
    "evidence": EvidenceItem,
    "recommendation": Recommendation,
    "product": LearningProduct,
    "event": LearningEvent,
    "assurance_record": AssuranceRecord,
    "submission": AssuranceSubmission,
    "escalation": Escalation,
    "escalation_step": EscalationStep,
    "escalation_stage": EscalationStage,
    "report_version": ReportVersion,
}

# URL name -> (kind, keyword argument) for every route that takes a record id.
LINK_KINDS: dict[str, tuple[str, str]] = {
    "accounts:clock_rule_edit": ("clock_rule", "pk"),
    "accounts:age_band_edit": ("age_band", "pk"),
    "accounts:age_band_remove": ("age_band", "pk"),
    "accounts:agency_edit": ("agency", "pk"),
    "accounts:agency_retire": ("agency", "pk"),
    **{f"reviews:{name}": ("incident", "pk") for name in ("incident_detail", "incident_edit")},
    **{
        f"reviews:{name}": ("case", "pk")
        for name in ("case_detail", "case_edit", "case_identity", "case_identity_edit")
    },
    **{
        f"reviews:{name}": ("review", "pk")
        for name in (
            "review_detail",
            "review_edit",
            "review_decision",
            "review_signoff",
            "review_pause",
            "review_resume",
            "review_commission",
        )
    },
    **{
        f"learning:{name}": ("finding", "pk")
        for name in ("finding_detail", "finding_edit", "finding_withdraw", "finding_comment")
    },
    "learning:review_findings_add": ("review", "pk"),
    **{
        f"learning:{name}": ("theme", "pk")
        for name in ("theme_detail", "theme_edit", "theme_merge", "theme_retire", "theme_response")
    },
    **{
        f"escalations:{name}": ("escalation", "pk")
        for name in ("detail", "move_up", "close", "edit")
    },
    "escalations:step_clock": ("escalation_step", "pk"),
    "escalations:stage_edit": ("escalation_stage", "pk"),
    **{
        f"actionplans:{name}": ("action", "pk")
        for name in ("action_detail", "action_edit", "action_status", "evidence_add")
    },
    "actionplans:evidence_download": ("evidence", "pk"),
    "actionplans:recommendation_detail": ("recommendation", "pk"),
    **{
        f"dissemination:{name}": ("product", "pk")
        for name in (
            "product_detail",
            "product_edit",
            "event_create",
            "assurance_request",
            "audit_result",
        )
    },
    **{f"dissemination:{name}": ("event", "pk") for name in ("event_edit", "attendance")},
    "dissemination:record_detail": ("assurance_record", "pk"),
    "dissemination:submission_decide": ("submission", "pk"),
    **{
        f"reports:{name}": ("report_version", "pk")
        for name in ("version", "progress", "publish", "download")
    },
    "reports:brief": ("review", "review_pk"),
}

# API basename -> kind.
API_KINDS = {
    "agency": "agency",
    "incident": "incident",
    "case": "case",
    "review": "review",
    "finding": "finding",
    "theme": "theme",
    "action": "action",
    "learning-product": "product",
    "learning-event": "event",
    "assurance-record": "assurance_record",
    "escalation": "escalation",
    "escalation-stage": "escalation_stage",
}


def _ids(queryset: Any) -> frozenset[int]:
    return frozenset(queryset.values_list("pk", flat=True))


def scope_for(user: Any) -> dict[str, frozenset[int]]:
    """The ids of every record of each kind that `user` may see, from the policy above."""
    pid = user.partnership_id if user.is_active else None
    role = user.role
    agency = user.agency_id
    lead = role == Role.AGENCY_LEAD
    working = pid is not None and (role in ALL_RECORDS or lead)
    mine = Q(partnership_id=pid)
    scope: dict[str, frozenset[int]] = {kind: frozenset() for kind in KINDS}
    if pid is None:
        return scope
    # Partnership-wide lists every member sees (settings pages themselves are the business
    # unit's; the ids are still the partnership's own).
    for kind in ("agency", "age_band", "clock_rule", "theme", "theme_response", "escalation_stage"):
        scope[kind] = _ids(KINDS[kind].objects.filter(mine))
    scope["report_version"] = _report_versions(pid, role, agency)
    if not working:
        return scope

    reviews = Review.objects.filter(mine)
    cases = Case.objects.filter(mine)
    actions = Action.objects.filter(mine)
    recommendations = Recommendation.objects.filter(mine)
    records = AssuranceRecord.objects.filter(mine)
    escalations = Escalation.objects.filter(mine) if role in ESCALATION_RECORDS else None
    if lead:
        reviews = reviews.filter(Q(agencies__id=agency) | Q(case__agencies_involved__id=agency))
        cases = cases.filter(Q(agencies_involved__id=agency) | Q(reviews__agencies__id=agency))
        actions = actions.filter(owner_agency_id=agency)
        recommendations = recommendations.filter(actions__owner_agency_id=agency)
        records = records.filter(agency_id=agency)
        escalations = Escalation.objects.filter(mine).filter(
            Q(raised_by_agency_id=agency) | Q(about_agency_id=agency)
        )
    scope["review"] = review_ids = _ids(reviews)
    scope["case"] = case_ids = _ids(cases)
    scope["incident"] = _ids(Incident.objects.filter(mine, case_id__in=case_ids))
    scope["finding"] = finding_ids = _ids(Finding.objects.filter(mine, review_id__in=review_ids))
    scope["comment"] = _ids(FindingComment.objects.filter(finding_id__in=finding_ids))
    scope["action"] = action_ids = _ids(actions)
    scope["evidence"] = _ids(EvidenceItem.objects.filter(action_id__in=action_ids))
    scope["recommendation"] = _ids(recommendations)
    scope["product"] = product_ids = _ids(LearningProduct.objects.filter(mine))
    scope["event"] = _ids(LearningEvent.objects.filter(product_id__in=product_ids))
    scope["assurance_record"] = record_ids = _ids(records)
    scope["submission"] = _ids(AssuranceSubmission.objects.filter(record_id__in=record_ids))
    if escalations is not None:
        scope["escalation"] = escalation_ids = _ids(escalations)
        scope["escalation_step"] = _ids(
            EscalationStep.objects.filter(escalation_id__in=escalation_ids)
        )
    return scope


def _report_versions(pid: int, role: str, agency: int | None) -> frozenset[int]:
    versions = ReportVersion.objects.filter(report__partnership_id=pid)
    if role == Role.BUSINESS_UNIT:
        return _ids(versions)
    if role not in ALL_RECORDS | {Role.AGENCY_LEAD, Role.SCRUTINY_READER}:
        return frozenset()
    versions = versions.filter(generation="done")
    if role in ALL_RECORDS:
        return _ids(versions)
    versions = versions.filter(published_at__isnull=False)
    if role == Role.AGENCY_LEAD:
        took_part = Review.objects.filter(partnership_id=pid).filter(
            Q(agencies__id=agency) | Q(case__agencies_involved__id=agency)
        )
        versions = versions.filter(Q(report__kind="scrutiny") | Q(report__review__in=took_part))
    return _ids(versions)


def partnership_of(kind: str, pk: int) -> int | None:
    """The partnership a record belongs to (through its parent where it has no own column)."""
    model = KINDS[kind]
    path = {
        "comment": "finding__partnership_id",
        "evidence": "action__partnership_id",
        "event": "product__partnership_id",
        "submission": "record__partnership_id",
        "escalation_step": "escalation__partnership_id",
        "report_version": "report__partnership_id",
    }.get(kind, "partnership_id")
    return model.objects.filter(pk=pk).values_list(path, flat=True).first()


# --- Field level -----------------------------------------------------------------------------
# The identifying details of a child (the case's restricted record). They may appear on the
# business unit's audited identifying-details pages and nowhere else: no list, export, API
# response, search result, document or other page, for any role.
IDENTIFYING_FIELDS = ("child_name", "date_of_birth", "address", "agency_record_numbers")
IDENTITY_PAGES: dict[str, frozenset[str]] = {
    Role.BUSINESS_UNIT: frozenset({"reviews:case_identity", "reviews:case_identity_edit"})
}

# The fields each API resource may carry (the same for every role that may read it). Nothing
# identifying, no user account details, no internal bookkeeping of other partnerships.
API_FIELDS: dict[str, frozenset[str]] = {
    "agency": frozenset({"id", "name", "short_name", "is_statutory_partner", "workforce_size"}),
    "incident": frozenset(
        {"id", "case", "case_reference", "created_at", "decision", "decision_rationale"}
        | {"la_aware_on", "notified_on", "summary"}
    ),
    "case": frozenset(
        {"id", "reference", "age_years", "age_band", "sex", "ethnicity", "disability"}
        | {"outcome", "category", "incident_date", "agencies_involved"}
    ),
    "review": frozenset(
        {"id", "kind", "title", "case", "incident", "status", "opened_on", "completed_on"}
        | {"agencies", "audit_topic", "author", "commissioned_on", "decision", "decision_on"}
        | {"decision_rationale", "panel_agreed", "panel_response_on", "publication_url"}
        | {"published_on", "sent_to_panel_on"}
    ),
    "finding": frozenset(
        {"id", "review", "kind", "text", "source_passage", "themes", "agencies", "created_at"}
        | {"withdrawn_at", "withdrawn_reason"}
    ),
    "theme": frozenset({"id", "name", "definition", "keywords", "parent", "status", "merged_into"}),
    "action": frozenset(
        {"id", "title", "description", "owner_agency", "lead", "agreed_on", "due_on", "status"}
        | {"completed_on", "progress_note", "recommendation", "review", "finding", "theme"}
        | {"theme_response", "evidence_count"}
    ),
    "learning-product": frozenset({"id", "kind", "title", "summary", "issued_on"})
    | {"reviews", "themes"},
    "learning-event": frozenset(
        {"id", "product", "title", "held_on", "status", "capacity", "audience_agencies"}
    ),
    "assurance-record": frozenset({"id", "product", "agency", "stage", "stage_on", "requested_on"}),
    "escalation": frozenset(
        {"id", "reference", "raised_by_agency", "raised_by_name", "about_agency", "category"}
        | {"child_reference", "raised_on", "stage", "stage_number", "status", "closed_on"}
        | {"how_resolved", "outcome_note", "working_days_to_close", "summary", "themes"}
    ),
    "escalation-stage": frozenset({"id", "number", "name", "working_days", "description"}),
}

# Ids of other records inside an API resource: (resource, key) -> kind. They are records too,
# and must be within the reader's scope like any link.
API_REFS: dict[tuple[str, str], str] = {
    ("incident", "case"): "case",
    ("case", "agencies_involved"): "agency",
    ("review", "case"): "case",
    ("review", "incident"): "incident",
    ("review", "agencies"): "agency",
    ("finding", "review"): "review",
    ("finding", "themes"): "theme",
    ("finding", "agencies"): "agency",
    ("action", "owner_agency"): "agency",
    ("action", "recommendation"): "recommendation",
    ("action", "review"): "review",
    ("action", "finding"): "finding",
    ("action", "theme"): "theme",
    ("action", "theme_response"): "theme_response",
    ("learning-product", "reviews"): "review",
    ("learning-product", "themes"): "theme",
    ("learning-event", "product"): "product",
    ("learning-event", "audience_agencies"): "agency",
    ("assurance-record", "product"): "product",
    ("assurance-record", "agency"): "agency",
    ("escalation", "raised_by_agency"): "agency",
    ("escalation", "about_agency"): "agency",
    ("escalation", "themes"): "theme",
}
