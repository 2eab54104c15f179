"""A partnership with no records in the period still gets a whole report, in every format."""

import datetime as dt
import io

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from safeguarding.reports.render_docx import render_docx
from safeguarding.reports.render_pdf import render_pdf
from safeguarding.reports.scrutiny import build_scrutiny_report
from safeguarding.testing.factories import make_world


@pytest.mark.django_db
@pytest.mark.parametrize("published", [False, True])
def test_a_period_with_no_reviews_gives_a_whole_report_saying_so(published):
    world = make_world()
    document = build_scrutiny_report(
        partnership=world.partnership,
        start=dt.date(2022, 1, 1),
        end=dt.date(2022, 12, 31),
        published=published,
    )
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(render_docx(document))).paragraphs)
    assert "the partnership undertook 0 rapid reviews" in text
    assert "Professionals raised 0 escalations" in text
    assert len(PdfReader(io.BytesIO(render_pdf(document))).pages) >= 1
