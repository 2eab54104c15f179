"""Benchmark: the scrutiny board report for one partnership-year of the national-scale data.

Builds the report's Document from the selectors and renders Word and PDF, several times, and
prints the median time of each step and of the whole (target: Word + PDF, from the database to
both files, in at most 2 s). Needs the data of `generate.py` on the database named by
DATABASE_URL (migrated first, as generate.py does). Exits non-zero on FAIL.

    .venv/bin/python bench/reports.py [--year 2024] [--partnership SLUG] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django  # noqa: E402

TARGET_SECONDS = 2.0


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
    from safeguarding.reports.render_docx import render_docx
    from safeguarding.reports.render_pdf import render_pdf
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
        charts.chart_png.cache_clear()
        charts.chart_svg.cache_clear()
        charts._figure.cache_clear()
        times = {}
        began = time.perf_counter()
        document = build_scrutiny_report(partnership=partnership, start=start, end=end)
        times["build"] = time.perf_counter() - began
        t = time.perf_counter()
        word = render_docx(document)
        times["word"] = time.perf_counter() - t
        t = time.perf_counter()
        pdf = render_pdf(document)
        times["pdf"] = time.perf_counter() - t
        times["total"] = time.perf_counter() - began
        once.files = (word, pdf)  # type: ignore[attr-defined]
        return times

    once()  # warm-up: imports, font caches, compiled queries
    runs, cpu = [], []
    for _ in range(args.repeat):
        c = time.process_time()
        runs.append(once())
        cpu.append(time.process_time() - c)
    word, pdf = once.files  # type: ignore[attr-defined]
    out = Path(args.out)
    (out / "bench-scrutiny.docx").write_bytes(word)
    (out / "bench-scrutiny.pdf").write_bytes(pdf)

    from io import BytesIO

    import pypdf

    pages = len(pypdf.PdfReader(BytesIO(pdf)).pages)
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    load = os.getloadavg()[0]
    print(f"{where}: {partnership.name} ({partnership.slug}), {start} to {end}")
    print(
        f"  median of {args.repeat}: build {median['build']:.2f} s, Word {median['word']:.2f} s, "
        f"PDF {median['pdf']:.2f} s ({pages} pages); Word + PDF from the database "
        f"{median['total']:.2f} s (CPU {statistics.median(cpu):.2f} s; load average {load:.1f})"
    )
    ok = median["total"] <= TARGET_SECONDS
    print(f"  {'PASS' if ok else 'FAIL'}: target {TARGET_SECONDS:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
