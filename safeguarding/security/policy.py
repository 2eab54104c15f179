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
    "service_admin",
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
    "service_admin",
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
# A forgotten-password request or a new password from its link: a person's own credentials.
OWN_RESET = "a person's own credentials, by an emailed link; covered by test_password_reset.py"
# People and partnerships change accounts (a role, an account switched off), which the
# mass-assignment test's snapshot holds fixed; their own tests send the same extras.
PEOPLE = "changes accounts; extras sent by accounts/tests/test_people.py"
SERVICE = "the service administrator's; extras sent by accounts/tests/test_service_admin.py"

# fmt: off
# Columns:                   anon bu rag scr rdr ana pol icb hos out adm
ROUTES: dict[str, Rule] = {
    # --- Signing in ------------------------------------------------------------------------
    # The log-in page: signed-in users are sent on to the dashboard (a scrutiny reader to the
    # published reports): a normal redirect.
    # Logging in and out is not a write to records: never sent.
    # The load balancer's health check: open to all, says only whether the database answers.
    "healthz":                  Rule("A A A A A A A A A A A"),
    "accounts:login":           Rule("A A A A A A A A A A A", post="A A A A A A A A A A A",
                                     mass_assignment_exempt=SIGNS_IN),
    "accounts:logout":          Rule("M M M M M M M M M M M", post="A A A A A A A A A A A",
                                     mass_assignment_exempt="ends the session; takes no fields"),
    # Single sign-on (accounts/sso_views.py): off unless configured, as in these tests, and
    # then 404 for everyone; GET only. Configured, accounts/tests/test_oidc*.py and
    # browser_tests/test_sso.py sign in through a real provider.
    "accounts:sso_start":       Rule("H H H H H H H H H H H", post="M M M M M M M M M M M"),
    "accounts:sso_callback":    Rule("H H H H H H H H H H H", post="M M M M M M M M M M M"),
    # Two-factor pages: a verified user is sent on (a normal redirect). A user's own second
    # factor, recovery codes and password are theirs to change, whatever their role.
    "accounts:two_factor_verify": Rule("L A A A A A A A A A A", post="L A A A A A A A A A A",
                                       mass_assignment_exempt=SIGNS_IN),
    "accounts:two_factor_setup": Rule("L A A A A A A A A A A", post="L A A A A A A A A A A",
                                      mass_assignment_exempt=SIGNS_IN),
    "accounts:account":         Rule("L A A A A A A A A A A"),
    "accounts:recovery_codes":  Rule("L A A A A A A A A A A", post="L A A A A A A A A A A"),
    "accounts:password_change": Rule("L A A A A A A A A A A", post="L A A A A A A A A A A"),
    # A set-up link (accounts/enrolment.py): a token that opens nothing gets the same 404 page
    # from everyone and changes nothing; real links are tested in test_enrolment.py.
    "accounts:enrol":           Rule("H H H H H H H H H H H", post="H H H H H H H H H H H",
                                     obj="enrolment_link", mass_assignment_exempt=SIGNS_IN),
    # Forgotten password (accounts/password_reset.py): open to everyone, signed in or not. The
    # request page answers every address alike, and a link that opens nothing gets the same
    # "does not work" page (200) from everyone; real links are tested in
    # accounts/tests/test_password_reset.py.
    "accounts:password_reset":  Rule("A A A A A A A A A A A", post="A A A A A A A A A A A",
                                     mass_assignment_exempt=OWN_RESET),
    "accounts:password_reset_done": Rule("A A A A A A A A A A A"),
    "accounts:password_reset_confirm": Rule("A A A A A A A A A A A",
                                            post="A A A A A A A A A A A",
                                            obj="password_reset_link",
                                            mass_assignment_exempt=OWN_RESET),
    "accounts:password_reset_complete": Rule("A A A A A A A A A A A"),
    # --- Partnership settings and API tokens: the business unit of the partnership ----------
    # The settings page also takes the small-number threshold (a POST): the business unit.
    "accounts:settings":        Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "accounts:clock_rule_edit": Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="clock_rule"),
    "accounts:closure_add":     Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "accounts:age_band_add":    Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "accounts:age_band_edit":   Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="age_band"),
    "accounts:age_band_remove": Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="age_band"),
    # Agencies (Settings -> Agencies, accounts/agency_views.py): the business unit; another
    # partnership's agency is 404 to an outsider. (obj: the police, who have an agency lead, so
    # the retire page refuses and shows who to switch off or move first.)
    "accounts:agency_add":      Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "accounts:agency_edit":     Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="agency"),
    "accounts:agency_retire":   Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="agency"),
    # People (Settings -> People, accounts/people_views.py): the business unit of the
    # partnership; another partnership's people are 404 to an outsider. The service
    # administrator belongs to no partnership. They change accounts, not partnership records:
    # the extras a form does not offer are sent by accounts/tests/test_people.py.
    "accounts:people":          Rule("L A D D D D D D D A D"),
    "accounts:person_invite":   Rule("L A D D D D D D D A D", post="L A D D D D D D D A D",
                                     mass_assignment_exempt=PEOPLE),
    "accounts:person_detail":   Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="person", mass_assignment_exempt=PEOPLE),
    "accounts:person_action":   Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="person_action", mass_assignment_exempt=PEOPLE),
    # --- The service administrator's pages (accounts/service_views.py): partnerships and their
    # business unit users, nothing of any partnership's records (every other row: D) --------
    "service:partnerships":     Rule("L D D D D D D D D D A"),
    "service:partnership_create": Rule("L D D D D D D D D D A", post="L D D D D D D D D D A",
                                       mass_assignment_exempt=SERVICE),
    "service:partnership_detail": Rule("L D D D D D D D D D A", post="L D D D D D D D D D A",
                                       obj="partnership", mass_assignment_exempt=SERVICE),
    "service:business_unit_invite": Rule("L D D D D D D D D D A",
                                         post="L D D D D D D D D D A", obj="partnership",
                                         mass_assignment_exempt=SERVICE),
    "service:business_unit_action": Rule("L D D D D D D D D D A",
                                         post="L D D D D D D D D D A", obj="bu_action",
                                         mass_assignment_exempt=SERVICE),
    "service:partnership_close": Rule("L D D D D D D D D D A", post="L D D D D D D D D D A",
                                      obj="partnership", mass_assignment_exempt=SERVICE),
    "api:tokens":               Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    # (obj: a token of the partnership's system account; the parameter is the token's id)
    "api:token_revoke":         Rule("L M M M M M M M M M M", post="L A D D D D D D D H D",
                                     obj="api_token"),
    # --- The API's schema and documentation: open (they describe the API, hold no record;
    # docs/API.md). Any other address under /api/v1/ is the API's JSON 404, for everyone.
    "api:schema":               Rule("A A A A A A A A A A A"),
    "api:docs":                 Rule("A A A A A A A A A A A"),
    "api/^v1/(?P<rest>.*/)?$":  Rule("H H H H H H H H H H H", post="H H H H H H H H H H H",
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
    "reviews:dashboard":        Rule("L A A A D A A A A A A"),
    "reviews:period_summary":   Rule("L A A A D D A A A A D", query=PERIOD),
    "reviews:incident_list":    Rule("L A A A D D A A A A D", exports=True),
    "reviews:incident_create":  Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "reviews:incident_detail":  Rule("L A A A D D A H H H D", obj="incident"),
    "reviews:incident_edit":    Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="incident"),
    "reviews:case_list":        Rule("L A A A D D A A A A D", exports=True),
    "reviews:case_detail":      Rule("L A A A D D A H H H D", obj="case"),
    "reviews:case_edit":        Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="case"),
    # Identifying details: the business unit only; 404 before 403, so a role without them
    # learns nothing about cases outside its scope.
    "reviews:case_identity":    Rule("L A D D D D D H H H D", obj="case"),
    "reviews:case_identity_edit": Rule("L A D D D D D H H H D", post="L A D D D D D H H H D",
                                       obj="case"),
    "reviews:review_list":      Rule("L A A A D D A A A A D", exports=True),
    "reviews:review_create":    Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "reviews:review_detail":    Rule("L A A A D D A H H H D", obj="review"),
    "reviews:review_edit":      Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="review"),
    # Decisions and sign-offs: the business unit and the review advisory group.
    "reviews:review_decision":  Rule("L A A D D D D D D H D", post="L A A D D D D D D H D",
                                     obj="review"),
    "reviews:review_signoff":   Rule("L A A D D D D D D H D", post="L A A D D D D D D H D",
                                     obj="review"),
    "reviews:review_pause":     Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="review"),
    "reviews:review_resume":    Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="review_pause"),
    "reviews:review_commission": Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                      obj="review"),
    # --- Learning: findings, themes, the cross-cutting analysis ------------------------------
    # Theme counts, the theme x review matrix and the findings: the working roles (an agency
    # lead's counts, matrix and theme list only of the reviews their agency took part in).
    "learning:analysis":        Rule("L A A A D D A A A A D"),
    "learning:themes_csv":      Rule("L A A A D D A A A A D"),
    "learning:themes_xlsx":     Rule("L A A A D D A A A A D"),
    "learning:matrix_csv":      Rule("L A A A D D A A A A D"),
    "learning:matrix_xlsx":     Rule("L A A A D D A A A A D"),
    "learning:finding_list":    Rule("L A A A D D A A A A D", exports=True),
    "learning:finding_detail":  Rule("L A A A D D A H H H D", obj="finding"),
    "learning:finding_edit":    Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="finding"),
    "learning:finding_withdraw": Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                      obj="finding"),
    "learning:finding_comment": Rule("L M M M M M M M M M M", post="L A A D D D D D D H D",
                                     obj="finding"),
    "learning:review_findings_add": Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                         obj="review"),
    # The taxonomy (with each theme's counts) is read by the working roles; the business
    # unit changes it.
    "learning:theme_list":      Rule("L A A A D D A A A A D"),
    "learning:theme_create":    Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "learning:taxonomy_export": Rule("L A A A D D A A A A D"),
    "learning:taxonomy_import": Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "learning:taxonomy_versions": Rule("L A A A D D A A A A D"),
    "learning:theme_detail":    Rule("L A A A D D A A A H D", obj="theme"),
    "learning:theme_edit":      Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="theme"),
    "learning:theme_merge":     Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="theme"),
    "learning:theme_retire":    Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="theme"),
    # The partnership's response to a theme: the business unit and the advisory group.
    "learning:theme_response":  Rule("L A A D D D D D D H D", post="L A A D D D D D D H D",
                                     obj="theme", query=PERIOD),
    "learning:settings":        Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    # --- Escalations (concerns resolution) ---------------------------------------------------
    # Individual escalations: the business unit, and agency leads for those raised by or about
    # their agency. The advisory group and the scrutineer are sent on to the aggregate
    # analysis (a normal redirect); the analysis is open to the working roles (an agency
    # lead's figures count only the escalations raised by or about their agency).
    "escalations:register":     Rule("L A A A D D A A A A D", exports=True),
    "escalations:record":       Rule("L A D D D D A A A A D", post="L A D D D D A A A A D"),
    "escalations:detail":       Rule("L A D D D D A H H H D", obj="escalation"),
    "escalations:move_up":      Rule("L M M M M M M M M M M", post="L A D D D D A H H H D",
                                     obj="escalation"),
    "escalations:close":        Rule("L M M M M M M M M M M", post="L A D D D D A H H H D",
                                     obj="escalation"),
    "escalations:edit":         Rule("L A D D D D A H H H D", post="L A D D D D A H H H D",
                                     obj="escalation"),
    "escalations:step_clock":   Rule("L A D D D D A H H H D", obj="step"),
    "escalations:stages":       Rule("L A D D D D D D D A D"),
    "escalations:stage_add":    Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "escalations:stage_edit":   Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="stage"),
    "escalations:analysis":     Rule("L A A A D D A A A A D"),
    "escalations:analysis_csv": Rule("L A A A D D A A A A D"),
    "escalations:analysis_xlsx": Rule("L A A A D D A A A A D"),
    # --- Action plans ------------------------------------------------------------------------
    # Working roles read actions, an agency lead only their own agency's; the business unit
    # sets and changes them; the owner agency's lead moves theirs on and adds evidence.
    "actionplans:action_list":  Rule("L A A A D D A A A A D", exports=True),
    "actionplans:action_create": Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "actionplans:action_detail": Rule("L A A A D D A H H H D", obj="action"),
    "actionplans:action_edit":  Rule("L A D D D D D H H H D", post="L A D D D D D H H H D",
                                     obj="action"),
    "actionplans:action_status": Rule("L M M M M M M M M M M", post="L A D D D D A H H H D",
                                      obj="action"),
    "actionplans:evidence_add": Rule("L M M M M M M M M M M", post="L A D D D D A H H H D",
                                     obj="action"),
    "actionplans:evidence_download": Rule("L A A A D D A H H H D", obj="evidence"),
    "actionplans:recommendation_list": Rule("L A A A D D A A A A D"),
    "actionplans:recommendation_create": Rule("L A D D D D D D D A D",
                                              post="L A D D D D D D D A D"),
    # A recommendation whose only actions are the hospital trust's: an agency lead sees a
    # recommendation through their own agency's actions.
    "actionplans:recommendation_detail": Rule("L A A A D D H H A H D", obj="recommendation"),
    "actionplans:agency_home":  Rule("L D D D D D A A A D D"),
    # --- Learning into practice: products, events, reach, planner, assurance -----------------
    # Learning products and events are the partnership's (every working role reads them, the
    # business unit records them). Attendance: the business unit, or the lead of an audience
    # agency for their own agency (an event for police, children's services and early help).
    "dissemination:home":       Rule("L A A A D D A A A A D", exports=True),
    "dissemination:product_create": Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "dissemination:product_detail": Rule("L A A A D D A A A H D", obj="product"),
    "dissemination:product_edit": Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                       obj="product"),
    "dissemination:event_create": Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                       obj="product"),
    "dissemination:assurance_request": Rule("L A D D D D D D D H D",
                                            post="L A D D D D D D D H D", obj="product"),
    "dissemination:audit_result": Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                       obj="product"),
    "dissemination:event_edit": Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="event"),
    "dissemination:attendance": Rule("L A D D D D A D D H D", post="L A D D D D A D D H D",
                                     obj="event"),
    "dissemination:reach":      Rule("L A A A D D A A A A D"),
    "dissemination:planner":    Rule("L A A A D D A A A A D"),
    "dissemination:plan_create": Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "dissemination:stall":      Rule("L A A A D D A A A A D"),
    # An agency's assurance record: its own lead submits the stage reached (the business unit
    # decides, it does not submit); other agencies' records are 404 to a lead.
    "dissemination:record_detail": Rule("L A A A D D A H H H D", post="L D D D D D A H H H D",
                                        obj="record"),
    "dissemination:submission_decide": Rule("L M M M M M M M M M M",
                                            post="L A D D D D D H H H D", obj="submission"),
    # --- Reports -----------------------------------------------------------------------------
    # The object is a published learning brief of a review the police took part in: every role
    # that sees reports reads it (agency leads only of reviews their agency took part in);
    # the business unit issues and publishes.
    "reports:home":             Rule("L A A A A D A A A A D"),
    "reports:scrutiny_new":     Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "reports:version":          Rule("L A A A A D A H H H D", obj="version"),
    "reports:progress":         Rule("L A A A A D A H H H D", obj="version"),
    "reports:publish":          Rule("L M M M M M M M M M M", post="L A D D D D D D D H D",
                                     obj="version"),
    "reports:download":         Rule("L A A A A D A H H H D", obj="download"),
    # A review's brief page shows the review: the register roles (a reader has no register).
    "reports:brief":            Rule("L A A A D D A H H H D", post="L A D D D D D H H H D",
                                     obj="brief"),
    # --- Import: the business unit ---------------------------------------------------------
    "imports:import":           Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "imports:template":         Rule("L A D D D D D D D A D", obj="template"),
    "imports:job":              Rule("L A D D D D D D D H D", obj="import_job"),
    "imports:progress":         Rule("L A D D D D D D D H D", obj="import_job"),
    # --- Records retention and legal holds: the business unit ------------------------------
    "records:retention":        Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "records:hold_place":       Rule("L A D D D D D D D A D", post="L A D D D D D D D A D"),
    "records:hold_lift":        Rule("L A D D D D D D D H D", post="L A D D D D D D D H D",
                                     obj="hold"),
}

