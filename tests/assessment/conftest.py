"""Fixtures for the assessment app: an event with an assigned assessor, cases in any status, valid form data."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from kompeten.core.models import Role
from tests.conftest import make_user

_numbers = itertools.count(1)


@pytest.fixture
def event(db, scheme, site, admin_user, assessor, muk):
    from kompeten.events.models import AssessmentEvent, EventAssessor

    start = timezone.now() + dt.timedelta(days=7)
    ev = AssessmentEvent.objects.create(number="JUK-2026-001", scheme=scheme, site=site, starts_at=start,
                                        ends_at=start + dt.timedelta(hours=8), status="published",
                                        created_by=admin_user)
    EventAssessor.objects.create(event=ev, assessor=assessor, letter_number="ST/001/2026", assigned_by=admin_user)
    return ev


@pytest.fixture
def event_day(event):
    """The clock stands on the event's day, an hour after its start (check-in is refused before)."""
    from tests.timetravel import on_event_day

    with on_event_day(event):
        yield


@pytest.fixture
def other_assessor(db, scheme):
    from kompeten.people.models import Assessor

    user = make_user("asesor2", Role.ASSESSOR, first_name="Eko", last_name="Prasetyo")
    a = Assessor.objects.create(user=user, met_number="MET.000.009999 2020",
                                registration_valid_until=timezone.localdate() + dt.timedelta(days=700))
    a.schemes.add(scheme)
    return a


@pytest.fixture
def make_case(db, candidate, scheme, event, assessor):
    from kompeten.cases.models import Case

    def make(status, **kw):
        n = next(_numbers)
        return Case.objects.create(number=f"PMH-2026-{n:04d}", candidate=kw.pop("candidate", candidate),
                                   scheme=scheme, event=event, assessor=assessor, status=status, **kw)

    return make


def plan_data(event):
    units = {str(u.pk): {"evidence": "Kode program dan hasil uji", "evidence_types": ["L", "T"],
                         "methods": {"observasi": "IA.01", "tanya_jawab": "IA.07"}} for u in event.scheme.units.all()}
    return {"mapa01": {"potensi": ["1", "3"], "purpose": "sertifikasi", "environment": ["simulasi"],
                       "opportunity": ["tersedia"], "relation": ["bukti"], "who": ["lsp"], "confirm": ["manajer_lsp"],
                       "benchmark": ["standar"], "benchmark_text": "SKKNI 2016-282", "units": units,
                       "modifications": {"karakteristik": {"has": False, "text": ""}}},
            "mapa02": {"IA.01": ["1", "3"], "IA.07": ["3"]}}


def all_k(case):
    return {u.pk: {"methods": ["observasi"], "result": "K"} for u in case.scheme.units.all()}


def ak03_answers():
    return [{"yes": True, "comment": ""} for _ in range(10)]
