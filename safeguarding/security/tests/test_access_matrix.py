"""The access matrix: every route of the URL resolver and every operation of the OpenAPI schema,
requested as every role, compared with the declared policy (safeguarding/security/policy.py).

Figures (printed with `-s`, and as one summary line): routes without a policy, mismatches,
unauthorised 2xx (a 2xx where the table says anything but ALLOW), and whether the database is
unchanged after every refused write. Every table is checksummed (row counts and a hash of every
row in key order) before and after; only the audit table (denied attempts and reads of
identifying details are audited: it grows by design) and the session table are left out.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import Agency, Partnership, Role, User
from safeguarding.accounts.services import user_create
from safeguarding.actionplans import services as action_services
from safeguarding.actionplans.models import Action, Recommendation
from safeguarding.api import services as api_services
from safeguarding.api.models import RefusalCount
from safeguarding.audit.models import AuditEvent
from safeguarding.dissemination import services as practice_services
from safeguarding.dissemination.models import AssuranceRecord, LearningEvent, LearningProduct
from safeguarding.escalations.models import Escalation, EscalationStage, EscalationStatus
from safeguarding.imports.jobs import import_job_start
from safeguarding.learning import services as learning_services
from safeguarding.learning.models import Theme, ThemeStatus
from safeguarding.records.services import legal_hold_place
from safeguarding.reports import services as report_services
from safeguarding.reviews import services as review_services
from safeguarding.security import matrix
from safeguarding.security.policy import (
    API,
    API_OBJECTS,
    READ_ONLY_ROLES,
    ROLES,
    ROUTES,
    Outcome,
    Rule,
    api_cells,
)
from safeguarding.testing.factories import PASSWORD, make_world

# Also the rate limit's cache and the count of repeated anonymous refusals: both grow with
# every refused anonymous request, by design (safeguarding/api/throttling.py, audit/denials.py).
IGNORED_TABLES = frozenset(
    {
        AuditEvent._meta.db_table,
        Session._meta.db_table,
        settings.CACHES["default"]["LOCATION"],
        RefusalCount._meta.db_table,
    }
)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


# --- Coverage: every route and operation has a row -----------------------------------------


def _coverage() -> tuple[list[matrix.Route], list[matrix.Route], list[str], list[str]]:
    """(routes checked, routes skipped, operations, what has no policy)."""
    routes, skipped = matrix.all_routes()
    operations = matrix.api_operations()
    missing = [f"operation {op}" for op in operations if op not in API]
    api_paths = {op.split(" ", 1)[1] for op in operations}
    for route in routes:
        if route.is_api_router:
            collection = matrix.router_collection(route)
            if not any(matrix.api_collection(p) == collection for p in api_paths):
                missing.append(f"route {route.pattern} (no operation in the schema)")
        elif route.key not in ROUTES:
            missing.append(f"route {route.key} ({route.pattern})")
    return routes, skipped, operations, missing


def test_every_route_and_api_operation_has_a_policy():
    routes, skipped, operations, missing = _coverage()
    keys = {r.key for r in routes}
    stale = [k for k in ROUTES if k not in keys] + [op for op in API if op not in operations]
    assert not missing, "Routes without a policy in safeguarding/security/policy.py:\n" + (
        "\n".join(missing)
    )
    assert not stale, "Policy rows for routes that no longer exist:\n" + "\n".join(stale)


def test_the_policy_gives_scrutiny_readers_published_reports_only():
    """The matrix only compares the app with this table, so a table that allows too much hides a
    leak (it allowed scrutiny readers the live period summary, theme and escalation analysis).
    The reader's column is checked here against DESIGN.md, written out in
    test_published_only.py: published reports, the reader's own account, and pages with no
    record (the API's schema and docs, the health check); no API operation at all."""
    from safeguarding.security.tests.test_published_only import READER_MAY_OPEN

    allowed = sorted(k for k, rule in ROUTES.items() if rule.cells()["scrutiny_reader"] == "A")
    assert set(allowed) <= READER_MAY_OPEN, set(allowed) - READER_MAY_OPEN
    api_allowed = [op for op in API if api_cells(op)["scrutiny_reader"] == "A"]
    assert api_allowed == []


def test_the_checksum_sees_one_changed_row(db):
    """The database check is only worth its figure if it notices the smallest change."""
    partnership = make_world().partnership
    before = matrix.table_checksums(IGNORED_TABLES)
    Partnership.objects.filter(pk=partnership.pk).update(small_number_threshold=3)
    changed = matrix.changed_tables(before, matrix.table_checksums(IGNORED_TABLES))
    assert changed == [f"{Partnership._meta.db_table} (1 -> 1 rows)"]


# --- The people and the records ------------------------------------------------------------


def _people(partnership: Partnership) -> dict[str, User | None]:
    by_name = {u.username: u for u in User.objects.all()}
    hospital = Agency.objects.get(partnership=partnership, short_name="Hospital")
    hospital_lead = user_create(
        actor=None,
        partnership=partnership,
        username="hospital.lead",
        password=PASSWORD,
        role=Role.AGENCY_LEAD,
        agency=hospital,
        first_name="Hollis",
    )
    return {
        "anonymous": None,
        "business_unit": by_name["business.unit"],
        "rag_member": by_name["rag.member"],
        "scrutineer": by_name["independent.chair"],
        "scrutiny_reader": by_name["councillor"],
        "analyst": by_name["regional.analyst"],
        "police_lead": by_name["police.lead"],
        "health_lead": by_name["health.lead"],
        "hospital_lead": hospital_lead,
        # A business-unit user of another partnership.
        "outsider": make_world().business_unit,
        "service_admin": by_name["service.admin"],
    }


def _objects(partnership: Partnership, people: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The URL parameters of each kind of record (policy.Rule.obj). Records of the police that
    neither health (ICB) nor the hospital trust take part in; the demo has one of nearly
    everything, and the few the demo lacks are made here through the services."""
    bu = people["business_unit"]
    agencies = {a.short_name: a for a in partnership.agencies.all()}
    police, icb, hospital = agencies["Police"], agencies["ICB"], agencies["Hospital"]
    others = [icb, hospital]
    today = timezone.localdate()

    # A case of the police and children's services, with identifying details, its incident
    # and rapid review: decided (a CSPR), not yet commissioned, paused.
    case = review_services.case_create(
        actor=bu,
        partnership=partnership,
        agencies=[agencies["LA"], police],
        reference="Child Z",
        age_years=3,
        sex="female",
        outcome="seriously_harmed",
        category="neglect",
    )
    review_services.case_identity_save(
        actor=bu,
        case=case,
        child_name="Zara Fictional",
        address="1 Nowhere Lane",
        date_of_birth=today - dt.timedelta(days=3 * 365),
        agency_record_numbers="Police ZZ/0001",
    )
    incident = review_services.incident_record(
        actor=bu,
        partnership=partnership,
        case=case,
        summary="A fictional incident for the access matrix.",
        la_aware_on=today - dt.timedelta(days=20),
        decision="notify",
        decision_rationale="Meets the criteria.",
        notified_on=today - dt.timedelta(days=18),
    )
    review = incident.reviews.get(kind="rapid_review")
    review_services.review_update(
        actor=bu,
        review=review,
        decision="cspr",
        decision_on=today - dt.timedelta(days=2),
        decision_rationale="Meets the Regulation 11 criteria.",
    )
    pause = review_services.review_pause(
        actor=bu, review=review, starts_on=today - dt.timedelta(days=1), reason="Court case"
    )
    theme = Theme.objects.filter(partnership=partnership, status=ThemeStatus.ACTIVE).first()
    assert theme is not None
    finding = learning_services.finding_create(
        actor=bu,
        review=review,
        kind="improvement",
        text="Professionals did not share what they knew.",
        themes=[theme],
        agencies=[police],
    )
    # A published learning brief of that review.
    report = report_services.brief_save(
        actor=bu, review=review, summary="A short summary.", questions="What would you do?"
    )
    version = report_services.brief_issue(actor=bu, report=report)
    assert report_services.version_publish(actor=bu, version=version) == []
    # The police's action, with a file as evidence.
    action = Action.objects.filter(partnership=partnership, owner_agency=police).first()
    assert action is not None
    evidence = action_services.evidence_add(
        actor=bu,
        action=action,
        kind="file",
        description="Minutes of the meeting",
        upload=SimpleUploadedFile("minutes.pdf", PDF),
    )
    recommendation = (
        Recommendation.objects.filter(partnership=partnership, actions__owner_agency=hospital)
        .exclude(actions__owner_agency__in=[police, icb])
        .first()
    )
    # The police's assurance record, with a submission waiting for the business unit.
    record = AssuranceRecord.objects.filter(partnership=partnership, agency=police).first()
    assert record is not None
    submission = practice_services.assurance_submit(
        actor=people["police_lead"],
        record=record,
        stage=min(record.stage + 1, 5),
        reason="Repeated" if record.stage >= 5 else "",
        achieved_on=today,
        evidence="Briefing given to every team.",
    )
    event = (
        LearningEvent.objects.filter(
            product__partnership=partnership, status="delivered", audience_agencies=police
        )
        .exclude(audience_agencies__in=others)
        .first()
    )
    escalation = (
        Escalation.objects.filter(partnership=partnership, status=EscalationStatus.OPEN)
        .filter(Q(raised_by_agency=police) | Q(about_agency=police))
        .exclude(Q(raised_by_agency__in=others) | Q(about_agency__in=others))
        .first()
    )
    assert recommendation and event and escalation
    # A finished import (of a file with a problem: nothing written) and a legal hold.
    job = import_job_start(
        actor=bu,
        partnership=partnership,
        record_type="reviews",
        data=b"title\nA review without the other columns\n",
        file_name="reviews.csv",
    )
    hold = legal_hold_place(actor=bu, partnership=partnership, reason="Police inquiry", case=case)
    pk = lambda obj: {"pk": obj.pk}  # noqa: E731
    return {
        "agency": pk(police),
        "case": pk(case),
        "incident": pk(incident),
        "review": pk(review),
        "review_pause": {"pk": review.pk, "pause_pk": pause.pk},
        "brief": {"review_pk": review.pk},
        "finding": pk(finding),
        "theme": pk(theme),
        "action": pk(action),
        "evidence": pk(evidence),
        "recommendation": pk(recommendation),
        "product": pk(LearningProduct.objects.filter(partnership=partnership).first()),
        "event": pk(event),
        "record": pk(record),
        "submission": pk(submission),
        "escalation": pk(escalation),
        "step": pk(escalation.steps.first()),
        "stage": pk(EscalationStage.objects.filter(partnership=partnership).first()),
        "clock_rule": pk(partnership.clock_rules.first()),
        "age_band": pk(partnership.age_bands.first()),
        "version": pk(version),
        "download": {"pk": version.pk, "rendition": "public", "fmt": "pdf"},
        "template": {"record_type": "reviews", "fmt": "csv"},
        "api_token": pk(_system_token(partnership, bu)),
        "import_job": pk(job),
        "enrolment_link": {"token": "no-such-set-up-link"},
        "password_reset_link": {"uidb64": "MQ", "token": "no-such-reset-token"},
        # Someone of the partnership (the police lead); the partnership itself and its first
        # business unit user (the service administrator's pages).
        "person": pk(people["police_lead"]),
        "person_action": {"pk": people["police_lead"].pk, "action": "switch-off"},
        "partnership": pk(partnership),
        "bu_action": {"pk": partnership.pk, "user_pk": bu.pk, "action": "reset-two-factor"},
        "hold": pk(hold),
    }


def _system_token(partnership: Partnership, bu: User) -> Any:
    """A token of a system account of the partnership (what the revoke route takes)."""
    account = api_services.system_account_create(
        actor=bu,
        partnership=partnership,
        username=f"feed-{partnership.pk}",
        role=Role.BUSINESS_UNIT,
        description="Case management feed",
    )
    return api_services.api_token_create(actor=bu, account=account, name="Feed").token


# --- Requests -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    """One request to make as several roles: which cells it checks."""

    label: str  # e.g. "reviews:review_edit" or "POST /api/v1/cases/"
    method: str  # "get" or "post"
    url: str
    cells: dict[str, Outcome]
    api: bool = False
    form_path: str = ""  # the path whose form is replayed as the body of a page write


@dataclass
class Run:
    clients: dict[str, Client]
    forms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    checked: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    mismatches: list[str] = field(default_factory=list)
    unauthorised_2xx: list[str] = field(default_factory=list)
    not_sent: int = 0
    with_form: int = 0  # page writes sent with the fields of the page's own form

    def send(self, probe: Probe, role: str) -> None:
        expected = probe.cells[role]
        if probe.method == "post" and expected is Outcome.ALLOW:
            self.not_sent += 1  # a write this role may make
            return
        client = self.clients[role]
        if probe.api:
            headers = {"Accept": "application/json"}
            if probe.method == "get":
                response = client.get(probe.url, headers=headers)
            else:
                response = client.post(
                    probe.url, data="{}", content_type="application/json", headers=headers
                )
        elif probe.method == "get":
            response = client.get(probe.url)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                for path, fields in matrix.post_forms(probe.url, response.text).items():
                    self.forms.setdefault(path, fields)
        else:
            data = matrix.as_post_data(self.forms.get(probe.form_path, []))
            self.with_form += bool(data)
            response = client.post(probe.url, data)
        got = matrix.classify(response, api=probe.api)
        self.checked[probe.method] += 1
        self.outcomes[got] += 1
        where = f"{probe.method.upper()} {probe.label} as {role}"
        if got != expected.value:
            self.mismatches.append(
                f"{where}: expected {expected.name}, got {got} ({response.status_code})"
            )
        if 200 <= response.status_code < 300 and expected is not Outcome.ALLOW:
            self.unauthorised_2xx.append(f"{where} ({response.status_code})")


def _url(name: str, kwargs: dict[str, Any] | None, query: str = "") -> str:
    url = reverse(name, kwargs=kwargs or None)
    return f"{url}?{query}" if query else url


def _probes(
    routes: list[matrix.Route], operations: list[str], objects: dict[str, dict[str, Any]]
) -> list[Probe]:
    probes: list[Probe] = []
    for route in routes:
        if route.is_api_router:
            continue  # requested through the schema's operations below
        if route.key not in ROUTES:
            continue  # without a policy: counted, named, and the test fails
        rule: Rule = ROUTES[route.key]
        if rule.obj == "api_elsewhere":
            url = "/api/v1/no-such-collection/"
        else:
            url = _url(route.key, objects.get(rule.obj), rule.query)
        sep = "&" if "?" in url else "?"
        variants = [(route.key, url)]
        if rule.exports:
            variants += [(f"{route.key} ({f})", f"{url}{sep}format={f}") for f in ("csv", "xlsx")]
        for label, variant in variants:
            probes.append(Probe(label, "get", variant, rule.cells("get")))
        if rule.post is not None:
            path = url.split("?")[0]
            probes.append(Probe(route.key, "post", url, rule.cells("post"), form_path=path))
    # API operations at their URLs, and again through the router's ".json" suffix routes.
    by_collection: dict[str, list[str]] = {}
    for op in operations:
        method, path = op.split(" ", 1)
        collection = matrix.api_collection(path)
        by_collection.setdefault(collection, []).append(op)
        if op not in API:
            continue
        url = path.replace("{id}", str(objects[API_OBJECTS[collection]]["pk"]))
        probes.append(Probe(op, method.lower(), url, api_cells(op), api=True))
    for route in routes:
        if not (route.is_api_router and route.has_format_suffix):
            continue
        collection = matrix.router_collection(route)
        detail = "(?P<pk>" in route.pattern
        kwargs = {"format": "json"}
        if detail:
            kwargs["pk"] = objects[API_OBJECTS[collection]]["pk"]
        suffixed = reverse(route.name, kwargs=kwargs)
        base = suffixed.removesuffix(".json") + "/"
        for op in by_collection.get(collection, []):
            method, path = op.split(" ", 1)
            if op in API and path.replace("{id}", str(kwargs.get("pk", ""))) == base:
                probes.append(
                    Probe(f"{op} as {suffixed}", method.lower(), suffixed, api_cells(op), True)
                )
    return probes


def _signed_in_clients(
    people: dict[str, User | None], client_for: Callable[[User], Client]
) -> dict[str, Client]:
    """A client of its own per role, each signed in once (through `client_for`, which signs in
    fully, two-factor verified) before the first checksum."""
    clients = {}
    for role, user in people.items():
        own = Client(raise_request_exception=False)
        if user is not None:
            shared = client_for(user)
            own.cookies = copy.deepcopy(shared.cookies)
            # Forget the session on the shared client, so that signing in the next user starts
            # a new session instead of ending this one.
            shared.cookies = SimpleCookie()
        clients[role] = own
    return clients


# --- The matrix -----------------------------------------------------------------------------


def test_access_matrix(demo, client_for, settings, tmp_path):
    started, cpu = time.monotonic(), time.process_time()
    settings.MEDIA_ROOT = tmp_path / "media"
    routes, skipped, operations, missing = _coverage()
    people = _people(demo)
    objects = _objects(demo, people)
    run = Run(clients=_signed_in_clients(people, client_for))
    probes = _probes(routes, operations, objects)
    gets = [p for p in probes if p.method == "get"]
    writes = [p for p in probes if p.method == "post"]
    working = [r for r in ROLES if r not in READ_ONLY_ROLES]

    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # 403s and 404s by the thousand are the point here
    try:
        # Every role reads first (the working roles' pages hold the forms replayed as the
        # writes); then the read-only roles send every write they must not make, then the
        # other roles theirs, each between two checksums of the whole database.
        for role in working + list(READ_ONLY_ROLES):
            for probe in gets:
                run.send(probe, role)
        before = matrix.table_checksums(IGNORED_TABLES)
        for role in READ_ONLY_ROLES:
            for probe in writes:
                run.send(probe, role)
        after_read_only = matrix.table_checksums(IGNORED_TABLES)
        for role in working:
            for probe in writes:
                run.send(probe, role)
        after_all = matrix.table_checksums(IGNORED_TABLES)
    finally:
        quiet.setLevel(level)

    read_only_changes = matrix.changed_tables(before, after_read_only)
    other_changes = matrix.changed_tables(after_read_only, after_all)
    cells = run.checked["get"] + run.checked["post"]
    api_router = sum(r.is_api_router for r in routes)
    print()
    for line in run.mismatches:
        print("MISMATCH", line)
    for line in run.unauthorised_2xx:
        print("UNAUTHORISED 2xx", line)
    for line in missing:
        print("WITHOUT POLICY", line)
    for table in read_only_changes + other_changes:
        print("CHANGED BY A REFUSED WRITE", table)
    print(
        "skipped routes (static/media-like):",
        ", ".join(r.pattern for r in skipped) or "none",
    )
    print(
        f"requests: reads {run.checked['get']}, refused writes {run.checked['post']} "
        f"({run.with_form} with the fields of the page's own form), "
        f"permitted writes not sent {run.not_sent}; tables checksummed {len(before)} "
        f"(left out: {', '.join(sorted(IGNORED_TABLES))}); "
        f"{time.monotonic() - started:.1f} s ({time.process_time() - cpu:.1f} s of CPU)"
    )
    print(
        "outcomes:",
        ", ".join(
            f"{Outcome(k).name if k in Outcome._value2member_map_ else k} {n}"
            for k, n in sorted(run.outcomes.items())
        ),
    )
    print(
        f"access matrix: routes {len(routes)} (pages {len(routes) - api_router}, API router "
        f"{api_router}), api operations {len(operations)}, roles {len(ROLES)}, cells {cells}, "
        f"without policy {len(missing)}, mismatches {len(run.mismatches)}, "
        f"unauthorised 2xx {len(run.unauthorised_2xx)}, tables changed by read-only roles "
        f"{len(read_only_changes)}, by other refused writes {len(other_changes)}"
    )
    assert not missing, missing
    assert not run.mismatches, "\n".join(run.mismatches)
    assert not run.unauthorised_2xx, "\n".join(run.unauthorised_2xx)
    assert not read_only_changes, read_only_changes
    assert not other_changes, other_changes
