"""The scrutiny board report for the demo: the seed's section 3 figures and all nine themes, read
back from the Word file (python-docx), the PDF (pypdf) and the HTML; a published version
suppresses small numbers and links to nothing; the command writes each format."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pypdf
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils.html import escape

from safeguarding.accounts.models import Partnership
from safeguarding.demo import learning as demo_learning
from safeguarding.demo.loader import load_demo
from safeguarding.reports.document import Suppressed
from safeguarding.reports.render_docx import render_docx
from safeguarding.reports.render_html import render_html
from safeguarding.reports.render_pdf import document_charts
from safeguarding.reports.scrutiny import build_scrutiny_report
from safeguarding.reviews.tests.test_period_summary import SEED_SECTION_3

START, END = demo_learning.SEED_PERIOD
NINE_THEMES = (
    demo_learning.PC,
    demo_learning.DC,
    demo_learning.ESC,
    demo_learning.BER,
    demo_learning.DA,
    demo_learning.RA,
    demo_learning.COV,
    demo_learning.CHN,
    demo_learning.CSA,
)
THRESHOLD = 3
# Marks the module as using the database, so that pytest-django sets up the test database
# before the module fixture below loads the demo into it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def made(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once, make every output, then roll the database back."""
    out = tmp_path_factory.mktemp("scrutiny")
    with django_db_blocker.unblock(), transaction.atomic():
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or "test" in name, f"not a test database: {name}"
        partnership = load_demo()
        draft = build_scrutiny_report(partnership=partnership, start=START, end=END)
        Partnership.objects.filter(pk=partnership.pk).update(small_number_threshold=THRESHOLD)
        partnership.refresh_from_db()
        published = build_scrutiny_report(
            partnership=partnership, start=START, end=END, published=True
        )
        args = ["--partnership", "demo", "--from", f"{START}", "--to", f"{END}"]
        for fmt in ("docx", "pdf", "html"):
            call_command(
                "scrutiny_report",
                *args,
                "--format",
                fmt,
                "--out",
                str(out / f"cmd.{fmt}"),
                stdout=io.StringIO(),
            )
        errors = {}
        for bad in (
            ["--partnership", "nowhere", "--from", "2021-01-01", "--to", "2021-12-31"],
            ["--partnership", "demo", "--from", "2022-01-01", "--to", "2021-12-31"],
        ):
            with pytest.raises(CommandError) as caught:
                call_command("scrutiny_report", *bad, "--format", "html", "--out", str(out / "x"))
            errors[bad[1]] = str(caught.value)
        transaction.set_rollback(True)
    return {
        "draft": draft,
        "published": published,
        # The command makes the draft; the published version is rendered here.
        "docx": (out / "cmd.docx").read_bytes(),
        "pdf": (out / "cmd.pdf").read_bytes(),
        "html": (out / "cmd.html").read_text(),
        "published_docx": render_docx(published),
        "published_html": render_html(published),
        "dir": out,
        "errors": errors,
    }


