"""The one action log: write an entry, and say in plain words what an entry means."""

from django.contrib.contenttypes.models import ContentType

from kompeten.core.models import ACT_LABELS, ActionLog, act_label, register_act_labels  # noqa: F401 (the log API)


def log_action(actor, act, target, *, reason="", data=None, status_before="", status_after=""):
    """Record one act on one object. Call inside the act's transaction so both land or neither."""
    return ActionLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        act=act,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        reason=reason or "",
        data=data or {},
        status_before=status_before or "",
        status_after=status_after or "",
    )


def history(target):
    """Entries for one object, newest first, with the actor fetched in the same query."""
    return ActionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).select_related("actor")
