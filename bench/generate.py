"""Generate synthetic national-scale learning data for the benchmark.

At --scale 1: 150 partnerships, 10 years (2016-2025), about 20,000 reviews and 200,000 findings
with their agencies and theme tags. Rows are bulk-inserted (no history or audit rows: this is
load, not records), after migrating the database named by DATABASE_URL. The database must not
already hold benchmark data (use --fresh on SQLite to start from an empty file).

    .venv/bin/python bench/generate.py --scale 0.1
    DATABASE_URL=postgres://... .venv/bin/python bench/generate.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import setup_django  # noqa: E402

WORDS = (
    "school",
    "health",
    "visitor",
    "police",
    "social",
    "care",
    "father",
    "mother",
    "baby",
    "child",
    "home",
    "visit",
    "referral",
    "assessment",
    "risk",
    "plan",
    "appointment",
    "missed",
    "escalation",
    "concern",
    "strategy",
    "meeting",
    "record",
    "recorded",
    "shared",
    "information",
    "curiosity",
    "compliance",
    "agency",
    "housing",
    "bruise",
    "injury",
    "neglect",
    "domestic",
    "abuse",
    "bereavement",
    "pandemic",
    "support",
    "early",
    "help",
    "nursery",
    "midwife",
    "probation",
    "court",
    "disclosure",
    "sleep",
    "alcohol",
    "drugs",
    "mental",
    "health",
    "school",
    "attendance",
    "exploitation",
    "online",
)
KINDS = [("rapid_review", 50), ("cspr", 15), ("local_learning", 20), ("audit", 10), ("other", 5)]
AGENCIES = ["Children's services", "Health", "Police", "Schools", "Housing", "Probation"]
START, YEARS = dt.date(2016, 1, 1), 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = national scale")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument(
        "--fresh", action="store_true", help="delete the SQLite file first (SQLite only)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if args.fresh and (url.startswith("sqlite:") or not url):
        from common import DEFAULT_DB

        path = Path((url or DEFAULT_DB).replace("sqlite:///", "", 1))
        path.unlink(missing_ok=True)
    where = setup_django()

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = generate(scale=args.scale, rng=random.Random(args.seed))
    seconds = time.perf_counter() - started
    print(
        f"{where}: {counts['partnerships']} partnerships, {counts['reviews']} reviews, "
        f"{counts['findings']} findings, {counts['tags']} tags in {seconds:.0f} s"
    )


def generate(*, scale: float, rng: random.Random) -> dict[str, int]:
    from django.db import connection, transaction

    from safeguarding.accounts.models import Agency, Partnership
    from safeguarding.learning.models import (
        Finding,
        FindingTheme,
        LearningSettings,
        TaxonomyVersion,
        Theme,
        ThemeRevision,
    )
    from safeguarding.learning.taxonomy_defaults import DEFAULT_THEMES
    from safeguarding.reviews.models import Review

    if Partnership.objects.filter(slug__startswith="bench-").exists():
        raise SystemExit("This database already holds benchmark data; use a fresh one.")
    n_partnerships = max(2, round(150 * scale))
    n_reviews = max(20, round(20_000 * scale))
    counts = {"partnerships": n_partnerships, "reviews": 0, "findings": 0, "tags": 0}
    review_agency = Review.agencies.through
    finding_agency = Finding.agencies.through
    kinds, weights = zip(*KINDS, strict=True)
    days = (dt.date(START.year + YEARS, 1, 1) - START).days

    with transaction.atomic():
        partnerships = Partnership.objects.bulk_create(
            Partnership(name=f"Bench partnership {i}", slug=f"bench-{i}")
            for i in range(n_partnerships)
        )
        LearningSettings.objects.bulk_create(LearningSettings(partnership=p) for p in partnerships)
        versions = TaxonomyVersion.objects.bulk_create(
            TaxonomyVersion(partnership=p, number=1, summary="Benchmark") for p in partnerships
        )
        themes = Theme.objects.bulk_create(
            Theme(partnership=p, name=name, definition=d, keywords=k)
            for p in partnerships
            for name, (d, k) in DEFAULT_THEMES.items()
        )
        version_of = {v.partnership_id: v for v in versions}
        revisions = ThemeRevision.objects.bulk_create(
            ThemeRevision(
                theme=t,
                version=version_of[t.partnership_id],
                name=t.name,
                definition=t.definition,
                status="active",
            )
            for t in themes
        )
        agencies = Agency.objects.bulk_create(
            Agency(partnership=p, name=name) for p in partnerships for name in AGENCIES
        )
    themes_of: dict[int, list[tuple[int, int]]] = {}
    for theme, revision in zip(themes, revisions, strict=True):
        themes_of.setdefault(theme.partnership_id, []).append((theme.pk, revision.pk))
    agencies_of: dict[int, list[int]] = {}
    for agency in agencies:
        agencies_of.setdefault(agency.partnership_id, []).append(agency.pk)
    # Some themes are much commoner than others, as in real reviews.
    theme_weights = [1.0 / (i + 1) ** 0.7 for i in range(len(DEFAULT_THEMES))]

    chunk = 500
    for first in range(0, n_reviews, chunk):
        with transaction.atomic():
            reviews = []
            for _ in range(min(chunk, n_reviews - first)):
                partnership = rng.choice(partnerships)
                opened = START + dt.timedelta(days=rng.randrange(days))
                kind = rng.choices(kinds, weights)[0]
                reviews.append(
                    Review(
                        partnership=partnership,
                        kind=kind,
                        title="Benchmark review",
                        opened_on=opened,
                        commissioned_on=opened if kind in ("cspr", "local_learning") else None,
                    )
                )
            reviews = Review.objects.bulk_create(reviews)
            review_agency.objects.bulk_create(
                review_agency(review_id=r.pk, agency_id=a)
                for r in reviews
                for a in rng.sample(agencies_of[r.partnership_id], rng.randint(2, 4))
            )
            findings = []
            for r in reviews:
                for _ in range(rng.randint(5, 15)):
                    findings.append(
                        Finding(
                            partnership_id=r.partnership_id,
                            review_id=r.pk,
                            kind="good_practice" if rng.random() < 0.4 else "improvement",
                            text=" ".join(rng.choices(WORDS, k=rng.randint(12, 30))) + ".",
                        )
                    )
            findings = Finding.objects.bulk_create(findings, batch_size=2000)
            finding_agency.objects.bulk_create(
                (
                    finding_agency(finding_id=f.pk, agency_id=a)
                    for f in findings
                    for a in rng.sample(agencies_of[f.partnership_id], rng.randint(1, 2))
                ),
                batch_size=5000,
            )
            tags = []
            for f in findings:
                chosen = set(
                    rng.choices(themes_of[f.partnership_id], theme_weights, k=rng.randint(1, 3))
                )
                tags += [
                    FindingTheme(finding_id=f.pk, theme_id=t, revision_id=rev, counts_as_id=t)
                    for t, rev in chosen
                ]
            FindingTheme.objects.bulk_create(tags, batch_size=5000)
            counts["reviews"] += len(reviews)
            counts["findings"] += len(findings)
            counts["tags"] += len(tags)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics on both databases
    return counts


if __name__ == "__main__":
    main()
