"""Scrutiny readers (councillors, the public) see published reports only (DESIGN.md: "no live
figures (narrow periods of live figures re-identify children)").

Why the access matrix could not see the leak it had: it compares what each role gets with the
declared table in policy.py, and the table itself allowed scrutiny readers the period summary,
the theme and escalation analysis (and their downloads), the theme pages, the dashboard and the
API's agencies and themes. One-day periods of the period summary isolated every rapid review of
the demo (date, age band, sex, outcome, category, decision). So this test does not read the
table: as a scrutiny reader it requests every route of the URL resolver and every operation of
the OpenAPI schema, and only the published reports and the reader's own account may answer 2xx
(a redirect must lead to one of those, or to log-in). The matrix test also checks the table's
scrutiny reader column against the same list (`test_the_policy_gives_scrutiny_readers_...`).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse

from safeguarding.reports import services as report_services
from safeguarding.reports.models import ReportVersion
from safeguarding.security import matrix
from safeguarding.security.tests.test_access_matrix import (
    _coverage,
    _objects,
    _people,
    _probes,
    _signed_in_clients,
)

# What DESIGN.md lets a scrutiny reader open, written out here (not read from policy.py).
PUBLISHED_REPORTS = frozenset({"reports:home", "reports:version", "reports:progress"})
DOWNLOADS = frozenset({"reports:download"})
OWN_ACCOUNT = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor_verify",
        "accounts:two_factor_setup",
        "accounts:account",
        "accounts:recovery_codes",
        "accounts:password_change",
        # Forgotten password: open to everyone, and only about the person's own password.
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
    }
)
# They describe the API or the server and hold no record.
NO_RECORDS = frozenset({"api:schema", "api:docs", "healthz"})
READER_MAY_OPEN = PUBLISHED_REPORTS | DOWNLOADS | OWN_ACCOUNT | NO_RECORDS


def _route_name(url: str) -> str:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return ""
    return match.view_name


def test_a_scrutiny_reader_gets_no_live_figure_from_any_route_or_api_operation(
    demo, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # A route without a policy row fails the matrix test; its probes here need the row's
    # record (obj), so those routes are the matrix test's to name.
    routes, _skipped, operations, _missing = _coverage()
    people = _people(demo)
    objects = _objects(demo, people)
    # A later draft of the published brief: a version the reader must not see.
    published = ReportVersion.objects.get(pk=objects["version"]["pk"])
    draft = report_services.brief_issue(actor=people["business_unit"], report=published.report)
    reader = _signed_in_clients({"scrutiny_reader": people["scrutiny_reader"]}, client_for)[
        "scrutiny_reader"
    ]
    gets = [p for p in _probes(routes, operations, objects) if p.method == "get"]
    answered: list[str] = []
    leaks: list[str] = []
    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        for probe in gets:
            headers = {"Accept": "application/json"} if probe.api else {}
            response = reader.get(probe.url, headers=headers)
            name = "" if probe.api else probe.label.split(" ")[0]
            status = response.status_code
            if 200 <= status < 300:
                answered.append(probe.label)
                if probe.api or name not in READER_MAY_OPEN:
                    leaks.append(f"{probe.label}: {status}")
            elif status in (301, 302, 303, 307, 308):
                target = _route_name(response.get("Location", ""))
                if target not in READER_MAY_OPEN:
                    leaks.append(f"{probe.label}: {status} to {target or response['Location']}")
        home = reader.get(reverse("reports:home")).content.decode()
        draft_page = reader.get(reverse("reports:version", args=[draft.pk]))
    finally:
        quiet.setLevel(level)
    print(
        f"\nscrutiny reader: requests {len(gets)}, 2xx {len(answered)} "
        f"({', '.join(sorted(set(answered)))}), live figures or records {len(leaks)}"
    )
    assert leaks == [], "\n".join(leaks)
    # The reports list shows published versions only: the draft is neither listed nor open.
    linked = {int(pk) for pk in re.findall(r"/reports/versions/(\d+)/", home)}
    assert published.pk in linked
    assert draft.pk not in linked
    assert draft_page.status_code == 404
    assert linked <= set(ReportVersion.objects.published().values_list("pk", flat=True))
    # Signing in lands a reader on the published reports, not on the dashboard (now 403).
    assert matrix.classify(reader.get(reverse("reviews:dashboard"))) == "D"
