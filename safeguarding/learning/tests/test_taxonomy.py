"""The theme taxonomy: seeded for every partnership, versioned, and safe to rename, merge and
retire without losing a past tag or a count."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from safeguarding.accounts.services import partnership_create
from safeguarding.learning import taxonomy
from safeguarding.learning.analysis import Scope, theme_summary
from safeguarding.learning.models import FindingTheme, TaxonomyVersion, Theme, ThemeStatus
from safeguarding.learning.services import FindingError, finding_update
from safeguarding.learning.taxonomy import TaxonomyError
from safeguarding.testing.seed import seed_text

# The nine cross-cutting themes of the seed report's section 4, and DESIGN.md's standard ones,
# typed here from those documents.
SEED_NINE = {
    "Professional curiosity",
    "Disguised compliance",
    "Escalation",
    "Death of a significant family member",
    "Domestic abuse",
    "Different agencies' risk assessment processes",
    "Covid-19 impact",
    "Complex health needs",
    "Consistent application of safeguarding approaches",
}
STANDARD = {
    "Information sharing",
    "Voice of the child",
    "Neglect",
    "Parental mental health",
    "Substance misuse",
    "Non-accidental injury in babies",
    "Safer sleep",
    "Fathers and male carers",
    "Exploitation",
    "Online harm",
    "Missing education",
    "Transition to adult services",
}
PERIOD = Scope(partnership=None, start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31))


def counts(world, **kw):
    scope = Scope(partnership=world.partnership, start=PERIOD.start, end=PERIOD.end, **kw)
    _, rows = theme_summary(scope)
    return {r.name: r for r in rows}


def test_a_new_partnership_starts_with_the_nine_seed_themes_and_the_standard_ones(db):
    partnership = partnership_create(actor=None, name="New", slug="new")
    themes = Theme.objects.filter(partnership=partnership)
    assert set(themes.values_list("name", flat=True)) == SEED_NINE | STANDARD
    assert all(t.definition and t.current_revision for t in themes)
    assert TaxonomyVersion.objects.get(partnership=partnership).number == 1
    assert partnership.learning_settings.cross_cutting_min_reviews == 2


def test_theme_definitions_are_our_own_words_not_sentences_from_the_seed(db):
    seed = " ".join(seed_text().split()).lower()
    partnership = partnership_create(actor=None, name="New", slug="new")
    for theme in Theme.objects.filter(partnership=partnership):
        words = re.findall(r"[\w']+", theme.definition.lower())
        # No run of eight words of a definition appears in the seed.
        for i in range(len(words) - 7):
            assert " ".join(words[i : i + 8]) not in seed, theme.name


def test_every_change_to_the_taxonomy_makes_a_new_version(world):
    bu = world.business_unit
    theme = taxonomy.theme_create(
        actor=bu, partnership=world.partnership, name="Bullying", definition="Harm by peers."
    )
    taxonomy.theme_update(actor=bu, theme=theme, definition="Harm by other children.")
    taxonomy.theme_retire(actor=bu, theme=theme)
    versions = TaxonomyVersion.objects.filter(partnership=world.partnership)
    assert list(versions.order_by("number").values_list("number", flat=True)) == [1, 2, 3, 4]
    assert [r.definition for r in theme.revisions.order_by("version__number")] == [
        "Harm by peers.",
        "Harm by other children.",
        "Harm by other children.",
    ]


def test_a_finding_keeps_the_version_it_was_tagged_with_after_a_rename(world, build):
    review = build.review(dt.date(2022, 3, 1))
    finding = build.finding(review, "improvement", "Escalation")
    escalation = build.theme("Escalation")
    tagged_revision = finding.theme_tags.get().revision
    taxonomy.theme_update(
        actor=world.business_unit, theme=escalation, name="Resolving professional disagreement"
    )
    tag = finding.theme_tags.get()
    assert tag.revision == tagged_revision
    assert tag.revision.name == "Escalation"
    assert tag.counts_as.name == "Resolving professional disagreement"
    assert counts(world)["Resolving professional disagreement"].reviews == 1
    assert "Escalation" not in counts(world)


def test_merging_a_theme_moves_its_counts_and_keeps_every_tag(world, build):
    r1, r2, r3 = (build.review(dt.date(2022, m, 1)) for m in (2, 3, 4))
    build.finding(r1, "improvement", "Safer sleep")
    build.finding(r2, "good_practice", "Safer sleep", "Non-accidental injury in babies")
    build.finding(r3, "improvement", "Non-accidental injury in babies")
    moved = taxonomy.theme_merge(
        actor=world.business_unit,
        source=build.theme("Safer sleep"),
        target=build.theme("Non-accidental injury in babies"),
    )
    assert moved == 2
    after = counts(world)
    # Three reviews between them; the finding tagged with both counts once.
    assert after["Non-accidental injury in babies"].reviews == 3
    assert after["Non-accidental injury in babies"].findings == 3
    assert after["Non-accidental injury in babies"].good_practice == 1
    assert "Safer sleep" not in after
    # The tags themselves still say Safer sleep.
    assert FindingTheme.objects.filter(theme__name="Safer sleep").count() == 2
    assert build.theme("Safer sleep").status == ThemeStatus.MERGED


def test_merging_twice_carries_earlier_merges_along(world, build):
    review = build.review(dt.date(2022, 5, 1))
    build.finding(review, "improvement", "Online harm")
    bu = world.business_unit
    taxonomy.theme_merge(
        actor=bu, source=build.theme("Online harm"), target=build.theme("Exploitation")
    )
    taxonomy.theme_merge(
        actor=bu, source=build.theme("Exploitation"), target=build.theme("Neglect")
    )
    assert counts(world)["Neglect"].reviews == 1


def test_retiring_a_theme_keeps_its_past_counts_but_stops_new_tags(world, build):
    review = build.review(dt.date(2022, 6, 1))
    finding = build.finding(review, "good_practice", "Covid-19 impact")
    covid = build.theme("Covid-19 impact")
    taxonomy.theme_retire(actor=world.business_unit, theme=covid)
    row = counts(world)["Covid-19 impact"]
    assert (row.reviews, row.good_practice, row.status) == (1, 1, "retired")
    with pytest.raises(FindingError):
        build.finding(review, "improvement", "Covid-19 impact")
    # Editing the finding's text keeps its tag to the retired theme.
    covid.refresh_from_db()
    finding_update(actor=world.business_unit, finding=finding, themes=[covid], text="Changed.")
    assert finding.theme_tags.get().counts_as == covid


def test_a_retired_theme_with_no_findings_is_left_out_of_the_analysis(world, build):
    taxonomy.theme_retire(actor=world.business_unit, theme=build.theme("Online harm"))
    assert "Online harm" not in counts(world)
    assert "Exploitation" in counts(world)  # in use, found nowhere: listed with zero


def test_merge_refuses_a_theme_into_itself_or_into_a_retired_theme(world, build):
    bu = world.business_unit
    neglect = build.theme("Neglect")
    with pytest.raises(TaxonomyError):
        taxonomy.theme_merge(actor=bu, source=neglect, target=neglect)
    online = taxonomy.theme_retire(actor=bu, theme=build.theme("Online harm"))
    with pytest.raises(TaxonomyError):
        taxonomy.theme_merge(actor=bu, source=neglect, target=online)


def test_a_theme_cannot_sit_under_its_own_sub_theme(world, build):
    bu = world.business_unit
    parent = build.theme("Neglect")
    child = build.theme("Missing education")
    taxonomy.theme_update(actor=bu, theme=child, parent=parent)
    with pytest.raises(TaxonomyError):
        taxonomy.theme_update(actor=bu, theme=parent, parent=child)


def test_names_are_unique_in_a_partnership_whatever_the_case(world):
    with pytest.raises(TaxonomyError):
        taxonomy.theme_create(
            actor=world.business_unit,
            partnership=world.partnership,
            name="domestic ABUSE",
            definition="x",
        )
