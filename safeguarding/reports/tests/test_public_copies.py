"""Every public copy (Word, PDF and HTML of the scrutiny report and of the learning brief) applies
the partnership's small-number threshold and says which one: counts from 1 to the threshold are
[c], so a public copy differs from its draft wherever such a count exists.

Why the earlier tests could not see that suppression was off: the threshold defaulted to 0 and no
page set it, and the scrutiny report test raised the threshold itself before building its
published version, so every test saw suppression that real partnerships never had. The rendering
tests compared the public files with the draft's only for being well formed. Here the versions
are issued as the business unit issues them, at the demo's own setting (the default, 5), and
every issued file is read back.
"""

from __future__ import annotations

import html
import io
import re

import docx
import pypdf

from safeguarding.demo import learning as demo_learning
from safeguarding.learning.models import FindingKind
from safeguarding.learning.services import finding_create
from safeguarding.reports import services
from safeguarding.reports.brief import MAX_ITEMS
from safeguarding.reports.models import FileFormat, Rendition, ReportFile, ReportVersion
from safeguarding.reports.suppression import threshold_statement
from safeguarding.reviews.models import Review

START, END = demo_learning.SEED_PERIOD


def _text(file: ReportFile) -> str:
    data = bytes(file.content)
    if file.format == FileFormat.DOCX:
        d = docx.Document(io.BytesIO(data))
        parts = [p.text for p in d.paragraphs]
        for table in d.tables:
            parts += [" | ".join(c.text for c in row.cells) for row in table.rows]
        text = "\n".join(parts)
    elif file.format == FileFormat.PDF:
        text = "\n".join(
            page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages
        )
    else:
        text = html.unescape(re.sub(r"<[^>]+>", " ", data.decode()))
    return " ".join(text.split())


def _copies(version: ReportVersion) -> dict[str, dict[str, str]]:
    """{format: {rendition: text}} of every file of the version."""
    copies: dict[str, dict[str, str]] = {}
    for file in ReportFile.objects.filter(version=version):
        copies.setdefault(str(file.format), {})[str(file.rendition)] = _text(file)
    assert set(copies) == {FileFormat.DOCX, FileFormat.PDF, FileFormat.HTML}, copies.keys()
    return copies


def test_every_public_copy_suppresses_counts_up_to_the_threshold_and_says_so(demo):
    bu = demo.users.get(username="business.unit")
    threshold = demo.small_number_threshold
    assert threshold == 5  # the default: the demo sets none of its own
    statement = threshold_statement(threshold)
    assert statement.startswith("Counts from 1 to 5 are shown as [c]")

    # The scrutiny report for the seed's period: the age bands are 2, 5, 3 and 1 reviews.
    scrutiny = services.scrutiny_report_issue(actor=bu, partnership=demo, start=START, end=END)
    scrutiny.refresh_from_db()
    assert scrutiny.is_ready, scrutiny.error
    # A learning brief whose one count ("N more are recorded") is 2.
    review = Review.objects.filter(partnership=demo, kind="rapid_review").order_by("pk").first()
    assert review is not None
    shown = review.findings.filter(kind=FindingKind.GOOD_PRACTICE, withdrawn_at__isnull=True)
    for n in range(MAX_ITEMS + 2 - shown.count()):
        finding_create(
            actor=bu, review=review, kind=FindingKind.GOOD_PRACTICE, text=f"Good practice {n}."
        )
    report = services.brief_save(actor=bu, review=review, summary="A summary.", questions="Why?")
    brief = services.brief_issue(actor=bu, report=report)
    brief.refresh_from_db()
    assert brief.is_ready, brief.error

    checked = 0
    for version, draft_figure, public_figure in (
        (scrutiny, "2 aged under 1", "[c] aged under 1"),
        (brief, "2 more are recorded", "[c] more are recorded"),
    ):
        for fmt, texts in _copies(version).items():
            draft, public = texts[Rendition.DRAFT], texts[Rendition.PUBLIC]
            where = f"{version.report.kind} {fmt}"
            assert public != draft, where
            assert statement in public, f"{where}: the public copy names its threshold"
            assert "[c]" not in draft, f"{where}: the draft keeps every figure"
            assert draft_figure in draft, where
            assert public_figure in public and draft_figure not in public, where
            checked += 1
    # The drafts still reproduce the seed's section 3.
    draft_word = _copies(scrutiny)[FileFormat.DOCX][Rendition.DRAFT]
    for bullet in ("undertook 11 rapid reviews", "5 aged 1 to 4", "3 died", "8 seriously harmed"):
        assert bullet in draft_word, bullet
    print(
        f"\npublic copies: {checked} checked at threshold {threshold}, each differs from its draft"
    )
    assert checked == 6
