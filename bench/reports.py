"""Benchmark: the scrutiny board report for one partnership-year of the national-scale data.

Builds the report's Document from the selectors and renders Word and PDF through the
generation task's own path (`generation.render_files`: charts drawn once, Word and PDF in two
processes), several times, and prints the median time of each step and of the whole (target:
Word + PDF, from the database to both files, in at most 2 s), then each part alone. Needs
the data of `generate.py` on the database named by DATABASE_URL (migrated first, as
generate.py does). Exits non-zero on FAIL.

    .venv/bin/python bench/reports.py [--year 2024] [--partnership SLUG] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django  # noqa: E402

TARGET_SECONDS = 2.0


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the rendering child, once joined)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--partnership", default="", help="slug (default: the busiest)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--out", default=tempfile.gettempdir(), help="where to write the last Word and PDF"
    )
    args = parser.parse_args()
    where = setup_django()

    from django.core.management import call_command
    from django.db.models import Count

    from safeguarding.accounts.models import Partnership
    from safeguarding.reports import charts
    from safeguarding.reports.generation import render, render_files
    from safeguarding.reports.render_pdf import document_charts
    from safeguarding.reports.scrutiny import build_scrutiny_report

    call_command("migrate", verbosity=0)
    start, end = dt.date(args.year, 1, 1), dt.date(args.year, 12, 31)
    partnerships = Partnership.objects.filter(slug__startswith="bench-")
    if args.partnership:
        partnerships = Partnership.objects.filter(slug=args.partnership)
    partnership = partnerships.annotate(n=Count("findings")).order_by("-n", "slug").first()
    if partnership is None:
        print("No benchmark data: run bench/generate.py first.")
        return 2

    def once() -> dict[str, float]:
        # Charts are cached per process; a real request draws them afresh.
        charts.clear_caches()
        times = {}
        began, cpu_began = time.perf_counter(), time.process_time()
        document = build_scrutiny_report(partnership=partnership, start=start, end=end)
        times["build"] = time.perf_counter() - began
        times["build_cpu"] = time.process_time() - cpu_began
        t, c, child = time.perf_counter(), time.process_time(), _children_cpu()
        # The generation task's own path: charts drawn once, Word and PDF in two processes.
        files = render_files({"report": document}, ("docx", "pdf"))
        times["files"] = time.perf_counter() - t
        times["total"] = time.perf_counter() - began
        # CPU seconds of each process while rendering: on an idle 2-core machine the wall
        # time is about the build plus the longer of the two.
        times["parent_cpu"] = time.process_time() - c
        times["child_cpu"] = _children_cpu() - child
        once.files = (files[("report", "docx")], files[("report", "pdf")])  # type: ignore[attr-defined]
        once.document = document  # type: ignore[attr-defined]
        return times

    def parts(document: object) -> dict[str, float]:
        """Each part alone, one after the other, in this process (for where the time goes)."""
        charts.clear_caches()
        times = {}
        t, c = time.perf_counter(), time.process_time()
        for chart in document_charts(document):  # type: ignore[arg-type]
            charts.chart_png(chart)
        times["charts"], times["charts_cpu"] = time.perf_counter() - t, time.process_time() - c
        for fmt, name in (("docx", "word"), ("pdf", "pdf")):
            t, c = time.perf_counter(), time.process_time()
            render(document, fmt)  # type: ignore[arg-type]
            times[name], times[f"{name}_cpu"] = time.perf_counter() - t, time.process_time() - c
        return times

    once()  # warm-up: imports, font caches, compiled queries
    runs = [once() for _ in range(args.repeat)]
    word, pdf = once.files  # type: ignore[attr-defined]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench-scrutiny.docx").write_bytes(word)
    (out / "bench-scrutiny.pdf").write_bytes(pdf)
    part_runs = [parts(once.document) for _ in range(args.repeat)]  # type: ignore[attr-defined]

    from io import BytesIO

    import pypdf

    pages = len(pypdf.PdfReader(BytesIO(pdf)).pages)
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    part = {k: statistics.median(r[k] for r in part_runs) for k in part_runs[0]}
    load = os.getloadavg()[0]
    print(f"{where}: {partnership.name} ({partnership.slug}), {start} to {end}")
    print(
        f"  median of {args.repeat}: build {median['build']:.2f} s, Word and PDF side by side "
        f"{median['files']:.2f} s ({pages} pages, {len(word) // 1024} KB Word, "
        f"{len(pdf) // 1024} KB PDF); Word + PDF from the database {median['total']:.2f} s "
        f"(load average {load:.1f})"
    )
    critical = median["build_cpu"] + max(median["parent_cpu"], median["child_cpu"])
    print(
        f"  CPU: build {median['build_cpu']:.2f} s, then parent (PDF) "
        f"{median['parent_cpu']:.2f} s and child (charts, Word) {median['child_cpu']:.2f} s "
        f"side by side: {critical:.2f} s on the longer path (the wall time with a core each)"
    )
    print(
        f"  each part alone, one after the other (median of {args.repeat}): charts "
        f"{part['charts']:.2f} s, Word {part['word']:.2f} s, PDF {part['pdf']:.2f} s "
        f"(CPU {part['charts_cpu']:.2f} s, {part['word_cpu']:.2f} s, {part['pdf_cpu']:.2f} s)"
    )
    ok = median["total"] <= TARGET_SECONDS
    print(f"  {'PASS' if ok else 'FAIL'}: target {TARGET_SECONDS:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