def _docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        parts += [" | ".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(parts)


def _table_rows(text: str, label: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(f"{label} |")]


def _assert_seed_section_3(text: str) -> None:
    flat = " ".join(text.split())
    assert f"undertook {SEED_SECTION_3['rapid_reviews']} rapid reviews" in flat
    for bullet in (
        f"{SEED_SECTION_3['under 1']} aged under 1",
        f"{SEED_SECTION_3['1-4']} aged 1 to 4",
        f"{SEED_SECTION_3['5-11']} aged 5 to 11",
        f"{SEED_SECTION_3['12+']} aged 12 and over",
        f"{SEED_SECTION_3['male']} male",
        f"{SEED_SECTION_3['female']} female",
        f"{SEED_SECTION_3['died']} died",
        f"{SEED_SECTION_3['seriously harmed']} seriously harmed",
    ):
        assert bullet in flat, bullet
    assert f"{SEED_SECTION_3['cspr']} child safeguarding practice reviews were commissioned" in flat
    assert f"for a further {SEED_SECTION_3['local learning']} cases" in flat


def test_word_file_has_the_seed_section_3_figures_in_text_and_tables(made):
    text = _docx_text(made["docx"])
    _assert_seed_section_3(text)
    assert _table_rows(text, "Under 1")[0].startswith(f"Under 1 | {SEED_SECTION_3['under 1']} |")
    assert f"1 to 4 | {SEED_SECTION_3['1-4']} |" in text
    assert f"Female | {SEED_SECTION_3['female']} |" in text
    assert f"Seriously harmed | {SEED_SECTION_3['seriously harmed']} |" in text
    assert f"Child safeguarding practice review | {SEED_SECTION_3['cspr']}" in text


def test_word_file_has_all_nine_themes_as_headings_with_good_practice_learning_and_response(made):
    d = docx.Document(io.BytesIO(made["docx"]))
    headings = {
        re.sub(r"^[\d.]+\s+", "", p.text): p.style.name
        for p in d.paragraphs
        if p.style.name.startswith("Heading")
    }
    for theme in NINE_THEMES:
        assert headings.get(theme) == "Heading 2", theme
    for section in (
        "Purpose of report",
        "Introduction",
        "How learning is disseminated",
        "Assurance",
    ):
        assert headings.get(section) == "Heading 1", section
    text = _docx_text(made["docx"])
    assert text.count("The partnership's response") >= len(NINE_THEMES)
    assert "Good practice" in text and "Learning" in text


def test_word_charts_carry_alt_text_and_tables_repeat_their_header_row(made):
    d = docx.Document(io.BytesIO(made["docx"]))
    body = d.element.body
    descriptions = [el.get("descr") for el in body.iter() if el.tag.endswith("}docPr")]
    charts = [
        b.alt_text for _n, _d, s in made["draft"].walk() for b in s.blocks if hasattr(b, "alt_text")
    ]
    assert len(charts) == 4  # age band, sex, outcome, theme frequency
    assert descriptions == charts
    assert f"Under 1: {SEED_SECTION_3['under 1']}" in descriptions[0]
    assert all(t.rows[0]._tr.xpath("./w:trPr/w:tblHeader") for t in d.tables)
    lang = d.styles.element.xpath("//w:docDefaults//w:lang/@w:val")
    assert lang == ["en-GB"] and d.core_properties.title == made["draft"].title


def test_word_footnotes_are_numbered_notes_at_the_end(made):
    d = docx.Document(io.BytesIO(made["docx"]))
    texts = [p.text for p in d.paragraphs]
    notes_at = texts.index("Notes")
    footnotes = made["draft"].footnotes()
    assert footnotes, "the introduction cites the statutory guidance"
    assert texts[notes_at + 1 : notes_at + 1 + len(footnotes)] == [
        f"{i}. {t}" for i, t in enumerate(footnotes, start=1)
    ]
    assert any("15 working days" in t for t in footnotes)  # from the rapid review clock rule


def test_pdf_renders_with_page_numbers_the_seed_figures_and_nine_themes(made):
    reader = pypdf.PdfReader(io.BytesIO(made["pdf"]))
    pages = len(reader.pages)
    assert pages >= 5
    text = "\n".join(page.extract_text() for page in reader.pages)
    _assert_seed_section_3(text)
    flat = " ".join(text.split())
    for theme in NINE_THEMES:
        assert theme in flat, theme
    # Each chart's text alternative is printed with it (the PDF cannot carry it otherwise).
    for chart in document_charts(made["draft"]):
        assert " ".join(chart.alt_text.split()) in flat, chart.title
    # The tables' rows, cell after cell (a reader of the page sees them side by side).
    assert f"Female {SEED_SECTION_3['female']} " in flat
    assert f"Seriously harmed {SEED_SECTION_3['seriously harmed']} " in flat
    assert f"Child safeguarding practice review {SEED_SECTION_3['cspr']} " in flat
    assert f"Page 1 of {pages}" in flat and f"Page {pages} of {pages}" in flat


def test_html_links_each_figure_to_the_records_behind_it_and_is_accessible(made):
    html = made["html"]
    assert '<html lang="en-GB">' in html and "<title>Cross cutting themes" in html
    rr = SEED_SECTION_3["rapid_reviews"]
    assert re.search(
        rf'undertook <a class="govuk-link" href="/reviews/\?kind=rapid_review">{rr}</a>', html
    )
    assert re.search(rf'href="/reviews/\?kind=cspr">{SEED_SECTION_3["cspr"]}</a>', html)
    assert 'href="/period-summary/?start=2021-05-01&amp;end=2022-12-31"' in html
    assert "/learning/findings/?start=2021-05-01" in html
    assert html.count('role="img"') == 4
    assert html.count("<desc id=") == 4 and '<th scope="col"' in html and '<th scope="row"' in html
    assert html.count("<caption") == len(list(made["draft"].tables()))
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids are unique, though four charts share a page"
    for theme in NINE_THEMES:
        assert f"{escape(theme)}</h3>" in html, theme


def _count_rows(document, caption):
    table = next(t for t in document.tables() if t.caption == caption)
    return table


def test_published_version_suppresses_small_counts_and_what_would_reveal_them(made):
    published, draft = made["published"], made["draft"]
    assert published.status_label == "Published"
    table = _count_rows(published, "Rapid reviews by age band")
    draft_table = _count_rows(draft, "Rapid reviews by age band")
    for row, draft_row in zip(table.rows, draft_table.rows, strict=True):
        true = int(str(draft_row[1]))
        if 0 < true <= THRESHOLD:  # 1 to the threshold, inclusive
            assert isinstance(row[1], Suppressed), row
            assert isinstance(row[2], Suppressed), "its percentage goes too"
        elif not isinstance(row[1], Suppressed):
            assert row[1] == true
    for t in published.tables():
        if t.totals is None or len(t.header) != 3:
            continue
        hidden = sum(isinstance(r[1], Suppressed) for r in t.all_rows())
        assert hidden != 1, f"{t.caption}: one withheld cell could be worked out from the total"
    assert table.note.startswith(f"Counts from 1 to {THRESHOLD} are shown as [c]")
    assert any("[c]" in text for _where, text in published.iter_text())


def test_draft_shows_every_count_that_the_published_version_withholds(made):
    draft_text = made["draft"].plain_text()
    assert "[c]" not in draft_text
    assert "[c]" not in _docx_text(made["docx"])
    assert "[c]" in _docx_text(made["published_docx"])


def test_published_version_links_to_no_records(made):
    html = made["published_html"]
    assert 'href="/' not in html
    d = docx.Document(io.BytesIO(made["published_docx"]))
    assert not [r for r in d.part.rels.values() if "hyperlink" in r.reltype]
    d_draft = docx.Document(io.BytesIO(made["docx"]))
    assert [r for r in d_draft.part.rels.values() if "hyperlink" in r.reltype]


def test_command_writes_each_format(made):
    out: Path = made["dir"]
    assert (out / "cmd.pdf").read_bytes().startswith(b"%PDF")
    assert (out / "cmd.docx").read_bytes().startswith(b"PK")  # a .docx is a zip
    assert (out / "cmd.html").read_text().startswith("<!DOCTYPE html>")
    assert "No partnership" in made["errors"]["nowhere"]
    assert "on or after" in made["errors"]["demo"]


def test_iter_text_names_where_each_piece_of_text_is(made):
    where = dict(made["draft"].iter_text())
    assert where["Title"] == made["draft"].title
    assert any(
        w.startswith("Section 5.1 'Professional curiosity'") or "'Professional curiosity'" in w
        for w in where
    )
    assert any(w.startswith("Table 'Rapid reviews by age band', row ") for w in where)
    assert any(w.startswith("Chart 'Rapid reviews by sex', alt text") for w in where)


def _found_in(line: str) -> int:
    """The reviews in "Found in 7 of the period's reviews: ..." (0 when withheld)."""
    figure = line.removeprefix("Found in ").split(" ", 1)[0]
    return int(figure) if figure.isdigit() else 0


def test_published_version_withholds_examples_of_themes_found_in_few_reviews(made):
    from safeguarding.reports.document import BulletList

    def theme_sections(document):
        themes = next(s for _n, _d, s in document.walk() if s.anchor == "themes")
        return {s.heading: s for s in themes.subsections}

    published, draft = theme_sections(made["published"]), theme_sections(made["draft"])

    def first_line(section) -> str:
        return "".join(str(r) for r in section.blocks[0].runs)

    # A theme found in one to three reviews (the test's threshold) is found about at most
    # three children: the published version does not name it at all (it names a theme only
    # when found about more children than the threshold), while the draft sets it out.
    few = [name for name, section in draft.items() if 0 < _found_in(first_line(section)) <= 3]
    assert few, "expected at least one theme found in few reviews"
    for name in few:
        assert name not in published, name
        assert any(isinstance(b, BulletList) for b in draft[name].blocks), name
    assert not [n for n, section in published.items() if "Found in [c]" in first_line(section)]
    # A theme it names with a withheld kind of finding withholds those examples.
    for name, section in published.items():
        if "[c]" in first_line(section):
            text = " ".join(str(b.runs) for b in section.blocks if hasattr(b, "runs"))
            assert "withheld in this published version" in text, name
    # Where nothing is suppressed, the published version keeps every example.
    whole = [n for n, section in published.items() if "[c]" not in first_line(section)]
    assert whole

    def examples(section) -> list:
        # The finding texts; the closing "and N more" is a count, suppressed on its own.
        return [
            item
            for b in section.blocks
            if isinstance(b, BulletList)
            for item in b.items
            if item[0] != "and "
        ]

    for name in whole:
        assert examples(published[name]) == examples(draft[name]), name
        assert examples(published[name]), name
