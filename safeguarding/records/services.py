"""Writes for the retention schedule and legal holds, each with its history and audit row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.core.history import save_and_record, snapshot
from safeguarding.records.models import DEFAULT_YEARS, LegalHold, RecordType, RetentionRule


def retention_rules_install_defaults(*, partnership: Any) -> list[RetentionRule]:
    """Give the partnership a rule for every record type it lacks, with the default period.
    Existing rules are left as they are; returns the partnership's rules."""
    have = set(partnership.retention_rules.values_list("record_type", flat=True))
    for record_type in RecordType:
        if record_type.value not in have:
            RetentionRule.objects.create(
                partnership=partnership,
                record_type=record_type.value,
                years=DEFAULT_YEARS[record_type.value],
            )
    return list(partnership.retention_rules.all())


@transaction.atomic
def retention_rule_update(*, actor: Any, rule: RetentionRule, years: int) -> RetentionRule:
    before = snapshot(rule)
    rule.years = years
    save_and_record(
        rule,
        actor=actor,
        summary=f"Changed the retention period of {rule.get_record_type_display().lower()} "
        f"to {years} years",
        before=before,
    )
    return rule


@transaction.atomic
def legal_hold_place(
    *, actor: Any, partnership: Any, reason: str, case: Any = None, review: Any = None
) -> LegalHold:
    """Place a hold on a case or a review (one of them). Audited as a legal hold change."""
    hold = LegalHold(
        partnership=partnership,
        case=case,
        review=review,
        reason=reason,
        placed_by=actor,
        placed_at=timezone.now(),
    )
    hold._history_user = actor  # type: ignore[attr-defined]
    hold.full_clean()
    hold.save()
    subject = hold.subject
    audit_record(
        actor=actor,
        action=AuditAction.LEGAL_HOLD,
        summary=f"Placed a legal hold on {subject._meta.verbose_name} {subject.pk}",
        obj=subject,
        partnership=partnership,
        changes={"hold": [None, "placed"]},
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: Any, hold: LegalHold, reason: str) -> LegalHold:
    """Lift a hold: from now on its records follow the retention schedule again."""
    hold.lifted_by = actor
    hold.lifted_at = timezone.now()
    hold.lift_reason = reason
    hold._history_user = actor  # type: ignore[attr-defined]
    hold.full_clean()
    hold.save()
    subject = hold.subject
    audit_record(
        actor=actor,
        action=AuditAction.LEGAL_HOLD,
        summary=f"Lifted the legal hold on {subject._meta.verbose_name} {subject.pk}",
        obj=subject,
        partnership=hold.partnership,
        changes={"hold": ["placed", "lifted"]},
    )
    return hold
