"""Writes to a partnership's theme taxonomy. Every change makes a new taxonomy version and a
revision of each theme it touches; past tags keep the revision they were made with."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from safeguarding.accounts.models import Partnership
from safeguarding.audit.models import AuditAction
from safeguarding.audit.services import audit_record
from safeguarding.core.history import save_and_record, snapshot
from safeguarding.learning.models import (
    FindingTheme,
    LearningSettings,
    TaxonomyVersion,
    Theme,
    ThemeRevision,
    ThemeStatus,
)
from safeguarding.learning.taxonomy_defaults import DEFAULT_THEMES


class TaxonomyError(ValueError):
    """A change the taxonomy cannot take (the message says why, for the user)."""


def version_new(*, partnership: Partnership, actor: Any, summary: str) -> TaxonomyVersion:
    last = TaxonomyVersion.objects.filter(partnership=partnership).aggregate(n=Max("number"))["n"]
    return TaxonomyVersion.objects.create(
        partnership=partnership,
        number=(last or 0) + 1,
        summary=summary[:300],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _revise(theme: Theme, version: TaxonomyVersion) -> ThemeRevision:
    revision = ThemeRevision.objects.create(
        theme=theme,
        version=version,
        name=theme.name,
        definition=theme.definition,
        keywords=theme.keywords,
        parent=theme.parent,
        status=theme.status,
    )
    # A pointer to the latest revision, not a change of the theme: no history row for it.
    Theme.objects.filter(pk=theme.pk).update(current_revision=revision)
    theme.current_revision = revision
    return revision


@transaction.atomic
def taxonomy_install_defaults(*, partnership: Partnership, actor: Any = None) -> int:
    """Give a new partnership the standard themes (version 1) and its learning settings.
    Does nothing if the partnership already has themes. Returns the number of themes added."""
    LearningSettings.objects.get_or_create(partnership=partnership)
    if Theme.objects.filter(partnership=partnership).exists():
        return 0
    version = version_new(
        partnership=partnership, actor=actor, summary="Installed the standard themes"
    )
    themes = bulk_create_with_history(
        [
            Theme(partnership=partnership, name=name, definition=definition, keywords=keywords)
            for name, (definition, keywords) in DEFAULT_THEMES.items()
        ],
        Theme,
    )
    if not all(t.pk for t in themes):  # backends that do not return keys
        themes = list(Theme.objects.filter(partnership=partnership))
    revisions = ThemeRevision.objects.bulk_create(
        [
            ThemeRevision(
                theme=t,
                version=version,
                name=t.name,
                definition=t.definition,
                keywords=t.keywords,
                status=t.status,
            )
            for t in themes
        ]
    )
    for theme, revision in zip(themes, revisions, strict=True):
        theme.current_revision = revision
    Theme.objects.bulk_update(themes, ["current_revision"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        summary=f"Installed {len(themes)} standard themes (taxonomy version 1)",
        obj=version,
        partnership=partnership,
    )
    return len(themes)


def _check_parent(theme: Theme | None, parent: Theme | None, partnership: Partnership) -> None:
    if parent is None:
        return
    if parent.partnership_id != partnership.pk:
        raise TaxonomyError("The parent theme must belong to the same partnership")
    if parent.status == ThemeStatus.MERGED:
        raise TaxonomyError(f"{parent.name} has been merged: choose the theme it became")
    node: Theme | None = parent
    while node is not None:
        if theme is not None and node.pk == theme.pk:
            raise TaxonomyError("A theme cannot sit under itself or one of its own sub-themes")
        node = node.parent


@transaction.atomic
def theme_create(
    *,
    actor: Any,
    partnership: Partnership,
    name: str,
    definition: str,
    keywords: str = "",
    parent: Theme | None = None,
) -> Theme:
    """Add a theme; the taxonomy moves to a new version."""
    name = name.strip()
    if Theme.objects.filter(partnership=partnership, name__iexact=name).exists():
        raise TaxonomyError(f"There is already a theme called {name}")
    _check_parent(None, parent, partnership)
    version = version_new(partnership=partnership, actor=actor, summary=f"Added {name}")
    theme = Theme(
        partnership=partnership, name=name, definition=definition, keywords=keywords, parent=parent
    )
    save_and_record(theme, actor=actor, summary=f"Added theme {name} (version {version.number})")
    _revise(theme, version)
    return theme


@transaction.atomic
def theme_update(*, actor: Any, theme: Theme, **fields: Any) -> Theme:
    """Rename a theme or change its definition, keywords or parent. Past tags keep the name
    they were made with; counts carry on under the theme."""
    if theme.status == ThemeStatus.MERGED:
        raise TaxonomyError(f"{theme.name} has been merged and can no longer be changed")
    before = snapshot(theme)
    old_name = theme.name
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        clash = Theme.objects.filter(partnership=theme.partnership, name__iexact=fields["name"])
        if clash.exclude(pk=theme.pk).exists():
            raise TaxonomyError(f"There is already a theme called {fields['name']}")
    if "parent" in fields:
        _check_parent(theme, fields["parent"], theme.partnership)
    for name, value in fields.items():
        setattr(theme, name, value)
    if snapshot(theme) == before:
        return theme
    what = (
        f"Renamed {old_name} to {theme.name}" if theme.name != old_name else f"Changed {old_name}"
    )
    version = version_new(partnership=theme.partnership, actor=actor, summary=what)
    save_and_record(theme, actor=actor, summary=f"{what} (version {version.number})", before=before)
    _revise(theme, version)
    return theme


@transaction.atomic
def theme_retire(*, actor: Any, theme: Theme) -> Theme:
    """Stop a theme being used for new findings. Its tags stay and still count in any period."""
    if theme.status != ThemeStatus.ACTIVE:
        raise TaxonomyError(f"{theme.name} is not in use, so it cannot be retired")
    before = snapshot(theme)
    theme.status = ThemeStatus.RETIRED
    version = version_new(
        partnership=theme.partnership, actor=actor, summary=f"Retired {theme.name}"
    )
    save_and_record(
        theme,
        actor=actor,
        summary=f"Retired {theme.name} (version {version.number})",
        before=before,
    )
    _revise(theme, version)
    return theme


@transaction.atomic
def theme_reinstate(*, actor: Any, theme: Theme) -> Theme:
    """Bring a retired theme back into use."""
    if theme.status != ThemeStatus.RETIRED:
        raise TaxonomyError(f"{theme.name} is not retired")
    before = snapshot(theme)
    theme.status = ThemeStatus.ACTIVE
    version = version_new(
        partnership=theme.partnership, actor=actor, summary=f"Brought back {theme.name}"
    )
    save_and_record(
        theme,
        actor=actor,
        summary=f"Brought {theme.name} back into use (version {version.number})",
        before=before,
    )
    _revise(theme, version)
    return theme


@transaction.atomic
def theme_merge(*, actor: Any, source: Theme, target: Theme) -> int:
    """Merge `source` into `target`: every tag counted as `source` is counted as `target` from
    now on; the tags themselves (theme and revision) are kept. Returns the tags moved."""
    if source.partnership_id != target.partnership_id:
        raise TaxonomyError("Themes of different partnerships cannot be merged")
    if source.pk == target.pk:
        raise TaxonomyError("Choose a different theme to merge into")
    if source.status == ThemeStatus.MERGED:
        raise TaxonomyError(f"{source.name} has already been merged")
    if target.status != ThemeStatus.ACTIVE:
        raise TaxonomyError(f"{target.name} is not in use: choose a theme in use to merge into")
    version = version_new(
        partnership=source.partnership, actor=actor, summary=f"Merged {source.name} into {target}"
    )
    # Sub-themes of the merged theme move up to the theme it became.
    for child in Theme.objects.filter(parent=source):
        child_before = snapshot(child)
        child.parent = target if child.pk != target.pk else target.parent
        save_and_record(
            child, actor=actor, summary=f"Moved {child.name} under {target}", before=child_before
        )
        _revise(child, version)
    if target.parent_id == source.pk:
        target.refresh_from_db()
    before = snapshot(source)
    source.status = ThemeStatus.MERGED
    source.merged_into = target
    source.parent = None
    save_and_record(
        source,
        actor=actor,
        summary=f"Merged {source.name} into {target} (version {version.number})",
        before=before,
    )
    _revise(source, version)
    moved = FindingTheme.objects.filter(counts_as=source).update(counts_as=target)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        summary=f"{moved} tag(s) of {source.name} now count as {target}",
        obj=target,
        partnership=source.partnership,
        changes={"counts_as": [source.name, target.name], "tags": [moved, moved]},
    )
    return moved


def learning_settings_for(partnership: Partnership) -> LearningSettings:
    settings, _ = LearningSettings.objects.get_or_create(partnership=partnership)
    return settings


@transaction.atomic
def learning_settings_update(
    *, actor: Any, partnership: Partnership, **fields: Any
) -> LearningSettings:
    """Change a partnership's learning settings; a value the model refuses (fewer than 2
    reviews for a cross-cutting theme) raises ``ValidationError`` and nothing changes."""
    settings = learning_settings_for(partnership)
    before = snapshot(settings)
    for name, value in fields.items():
        setattr(settings, name, value)
    # The model's validators (cross-cutting needs at least 2 reviews) for every caller, not
    # only the form; the database's check constraint is the last line.
    settings.full_clean(exclude=["partnership"])
    save_and_record(settings, actor=actor, summary="Changed the learning settings", before=before)
    return settings
