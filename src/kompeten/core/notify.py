"""The one notification path: an inbox entry plus an e-mail, both only after the act's transaction commits."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task

from kompeten.core.models import Notification

log = logging.getLogger(__name__)


@task
def send_notification_email(notification_id):
    n = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not n.recipient.email:
        return
    link = f"{settings.SITE_URL}{n.url}" if n.url else settings.SITE_URL
    body = f"{n.body}\n\n{link}\n\n— {settings.LSP_NAME}"
    send_mail(n.title, body, settings.DEFAULT_FROM_EMAIL, [n.recipient.email], fail_silently=False)


def notify(recipients, title, *, body="", url="", due=None):
    """Tell each recipient (users; None entries are skipped) once the current transaction commits."""
    people = {u.pk: u for u in recipients if u is not None and getattr(u, "pk", None)}

    def deliver():
        for user in people.values():
            n = Notification.objects.create(recipient=user, title=str(title), body=str(body), url=url, due=due)
            try:
                send_notification_email.enqueue(n.pk)
            except Exception:  # an unreachable mail server must not undo the act
                log.exception("could not send notification %s by e-mail", n.pk)

    transaction.on_commit(deliver)
