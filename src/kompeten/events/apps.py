from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "kompeten.events"
    label = "events"
    verbose_name = _("Jadwal uji kompetensi")

    def ready(self):
        from kompeten.cases import workflow
        from kompeten.cases.panels import register_act_url, register_case_panel
        from kompeten.catalog.brochure import register_brochure_source
        from kompeten.events import imports, panels, selectors, services  # noqa: F401 (imports: its background job)
        from kompeten.people.history import register_assignment_source

        for code, name in [("record_feasibility", "feasibility"), ("designate_site", "designate_site"),
                           ("assign_assessor", "assign_assessor"), ("publish_event", "publish"),
                           ("hold_event", "hold"), ("close_event", "close"), ("cancel_event", "cancel")]:
            register_act_url(code, f"events:{name}")
        register_act_url("schedule_case", "events:schedule_case")
        register_act_url("confirm_schedule", "events:confirm")
        register_act_url("request_reschedule", "events:confirm")
        register_act_url("declare_conflict", "events:declare_conflict")
        register_case_panel("events/panels/schedule.html", panels.schedule_panel, order=20)
        workflow.register_done_check("confirm_schedule", lambda case, user: services.has_confirmed(case, user))
        workflow.register_precondition("hold_event", services.hold_blocker)
        register_brochure_source("events", selectors.upcoming_events)
        register_assignment_source(selectors.assignments_of)
