"""Reads for the reports pages: the history of issued versions, their downloads and progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from safeguarding.accounts import access
from safeguarding.reports.generation import period_label, steps_for
from safeguarding.reports.models import (
    FileFormat,
    Generation,
    Rendition,
    Report,
    ReportFile,
    ReportKind,
    ReportVersion,
)

_FORMAT_ORDER = [FileFormat.DOCX, FileFormat.PDF, FileFormat.HTML]


@dataclass(frozen=True)
class Download:
    label: str
    url: str
    rendition: str
    format: str
    format_label: str
    size: int


def _files() -> Prefetch:
    # The file contents stay in the database until downloaded.
    return Prefetch(
        "files", queryset=ReportFile.objects.only("id", "version_id", "rendition", "format", "size")
    )


def history(*, user: Any, report: Report | None = None) -> QuerySet[ReportVersion]:
    """Issued versions the user may see, newest first, with their report and issuer."""
    versions = access.get_report_versions_for_user(user)
    if report is not None:
        versions = versions.filter(report=report)
    return versions.select_related("report", "issued_by", "published_by").prefetch_related(_files())


def downloads(*, user: Any, version: ReportVersion) -> list[Download]:
    """The files of a version the user may download, public rendition first."""
    allowed = access.renditions_for_user(user, version)
    files = [f for f in version.files.all() if f.rendition in allowed]
    files.sort(
        key=lambda f: (f.rendition != Rendition.PUBLIC, _FORMAT_ORDER.index(FileFormat(f.format)))
    )
    several = len({f.rendition for f in files}) > 1
    draft = " (draft)" if version.report.kind == ReportKind.BRIEF else " (draft, full figures)"
    result = []
    for f in files:
        label = f.get_format_display()
        if several:
            label += " (public)" if f.rendition == Rendition.PUBLIC else draft
        result.append(
            Download(
                label=label,
                url=reverse("reports:download", args=[version.pk, f.rendition, f.format]),
                rendition=f.rendition,
                format=f.format,
                format_label=f.get_format_display(),
                size=f.size,
            )
        )
    return result


def with_downloads(*, user: Any, versions: QuerySet[ReportVersion]) -> list[ReportVersion]:
    """The versions, each with `.download_groups` for the user (for the history table): the
    downloads grouped by rendition, as ("Public", [...]) and ("Draft", [...])."""
    rows = list(versions)
    for version in rows:
        groups: dict[str, list[Download]] = {}
        for d in downloads(user=user, version=version):
            name = "Public" if d.rendition == Rendition.PUBLIC else "Draft"
            groups.setdefault(name, []).append(d)
        version.download_groups = list(groups.items())  # type: ignore[attr-defined]
    return rows


def progress(version: ReportVersion) -> dict[str, Any]:
    """What the progress page shows: each step, the current one and whether it is finished."""
    labels = steps_for(version.report.kind)
    done = version.generation == Generation.DONE
    steps = []
    for number, label in enumerate(labels, start=1):
        if done or number < version.step:
            state = "done"
        elif number == version.step and version.generation == Generation.RUNNING:
            state = "running"
        else:
            state = "waiting"
        steps.append({"number": number, "label": label, "state": state})
    if done:
        message = "Finished: the version is ready to download"
    elif version.generation == Generation.FAILED:
        message = "The report could not be generated. Try again, or tell the system's support."
    elif version.generation == Generation.RUNNING and version.step:
        message = f"Step {version.step} of {len(labels)}: {labels[version.step - 1]}"
    else:
        message = "Waiting to start"
    return {
        "generation": version.generation,
        "finished": version.generation in (Generation.DONE, Generation.FAILED),
        "step": version.step,
        "steps": steps,
        "total": len(labels),
        "message": message,
    }


def version_period(version: ReportVersion) -> str:
    return period_label(version.period_start, version.period_end)
