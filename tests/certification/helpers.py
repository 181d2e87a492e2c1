"""Building cases that reach the certification steps, without walking the whole SOP."""

import datetime as dt
import itertools

from django.utils import timezone

from kompeten.cases.models import Case

_counter = itertools.count(1)


def make_event(scheme, site):
    from kompeten.events.models import AssessmentEvent

    start = timezone.now() - dt.timedelta(days=7)
    return AssessmentEvent.objects.create(number=f"JDW-T-{next(_counter):04d}", scheme=scheme, site=site,
                                          starts_at=start, ends_at=start + dt.timedelta(hours=8),
                                          status="held")


def make_case(candidate, scheme, assessor, event, status="awaiting_decision"):
    return Case.objects.create(number=f"PRM-T-{next(_counter):05d}", candidate=candidate, scheme=scheme,
                               status=status, assessor=assessor, event=event)


def recommend(case, overall, unit_values=None, monkeypatch=None):
    """Record the assessor's FR.AK.02 recommendation: K/BK overall, per unit `overall` unless given."""
    from kompeten.assessment.models import AssessmentRecord, UnitResult

    units = list(case.scheme.units.all())
    values = unit_values or {}
    record = AssessmentRecord.objects.create(
        case=case, started_on=timezone.localdate(), finished_on=timezone.localdate(), overall=overall,
        recorded_by=case.assessor.user)
    UnitResult.objects.bulk_create(UnitResult(record=record, unit=u, result=values.get(u.code, overall))
                                   for u in units)
    case.refresh_from_db()
    return record


def make_holder(candidate, scheme, assessor, event, issued_by, *, valid_days=400, dues=()):
    """A case in surveillance with its certificate valid `valid_days` more days and checks due on `dues`."""
    from kompeten.certification.models import Certificate, Surveillance, SurveillanceCheck

    case = make_case(candidate, scheme, assessor, event, status="surveillance")
    today = timezone.localdate()
    cert = Certificate.objects.create(number=f"CERT/T/{case.pk:05d}", case=case, holder_name="Budi Santoso",
                                      scheme=scheme, issued_on=today - dt.timedelta(days=700),
                                      valid_until=today + dt.timedelta(days=valid_days), issued_by=issued_by)
    s = Surveillance.objects.create(certificate=cert, enrolled_by=issued_by)
    for i, d in enumerate(dues, start=1):
        SurveillanceCheck.objects.create(surveillance=s, order=i, due_on=today + dt.timedelta(days=d))
    return cert
