"""The seven identifying details an outside test got past the publication check (finding 13).

Each test fails on the check as it was (values matched only as stored, case-insensitively but
character for character) and passes now. The table in test_publication.py holds more variants.
"""

from __future__ import annotations

import datetime as dt

from safeguarding.reports import publication
from safeguarding.reviews.models import CaseIdentity


def _known() -> publication.KnownDetails:
    identity = CaseIdentity(
        child_name="Kayleigh-Ann Brooks-Okafor",
        date_of_birth=dt.date(2021, 3, 1),
        address="7 Rowan Street\nNorthbridge\nNB1 1AA",
        agency_record_numbers="Children's services CS-778-812\nHealth 943 476 5919",
    )
    return publication.known_details([identity])


def _kinds(text: str) -> list[str]:
    return [f.kind for f in publication.check_text([("Somewhere", text)], _known())]


def test_a_surname_without_its_hyphen_is_found():
    """The old check matched the stored "Brooks-Okafor" literally: "Brooks Okafor" and
    "BrooksOkafor" passed. Its tests only used the surname as stored."""
    assert _kinds("The Brooks Okafor household was known to services.") == [publication.NAME]
    assert _kinds("The BrooksOkafor household was known to services.") == [publication.NAME]


def test_born_with_a_hyphenated_date_is_found():
    """The old date pattern took slashes and dots but not hyphens in a day-first date, so
    "born 01-03-2021" was no date at all. Its tests wrote dates with slashes only."""
    assert _kinds("The baby, born 01-03-2021, lived with her mother.") == [
        publication.DATE_OF_BIRTH
    ]


def test_born_on_the_first_of_march_is_found():
    """ "the 1st of March 2021" has an "of" the old pattern did not allow. Its tests only wrote
    "14 March 2019" and "March 14, 2019"."""
    assert _kinds("She was born on the 1st of March 2021 in hospital.") == [
        publication.DATE_OF_BIRTH
    ]


def test_a_name_with_zero_width_spaces_is_found():
    """A zero-width space inside "Kayleigh" split it for the old literal pattern, and the
    reader sees nothing. The old tests never put an invisible character in the text."""
    assert _kinds("Staff spoke to Kay\u200bleigh\u200b-Ann at school.") == [publication.NAME]


def test_a_lower_case_postcode_is_found():
    """The old postcode pattern was upper case only. Its test used "EX1 2AB" as written."""
    assert _kinds("The family moved to nb1 1aa in the spring.") == [publication.POSTCODE]


def test_a_record_number_with_other_hyphens_is_found():
    """The stored "CS-778-812" was matched literally; "CS 778812", "CS778-812" and
    "cs.778.812" passed. The old test used the number exactly as stored."""
    for text in ("file CS 778812", "file CS778-812", "file cs.778.812", "file CS778812"):
        assert _kinds(text) == [publication.RECORD_NUMBER], text


def test_a_street_name_with_the_town_is_found():
    """Only the whole line "7 Rowan Street" was matched; "Rowan Street, Northbridge" (no house
    number) passed. The old test used only a line as stored, or the town alone."""
    [finding] = publication.check_text(
        [("Somewhere", "They lived in Rowan Street, Northbridge, for a year.")], _known()
    )
    assert finding.kind == publication.ADDRESS
    assert finding.masked == "R•••• S•••••, N••••••••••"
