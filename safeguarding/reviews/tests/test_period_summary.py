"""The period summary: the demo reproduces the seed report's section 3, counted by the database."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from safeguarding.accounts.models import AgeBand
from safeguarding.reviews.selectors import period_summary
from safeguarding.testing.factories import make_incident
from safeguarding.testing.seed import seed_text

# Section 3.1-3.3 of ../shared/seed/lscp-cross-cutting-themes-2023.txt, 1 May 2021 - 31 Dec 2022.
# These are the specification, not results of our code; the test below also reads them back
# from the seed text itself when it is on the machine.
SEED_SECTION_3 = {
    "rapid_reviews": 11,
    "under 1": 2,
    "1-4": 5,
    "5-11": 3,
    "12+": 1,
    "male": 5,
    "female": 6,
    "died": 3,
    "seriously harmed": 8,
    "cspr": 4,
    "local learning": 3,
}


def _summary_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("period_summary", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_seed_constants_match_the_seed_report_text():
    text = seed_text()
    words = {"Four": 4, "three": 3}
    assert f"undertaken {SEED_SECTION_3['rapid_reviews']} Rapid Reviews" in text
    for phrase, key in (
        ("were under 1 year old", "under 1"),
        ("were aged 1-4 years", "1-4"),
        ("were aged 5-11 years", "5-11"),
        ("was 12 years or older", "12+"),
        ("were male", "male"),
        ("were female", "female"),
        ("who had passed away", "died"),
        ("suffered serious harm", "seriously harmed"),
    ):
        found = re.search(r"- (\d+) (?:were|was) [^\n]*" + re.escape(phrase.split(" ", 1)[1]), text)
        assert found, phrase
        assert int(found.group(1)) == SEED_SECTION_3[key], phrase
    cspr = re.search(r"(\w+) Child Safeguarding Practice Reviews were commissioned", text)
    llr = re.search(r"initiated for a further (\w+) cases", text)
    assert cspr and words[cspr.group(1)] == SEED_SECTION_3["cspr"]
    assert llr and words[llr.group(1)] == SEED_SECTION_3["local learning"]


def test_demo_period_summary_gives_the_seed_reports_section_3_figures(demo):
    s = _summary_json("--partnership", "demo", "--from", "2021-05-01", "--to", "2022-12-31")
    rr = s["rapid_reviews"]
    assert rr["total"] == SEED_SECTION_3["rapid_reviews"]
    assert rr["by_age_band"] == {
        "Under 1": SEED_SECTION_3["under 1"],
        "1 to 4": SEED_SECTION_3["1-4"],
        "5 to 11": SEED_SECTION_3["5-11"],
        "12 and over": SEED_SECTION_3["12+"],
    }
    assert rr["by_sex"]["Male"] == SEED_SECTION_3["male"]
    assert rr["by_sex"]["Female"] == SEED_SECTION_3["female"]
    assert rr["by_outcome"]["Died"] == SEED_SECTION_3["died"]
    assert rr["by_outcome"]["Seriously harmed"] == SEED_SECTION_3["seriously harmed"]
    assert s["cspr_commissioned"] == SEED_SECTION_3["cspr"]
    assert s["local_learning_reviews"] == SEED_SECTION_3["local learning"]


def test_demo_has_records_outside_the_seed_period_so_the_filter_matters(demo):
    whole = _summary_json("--partnership", "demo", "--from", "2000-01-01", "--to", "2099-12-31")
    seed = _summary_json("--partnership", "demo", "--from", "2021-05-01", "--to", "2022-12-31")
    assert whole["rapid_reviews"]["total"] > seed["rapid_reviews"]["total"]
    assert whole["cspr_commissioned"] > seed["cspr_commissioned"]
    assert whole["local_learning_reviews"] > seed["local_learning_reviews"]


def test_text_format_names_the_partnership_and_the_totals(demo):
    out = io.StringIO()
    call_command(
        "period_summary",
        "--partnership",
        "demo",
        "--from",
        "2021-05-01",
        "--to",
        "2022-12-31",
        "--format",
        "text",
        stdout=out,
    )
    text = out.getvalue()
    assert demo.name in text
    assert f"Rapid reviews: {SEED_SECTION_3['rapid_reviews']}" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--partnership", "nowhere", "--from", "2021-01-01", "--to", "2021-12-31"],
            "No partnership",
        ),
        (["--partnership", "demo", "--from", "2021-13-01", "--to", "2021-12-31"], "not a date"),
        (["--partnership", "demo", "--from", "2022-01-01", "--to", "2021-12-31"], "on or after"),
    ],
)
def test_command_refuses_bad_arguments_with_a_reason(demo, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("period_summary", *args)


def test_rapid_reviews_count_on_the_day_they_open_and_not_outside_the_period(world):
    # Opened on the first and the last day of the period, and one day either side.
    for aware in (
        dt.date(2022, 1, 1),
        dt.date(2022, 3, 31),
        dt.date(2021, 12, 31),
        dt.date(2022, 4, 1),
    ):
        make_incident(world, la_aware_on=aware, age_years=2, sex="male")
    s = period_summary(
        partnership=world.partnership, start=dt.date(2022, 1, 1), end=dt.date(2022, 3, 31)
    )
    assert s["rapid_reviews"]["total"] == 2
    assert s["rapid_reviews"]["by_sex"]["Male"] == 2


def test_an_empty_period_gives_zero_in_every_band(world):
    s = period_summary(
        partnership=world.partnership, start=dt.date(2022, 1, 1), end=dt.date(2022, 3, 31)
    )
    assert s["rapid_reviews"]["total"] == 0
    assert set(s["rapid_reviews"]["by_age_band"].values()) == {0}
    assert s["timeliness"] == []


def test_age_bands_follow_the_partnerships_own_configuration(world):
    make_incident(world, la_aware_on=dt.date(2022, 2, 1), age_years=13)
    make_incident(world, la_aware_on=dt.date(2022, 2, 2), age_years=17)
    band = AgeBand.objects.get(partnership=world.partnership, min_years=12)
    band.max_years = 15
    band.label = "12 to 15"
    band.save()
    AgeBand.objects.create(partnership=world.partnership, label="16 and 17", min_years=16)
    s = period_summary(
        partnership=world.partnership, start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31)
    )
    assert s["rapid_reviews"]["by_age_band"]["12 to 15"] == 1
    assert s["rapid_reviews"]["by_age_band"]["16 and 17"] == 1


def test_other_partnerships_records_never_count(world, other_world):
    make_incident(other_world, la_aware_on=dt.date(2022, 2, 1))
    s = period_summary(
        partnership=world.partnership, start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31)
    )
    assert s["rapid_reviews"]["total"] == 0


def test_timeliness_counts_met_and_missed_rapid_reviews(world):
    # Aware Mon 10 Jan 2022: 15 working days later is Mon 31 Jan 2022 (no holidays between).
    on_time = make_incident(world, la_aware_on=dt.date(2022, 1, 10))
    late = make_incident(world, la_aware_on=dt.date(2022, 1, 10))
    from safeguarding.reviews import services

    services.review_update(
        actor=world.business_unit,
        review=on_time.reviews.get(),
        sent_to_panel_on=dt.date(2022, 1, 28),
    )  # 1 working day early
    services.review_update(
        actor=world.business_unit, review=late.reviews.get(), sent_to_panel_on=dt.date(2022, 2, 4)
    )  # 4 working days late
    s = period_summary(
        partnership=world.partnership, start=dt.date(2022, 1, 1), end=dt.date(2022, 12, 31)
    )
    row = next(r for r in s["timeliness"] if r["clock"] == "rapid_review")
    assert (row["total"], row["met"], row["missed"]) == (2, 1, 1)
    assert row["average_working_days_late"] == 1.5  # (-1 + 4) / 2
