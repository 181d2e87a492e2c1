from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "kompeten.api"
    label = "api"
    verbose_name = _("API REST")

    def ready(self):
        from . import services  # noqa: F401  (registers the labels of its acts in the action log)
