"""Small worlds for the reports workflow tests: a case with a restricted identifying record, a
review of it with findings, and issued versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safeguarding.learning.models import FindingKind
from safeguarding.learning.services import finding_create
from safeguarding.reports import generation, services
from safeguarding.reports.document import Document, Paragraph, Section
from safeguarding.reports.models import ReportVersion
from safeguarding.reviews.models import Review
from safeguarding.reviews.services import case_identity_save, review_create
from safeguarding.testing.factories import World, make_case

CHILD_NAME = "Jayden Okafor"
DATE_OF_BIRTH = dt.date(2019, 3, 14)
GOOD = "Health visitors shared concerns with children's social care on the same day."
IMPROVE = "Practitioners did not ask who else lived in the household."


def make_reviewed_case(world: World, *, reference: str = "Child P", agencies: Any = None) -> Review:
    """A local learning review of a case (police and health took part) with one finding of
    each kind; the case's identifying record holds a name, date of birth, address and numbers."""
    bu = world.business_unit
    case = make_case(world, reference=reference, agencies=[world.police])
    case_identity_save(
        actor=bu,
        case=case,
        child_name=CHILD_NAME,
        date_of_birth=DATE_OF_BIRTH,
        address="14 Larch Road\nExampletown\nEX1 2AB",
        agency_record_numbers="Police 12/3456/22\nChildren's services CS-778812",
    )
    review = review_create(
        actor=bu,
        partnership=world.partnership,
        kind="local_learning",
        title=f"Local learning review: {reference}",
        case=case,
        opened_on=dt.date(2022, 1, 10),
        agencies=[world.police, world.health] if agencies is None else agencies,
    )
    finding_create(actor=bu, review=review, kind=FindingKind.GOOD_PRACTICE, text=GOOD)
    finding_create(actor=bu, review=review, kind=FindingKind.IMPROVEMENT, text=IMPROVE)
    return review


def issue_brief(
    world: World,
    review: Review,
    *,
    summary: str = "A baby was seriously harmed; agencies knew the family well.",
    questions: str = "Who else lives in the home?\nWhat does the child's day look like?",
) -> ReportVersion:
    report = services.brief_save(
        actor=world.business_unit, review=review, summary=summary, questions=questions
    )
    version = services.brief_issue(actor=world.business_unit, report=report)
    version.refresh_from_db()
    return version


def _small_scrutiny(version: ReportVersion, *, published: bool) -> Document:
    return Document(
        title=version.report.title,
        subtitle="",
        partnership_name=version.report.partnership.name,
        period_label=generation.period_label(version.period_start, version.period_end),
        status_label="Published" if published else "Draft",
        sections=(Section("Introduction", (Paragraph((version.text.get("introduction", ""),)),)),),
        published=published,
    )


@pytest.fixture
def fast_render(monkeypatch: Any) -> None:
    """Where a test is about the workflow only: a one-section scrutiny report, and no real
    Word/PDF/HTML rendering (the renderers have their own tests)."""
    monkeypatch.setattr(
        generation, "render", lambda document, fmt: f"{fmt}:{document.title}".encode()
    )
    monkeypatch.setattr(generation, "scrutiny_document", _small_scrutiny)
