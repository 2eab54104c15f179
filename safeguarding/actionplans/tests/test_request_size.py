"""A body larger than any form takes is refused before it is read; a file over its limit stops
being stored and the form says so (finding 14).

The earlier evidence tests (test_pages.py, test_services.py) sent small files of the wrong type
and checked the message; none sent a large body, and none could see that a 200 MB upload was
read (and written to a temporary file) in full before the 10 MB check refused it.
"""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse

from safeguarding.actionplans.models import EvidenceItem
from safeguarding.actionplans.tests.helpers import make_action

MB = 1024 * 1024


class CountingBody(io.RawIOBase):
    """A request body of `size` bytes made on demand, counting what the server reads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.size - self.read_bytes if n is None or n < 0 else n
        n = min(n, self.size - self.read_bytes)
        self.read_bytes += n
        return b"0" * n

    def readline(self, size: int | None = -1) -> bytes:
        return self.read(size if size and size > 0 else 64 * 1024)


@pytest.fixture
def action(world):
    return make_action(world)


@pytest.fixture
def stored_bytes(monkeypatch):
    """How many bytes the upload handlers wrote to temporary files."""
    seen = {"bytes": 0}
    original = TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        seen["bytes"] += len(raw_data)
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", counting)
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["evidence", "/import/", "/api/v1/findings/"])
def test_a_200_mb_request_is_refused_with_413_before_its_body_is_read(
    client_for, world, action, path
):
    url = reverse("actionplans:evidence_add", args=[action.pk]) if path == "evidence" else path
    body = CountingBody(200 * MB)
    client = client_for(world.users["agency_lead"] if path == "evidence" else world.business_unit)
    response = client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(body.size),
        **{"wsgi.input": body},
    )
    assert response.status_code == 413
    assert body.read_bytes == 0  # the view (which reads request.POST) never ran
    text = response.content.decode()
    assert "larger than this service accepts (12 MB)" in text
    if path.startswith("/api/"):
        assert response.json()["detail"].startswith("What you sent is larger")
    else:
        assert "govuk-heading-l" in text and "Nothing has been saved" in text
    assert not EvidenceItem.objects.exists()


@pytest.mark.django_db
def test_an_11_mb_evidence_file_is_refused_with_a_message_and_not_stored(
    client_for, world, action, stored_bytes
):
    big = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n" + b"0" * (11 * MB))
    response = client_for(world.users["agency_lead"]).post(
        reverse("actionplans:evidence_add", args=[action.pk]),
        {"evidence-kind": "file", "evidence-description": "Report", "evidence-file": big},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "The file must be smaller than 10 MB" in html
    assert not EvidenceItem.objects.exists()
    # The handler stopped storing the file once it passed 10 MB.
    assert stored_bytes["bytes"] <= 10 * MB


@pytest.mark.django_db
def test_a_file_of_exactly_10_mb_is_still_taken(client_for, world, action):
    pdf = b"%PDF-1.4\n" + b"0" * (10 * MB - 9)
    response = client_for(world.users["agency_lead"]).post(
        reverse("actionplans:evidence_add", args=[action.pk]),
        {
            "evidence-kind": "file",
            "evidence-description": "Report",
            "evidence-file": SimpleUploadedFile("report.pdf", pdf),
        },
    )
    assert response.status_code == 302
    assert EvidenceItem.objects.get().file.size == 10 * MB


@pytest.mark.django_db
def test_the_limit_follows_srh_max_request_mb(client_for, world, action, settings):
    settings.MAX_REQUEST_BYTES = 1 * MB
    response = client_for(world.users["agency_lead"]).post(
        reverse("actionplans:evidence_add", args=[action.pk]),
        {
            "evidence-kind": "file",
            "evidence-description": "Report",
            "evidence-file": SimpleUploadedFile("report.pdf", b"%PDF-1.4\n" + b"0" * (2 * MB)),
        },
    )
    assert response.status_code == 413
    assert not EvidenceItem.objects.exists()
