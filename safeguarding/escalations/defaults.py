"""The default Concerns Resolution Process every new partnership starts with.

Plain data (no models) so the data migration can use it too. Each partnership changes its own
stages and limits on the stages page; these are only the starting point.
"""

from __future__ import annotations

# (name, working-day limit, who is involved)
DEFAULT_STAGES: tuple[tuple[str, int, str], ...] = (
    (
        "Practitioner to practitioner",
        3,
        "The practitioner raises the concern directly with the practitioner in the other agency.",
    ),
    (
        "Manager to manager",
        5,
        "Each practitioner's line manager discusses the concern with the other.",
    ),
    (
        "Senior managers or safeguarding leads",
        5,
        "Senior managers or the named safeguarding leads of both agencies meet or speak.",
    ),
    (
        "Independently chaired partnership meeting",
        10,
        "The partnership convenes a meeting with an independent chair to decide the matter.",
    ),
)

STAGE_RULE_NAME = "Escalation stage"
STAGE_RULE_LENGTH = 5  # shown on the settings page; each stage's own limit is what counts
STAGE_RULE_DUE_SOON = 1
STAGE_RULE_GUIDANCE = (
    "The partnership's Concerns Resolution Process. Each stage has its own limit in working "
    "days, set on the escalation stages page; the limit counts from the day the stage began."
)
