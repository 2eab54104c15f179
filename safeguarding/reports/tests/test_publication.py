"""The identifying-details check: what it finds, where, masked; and that it blocks publishing."""

from __future__ import annotations

import datetime as dt

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


def _known() -> publication.KnownDetails:
    identity = CaseIdentity(
        child_name="Jayden Okafor",
        date_of_birth=dt.date(2019, 3, 14),
        address="14 Larch Road\nExampletown",
        agency_record_numbers="Police 12/3456/22\nChildren's services CS-778812",
    )
    return publication.known_details([identity])


def _kinds(text: str) -> list[str]:
    return [f.kind for f in publication.check_text([("Somewhere", text)], _known())]


def test_a_full_name_or_either_part_of_it_is_found():
    assert _kinds("Jayden Okafor was seen at home.") == [publication.NAME]
    assert _kinds("Staff spoke to jayden.") == [publication.NAME]
    assert _kinds("The Okafor family moved.") == [publication.NAME]


def test_the_date_of_birth_is_found_in_any_common_format():
    for text in ("seen on 14/03/2019", "14 March 2019", "2019-03-14", "March 14, 2019"):
        assert _kinds(text) == [publication.DATE_OF_BIRTH], text


def test_a_date_after_born_is_found_but_other_dates_are_not():
    assert _kinds("The baby, born 2 May 2020, was") == [publication.DATE_OF_BIRTH]
    assert _kinds("DOB: 02/05/2020") == [publication.DATE_OF_BIRTH]
    assert _kinds("The review began on 2 May 2020 and ended 31 December 2022.") == []


def test_postcodes_addresses_and_record_numbers_are_found():
    assert _kinds("They lived near EX1 2AB.") == [publication.POSTCODE]
    assert _kinds("A flat at 27 Mill Lane was visited.") == [publication.ADDRESS]
    assert _kinds("Home in Exampletown") == [publication.ADDRESS]
    assert _kinds("Crime reference 12/3456/22") == [publication.RECORD_NUMBER]
    assert _kinds("file CS-778812") == [publication.RECORD_NUMBER]
    assert _kinds("NHS number 943 476 5919").pop().startswith(publication.RECORD_NUMBER)


def test_ordinary_report_text_and_figures_pass():
    text = (
        "11 rapid reviews | 2 | 5 | 3 | 1. Professional curiosity was found in 4 reviews "
        "between 1 May 2021 and 31 December 2022; Child A was 2 years old."
    )
    assert _kinds(text) == []


def test_a_finding_says_where_and_masks_the_value():
    [finding] = publication.check_text([("Section 2, paragraph 1", "Jayden Okafor")], _known())
    assert finding.where == "Section 2, paragraph 1"
    assert finding.masked == "J••••• O•••••"
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
    assert all(f.where == "Section 1 'Summary', paragraph 1" for f in findings)
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
