"""Rendering documents in several formats at once, in two processes.

`render_all` is the one path that the generation task (`generation.run_generation`) and the
benchmark (`bench/reports.py`) both take. With ``fork`` available (Linux), it forks one child
that inherits the documents (built once, from the database, in the parent) and:

1. draws every chart once as PNG and sends each to the parent as soon as it is drawn;
2. renders its share of the files (the Word files first) and sends them back.

Meanwhile the parent renders its share (the PDF first), taking the charts' PNGs from the pipe
(`charts.png_source`) as its layout reaches them. Files are shared out by their expected cost,
the longest first.

The child never touches the database: its queries are refused, and it leaves with
``os._exit`` (multiprocessing), so the parent's connections are not closed under it. If the
child cannot start, fails or takes too long, the parent renders what is missing itself: the
result is the same bytes, only slower. ``REPORTS_PARALLEL_RENDER = False`` in the settings
turns the child off.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

from django.conf import settings
from django.db import connections

from safeguarding.reports import charts as chart_module
from safeguarding.reports.document import Chart, Document
from safeguarding.reports.render_pdf import document_charts

logger = logging.getLogger(__name__)

Job = tuple[str, str]  # (document key, format)
Renderer = Callable[[Document, str], bytes]

# Rough costs in seconds (an 18-page report, bench/README.md), for sharing files between the
# two processes: the charts (all of them), then each file.
COST = {"pdf": 0.4, "docx": 0.2, "html": 0.1}
CHART_COST = 0.5
# How long the parent waits for the child before doing its work itself.
CHILD_TIMEOUT_SECONDS = 120.0


class ChildFailed(Exception):
    """The child process did not deliver (it failed, died or took too long)."""


# Renders running in this process's threads. A fork copies only the forking thread: while
# another thread is inside Pango or matplotlib, their locks could be copied held, so then the
# child is not used (a threaded web server rendering two reports at once).
_active = 0
_active_lock = threading.Lock()


def _fork_available() -> bool:
    if not getattr(settings, "REPORTS_PARALLEL_RENDER", True):
        return False
    return "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def _rendering() -> Iterator[bool]:
    """Count this render; yields whether it is the only one in the process."""
    global _active
    with _active_lock:
        _active += 1
        alone = _active == 1
    try:
        yield alone
    finally:
        with _active_lock:
            _active -= 1


def _charts(documents: Mapping[str, Document]) -> list[Chart]:
    seen: dict[Chart, None] = {}
    for document in documents.values():
        for chart in document_charts(document):
            seen.setdefault(chart)
    return list(seen)


def share_out(jobs: Sequence[Job]) -> tuple[list[Job], list[Job]]:
    """(parent's jobs, child's jobs): longest first, each to the less loaded process. Both start
    loaded with the charts: the child draws them, and the parent's files wait for them."""
    loads = [CHART_COST, CHART_COST]
    lanes: tuple[list[Job], list[Job]] = ([], [])
    for job in sorted(jobs, key=lambda j: -COST.get(j[1], 1.0)):
        lane = 0 if loads[0] <= loads[1] else 1
        lanes[lane].append(job)
        loads[lane] += COST.get(job[1], 1.0)
    # Word files first in the child: they need the charts it has just drawn, not the PDF's.
    lanes[1].sort(key=lambda j: j[1] != "docx")
    return lanes


def _refuse_queries(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    raise RuntimeError("The report renderer's child process must not query the database")


@contextmanager
def _no_database() -> Iterator[None]:
    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(_refuse_queries))
        yield


def _child(
    conn: Any,
    documents: Mapping[str, Document],
    jobs: Sequence[Job],
    charts: Sequence[Chart],
    render: Renderer,
) -> None:
    try:
        with _no_database():
            for index, chart in enumerate(charts):
                conn.send(("chart", index, chart_module.chart_png(chart)))
            for job in jobs:
                conn.send(("file", job, render(documents[job[0]], job[1])))
        conn.send(("done", None, None))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which falls back
        conn.send(("error", None, f"{type(error).__name__}: {error}"))
    finally:
        conn.close()


