"""Disposing of a record and everything under it, for the retention schedule.

`collect` walks down from the record through every row that refers to it (any foreign key or
many-to-many link, visible or not, plus the clocks that point at it), so a relation added later
is followed without a change here. `dispose` then deletes the rows, their simple-history rows
and their stored files in one savepoint and asks the database to check every foreign key before
it is released: a reference the walk did not know about makes the disposal fail, not leave a
dangling row. The audit table is never touched (nothing in it is a foreign key to a record).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction

# Records that cite a review without being under it: their presence stops the disposal instead
# of being swept away with it (an agency's assurance evidence that cites an audit).
BLOCKING = {("dissemination.AssuranceSubmission", "audit"), ("dissemination.AuditRecheck", "audit")}


class DisposalBlocked(Exception):
    """The record cannot be disposed of now; the message says why, without identifying details."""


@dataclass
class Collected:
    rows: dict[type[models.Model], set[Any]] = field(default_factory=lambda: defaultdict(set))
    files: list[str] = field(default_factory=list)

    def add(self, model: type[models.Model], pks: set[Any]) -> set[Any]:
        new = pks - self.rows[model]
        self.rows[model] |= new
        return new

    def count(self, model: type[models.Model]) -> int:
        return len(self.rows.get(model, ()))


def _is_historical(model: type[models.Model]) -> bool:
    return getattr(model, "instance_type", None) is not None


def _reverse_relations(model: type[models.Model]) -> list[Any]:
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)
    ]


def collect(roots: list[models.Model]) -> Collected:
    """Every row under the roots: the roots, whatever refers to them, and so on down."""
    from safeguarding.core.models import Clock

    found = Collected()
    queue: list[tuple[type[models.Model], set[Any]]] = []
    for root in roots:
        queue.append((type(root), found.add(type(root), {root.pk})))
    while queue:
        model, pks = queue.pop()
        if not pks:
            continue
        for rel in _reverse_relations(model):
            related = rel.related_model
            if _is_historical(related) or not rel.field.db_constraint:
                continue
            refs = related._base_manager.filter(**{f"{rel.field.name}__in": pks})
            if (related._meta.label, rel.field.name) in BLOCKING:
                if refs.exists():
                    raise DisposalBlocked(
                        f"it is cited by {related._meta.verbose_name_plural} that are kept"
                    )
                continue
            if rel.on_delete not in (models.CASCADE, models.PROTECT, models.RESTRICT):
                raise DisposalBlocked(f"{related._meta.label}.{rel.field.name} is not handled")
            queue.append((related, found.add(related, set(refs.values_list("pk", flat=True)))))
        if model is not Clock:
            clocks = Clock.objects.filter(
                subject_type=ContentType.objects.get_for_model(model), subject_id__in=pks
            ).values_list("pk", flat=True)
            queue.append((Clock, found.add(Clock, set(clocks))))
    return found


def stored_files(found: Collected) -> list[tuple[Any, str]]:
    """(storage, name) of every stored file the collected rows hold."""
    files: list[tuple[Any, str]] = []
    for model, pks in found.rows.items():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField):
                names = model._base_manager.filter(pk__in=pks).values_list(f.attname, flat=True)
                files.extend((f.storage, name) for name in names if name)
    return files


def _delete(model: type[models.Model], pks: set[Any], *, using: str) -> None:
    # Raw deletes: the rows are deleted together and the foreign keys are checked afterwards
    # (Django's collector would refuse the PROTECT links that hold the tree together), and
    # no "deleted" history row is written for a record that is meant to be gone.
    history = getattr(model, "history", None)
    if history is not None and _is_historical(history.model):
        hist_model = history.model
        hist_ids = list(
            hist_model._base_manager.filter(**{f"{model._meta.pk.attname}__in": pks}).values_list(
                "history_id", flat=True
            )
        )
        for rel in _reverse_relations(hist_model):
            rel.related_model._base_manager.filter(
                **{f"{rel.field.name}__in": hist_ids}
            )._raw_delete(using)
        hist_model._base_manager.filter(history_id__in=hist_ids)._raw_delete(using)
    model._base_manager.filter(pk__in=pks)._raw_delete(using)


def dispose(roots: list[models.Model], *, active_hold_ids: set[int]) -> Collected:
    """Delete the roots and everything under them, with their history and stored files.

    Call inside a transaction. Raises DisposalBlocked (and deletes nothing) if any row under
    them is an active legal hold or is cited by a record that is kept."""
    from safeguarding.records.models import LegalHold

    found = collect(roots)
    if found.rows.get(LegalHold, set()) & active_hold_ids:
        raise DisposalBlocked("it is on legal hold")
    files = stored_files(found)
    using = connection.alias
    with transaction.atomic():
        for model, pks in found.rows.items():
            if pks:
                _delete(model, pks, using=using)
        # A row the walk missed that still refers to a deleted one fails here.
        connection.check_constraints()

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    found.files = [name for _, name in files]
    return found
