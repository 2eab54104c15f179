"""Age bands: a known age outside every band counts as "Outside the partnership's bands" (only an
unknown age is "Age not known") wherever figures are counted by band; the settings page warns
of the ages the bands leave out; a band's label is never read for its ages."""

from __future__ import annotations

import datetime as dt
import html
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguarding.accounts.bands import uncovered_ages, uncovered_ages_text
from safeguarding.accounts.models import AgeBand
from safeguarding.api.tests.conftest import ApiClient
from safeguarding.reports.scrutiny_sections import _bullet_phrase
from safeguarding.reviews.models import NOT_KNOWN_BAND, OUTSIDE_BANDS, Case
from safeguarding.reviews.selectors import period_summary
from safeguarding.testing.factories import make_incident

D = dt.date


def _set_band(world, youngest: int, **fields) -> None:
    """Change the band starting at age `youngest`."""
    AgeBand.objects.filter(partnership=world.partnership, min_years=youngest).update(**fields)


def _by_band(world) -> dict[str, int]:
    s = period_summary(partnership=world.partnership, start=D(2023, 1, 1), end=D(2023, 12, 31))
    return s["rapid_reviews"]["by_age_band"]


@pytest.fixture
def capped(world):
    """The default bands with the top one closed at 15: ages 16 and over are in no band. One
    rapid review of a 17-year-old, one of a child whose age is not known."""
    _set_band(world, 12, label="12 to 15", max_years=15)
    make_incident(world, la_aware_on=D(2023, 3, 1), reference="Child Older", age_years=17)
    make_incident(world, la_aware_on=D(2023, 3, 2), reference="Child Unknown", age_years=None)
    return world


def test_a_known_age_outside_every_band_is_not_counted_as_age_not_known(capped):
    counts = _by_band(capped)
    assert counts[OUTSIDE_BANDS] == 1
    assert counts[NOT_KNOWN_BAND] == 1
    assert list(counts) == [
        "Under 1",
        "1 to 4",
        "5 to 11",
        "12 to 15",
        OUTSIDE_BANDS,
        NOT_KNOWN_BAND,
    ]


def test_the_period_summary_command_and_page_count_it_outside_the_bands(capped, client_for):
    out = io.StringIO()
    slug = capped.partnership.slug
    args = ("--partnership", slug, "--from", "2023-01-01", "--to", "2023-12-31")
    call_command("period_summary", *args, "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["rapid_reviews"]["by_age_band"][OUTSIDE_BANDS] == 1
    out = io.StringIO()
    call_command("period_summary", *args, stdout=out)
    assert f"    {OUTSIDE_BANDS}: 1" in out.getvalue()
    page = client_for(capped.business_unit).get(
        reverse("reviews:period_summary"), {"start": "2023-01-01", "end": "2023-12-31"}
    )
    assert OUTSIDE_BANDS in html.unescape(page.content.decode())


def test_the_case_pages_and_the_api_name_the_band_the_same_way(capped, client_for):
    older = Case.objects.get(reference="Child Older")
    unknown = Case.objects.get(reference="Child Unknown")
    client = client_for(capped.business_unit)
    page = html.unescape(
        client.get(reverse("reviews:case_detail", args=[older.pk])).content.decode()
    )
    assert f"17 ({OUTSIDE_BANDS})" in page
    listing = html.unescape(client.get(reverse("reviews:case_list")).content.decode())
    assert OUTSIDE_BANDS in listing and NOT_KNOWN_BAND in listing
    api = ApiClient(capped.business_unit)
    assert api.get(f"/api/v1/cases/{older.pk}/").json()["age_band"] == OUTSIDE_BANDS
    assert api.get(f"/api/v1/cases/{unknown.pk}/").json()["age_band"] == NOT_KNOWN_BAND


def test_a_bands_label_is_not_read_for_its_ages(world):
    # Labelled "5-11", but the band is ages 5 to 10: an 11-year-old is in no band.
    _set_band(world, 5, label="5-11", max_years=10)
    make_incident(world, la_aware_on=D(2023, 3, 1), age_years=10)
    make_incident(world, la_aware_on=D(2023, 3, 2), age_years=11)
    counts = _by_band(world)
    assert counts["5-11"] == 1
    assert counts[OUTSIDE_BANDS] == 1
    assert NOT_KNOWN_BAND not in counts


def test_the_scrutiny_report_words_each_band_without_reading_its_ages():
    assert _bullet_phrase("age band", "5-11") == "aged 5-11"
    assert _bullet_phrase("age band", "Under 1") == "aged under 1"
    assert _bullet_phrase("age band", "Teenagers") == "teenagers"
    assert _bullet_phrase("age band", OUTSIDE_BANDS) == "of an age outside the partnership's bands"
    assert _bullet_phrase("age band", NOT_KNOWN_BAND) == "age not known"


# --- The settings page's warning ----------------------------------------------------------


def _settings_page(world, client_for) -> str:
    response = client_for(world.business_unit).get(reverse("accounts:settings"))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_default_bands_cover_every_age_and_need_no_warning(world, client_for):
    assert "No age band covers" not in _settings_page(world, client_for)


def test_the_settings_page_warns_of_a_gap_between_bands(world, client_for):
    _set_band(world, 12, label="14 and over", min_years=14)
    page = _settings_page(world, client_for)
    assert "govuk-warning-text" in page
    assert "No age band covers ages 12 to 13." in page
    assert f"count children of this age as “{OUTSIDE_BANDS}”" in page


def test_the_settings_page_warns_when_there_is_no_open_top_band(world, client_for):
    _set_band(world, 12, label="12 to 15", max_years=15)
    _set_band(world, 1, label="2 to 4", min_years=2)
    page = _settings_page(world, client_for)
    assert "No age band covers age 1; ages 16 and over." in page


def test_uncovered_ages_are_named_in_words():
    assert uncovered_ages_text([(0, 0), (1, 4), (5, 11), (12, None)]) == []
    assert uncovered_ages_text([(0, 0), (1, 4), (5, 11), (14, None)]) == ["ages 12 to 13"]
    assert uncovered_ages_text([(1, 4), (5, 11), (12, 15)]) == ["age 0", "ages 16 and over"]
    assert uncovered_ages_text([]) == ["ages 0 and over"]


def _band(low: int, high: int | None) -> tuple[int, int | None]:
    return (low, None if high is None else max(low, high))


bands = st.lists(
    st.builds(_band, st.integers(0, 30), st.one_of(st.none(), st.integers(0, 30))), max_size=6
)


@settings(max_examples=300, deadline=None)
@given(bands)
def test_an_age_is_uncovered_exactly_when_no_band_holds_it(found_bands):
    gaps = uncovered_ages(found_bands)
    for age in range(0, 40):
        in_band = any(lo <= age and (hi is None or age <= hi) for lo, hi in found_bands)
        in_gap = any(lo <= age and (hi is None or age <= hi) for lo, hi in gaps)
        assert in_band != in_gap, (age, found_bands, gaps)
