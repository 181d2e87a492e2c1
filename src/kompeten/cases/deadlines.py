"""By when the candidate must act: the LSP's time limits in one place.

Each limit is counted from the act that opened the step (found in the action log) or from the event's date,
so it stays the same however often the page is shown. The home page and the case page print them next to
"Giliran Anda" so a candidate always knows what is expected of them and by when.

A limit belongs to an act that is still open: once the case has moved past the act, or the person bound by
it has done it (the workflow's done-checks), there is no limit left to show — a finished case has none.
"""

import datetime as dt

from django.utils import timezone

from kompeten.cases.workflow import ACTS, DONE_CHECKS
from kompeten.core.actions import history
from kompeten.core.models import Role

REVISION_DAYS = 14  # to fix and resubmit a returned application
CONFIRM_DAYS = 3  # to confirm a schedule (and never later than the day before the event)
FEEDBACK_DAYS = 3  # to fill FR.AK.03 after the assessment
AGREEMENT_DAYS = 30  # to sign the certificate-use agreement after the decision


def _opened(case, act):
    entry = history(case).filter(act=act).first()
    return timezone.localdate(entry.at) if entry else None


def _event_day(case):
    return timezone.localdate(case.event.starts_at) if case.event_id else None


def resubmit_by(case):
    opened = _opened(case, "return_application")
    return opened + dt.timedelta(days=REVISION_DAYS) if opened else None


def confirm_by(case):
    opened, day = _opened(case, "schedule_case"), _event_day(case)
    if not opened or not day:
        return None
    return min(opened + dt.timedelta(days=CONFIRM_DAYS), day - dt.timedelta(days=1))


def sign_agreement_by(case):
    """FR.AK.01 is signed before the assessment starts."""
    day = _event_day(case)
    return day - dt.timedelta(days=1) if day else None


def feedback_by(case):
    opened = _opened(case, "record_assessment")
    return opened + dt.timedelta(days=FEEDBACK_DAYS) if opened else None


def holder_agreement_by(case):
    opened = _opened(case, "decide_competent")
    return opened + dt.timedelta(days=AGREEMENT_DAYS) if opened else None


DEADLINES = {
    "submit_application": lambda case: resubmit_by(case) if case.status == "revision" else None,
    "confirm_schedule": confirm_by,
    "sign_agreement": sign_agreement_by,
    "give_feedback": feedback_by,
    "sign_holder_agreement": holder_agreement_by,
}


def _bound(case, act):
    """The people an act with a time limit binds on this case: its candidate and, for two-party acts, its
    assessor."""
    people = [case.candidate] if Role.CANDIDATE in act.roles else []
    if Role.ASSESSOR in act.roles and case.assessor_id:
        people.append(case.assessor.user)
    return people


def still_open(case, act, user=None):
    """Is `act` still to be done on `case` — by `user` when given, otherwise by anyone it binds?"""
    act = ACTS[act.code if hasattr(act, "code") else act]
    if case.status not in act.sources:
        return False
    done = DONE_CHECKS.get(act.code)
    if done is None:
        return True
    people = [user] if user is not None else _bound(case, act)
    return any(not done(case, person) for person in people)


def due(case, act, user=None):
    """The date by which `act` should be done on `case` (by `user` when given), or None when there is no
    limit or the act is no longer open (the case moved on, or the person it binds has done it)."""
    code = act.code if hasattr(act, "code") else act
    fn = DEADLINES.get(code)
    if fn is None or not still_open(case, code, user):
        return None
    return fn(case)
