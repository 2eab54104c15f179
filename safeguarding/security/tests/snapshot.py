"""What a write may not change, captured before it and compared after: who owns every record
(its partnership, agency and user links, and which partnership every record it points at belongs
to), everything of the other partnership, and every user's role and privileges."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.apps import apps
from django.db import models

from safeguarding.accounts.models import Partnership, User

USER_FIELDS = ("role", "is_staff", "is_superuser", "is_active", "partnership_id", "agency_id")


def _models() -> list[Any]:
    """Every model of the project, the many-to-many link tables included; not the history
    tables (written by the change itself) nor the append-only audit trail."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_config.name.startswith("safeguarding.")
        and not str(m._meta.model_name).startswith("historical")
        and m._meta.app_label != "audit"
    ]


def _fks(model: Any) -> list[Any]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model._meta.app_label != "contenttypes"
    ]


@cache
def partnership_path(model: Any, depth: int = 3) -> str | None:
    """The lookup from a record to its partnership's id, through its parents if need be."""
    if model is Partnership:
        return "pk"
    if "partnership" in {f.name for f in model._meta.concrete_fields}:
        return "partnership_id"
    if depth == 0:
        return None
    for f in _fks(model):
        if f.related_model is User or f.related_model is model:
            continue
        parent = partnership_path(f.related_model, depth - 1)
        if parent is not None:
            return f"{f.name}_id" if parent == "pk" else f"{f.name}__{parent}"
    return None


class Snapshot:
    """The records' ownership and the other partnership's records, as they are now."""

    def __init__(self, worlds: Any) -> None:
        self.worlds = worlds
        self.models = sorted(set(_models()), key=lambda m: m._meta.label)
        self.links = {m: self._links(m) for m in self.models}
        self.owners = {m: self._owners(m) for m in self.models}
        self.other = {m: self._other_rows(m) for m in self.models}
        self.users = self._users()

    def _links(self, model: Any) -> dict[Any, tuple[Any, ...]]:
        names = [f.attname for f in _fks(model)]
        return {row[0]: row[1:] for row in model.objects.values_list("pk", *names)}

    def _owners(self, model: Any) -> dict[Any, int | None]:
        path = partnership_path(model)
        if path is None:
            return {}
        return dict(model.objects.values_list("pk", path))

    def _other_rows(self, model: Any) -> dict[Any, tuple[Any, ...]]:
        path = partnership_path(model)
        if path is None:
            return {}
        names = [f.attname for f in model._meta.concrete_fields]
        rows = model.objects.filter(**{path: self.worlds.other.pk}).values_list(*names)
        return {row[0]: row for row in rows}

    def _users(self) -> dict[int, tuple[Any, ...]]:
        return {row[0]: row[1:] for row in User.objects.values_list("pk", *USER_FIELDS)}

    def users_unchanged(self) -> bool:
        return self._users() == self.users

    def _partnership_of(self, model: Any, pk: Any) -> int | None:
        if pk in self.owners.get(model, {}):
            return self.owners[model][pk]
        path = partnership_path(model)
        if path is None:
            return None
        return model.objects.filter(pk=pk).values_list(path, flat=True).first()

    def compare(self, *, actor: User) -> list[str]:
        """What changed that the extras could have changed."""
        home = actor.partnership_id
        problems: list[str] = []
        for model in self.models:
            label = model._meta.label
            fks = _fks(model)
            before = self.links[model]
            after = self._links(model)
            for pk, values in after.items():
                old = before.get(pk)
                for field, value, was in zip(fks, values, old or [None] * len(fks), strict=True):
                    if value is None or (old is not None and value == was):
                        continue
                    target = field.related_model
                    owner = self._partnership_of(target, value)
                    if target is User:
                        owner = (
                            User.objects.filter(pk=value)
                            .values_list("partnership_id", flat=True)
                            .first()
                        )
                    if owner is not None and owner != home:
                        problems.append(f"{label} {pk}: {field.name} -> partnership {owner}")
            for pk in set(before) - set(after):
                if self.owners.get(model, {}).get(pk) == self.worlds.other.pk:
                    problems.append(f"{label} {pk} of the other partnership was deleted")
            other_now = self._other_rows(model)
            if other_now != self.other[model]:
                problems.append(f"{label}: the other partnership's records changed")
        if not self.users_unchanged():
            problems.append("a user's role, privileges, partnership or agency changed")
        return problems
