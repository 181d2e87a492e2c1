from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kompeten.core"
    label = "core"
    verbose_name = _("Inti")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from kompeten.core import mfa, roles  # noqa: F401  (their action-log labels)
        from kompeten.core.middleware import touched_at_login

        user_logged_in.connect(touched_at_login, dispatch_uid="kompeten-session-touched-at-login")
