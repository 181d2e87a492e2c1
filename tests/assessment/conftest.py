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

    def make(status, evidence=True, **kw):
        n = next(_numbers)
        case = Case.objects.create(number=f"PMH-2026-{n:04d}", candidate=kw.pop("candidate", candidate),
                                   scheme=scheme, event=event, assessor=assessor, status=status, **kw)
        if evidence and status == "in_assessment":
            give_evidence(case, assessor.user)  # the day's observation, so FR.AK.02 may say K
        return case

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


def give_evidence(case, user, result="K", bk=()):
    """Set-up: the assessor's results on instrument items so that every KUK of the scheme has evidence (K, or BK
    for the criteria in `bk`), as if the day's observation had been ticked."""
    from kompeten.assessment.models import InstrumentItem, ItemResult
    from kompeten.catalog.models import Criterion

    bk = {c.pk if hasattr(c, "pk") else c for c in bk}
    items = (InstrumentItem.objects.filter(version__instrument__scheme=case.scheme, version__status="validated",
                                           version__instrument__form="IA.01").prefetch_related("criteria"))
    rows = {}
    for item in items:
        for c in item.criteria.all():
            rows.setdefault(c.pk, item)
    missing = set(Criterion.objects.filter(element__unit__scheme=case.scheme).values_list("pk", flat=True)) - set(rows)
    assert not missing, "the fixture scheme's IA.01 covers every KUK"
    seen = {}
    for cid, item in rows.items():
        value = "BK" if cid in bk else result
        if seen.get(item.pk) != "BK":
            seen[item.pk] = value
    from kompeten.assessment.rounds import current_round

    round = current_round(case)  # after an upheld appeal, the new round's evidence
    ItemResult.objects.bulk_create([ItemResult(case=case, round=round, item_id=pk, result=v, recorded_by=user)
                                    for pk, v in seen.items()])
