"""The cross-cutting analysis on small, hand-built cases. Every expected figure is worked out
from the findings written in the test, not read back from the code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safeguarding.learning.analysis import Scope, theme_analysis, theme_summary
from safeguarding.learning.services import finding_withdraw
from safeguarding.learning.taxonomy import learning_settings_update

D = dt.date
Y2022 = (D(2022, 1, 1), D(2022, 12, 31))


def scope(world, start=Y2022[0], end=Y2022[1], **kw):
    return Scope(partnership=world.partnership, start=start, end=end, **kw)


def by_name(rows):
    return {r.name: r for r in rows}


def test_an_empty_period_has_no_reviews_and_no_cross_cutting_theme(world, build):
    review = build.review(D(2021, 6, 1))
    build.finding(review, "improvement", "Neglect")
    analysis = theme_analysis(scope(world))
    assert analysis.total_reviews == 0
    assert analysis.cross_cutting == []
    assert all(t.reviews == 0 and t.share == 0 for t in analysis.themes)
    assert analysis.pairs == []
    assert analysis.matrix_reviews == []
    assert analysis.trend_years == []


def test_counts_shares_and_the_good_practice_improvement_split(world, build):
    # Four reviews in 2022. Neglect: improvement in r1 and r2, good practice in r2 -> 2 reviews,
    # 1 with good practice, 2 with improvement, 3 findings. Escalation: r3 only.
    r1, r2, r3, _r4 = (build.review(D(2022, m, 10)) for m in (1, 4, 7, 10))
    build.finding(r1, "improvement", "Neglect")
    build.finding(r2, "improvement", "Neglect")
    build.finding(r2, "good_practice", "Neglect")
    build.finding(r3, "improvement", "Escalation")
    total, rows = theme_summary(scope(world))
    assert total == 4
    neglect, escalation = by_name(rows)["Neglect"], by_name(rows)["Escalation"]
    assert (neglect.reviews, neglect.good_practice, neglect.improvement) == (2, 1, 2)
    assert (neglect.findings, neglect.good_practice_findings, neglect.improvement_findings) == (
        3,
        1,
        2,
    )
    assert neglect.share == 50.0
    assert (escalation.reviews, escalation.share) == (1, 25.0)
    assert rows[0].name == "Neglect"  # most reviews first


def test_a_theme_with_only_good_practice_counts_no_improvement(world, build):
    r1, r2 = build.review(D(2022, 2, 1)), build.review(D(2022, 3, 1))
    build.finding(r1, "good_practice", "Voice of the child")
    build.finding(r2, "good_practice", "Voice of the child")
    row = by_name(theme_summary(scope(world))[1])["Voice of the child"]
    assert (row.reviews, row.good_practice, row.improvement, row.cross_cutting) == (2, 2, 0, True)


def test_the_threshold_set_by_the_partnership_marks_cross_cutting_themes(world, build):
    reviews = [build.review(D(2022, m, 1)) for m in (1, 2, 3)]
    for r in reviews:
        build.finding(r, "improvement", "Domestic abuse")
    build.finding(reviews[0], "improvement", "Neglect")
    build.finding(reviews[1], "improvement", "Neglect")
    assert {t.name for t in theme_analysis(scope(world)).cross_cutting} == {
        "Domestic abuse",
        "Neglect",
    }
    learning_settings_update(
        actor=world.business_unit, partnership=world.partnership, cross_cutting_min_reviews=3
    )
    analysis = theme_analysis(scope(world))
    assert analysis.threshold == 3
    assert [t.name for t in analysis.cross_cutting] == ["Domestic abuse"]


def test_themes_found_in_the_same_review_are_paired(world, build):
    # Disguised compliance and professional curiosity together in r1 and r2 (in r2 on separate
    # findings); curiosity with escalation in r3 only.
    r1, r2, r3 = (build.review(D(2022, m, 1)) for m in (5, 6, 7))
    build.finding(r1, "improvement", "Disguised compliance", "Professional curiosity")
    build.finding(r2, "improvement", "Disguised compliance")
    build.finding(r2, "good_practice", "Professional curiosity")
    build.finding(r3, "improvement", "Professional curiosity", "Escalation")
    pairs = {frozenset((p.a_name, p.b_name)): p for p in theme_analysis(scope(world)).pairs}
    dc_pc = pairs[frozenset(("Disguised compliance", "Professional curiosity"))]
    assert dc_pc.reviews == 2
    assert pairs[frozenset(("Professional curiosity", "Escalation"))].reviews == 1
    assert frozenset(("Disguised compliance", "Escalation")) not in pairs
    assert len(pairs) == 2
    # Curiosity was found in 3 reviews, 2 of them with disguised compliance.
    share_of_pc = dc_pc.share_of_a if dc_pc.a_name == "Professional curiosity" else dc_pc.share_of_b
    assert share_of_pc == pytest.approx(66.7)


def test_the_matrix_gives_each_reviews_findings_under_each_theme(world, build):
    r1, r2 = build.review(D(2022, 1, 5)), build.review(D(2022, 2, 5))
    neglect = build.theme("Neglect")
    build.finding(r1, "good_practice", "Neglect")
    build.finding(r1, "improvement", "Neglect")
    build.finding(r1, "improvement", "Neglect")
    build.finding(r2, "improvement", "Escalation")
    analysis = theme_analysis(scope(world))
    assert [r["pk"] for r in analysis.matrix_reviews] == [r1.pk, r2.pk]
    assert analysis.matrix[neglect.pk] == {r1.pk: (1, 2)}


def test_year_on_year_uses_the_partnerships_reporting_year(world, build):
    # Financial years (April): March 2022 is in 2021/22, April and December 2022 in 2022/23.
    march, april, december = (build.review(D(2022, m, 15)) for m in (3, 4, 12))
    build.finding(march, "improvement", "Neglect")
    build.finding(april, "improvement", "Neglect")
    build.finding(december, "good_practice", "Neglect")
    neglect = build.theme("Neglect")
    analysis = theme_analysis(scope(world))
    assert analysis.trend_years == [(2021, "2021/22", 1), (2022, "2022/23", 2)]
    assert analysis.trend[neglect.pk] == {2021: (1, 0, 1), 2022: (2, 1, 1)}
    learning_settings_update(
        actor=world.business_unit, partnership=world.partnership, year_starts_month=1
    )
    analysis = theme_analysis(scope(world))
    assert analysis.trend_years == [(2022, "2022", 3)]


def test_review_type_and_agency_filters_narrow_the_counts(world, build):
    rapid = build.review(D(2022, 3, 1), kind="audit", agencies=[world.police])
    local = build.review(D(2022, 4, 1), agencies=[world.health])
    build.finding(rapid, "improvement", "Neglect", agencies=[world.police])
    build.finding(local, "improvement", "Neglect", agencies=[world.health])
    audits = by_name(theme_summary(scope(world, review_kinds=("audit",)))[1])
    assert audits["Neglect"].reviews == 1
    total, rows = theme_summary(scope(world, agency_ids=(world.health.pk,)))
    assert total == 1
    assert by_name(rows)["Neglect"].reviews == 1
    assert by_name(rows)["Neglect"].share == 100.0


def test_a_withdrawn_finding_no_longer_counts(world, build):
    review = build.review(D(2022, 3, 1))
    finding = build.finding(review, "improvement", "Neglect")
    finding_withdraw(actor=world.business_unit, finding=finding, reason="Recorded twice")
    assert by_name(theme_summary(scope(world))[1])["Neglect"].reviews == 0


def test_reviews_count_by_the_date_they_began(world, build):
    # Commissioned in December 2022 though opened earlier in 2021: in the 2022 period.
    review = build.review(D(2021, 11, 1))
    review.commissioned_on = D(2022, 12, 1)
    review.save()
    build.finding(review, "improvement", "Neglect")
    assert by_name(theme_summary(scope(world))[1])["Neglect"].reviews == 1


def test_another_partnerships_findings_never_count(world, other_world, build):
    from safeguarding.learning.tests.conftest import Builder

    other = Builder(other_world)
    build.finding(build.review(D(2022, 1, 1)), "improvement", "Neglect")
    other.finding(other.review(D(2022, 1, 1)), "improvement", "Neglect")
    total, rows = theme_summary(scope(world))
    assert (total, by_name(rows)["Neglect"].reviews) == (1, 1)


def test_the_analysis_takes_the_same_number_of_queries_however_many_reviews(world, build):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            theme_analysis(scope(world))
        return len(ctx.captured_queries)

    build.finding(build.review(D(2022, 1, 1)), "improvement", "Neglect", "Escalation")
    few = queries()
    for month in range(2, 12):
        review = build.review(D(2022, month, 1))
        build.finding(review, "improvement", "Neglect", "Domestic abuse")
        build.finding(review, "good_practice", "Escalation")
    assert queries() == few
    assert few <= 10
