"""The demo partnership's incidents and reviews: fictional children, written by us.

Between 1 May 2021 and 31 December 2022 they reproduce the figures of section 3 of the seed
report (11 rapid reviews; ages 2 / 5 / 3 / 1 across the bands; 5 male, 6 female; 3 died,
8 seriously harmed; 4 CSPRs commissioned; 3 local learning reviews). Records before and after
that period, and some running now, make the period filter and the dashboard matter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

D = dt.date


@dataclass(frozen=True)
class DemoCase:
    reference: str
    age: int
    sex: str
    outcome: str
    category: str
    aware: dt.date
    notified: dt.date | None
    decision: str  # cspr / local_learning / no_further / "" (not decided yet)
    decision_on: dt.date | None
    sent_to_panel: dt.date | None
    agencies: tuple[str, ...]  # short names
    facts: str
    follow_up_done: dt.date | None = None  # CSPR or local review completed
    published: dt.date | None = None
    pause: tuple[dt.date, dt.date | None, str] | None = None
    panel_agreed: str = "agreed"


# The seed's period: 1 May 2021 to 31 December 2022.
IN_PERIOD: tuple[DemoCase, ...] = (
    DemoCase(
        "Child A",
        0,
        "male",
        "died",
        "physical",
        D(2021, 5, 10),
        D(2021, 5, 13),
        "cspr",
        D(2021, 5, 27),
        D(2021, 5, 28),
        ("LA", "ICB", "Police", "Hospital"),
        "A baby of ten weeks was brought to hospital unresponsive and later died. Injuries "
        "of different ages were found.",
        D(2021, 12, 10),
        D(2022, 3, 14),
    ),
    DemoCase(
        "Child B",
        3,
        "female",
        "seriously_harmed",
        "neglect",
        D(2021, 6, 14),
        D(2021, 6, 17),
        "local_learning",
        D(2021, 7, 1),
        D(2021, 7, 2),
        ("LA", "ICB", "Education", "Housing"),
        "A three-year-old was found alone at home in poor conditions and was admitted "
        "to hospital malnourished.",
        D(2021, 11, 26),
    ),
    DemoCase(
        "Child C",
        7,
        "female",
        "seriously_harmed",
        "sexual",
        D(2021, 7, 19),
        D(2021, 7, 22),
        "no_further",
        D(2021, 8, 6),
        D(2021, 8, 9),
        ("LA", "Police", "Education"),
        "A seven-year-old disclosed sexual abuse by a family friend to a teacher.",
    ),
    DemoCase(
        "Child D",
        1,
        "male",
        "seriously_harmed",
        "physical",
        D(2021, 9, 6),
        D(2021, 9, 9),
        "cspr",
        D(2021, 9, 24),
        D(2021, 9, 27),
        ("LA", "ICB", "Police", "Hospital", "Probation"),
        "A one-year-old suffered a skull fracture; a parent's partner was a registered "
        "sex offender known to some agencies.",
        D(2022, 2, 25),
        D(2022, 5, 9),
    ),
    DemoCase(
        "Child E",
        14,
        "female",
        "died",
        "multiple",
        D(2021, 10, 18),
        D(2021, 10, 25),
        "no_further",
        D(2021, 11, 5),
        D(2021, 11, 8),
        ("LA", "ICB", "Education", "Police"),
        "A fourteen-year-old died after a long period of self-neglect and missed "
        "health appointments during the pandemic.",
    ),
    DemoCase(
        "Child F",
        4,
        "female",
        "seriously_harmed",
        "neglect",
        D(2021, 12, 6),
        D(2021, 12, 9),
        "local_learning",
        D(2021, 12, 22),
        D(2022, 1, 6),
        ("LA", "ICB", "Early Help"),
        "A four-year-old with complex health needs became seriously unwell while staying "
        "with relatives out of the area.",
        D(2022, 6, 17),
    ),
    DemoCase(
        "Child G",
        0,
        "female",
        "seriously_harmed",
        "physical",
        D(2022, 2, 14),
        D(2022, 2, 16),
        "cspr",
        D(2022, 3, 4),
        D(2022, 3, 7),
        ("LA", "ICB", "Police", "Hospital"),
        "A five-month-old was found to have rib fractures; the parents had recently lost "
        "a grandparent.",
        D(2022, 10, 14),
        D(2023, 1, 23),
        (D(2022, 4, 1), D(2022, 7, 29), "Parallel criminal proceedings"),
    ),
    DemoCase(
        "Child H",
        9,
        "male",
        "seriously_harmed",
        "physical",
        D(2022, 4, 25),
        D(2022, 4, 28),
        "no_further",
        D(2022, 5, 12),
        D(2022, 5, 13),
        ("LA", "Police", "Education"),
        "A nine-year-old was injured during a domestic incident between adults at home.",
    ),
    DemoCase(
        "Child I",
        2,
        "male",
        "died",
        "neglect",
        D(2022, 6, 1),
        D(2022, 6, 8),
        "cspr",
        D(2022, 6, 24),
        D(2022, 6, 27),
        ("LA", "ICB", "Police", "Early Help", "Housing"),
        "A two-year-old died in a house fire; the family had disengaged from Early Help "
        "after appearing to accept support.",
        D(2023, 1, 20),
    ),
    DemoCase(
        "Child J",
        6,
        "female",
        "seriously_harmed",
        "emotional",
        D(2022, 9, 12),
        D(2022, 9, 16),
        "local_learning",
        D(2022, 10, 3),
        D(2022, 10, 4),
        ("LA", "Police", "Education", "ICB"),
        "A six-year-old was harmed by long exposure to domestic abuse; an escalation by "
        "the school had not been resolved.",
        D(2023, 3, 31),
    ),
    DemoCase(
        "Child K",
        3,
        "male",
        "seriously_harmed",
        "neglect",
        D(2022, 11, 14),
        D(2022, 11, 17),
        "no_further",
        D(2022, 12, 1),
        D(2022, 12, 2),
        ("LA", "ICB", "Early Help"),
        "A three-year-old who was repeatedly not brought to health appointments was "
        "found with untreated dental and skin conditions.",
    ),
)

# Before and after the seed's period, so the period filter matters.
OUTSIDE_PERIOD: tuple[DemoCase, ...] = (
    DemoCase(
        "Child P",
        5,
        "male",
        "seriously_harmed",
        "physical",
        D(2021, 3, 8),
        D(2021, 3, 11),
        "local_learning",
        D(2021, 3, 26),
        D(2021, 3, 29),
        ("LA", "Police", "Education"),
        "A five-year-old arrived at school with bruising that was explained away.",
        D(2021, 9, 30),
    ),
    DemoCase(
        "Child Q",
        0,
        "female",
        "died",
        "physical",
        D(2023, 2, 13),
        D(2023, 2, 15),
        "cspr",
        D(2023, 3, 3),
        D(2023, 3, 6),
        ("LA", "ICB", "Police", "Hospital"),
        "A baby died after an unsafe sleeping arrangement while a parent was intoxicated.",
        D(2023, 9, 29),
        D(2024, 1, 15),
    ),
    DemoCase(
        "Child R",
        11,
        "male",
        "seriously_harmed",
        "multiple",
        D(2023, 6, 5),
        D(2023, 6, 8),
        "no_further",
        D(2023, 6, 22),
        D(2023, 6, 30),
        ("LA", "Police", "Education"),
        "An eleven-year-old was criminally exploited and injured.",
        panel_agreed="",
    ),
)


@dataclass(frozen=True)
class RunningCase:
    """A case happening now: dates count back from the day the demo is loaded."""

    reference: str
    age: int
    sex: str
    outcome: str
    category: str
    aware_days_ago: int
    notified_days_ago: int | None
    decision: str  # incident decision: notify / pending
    agencies: tuple[str, ...]
    facts: str


RUNNING: tuple[RunningCase, ...] = (
    RunningCase(
        "Child S",
        1,
        "female",
        "seriously_harmed",
        "physical",
        12,
        9,
        "notify",
        ("LA", "ICB", "Police", "Hospital"),
        "A one-year-old was admitted with a fractured arm and an unclear account.",
    ),
    RunningCase(
        "Child T",
        8,
        "male",
        "seriously_harmed",
        "neglect",
        30,
        26,
        "notify",
        ("LA", "Education", "ICB"),
        "An eight-year-old was found living in a home without heating or food.",
    ),
    RunningCase(
        "Child U",
        15,
        "female",
        "seriously_harmed",
        "sexual",
        2,
        None,
        "pending",
        ("LA", "Police", "Education"),
        "A fifteen-year-old was found in another city with adults unknown to her family.",
    ),
)

# A CSPR running now, commissioned this many days before the demo is loaded.
RUNNING_CSPR_DAYS_AGO = 170

IDENTITIES = {
    # Fictional names, written for the demo; no real child.
    "Child A": ("Oliver Demo-Ash", "1 Sample Row, Northbrook NB1 1AA"),
    "Child B": ("Poppy Demo-Birch", "2 Sample Row, Northbrook NB1 1AB"),
    "Child C": ("Isla Demo-Cedar", "3 Sample Row, Northbrook NB1 1AC"),
    "Child D": ("Noah Demo-Elm", "4 Sample Row, Northbrook NB1 1AD"),
    "Child E": ("Ava Demo-Fir", "5 Sample Row, Northbrook NB1 1AE"),
    "Child F": ("Lily Demo-Hazel", "6 Sample Row, Northbrook NB1 1AF"),
    "Child G": ("Freya Demo-Holly", "7 Sample Row, Northbrook NB1 1AG"),
    "Child H": ("Leo Demo-Juniper", "8 Sample Row, Northbrook NB1 1AH"),
    "Child I": ("Arlo Demo-Larch", "9 Sample Row, Northbrook NB1 1AJ"),
    "Child J": ("Mia Demo-Maple", "10 Sample Row, Northbrook NB1 1AK"),
    "Child K": ("Theo Demo-Oak", "11 Sample Row, Northbrook NB1 1AL"),
}
