from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo LSP, built through the services of every app: the top of the house; nothing imports it."""

    name = "kompeten.demo"
    label = "demo"
    verbose_name = _("Demo")
