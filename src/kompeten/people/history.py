"""An assessor's assignments, shown in the registry without the registry knowing about events.

The events app (which owns the surat tugas) registers, in its AppConfig.ready(), the function that lists an
assessor's assignments: ``register_assignment_source(fn)`` with fn(assessor) → rows having ``event``
(with ``scheme``, ``site``, ``starts_at``) and the assignment's own fields.
"""

_SOURCE = []


def register_assignment_source(fn):
    _SOURCE[:] = [fn]


def assignments_of(assessor):
    return list(_SOURCE[0](assessor)) if _SOURCE else []
