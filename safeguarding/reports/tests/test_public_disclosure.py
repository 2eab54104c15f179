"""What a scrutiny reader can work out from a PUBLISHED copy of the scrutiny report, read back
from its Word (python-docx) and HTML files: the four findings of the outside attack.

The world: one baby boy (under 1) who died, known to the local authority on 13 May 2021; his
rapid review and the child safeguarding practice review that followed it, both found
"professional curiosity"; and one escalation, closed in a few days. Nothing else happened.

Why the earlier tests could not see any of this: test_suppression.py checks single cells (each
small count is [c], no withheld cell can be worked out from the totals) and never what a
breakdown's zeros say about its one withheld cell; test_public_copies.py reads the demo's public
copy for twenty months, where every breakdown has many children in it. None of them issued a
short period, nor counted children rather than reviews, nor looked at the averages.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from html.parser import HTMLParser

import docx
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguarding.accounts.testing import login_verified
from safeguarding.escalations.tests.helpers import escalate
from safeguarding.learning.models import FindingKind, LearningSettings, Theme, ThemeStatus
from safeguarding.learning.services import finding_create
from safeguarding.learning.taxonomy import learning_settings_for, learning_settings_update
from safeguarding.reports import services
from safeguarding.reports.document import Suppressed
from safeguarding.reports.models import FileFormat, Rendition, ReportFile, ReportVersion
from safeguarding.reports.scrutiny import ShortPeriodError, build_scrutiny_report
from safeguarding.reports.suppression import (
    SHORT_PERIOD_MESSAGE,
    public_period_too_short,
    suppress_breakdown,
    suppress_table,
)
from safeguarding.reports.tests.test_suppression import (
    _extended,
    _lines,
    _values_a_reader_could_infer,
    grids,
)
from safeguarding.testing.factories import World, commission_cspr, make_incident, rapid_review_of

FORTNIGHT = (dt.date(2021, 5, 13), dt.date(2021, 5, 27))
QUARTER = (dt.date(2021, 4, 1), dt.date(2021, 6, 30))


def _baby_boy_who_died(world: World) -> Theme:
    """The world above; returns the theme both of his reviews found."""
    bu = world.business_unit
    incident = make_incident(
        world,
        la_aware_on=dt.date(2021, 5, 13),
        notified_on=dt.date(2021, 5, 14),
        age_years=0,
        sex="male",
        outcome="died",
        reference="Child Q",
    )
    rapid = rapid_review_of(incident)
    cspr = commission_cspr(
        world, rapid, decided_on=dt.date(2021, 5, 20), commissioned_on=dt.date(2021, 5, 24)
    )
    theme = (
        Theme.objects.filter(partnership=world.partnership, status=ThemeStatus.ACTIVE)
        .order_by("name")
        .first()
    )
    assert theme is not None
    for review, text in ((rapid, "The bruise was not questioned."), (cspr, "Nobody asked why.")):
        finding_create(
            actor=bu, review=review, kind=FindingKind.IMPROVEMENT, text=text, themes=[theme]
        )
    escalate(
        world,
        raised_on=dt.date(2021, 5, 14),
        close=("resolved", dt.date(2021, 5, 18), "explained"),
    )
    return theme


def _issue(world: World, period: tuple[dt.date, dt.date]) -> ReportVersion:
    version = services.scrutiny_report_issue(
        actor=world.business_unit, partnership=world.partnership, start=period[0], end=period[1]
    )
    version.refresh_from_db()
    assert version.is_ready, version.error
    return version


class _Tables(HTMLParser):
    """The rows of every table in an HTML file, as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables[-1]:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _public(version: ReportVersion) -> dict[str, tuple[str, list[list[list[str]]]]]:
    """{format: (text, tables)} of the version's public Word and HTML files."""
    out = {}
    for fmt in (FileFormat.DOCX, FileFormat.HTML):
        data = bytes(
            ReportFile.objects.get(version=version, rendition=Rendition.PUBLIC, format=fmt).content
        )
        if fmt == FileFormat.DOCX:
            d = docx.Document(io.BytesIO(data))
            tables = [[[c.text.strip() for c in row.cells] for row in t.rows] for t in d.tables]
            text = "\n".join(p.text for p in d.paragraphs)
        else:
            parser = _Tables()
            parser.feed(data.decode())
            tables = parser.tables
            text = html.unescape(re.sub(r"<[^>]+>", " ", data.decode()))
        out[str(fmt)] = (" ".join(text.split()), tables)
    return out


