"""Mass assignment: every form and every API write, sent with its normal data plus fields the
page does not offer (partnership, agency, role, owner, created_by, is_staff, ids of the other
partnership's records, ...), changes nothing those fields name: every record keeps its
partnership, agency and owner, nothing of the other partnership changes or appears, and no
user's role or privileges change.

Each submission runs inside a transaction that is rolled back after it is checked, so every
form starts from the same records.

The page test asserts coverage, not only that nothing changed: every (user, form) found is
*accepted* with the extras (the rule: `_accepted`; the data a form needs beyond the plain
filling is in fillers.py), and every POST route of the URL resolver is sent, refuses a bare POST
with 405 (a read-only page), or is exempt by a reason named in the policy table
(`Rule.mass_assignment_exempt`: signing in and out only).

Figures (`-s`, the summary line). Before (issue 22): 57 form routes, 88 submissions of which 21
were never accepted (re-rendered with errors: overlapping age bands, a wrong current password,
a notification date without the decision to notify, ...), 30 POST routes never sent; only
"at least half saved" was asserted. Now: 60 form routes, 87 submissions, 87 accepted, POST
routes not sent 0, exempt by name 5, extra fields changed 0. With a planted bug (the incident
form's view taking `partnership` from the POST): extra fields changed 18 (the case, incident,
rapid review and clocks made in the other partnership), and the test fails. The old test
passed with that bug: its incident form was refused for the notification date every time, so
the extra `partnership` never reached a write, and nothing asserted that it had."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from safeguarding.accounts.models import Agency, User
from safeguarding.api.tests.conftest import token_for
from safeguarding.audit.models import AuditEvent
from safeguarding.security.policy import ROUTES
from safeguarding.security.scope import KINDS, LINK_KINDS
from safeguarding.security.tests.crawl import Crawler, resolve_link, route_names, seed_urls
from safeguarding.security.tests.fillers import Filling, add_records, fill
from safeguarding.security.tests.forms import Form, errors_shown, parse_post_forms, to_post
from safeguarding.security.tests.snapshot import Snapshot
from safeguarding.security.tests.worlds import Worlds, build

pytestmark = pytest.mark.django_db

# The users whose forms are sent: every role that has any.
FORM_USERS = ("business.unit", "rag.member", "police.lead", "health.lead", "independent.chair")


@pytest.fixture(scope="module")
def worlds(_demo_loaded: Any, django_db_blocker: Any) -> Worlds:
    with django_db_blocker.unblock():
        return build(_demo_loaded, reports="draft")


@pytest.fixture(scope="module")
def addresses(worlds: Worlds, django_db_blocker: Any) -> dict[str, str]:
    """The records the demo lacks (fillers.add_records), by the routes that take them."""
    with django_db_blocker.unblock():
        return add_records(worlds)


def _extras(worlds: Worlds, form_names: set[str], kind: str | None) -> dict[str, Any]:
    """Fields a form does not offer, pointing at the other partnership or at privileges."""
    other = worlds.other
    agency = other.agencies.order_by("pk").first()
    stranger = User.objects.filter(partnership=other).order_by("pk").first()
    model = KINDS.get(kind or "review", KINDS["review"])
    theirs = _other_record(model, other.pk)
    assert agency is not None and stranger is not None
    extras: dict[str, Any] = {
        "partnership": other.pk,
        "partnership_id": other.pk,
        "agency": agency.pk,
        "agency_id": agency.pk,
        "owner_agency": agency.pk,
        "owner_agency_id": agency.pk,
        "role": "business_unit",
        "owner": stranger.pk,
        "created_by": stranger.pk,
        "created_by_id": stranger.pk,
        "user": stranger.pk,
        "is_staff": "on",
        "is_superuser": "on",
        "id": theirs,
        "pk": theirs,
    }
    return {k: v for k, v in extras.items() if k not in form_names}


def _home_extras(worlds: Worlds, form_names: set[str], user: Any) -> dict[str, Any]:
    """The agency and person fields a form does not offer, pointing inside the user's own
    partnership: another agency than the user's, another person than the user. A link to the
    other partnership is not the only wrong move: an agency lead must not hand its action to
    another agency of the same partnership (issue 22: that passed every test)."""
    agency = (
        Agency.objects.filter(partnership_id=user.partnership_id)
        .exclude(pk=user.agency_id)
        .order_by("-pk")
        .first()
    )
    colleague = (
        User.objects.filter(partnership_id=user.partnership_id).exclude(pk=user.pk).order_by("pk")
    ).first()
    assert agency is not None and colleague is not None
    extras = {
        "agency": agency.pk,
        "owner_agency": agency.pk,
        "raised_by_agency": agency.pk,
        "about_agency": agency.pk,
        "owner": colleague.pk,
        "created_by": colleague.pk,
        "user": colleague.pk,
    }
    return {k: v for k, v in extras.items() if k not in form_names}


def _other_record(model: Any, partnership_id: int) -> int:
    from safeguarding.security.tests.snapshot import partnership_path

    path = partnership_path(model)
    found = model.objects.filter(**{path: partnership_id}).order_by("pk").first() if path else None
    return found.pk if found else 999_999


def _collect_forms(
    worlds: Worlds, client_for: Any, addresses: dict[str, str]
) -> dict[tuple[str, str], tuple[str, Form]]:
    """(user, route) -> (address to post to, the form), from crawling each user's pages; then,
    for the routes of the fixture's own records (`fillers.add_records`), the form on that
    record's page instead (a review whose every statutory partner has signed off takes no
    sign-off), and the form of every route the crawl did not reach, from its page."""
    found: dict[tuple[str, str], tuple[str, Form]] = {}
    seeds = seed_urls()
    for username in FORM_USERS:
        crawler = Crawler(client_for(worlds.users[username]), per_route=2, limit=250)
        crawler.crawl(seeds)
        for page, html in crawler.forms:
            form = parse_post_forms(page, html)
            if form is None:
                continue
            address = urljoin(page, form.action) if form.action else page
            resolved = resolve_link(urlsplit(address).path)
            if resolved is None:
                continue
            found.setdefault((username, resolved[0]), (address, form))
    reached = {route for _, route in found}
    for route, address in addresses.items():
        users = [u for u, r in found if r == route] or ["business.unit"]
        for username in users:
            form = _form_on(client_for(worlds.users[username]), address, route)
            if form is not None:
                found[(username, route)] = (address, form)
    for route in _post_routes():
        if route in reached or route in addresses or _exemption(route):
            continue
        target = _address_of(worlds, route)
        on_page = _form_on(client_for(worlds.bu), target, route) if target else None
        if target and on_page is not None:
            found[("business.unit", route)] = (target, on_page)
    return {key: value for key, value in found.items() if not _exemption(key[1])}


def _exemption(route: str) -> str:
    """Why the route is not sent, if the policy table names a reason."""
    rule = ROUTES.get(route)
    return rule.mass_assignment_exempt if rule is not None else ""


def _form_on(client: Client, address: str, route: str) -> Form | None:
    """The POST form of a page that posts to `route`."""
    response = client.get(address)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    for html in re.findall(r"<form\b.*?</form>", response.content.decode(), flags=re.S):
        form = parse_post_forms(address, html)
        target = urljoin(address, form.action) if form and form.action else address
        resolved = resolve_link(urlsplit(target).path)
        if form is not None and resolved is not None and resolved[0] == route:
            return form
    return None


def _send(client: Client, address: str, data: dict[str, Any]) -> Any:
    return client.post(address, data)


def _last_audit() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _accepted(response: Any, recorded: bool) -> bool:
    """Whether a form was accepted: its write went through and was recorded. The response is a
    redirect (not to the log-in page), or a page without an error summary (new recovery codes
    and a new API key are shown on the page that made them, an import's report on the import
    page); and a table of the project was written or the audit trail has a new event."""
    if response.status_code in (301, 302, 303):
        went = not response["Location"].startswith(reverse("accounts:login"))
    else:
        went = response.status_code == 200 and not errors_shown(response.content.decode())
    return went and recorded


def test_extra_fields_on_every_form_change_nothing(
    worlds: Worlds, addresses: dict[str, str], client_for: Any
):
    forms = _collect_forms(worlds, client_for, addresses)
    before = Snapshot(worlds)
    changed: list[str] = []
    accepted: set[str] = set()
    refused: list[str] = []
    for (username, route), (address, form) in sorted(forms.items()):
        user = worlds.users[username]
        client = client_for(user)
        kind = LINK_KINDS.get(route, (None, ""))[0]
        extras = _extras(worlds, form.names, kind)
        home = _home_extras(worlds, form.names, user)

        def data(sent: dict[str, list[str]]) -> dict[str, Any]:
            return fill(route, Filling(worlds=worlds, user=user, form=form, data=to_post(sent)))  # noqa: B023

        with transaction.atomic():
            _send(client, address, {**data(form.filled()), **home})
            problems = before.compare(actor=user, extras=home)
            transaction.set_rollback(True)
        changed += [f"{username} {route} (own partnership): {p}" for p in problems]
        result = "re-rendered"
        for sent in (form.as_sent(), form.filled()):
            # Signed in again: a write before may have ended the session (a password change
            # gives it a new key, which the rollback took away).
            client = client_for(user)
            with transaction.atomic():
                last = _last_audit()
                response = _send(client, address, {**data(sent), **extras})
                problems = before.compare(actor=user, extras=extras)
                recorded = bool(before.written()) or _last_audit() != last
                transaction.set_rollback(True)
            changed += [f"{username} {route}: {p}" for p in problems]
            if _accepted(response, recorded):
                result = "accepted"
                break
            if response.status_code not in (200, 301, 302, 303):
                result = f"status {response.status_code}"
                break
            if response.status_code != 200:
                result = f"redirected to {response['Location']} without a write"
        if result == "accepted":
            accepted.add(route)
            continue
        if result == "re-rendered":
            result += f" {errors_shown(response.content.decode())[:2]}"
        refused.append(f"{username} {route}: {result}")
    routes = {route for _, route in forms}
    not_sent, exempt = _post_routes_not_sent(worlds, client_for, routes, addresses)
    print(
        f"mass assignment: form routes {len(routes)} (accepted {len(accepted)}), submissions "
        f"{len(forms)} (accepted {len(forms) - len(refused)}, not accepted {len(refused)}), "
        f"extra fields changed {len(changed)}, POST routes not sent {len(not_sent)} "
        f"(exempt by name {len(exempt)})"
    )
    for line in (
        [f"  not accepted: {r}" for r in refused]
        + [f"  not sent: {r}: {why}" for r, why in not_sent.items()]
        + [f"  exempt: {r}: {why}" for r, why in exempt.items()]
        + [f"  changed: {c}" for c in changed]
    ):
        print(line)
    assert changed == [], "extra fields changed records"
    assert before.users_unchanged()
    # Every form went through with the extras, so they were really offered to the write.
    assert refused == [], "a form was not accepted with the extras: add a filler (fillers.py)"
    assert not_sent == {}, "a POST route was not sent: give it a record or a named exemption"


def _post_routes() -> list[str]:
    """Every page route of the URL resolver (the API's writes: the next test)."""
    return [r for r in route_names() if not r.startswith("api:v1") and "-" not in r]


def _post_routes_not_sent(
    worlds: Worlds, client_for: Any, sent: set[str], addresses: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """(routes not sent, routes exempt), each with the reason. A route that answers a bare POST
    with 405 takes none; one exempt is named so in the policy table (policy.Rule)."""
    client = client_for(worlds.bu)
    missing: dict[str, str] = {}
    exempt: dict[str, str] = {}
    for route in _post_routes():
        if route in sent:
            continue
        if why := _exemption(route):
            exempt[route] = why
            continue
        address = addresses.get(route) or _address_of(worlds, route)
        if address is None:
            missing[route] = "no address: no record of its kind to point it at"
            continue
        with transaction.atomic():
            status = client.post(address, {}).status_code
            transaction.set_rollback(True)
        if status != 405:
            missing[route] = f"no page has a form that posts here (a bare POST answers {status})"
    return missing, exempt


def _address_of(worlds: Worlds, route: str) -> str | None:
    if route in LINK_KINDS:
        kind, arg = LINK_KINDS[route]
        from safeguarding.security.tests.snapshot import partnership_path

        model = KINDS[kind]
        path = partnership_path(model)
        obj = model.objects.filter(**{str(path): worlds.demo.pk}).first() if path else None
        if obj is None:
            return None
        kwargs: dict[str, Any] = {arg: obj.pk}
        if route == "reports:download":
            kwargs.update(rendition="draft", fmt="html")
        return reverse(route, kwargs=kwargs)
    try:
        return reverse(route)
    except NoReverseMatch:
        return None


def _api_payloads(worlds: Worlds) -> dict[tuple[str, str], tuple[str, str, dict[str, Any]]]:
    """(method, schema path) -> (username, address, normal valid body)."""
    demo = worlds.demo
    police = demo.agencies.get(short_name="Police")
    la = demo.agencies.get(short_name="LA")
    review = demo.reviews.order_by("pk").first()
    case = demo.cases.filter(incidents__isnull=True).order_by("pk").first() or demo.cases.first()
    theme = demo.themes.order_by("pk").first()
    stage = demo.escalation_stages.order_by("number").first()
    action = demo.actions.filter(owner_agency=police).exclude(status="completed").first()
    assert review and case and theme and stage and action
    return {
        ("post", "/api/v1/cases/"): (
            "business.unit",
            "/api/v1/cases/",
            {"reference": "Child MA", "age_years": 3, "outcome": "died", "agencies_involved": []},
        ),
        ("post", "/api/v1/incidents/"): (
            "business.unit",
            "/api/v1/incidents/",
            {"case": case.pk, "summary": "Recorded.", "la_aware_on": "2024-06-03"},
        ),
        ("post", "/api/v1/reviews/"): (
            "business.unit",
            "/api/v1/reviews/",
            {"kind": "local_learning", "title": "MA review", "opened_on": "2024-06-03"},
        ),
        ("post", "/api/v1/findings/"): (
            "business.unit",
            "/api/v1/findings/",
            {"review": review.pk, "kind": "good_practice", "text": "MA.", "themes": [theme.pk]},
        ),
        ("post", "/api/v1/escalations/"): (
            "police.lead",
            "/api/v1/escalations/",
            {
                "raised_by_agency": police.pk,
                "about_agency": la.pk,
                "category": "threshold",
                "raised_on": "2024-06-03",
                "stage": stage.pk,
            },
        ),
        ("post", "/api/v1/actions/{id}/status/"): (
            "police.lead",
            f"/api/v1/actions/{action.pk}/status/",
            {"status": "in_progress", "on": "2024-06-03", "note": "Started."},
        ),
    }


def test_extra_fields_on_every_api_write_change_nothing(worlds: Worlds, client_for: Any):
    schema = json.loads(client_for(worlds.bu).get("/api/schema/?format=json").content)
    writes = [
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("post", "put", "patch")
    ]
    payloads = _api_payloads(worlds)
    # Tokens made before the snapshot: making one is not a write the test sends.
    keys = {name: token_for(worlds.users[name]) for name, _, _ in payloads.values()}
    before = Snapshot(worlds)
    changed: list[str] = []
    accepted = 0
    for method, path in writes:
        if (method, path) not in payloads:
            continue
        username, address, body = payloads[(method, path)]
        user = worlds.users[username]
        headers = {"Authorization": f"Token {keys[username]}"}
        if "{id}" in path:  # a write to a record sends the record's ETag, as a client must
            record = Client().get(address.rsplit("/", 2)[0] + "/", headers=headers)
            if record.has_header("ETag"):
                headers["If-Match"] = record["ETag"]
        extras = _extras(worlds, set(body), None)
        with transaction.atomic():
            response = getattr(Client(), method)(
                address, {**body, **extras}, content_type="application/json", headers=headers
            )
            changed += [f"{method} {path}: {p}" for p in before.compare(actor=user)]
            transaction.set_rollback(True)
        assert response.status_code < 500, (path, response.content)
        accepted += response.status_code in (200, 201)
    unexercised = sorted(f"{m} {p}" for m, p in writes if (m, p) not in payloads)
    print(
        f"mass assignment: api writes {len(writes)}, sent {len(writes) - len(unexercised)} "
        f"(accepted {accepted}), extra fields changed {len(changed)}, "
        f"not exercised {unexercised or 0}"
    )
    assert changed == []
    assert before.users_unchanged()
    assert unexercised == [], "an API write has no payload in _api_payloads: add one"
    assert accepted == len(writes)


def test_the_snapshot_sees_a_record_moved_through_its_parent(worlds: Worlds):
    """The comparison reads again only the tables a write touched and those a model's
    partnership is looked up through: moving a finding to the other partnership shows on the
    finding and on its theme links (whose table was not written), and undoing it shows nothing."""
    from safeguarding.learning.models import Finding, FindingTheme

    finding = Finding.objects.filter(partnership=worlds.demo, themes__isnull=False).first()
    assert finding is not None
    before = Snapshot(worlds)
    assert before.compare(actor=worlds.bu) == []
    with transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(partnership=worlds.other)
        problems = before.compare(actor=worlds.bu)
        transaction.set_rollback(True)
    assert f"learning.Finding {finding.pk}: partnership -> partnership {worlds.other.pk}" in (
        problems
    )
    assert f"{FindingTheme._meta.label}: the other partnership's records changed" in problems
    assert before.compare(actor=worlds.bu) == []
