"""Every page route that takes a record's id is an edit with a version (`EDITS` in
test_concurrency.py, each tested with two editors) or is listed here with the reason it needs
none. A route in neither fails, so a new page cannot forget the check."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from safeguarding.core.tests.test_concurrency import EDIT_ROUTES

# Every other route that takes a record's id, and why it needs no version.
NOT_EDITS = {
    "accounts:enrol": "takes a set-up link's token, not a record; sets a password once",
    "accounts:password_reset_confirm": "takes a password reset link's token, not a record; the "
    "token dies with the password it was made for, so it sets a password once",
    "accounts:agency_retire": "carries the agency's version (record=); a second retirement is "
    "refused ('already retired')",
    "reviews:incident_detail": "read only",
    "reviews:case_detail": "read only",
    "reviews:case_identity": "read only",
    "reviews:review_detail": "read only",
    "reviews:review_signoff": "adds a sign-off (a child): the agency list leaves out those signed",
    "reviews:review_pause": "adds a pause (a child)",
    "reviews:review_commission": "opens a new review; refused once one is commissioned",
    "actionplans:action_detail": "read only",
    "actionplans:evidence_add": "adds evidence (a child)",
    "actionplans:evidence_download": "read only",
    "actionplans:recommendation_detail": "read only",
    "dissemination:product_detail": "read only",
    "dissemination:event_create": "adds an event (a child)",
    "dissemination:assurance_request": "adds assurance requests (children); existing kept",
    "dissemination:audit_result": "adds an audit result (a child); the service checks the stage",
    "dissemination:record_detail": "adds a submission (a child); the record is locked",
    "learning:finding_detail": "read only",
    "learning:finding_comment": "adds a comment (a child)",
    "learning:review_findings_add": "adds findings (children)",
    "learning:theme_detail": "read only",
    "escalations:detail": "read only",
    "escalations:step_clock": "read only (a redirect)",
    "reports:version": "read only",
    "reports:progress": "read only",
    "reports:publish": "one way: a second attempt is refused ('already published')",
    "reports:download": "read only",
    "imports:template": "read only",
    "api:token_revoke": "revokes a token: idempotent, nothing to overwrite",
    "api/^v1/(?P<rest>.*/)?$": "the API's JSON 404",
    "imports:job": "read only (an import's progress page)",
    "imports:progress": "read only",
    "accounts:age_band_remove": "carries the band's version (a changed band is not removed); "
    "once removed, a second removal is a 404",
    "accounts:person_action": "carries the account's version (record=); switching off or on "
    "twice changes nothing more, and a second reset or invitation ends the first one's link",
    "service:partnership_detail": "carries the partnership's version (a rename; the service "
    "administrator's, whose pages the two business unit editors here cannot open)",
    "service:partnership_close": "carries the partnership's version; a second close is refused "
    "('already closed')",
    "service:business_unit_invite": "adds a person (a child of the partnership)",
    "service:business_unit_action": "carries the account's version; a second reset or "
    "invitation ends the first one's link",
    "records:hold_lift": "carries the hold's version (its form has record=); once lifted, the "
    "hold is no longer active, so a second lift is a 404",
}


def _named_routes() -> set[str]:
    """Every page route with a variable in its address (a record's id), by name. (The API's
    operations are checked from its schema: safeguarding/api/tests/test_versions.py.)"""
    found: set[str] = set()

    def walk(patterns: list[Any], namespace: str, prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns, route)
            elif isinstance(p, URLPattern) and ("<" in route or "(?P" in route):
                if route.startswith("api/v1/") and p.name:
                    continue  # the API router's operations
                found.add(f"{namespace}{p.name}" if p.name else f"{namespace[:-1]}/{p.pattern}")

    walk(get_resolver().url_patterns, "", "")
    return found


def test_every_route_that_takes_a_record_is_an_edit_or_says_why_not() -> None:
    routes = _named_routes()
    unlisted = routes - EDIT_ROUTES - set(NOT_EDITS)
    assert not unlisted, f"say whether these change a record: {sorted(unlisted)}"
    assert not (EDIT_ROUTES & set(NOT_EDITS))
    print(f"\nroutes taking a record: {len(routes)}; edits with a version: {len(EDIT_ROUTES)}")
