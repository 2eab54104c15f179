"""The four identifying details the second outside attack got past the publication check
(finding F4), with the child's restricted record holding "Oliver Demo-Ash", "NB1 1AA" and a
date of birth of 1 March 2021.

Each test fails on the check as it was and passes now. Why the earlier tests could not see
them: every variant in their tables (test_publication.py, test_publication_regressions.py)
kept a value's words whole and at most one separator between them, so the check was never
given a double space, a word spelled out a character at a time or a date of birth taken
apart around "birth". Those tables now hold these forms and their close relatives too.
"""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.reports import publication
from safeguarding.reviews.models import CaseIdentity


def _known() -> publication.KnownDetails:
    identity = CaseIdentity(
        child_name="Oliver Demo-Ash",
        date_of_birth=dt.date(2021, 3, 1),
        address="3 Elm Close\nNorthbridge\nNB1 1AA",
        agency_record_numbers="Children's services CS-778-812",
    )
    return publication.known_details([identity])


def _findings(text: str) -> list[publication.Finding]:
    return publication.check_text([("Somewhere", text)], _known())


def test_a_postcode_with_a_double_space_is_found():
    """The postcode pattern allowed one space inside a postcode, not two."""
    [finding] = _findings("The family moved to NB1  1AA in the spring.")
    assert finding.kind == publication.POSTCODE
    assert finding.masked == "N•• 1••"


def test_a_postcode_spelled_out_is_found_and_stays_masked():
    """Each character of "N B 1 1 A A" was a word of its own, so no pattern saw a postcode;
    and the old mask kept the first character of every word, which here is all of it."""
    [finding] = _findings("The family moved to N B 1 1 A A in the spring.")
    assert finding.kind == publication.POSTCODE
    assert finding.masked == "N • • • • •"


def test_a_name_spelled_out_with_hyphens_is_found():
    """The key form read "O-l-i-v-e-r" as six one-letter words, none of them a name."""
    [finding] = _findings("Staff spoke to O-l-i-v-e-r at school.")
    assert finding.kind == publication.NAME
    assert finding.masked == "O-•-•-•-•-•"


def test_a_date_of_birth_taken_apart_around_birth_is_found():
    """Only a full date written after "born" or "DOB" was read as a date of birth; "March
    2021 birth, 1st" holds no full date at all."""
    [finding] = _findings("Records show a March 2021 birth, 1st, at the general hospital.")
    assert finding.kind == publication.DATE_OF_BIRTH
    assert "2021" not in finding.masked


@pytest.mark.parametrize(
    "text",
    [
        "Seen at NB1   1AA.",
        "Seen at N-B-1 1-A-A.",
        "Seen at N.B.1 1.A.A.",
        "Seen at nb1 1 aa.",
        "Seen at NB-11AA.",
        "Seen at N B 1  1 A A.",
    ],
)
def test_the_restricted_postcode_is_found_however_it_is_split(text):
    assert [f.kind for f in _findings(text)] == [publication.POSTCODE], text


@pytest.mark.parametrize(
    "text",
    [
        "Staff spoke to O l i v e r.",
        "Staff spoke to O.l.i.v.e.r.",
        "Staff spoke to O - l - i - v - e - r.",
        "Staff spoke to o-l-i-v-e-r.",
        "The D-e-m-o-A-s-h family moved.",
        "Staff spoke to O-l-i-v-e-r D-e-m-o-A-s-h.",
        "Staff spoke to Oliver  Demo  Ash.",
    ],
)
def test_the_restricted_name_is_found_spelled_out(text):
    assert [f.kind for f in _findings(text)] == [publication.NAME], text


@pytest.mark.parametrize(
    "text",
    [
        "March 2021 birth, 1st",
        "born in March 2021, on the 1st",
        "birth: 2021, March, the first",
        "DOB March 2021 (1st)",
        "d o b: 1st, 2021 March",
        "her birthday, the 1st, in March 2021",
        "b-o-r-n March 2021, 1st",
    ],
)
def test_the_restricted_date_of_birth_is_found_near_a_birth_word(text):
    assert [f.kind for f in _findings(text)] == [publication.DATE_OF_BIRTH], text


@pytest.mark.parametrize(
    "text",
    [
        "born in March 2021, one of four children",  # no day
        "born on the 2nd, in March 2021",  # another day
        "birth in March 2020, the 1st of three",  # another year
        "In March 2021 the 1st review began; births were not recorded.",  # no birth word near
        "Plan A, B and C were agreed in March 2021.",
        "The review (version 1.2.3) met on the 1st of each month in 2021.",
        "Seen at the N B C offices in Northgate.",
    ],
)
def test_near_misses_are_not_reported(text):
    assert _findings(text) == [], text
