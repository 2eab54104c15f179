"""Search across findings with the database's full-text search. The suite runs on SQLite
(FTS5) and again on PostgreSQL (full text); these tests run on whichever is in use."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.urls import reverse

from safeguarding.learning.search import marked_html
from safeguarding.learning.selectors import FindingFilter, finding_list

D = dt.date


def search(user, **kw):
    return list(finding_list(user=user, filters=FindingFilter(**kw)))


def test_search_finds_every_word_and_marks_them(world, build):
    review = build.review(D(2022, 3, 1))
    hit = build.finding(
        review, "improvement", "Escalation", text="The school did not escalate its concern."
    )
    build.finding(review, "improvement", "Neglect", text="The school saw the child every day.")
    found = search(world.business_unit, words="school concern")
    assert [f.pk for f in found] == [hit.pk]
    html = marked_html(found[0].text_marked)
    assert '<mark class="srh-mark">school</mark>' in html
    assert '<mark class="srh-mark">concern</mark>' in html


def test_search_matches_other_forms_of_a_word(world, build):
    review = build.review(D(2022, 3, 1))
    hit = build.finding(review, "improvement", text="Concerns were escalated twice.")
    assert [f.pk for f in search(world.business_unit, words="escalation")] == [hit.pk]


def test_better_matches_come_first(world, build):
    review = build.review(D(2022, 3, 1))
    weak = build.finding(
        review,
        "improvement",
        text="A long note about housing, benefits, the landlord, repairs, rent arrears, the "
        "move to a new flat, and one mention of curiosity at the very end.",
    )
    strong = build.finding(review, "improvement", text="Curiosity, curiosity and more curiosity.")
    assert [f.pk for f in search(world.business_unit, words="curiosity")] == [strong.pk, weak.pk]


def test_search_also_looks_in_the_source_passage(world, build):
    review = build.review(D(2022, 3, 1))
    finding = build.finding(review, "good_practice", text="Good joint working.")
    finding.source_passage = "Paragraph 4.2: the strategy discussion was held within hours."
    finding.save()
    found = search(world.business_unit, words="strategy discussion")
    assert [f.pk for f in found] == [finding.pk]
    assert "<mark" in marked_html(found[0].passage_marked)


def test_search_combines_with_theme_agency_kind_and_period(world, build):
    early, late = build.review(D(2021, 3, 1)), build.review(D(2022, 3, 1))
    build.finding(early, "improvement", "Neglect", text="Home visits stopped.")
    wanted = build.finding(
        late, "improvement", "Neglect", agencies=[world.health], text="Home visits stopped."
    )
    build.finding(late, "good_practice", "Neglect", text="Home visits went on.")
    build.finding(late, "improvement", "Escalation", text="Home visits stopped.")
    found = search(
        world.business_unit,
        words="home visits",
        theme_id=build.theme("Neglect").pk,
        kind="improvement",
        agency_ids=(world.health.pk,),
        start=D(2022, 1, 1),
        end=D(2022, 12, 31),
    )
    assert [f.pk for f in found] == [wanted.pk]


def test_search_text_is_escaped_and_query_syntax_is_harmless(world, build):
    review = build.review(D(2022, 3, 1))
    build.finding(review, "improvement", text="<script>alert(1)</script> unsafe markup")
    found = search(world.business_unit, words='"markup" * ( -: ^')
    assert len(found) == 1
    html = marked_html(found[0].text_marked)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_search_page_shows_ranked_marked_results(world, build, client_for):
    review = build.review(D(2022, 3, 1))
    build.finding(review, "improvement", text="The father was never seen by the health visitor.")
    response = client_for(world.business_unit).get(
        reverse("learning:finding_list"), {"q": "father"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 finding from 1 review" in page
    assert '<mark class="srh-mark">father</mark>' in page


def test_the_search_uses_the_database_in_use(world, build):
    # A reminder of which engine the run covered; both runs must pass.
    assert connection.vendor in ("sqlite", "postgresql")


def test_rebuilding_the_search_index_keeps_search_working(world, build):
    from django.core.management import call_command

    review = build.review(D(2022, 3, 1))
    hit = build.finding(review, "improvement", text="Bereavement support was offered.")
    call_command("learning_search_index", stdout=__import__("io").StringIO())
    assert [f.pk for f in search(world.business_unit, words="bereavement")] == [hit.pk]
