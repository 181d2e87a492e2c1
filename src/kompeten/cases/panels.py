"""How the other apps show their part of a case on the case page, and where each act is done.

The case page (cases:detail) is owned by the cases app, but the records of later steps live in other apps
(events, assessment, certification). Each app registers, in its AppConfig.ready():

* a panel: a template rendered on the case page with a context built for the viewing user, e.g.
      register_case_panel("assessment/panels/ak01.html", ak01_panel_context, order=30)
  where ak01_panel_context(case, user) returns a dict (or None to hide the panel for that user);
* the URL where each act of the workflow table is performed, e.g.
      register_act_url("sign_agreement", "assessment:sign_agreement")
  (a URL name taking the case's or the event's pk). The page shows a button for every act the user may
  do now (workflow.allowed_acts) that has a registered URL.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Panel:
    template: str
    context: object  # callable(case, user) -> dict | None
    order: int


CASE_PANELS = []
EVENT_PANELS = []
ACT_URLS = {}


def register_case_panel(template, context, order=50):
    CASE_PANELS.append(Panel(template, context, order))
    CASE_PANELS.sort(key=lambda p: p.order)


def register_event_panel(template, context, order=50):
    EVENT_PANELS.append(Panel(template, context, order))
    EVENT_PANELS.sort(key=lambda p: p.order)


def register_act_url(code, url_name):
    ACT_URLS[code] = url_name


def act_url(code, obj):
    name = ACT_URLS.get(code)
    return reverse(name, args=[obj.pk]) if name else None


def render_panels(panels, obj, user):
    """[(template, context)] of the panels visible to `user` for `obj`."""
    shown = []
    for panel in panels:
        ctx = panel.context(obj, user)
        if ctx is not None:
            shown.append((panel.template, ctx))
    return shown
