"""Every escalation page for every role and an outsider; the record form; bad input."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from safeguarding.accounts.models import Role
from safeguarding.accounts.services import agency_create, user_create
from safeguarding.accounts.testing import login_verified
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.core.concurrency import version_data
from safeguarding.escalations.forms import EscalationRecordForm
from safeguarding.escalations.models import Escalation, EscalationStage, EscalationStep
from safeguarding.escalations.tests.helpers import D, current_step, escalate, stage
from safeguarding.testing.factories import PASSWORD

# Who: the roles of `world`; "health_lead" is an agency lead of another agency of the same
# partnership; "outsider" is the business unit of another partnership; "analyst" belongs to
# no partnership.
WHO = (
    "business_unit",
    "police_lead",
    "health_lead",
    "rag_member",
    "scrutineer",
    "scrutiny_reader",
    "outsider",
    "analyst",
)

# The escalation under test is raised by the police about children's services, so the police
# lead may see it and the health lead may not. Expected status codes, in WHO's order.
PAGES = {
    # page: (method, url name, takes the escalation / step / stage, statuses)
    "register": ("get", "escalations:register", None, (200, 200, 200, 302, 302, 403, 200, 403)),
    "record form": ("get", "escalations:record", None, (200, 200, 200, 403, 403, 403, 200, 403)),
    "escalation": ("get", "escalations:detail", "e", (200, 200, 404, 403, 403, 403, 404, 403)),
    "add detail": ("get", "escalations:edit", "e", (200, 200, 404, 403, 403, 403, 404, 403)),
    "move up": ("post", "escalations:move_up", "e", (302, 302, 404, 403, 403, 403, 404, 403)),
    "close": ("post", "escalations:close", "e", (302, 302, 404, 403, 403, 403, 404, 403)),
    "stage clock": (
        "get",
        "escalations:step_clock",
        "step",
        (302, 302, 404, 403, 403, 403, 404, 403),
    ),
    "stages": ("get", "escalations:stages", None, (200, 403, 403, 403, 403, 403, 200, 403)),
    "stage form": (
        "get",
        "escalations:stage_edit",
        "stage",
        (200, 403, 403, 403, 403, 403, 404, 403),
    ),
    "add a stage": ("get", "escalations:stage_add", None, (200, 403, 403, 403, 403, 403, 200, 403)),
    "analysis": ("get", "escalations:analysis", None, (200, 200, 200, 200, 200, 403, 200, 403)),
    "csv": ("get", "escalations:analysis_csv", None, (200, 200, 200, 200, 200, 403, 200, 403)),
    "xlsx": ("get", "escalations:analysis_xlsx", None, (200, 200, 200, 200, 200, 403, 200, 403)),
}


@pytest.fixture
def people(world, other_world, db):
    analyst = user_create(
        actor=None, partnership=None, username="analyst", password=PASSWORD, role=Role.ANALYST
    )
    return {
        "business_unit": world.business_unit,
        "police_lead": world.users["agency_lead"],
        "health_lead": world.users["agency_lead_health"],
        "rag_member": world.users["rag_member"],
        "scrutineer": world.users["scrutineer"],
        "scrutiny_reader": world.users["scrutiny_reader"],
        "outsider": other_world.business_unit,
        "analyst": analyst,
    }


@pytest.fixture
def police_escalation(world):
    return escalate(world, by=world.police, about=world.la, raised_on=D(2022, 5, 26))


@pytest.mark.parametrize("page", PAGES)
def test_who_may_use_each_escalation_page(world, people, police_escalation, client, page):
    method, name, takes, expected = PAGES[page]
    args = {
        None: [],
        "e": [police_escalation.pk],
        "step": [current_step(police_escalation).pk],
        "stage": [stage(world, 2).pk],
    }[takes]
    url = reverse(name, args=args)
    data = {
        "move up": {"move-on": "2022-05-27"},
        "close": {"close-outcome": "withdrawn", "close-on": "2022-05-27"},
    }.get(page, {})
    found = {}
    for who in WHO:
        if method == "post":
            # A fresh escalation each time, so each role finds it open at the first stage.
            escalation = escalate(world, by=world.police, about=world.la, raised_on=D(2022, 5, 26))
            url = reverse(name, args=[escalation.pk])
            # The form carries the version of the escalation as shown (core.concurrency).
            prefix = "move" if page == "move up" else "close"
            data = {**data, **version_data(escalation, prefix=prefix)}
        login_verified(client, people[who])
        response = client.post(url, data) if method == "post" else client.get(url)
        found[who] = response.status_code
        client.logout()
    assert found == dict(zip(WHO, expected, strict=True))


@pytest.mark.parametrize("page", ["register", "analysis"])
def test_signed_out_visitors_are_sent_to_sign_in(db, client, page):
    response = client.get(reverse(f"escalations:{page}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_register_lists_only_the_escalations_each_role_may_see(world, other_world, client_for):
    police = escalate(world, by=world.police, about=world.la, child_reference="Child PX")
    health = escalate(world, by=world.la, about=world.health, child_reference="Child HX")
    neither = escalate(world, by=world.school, about=world.la, child_reference="Child NX")
    elsewhere = escalate(other_world, child_reference="Child OX")
    seen = {}
    for who, user in (
        ("business_unit", world.business_unit),
        ("police_lead", world.users["agency_lead"]),
        ("health_lead", world.users["agency_lead_health"]),
        ("outsider", other_world.business_unit),
    ):
        page = client_for(user).get(reverse("escalations:register") + "?status=all")
        text = page.content.decode()
        seen[who] = {
            e.child_reference
            for e in (police, health, neither, elsewhere)
            if e.child_reference in text
        }
    assert seen == {
        "business_unit": {"Child PX", "Child HX", "Child NX"},
        "police_lead": {"Child PX"},
        "health_lead": {"Child HX"},
        "outsider": {"Child OX"},
    }


def test_aggregate_roles_see_no_child_reference_on_the_analysis(world, client_for):
    escalate(world, child_reference="Child ZZ", raised_on=D(2022, 5, 26))
    page = client_for(world.users["scrutineer"]).get(
        reverse("escalations:analysis") + "?start=2022-01-01&end=2022-12-31"
    )
    text = page.content.decode()
    assert "Child ZZ" not in text
    assert "Schools" in text  # agencies are named: the figures are about them


# --- The record form ---------------------------------------------------------------------


def test_record_form_asks_for_no_more_than_five_things(world):
    form = EscalationRecordForm(
        partnership=world.partnership, user=world.business_unit, today=D(2022, 6, 1)
    )
    required = [name for name, field in form.fields.items() if field.required]
    assert required == ["raised_by_agency", "about_agency", "category", "raised_on", "stage"]
    optional = [name for name, field in form.fields.items() if not field.required]
    assert all("(optional)" in str(form.fields[name].label) for name in optional)


def test_recording_with_just_the_required_fields_saves_it_at_that_stage(world, client_for):
    response = client_for(world.business_unit).post(
        reverse("escalations:record"),
        {
            "raised_by_agency": world.school.pk,
            "about_agency": world.la.pk,
            "category": "threshold",
            "raised_on": "2022-05-26",
            "stage": stage(world, 1).pk,
        },
    )
    escalation = Escalation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("escalations:detail", args=[escalation.pk])
    assert (escalation.raised_by_agency, escalation.about_agency) == (world.school, world.la)
    assert escalation.steps.get().stage.number == 1


def test_agency_lead_form_starts_with_their_agency_as_the_raiser(world, client_for):
    page = client_for(world.users["agency_lead"]).get(reverse("escalations:record"))
    form = page.context["form"]
    assert form["raised_by_agency"].value() == world.police.pk


def test_agency_lead_cannot_record_an_escalation_between_two_other_agencies(world, client_for):
    response = client_for(world.users["agency_lead"]).post(
        reverse("escalations:record"),
        {
            "raised_by_agency": world.school.pk,
            "about_agency": world.la.pk,
            "category": "threshold",
            "raised_on": "2022-05-26",
            "stage": stage(world, 1).pk,
        },
    )
    assert response.status_code == 200
    assert "raised by or about your own agency" in response.content.decode()
    assert not Escalation.objects.exists()


BAD_RECORDS = {
    "nothing": (
        {},
        [
            "Select the agency that raised it",
            "Select the concern",
            "Enter the date raised",
            "Select the stage reached",
        ],
    ),
    "same agency": ({"about_agency": "school"}, ["Choose a different agency"]),
    "future date": ({"raised_on": "2999-01-01"}, ["today or in the past"]),
    "not a date": ({"raised_on": "31/02/2022"}, ["Enter a real date"]),
    "another partnership's agency": ({"about_agency": "outsider"}, ["Select a valid choice"]),
}


@pytest.mark.parametrize("case", BAD_RECORDS)
def test_bad_record_re_renders_with_the_error_summary_and_saves_nothing(
    world, other_world, client_for, case
):
    changes, messages = BAD_RECORDS[case]
    data = {
        "raised_by_agency": world.school.pk,
        "about_agency": world.la.pk,
        "category": "threshold",
        "raised_on": "2022-05-26",
        "stage": stage(world, 1).pk,
    }
    if case == "nothing":
        data = {}
    agencies = {"school": world.school.pk, "outsider": other_world.la.pk}
    for name, value in changes.items():
        data[name] = agencies.get(value, value)
    response = client_for(world.business_unit).post(reverse("escalations:record"), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in text and "There is a problem" in text
    assert "<title>Error: " in text
    for message in messages:
        assert message in text
    assert not Escalation.objects.exists()
    assert not EscalationStep.objects.exists()


# --- Moving up and closing: one action each ----------------------------------------------


def test_moving_up_is_one_post_that_lands_back_on_the_escalation(world, client_for):
    escalation = escalate(world, raised_on=D(2022, 5, 26))
    client = client_for(world.business_unit)
    page = client.get(reverse("escalations:detail", args=[escalation.pk])).content.decode()
    assert "Move up to stage 2: manager to manager" in page
    response = client.post(
        reverse("escalations:move_up", args=[escalation.pk]),
        version_data(escalation, prefix="move"),
        follow=True,
    )
    escalation.refresh_from_db()
    assert escalation.stage.number == 2
    assert response.redirect_chain[-1][0] == reverse("escalations:detail", args=[escalation.pk])
    assert f"{escalation.reference} moved up to stage 2" in response.content.decode()


def test_resolving_is_one_post(world, client_for):
    escalation = escalate(world, raised_on=D(2022, 5, 26), moves=(D(2022, 5, 27),))
    client_for(world.business_unit).post(
        reverse("escalations:close", args=[escalation.pk]),
        {
            "close-outcome": "resolved",
            "close-how_resolved": "action_agreed",
            "close-on": "2022-06-01",
            **version_data(escalation, prefix="close"),
        },
    )
    escalation.refresh_from_db()
    assert (escalation.status, escalation.stage.number, escalation.closed_on) == (
        "resolved",
        2,
        D(2022, 6, 1),
    )


BAD_CLOSES = {
    "no outcome": ({}, "Select the outcome"),
    "resolved without how": (
        {"close-outcome": "resolved"},
        "Select how the escalation was resolved",
    ),
    "referred without where": (
        {"close-outcome": "referred_on"},
        "Enter where the escalation was referred",
    ),
    "before the stage began": (
        {"close-outcome": "withdrawn", "close-on": "2022-05-20"},
        "on or after 26 May 2022",
    ),
}


@pytest.mark.parametrize("case", BAD_CLOSES)
def test_bad_close_re_renders_the_escalation_with_the_error_summary_and_changes_nothing(
    world, client_for, case
):
    data, message = BAD_CLOSES[case]
    escalation = escalate(world, raised_on=D(2022, 5, 26))
    history_before = escalation.history.count()
    response = client_for(world.business_unit).post(
        reverse("escalations:close", args=[escalation.pk]),
        {**data, **version_data(escalation, prefix="close")},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and message in text
    escalation.refresh_from_db()
    assert escalation.is_open
    assert escalation.history.count() == history_before
    assert current_step(escalation).left_on is None


def test_bad_move_up_date_re_renders_with_the_error_summary(world, client_for):
    escalation = escalate(world, raised_on=D(2022, 5, 26))
    response = client_for(world.business_unit).post(
        reverse("escalations:move_up", args=[escalation.pk]), {"move-on": "2022-05-01"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.stage.number == 1


def test_closed_escalation_offers_no_move_or_close(world, client_for):
    escalation = escalate(world, raised_on=D(2022, 5, 26), close=("withdrawn", D(2022, 5, 27), ""))
    page = (
        client_for(world.business_unit)
        .get(reverse("escalations:detail", args=[escalation.pk]))
        .content.decode()
    )
    assert "Move up to stage" not in page
    assert "Close at stage" not in page
    assert "Withdrawn on 27 May 2022 at stage 1" in page


def test_bad_stage_limit_re_renders_and_saves_nothing(world, client_for):
    response = client_for(world.business_unit).post(
        reverse("escalations:stage_edit", args=[stage(world, 1).pk]),
        {"name": "Practitioner to practitioner", "working_days": "0"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert stage(world, 1).working_days == 3


def test_stage_change_through_the_page(world, client_for):
    response = client_for(world.business_unit).post(
        reverse("escalations:stage_edit", args=[stage(world, 1).pk]),
        {
            "name": "Practitioner to practitioner",
            "working_days": "2",
            **version_data(stage(world, 1)),
        },
    )
    assert response.status_code == 302
    assert stage(world, 1).working_days == 2
    assert EscalationStage.objects.filter(partnership=world.partnership).count() == 4


def test_detail_form_links_only_reviews_the_user_may_see(world, client_for):
    from safeguarding.testing.factories import make_incident, rapid_review_of

    police_review = rapid_review_of(
        make_incident(world, la_aware_on=D(2022, 5, 3), agencies=[world.police])
    )
    other_review = rapid_review_of(
        make_incident(world, la_aware_on=D(2022, 5, 4), agencies=[world.health])
    )
    escalation = escalate(world, by=world.police, raised_on=D(2022, 5, 26))
    client = client_for(world.users["agency_lead"])
    form = client.get(reverse("escalations:edit", args=[escalation.pk])).context["form"]
    assert list(form.fields["reviews"].queryset) == [police_review]
    response = client.post(
        reverse("escalations:edit", args=[escalation.pk]),
        {"category": "threshold", "reviews": [other_review.pk]},
    )
    assert response.status_code == 200  # not a choice for them
    assert not escalation.reviews.exists()


def test_bad_period_on_the_analysis_shows_the_error_summary(world, client_for):
    response = client_for(world.business_unit).get(
        reverse("escalations:analysis") + "?start=2022-12-31&end=2022-01-01"
    )
    text = response.content.decode()
    assert "There is a problem" in text
    assert "The end of the period must be on or after its start" in text


# --- Exports -----------------------------------------------------------------------------


@pytest.fixture
def hostile_agency(world):
    """An agency whose name a spreadsheet would run as a formula."""
    return agency_create(actor=None, partnership=world.partnership, name='=HYPERLINK("x")')


def test_csv_export_has_the_figures_and_neutralises_formulas(world, client_for, hostile_agency):
    escalate(world, by=hostile_agency, raised_on=D(2022, 5, 26))
    response = client_for(world.users["rag_member"]).get(
        reverse("escalations:analysis_csv") + "?start=2022-01-01&end=2022-12-31"
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["Escalations raised", "1"] in rows
    assert ['\'=HYPERLINK("x")', "Children's services", "1", "1", "0", "0", "0"] in rows
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_xlsx_export_has_a_sheet_per_table_and_no_formulas(world, client_for, hostile_agency):
    escalate(world, by=hostile_agency, raised_on=D(2022, 5, 26))
    response = client_for(world.business_unit).get(
        reverse("escalations:analysis_xlsx") + "?start=2022-01-01&end=2022-12-31"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert "Who escalates to whom" in workbook.sheetnames
    sheet = workbook["Who escalates to whom"]
    assert sheet["A4"].value == '\'=HYPERLINK("x")'
    assert sheet["A4"].data_type == "s"
    assert sheet["C4"].value == 1
    overview = workbook["The period at a glance"]
    assert [overview["A4"].value, overview["B4"].value] == ["Escalations raised", 1]


def test_detail_form_links_themes_of_the_partnership_only(world, other_world, client_for):
    from safeguarding.learning.models import Theme
    from safeguarding.learning.taxonomy import theme_retire

    escalation = escalate(world, raised_on=D(2022, 5, 26))
    ours = Theme.objects.get(partnership=world.partnership, name="Escalation")
    theirs = Theme.objects.get(partnership=other_world.partnership, name="Escalation")
    client = client_for(world.business_unit)
    url = reverse("escalations:edit", args=[escalation.pk])
    form = client.get(url).content.decode()
    assert f'value="{ours.pk}"' in form
    assert f'value="{theirs.pk}"' not in form

    # Another partnership's theme: the error summary, nothing linked.
    data = {"category": escalation.category, "themes": [theirs.pk]}
    page = client.post(url, data).content.decode()
    assert "There is a problem" in page
    assert not escalation.themes.exists()

    response = client.post(
        url, {"category": escalation.category, "themes": [ours.pk], **version_data(escalation)}
    )
    assert response.status_code == 302
    assert list(escalation.themes.all()) == [ours]
    detail = client.get(reverse("escalations:detail", args=[escalation.pk])).content.decode()
    assert reverse("learning:theme_detail", args=[ours.pk]) in detail
    theme_page = client_for(world.users["scrutineer"]).get(
        reverse("learning:theme_detail", args=[ours.pk])
    )
    assert "Escalations linked to this theme: 1" in theme_page.content.decode()
    client = client_for(world.business_unit)

    # Retired later: still linked, still offered on the form, shown as retired.
    theme_retire(actor=world.business_unit, theme=ours)
    assert f'value="{ours.pk}"' in client.get(url).content.decode()
    detail = client.get(reverse("escalations:detail", args=[escalation.pk])).content.decode()
    assert "Escalation</a> (retired)" in detail
