"""The learning brief: anonymised, built from the review's findings and the brief's own text,
and rendered as a Word file that reads back and a PDF of one or two pages."""

from __future__ import annotations

import io

import docx
import pypdf
from django.utils import timezone

from safeguarding.reports.brief import BriefText, build_brief
from safeguarding.reports.models import FileFormat, Rendition, ReportFile
from safeguarding.reports.tests.report_helpers import (
    CHILD_NAME,
    GOOD,
    IMPROVE,
    issue_brief,
    make_reviewed_case,
)


def test_the_brief_holds_the_current_findings_and_questions_and_only_the_pseudonym(world):
    review = make_reviewed_case(world)
    document = build_brief(
        review=review,
        text=BriefText(summary="Agencies knew the family.", questions="Who lives at home?"),
        published=False,
    )
    text = document.plain_text()
    assert document.title == "Learning brief: local learning review, Child P"
    for expected in (GOOD, IMPROVE, "Who lives at home?", "Agencies knew the family."):
        assert expected in text
    assert "Okafor" not in text and "Jayden" not in text
    assert document.status_label == "Draft"

    # A withdrawn finding is left out.
    review.findings.filter(text=GOOD).update(withdrawn_at=timezone.now())
    document = build_brief(review=review, text=BriefText("", ""), published=True)
    assert GOOD not in document.plain_text()
    assert "No good practice has been recorded" in document.plain_text()
    assert document.status_label == "Published"


def test_an_issued_brief_reads_back_in_word_and_has_one_or_two_pdf_pages(world):
    review = make_reviewed_case(world)
    version = issue_brief(world, review)
    assert version.is_ready, version.error

    word = ReportFile.objects.get(
        version=version, rendition=Rendition.PUBLIC, format=FileFormat.DOCX
    )
    paragraphs = [p.text for p in docx.Document(io.BytesIO(bytes(word.content))).paragraphs]
    body = "\n".join(paragraphs)
    assert "Learning brief: local learning review, Child P" in body
    assert GOOD in body and IMPROVE in body
    assert "Who else lives in the home?" in body
    assert CHILD_NAME not in body

    pdf = ReportFile.objects.get(version=version, rendition=Rendition.PUBLIC, format=FileFormat.PDF)
    reader = pypdf.PdfReader(io.BytesIO(bytes(pdf.content)))
    assert 1 <= len(reader.pages) <= 2
    assert "Questions for practitioners" in "".join(page.extract_text() for page in reader.pages)
