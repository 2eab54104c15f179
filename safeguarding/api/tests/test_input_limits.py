"""Finding F7 of the second outside attack: what the API takes, and how often.

(a) A JSON body nested 5,000 deep was a 500 (RecursionError in Python's json module). (b) A
finding's text of 2 MB was stored (201): the API's text fields had no maximum. (c) A token's
requests had no rate limit (400 in 4 seconds, all 200).

Why the earlier tests could not see them: test_writes.py and test_refusals.py sent well-formed
bodies of ordinary size, and the rate-limit test sent only anonymous requests (token requests
were checked to pass the anonymous limit, which is what they still do). The schemathesis run
generates bodies from the schema, which then stated no maximum length.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.test import Client, override_settings

from safeguarding.api.tests.conftest import ApiClient
from safeguarding.api.tests.data import Records
from safeguarding.core.forms import GovukFormMixin
from safeguarding.core.text import TEXT_MAX_LENGTH
from safeguarding.learning.models import Finding


def _finding(records: Records, text: str) -> dict[str, Any]:
    return {"review": records.by_kind["reviews"]["audit"].pk, "kind": "good_practice", "text": text}


def test_a_body_nested_too_deeply_is_a_400_with_a_reason(records: Records) -> None:
    client = ApiClient(records.world.business_unit)
    response = client.post("/api/v1/findings/", "[" * 5000 + "]" * 5000)
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]
    # An ordinary syntax error still says so.
    response = client.post("/api/v1/findings/", "{not json")
    assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]


def test_a_finding_text_longer_than_the_forms_take_is_refused_naming_the_field(
    records: Records,
) -> None:
    client = ApiClient(records.world.business_unit)
    before = Finding.objects.count()
    response = client.post("/api/v1/findings/", _finding(records, "x" * 2_000_000))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["text"] and "20000" in errors["text"][0]
    response = client.post("/api/v1/findings/", _finding(records, "x" * (TEXT_MAX_LENGTH + 1)))
    assert response.status_code == 400
    assert Finding.objects.count() == before
    response = client.post("/api/v1/findings/", _finding(records, "x" * TEXT_MAX_LENGTH))
    assert response.status_code == 201, response.json()


def test_every_api_text_field_has_a_maximum(records: Records) -> None:
    """The schema states each input text's maxLength (so clients and schemathesis see it)."""
    schema = Client().get("/api/schema/", headers={"Accept": "application/json"})
    assert schema.status_code == 200
    components = schema.json()["components"]["schemas"]
    unbounded = [
        f"{name}.{field}"
        for name, component in components.items()
        if name.endswith("Request")
        for field, spec in component.get("properties", {}).items()
        if spec.get("type") == "string"
        and "format" not in spec
        and "enum" not in spec
        and "maxLength" not in spec
    ]
    assert unbounded == []


def test_a_forms_text_area_takes_the_same_maximum() -> None:
    class Note(GovukFormMixin, forms.Form):
        note = forms.CharField(widget=forms.Textarea)

    assert Note(data={"note": "x" * TEXT_MAX_LENGTH}).is_valid()
    form = Note(data={"note": "x" * (TEXT_MAX_LENGTH + 1)})
    assert form.errors == {"note": ["Enter no more than 20,000 characters"]}


@override_settings(API_USER_RATE="5/minute")
def test_a_users_requests_are_rate_limited_per_user(records: Records) -> None:
    user = records.world.business_unit
    client = ApiClient(user)
    statuses = [client.get("/api/v1/reviews/").status_code for _ in range(7)]
    print(f"user rate 5/minute: statuses {statuses}")
    assert statuses == [200] * 5 + [429] * 2
    refused = client.get("/api/v1/reviews/")
    assert refused.status_code == 429 and "Retry-After" in refused
    # Another token of the same user shares the count; another user has a count of their own.
    assert ApiClient(user).get("/api/v1/reviews/").status_code == 429
    assert ApiClient(records.world.users["rag_member"]).get("/api/v1/reviews/").status_code == 200


@override_settings(API_USER_RATE="600/minute")  # production's default
def test_at_the_production_rate_the_601st_request_in_a_minute_is_refused(
    records: Records,
) -> None:
    client = ApiClient(records.world.business_unit)
    statuses = [client.get("/api/v1/agencies/").status_code for _ in range(601)]
    print(f"user rate 600/minute: 200 x {statuses.count(200)}, 429 x {statuses.count(429)}")
    assert statuses == [200] * 600 + [429]
