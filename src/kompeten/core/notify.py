"""The one notification path: an inbox entry plus an e-mail, both only after the act's transaction commits.

Each notice is written in its recipient's language: callers pass lazy texts (gettext_lazy, `lazy_text` for
a message with %(name)s values, format_lazy to join pieces), rendered per recipient under their language.

A notice that asks for an act says so (`about=` the object, `asks=` the act codes that answer it). The
workflow calls `settle_notices` inside each act's transaction: matching open notices are marked done, for
whoever did the act, so inboxes and badges stop asking for work already done. Core knows no act: it stores
the codes it is given and compares them with the codes the workflow passes.
"""

import logging
import threading

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.functional import lazy

from kompeten.core.models import Notification

log = logging.getLogger(__name__)

# Notices queued in a transaction that has not committed yet: an act later in the same transaction settles
# them too (the demo and batch jobs do many acts in one transaction).
_pending = threading.local()


def _queued():
    if not hasattr(_pending, "items"):
        _pending.items = []
    return _pending.items


@task
def send_notification_email(notification_id):
    n = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not n.recipient.email:
        return
    link = f"{settings.SITE_URL}{n.url}" if n.url else settings.SITE_URL
    body = f"{n.body}\n\n{link}\n\n— {settings.LSP_NAME}"
    send_mail(n.title, body, settings.DEFAULT_FROM_EMAIL, [n.recipient.email], fail_silently=False)


def _interpolate(text, params):
    return str(text) % {k: ("" if v is None else str(v)) for k, v in params.items()}


_interpolate_lazy = lazy(_interpolate, str)


def lazy_text(text, **params):
    """`_("… %(number)s …")` with its values, rendered only when read, in the language active then (values
    that are lazy texts too, e.g. a choice label, follow that language)."""
    return _interpolate_lazy(text, params) if params else text


def _subject(obj):
    if obj is None:
        return None, None
    return ContentType.objects.get_for_model(obj), obj.pk


def notify(recipients, title, *, body="", url="", due=None, about=None, asks=(), by_recipient=False):
    """Tell each recipient (users; None entries are skipped) once the current transaction commits.

    title, body: lazy texts, rendered in each recipient's language (render nothing before calling:
    `_("… %(number)s") % {...}` fixes the actor's language; use lazy_text(_("… %(number)s"), number=...)).
    about, asks: the object and the act codes that answer this notice; the notice is done when one of those
    acts is done on that object (by anyone; only by the recipient when `by_recipient`).
    """
    people = {u.pk: u for u in recipients if u is not None and getattr(u, "pk", None)}
    subject_type, subject_id = _subject(about)
    codes = " ".join(asks) if about is not None else ""
    notices = []
    for user in people.values():
        with translation.override(user.language_code):
            notices.append(Notification(
                recipient=user, title=str(title)[:200], body=str(body or ""), url=url,
                due=due, subject_type=subject_type, subject_id=subject_id, asks=codes, by_recipient=by_recipient,
            ))
    queued = _queued()
    if not connection.in_atomic_block:
        queued.clear()  # whatever is left belongs to transactions that ended (rolled back)
    queued.extend(notices)

    def deliver():
        for n in notices:
            if n in queued:
                queued.remove(n)
            n.save()
            if n.done_at is not None:
                continue  # answered before it was delivered: nothing to ask by e-mail
            try:
                send_notification_email.enqueue(n.pk)
            except Exception:  # an unreachable mail server must not undo the act
                log.exception("could not send notification %s by e-mail", n.pk)

    transaction.on_commit(deliver)


def _answered(n, code, actor, still_possible):
    asked = set(n.asks.split())
    if not asked:
        return False
    if code in asked and (not n.by_recipient or (actor is not None and n.recipient_id == actor.pk)):
        return True
    return still_possible is not None and not (asked & set(still_possible))


def settle_notices(obj, code, actor, *, still_possible=None):
    """Act `code` was just done on `obj` by `actor`: mark done the open notices it answers, and those whose
    acts `still_possible` (codes that can still be done on obj now; None = don't judge) no longer contains.
    Call inside the act's transaction."""
    subject_type, subject_id = _subject(obj)
    now = timezone.now()
    for n in _queued():
        if n.subject_type == subject_type and n.subject_id == subject_id and n.done_at is None \
                and _answered(n, code, actor, still_possible):
            n.done_at = now
    open_ = Notification.objects.filter(subject_type=subject_type, subject_id=subject_id, done_at__isnull=True) \
        .exclude(asks="").only("pk", "recipient_id", "asks", "by_recipient")
    done = [n.pk for n in open_ if _answered(n, code, actor, still_possible)]
    if done:
        Notification.objects.filter(pk__in=done).update(done_at=now)
    return len(done)
