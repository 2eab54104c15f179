"""The action clock rule every partnership starts with (plain data, for the data migration too).

Each action has its own due date; the rule gives the default due date for a new action (its
length from the date agreed) and how many working days before the due date it shows as due
soon. A partnership changes both in its settings, like every other clock.
"""

from __future__ import annotations

RULE_NAME = "Action due date"
RULE_LENGTH = 3  # months from the date agreed: the default due date offered for a new action
RULE_UNIT = "months"
RULE_DUE_SOON = 10
RULE_GUIDANCE = (
    "The partnership's action plan: each action has its own due date, agreed when it is set. "
    "New actions are offered a due date three months after they are agreed."
)
