"""What a person would choose or type for the forms that the plain filling of a page
(`forms.Form.filled`: the first option of every list, today in every date, a sentence in every
text box) does not get through, one small function per route; and the records the
mass-assignment test's fixture adds so that every POST route has a form to send.

A filler gets the form as read from its page and the data about to be sent (as the test client
posts it: a value, or a list of values), and returns the fields to change (a value of None
leaves a field out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import Agency, Role, User
from safeguarding.accounts.services import age_band_save
from safeguarding.api import services as api_services
from safeguarding.core.exports import csv_bytes
from safeguarding.demo.partnership import PASSWORD
from safeguarding.imports.jobs import import_job_start
from safeguarding.imports.schema import COLUMNS
from safeguarding.learning.models import Finding
from safeguarding.learning.taxonomy_csv import taxonomy_export_csv
from safeguarding.records.services import legal_hold_place
from safeguarding.reviews import services as review_services
from safeguarding.security.tests.forms import FILL_TEXT, Form
from safeguarding.security.tests.worlds import Worlds

Data = dict[str, Any]


@dataclass
class Filling:
    worlds: Worlds
    user: User
    form: Form
    data: Data


def _age_band(f: Filling) -> Data:
    # The fixture ends the top band at 17 (the default bands cover every age): room above it.
    return {"label": "18 to 30", "min_years": "18", "max_years": "30"}


def _password(f: Filling) -> Data:
    new = "Mass assignment check 2024!"
    return {"old_password": PASSWORD, "new_password1": new, "new_password2": new}


def _recovery_codes(f: Filling) -> Data:
    # New codes ask for the current password again (finding F6).
    return {"password": PASSWORD}


def _recommendation(f: Filling) -> Data:
    # The finding's own review (the first review and the first finding need not match).
    finding = Finding.objects.get(pk=f.form.options["finding"][0])
    return {"finding": str(finding.pk), "review": str(finding.review_id)}


def _escalation(f: Filling) -> Data:
    raised = str(f.data["raised_by_agency"])
    about = next(v for v in f.form.options["about_agency"] if v != raised)
    return {"about_agency": about}


def _records_import(f: Filling) -> Data:
    """The cases template (header and example row, docs/IMPORT.md), with a reference of its own
    and an agency of the user's partnership."""
    agency = Agency.objects.filter(partnership=f.user.partnership).current().order_by("pk").first()
    assert agency is not None
    columns = COLUMNS["cases"]
    values = {c.key: c.example for c in columns}
    values.update(reference="Child MA (fictional)", agencies=agency.name)
    content = csv_bytes([c.heading for c in columns], [[values[c.key] for c in columns]])
    return {
        "record_type": "cases",
        "file": SimpleUploadedFile("cases.csv", content, content_type="text/csv"),
    }


def _taxonomy_import(f: Filling) -> Data:
    """The partnership's own taxonomy export, with one new theme."""
    exported = taxonomy_export_csv(partnership=f.user.partnership)  # type: ignore[arg-type]
    content = (
        exported.rstrip("\r\n") + "\r\nMass assignment theme,Defined by the check.,,,active\r\n"
    )
    return {"file": SimpleUploadedFile("themes.csv", content.encode(), content_type="text/csv")}


def _hold(f: Filling) -> Data:
    return {"review": None}  # a case or a review, not both


def _incident(f: Filling) -> Data:
    # Today is filled in as the notification date: the decision that goes with it.
    return {"incident-decision": "notify", "incident-decision_rationale": FILL_TEXT}


FILLERS: dict[str, Callable[[Filling], Data]] = {
    "accounts:age_band_add": _age_band,
    "accounts:password_change": _password,
    "accounts:recovery_codes": _recovery_codes,
    "actionplans:recommendation_create": _recommendation,
    "escalations:record": _escalation,
    "imports:import": _records_import,
    "learning:taxonomy_import": _taxonomy_import,
    "records:hold_place": _hold,
    "reviews:incident_create": _incident,
}


def fill(route: str, filling: Filling) -> Data:
    """The data to send: the page's, with the route's filler applied."""
    data = dict(filling.data)
    filler = FILLERS.get(route)
    for name, value in (filler(filling) if filler else {}).items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def add_records(worlds: Worlds) -> dict[str, str]:
    """Records of the kinds the demo lacks, made through the services, and the addresses of the
    routes that need them (the crawl finds the others: a token's revoke button on the tokens
    page, a hold's link on the retention page): a rapid review decided for a CSPR and not yet
    commissioned, with no sign-off; a paused review; a finished import; a legal hold; an API
    token of a system account; and room above the top age band."""
    demo, bu = worlds.demo, worlds.bu
    today = timezone.localdate()
    agencies = list(demo.agencies.order_by("pk")[:2])
    reviews = []
    for n in (1, 2):
        case = review_services.case_create(
            actor=bu,
            partnership=demo,
            agencies=agencies,
            reference=f"Child MA{n}",
            age_years=3,
            outcome="seriously_harmed",
        )
        incident = review_services.incident_record(
            actor=bu,
            partnership=demo,
            case=case,
            summary="An incident for the mass-assignment check.",
            la_aware_on=today - dt.timedelta(days=20),
            decision="notify",
            decision_rationale="Meets the criteria.",
            notified_on=today - dt.timedelta(days=18),
        )
        reviews.append(incident.reviews.get(kind="rapid_review"))
    decided, paused = reviews
    review_services.review_update(
        actor=bu,
        review=decided,
        decision="cspr",
        decision_on=today - dt.timedelta(days=2),
        decision_rationale="Meets the Regulation 11 criteria.",
    )
    pause = review_services.review_pause(
        actor=bu, review=paused, starts_on=today - dt.timedelta(days=5), reason="Court case"
    )
    job = import_job_start(
        actor=bu,
        partnership=demo,
        record_type="reviews",
        data=b"title\nA review without the other columns\n",
        file_name="reviews.csv",
    )
    legal_hold_place(actor=bu, partnership=demo, reason="Police inquiry", case=paused.case)
    account = api_services.system_account_create(
        actor=bu,
        partnership=demo,
        username="feed-mass-assignment",
        role=Role.BUSINESS_UNIT,
        description="Case management feed",
    )
    api_services.api_token_create(actor=bu, account=account, name="Feed")
    top = demo.age_bands.order_by("-min_years").first()
    assert top is not None and top.max_years is None
    age_band_save(actor=bu, band=top, label=f"{top.min_years} to 17", max_years=17)
    return {
        "reviews:review_signoff": reverse("reviews:review_signoff", args=[decided.pk]),
        "reviews:review_commission": reverse("reviews:review_commission", args=[decided.pk]),
        "reviews:review_resume": reverse("reviews:review_resume", args=[paused.pk, pause.pk]),
        # An open review that is not paused: a completed one cannot be paused (reviews/dates.py).
        "reviews:review_pause": reverse("reviews:review_pause", args=[decided.pk]),
        "imports:job": reverse("imports:job", args=[job.pk]),
        "imports:progress": reverse("imports:progress", args=[job.pk]),
        "imports:template": reverse("imports:template", args=["cases", "csv"]),
    }
