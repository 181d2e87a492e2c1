from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACT_URLS = {
    "submit_plan": "assessment:submit_plan",
    "approve_plan": "assessment:plan_review",
    "return_plan": "assessment:plan_review",
    "check_resources": "assessment:check_resources",
    "record_consultation": "assessment:consultation",
    "sign_agreement": "assessment:sign_agreement",
    "record_adjustment": "assessment:adjustment",
    "recommend_continue": "assessment:apl02_review",
    "recommend_stop": "assessment:apl02_review",
    "check_in": "assessment:check_in",
    "take_written_test": "assessment:written_take",
    "mark_written_test": "assessment:written_mark",
    "record_evidence": "assessment:day",
    "record_assessment": "assessment:record_assessment",
    "correct_assessment": "assessment:correct_assessment",
    "give_feedback": "assessment:feedback",
    "review_assessment": "assessment:review",
    "submit_report": "assessment:report",
    "forward_report": "assessment:forward_report",
}


class AssessmentConfig(AppConfig):
    name = "kompeten.assessment"
    label = "assessment"
    verbose_name = _("Asesmen")

    def ready(self):
        from kompeten.assessment import instruments, panels, services
        from kompeten.cases import workflow
        from kompeten.cases.panels import register_act_url, register_case_panel, register_event_panel
        from kompeten.catalog import loader
        from kompeten.catalog import selectors as catalog_selectors

        for code, url_name in ACT_URLS.items():
            register_act_url(code, url_name)
        register_case_panel("assessment/panels/preparation.html", panels.preparation_panel, order=30)
        register_case_panel("assessment/panels/result.html", panels.result_panel, order=40)
        register_event_panel("assessment/panels/event.html", panels.event_panel, order=30)
        workflow.register_done_check("sign_agreement", services.agreement_signed_by)
        workflow.register_done_check("give_feedback", services.feedback_given_by)
        workflow.register_done_check("submit_plan", services.plan_waiting_or_approved)
        workflow.register_done_check("approve_plan", services.no_plan_waiting)
        workflow.register_done_check("return_plan", services.no_plan_waiting)
        workflow.register_precondition("check_in", services.check_in_blocker)
        from kompeten.assessment import written_test

        workflow.register_done_check("take_written_test", written_test.nothing_to_take)
        workflow.register_done_check("mark_written_test", written_test.nothing_to_mark)
        # Logging out voids the tokens the person's open test pages save answers with.
        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(written_test.forget_tokens, dispatch_uid="kompeten-written-test-forget-tokens")
        # The written test's per-KUK results are evidence in the roll-up to FR.AK.02, beside the observation.
        from kompeten.assessment import rollup

        rollup.register_source("IA.05/IA.06", written_test.written_results)
        # … and their progress on the assessor's page of the day.
        from kompeten.assessment import observation

        for form in written_test.WRITTEN_FORMS:
            observation.register_state(form, written_test.version_state)
        workflow.register_precondition("correct_assessment", services.correction_blocker)
        # A correction is offered on the candidate's assessment page, never asked for on a work queue.
        workflow.register_done_check("correct_assessment", lambda case, user=None: True)
        loader.register_section("instruments", instruments.load_instruments)
        catalog_selectors.register_validated_tools(lambda scheme: len(instruments.validated_versions(scheme)))
