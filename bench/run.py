"""Time the cross-cutting analysis against the same aggregate written as raw SQL.

For one partnership and for all partnerships, over the last two years of the generated data:
the ORM selector `theme_counts` (what the page, the command and the exports use) next to one
hand-written SQL statement computing the same figures, on the database named by DATABASE_URL.
Prints the medians and the ratio (target: at most 1.5), checks both give the same numbers, and
also times the whole analysis (summary, pairs, matrix, trend) for reference.

    .venv/bin/python bench/run.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django  # noqa: E402

PERIOD = (dt.date(2024, 1, 1), dt.date(2025, 12, 31))
TARGET = 1.5

RAW = """
SELECT ft.counts_as_id,
       COUNT(DISTINCT f.review_id),
       COUNT(DISTINCT CASE WHEN f.kind = 'good_practice' THEN f.review_id END),
       COUNT(DISTINCT CASE WHEN f.kind = 'improvement' THEN f.review_id END),
       COUNT(DISTINCT f.id),
       COUNT(DISTINCT CASE WHEN f.kind = 'good_practice' THEN f.id END),
       COUNT(DISTINCT CASE WHEN f.kind = 'improvement' THEN f.id END)
FROM learning_findingtheme ft
JOIN learning_finding f ON f.id = ft.finding_id
JOIN reviews_review r ON r.id = f.review_id
WHERE f.withdrawn_at IS NULL
  {partnership}
  AND COALESCE(r.commissioned_on, r.opened_on) >= %s
  AND COALESCE(r.commissioned_on, r.opened_on) <= %s
GROUP BY ft.counts_as_id
ORDER BY ft.counts_as_id
"""


def median_seconds(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    result = fn()  # warm-up: caches, statement preparation
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def paired(
    a: Callable[[], Any], b: Callable[[], Any], repeat: int
) -> tuple[float, Any, float, Any]:
    """Median times of a and b, run in turns so that a busy machine slows both alike."""
    ra, rb = a(), b()
    ta, tb = [], []
    for _ in range(repeat):
        for fn, times in ((a, ta), (b, tb)):
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
            if fn is a:
                ra = result
            else:
                rb = result
    return statistics.median(ta), ra, statistics.median(tb), rb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    where = setup_django()

    from django.db import connection

    from safeguarding.accounts.models import Partnership
    from safeguarding.learning.analysis import Scope, theme_analysis, theme_counts
    from safeguarding.learning.models import Finding

    partnership = Partnership.objects.filter(slug__startswith="bench-").order_by("pk").first()
    if partnership is None:
        raise SystemExit("No benchmark data: run bench/generate.py first.")
    print(
        f"{connection.vendor} ({where}): {Finding.objects.count():,} findings in "
        f"{Partnership.objects.count()} partnerships; period {PERIOD[0]} to {PERIOD[1]}"
    )
    ok = True
    for label, chosen in (("one partnership", partnership), ("all partnerships", None)):
        scope = Scope(partnership=chosen, start=PERIOD[0], end=PERIOD[1])
        sql = RAW.format(partnership="AND f.partnership_id = %s" if chosen else "")
        params = ([chosen.pk] if chosen else []) + list(PERIOD)

        def raw(sql: str = sql, params: list[Any] = params) -> list[tuple[Any, ...]]:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        def orm(scope: Scope = scope) -> list[dict[str, Any]]:
            return theme_counts(scope)

        # All partnerships takes seconds a run at national scale: fewer turns keep it short.
        turns = args.repeat if chosen else max(3, args.repeat // 3)
        orm_s, orm_rows, raw_s, raw_rows = paired(orm, raw, turns)
        same = [tuple(r.values()) for r in orm_rows] == [tuple(r) for r in raw_rows]
        ratio = orm_s / raw_s
        ok = ok and same and ratio <= TARGET
        if chosen:
            full_s, _ = median_seconds(lambda scope=scope: theme_analysis(scope), 3)
        else:  # seconds at national scale: one run is enough for a reference figure
            started = time.perf_counter()
            theme_analysis(scope)
            full_s = time.perf_counter() - started
        print(
            f"  {label}: ORM {orm_s * 1000:.1f} ms, raw SQL {raw_s * 1000:.1f} ms, "
            f"ratio {ratio:.2f} (target <= {TARGET}){'' if same else ' RESULTS DIFFER'}; "
            f"{len(raw_rows)} theme rows; whole analysis {full_s * 1000:.0f} ms"
        )
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