class _Inbox:
    """What the child has sent so far, read by a thread as it comes (so the child never waits
    on a full pipe); the parent waits here when it needs something not yet sent."""

    def __init__(self, conn: Any, process: Any, charts: Sequence[Chart]) -> None:
        self.conn, self.process = conn, process
        self.index = {chart: i for i, chart in enumerate(charts)}
        self.pngs: dict[int, bytes] = {}
        self.files: dict[Job, bytes] = {}
        self.finished = False
        self.error = ""
        self.deadline = time.monotonic() + CHILD_TIMEOUT_SECONDS
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, name="report-render-inbox", daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                kind, key, payload = self.conn.recv()
            except (EOFError, OSError) as error:
                with self.changed:
                    self.error = self.error or f"the child process ended early ({error!r})"
                    self.changed.notify_all()
                return
            with self.changed:
                if kind == "chart":
                    self.pngs[key] = payload
                elif kind == "file":
                    self.files[key] = payload
                elif kind == "done":
                    self.finished = True
                else:
                    self.error = payload
                self.changed.notify_all()
            if kind in ("done", "error"):
                return

    @property
    def open(self) -> bool:
        return not self.finished and not self.error

    def _wait(self, ready: Callable[[], bool]) -> None:
        with self.changed:
            waited = self.changed.wait_for(
                lambda: ready() or not self.open, timeout=self.deadline - time.monotonic()
            )
            if not waited:
                self.error = self.error or "timed out"

    def png(self, chart: Chart) -> bytes | None:
        """The chart's PNG from the child, waiting for it if need be (None: draw it here)."""
        index = self.index.get(chart)
        if index is None:
            return None
        self._wait(lambda: index in self.pngs)
        return self.pngs.get(index)

    def finish(self) -> None:
        """Wait for the child's last file (or its failure, or the deadline), then clean up."""
        self._wait(lambda: False)
        self.abandon()

    def abandon(self) -> None:
        if self.process.is_alive() and not self.finished:
            self.process.kill()
        self.process.join(timeout=10)
        self.reader.join(timeout=10)
        self.conn.close()


def _render_sequentially(
    documents: Mapping[str, Document],
    jobs: Sequence[Job],
    render: Renderer,
    on_event: Callable[[str], None],
    files: dict[Job, bytes],
) -> None:
    for chart in _charts(documents):
        chart_module.chart_png(chart)
    on_event("charts")
    for job in sorted(jobs, key=lambda j: j[1] != "docx"):
        if job not in files:
            files[job] = render(documents[job[0]], job[1])
    on_event("docx")


def render_all(
    documents: Mapping[str, Document],
    formats: Sequence[str],
    *,
    render: Renderer,
    on_event: Callable[[str], None] | None = None,
    parallel: bool | None = None,
) -> dict[Job, bytes]:
    """Every document in every format: ``{(key, format): bytes}``.

    ``render(document, format)`` renders one file. ``on_event`` hears ``"charts"`` once the
    charts are drawn and ``"docx"`` once the Word files are written, in that order, from the
    parent's thread (between files, never inside a renderer).
    """
    jobs = [(key, fmt) for key in documents for fmt in formats]
    heard: list[str] = []

    def event(name: str) -> None:
        if name not in heard:
            heard.append(name)
            if on_event is not None:
                on_event(name)

    files: dict[Job, bytes] = {}
    with _rendering() as alone:
        if parallel is None:
            parallel = _fork_available() and len(jobs) > 1 and alone
        if parallel:
            try:
                _render_in_two(documents, jobs, render, event, files)
            except ChildFailed as failure:
                logger.warning("Rendering in one process after the child failed: %s", failure)
        if any(job not in files for job in jobs):
            _render_sequentially(documents, jobs, render, event, files)  # what is left
    event("charts")
    event("docx")
    return {job: files[job] for job in jobs}


def _render_in_two(
    documents: Mapping[str, Document],
    jobs: Sequence[Job],
    render: Renderer,
    event: Callable[[str], None],
    files: dict[Job, bytes],
) -> None:
    charts = _charts(documents)
    mine, theirs = share_out(jobs)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sender, documents, theirs, charts, render), name="report-render"
    )
    try:
        process.start()
    except (OSError, AssertionError) as error:  # e.g. no fork in a daemonic process
        receiver.close()
        sender.close()
        raise ChildFailed(f"could not start: {error!r}") from error
    sender.close()
    inbox = _Inbox(receiver, process, charts)

    def progress() -> None:
        if len(inbox.pngs) == len(charts):
            event("charts")
            if all(job in files or job in inbox.files for job in jobs if job[1] == "docx"):
                event("docx")

    try:
        with chart_module.png_source(inbox.png):
            for job in mine:
                progress()
                files[job] = render(documents[job[0]], job[1])
                progress()
    except BaseException:
        inbox.abandon()  # the parent failed: the version fails, whatever the child does
        raise
    inbox.finish()
    files.update(inbox.files)
    if inbox.error:
        raise ChildFailed(inbox.error)
