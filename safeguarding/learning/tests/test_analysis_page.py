"""The analysis page and its exports: links to the findings behind each count, a bounded
number of queries, and spreadsheet-safe files."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

PERIOD = {"start": "2022-01-01", "end": "2022-12-31"}


def test_each_count_links_to_the_findings_behind_it(world, build, client_for):
    r1, r2 = build.review(dt.date(2022, 2, 1)), build.review(dt.date(2022, 3, 1))
    build.finding(r1, "improvement", "Neglect", text="First neglect finding.")
    build.finding(r2, "good_practice", "Neglect", text="Second neglect finding.")
    build.finding(r2, "improvement", "Escalation", text="An escalation finding.")
    client = client_for(world.business_unit)
    page = client.get(reverse("learning:analysis"), PERIOD).content.decode()
    neglect = build.theme("Neglect")
    link = f"/learning/findings/?start=2022-01-01&amp;end=2022-12-31&amp;theme={neglect.pk}"
    assert link in page
    listing = client.get(link.replace("&amp;", "&")).content.decode()
    assert "2 findings from 2 reviews" in listing
    assert "An escalation finding." not in listing
    good = client.get(link.replace("&amp;", "&") + "&kind=good_practice").content.decode()
    assert "1 finding from 1 review" in good and "Second neglect finding." in good


def test_the_pair_link_lists_findings_of_reviews_where_both_themes_were_found(
    world, build, client_for
):
    r1, r2 = build.review(dt.date(2022, 2, 1)), build.review(dt.date(2022, 3, 1))
    build.finding(r1, "improvement", "Neglect", text="Neglect with escalation.")
    build.finding(r1, "improvement", "Escalation")
    build.finding(r2, "improvement", "Neglect", text="Neglect alone.")
    url = reverse("learning:finding_list")
    params = {
        **PERIOD,
        "theme": build.theme("Neglect").pk,
        "co_theme": build.theme("Escalation").pk,
    }
    page = client_for(world.business_unit).get(url, params).content.decode()
    assert "Neglect with escalation." in page and "Neglect alone." not in page


def test_the_analysis_page_needs_no_more_queries_for_more_reviews(world, build, client_for):
    client = client_for(world.business_unit)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("learning:analysis"), PERIOD).status_code == 200
        return len(ctx.captured_queries)

    build.finding(build.review(dt.date(2022, 1, 3)), "improvement", "Neglect")
    few = queries()
    for month in range(2, 13):
        review = build.review(dt.date(2022, month, 3))
        build.finding(review, "improvement", "Neglect", "Escalation")
        build.finding(review, "good_practice", "Domestic abuse")
    assert queries() == few


def test_csv_and_xlsx_exports_hold_the_figures_and_neutralise_formulas(world, build, client_for):
    from safeguarding.learning import taxonomy

    taxonomy.theme_create(
        actor=world.business_unit, partnership=world.partnership, name="=cmd|calc", definition="x"
    )
    r1 = build.review(dt.date(2022, 2, 1))
    build.finding(r1, "improvement", "=cmd|calc")
    client = client_for(world.business_unit)
    text = client.get(reverse("learning:themes_csv"), PERIOD).content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Theme", "Status", "Reviews"]
    row = next(r for r in rows if "cmd" in r[0])
    assert row[0] == "'=cmd|calc" and row[2] == "1" and row[-1] == "no"
    matrix = list(
        csv.reader(io.StringIO(client.get(reverse("learning:matrix_csv"), PERIOD).content.decode()))
    )
    assert matrix[0] == ["Theme", "Review 1: good practice", "Review 1: improvement"]
    book = load_workbook(io.BytesIO(client.get(reverse("learning:themes_xlsx"), PERIOD).content))
    assert book.sheetnames == ["Themes", "Found together", "Year on year", "Matrix"]
    values = [c.value for c in book["Themes"]["A"]]
    assert "'=cmd|calc" in values
    assert all(c.data_type != "f" for row in book["Themes"].iter_rows() for c in row)


def test_year_on_year_counts_link_to_that_years_findings(world, build, client_for):
    # Reporting years start in April (the default): May 2021 is 2021/22, May 2022 is 2022/23.
    build.finding(build.review(dt.date(2021, 5, 10)), "improvement", "Neglect", text="In 2021/22.")
    build.finding(build.review(dt.date(2022, 5, 10)), "improvement", "Neglect", text="In 2022/23.")
    client = client_for(world.business_unit)
    page = client.get(
        reverse("learning:analysis"), {"start": "2021-05-01", "end": "2022-12-31"}
    ).content.decode()
    neglect = build.theme("Neglect").pk
    trend = page[page.index('id="trend"') : page.index('id="matrix"')]
    # Each year's days within the period: the first and last years are part-years.
    first = f"/learning/findings/?start=2021-05-01&amp;end=2022-03-31&amp;theme={neglect}"
    last = f"/learning/findings/?start=2022-04-01&amp;end=2022-12-31&amp;theme={neglect}"
    assert first in trend and last in trend
    listing = client.get(last.replace("&amp;", "&")).content.decode()
    assert "1 finding from 1 review" in listing
    assert "In 2022/23." in listing and "In 2021/22." not in listing


def test_the_partnership_response_on_the_analysis_page_links_its_actions(world, build, client_for):
    from safeguarding.actionplans.services import action_create
    from safeguarding.learning.services import theme_response_save

    for month in (2, 3):  # found in two reviews: cross-cutting at the default threshold
        build.finding(build.review(dt.date(2022, month, 1)), "improvement", "Neglect")
    response = theme_response_save(
        actor=world.business_unit,
        partnership=world.partnership,
        theme=build.theme("Neglect"),
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2022, 12, 31),
        narrative="Neglect toolkit training for every agency.",
    )
    action = action_create(
        actor=world.business_unit,
        partnership=world.partnership,
        title="Run the neglect toolkit sessions",
        owner_agency=world.police,
        lead="Named safeguarding lead",
        agreed_on=dt.date(2023, 1, 10),
        due_on=dt.date(2023, 6, 30),
        theme_response=response,
    )
    client = client_for(world.business_unit)
    action_link = f'href="{reverse("actionplans:action_detail", args=[action.pk])}"'
    page = client.get(reverse("learning:analysis"), PERIOD).content.decode()
    responses = page[page.index('id="responses"') :]
    assert "Neglect toolkit training for every agency." in responses
    assert action_link in responses and "Run the neglect toolkit sessions" in responses
    # The page where the response is changed links its actions too.
    edit = reverse("learning:theme_response", args=[build.theme("Neglect").pk])
    assert action_link in client.get(edit, PERIOD).content.decode()
