"""The role check of each endpoint, from `safeguarding.accounts.access` (the only place rules
live). A role that may not use a kind of record at all gets 403 with the reason; records
outside the user's scope are not in their querysets, so they are 404s."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request


class RoleAllowed(BasePermission):
    """Reads need `view.read_rule(user)`; writes also `view.write_rule(user)`."""

    message = "Your role may not use this."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not view.read_rule(request.user):
            self.message = view.read_denied
            return False
        if request.method not in SAFE_METHODS:
            rule = getattr(view, "write_rule", None)
            if rule is None or not rule(request.user):
                self.message = getattr(view, "write_denied", "Your role may not change these.")
                return False
        return True
