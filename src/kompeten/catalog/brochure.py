"""What later steps add to a scheme's public brochure (S1.1), without the catalogue knowing about them.

The catalogue knows no applications and no events. The apps that own those records register, in their
AppConfig.ready(), a function the brochure calls:

* ``register_brochure_source("events", fn)``: fn(scheme) → the published events still to come, each with
  ``starts_at``, ``ends_at``, ``site`` and ``seats_left`` (events app);
* ``register_brochure_source("open_case", fn)``: fn(user, scheme) → the visitor's application for this
  scheme that is still running, or None (cases app).
"""

_SOURCES = {}


def register_brochure_source(name, fn):
    _SOURCES[name] = fn


def upcoming_events(scheme):
    fn = _SOURCES.get("events")
    return fn(scheme) if fn else []


def open_case(user, scheme):
    fn = _SOURCES.get("open_case")
    return fn(user, scheme) if fn else None