def _draft_text(version: ReportVersion) -> str:
    data = bytes(
        ReportFile.objects.get(
            version=version, rendition=Rendition.DRAFT, format=FileFormat.DOCX
        ).content
    )
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    parts += [" | ".join(c.text for c in row.cells) for t in d.tables for row in t.rows]
    return " ".join(" ".join(parts).split())


def test_a_period_under_three_months_is_drafted_only_and_cannot_be_published(world, client):
    """Finding 1: nothing stopped a public copy of 13-27 May 2021, the fortnight of one baby's
    review. The earlier tests never issued a period shorter than the demo's twenty months."""
    _baby_boy_who_died(world)
    assert public_period_too_short(*FORTNIGHT)
    assert not public_period_too_short(*QUARTER)  # 1 April to 30 June: three months
    assert public_period_too_short(dt.date(2021, 4, 1), dt.date(2021, 6, 29))

    version = _issue(world, FORTNIGHT)
    files = ReportFile.objects.filter(version=version)
    assert {f.rendition for f in files} == {Rendition.DRAFT}, "no public copy is made"
    assert version.public_text == []
    assert "undertook 1 rapid reviews" in _draft_text(version), "the draft keeps every figure"

    login_verified(client, world.business_unit)
    page = client.get(reverse("reports:version", args=[version.pk])).content.decode()
    assert "shorter than three months" in page and "Mark as published" not in page
    response = client.post(reverse("reports:publish", args=[version.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and html.escape(SHORT_PERIOD_MESSAGE) in body
    version.refresh_from_db()
    assert not version.is_published
    with pytest.raises(services.ReportError):
        services.version_publish(actor=world.business_unit, version=version)
    with pytest.raises(ShortPeriodError):
        build_scrutiny_report(
            partnership=world.partnership, start=FORTNIGHT[0], end=FORTNIGHT[1], published=True
        )
    # The form says so before anyone issues one.
    form = client.get(reverse("reports:scrutiny_new")).content.decode()
    assert "A public version is made only for a period of three months or more" in form


def _figures(row: list[str]) -> list[str]:
    return [c for c in row[1:] if c and (c == "[c]" or re.fullmatch(r"[-\d.,%–]+", c))]


def test_a_breakdown_of_one_child_shows_no_zeros_in_the_public_copy(world):
    """Finding 1: "[c] aged under 1, [c] male, [c] died" beside 0 in every other band, sex and
    outcome said the one child was a baby boy who died. The earlier tests checked that the
    small cell was [c], not what the zeros beside it gave away."""
    _baby_boy_who_died(world)
    version = _issue(world, QUARTER)
    draft = _draft_text(version)
    assert "1 aged under 1" in draft and "1 male" in draft and "1 died" in draft

    for fmt, (text, tables) in _public(version).items():
        for phrase in ("aged under 1", "[c] male", "[c] died", "Under 1 | 0"):
            assert phrase not in text, f"{fmt}: {phrase}"
        assert "breakdown of these cases by age band, sex and outcome is withheld" in text, fmt
        checked = 0
        for table in tables:
            header = table[0]
            if len(header) < 2 or header[1] != "Number":
                continue
            # ("100%" beside a withheld total says nothing.)
            figures = [f for row in table[1:] for f in _figures(row) if f != "100%"]
            # Withheld whole (every figure [c], zeros included), or nothing there (all 0).
            assert set(figures) <= {"[c]"} or not {f for f in figures if f not in "0–0%"}, (
                fmt,
                table,
            )
            checked += 1
        # Reviews by type, age band, sex, outcome, escalations by outcome and by stage.
        assert checked >= 6, (fmt, checked)
        print(f"\nbreakdowns of one child ({fmt}): {checked} tables, none shows a figure")


def test_a_theme_of_one_childs_two_reviews_is_not_named_in_the_public_copy(world):
    """Finding 2: a rapid review and the CSPR of the same child made a theme "cross-cutting"
    (found in 2 reviews), so the public copy named that one child's theme. The earlier tests
    counted reviews, never the children behind them."""
    theme = _baby_boy_who_died(world)
    version = _issue(world, QUARTER)
    draft = _draft_text(version)
    assert theme.name in draft, "the draft keeps the partnership's own rule (2 reviews)"
    assert "Nobody asked why." in draft

    for fmt, (text, _tables) in _public(version).items():
        assert theme.name not in text, fmt
        assert "Nobody asked why." not in text and "bruise" not in text, fmt
        assert "0 themes were each found in at least 2 reviews and about more than 5" in text


def test_averages_over_withheld_counts_are_withheld_in_the_public_copy(world):
    """Finding 3: with "[c]" escalations, "the average time to close was 2.0 working days" was
    printed exactly, and the timeliness table's averages too. The earlier tests looked at
    counts only."""
    _baby_boy_who_died(world)
    version = _issue(world, QUARTER)
    draft = _draft_text(version)
    assert re.search(r"average time to close was [\d.]+ working days", draft)

    for fmt, (text, tables) in _public(version).items():
        assert "average time to close was" not in text, fmt
        timeliness = next(t for t in tables if t[0][0] == "Process")
        for row in timeliness[1:]:
            assert row[-1] in ("[c]", "–"), (fmt, row)


def test_cross_cutting_needs_at_least_two_reviews_in_the_form_the_service_and_the_database(
    world, client
):
    """Finding 4: the business unit could set "reviews needed for a cross-cutting theme" to 1,
    and a public copy then named the theme of one review ("come from one reviews"). The earlier
    tests set the setting only upwards."""
    login_verified(client, world.business_unit)
    url = reverse("learning:settings")
    page = client.get(url).content.decode()
    fields = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page))
    fields.update({"cross_cutting_min_reviews": "1", "year_starts_month": "4"})
    response = client.post(url, fields)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "Enter 2 or more" in body
    assert learning_settings_for(world.partnership).cross_cutting_min_reviews == 2

    with pytest.raises(ValidationError):
        learning_settings_update(
            actor=world.business_unit, partnership=world.partnership, cross_cutting_min_reviews=1
        )
    assert learning_settings_for(world.partnership).cross_cutting_min_reviews == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningSettings.objects.filter(partnership=world.partnership).update(
            cross_cutting_min_reviews=1
        )
    # 2 is accepted.
    learning_settings_update(
        actor=world.business_unit, partnership=world.partnership, cross_cutting_min_reviews=2
    )


def _hidden(value: object) -> bool:
    return isinstance(value, Suppressed)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(0, 12), min_size=1, max_size=7), threshold=st.integers(1, 6))
