"""The schedule panel on the case page (cases:detail)."""

from kompeten.cases.workflow import roles_for


def schedule_panel(case, user):
    """Event, date/time, TUK address, assessor and who has confirmed — for anyone who may see the case."""
    if not case.event_id and case.status != "accepted":
        return None
    if not roles_for(user, case):
        return None
    from kompeten.events.services import confirmation_state, has_confirmed

    state = confirmation_state(case) if case.event_id else {}
    return {"case": case, "event": case.event, "site": case.event.site if case.event_id else None,
            "assessor": case.assessor, "state": state,
            "can_confirm": case.status == "scheduled" and bool(roles_for(user, case) & {"candidate", "assessor"})
            and not has_confirmed(case, user)}
