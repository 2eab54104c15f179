"""Disposal under the retention schedule, with a simulated clock, and legal holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from safeguarding.actionplans.models import Action, EvidenceItem
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.core.models import Clock
from safeguarding.learning.models import Finding
from safeguarding.records.models import DEFAULT_YEARS, RecordType, RetentionRule
from safeguarding.records.retention import apply_retention, describe
from safeguarding.records.services import legal_hold_lift, legal_hold_place
from safeguarding.records.tests.helpers import D, make_closed_case, make_unnotified_incident
from safeguarding.reviews.models import Case, CaseIdentity, Incident, Review

pytestmark = pytest.mark.django_db

CASE_YEARS = DEFAULT_YEARS[RecordType.CASE]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_path(item: EvidenceItem) -> Path:
    return Path(item.file.path)


def case_gone(closed) -> bool:
    return not Case.objects.filter(pk=closed.case.pk).exists()


def history_rows(model, pk) -> int:
    return model.history.model.objects.filter(id=pk).count()


def test_a_new_partnership_starts_with_the_default_schedule(world):
    rules = {
        r.record_type: r.years for r in RetentionRule.objects.filter(partnership=world.partnership)
    }
    assert rules == DEFAULT_YEARS


def test_a_case_is_kept_until_its_period_ends_and_disposed_of_on_the_day(
    world, django_capture_on_commit_callbacks
):
    closed = make_closed_case(world, completed_on=D(2010, 5, 10))
    # Files kept longer than cases here, so the case's disposal is what removes its file.
    RetentionRule.objects.filter(
        partnership=world.partnership, record_type=RecordType.EVIDENCE_FILE
    ).update(years=CASE_YEARS + 1)
    file_path = stored_path(closed.evidence)
    assert file_path.exists()
    due = D(2010 + CASE_YEARS, 5, 10)

    before = apply_retention(world.partnership, today=due - dt.timedelta(days=1))
    assert sum(before.disposed.values()) == 0
    assert not case_gone(closed)

    with django_capture_on_commit_callbacks(execute=True):
        result = apply_retention(world.partnership, today=due)
    assert result.disposed[RecordType.CASE] == 1
    assert case_gone(closed)
    # Everything under it went, with its history and its stored file.
    assert not Review.objects.filter(pk=closed.review.pk).exists()
    assert not CaseIdentity.objects.filter(case_id=closed.case.pk).exists()
    assert not Finding.objects.filter(review_id=closed.review.pk).exists()
    assert not Action.objects.filter(pk=closed.action.pk).exists()
    assert not EvidenceItem.objects.filter(pk=closed.evidence.pk).exists()
    assert not Clock.objects.filter(subject_id=closed.review.pk, label__contains="review").exists()
    assert history_rows(Case, closed.case.pk) == 0
    assert history_rows(Review, closed.review.pk) == 0
    assert history_rows(CaseIdentity, closed.case.identity.pk) == 0
    assert not file_path.exists()
    # One audit row, naming no one; the audit rows about the case are all still there.
    disposals = AuditEvent.objects.filter(action=AuditAction.DISPOSE)
    assert disposals.count() == 1
    row = disposals.get()
    assert row.object_type == "reviews.Case" and row.object_id == str(closed.case.pk)
    assert closed.case.reference not in row.summary and "Fictional Name" not in row.summary
    assert AuditEvent.objects.filter(object_type="reviews.Case", action="create").exists()


def test_a_case_past_its_period_is_disposed_of_on_a_later_run_too(world):
    closed = make_closed_case(world, completed_on=D(2010, 5, 10))
    result = apply_retention(world.partnership, today=D(2010 + CASE_YEARS + 3, 1, 1))
    assert result.disposed[RecordType.CASE] == 1
    assert case_gone(closed)


def test_a_case_with_a_review_in_progress_is_never_due(world):
    closed = make_closed_case(world, completed_on=D(2010, 5, 10))
    Review.objects.filter(pk=closed.review.pk).update(status="open")
    result = apply_retention(world.partnership, today=D(2060, 1, 1))
    assert result.disposed[RecordType.CASE] == 0
    assert not case_gone(closed)


def test_a_hold_on_a_case_stops_disposal_until_it_is_lifted(world):
    closed = make_closed_case(world)
    officer = world.business_unit
    hold = legal_hold_place(
        actor=officer, partnership=world.partnership, case=closed.case, reason="Civil claim"
    )
    late = D(2050, 1, 1)
    held = apply_retention(world.partnership, today=late)
    assert held.held >= 2  # the case and the evidence file under it
    assert sum(held.disposed.values()) == 0
    assert not case_gone(closed)
    assert EvidenceItem.objects.filter(pk=closed.evidence.pk).exists()

    legal_hold_lift(actor=officer, hold=hold, reason="Claim settled")
    result = apply_retention(world.partnership, today=late)
    assert result.disposed[RecordType.CASE] == 1
    assert case_gone(closed)
    holds = AuditEvent.objects.filter(action=AuditAction.LEGAL_HOLD).order_by("pk")
    assert [h.summary.split(" ")[0] for h in holds] == ["Placed", "Lifted"]
    assert all(h.actor == officer for h in holds)


def test_a_hold_on_a_review_keeps_its_case_and_files(world):
    closed = make_closed_case(world)
    legal_hold_place(
        actor=world.business_unit,
        partnership=world.partnership,
        review=closed.review,
        reason="Inquiry request",
    )
    result = apply_retention(world.partnership, today=D(2050, 1, 1))
    assert sum(result.disposed.values()) == 0
    assert not case_gone(closed)
    assert EvidenceItem.objects.filter(pk=closed.evidence.pk).exists()


def test_an_evidence_file_goes_on_its_own_period_before_its_case(
    world, django_capture_on_commit_callbacks
):
    closed = make_closed_case(world, completed_on=D(2010, 5, 10))
    completed_on = Action.objects.get(pk=closed.action.pk).completed_on
    file_path = stored_path(closed.evidence)
    due = completed_on.replace(year=completed_on.year + DEFAULT_YEARS[RecordType.EVIDENCE_FILE])
    assert apply_retention(world.partnership, today=due - dt.timedelta(days=1)).files_removed == 0
    with django_capture_on_commit_callbacks(execute=True):
        result = apply_retention(world.partnership, today=due)
    assert result.disposed[RecordType.EVIDENCE_FILE] == 1
    assert not file_path.exists()
    assert not case_gone(closed)
    assert history_rows(EvidenceItem, closed.evidence.pk) == 0


def test_an_incident_not_notified_goes_with_its_case_after_its_period(world):
    incident = make_unnotified_incident(world, la_aware_on=D(2015, 3, 2))
    years = DEFAULT_YEARS[RecordType.INCIDENT]
    assert apply_retention(world.partnership, today=D(2015 + years, 3, 1)).disposed == {}
    result = apply_retention(world.partnership, today=D(2015 + years, 3, 2))
    assert result.disposed[RecordType.INCIDENT] == 1
    assert not Incident.objects.filter(pk=incident.pk).exists()
    assert not Case.objects.filter(pk=incident.case_id).exists()


def test_a_longer_period_set_by_the_partnership_is_used(world):
    closed = make_closed_case(world, completed_on=D(2010, 5, 10))
    RetentionRule.objects.filter(partnership=world.partnership, record_type="case").update(
        years=CASE_YEARS + 5
    )
    assert (
        apply_retention(world.partnership, today=D(2010 + CASE_YEARS, 6, 1)).disposed[
            RecordType.CASE
        ]
        == 0
    )
    assert not case_gone(closed)


def test_a_dry_run_counts_but_changes_nothing(world):
    closed = make_closed_case(world)
    audit_rows = AuditEvent.objects.count()
    result = apply_retention(world.partnership, today=D(2050, 1, 1), dry_run=True)
    assert result.disposed[RecordType.CASE] == 1
    assert not case_gone(closed)
    assert AuditEvent.objects.count() == audit_rows


def test_another_partnerships_records_are_not_touched(world, other_world):
    mine = make_closed_case(world)
    theirs = make_closed_case(other_world)
    apply_retention(world.partnership, today=D(2050, 1, 1))
    assert case_gone(mine) and not case_gone(theirs)


def test_the_command_uses_todays_date_and_prints_counts_per_type(world, monkeypatch, capsys):
    make_closed_case(world)
    held = make_closed_case(world)
    legal_hold_place(
        actor=world.business_unit, partnership=world.partnership, case=held.case, reason="Claim"
    )
    monkeypatch.setattr("safeguarding.core.dates.today", lambda: D(2050, 1, 1))
    call_command("apply_retention", "--partnership", world.partnership.slug, "--dry-run")
    dry = capsys.readouterr().out
    assert "would have disposed: cases 1," in dry
    call_command("apply_retention", "--partnership", world.partnership.slug)
    out = capsys.readouterr().out
    # The file was due on its own period (shorter) before the case's.
    assert (
        f"{world.partnership.slug} (2050-01-01): disposed: cases 1, incidents 0, evidence files 1, "
        "import logs 0, report files 0; held back by legal hold: 2"
    ) in out
    assert not case_gone(held)


def test_describe_lists_every_type():
    from safeguarding.records.retention import RetentionResult

    assert describe(RetentionResult()) == (
        "disposed: cases 0, incidents 0, evidence files 0, import logs 0, report files 0; "
        "held back by legal hold: 0"
    )


def test_import_logs_and_unpublished_report_files_go_after_their_periods(world):
    from django.utils import timezone

    from safeguarding.imports.models import ImportLog
    from safeguarding.reports.models import Report, ReportFile, ReportVersion

    issued = timezone.make_aware(dt.datetime(2020, 6, 1, 12, 0))
    log = ImportLog.objects.create(partnership=world.partnership, record_type="cases", sha256="0")
    ImportLog.objects.filter(pk=log.pk).update(imported_at=issued)
    report = Report.objects.create(
        partnership=world.partnership,
        kind="scrutiny",
        title="Scrutiny report",
        period_start=D(2019, 1, 1),
        period_end=D(2019, 12, 31),
    )
    draft = ReportVersion.objects.create(report=report, number=1, generation="done")
    published = ReportVersion.objects.create(
        report=report, number=2, generation="done", published_at=issued
    )
    ReportVersion.objects.filter(pk__in=[draft.pk, published.pk]).update(issued_at=issued)
    for version in (draft, published):
        ReportFile.objects.create(version=version, rendition="draft", format="pdf", content=b"%PDF")

    years = DEFAULT_YEARS[RecordType.REPORT_FILE]
    assert apply_retention(world.partnership, today=D(2020 + years, 5, 31)).disposed == {}
    result = apply_retention(world.partnership, today=D(2020 + years, 6, 1))
    assert result.disposed[RecordType.IMPORT_LOG] == 1
    assert result.disposed[RecordType.REPORT_FILE] == 1
    assert not ImportLog.objects.filter(pk=log.pk).exists()
    # The draft's file went; the published version keeps its file; both versions stay listed.
    assert list(ReportFile.objects.values_list("version_id", flat=True)) == [published.pk]
    assert ReportVersion.objects.filter(report=report).count() == 2


def test_a_case_whose_review_led_to_a_review_of_another_case_waits_for_that_case(world):
    from safeguarding.reviews.services import review_create
    from safeguarding.testing.factories import make_case

    closed = make_closed_case(world, completed_on=D(2010, 5, 10))
    other_case = make_case(world)
    review_create(
        actor=world.business_unit,
        partnership=world.partnership,
        kind="cspr",
        title="Practice review of the other case",
        case=other_case,
        parent=closed.review,
        opened_on=D(2010, 6, 1),
        status="completed",
        completed_on=D(2011, 7, 1),
    )
    first = apply_retention(world.partnership, today=D(2050, 1, 1))
    assert first.blocked == [
        f"Case {closed.case.reference}: a review of another case came out of it"
    ]
    assert not case_gone(closed)
    assert not Case.objects.filter(pk=other_case.pk).exists()  # its own period had passed
    second = apply_retention(world.partnership, today=D(2050, 1, 2))
    assert second.disposed[RecordType.CASE] == 1 and case_gone(closed)