def test_no_breakdown_shows_zeros_beside_a_lone_withheld_cell(values, threshold):
    cells, total = suppress_breakdown(values, threshold=threshold)
    if 0 < sum(values) <= threshold:
        assert all(_hidden(c) for c in cells) and _hidden(total), "withheld whole"
    if len(values) >= 2 and any(_hidden(c) for c in cells):
        not_zero = [c for c in cells if _hidden(c) or c != 0]
        assert len(not_zero) >= 2, (values, cells)
    for value, cell in zip(values, cells, strict=True):
        assert _hidden(cell) or cell == value
        assert not (0 < value <= threshold) or _hidden(cell)
    assert sum(_hidden(c) for c in cells) + _hidden(total) != 1


@settings(max_examples=150, deadline=None)
@given(grid=grids, threshold=st.integers(1, 4), column_totals=st.booleans())
def test_tables_under_the_group_rule_still_give_no_withheld_value_away(
    grid, threshold, column_totals
):
    result = suppress_table(grid, threshold=threshold, column_totals=column_totals, breakdowns=True)
    shown = _extended(result, True, column_totals)
    true_ext = [list(r) + [sum(r)] for r in grid]
    if column_totals:
        true_ext.append(
            [sum(true_ext[i][j] for i in range(len(grid))) for j in range(len(true_ext[0]))]
        )
    for i, row in enumerate(grid):
        cells = shown[i][: len(row)]
        if 0 < sum(row) <= threshold:
            assert all(_hidden(c) for c in cells), "a row of a small total is withheld whole"
        if len(row) >= 2 and any(_hidden(c) for c in cells):
            assert sum(1 for c in cells if _hidden(c) or c != 0) >= 2
    lines = _lines(len(grid), len(grid[0]), True, column_totals)
    for line in lines:
        assert sum(_hidden(shown[i][j]) for i, j in line) != 1, "a line with one unknown"
    bound = 2 * sum(map(sum, grid)) + 2
    for pos, found in _values_a_reader_could_infer(shown, lines, true_ext, bound).items():
        assert len(found) >= 2, f"the value at {pos} can be worked out"
