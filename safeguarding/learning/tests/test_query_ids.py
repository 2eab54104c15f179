"""A record id in a page's query string that the database cannot hold is a 400 naming the
parameter, never a 500 (finding 13).

The earlier tests of these pages (test_analysis_page.py, test_findings.py) followed the pages'
own links, whose ids are real; nothing sent `?review=99999999999999999999999`, which passed the
views' isdigit() check and overflowed SQLite's integer. test_query_values.py (security tests)
sends such values to every page route with query parameters and every API list filter.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "url, name",
    [
        (f"/learning/findings/?review={HUGE}", "review"),
        (f"/learning/findings/?co_theme={HUGE}", "co_theme"),
        ("/learning/findings/?q=x&review=-1", "review"),
        ("/learning/findings/?review=%C2%B2", "review"),  # a digit to isdigit(), not to int()
        (f"/actions/?agency={HUGE}", "agency"),
    ],
)
def test_an_id_the_database_cannot_hold_is_a_400_page_naming_it(client_for, world, url, name):
    client = client_for(world.business_unit)
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-heading-l" in page and "The address of this page is not right" in page
    assert f"{name} must be a record number" in page


@pytest.mark.parametrize(
    "url",
    [
        f"/learning/analysis/?start=2023-01-01&end=2023-12-31&agencies={HUGE}",
        f"/learning/findings/?agency={HUGE}",
        "/learning/findings/?theme=-1",
    ],
)
def test_an_id_beyond_64_bits_in_a_filter_form_is_an_error_on_the_form(client_for, world, url):
    """The filter forms' own fields (model choices) say so in the GOV.UK error summary."""
    client = client_for(world.business_unit)
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "is not one of the available choices" in page


def test_an_empty_id_is_no_filter(client_for, world):
    response = client_for(world.business_unit).get("/learning/findings/?review=&co_theme=")
    assert response.status_code == 200