# API operations, as the OpenAPI schema names them ("METHOD path"). Reads and writes follow
# the pages; for an operation that writes, an "A" is a role that may write (not sent).
# Columns:                                        anon bu rag scr rdr ana pol icb hos out adm
API: dict[str, str] = {
    "GET /api/v1/agencies/":                        "L A A A D D A A A A D",
    "GET /api/v1/agencies/{id}/":                   "L A A A D D A A A H D",
    "GET /api/v1/incidents/":                       "L A A A D D A A A A D",
    "POST /api/v1/incidents/":                      "L A D D D D D D D A D",
    "GET /api/v1/incidents/{id}/":                  "L A A A D D A H H H D",
    "GET /api/v1/cases/":                           "L A A A D D A A A A D",
    "POST /api/v1/cases/":                          "L A D D D D D D D A D",
    "GET /api/v1/cases/{id}/":                      "L A A A D D A H H H D",
    "GET /api/v1/reviews/":                         "L A A A D D A A A A D",
    "POST /api/v1/reviews/":                        "L A D D D D D D D A D",
    "GET /api/v1/reviews/{id}/":                    "L A A A D D A H H H D",
    "GET /api/v1/findings/":                        "L A A A D D A A A A D",
    "POST /api/v1/findings/":                       "L A D D D D D D D A D",
    "GET /api/v1/findings/{id}/":                   "L A A A D D A H H H D",
    "GET /api/v1/themes/":                          "L A A A D D A A A A D",
    "GET /api/v1/themes/{id}/":                     "L A A A D D A A A H D",
    "GET /api/v1/actions/":                         "L A A A D D A A A A D",
    "GET /api/v1/actions/{id}/":                    "L A A A D D A H H H D",
    "POST /api/v1/actions/{id}/status/":            "L A D D D D A H H H D",
    "GET /api/v1/learning-products/":               "L A A A D D A A A A D",
    "GET /api/v1/learning-products/{id}/":          "L A A A D D A A A H D",
    "GET /api/v1/learning-events/":                 "L A A A D D A A A A D",
    "GET /api/v1/learning-events/{id}/":            "L A A A D D A A A H D",
    "GET /api/v1/assurance-records/":               "L A A A D D A A A A D",
    "GET /api/v1/assurance-records/{id}/":          "L A A A D D A H H H D",
    "GET /api/v1/escalations/":                     "L A D D D D A A A A D",
    "POST /api/v1/escalations/":                    "L A D D D D A A A A D",
    "GET /api/v1/escalations/{id}/":                "L A D D D D A H H H D",
    "GET /api/v1/escalation-stages/":               "L A D D D D A A A A D",
    "GET /api/v1/escalation-stages/{id}/":          "L A D D D D A A A H D",
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
