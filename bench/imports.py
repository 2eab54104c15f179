"""Benchmark: importing a 10,000-row spreadsheet. Targets: at most 10 s and 200 MB peak memory.

Generates a file of fictional rows in a temporary directory, imports it into a throwaway
database (a fresh SQLite file in the same directory, or the PostgreSQL named by DATABASE_URL)
through the same service as the import page, then prints the time and the peak memory next to
the targets. Exits non-zero on FAIL.

    .venv/bin/python bench/imports.py [--rows 10000] [--type cases] [--format csv|xlsx]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_SECONDS = 10.0
TARGET_MB = 200.0


def _rows(kind: str, n: int) -> list[list[str]]:
    sexes = ["Female", "Male", "Not known"]
    outcomes = ["Seriously harmed", "Died", "Other"]
    if kind == "cases":
        return [
            [
                f"Bench child {i:05d}",
                str(i % 18),
                sexes[i % 3],
                "Not known",
                "No",
                outcomes[i % 3],
                "Neglect",
                f"20{20 + i % 5}-0{1 + i % 9}-1{i % 9}",
                "Police; Schools" if i % 2 else "Children's services",
            ]
            for i in range(n)
        ]
    if kind == "findings":
        return [
            [
                "Bench review",
                "2024-01-10",
                "Good practice" if i % 2 else "Area for improvement",
                f"Fictional benchmark finding number {i}.",
                "Professional curiosity; Escalation" if i % 3 else "Domestic abuse",
                "Police",
                "",
            ]
            for i in range(n)
        ]
    raise SystemExit(f"--type {kind} is not benchmarked")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--type", dest="kind", default="cases", choices=("cases", "findings"))
    parser.add_argument("--format", dest="fmt", default="csv", choices=("csv", "xlsx"))
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also count Python allocations (slows the import down by about half)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="srh-import-bench-") as tmp:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        from common import setup_django

        where = setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)

        from safeguarding.accounts.services import agency_create, partnership_create
        from safeguarding.core.exports import csv_bytes, xlsx_bytes
        from safeguarding.imports.schema import headings
        from safeguarding.imports.services import records_import
        from safeguarding.reviews.services import review_create

        slug = f"bench-import-{int(time.time())}"
        partnership = partnership_create(actor=None, name="Benchmark (fictional)", slug=slug)
        for name in ("Police", "Schools", "Children's services"):
            agency_create(actor=None, partnership=partnership, name=name)
        if args.kind == "findings":
            review_create(
                actor=None,
                partnership=partnership,
                kind="local_learning",
                title="Bench review",
                opened_on=__import__("datetime").date(2024, 1, 10),
            )
        rows = _rows(args.kind, args.rows)
        if args.fmt == "csv":
            data = csv_bytes(headings(args.kind), rows)
        else:
            data = xlsx_bytes({"Import": (headings(args.kind), rows)})
        path = Path(tmp) / f"{args.kind}.{args.fmt}"
        path.write_bytes(data)
        del rows, data

        rss_before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if args.tracemalloc:
            tracemalloc.start()
        started, cpu_started = time.perf_counter(), time.process_time()
        report = records_import(
            actor=None,
            partnership=partnership,
            record_type=args.kind,
            data=path.read_bytes(),
            file_name=path.name,
        )
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else 0
        tracemalloc.stop()
        size = path.stat().st_size
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    peak_mb = peak / 1024 / 1024
    print(f"database: {where}")
    print(f"file: {args.rows:,} rows of {args.kind}, {args.fmt.upper()}, {size / 1024:.0f} KB")
    print(f"written: {report.written:,}; problems: {len(report.errors)}")
    ok_time = seconds <= TARGET_SECONDS
    ok_mem = rss_mb <= TARGET_MB and peak_mb <= TARGET_MB
    print(
        f"time: {seconds:.2f} s (target <= {TARGET_SECONDS:.0f} s) {'PASS' if ok_time else 'FAIL'}"
        f"; CPU time of this process {cpu:.2f} s (a database server's is not counted)"
    )
    print(
        f"peak memory: {rss_mb:.0f} MB process peak RSS, of which {rss_mb - rss_before_mb:.0f} MB "
        f"during the import (target <= {TARGET_MB:.0f} MB) {'PASS' if ok_mem else 'FAIL'}"
    )
    if args.tracemalloc:
        print(f"Python allocations at the peak (tracemalloc): {peak_mb:.1f} MB")
    return 0 if report.ok and report.written == args.rows and ok_time and ok_mem else 1


if __name__ == "__main__":
    raise SystemExit(main())
