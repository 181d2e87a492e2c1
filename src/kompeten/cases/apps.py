from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "kompeten.cases"
    label = "cases"
    verbose_name = _("Permohonan sertifikasi")

    def ready(self):
        from kompeten.cases import services  # noqa: F401  (registers the action-log labels)
        from kompeten.cases.panel_contexts import application_panel, review_panel
        from kompeten.cases.panels import register_act_url, register_case_panel
        from kompeten.cases.selectors import open_case_of
        from kompeten.catalog.brochure import register_brochure_source

        register_act_url("submit_application", "cases:submit")
        register_act_url("accept_application", "cases:review")
        register_act_url("return_application", "cases:review")
        register_act_url("reject_application", "cases:review")
        register_act_url("withdraw", "cases:withdraw")
        register_case_panel("cases/panels/review.html", review_panel, order=5)
        register_case_panel("cases/panels/application.html", application_panel, order=10)
        register_brochure_source("open_case", open_case_of)
