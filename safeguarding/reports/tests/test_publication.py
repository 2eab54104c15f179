"""The identifying-details check: what it finds, where, masked; and that it blocks publishing.

The tables hold each restricted value in the forms a person might type it, not only as stored
(the first tests used the stored values alone, so a hyphen dropped or a zero-width space passed).
"""

from __future__ import annotations

import datetime as dt

import pytest

from safeguarding.audit.models import AuditEvent
from safeguarding.reports import publication
from safeguarding.reports.models import Generation
from safeguarding.reports.services import version_publish
from safeguarding.reports.tests.report_helpers import (
    CHILD_NAME,
    fast_render,  # noqa: F401
    issue_brief,
    make_reviewed_case,
)
from safeguarding.reviews.models import CaseIdentity

ZWSP = "\u200b"


def _known() -> publication.KnownDetails:
    identity = CaseIdentity(
        child_name="Jayden Okafor-Brooks",
        date_of_birth=dt.date(2019, 3, 14),
        address="14 Larch Road\nExampletown\nNB1 1AA",
        agency_record_numbers="Police 12/3456/22\nChildren's services CS-778812",
    )
    return publication.known_details([identity], safe_phrases=["Child P"])


def _kinds(text: str) -> list[str]:
    return [f.kind for f in publication.check_text([("Somewhere", text)], _known())]


@pytest.mark.parametrize(
    "text",
    [
        "Jayden Okafor-Brooks was seen at home.",
        "Jayden Okafor Brooks was seen at home.",  # the hyphen as a space
        "Jayden OkaforBrooks was seen at home.",  # the hyphen left out
        "JAYDEN OKAFOR-BROOKS was seen at home.",
        f"Jay{ZWSP}den Okafor-Brooks was seen at home.",  # a zero-width space inside
        "Jayden  Okafor\u2010Brooks was seen at home.",  # a Unicode hyphen, two spaces
        "Ｊａｙｄｅｎ Okafor-Brooks was seen at home.",  # full-width letters (NFKC)
        # Spelled out a character at a time, and runs of spaces (finding F4).
        "J-a-y-d-e-n Okafor-Brooks was seen at home.",
        "J a y d e n O k a f o r - B r o o k s was seen at home.",
        "J.a.y.d.e.n   Okafor-Brooks was seen at home.",
    ],
)
def test_the_full_name_is_found_however_it_is_written(text):
    assert _kinds(text) == [publication.NAME], text


@pytest.mark.parametrize(
    "text",
    [
        "Staff spoke to jayden.",
        "The Okafor family moved.",
        "Brooks was not seen.",
        "okaforbrooks",
        "Staff spoke to j-a-y-d-e-n.",
        "The O k a f o r family moved.",
    ],
)
def test_a_part_of_the_name_is_found(text):
    assert _kinds(text) == [publication.NAME], text


@pytest.mark.parametrize(
    "text",
    [
        "seen on 14/03/2019",
        "seen on 14/3/19",
        "seen on 14-03-2019",
        "seen on 14.03.2019",
        "2019-03-14",
        "14 March 2019",
        "14th March 2019",
        "the 14th of March 2019",
        "March 14, 2019",
        "Mar 14th 2019",
        "14 Mar 19",
        "03/14/2019",  # month first
    ],
)
def test_the_date_of_birth_is_found_in_any_common_format(text):
    assert _kinds(text) == [publication.DATE_OF_BIRTH], text


@pytest.mark.parametrize(
    "text",
    [
        "The baby, born 2 May 2020, was",
        "DOB: 02/05/2020",
        "born 02-05-2020",
        "born on the 2nd of May 2020",
        "date of birth 2.5.20",
        "born May 2nd, 2020",
        "d.o.b. 2020-05-02",
        "born  2  May  2020",  # runs of spaces
        "b-o-r-n 2 May 2020",  # the birth word spelled out
    ],
)
def test_any_date_after_born_is_found(text):
    assert _kinds(text) == [publication.DATE_OF_BIRTH], text


@pytest.mark.parametrize(
    "text",
    [
        "The review began on 2 May 2020 and ended 31 December 2022.",
        "Version 1.2.3 of the guidance, 11 rapid reviews | 2 | 5 | 3 | 1.",
        "In May 2020 five children were seen.",
    ],
)
def test_other_dates_are_not_found(text):
    assert _kinds(text) == [], text


