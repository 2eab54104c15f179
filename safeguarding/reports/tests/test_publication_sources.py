"""Every field that reaches a public copy is checked, and a hit names the record and field the
text came from (the check once pointed at the wrong part of a theme's section when the detail
was in the partnership's response)."""

from __future__ import annotations

import pytest

from safeguarding.actionplans.models import Action
from safeguarding.demo import learning as demo_learning
from safeguarding.learning.models import Finding, ThemeResponse
from safeguarding.reports import publication
from safeguarding.reports.brief import BriefText, build_brief
from safeguarding.reports.scrutiny import build_scrutiny_report
from safeguarding.reports.tests.report_helpers import make_reviewed_case

START, END = demo_learning.SEED_PERIOD


def _hits(document, known) -> dict[str, str]:
    """Each hit's location, keyed by the masked text it found."""
    return {f.masked: f.where for f in publication.check_text(document.iter_text(), known)}


def m(text: str) -> str:
    return publication.mask(text)


def test_a_brief_names_the_summary_the_questions_and_the_finding(world):
    review = make_reviewed_case(world)
    finding = Finding.objects.filter(review=review).order_by("pk").first()
    finding.text = "Practitioners did not speak to Kayleigh Brooks alone."
    finding.save()
    text = BriefText(summary="Mr Adebayo was not seen.", questions="Did anyone ask Zofia?")
    document = build_brief(review=review, text=text, published=True)

    hits = _hits(document, publication.known_details([]))

    brief = f"Learning brief of review '{review.title}'"
    assert hits[m("Mr Adebayo")].endswith(f"(from {brief}, field 'summary')")
    assert hits[m("Zofia")].endswith(f"(from {brief}, field 'questions')")
    assert hits[m("Kayleigh Brooks")].endswith(
        f"(from Finding {finding.pk} of review '{review.title}', field 'text')"
    )


@pytest.mark.django_db
def test_the_scrutiny_report_names_the_response_the_action_the_finding_and_the_introduction(
    demo,
):
    draft = build_scrutiny_report(partnership=demo, start=START, end=END, published=True)
    responses = ThemeResponse.objects.filter(partnership=demo, period_start=START, period_end=END)
    # A response to a theme the public copy names (found about more children than the
    # threshold: see scrutiny_learning.public_cross_cutting).
    headings = {text for where, text in draft.iter_text() if where.endswith("heading")}
    response = next(r for r in responses if r.actions.exists() and r.theme.name in headings)
    response.narrative = "The partnership will ask how Dawn Hughes was supported."
    response.save()
    action = response.actions.order_by("pk").first()
    Action.objects.filter(pk=action.pk).update(title="Write to Mrs Kowalski about the plan")
    # A finding the published copy shows (its theme was found in enough reviews).
    shown = {text for _where, text in draft.iter_text()}
    finding = next(f for f in Finding.objects.filter(review__partnership=demo) if f.text in shown)
    Finding.objects.filter(pk=finding.pk).update(text="Nobody asked Oluwaseun Adeyemi.")

    document = build_scrutiny_report(
        partnership=demo,
        start=START,
        end=END,
        published=True,
        intro_text="Written after Jayden's review.",
    )
    hits = _hits(document, publication.known_details_in_scope(partnership_id=demo.pk))

    assert "field 'narrative'" in hits[m("Dawn Hughes")]
    assert f"Partnership response {response.pk} to theme" in hits[m("Dawn Hughes")]
    assert hits[m("Mrs Kowalski")].endswith(f"(from Action {action.pk}, field 'title')")
    assert (
        f"(from Finding {finding.pk} of review {finding.review_id}, field 'text')"
        in (hits[m("Oluwaseun Adeyemi")])
    )
    assert hits[m("Jayden's")].endswith("(from Report, field 'introduction')")
    # Nothing else in the demo's published report looks like a name.
    assert len(hits) == 4, hits
