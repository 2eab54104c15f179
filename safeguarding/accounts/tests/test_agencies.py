"""Settings -> Agencies: adding, changing and retiring agencies, and retired agencies absent
from every new choice while the records that name them keep them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts import services
from safeguarding.accounts.models import Agency
from safeguarding.actionplans.forms import ActionForm
from safeguarding.api.tests.conftest import ApiClient
from safeguarding.audit.models import AuditAction, AuditEvent
from safeguarding.core.concurrency import version_data
from safeguarding.dissemination.forms import AuditResultForm, EventForm, PlanForm, RequestForm
from safeguarding.escalations.forms import EscalationRecordForm
from safeguarding.imports.schema import COLUMNS
from safeguarding.imports.validate import Lookups, parse_cell
from safeguarding.learning.forms import AnalysisForm, FindingForm
from safeguarding.reviews.forms import CaseForm, ReviewForm, SignoffForm
from safeguarding.testing.factories import make_case, make_incident, rapid_review_of

PROBLEM = "There is a problem"
ADD = "accounts:agency_add"


@pytest.fixture
def bu(world, client_for):
    return client_for(world.business_unit)


def _edit_data(agency: Agency, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": agency.name,
        "short_name": agency.short_name,
        "workforce_size": agency.workforce_size,
        **version_data(agency),
    }
    if agency.is_statutory_partner:
        data["is_statutory_partner"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _retire(world, agency: Agency) -> Agency:
    return services.agency_retire(actor=world.business_unit, agency=agency)


# --- Adding and changing ------------------------------------------------------------------


def test_the_business_unit_adds_an_agency_which_is_audited_and_in_history(world, bu):
    page = bu.get(reverse("accounts:settings"))
    assert reverse(ADD) in page.content.decode()
    response = bu.post(
        reverse(ADD),
        {
            "name": "Youth  justice service",
            "short_name": "YJS",
            "is_statutory_partner": "",
            "workforce_size": "140",
        },
    )
    assert response.status_code == 302
    agency = Agency.objects.get(partnership=world.partnership, short_name="YJS")
    assert (agency.name, agency.workforce_size, agency.is_statutory_partner) == (
        "Youth justice service",
        140,
        False,
    )
    assert agency.history.count() == 1
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_id=str(agency.pk), summary__contains="Youth justice"
    ).exists()
    settings_page = bu.get(reverse("accounts:settings")).content.decode()
    assert "Youth justice service" in settings_page
    assert reverse("accounts:agency_edit", args=[agency.pk]) in settings_page


def test_a_name_the_partnership_already_has_is_a_form_error_and_adds_nothing(world, bu):
    before = Agency.objects.count()
    response = bu.post(reverse(ADD), {"name": "police", "workforce_size": "10"})
    assert response.status_code == 200
    page = response.content.decode()
    assert PROBLEM in page
    assert "The partnership already has an agency called Police" in page
    assert Agency.objects.count() == before


def test_another_partnership_may_use_the_same_name(world, other_world, bu):
    response = bu.post(reverse(ADD), {"name": "Probation", "workforce_size": "50"})
    assert response.status_code == 302
    services.agency_create(actor=None, partnership=other_world.partnership, name="Probation")
    assert Agency.objects.filter(name="Probation").count() == 2


def test_bad_workforce_size_is_a_form_error(world, bu):
    response = bu.post(reverse(ADD), {"name": "Probation", "workforce_size": "lots"})
    assert "Enter the workforce size as a whole number" in response.content.decode()
    response = bu.post(reverse(ADD), {"name": "Probation", "workforce_size": "-3"})
    assert "The workforce size must be 0 or more" in response.content.decode()
    assert not Agency.objects.filter(name="Probation").exists()


def test_changing_an_agency_saves_names_partner_and_workforce_with_history(world, bu):
    school = world.school
    url = reverse("accounts:agency_edit", args=[school.pk])
    assert bu.get(url).status_code == 200
    response = bu.post(
        url,
        _edit_data(
            school,
            name="Schools and colleges",
            short_name="Education",
            is_statutory_partner="on",
            workforce_size="5200",
        ),
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.name == "Schools and colleges"
    assert school.short_name == "Education"
    assert school.is_statutory_partner
    assert school.workforce_size == 5200
    assert [h.name for h in school.history.order_by("history_date")] == [
        "Schools",
        "Schools and colleges",
    ]
    event = AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(school.pk), object_type="accounts.Agency"
    ).latest("pk")
    assert event.changes["workforce_size"] == [5000, 5200]
    assert event.changes["name"] == ["Schools", "Schools and colleges"]


def test_renaming_to_another_agencys_name_is_refused_and_changes_nothing(world, bu):
    url = reverse("accounts:agency_edit", args=[world.school.pk])
    response = bu.post(url, _edit_data(world.school, name="POLICE"))
    assert response.status_code == 200
    assert "The partnership already has an agency called Police" in response.content.decode()
    world.school.refresh_from_db()
    assert world.school.name == "Schools"


def test_a_change_made_on_an_out_of_date_page_is_refused(world, bu):
    url = reverse("accounts:agency_edit", args=[world.school.pk])
    stale = _edit_data(world.school, workforce_size="10")
    services.agency_update(actor=world.business_unit, agency=world.school, workforce_size=7)
    response = bu.post(url, stale)
    assert response.status_code == 200
    world.school.refresh_from_db()
    assert world.school.workforce_size == 7


# --- Who may ------------------------------------------------------------------------------


def test_other_partnerships_agencies_are_not_found(world, other_world, client_for):
    outsider = client_for(other_world.business_unit)
    for name in ("accounts:agency_edit", "accounts:agency_retire"):
        url = reverse(name, args=[world.school.pk])
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, _edit_data(world.school, name="Taken")).status_code == 404
    world.school.refresh_from_db()
    assert (world.school.name, world.school.retired_at) == ("Schools", None)


@pytest.mark.parametrize("role", ["rag_member", "agency_lead", "scrutineer"])
def test_only_the_business_unit_manages_agencies(world, client_for, role):
    client = client_for(world.users[role])
    assert client.get(reverse(ADD)).status_code == 403
    assert client.post(reverse(ADD), {"name": "Probation"}).status_code == 403
    url = reverse("accounts:agency_retire", args=[world.school.pk])
    assert client.post(url, version_data(world.school)).status_code == 403
    assert not Agency.objects.filter(name="Probation").exists()
    world.school.refresh_from_db()
    assert world.school.retired_at is None


# --- Retiring -----------------------------------------------------------------------------


def test_retiring_an_agency_with_a_lead_switched_on_is_refused_naming_them(world, bu):
    police = world.police
    lead = world.users["agency_lead"]
    url = reverse("accounts:agency_retire", args=[police.pk])
    page = bu.get(url).content.decode()
    assert "cannot be retired yet" in page
    assert lead.username in page
    assert "Retire the agency</button>" not in page
    response = bu.post(url, version_data(police))
    assert response.status_code == 200
    page = response.content.decode()
    assert PROBLEM in page
    assert (
        f"Police cannot be retired while these people belong to it: Agency lead ({lead.username})"
        in page
    )
    police.refresh_from_db()
    assert police.retired_at is None
    assert not AuditEvent.objects.filter(summary="Retired agency Police").exists()


def test_a_lead_switched_off_does_not_hold_the_agency_back(world, bu):
    lead = world.users["agency_lead_health"]
    lead.is_active = False
    lead.save()
    health = world.health
    response = bu.post(reverse("accounts:agency_retire", args=[health.pk]), version_data(health))
    assert response.status_code == 302
    health.refresh_from_db()
    assert health.retired_at is not None
    lead.refresh_from_db()
    assert lead.agency == health  # the account keeps its agency, for its history


def test_retiring_keeps_history_and_is_audited(world, bu):
    school = world.school
    response = bu.post(reverse("accounts:agency_retire", args=[school.pk]), version_data(school))
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.retired_at is not None
    assert school.history.count() == 2
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, summary="Retired agency Schools", object_id=str(school.pk)
    ).exists()
    settings_page = bu.get(reverse("accounts:settings")).content.decode()
    assert "Schools (retired)" in settings_page
    # Retiring twice changes nothing more.
    again = bu.post(reverse("accounts:agency_retire", args=[school.pk]), version_data(school))
    assert "Schools is retired" in again.content.decode()
    assert school.history.count() == 2


def test_a_retired_agency_takes_no_new_person(world):
    _retire(world, world.school)
    with pytest.raises(ValueError, match="retired"):
        services.user_create(
            actor=None,
            partnership=world.partnership,
            username="new.lead",
            password="x" * 20,
            role="agency_lead",
            agency=world.school,
        )


# --- Absent from every new choice, kept on old records -------------------------------------


def _offered(form, name: str) -> set[int]:
    return set(form.fields[name].queryset.values_list("pk", flat=True))


def test_no_form_for_a_new_record_offers_a_retired_agency(world):
    _retire(world, world.school)
    partnership = world.partnership
    case = make_case(world)
    review = rapid_review_of(make_incident(world, la_aware_on=dt.date(2024, 3, 1), case=case))
    forms = [
        (CaseForm(partnership=partnership), "agencies_involved"),
        (ReviewForm(partnership=partnership), "agencies"),
        (FindingForm(partnership=partnership), "agencies"),
        (ActionForm(partnership=partnership), "owner_agency"),
        (EventForm(partnership=partnership), "audience_agencies"),
        (PlanForm(partnership=partnership), "agencies"),
        (RequestForm(partnership=partnership), "agencies"),
        (AuditResultForm(partnership=partnership), "agency"),
    ]
    escalation = EscalationRecordForm(
        partnership=partnership, user=world.business_unit, today=timezone.localdate()
    )
    forms += [(escalation, "raised_by_agency"), (escalation, "about_agency")]
    for form, name in forms:
        offered = _offered(form, name)
        assert world.school.pk not in offered, (type(form).__name__, name)
        assert world.police.pk in offered, (type(form).__name__, name)
    # A new sign-off: not from a retired statutory partner.
    _retire(world, world.la)
    assert world.la.pk not in _offered(SignoffForm(review=review), "agency")
    # Sent anyway, it is refused.
    form = CaseForm(
        {"reference": "Child R", "agencies_involved": [world.school.pk]}, partnership=partnership
    )
    assert not form.is_valid()
    assert "agencies_involved" in form.errors


def test_filters_of_old_records_keep_a_retired_agency_and_say_so(world):
    _retire(world, world.school)
    form = AnalysisForm(partnership=world.partnership)
    labels = [label for _, label in form.fields["agencies"].choices]
    assert "Schools (retired)" in labels


def test_a_record_that_names_a_retired_agency_keeps_it_when_edited(world, bu):
    case = make_case(world, agencies=[world.school, world.police])
    _retire(world, world.school)
    url = reverse("reviews:case_edit", args=[case.pk])
    page = bu.get(url).content.decode()
    assert "Schools (retired)" in page
    form = CaseForm(instance=case, partnership=world.partnership)
    assert world.school.pk in _offered(form, "agencies_involved")
    data = {
        name: getattr(case, name)
        for name in ("reference", "age_years", "sex", "ethnicity", "disability", "outcome")
    }
    data |= {"category": case.category, "agencies_involved": [world.school.pk, world.police.pk]}
    response = bu.post(url, {**data, "reference": "Child Renamed", **version_data(case)})
    assert response.status_code == 302, response.content.decode()[:3000]
    case.refresh_from_db()
    assert case.reference == "Child Renamed"
    assert set(case.agencies_involved.all()) == {world.school, world.police}
    # A record that did not name it is not offered it.
    other_case = make_case(world, agencies=[world.police])
    edit = CaseForm(instance=other_case, partnership=world.partnership)
    assert world.school.pk not in _offered(edit, "agencies_involved")


def test_the_api_refuses_a_retired_agency_on_a_new_case(world):
    _retire(world, world.school)
    api = ApiClient(world.business_unit)
    response = api.post(
        "/api/v1/cases/",
        {
            "reference": "Child API",
            "age_years": 3,
            "outcome": "died",
            "agencies_involved": [world.school.pk],
        },
    )
    assert response.status_code == 400, response.content
    assert not world.partnership.cases.filter(reference="Child API").exists()


def test_an_import_refuses_a_retired_agency(world):
    _retire(world, world.school)
    column = next(c for c in COLUMNS["cases"] if c.key == "agencies")
    lookups = Lookups(world.partnership)
    assert parse_cell(column, "Police", lookups) == [world.police]
    with pytest.raises(ValueError, match='The agency "Schools" is retired'):
        parse_cell(column, "Police; Schools", lookups)


def test_an_anonymous_visitor_is_sent_to_sign_in(world):
    response = Client().get(reverse(ADD))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
