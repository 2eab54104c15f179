"""Every write is audited: each record the demo creates through the services has its own
"created" audit row, except the records a declared list names as derived (with the reason)."""

from __future__ import annotations

import pytest
from django.apps import apps

from safeguarding.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db

# Records written by the system as a consequence of an audited change or as a partnership's
# defaults, not by a person; a person's later change to them is audited by its service.
DERIVED: dict[str, str] = {
    "accounts.AgeBand": "the partnership's default bands, with its 'Created partnership' row; "
    "changes: age_band_save",
    "core.Clock": "deadlines computed from the audited record they belong to",
    "core.ClockRule": "default rules installed on first use; changes: clock_rule_update",
    "escalations.EscalationStage": "default stages installed on first use; changes: stage_save",
    "learning.FindingTheme": "a finding's theme tags, in the finding's 'Tagged a finding' row",
    "learning.LearningSettings": "the partnership's defaults, created on first use",
    "learning.Theme": "a taxonomy version's themes, in that TaxonomyVersion's created row",
    "learning.ThemeRevision": "a taxonomy version's theme texts, in that version's row",
    "records.RetentionRule": "the default retention schedule, installed by a data migration",
}


def _our_models():
    for model in apps.get_models():
        if model.__module__.startswith("safeguarding.") and not model.__name__.startswith(
            "Historical"
        ):
            yield model


def test_every_record_the_demo_created_has_its_created_row(demo):
    report = {}
    for model in _our_models():
        label = model._meta.label
        if model is AuditEvent:
            continue
        ids = {str(pk) for pk in model._default_manager.values_list("pk", flat=True)}
        if not ids:
            continue
        audited = set(
            AuditEvent.objects.filter(
                object_type=label, action=AuditAction.CREATE, object_id__in=ids
            ).values_list("object_id", flat=True)
        )
        report[label] = (len(ids), len(audited))
    for label, (n, a) in sorted(report.items()):
        print(f"{label:40} rows {n:5} created-rows {a:5}")
    gaps = {k: v for k, v in report.items() if v[0] != v[1] and k not in DERIVED}
    print(
        f"models with records {len(report)}, audited one row per record "
        f"{sum(1 for v in report.values() if v[0] == v[1])}, derived {len(DERIVED)}, "
        f"gaps {len(gaps)}"
    )
    assert gaps == {}
