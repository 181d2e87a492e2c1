"""Records that are never deleted but may be superseded (an upheld appeal reopens a case: its assessment or
its decision is done again). The old row is kept, marked `superseded_at`, and the new one `supersedes` it.

A model using this declares the two fields and `objects = CurrentManager()` first (the default manager: only
current rows), then `all_versions = AllVersionsManager()` (every row, for history and the independence check).
"""

from django.db import models
from django.utils import timezone


class CurrentManager(models.Manager):
    """Only the rows that have not been superseded."""

    def get_queryset(self):
        return super().get_queryset().filter(superseded_at__isnull=True)


def supersede(model, **lookup):
    """Mark the current rows matching `lookup` superseded (inside the act's transaction); returns the last one,
    for the new row's `supersedes`."""
    rows = list(model.objects.filter(**lookup).order_by("pk"))
    now = timezone.now()
    for row in rows:
        row.superseded_at = now
        row.save(update_fields=["superseded_at"])
    return rows[-1] if rows else None


def superseded_by_last(model, **lookup):
    """The most recently superseded row matching `lookup` that nothing supersedes yet (the new row points at it)."""
    return (model.all_versions.filter(superseded_at__isnull=False, superseded_by__isnull=True, **lookup)
            .order_by("-superseded_at", "-pk").first())


class AllVersionsManager(models.Manager):
    """Every row, superseded ones included (history, the independence check)."""
