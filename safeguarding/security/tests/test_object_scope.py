"""Object-level scope: every record a user can reach through pages, lists, search, the counts
behind the analyses, list exports, the API and the generated documents is one the policy lets
them see, checked against `safeguarding.security.scope` (computed without the app's access
module). Records are recognised by the links that point at them and by the marker each one
carries in its text, so a record shown without a link is caught too."""

from __future__ import annotations

from typing import Any

import pytest

from safeguarding.accounts.models import Role
from safeguarding.security.scope import partnership_of, scope_for
from safeguarding.security.tests.crawl import Crawler, Surface, seed_urls
from safeguarding.security.tests.worlds import Worlds, build, marker_hits, squeeze

pytestmark = pytest.mark.django_db

# Generated documents (the files of a report version, marked by the crawler from the download
# view and its attachment header) are built from the partnership's records as a whole, for a
# reader who may see the document (its version is checked like any link): a record named in them
# must be the partnership's own. Only those files: a path prefix ("/reports/") once relaxed the
# rule for every page under it, and the reports list could show every review's title to agency
# leads and scrutiny readers without this test seeing it (issue 22).
USERS = (
    "business.unit",
    "rag.member",
    "independent.chair",
    "councillor",
    "regional.analyst",
    "police.lead",
    "health.lead",
    "education.lead",
    "outsider.unit",
    "outsider.police",
    # Runs the installation: partnerships and their business unit accounts, no record.
    "service.admin",
)


@pytest.fixture(scope="module")
def worlds(_demo_loaded: Any, django_db_blocker: Any) -> Worlds:
    with django_db_blocker.unblock():
        return build(_demo_loaded)


def _records_in(surface: Surface) -> list[tuple[str, int]]:
    text = squeeze(surface.text) if surface.kind == "pdf" else surface.text
    return marker_hits(text)


def _published_subjects(versions: frozenset[int]) -> set[tuple[str, int]]:
    """The review (and its case) that each published version the user may read is about: a
    published learning brief names its subject in its title, to anyone who may read it."""
    from safeguarding.reports.models import ReportVersion

    subjects: set[tuple[str, int]] = set()
    rows = ReportVersion.objects.filter(pk__in=versions, published_at__isnull=False).values_list(
        "report__review_id", "report__review__case_id"
    )
    for review_id, case_id in rows:
        if review_id is not None:
            subjects.add(("review", review_id))
        if case_id is not None:
            subjects.add(("case", case_id))
    return subjects


def _violations(user: Any, surfaces: list[Surface]) -> tuple[set[Any], list[str]]:
    scope = scope_for(user)
    published = _published_subjects(scope["report_version"])
    seen: set[tuple[str, int]] = set()
    bad: list[str] = []
    for surface in surfaces:
        document = surface.generated_document
        for kind, pk in surface.links:
            seen.add((kind, pk))
            if pk not in scope[kind]:
                bad.append(f"{user.username}: {surface.url} links to {kind} {pk}")
        for kind, pk in _records_in(surface):
            seen.add((kind, pk))
            if document and user.partnership_id is not None:
                allowed = partnership_of(kind, pk) == user.partnership_id
            else:
                allowed = pk in scope[kind] or (kind, pk) in published
            if not allowed:
                bad.append(f"{user.username}: {surface.url} ({surface.kind}) shows {kind} {pk}")
    return seen, bad


def _grouped(problems: list[str]) -> list[str]:
    """One line per user, route and kind of record, with how many times and one example."""
    from collections import Counter

    groups: Counter[str] = Counter()
    example: dict[str, str] = {}
    for line in problems:
        who, rest = line.split(": ", 1)
        url, what = rest.split(" ", 1)
        key = f"{who} {url.split('?')[0]} {what.rsplit(' ', 1)[0]}"
        groups[key] += 1
        example.setdefault(key, line)
    return [f"{n} x {example[k]}" for k, n in sorted(groups.items())]


def test_every_record_each_user_reaches_is_within_their_scope(worlds: Worlds, client_for: Any):
    seeds = seed_urls()
    pages = 0
    seen_total = 0
    problems: list[str] = []
    kinds_by_user: dict[str, set[str]] = {}
    server_errors: list[str] = []
    for username in USERS:
        user = worlds.users[username]
        crawler = Crawler(client_for(user), per_route=1)
        surfaces = crawler.crawl(seeds)
        pages += len(surfaces)
        server_errors += [f"{username}: {s.url}" for s in surfaces if s.status >= 500]
        seen, bad = _violations(user, surfaces)
        seen_total += len(seen)
        problems += bad
        kinds_by_user[username] = {kind for kind, _pk in seen}
    print(
        f"object scope: users {len(USERS)}, pages {pages}, objects seen {seen_total}, "
        f"out of scope {len(problems)}"
    )
    for line in _grouped(problems):
        print("  ", line)
    assert problems == []
    assert server_errors == []
    # The crawl reached the records, so "0 out of scope" means something: the business unit
    # saw every kind that carries a marker, each agency lead saw actions and reviews.
    assert {"review", "case", "incident", "finding", "action", "escalation", "product"} <= (
        kinds_by_user["business.unit"]
    )
    for lead in ("police.lead", "health.lead", "education.lead", "outsider.police"):
        assert {"review", "action", "escalation"} <= kinds_by_user[lead], lead
    assert kinds_by_user["regional.analyst"] == set()


def test_agency_leads_scope_hides_other_agencies_items(worlds: Worlds):
    """The independent scope itself: each lead is kept from some of the partnership's actions,
    evidence, assurance records and escalations (so the crawl above tested real boundaries)."""
    bu = scope_for(worlds.bu)
    for lead in ("police.lead", "health.lead", "education.lead"):
        user = worlds.users[lead]
        assert user.role == Role.AGENCY_LEAD
        mine = scope_for(user)
        for kind in ("action", "evidence", "assurance_record", "escalation", "review"):
            assert mine[kind] < bu[kind], (lead, kind)
