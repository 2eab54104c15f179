"""Where evidence files live: under MEDIA_ROOT (var/media when it is not set), never served.

The files are not static files and have no public address: `url()` refuses, and the only way
to fetch one is the access-checked download view, which streams it to a user who may see the
action.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class EvidenceStorage(FileSystemStorage):
    @cached_property
    def base_location(self) -> Any:
        # Read lazily, so a test's MEDIA_ROOT override (and its reset) takes effect.
        return self._value_or_setting(
            self._location,  # type: ignore[attr-defined]
            settings.MEDIA_ROOT or settings.BASE_DIR / "var" / "media",
        )

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Evidence files are served only through the download view.")


_storage = EvidenceStorage()


def evidence_storage() -> EvidenceStorage:
    return _storage
