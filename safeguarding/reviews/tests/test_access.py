"""Every page, for every role, an anonymous visitor and an outsider from another partnership.

The one table below says what each of them gets from each page. A page added to the URLconf
without a row here fails `test_the_table_covers_every_page`, so no page goes untested.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.accounts.models import Role
from safeguarding.accounts.services import age_band_save, user_create
from safeguarding.accounts.testing import login_verified
from safeguarding.audit.models import AuditEvent
from safeguarding.core.concurrency import version_data
from safeguarding.core.models import ClockKey, ClockRule
from safeguarding.reviews import services
from safeguarding.reviews.models import CaseIdentity
from safeguarding.testing.factories import PASSWORD, make_case, make_incident, rapid_review_of

LOGIN = "to login"  # 302 to the sign-in page
HOME = "to dashboard"  # 302 to the dashboard (the sign-in page, when already signed in)
REPORTS = "to reports"  # a scrutiny reader's landing page: the published reports
SVC = "to partnerships"  # a service administrator's landing page

# Who visits. agency_lead is the police lead, whose agency took part in the records below;
# agency_lead_health is the health lead, whose agency did not. analyst belongs to no
# partnership. outsider is the business unit of another partnership. service_admin runs the
# installation and belongs to no partnership.
ROLES = (
    "anonymous",
    "business_unit",
    "rag_member",
    "agency_lead",
    "agency_lead_health",
    "scrutineer",
    "scrutiny_reader",
    "analyst",
    "outsider",
    "service_admin",
)

# fmt: off
TABLE: dict[str, tuple[Any, ...]] = {
    # page                        anon   BU   RAG  lead  lead-h scrut reader analyst outsider admin
    "reviews:dashboard":          (LOGIN, 200, 200, 200, 200,  200,  403,  200,  200, SVC),
    "reviews:incident_list":      (LOGIN, 200, 200, 200, 200,  200,  403,  403,  200, 403),
    "reviews:incident_create":    (LOGIN, 200, 403, 403, 403,  403,  403,  403,  200, 403),
    "reviews:incident_detail":    (LOGIN, 200, 200, 200, 404,  200,  403,  403,  404, 403),
    "reviews:incident_edit":      (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    "reviews:case_list":          (LOGIN, 200, 200, 200, 200,  200,  403,  403,  200, 403),
    "reviews:case_detail":        (LOGIN, 200, 200, 200, 404,  200,  403,  403,  404, 403),
    "reviews:case_edit":          (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    "reviews:case_identity":      (LOGIN, 200, 403, 403, 404,  403,  403,  403,  404, 403),
    "reviews:case_identity_edit": (LOGIN, 200, 403, 403, 404,  403,  403,  403,  404, 403),
    "reviews:review_list":        (LOGIN, 200, 200, 200, 200,  200,  403,  403,  200, 403),
    "reviews:review_create":      (LOGIN, 200, 403, 403, 403,  403,  403,  403,  200, 403),
    "reviews:review_detail":      (LOGIN, 200, 200, 200, 404,  200,  403,  403,  404, 403),
    "reviews:review_edit":        (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    "reviews:review_decision":    (LOGIN, 200, 200, 403, 403,  403,  403,  403,  404, 403),
    "reviews:review_signoff":     (LOGIN, 200, 200, 403, 403,  403,  403,  403,  404, 403),
    "reviews:review_pause":       (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    "reviews:review_resume":      (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    "reviews:review_commission":  (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    "reviews:period_summary":     (LOGIN, 200, 200, 200, 200,  200,  403,  403,  200, 403),
    "accounts:login":             (200,   HOME, HOME, HOME, HOME, HOME, REPORTS, HOME, HOME, SVC),
    "accounts:logout":            (405,   405, 405, 405, 405,  405,  405,  405,  405, 405),
    # Single sign-on, off in these tests: 404 for everyone (test_oidc*.py has it on).
    "accounts:sso_start":         (404,   404, 404, 404, 404,  404,  404,  404,  404, 404),
    "accounts:sso_callback":      (404,   404, 404, 404, 404,  404,  404,  404,  404, 404),
    "accounts:settings":          (LOGIN, 200, 403, 403, 403,  403,  403,  403,  200, 403),
    "accounts:clock_rule_edit":   (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    "accounts:closure_add":       (LOGIN, 200, 403, 403, 403,  403,  403,  403,  200, 403),
    "accounts:age_band_add":      (LOGIN, 200, 403, 403, 403,  403,  403,  403,  200, 403),
    "accounts:age_band_edit":     (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    "accounts:age_band_remove":   (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    "accounts:account":           (LOGIN, 200, 200, 200, 200,  200,  200,  200,  200, 200),
    "accounts:password_change":   (LOGIN, 200, 200, 200, 200,  200,  200,  200,  200, 200),
    "accounts:recovery_codes":    (LOGIN, 200, 200, 200, 200,  200,  200,  200,  200, 200),
    # A token that opens nothing: the same page for everyone (test_enrolment.py).
    "accounts:enrol":             (404,   404, 404, 404, 404,  404,  404,  404,  404, 404),
    "accounts:two_factor_verify": (LOGIN, HOME, HOME, HOME, HOME, HOME, REPORTS, HOME, HOME, SVC),
    "accounts:two_factor_setup":  (LOGIN, HOME, HOME, HOME, HOME, HOME, REPORTS, HOME, HOME, SVC),
    # Settings -> People (accounts/people_views.py): the business unit of the partnership.
    "accounts:people":            (LOGIN, 200, 403, 403, 403,  403,  403,  403,  200, 403),
    "accounts:person_invite":     (LOGIN, 200, 403, 403, 403,  403,  403,  403,  200, 403),
    "accounts:person_detail":     (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    "accounts:person_action":     (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    # Settings -> Agencies (accounts/agency_views.py): the business unit of the partnership.
    "accounts:agency_add":        (LOGIN, 200, 403, 403, 403,  403,  403,  403,  200, 403),
    "accounts:agency_edit":       (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    "accounts:agency_retire":     (LOGIN, 200, 403, 403, 403,  403,  403,  403,  404, 403),
    # Forgotten password (accounts/password_reset.py): open to all; a made-up link gets the
    # same "does not work" page from everyone (test_password_reset.py).
    "accounts:password_reset":    (200,   200, 200, 200, 200,  200,  200,  200,  200, 200),
    "accounts:password_reset_done": (200, 200, 200, 200, 200,  200,  200,  200,  200, 200),
    "accounts:password_reset_confirm": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:password_reset_complete": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}
# fmt: on

# (role, page) pairs where a POST may change records: everything else must change nothing.
WRITERS = {
    ("rag_member", "reviews:review_decision"),
    ("rag_member", "reviews:review_signoff"),
}
WRITING_ROLES = {"business_unit", "outsider"}  # each in their own partnership
# Signing in and out change no records; the account pages change only the user's own password,
# app and recovery codes (safeguarding/accounts/tests).
NOT_POSTED = {
    "accounts:login",
    "accounts:logout",
    "accounts:account",
    "accounts:password_change",
    "accounts:recovery_codes",
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    # A person's own password, by an emailed link (accounts/tests/test_password_reset.py).
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
}


def expected(role: str, page: str) -> Any:
    return TABLE[page][ROLES.index(role)]


# The apps whose pages this table covers (other apps keep their own tables).
COVERED_NAMESPACES = ("reviews", "accounts")


def url_names() -> set[str]:
    """Every named page of the covered apps in the URLconf, as "namespace:name"."""
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{prefix}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return {name for name in names if name.split(":")[0] in COVERED_NAMESPACES}


@pytest.fixture
def records(world):
    """A case the police and children's services were involved in (not health), its incident,
    its rapid review (decided: CSPR, not yet commissioned) with an open pause."""
    bu = world.business_unit
    case = make_case(world, reference="Child Zulu", agencies=[world.la, world.police])
    incident = make_incident(
        world, la_aware_on=dt.date(2023, 3, 1), notified_on=dt.date(2023, 3, 3), case=case
    )
    review = rapid_review_of(incident)
    services.review_update(
        actor=bu,
        review=review,
        decision="cspr",
        decision_rationale="Meets the criteria.",
        decision_on=dt.date(2023, 3, 20),
    )
    pause = services.review_pause(
        actor=bu, review=review, starts_on=dt.date(2023, 3, 10), reason="Criminal proceedings"
    )
    # Ages 16 and over left free, for the new band the age-band form adds (bands may not overlap).
    oldest = world.partnership.age_bands.get(max_years__isnull=True)
    age_band_save(actor=bu, band=oldest, label="12 to 15", max_years=15)
    return {
        "case": case,
        "incident": incident,
        "review": review,
        "pause": pause,
        "rule": ClockRule.objects.get(partnership=world.partnership, key=ClockKey.RAPID_REVIEW),
        "band": world.partnership.age_bands.first(),
        "person": world.users["scrutineer"],
        "agency": world.school,  # no agency lead: it can be retired
    }


def page_url(page: str, records: dict[str, Any]) -> str:
    """The page's address, pointing at our records where it takes an id."""
    args: dict[str, tuple[int | str, ...]] = {
        "accounts:enrol": ("no-such-set-up-link",),
        "accounts:password_reset_confirm": ("MQ", "no-such-reset-token"),
        "accounts:agency_edit": (records["agency"].pk,),
        "accounts:agency_retire": (records["agency"].pk,),
        "accounts:person_detail": (records["person"].pk,),
        "accounts:person_action": (records["person"].pk, "switch-off"),
        "reviews:incident_detail": (records["incident"].pk,),
        "reviews:incident_edit": (records["incident"].pk,),
        "reviews:case_detail": (records["case"].pk,),
        "reviews:case_edit": (records["case"].pk,),
        "reviews:case_identity": (records["case"].pk,),
        "reviews:case_identity_edit": (records["case"].pk,),
        "reviews:review_detail": (records["review"].pk,),
        "reviews:review_edit": (records["review"].pk,),
        "reviews:review_decision": (records["review"].pk,),
        "reviews:review_signoff": (records["review"].pk,),
        "reviews:review_pause": (records["review"].pk,),
        "reviews:review_resume": (records["review"].pk, records["pause"].pk),
        "reviews:review_commission": (records["review"].pk,),
        "accounts:clock_rule_edit": (records["rule"].pk,),
        "accounts:age_band_edit": (records["band"].pk,),
        "accounts:age_band_remove": (records["band"].pk,),
    }
    return reverse(page, args=args.get(page, ()))