@pytest.mark.parametrize(
    "text",
    [
        "March 2019 birth, 14th",  # finding F4
        "born in March 2019, on the 14th",
        "DOB: 2019, the 14th of March",
        "birthday 14 — March, 2019",
        "b-o-r-n March 2019 (14th)",
    ],
)
def test_the_date_of_birth_taken_apart_near_a_birth_word_is_found(text):
    assert _kinds(text) == [publication.DATE_OF_BIRTH], text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("They lived near EX1 2AB.", publication.POSTCODE),
        ("They lived near nb1 1aa.", publication.POSTCODE),  # lower case
        ("They lived near NB11AA.", publication.POSTCODE),
        # Runs of spaces and spelled out (finding F4), restricted or not.
        ("They lived near NB1  1AA.", publication.POSTCODE),
        ("They lived near N B 1 1 A A.", publication.POSTCODE),
        ("They lived near n-b-1 1-a-a.", publication.POSTCODE),
        ("They lived near NB1 1 AA.", publication.POSTCODE),
        ("They lived near EX1  2AB.", publication.POSTCODE),
        ("They lived near E X 1 2 A B.", publication.POSTCODE),
        ("A flat at 27  Mill  Lane was visited.", publication.ADDRESS),
        ("The family lived on L-a-r-c-h Road.", publication.ADDRESS),
        ("A flat at 27 Mill Lane was visited.", publication.ADDRESS),
        ("Home in Exampletown", publication.ADDRESS),
        ("The family lived on Larch Road, Exampletown.", publication.ADDRESS),
        ("The family lived on larch rd exampletown.", publication.ADDRESS),
        ("at 14 Larch Road", publication.ADDRESS),
        ("Crime reference 12/3456/22", publication.RECORD_NUMBER),
        ("Crime reference 12-3456-22", publication.RECORD_NUMBER),
        ("Crime reference 12345622", publication.RECORD_NUMBER),
        ("file CS-778812", publication.RECORD_NUMBER),
        ("file cs 778 812", publication.RECORD_NUMBER),
        ("file C.S.778.812", publication.RECORD_NUMBER),
        ("file CS778812", publication.RECORD_NUMBER),
        ("file CS  778  812", publication.RECORD_NUMBER),
        ("file C - S - 7 7 8 8 1 2", publication.RECORD_NUMBER),
        ("Crime reference 12 / 3456 / 22", publication.RECORD_NUMBER),
    ],
)
def test_postcodes_addresses_and_record_numbers_are_found(text, kind):
    assert _kinds(text) == [kind], text


def test_record_number_patterns_are_found():
    assert _kinds("NHS number 943 476 5919").pop().startswith(publication.RECORD_NUMBER)
    assert _kinds("NI number ab 12 34 56 c").pop().startswith(publication.RECORD_NUMBER)


def test_a_possible_personal_name_in_no_record_is_found_and_a_pseudonym_is_not():
    assert _kinds("Practitioners did not speak to Kayleigh-Ann Hughes alone.") == [
        publication.POSSIBLE_NAME
    ]
    assert _kinds("Mother reported that Dawn from the nursery had seen bruising.") == [
        publication.POSSIBLE_NAME
    ]
    assert _kinds("Child P attended Hope House with Mother in May.") == []


def test_ordinary_report_text_and_figures_pass():
    text = (
        "11 rapid reviews | 2 | 5 | 3 | 1. Professional curiosity was found in 4 reviews "
        "between 1 May 2021 and 31 December 2022; Child A was 2 years old."
    )
    assert _kinds(text) == []


def test_a_finding_says_where_and_masks_the_value():
    [finding] = publication.check_text(
        [("Section 2, paragraph 1", "Jayden Okafor-Brooks")], _known()
    )
    assert finding.where == "Section 2, paragraph 1"
    assert finding.masked == "J••••• O•••••-••••••"
    assert CHILD_NAME not in finding.message()


def test_a_planted_name_blocks_publication_until_it_is_removed(world, fast_render):  # noqa: F811
    review = make_reviewed_case(world)
    version = issue_brief(
        world, review, summary=f"{CHILD_NAME} was seriously harmed at EX1 2AB, born 14/03/2019."
    )
    assert version.generation == Generation.DONE

    findings = version_publish(actor=world.business_unit, version=version)

    kinds = {f.kind for f in findings}
    assert {publication.NAME, publication.POSTCODE, publication.DATE_OF_BIRTH} <= kinds
    summary = (
        "Section 1 'Summary', paragraph 1 (from Learning brief of review "
        "'Local learning review: Child P', field 'summary')"
    )
    assert all(f.where == summary for f in findings)
    version.refresh_from_db()
    assert not version.is_published
    blocked = AuditEvent.objects.get(outcome="blocked")
    assert "Okafor" not in blocked.summary and "EX1" not in blocked.summary

    # With the summary put right, the next version passes and is published, with who and when.
    clean = issue_brief(world, review)
    assert version_publish(actor=world.business_unit, version=clean) == []
    clean.refresh_from_db()
    assert clean.is_published and clean.number == 2
    assert clean.published_by == world.business_unit
    assert AuditEvent.objects.filter(summary__startswith="Published").exists()
