from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "kompeten.certification"
    label = "certification"
    verbose_name = _("Sertifikasi")

    def ready(self):
        from kompeten.assessment.services import register_method_limit
        from kompeten.cases import workflow
        from kompeten.cases.panels import register_act_url, register_case_panel

        from . import panels, pleno, recertification  # noqa: F401 (pleno registers its act labels and its background job)

        register_act_url("decide_competent", "certification:decide")
        register_act_url("decide_not_competent", "certification:decide")
        register_act_url("sign_holder_agreement", "certification:agreement")
        register_act_url("issue_certificate", "certification:issue")
        register_act_url("enrol_surveillance", "certification:enrol")
        register_case_panel("certification/panels/decision.html", panels.decision_panel, order=80)
        register_case_panel("certification/panels/certificate.html", panels.certificate_panel, order=85)
        register_case_panel("certification/panels/surveillance.html", panels.surveillance_panel, order=90)
        register_case_panel("certification/panels/recertification.html", panels.recertification_panel, order=5)
        register_case_panel("certification/panels/renewal.html", panels.renewal_panel, order=86)
        register_method_limit(recertification.allowed_methods)
        workflow.register_done_check("sign_holder_agreement", panels.agreement_signed)
        workflow.register_precondition("issue_certificate", panels.issue_blocker)
        # The certificate's status acts (status.py): each from the certificate statuses it fits.
        from kompeten.core.actions import register_act_labels

        from . import scanlog, status

        for code in status.ACTS:
            workflow.register_precondition(code, status.blocker(code))
        register_act_labels({"set_blanko_layout": _("Tata letak blanko sertifikat diubah")})
        scanlog.connect()
