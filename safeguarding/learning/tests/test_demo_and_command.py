"""The demo partnership's learning: the seed report's nine themes all cross-cutting for
1 May 2021 - 31 December 2022, and the theme_analysis command."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from safeguarding.learning.tests.test_taxonomy import SEED_NINE
from safeguarding.testing.seed import seed_text


def analysis_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("theme_analysis", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_seed_section_4_names_the_nine_themes_we_seed(db):
    text = " ".join(seed_text().split())
    section4 = text[text.index("4. Cross Cutting Themes") :]
    # Each theme opens a paragraph of section 4 as "Name – ..."; our names are our spellings.
    ours = {
        "Professional curiosity": "Professional curiosity –",
        "Disguised compliance": "Disguised compliance –",
        "Escalation": "Escalation processes –",
        "Death of a significant family member": "Death of a significant family member –",
        "Domestic abuse": "Domestic abuse –",
        "Different agencies' risk assessment processes": "Different agencies risk assessment",
        "Covid-19 impact": "Impact of Covid Pandemic –",
        "Complex health needs": "Complex health needs –",
        "Consistent application of safeguarding approaches": "Consistent application of "
        "safeguarding approaches –",
    }
    assert set(ours) == SEED_NINE
    for opening in ours.values():
        assert opening in section4, opening


def test_the_demo_analysis_shows_all_nine_seed_themes_cross_cutting(demo):
    data = analysis_json("--partnership", "demo", "--from", "2021-05-01", "--to", "2022-12-31")
    themes = {t["name"]: t for t in data["themes"]}
    for name in SEED_NINE:
        theme = themes[name]
        assert theme["cross_cutting"], name
        assert theme["good_practice"] >= 1 and theme["improvement"] >= 1, name
        assert set(theme) >= {"name", "reviews", "good_practice", "improvement", "cross_cutting"}
    # The seed: "Two reviews considered children with complex health needs".
    assert themes["Complex health needs"]["reviews"] == 2
    # 11 rapid reviews, 4 CSPRs, 3 local learning reviews and 1 audit began in the period.
    assert data["reviews_in_period"] == 19


def test_the_demo_shows_disguised_compliance_found_with_professional_curiosity(demo):
    data = analysis_json("--partnership", "demo", "--from", "2021-05-01", "--to", "2022-12-31")
    pairs = {frozenset(p["themes"]): p["reviews"] for p in data["pairs"]}
    together = pairs[frozenset({"Disguised compliance", "Professional curiosity"})]
    dc = next(t for t in data["themes"] if t["name"] == "Disguised compliance")
    # Every review with disguised compliance also showed a lack of professional curiosity.
    assert together == dc["reviews"] >= 2


def test_the_demo_has_a_partnership_response_for_each_seed_theme(demo):
    from safeguarding.learning.models import ThemeResponse

    names = set(
        ThemeResponse.objects.filter(partnership=demo).values_list("theme__name", flat=True)
    )
    assert names == SEED_NINE


def test_demo_findings_are_our_own_words(demo):
    from safeguarding.learning.models import Finding, ThemeResponse

    seed = " ".join(seed_text().split()).lower()
    texts = list(Finding.objects.values_list("text", flat=True))
    texts += list(ThemeResponse.objects.values_list("narrative", flat=True))
    for text in texts:
        words = re.findall(r"[\w']+", text.lower())
        for i in range(len(words) - 7):
            assert " ".join(words[i : i + 8]) not in seed, text


def test_outside_the_period_the_demo_counts_differ(demo):
    data = analysis_json("--partnership", "demo", "--from", "2023-01-01", "--to", "2023-12-31")
    themes = {t["name"]: t for t in data["themes"]}
    assert themes["Safer sleep"]["reviews"] == 1
    assert themes["Professional curiosity"]["reviews"] == 0


def test_the_command_refuses_an_unknown_partnership_and_a_backwards_period(db):
    with pytest.raises(CommandError):
        analysis_json("--partnership", "nowhere", "--from", "2021-01-01", "--to", "2021-12-31")
    with pytest.raises(CommandError):
        analysis_json("--partnership", "x", "--from", "2022-01-01", "--to", "2021-12-31")


def test_the_command_prints_a_readable_summary(demo):
    out = io.StringIO()
    call_command(
        "theme_analysis",
        "--partnership",
        "demo",
        "--from",
        "2021-05-01",
        "--to",
        "2022-12-31",
        stdout=out,
    )
    assert "Complex health needs: 2 reviews" in out.getvalue()
