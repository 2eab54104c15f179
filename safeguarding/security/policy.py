"""The declared access policy: for every route of the site and every operation of the API, what
each role gets. `safeguarding/security/tests/test_access_matrix.py` requests every cell and
compares; a route or operation missing here fails that test, naming it.

This table is the policy, written from DESIGN.md ("Who uses it") and the rules in
`safeguarding/accounts/access/`; it is not generated from the code. Where the two disagree the
test fails and one of them is wrong.

Each row has one letter per role, in the order of ROLES:

    A  ALLOW   2xx, or a redirect that is part of the page's normal flow (not to the log-in page)
    D  DENY    403: the role may not use this kind of page at all
    H  HIDDEN  404: the record is outside the user's scope (another partnership's, or another
               agency's for an agency lead), so its existence is not disclosed
    L  LOGIN   anonymous: a redirect to the log-in page (pages) or 401 (API)
    M  METHOD  405: the route only takes another method (a POST-only action asked with GET)

`get` is what a GET gets. `post` is what a write gets: an "A" there means the role may write
here, so the test does not send it (it would change records); every other letter is a write the
role must not make, and the test sends it and checks that it is refused (and, for the read-only
roles, that the database is unchanged afterwards). `post=None`: the route takes no write.

The records that URL parameters name (`obj`) are chosen so that the three agency leads differ:
each is a record of the Police (the police lead's own agency) that neither the integrated care
board (health) nor the hospital trust takes part in, except where a rule below says otherwise.
The outsider is the business unit of another partnership: our records are 404 to them, and their
own partnership's lists and forms are open to them (ALLOW).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    ALLOW = "A"
    DENY = "D"
    HIDDEN = "H"
    LOGIN = "L"
    METHOD = "M"


ROLES = (
    "anonymous",
    "business_unit",
    "rag_member",
    "scrutineer",
    "scrutiny_reader",
    "analyst",
    "police_lead",
    "health_lead",
    "hospital_lead",
    "outsider",
)
# Roles that may change nothing of this partnership's records through the routes below except
# where a cell says A (the review advisory group records decisions, sign-offs, comments and
# responses): every write they must not make is sent, and the database must be unchanged.
READ_ONLY_ROLES = (
    "anonymous",
    "rag_member",
    "scrutineer",
    "scrutiny_reader",
    "analyst",
    "outsider",
)


@dataclass(frozen=True)
class Rule:
    get: str
    post: str | None = None
    # What the URL's parameters name (a key of the test's objects); "" for none.
    obj: str = ""
    # Added to the URL of every request (e.g. the period a page needs).
    query: str = ""
    # A list page that also downloads (?format=csv and ?format=xlsx): same cells.
    exports: bool = False
    # Why the mass-assignment test (security/tests/test_mass_assignment.py) does not send this
    # route's form: only for a write that holds no partnership record. Every other route that
    # takes a POST is sent there, and fails that test when it is not.
    mass_assignment_exempt: str = ""

    def cells(self, which: str = "get") -> dict[str, Outcome]:
        spec = self.get if which == "get" else self.post
        assert spec is not None
        letters = spec.split()
        assert len(letters) == len(ROLES), f"{spec!r}: one letter per role"
        return {role: Outcome(letter) for role, letter in zip(ROLES, letters, strict=True)}


PERIOD = "start=2021-05-01&end=2022-12-31"
# Signing in (a password, a second factor, a set-up link's first password) writes only the
# person's own credentials and session, no partnership record.
SIGNS_IN = "signs a person in; covered by the authentication and enrolment tests"

# fmt: off
# Columns:                   anon bu rag scr rdr ana pol icb hos out
ROUTES: dict[str, Rule] = {
    # --- Signing in ------------------------------------------------------------------------
    # The log-in page: signed-in users are sent on to the dashboard (a scrutiny reader to the
    # published reports): a normal redirect.
    # Logging in and out is not a write to records: never sent.
    # The load balancer's health check: open to all, says only whether the database answers.
    "healthz":                  Rule("A A A A A A A A A A"),
    "accounts:login":           Rule("A A A A A A A A A A", post="A A A A A A A A A A",
                                     mass_assignment_exempt=SIGNS_IN),
    "accounts:logout":          Rule("M M M M M M M M M M", post="A A A A A A A A A A",
                                     mass_assignment_exempt="ends the session; takes no fields"),
    # Two-factor pages: a verified user is sent on (a normal redirect). A user's own second
    # factor, recovery codes and password are theirs to change, whatever their role.
    "accounts:two_factor_verify": Rule("L A A A A A A A A A", post="L A A A A A A A A A",
                                       mass_assignment_exempt=SIGNS_IN),
    "accounts:two_factor_setup": Rule("L A A A A A A A A A", post="L A A A A A A A A A",
                                      mass_assignment_exempt=SIGNS_IN),
    "accounts:account":         Rule("L A A A A A A A A A"),
    "accounts:recovery_codes":  Rule("L A A A A A A A A A", post="L A A A A A A A A A"),
    "accounts:password_change": Rule("L A A A A A A A A A", post="L A A A A A A A A A"),
    # A set-up link (accounts/enrolment.py): a token that opens nothing gets the same 404 page
    # from everyone and changes nothing; real links are tested in test_enrolment.py.
    "accounts:enrol":           Rule("H H H H H H H H H H", post="H H H H H H H H H H",
                                     obj="enrolment_link", mass_assignment_exempt=SIGNS_IN),
    # --- Partnership settings and API tokens: the business unit of the partnership ----------
    # The settings page also takes the small-number threshold (a POST): the business unit.
    "accounts:settings":        Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "accounts:clock_rule_edit": Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="clock_rule"),
    "accounts:closure_add":     Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "accounts:age_band_add":    Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "accounts:age_band_edit":   Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="age_band"),
    "accounts:age_band_remove": Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="age_band"),
    "api:tokens":               Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    # (obj: a token of the partnership's system account; the parameter is the token's id)
    "api:token_revoke":         Rule("L M M M M M M M M M", post="L A D D D D D D D H",
                                     obj="api_token"),
    # --- The API's schema and documentation: open (they describe the API, hold no record;
    # docs/API.md). Any other address under /api/v1/ is the API's JSON 404, for everyone.
    "api:schema":               Rule("A A A A A A A A A A"),
    "api:docs":                 Rule("A A A A A A A A A A"),
    "api/^v1/(?P<rest>.*/)?$":  Rule("H H H H H H H H H H", post="H H H H H H H H H H",
                                     obj="api_elsewhere"),
    # --- Dashboard and the review register ---------------------------------------------------
    # Working roles (business unit, advisory group, agency leads, scrutineer) read the
    # registers, an agency lead only the records their agency took part in; the business unit
    # alone records and changes them. Live figures (the dashboard's clocks, the period
    # summary, the theme and escalation analysis and their downloads, the theme pages, the
    # API's agencies and themes) are the working roles' too: scrutiny readers see published
    # reports and their own account only (DESIGN.md: "no live figures (narrow periods of live
    # figures re-identify children)"); one-day periods of the period summary once named
    # every rapid review's child. An agency lead opens these pages too, but every figure on
    # them (and in their downloads) counts only the records in the lead's scope
    # (access.LIVE_FIGURES_IN_SCOPE; test_live_figures_scope.py asks for every day on which
    # another agency's record falls). Analysts belong to no partnership: a dashboard without
    # figures, nothing else.
    "reviews:dashboard":        Rule("L A A A D A A A A A"),
    "reviews:period_summary":   Rule("L A A A D D A A A A", query=PERIOD),
    "reviews:incident_list":    Rule("L A A A D D A A A A", exports=True),
    "reviews:incident_create":  Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "reviews:incident_detail":  Rule("L A A A D D A H H H", obj="incident"),
    "reviews:incident_edit":    Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="incident"),
    "reviews:case_list":        Rule("L A A A D D A A A A", exports=True),
    "reviews:case_detail":      Rule("L A A A D D A H H H", obj="case"),
    "reviews:case_edit":        Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="case"),
    # Identifying details: the business unit only; 404 before 403, so a role without them
    # learns nothing about cases outside its scope.
    "reviews:case_identity":    Rule("L A D D D D D H H H", obj="case"),
    "reviews:case_identity_edit": Rule("L A D D D D D H H H", post="L A D D D D D H H H",
                                       obj="case"),
    "reviews:review_list":      Rule("L A A A D D A A A A", exports=True),
    "reviews:review_create":    Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "reviews:review_detail":    Rule("L A A A D D A H H H", obj="review"),
    "reviews:review_edit":      Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="review"),
    # Decisions and sign-offs: the business unit and the review advisory group.
    "reviews:review_decision":  Rule("L A A D D D D D D H", post="L A A D D D D D D H",
                                     obj="review"),
    "reviews:review_signoff":   Rule("L A A D D D D D D H", post="L A A D D D D D D H",
                                     obj="review"),
    "reviews:review_pause":     Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="review"),
    "reviews:review_resume":    Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="review_pause"),
    "reviews:review_commission": Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                      obj="review"),
    # --- Learning: findings, themes, the cross-cutting analysis ------------------------------
    # Theme counts, the theme x review matrix and the findings: the working roles (an agency
    # lead's counts, matrix and theme list only of the reviews their agency took part in).
    "learning:analysis":        Rule("L A A A D D A A A A"),
    "learning:themes_csv":      Rule("L A A A D D A A A A"),
    "learning:themes_xlsx":     Rule("L A A A D D A A A A"),
    "learning:matrix_csv":      Rule("L A A A D D A A A A"),
    "learning:matrix_xlsx":     Rule("L A A A D D A A A A"),
    "learning:finding_list":    Rule("L A A A D D A A A A", exports=True),
    "learning:finding_detail":  Rule("L A A A D D A H H H", obj="finding"),
    "learning:finding_edit":    Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="finding"),
    "learning:finding_withdraw": Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                      obj="finding"),
    "learning:finding_comment": Rule("L M M M M M M M M M", post="L A A D D D D D D H",
                                     obj="finding"),
    "learning:review_findings_add": Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                         obj="review"),
    # The taxonomy (with each theme's counts) is read by the working roles; the business
    # unit changes it.
    "learning:theme_list":      Rule("L A A A D D A A A A"),
    "learning:theme_create":    Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "learning:taxonomy_export": Rule("L A A A D D A A A A"),
    "learning:taxonomy_import": Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "learning:taxonomy_versions": Rule("L A A A D D A A A A"),
    "learning:theme_detail":    Rule("L A A A D D A A A H", obj="theme"),
    "learning:theme_edit":      Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="theme"),
    "learning:theme_merge":     Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="theme"),
    "learning:theme_retire":    Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="theme"),
    # The partnership's response to a theme: the business unit and the advisory group.
    "learning:theme_response":  Rule("L A A D D D D D D H", post="L A A D D D D D D H",
                                     obj="theme", query=PERIOD),
    "learning:settings":        Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    # --- Escalations (concerns resolution) ---------------------------------------------------
    # Individual escalations: the business unit, and agency leads for those raised by or about
    # their agency. The advisory group and the scrutineer are sent on to the aggregate
    # analysis (a normal redirect); the analysis is open to the working roles (an agency
    # lead's figures count only the escalations raised by or about their agency).
    "escalations:register":     Rule("L A A A D D A A A A", exports=True),
    "escalations:record":       Rule("L A D D D D A A A A", post="L A D D D D A A A A"),
    "escalations:detail":       Rule("L A D D D D A H H H", obj="escalation"),
    "escalations:move_up":      Rule("L M M M M M M M M M", post="L A D D D D A H H H",
                                     obj="escalation"),
    "escalations:close":        Rule("L M M M M M M M M M", post="L A D D D D A H H H",
                                     obj="escalation"),
    "escalations:edit":         Rule("L A D D D D A H H H", post="L A D D D D A H H H",
                                     obj="escalation"),
    "escalations:step_clock":   Rule("L A D D D D A H H H", obj="step"),
    "escalations:stages":       Rule("L A D D D D D D D A"),
    "escalations:stage_add":    Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "escalations:stage_edit":   Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="stage"),
    "escalations:analysis":     Rule("L A A A D D A A A A"),
    "escalations:analysis_csv": Rule("L A A A D D A A A A"),
    "escalations:analysis_xlsx": Rule("L A A A D D A A A A"),
    # --- Action plans ------------------------------------------------------------------------
    # Working roles read actions, an agency lead only their own agency's; the business unit
    # sets and changes them; the owner agency's lead moves theirs on and adds evidence.
    "actionplans:action_list":  Rule("L A A A D D A A A A", exports=True),
    "actionplans:action_create": Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "actionplans:action_detail": Rule("L A A A D D A H H H", obj="action"),
    "actionplans:action_edit":  Rule("L A D D D D D H H H", post="L A D D D D D H H H",
                                     obj="action"),
    "actionplans:action_status": Rule("L M M M M M M M M M", post="L A D D D D A H H H",
                                      obj="action"),
    "actionplans:evidence_add": Rule("L M M M M M M M M M", post="L A D D D D A H H H",
                                     obj="action"),
    "actionplans:evidence_download": Rule("L A A A D D A H H H", obj="evidence"),
    "actionplans:recommendation_list": Rule("L A A A D D A A A A"),
    "actionplans:recommendation_create": Rule("L A D D D D D D D A",
                                              post="L A D D D D D D D A"),
    # A recommendation whose only actions are the hospital trust's: an agency lead sees a
    # recommendation through their own agency's actions.
    "actionplans:recommendation_detail": Rule("L A A A D D H H A H", obj="recommendation"),
    "actionplans:agency_home":  Rule("L D D D D D A A A D"),
    # --- Learning into practice: products, events, reach, planner, assurance -----------------
    # Learning products and events are the partnership's (every working role reads them, the
    # business unit records them). Attendance: the business unit, or the lead of an audience
    # agency for their own agency (an event for police, children's services and early help).
    "dissemination:home":       Rule("L A A A D D A A A A", exports=True),
    "dissemination:product_create": Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "dissemination:product_detail": Rule("L A A A D D A A A H", obj="product"),
    "dissemination:product_edit": Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                       obj="product"),
    "dissemination:event_create": Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                       obj="product"),
    "dissemination:assurance_request": Rule("L A D D D D D D D H",
                                            post="L A D D D D D D D H", obj="product"),
    "dissemination:audit_result": Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                       obj="product"),
    "dissemination:event_edit": Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="event"),
    "dissemination:attendance": Rule("L A D D D D A D D H", post="L A D D D D A D D H",
                                     obj="event"),
    "dissemination:reach":      Rule("L A A A D D A A A A"),
    "dissemination:planner":    Rule("L A A A D D A A A A"),
    "dissemination:plan_create": Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "dissemination:stall":      Rule("L A A A D D A A A A"),
    # An agency's assurance record: its own lead submits the stage reached (the business unit
    # decides, it does not submit); other agencies' records are 404 to a lead.
    "dissemination:record_detail": Rule("L A A A D D A H H H", post="L D D D D D A H H H",
                                        obj="record"),
    "dissemination:submission_decide": Rule("L M M M M M M M M M",
                                            post="L A D D D D D H H H", obj="submission"),
    # --- Reports -----------------------------------------------------------------------------
    # The object is a published learning brief of a review the police took part in: every role
    # that sees reports reads it (agency leads only of reviews their agency took part in);
    # the business unit issues and publishes.
    "reports:home":             Rule("L A A A A D A A A A"),
    "reports:scrutiny_new":     Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "reports:version":          Rule("L A A A A D A H H H", obj="version"),
    "reports:progress":         Rule("L A A A A D A H H H", obj="version"),
    "reports:publish":          Rule("L M M M M M M M M M", post="L A D D D D D D D H",
                                     obj="version"),
    "reports:download":         Rule("L A A A A D A H H H", obj="download"),
    # A review's brief page shows the review: the register roles (a reader has no register).
    "reports:brief":            Rule("L A A A D D A H H H", post="L A D D D D D H H H",
                                     obj="brief"),
    # --- Import: the business unit ---------------------------------------------------------
    "imports:import":           Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "imports:template":         Rule("L A D D D D D D D A", obj="template"),
    "imports:job":              Rule("L A D D D D D D D H", obj="import_job"),
    "imports:progress":         Rule("L A D D D D D D D H", obj="import_job"),
    # --- Records retention and legal holds: the business unit ------------------------------
    "records:retention":        Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "records:hold_place":       Rule("L A D D D D D D D A", post="L A D D D D D D D A"),
    "records:hold_lift":        Rule("L A D D D D D D D H", post="L A D D D D D D D H",
                                     obj="hold"),
}

# API operations, as the OpenAPI schema names them ("METHOD path"). Reads and writes follow
# the pages; for an operation that writes, an "A" is a role that may write (not sent).
# Columns:                                        anon bu rag scr rdr ana pol icb hos out
API: dict[str, str] = {
    "GET /api/v1/agencies/":                        "L A A A D D A A A A",
    "GET /api/v1/agencies/{id}/":                   "L A A A D D A A A H",
    "GET /api/v1/incidents/":                       "L A A A D D A A A A",
    "POST /api/v1/incidents/":                      "L A D D D D D D D A",
    "GET /api/v1/incidents/{id}/":                  "L A A A D D A H H H",
    "GET /api/v1/cases/":                           "L A A A D D A A A A",
    "POST /api/v1/cases/":                          "L A D D D D D D D A",
    "GET /api/v1/cases/{id}/":                      "L A A A D D A H H H",
    "GET /api/v1/reviews/":                         "L A A A D D A A A A",
    "POST /api/v1/reviews/":                        "L A D D D D D D D A",
    "GET /api/v1/reviews/{id}/":                    "L A A A D D A H H H",
    "GET /api/v1/findings/":                        "L A A A D D A A A A",
    "POST /api/v1/findings/":                       "L A D D D D D D D A",
    "GET /api/v1/findings/{id}/":                   "L A A A D D A H H H",
    "GET /api/v1/themes/":                          "L A A A D D A A A A",
    "GET /api/v1/themes/{id}/":                     "L A A A D D A A A H",
    "GET /api/v1/actions/":                         "L A A A D D A A A A",
    "GET /api/v1/actions/{id}/":                    "L A A A D D A H H H",
    "POST /api/v1/actions/{id}/status/":            "L A D D D D A H H H",
    "GET /api/v1/learning-products/":               "L A A A D D A A A A",
    "GET /api/v1/learning-products/{id}/":          "L A A A D D A A A H",
    "GET /api/v1/learning-events/":                 "L A A A D D A A A A",
    "GET /api/v1/learning-events/{id}/":            "L A A A D D A A A H",
    "GET /api/v1/assurance-records/":               "L A A A D D A A A A",
    "GET /api/v1/assurance-records/{id}/":          "L A A A D D A H H H",
    "GET /api/v1/escalations/":                     "L A D D D D A A A A",
    "POST /api/v1/escalations/":                    "L A D D D D A A A A",
    "GET /api/v1/escalations/{id}/":                "L A D D D D A H H H",
    "GET /api/v1/escalation-stages/":               "L A D D D D A A A A",
    "GET /api/v1/escalation-stages/{id}/":          "L A D D D D A A A H",
}
# fmt: on

# What the {id} of each API collection names (the same records as the pages').
API_OBJECTS = {
    "agencies": "agency",
    "incidents": "incident",
    "cases": "case",
    "reviews": "review",
    "findings": "finding",
    "themes": "theme",
    "actions": "action",
    "learning-products": "product",
    "learning-events": "event",
    "assurance-records": "record",
    "escalations": "escalation",
    "escalation-stages": "stage",
}


def api_cells(operation: str) -> dict[str, Outcome]:
    return Rule(API[operation]).cells()
