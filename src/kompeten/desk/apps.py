from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """Each person's desk: home page, work queues, inbox. May read every app; no app imports it."""

    name = "kompeten.desk"
    label = "desk"
    verbose_name = _("Meja kerja")