# Pages with a form; every other page is read-only (or signs in and out).
FORM_PAGES = {
    "reviews:incident_create",
    "reviews:incident_edit",
    "reviews:case_edit",
    "reviews:case_identity_edit",
    "reviews:review_create",
    "reviews:review_edit",
    "reviews:review_decision",
    "reviews:review_signoff",
    "reviews:review_pause",
    "reviews:review_resume",
    "reviews:review_commission",
    "accounts:clock_rule_edit",
    "accounts:closure_add",
    "accounts:age_band_add",
    "accounts:age_band_edit",
    "accounts:age_band_remove",
    "accounts:agency_add",
    "accounts:agency_edit",
    "accounts:agency_retire",
}


def valid_post(page: str, world, records: dict[str, Any]) -> dict[str, Any]:
    """Data that page would accept from someone allowed to use it (checked by
    `test_the_business_unit_can_post_every_form`), so a refusal is the access rule working."""
    police, la = str(world.police.pk), str(world.la.pk)
    case = {
        "reference": "Child Yankee",
        "age_years": "3",
        "sex": "male",
        "ethnicity": "white",
        "disability": "no",
        "outcome": "died",
        "category": "physical",
        # Dates that can be true beside the records' own (safeguarding.reviews.dates): the
        # incident before the local authority knew, that before the rapid review opened.
        "incident_date": "2023-02-27",
        "agencies_involved": [police, la],
    }
    incident = {
        "summary": "Changed summary.",
        "la_aware_on": "2023-03-02",
        "decision": "notify",
        "decision_rationale": "Meets the criteria.",
        "notified_on": "2023-03-03",
    }
    data: dict[str, dict[str, Any]] = {
        "reviews:incident_create": {
            **{f"case-{k}": v for k, v in case.items()},
            **{f"incident-{k}": v for k, v in incident.items()},
        },
        "reviews:incident_edit": incident,
        "reviews:case_edit": case,
        "reviews:case_identity_edit": {
            "child_name": "A Name",
            "date_of_birth": "2020-01-01",
            "address": "1 Street",
            "agency_record_numbers": "Police 1",
        },
        "reviews:review_create": {
            "kind": "audit",
            "title": "Audit of neglect cases",
            "opened_on": "2023-05-01",
            "audit_topic": "Neglect",
            "agencies": [police],
        },
        "reviews:review_edit": {"title": "Changed title", "status": "open", "agencies": [police]},
        "reviews:review_decision": {
            "decision": "local_learning",
            "decision_rationale": "Changed rationale.",
            "decision_on": "2023-03-21",
        },
        "reviews:review_signoff": {
            "agency": str(world.health.pk),
            "signed_by": "Chief nurse",
            "signed_on": "2023-03-22",
        },
        "reviews:review_pause": {"starts_on": "2023-03-15", "reason": "Inquest"},
        "reviews:review_resume": {"ends_on": "2023-03-24"},
        "reviews:review_commission": {"commissioned_on": "2023-03-25", "author": "A Reviewer"},
        "accounts:clock_rule_edit": {
            "name": "Rapid review",
            "start_event": "notification_sent",
            "length": "15",
            "unit": "working_days",
            "due_soon_working_days": "5",
            "guidance": "Panel guidance.",
        },
        "accounts:closure_add": {"date": "2023-12-27", "reason": "Office closed"},
        "accounts:age_band_add": {"label": "16 and over", "min_years": "16", "max_years": ""},
        "accounts:age_band_edit": {"label": "Babies", "min_years": "0", "max_years": "0"},
        "accounts:age_band_remove": {},
        "accounts:agency_add": {"name": "Probation service", "workforce_size": "50"},
        "accounts:agency_edit": {"name": "Schools and colleges", "workforce_size": "5100"},
        "accounts:agency_retire": {},
    }
    assert set(data) == FORM_PAGES
    # An edit carries the version of the record it was opened on (safeguarding.core.concurrency).
    edited: dict[str, Any] = {
        "reviews:incident_edit": records["incident"],
        "reviews:case_edit": records["case"],
        "reviews:case_identity_edit": CaseIdentity.objects.filter(case=records["case"]),
        "reviews:review_edit": records["review"],
        "reviews:review_decision": records["review"],
        "reviews:review_resume": records["pause"],
        "accounts:clock_rule_edit": records["rule"],
        "accounts:age_band_edit": records["band"],
        "accounts:age_band_remove": records["band"],
        "accounts:agency_edit": records["agency"],
        "accounts:agency_retire": records["agency"],
    }
    version = version_data(edited[page]) if page in edited else {}
    return {**data.get(page, {}), **version}


