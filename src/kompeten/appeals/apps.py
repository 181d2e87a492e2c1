from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "kompeten.appeals"
    label = "appeals"
    verbose_name = _("Banding dan pengaduan")

    def ready(self):
        from kompeten.cases import workflow
        from kompeten.cases.panels import register_act_url, register_case_panel

        from . import panels, services  # noqa: F401  (services registers the labels of its acts)

        register_act_url("lodge_appeal", "appeals:appeal_new")
        register_case_panel("appeals/panels/case.html", panels.case_panel, order=82)
        workflow.register_done_check("lodge_appeal", panels.appeal_closed)
