"""Benchmark: importing a 10,000-row spreadsheet. Targets: at most 10 s and 200 MB peak memory.

Generates a file of fictional rows in a temporary directory, imports it into a throwaway
database (a fresh SQLite file in the same directory, or the PostgreSQL named by DATABASE_URL)
through the same service as the import page (bulk writes; `--row-by-row` for the pages'
one-record-at-a-time services), then prints the time and the peak memory next to the targets.
`--type all` runs each record type in a process of its own (peak memory is per process) and
prints them side by side with the baseline measured before the bulk writes. Exits non-zero on
FAIL.

    .venv/bin/python bench/imports.py [--rows 10000] [--type cases|reviews|findings|actions|all]
                                      [--format csv|xlsx] [--row-by-row] [--tracemalloc]
                                      [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

TARGET_SECONDS = 10.0
TARGET_MB = 200.0
TYPES = ("cases", "reviews", "findings", "actions")
# Before the bulk writes (26 November 2026, SQLite, 10,000 rows, CSV): see bench/README.md.
BASELINE = {
    "cases": "8.5-9 s, 140-157 MB (bulk)",
    "reviews": "row by row (not timed at 10,000)",
    "findings": "~110 s (11 ms/row, row by row)",
    "actions": "row by row (not timed at 10,000)",
}
REVIEW_KINDS = (
    "Rapid review",
    "Child safeguarding practice review",
    "Local learning review",
    "Multi-agency audit",
)


def _date(i: int, year: int = 2020) -> str:
    return f"{year + i % 5}-0{1 + i % 9}-1{i % 9}"


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
                _date(i),
                "Police; Schools" if i % 2 else "Children's services",
            ]
            for i in range(n)
        ]
    if kind == "reviews":
        rows = []
        for i in range(n):
            rapid, cspr = i % 4 == 0, i % 4 == 1
            opened = _date(i)
            rows.append(
                [
                    REVIEW_KINDS[i % 4],
                    f"Bench review {i:05d}",
                    opened,
                    f"Case {i % 500:03d}" if rapid or cspr else "",
                    "Completed" if i % 4 == 2 else "",
                    opened.replace("-1", "-2", 1) if i % 4 == 2 else "",
                    "Police; Schools" if i % 3 else "",
                    "No further review" if rapid else "",
                    opened if rapid else "",
                    opened if rapid else "",
                    opened if cspr else "",
                    "Independent reviewer" if cspr else "",
                    "",
                ]
            )
        return rows
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
    if kind == "actions":
        statuses = ("Not started", "In progress", "Completed")
        return [
            [
                f"Bench action {i:05d}",
                "Police" if i % 2 else "Schools",
                "Safeguarding lead",
                "2024-02-01",
                "2024-06-01",
                statuses[i % 3],
                "2024-05-01" if i % 3 == 2 else "",
                "Attendance list seen" if i % 3 == 2 else "",
                "",
                "Bench review" if i % 2 else "",
                "2024-01-10" if i % 2 else "",
                "Escalation" if i % 5 == 0 else "",
            ]
            for i in range(n)
        ]
    raise SystemExit(f"--type {kind} is not benchmarked")


def _prepare(kind: str, partnership: Any) -> None:
    """What the file refers to: agencies (always), cases for reviews, a review for findings and
    actions."""
    from safeguarding.accounts.services import agency_create
    from safeguarding.reviews.services import cases_create_many, review_create

    for name in ("Police", "Schools", "Children's services"):
        agency_create(actor=None, partnership=partnership, name=name)
    if kind == "reviews":
        cases_create_many(
            actor=None,
            partnership=partnership,
            cases=[({"reference": f"Case {i:03d}", "outcome": "other"}, []) for i in range(500)],
        )
    if kind in ("findings", "actions"):
        review_create(
            actor=None,
            partnership=partnership,
            kind="local_learning",
            title="Bench review",
            opened_on=dt.date(2024, 1, 10),
        )


def run_one(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="srh-import-bench-") as tmp:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        # As in production: DEBUG keeps every statement's SQL in memory and formats it.
        os.environ.setdefault("SRH_DEBUG", "0")
        from common import setup_django

        where = setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)

        from safeguarding.accounts.services import partnership_create
        from safeguarding.core.exports import csv_bytes, xlsx_bytes
        from safeguarding.imports.schema import headings
        from safeguarding.imports.services import records_import

        slug = f"bench-import-{int(time.time() * 1000)}"
        partnership = partnership_create(actor=None, name="Benchmark (fictional)", slug=slug)
        _prepare(args.kind, partnership)
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
        profile = cProfile.Profile() if args.profile else None
        started, cpu_started = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        report = records_import(
            actor=None,
            partnership=partnership,
            record_type=args.kind,
            data=path.read_bytes(),
            file_name=path.name,
            bulk=not args.row_by_row,
        )
        if profile:
            profile.disable()
            pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else 0
        tracemalloc.stop()
        return {
            "where": where,
            "kind": args.kind,
            "rows": args.rows,
            "format": args.fmt,
            "size_kb": path.stat().st_size / 1024,
            "written": report.written,
            "problems": [list(map(str, (e.row, e.column, e.reason))) for e in report.errors[:5]],
            "seconds": seconds,
            "cpu": cpu,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "rss_before_mb": rss_before_mb,
            "traced_mb": peak / 1024 / 1024,
            "row_by_row": args.row_by_row,
        }


def _verdict(result: dict[str, Any], args: argparse.Namespace) -> tuple[bool, bool, bool]:
    ok_time = result["seconds"] <= TARGET_SECONDS
    ok_mem = result["rss_mb"] <= TARGET_MB and result["traced_mb"] <= TARGET_MB
    ok = not result["problems"] and result["written"] == args.rows
    return ok, ok_time, ok_mem


def _print_one(result: dict[str, Any], args: argparse.Namespace) -> int:
    ok, ok_time, ok_mem = _verdict(result, args)
    how = "row by row" if result["row_by_row"] else "bulk"
    print(f"database: {result['where']}")
    print(
        f"file: {result['rows']:,} rows of {result['kind']}, {result['format'].upper()}, "
        f"{result['size_kb']:.0f} KB; written {how}"
    )
    print(f"written: {result['written']:,}; problems: {result['problems'] or 'none'}")
    print(
        f"time: {result['seconds']:.2f} s (target <= {TARGET_SECONDS:.0f} s) "
        f"{'PASS' if ok_time else 'FAIL'}; CPU time of this process {result['cpu']:.2f} s "
        "(a database server's is not counted)"
    )
    print(
        f"peak memory: {result['rss_mb']:.0f} MB process peak RSS, of which "
        f"{result['rss_mb'] - result['rss_before_mb']:.0f} MB during the import "
        f"(target <= {TARGET_MB:.0f} MB) {'PASS' if ok_mem else 'FAIL'}"
    )
    if args.tracemalloc:
        print(f"Python allocations at the peak (tracemalloc): {result['traced_mb']:.1f} MB")
    print(f"baseline before the bulk writes: {BASELINE[result['kind']]}")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0 if ok and ok_time and ok_mem else 1


def _run_all(args: argparse.Namespace) -> int:
    """Each type in a process of its own, then one table."""
    results = []
    for kind in TYPES:
        command = [sys.executable, __file__, "--type", kind, "--rows", str(args.rows)]
        command += ["--format", args.fmt, "--json"]
        command += ["--row-by-row"] if args.row_by_row else []
        command += ["--tracemalloc"] if args.tracemalloc else []
        command += ["--profile"] if args.profile else []
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if not lines:
            print(done.stdout, done.stderr, file=sys.stderr)
            return 1
        results.append(json.loads(lines[-1]))
    print(f"database: {results[0]['where']}; {args.rows:,} rows, {args.fmt.upper()}, ", end="")
    print("row by row" if args.row_by_row else "bulk writes")
    header = f"{'type':<9} {'time':>8} {'CPU':>8} {'peak RSS':>9} {'import':>8}  verdict  baseline"
    print(header)
    print("-" * len(header))
    failed = 0
    for r in results:
        ok, ok_time, ok_mem = _verdict(r, args)
        verdict = "PASS" if ok and ok_time and ok_mem else "FAIL"
        failed += verdict == "FAIL"
        print(
            f"{r['kind']:<9} {r['seconds']:>6.2f} s {r['cpu']:>6.2f} s "
            f"{r['rss_mb']:>6.0f} MB {r['rss_mb'] - r['rss_before_mb']:>5.0f} MB  {verdict:<7}  "
            f"{BASELINE[r['kind']]}"
        )
        if r["problems"] or r["written"] != args.rows:
            print(f"  written {r['written']:,}; problems {r['problems']}")
    print(f"targets: <= {TARGET_SECONDS:.0f} s and <= {TARGET_MB:.0f} MB peak, each type")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--type", dest="kind", default="cases", choices=(*TYPES, "all"))
    parser.add_argument("--format", dest="fmt", default="csv", choices=("csv", "xlsx"))
    parser.add_argument(
        "--row-by-row",
        action="store_true",
        help="write through the pages' one-record-at-a-time services (the old path)",
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also count Python allocations (slows the import down by about half)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="print cProfile's top functions (stderr)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    args = parser.parse_args()
    if args.kind == "all":
        return _run_all(args)
    result = run_one(args)
    if args.json:
        print(json.dumps(result))
        return 0
    return _print_one(result, args)


if __name__ == "__main__":
    raise SystemExit(main())