def visitor(role: str, world, other_world) -> Client:
    client = Client()
    if role == "anonymous":
        return client
    if role == "outsider":
        user = other_world.business_unit
    elif role == "service_admin":
        user = user_create(
            actor=None,
            partnership=None,
            username=f"admin-{world.partnership.slug}",
            password=PASSWORD,
            role=Role.SERVICE_ADMIN,
        )
    elif role == "analyst":
        user = user_create(
            actor=None,
            partnership=None,
            username=f"analyst-{world.partnership.slug}",
            password=PASSWORD,
            role=Role.ANALYST,
        )
    else:
        user = world.users[role]
    login_verified(client, user)
    return client


def outcome(response) -> Any:
    """The response as the table writes it."""
    if response.status_code == 302:
        if response.url.startswith(reverse("accounts:login")):
            return LOGIN
        if response.url == reverse("reviews:dashboard"):
            return HOME
        if response.url == reverse("reports:home"):
            return REPORTS
        if response.url == reverse("service:partnerships"):
            return SVC
        return f"302 to {response.url}"
    return response.status_code


def row_counts() -> dict[str, int]:
    """Rows in every table (records and their history), sessions and the audit trail aside: a
    refused attempt adds one audit row by design (checked by the test that posts)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model not in (Session, AuditEvent)
    }


def test_the_table_covers_every_page():
    assert set(TABLE) == url_names()
    assert all(len(row) == len(ROLES) for row in TABLE.values())


def test_the_table_covers_every_role():
    assert set(Role.values) <= set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_each_page_answers_each_role_as_the_table_says(role, world, other_world, records):
    client = visitor(role, world, other_world)
    got = {page: outcome(client.get(page_url(page, records))) for page in TABLE}
    assert got == {page: expected(role, page) for page in TABLE}


@pytest.mark.parametrize("role", ROLES)
def test_a_post_from_someone_who_may_not_write_changes_nothing(role, world, other_world, records):
    client = visitor(role, world, other_world)
    for page in sorted(set(TABLE) - NOT_POSTED):
        may_write = (role in WRITING_ROLES and expected(role, page) == 200) or (
            role,
            page,
        ) in WRITERS
        if may_write:
            continue
        before, last_audit = row_counts(), AuditEvent.objects.order_by("pk").last()
        response = client.post(page_url(page, records), valid_post(page, world, records))
        assert outcome(response) in (LOGIN, 403, 404, 405), page
        assert row_counts() == before, page
        new_audit = AuditEvent.objects.filter(pk__gt=last_audit.pk if last_audit else 0)
        assert set(new_audit.values_list("outcome", flat=True)) <= {"denied"}, page


@pytest.mark.parametrize("page", sorted(FORM_PAGES))
def test_the_business_unit_can_post_every_form(page, world, records):
    """The data the refusal test posts is good: the business unit's post of it is accepted."""
    data = valid_post(page, world, records)
    if page == "reviews:review_pause":
        # One pause at a time (safeguarding.reviews.dates): the fixture's open pause ends first.
        services.review_resume(
            actor=world.business_unit, pause=records["pause"], ends_on=dt.date(2023, 3, 12)
        )
    client = Client()
    login_verified(client, world.business_unit)
    before = row_counts()
    response = client.post(page_url(page, records), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert row_counts() != before


def test_the_rag_member_can_record_a_decision_and_a_sign_off(world, records):
    client = Client()
    login_verified(client, world.users["rag_member"])
    for page in ("reviews:review_decision", "reviews:review_signoff"):
        response = client.post(page_url(page, records), valid_post(page, world, records))
        assert response.status_code == 302, page
    review = records["review"]
    review.refresh_from_db()
    assert review.decision == "local_learning"
    assert review.signoffs.filter(agency=world.health).exists()


@pytest.mark.parametrize("role", ["agency_lead_health", "outsider", "scrutiny_reader"])
def test_lists_do_not_show_records_outside_the_visitors_scope(role, world, other_world, records):
    client = visitor(role, world, other_world)
    for page in ("reviews:incident_list", "reviews:case_list", "reviews:review_list"):
        response = client.get(reverse(page))
        assert "Child Zulu" not in response.content.decode(), page


@pytest.mark.parametrize("role", ["agency_lead", "scrutineer", "rag_member"])
def test_lists_show_records_in_the_visitors_scope(role, world, other_world, records):
    client = visitor(role, world, other_world)
    for page in ("reviews:incident_list", "reviews:case_list", "reviews:review_list"):
        response = client.get(reverse(page))
        assert "Child Zulu" in response.content.decode(), page


def test_the_period_summary_counts_for_an_agency_lead_only_the_records_they_may_open(
    world, other_world, records
):
    """A one-day period summary once described, to any agency lead, a rapid review of a case
    their agency was not in. Child Zulu's case (March 2023) is the police's, not health's."""
    day = {"start": "2023-03-01", "end": "2023-03-31"}
    figures = {}
    for role in ("business_unit", "agency_lead", "agency_lead_health"):
        summary = visitor(role, world, other_world).get(reverse("reviews:period_summary"), day)
        s = summary.context["summary"]
        figures[role] = (s["incidents"]["total"], s["rapid_reviews"]["total"])
    assert figures == {
        "business_unit": (1, 1),
        "agency_lead": (1, 1),
        "agency_lead_health": (0, 0),
    }
