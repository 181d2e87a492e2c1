"""Recertification: started by the holder from an expiring certificate, linked, on the scheme's path."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kompeten.assessment import services as assessment_services
from kompeten.assessment import wording
from kompeten.catalog.loader import RECERT_METHODS, SchemeFileError, check_scheme
from kompeten.certification import public, recertification, services, surveillance
from kompeten.certification.models import Certificate, Recertification
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role
from tests.assessment.conftest import give_evidence
from tests.conftest import make_user

from .helpers import make_holder

SHORT = {"methods": ["portofolio", "pihak_ketiga"], "condition": "clean_surveillance"}


@pytest.fixture
def short_scheme(scheme):
    scheme.recertification = SHORT
    scheme.save()
    return scheme


def test_method_keys_match_the_ak02_columns():
    assert RECERT_METHODS == [k for k, _l in wording.AK02_METHODS]
    assert list(recertification.METHOD_LABELS) == RECERT_METHODS


def test_scheme_file_key_is_checked(scheme):
    base = {"number": "SKM/X/1", "title": "X", "type": "Okupasi", "units": [
        {"code": "U1", "title": "U", "elements": [{"title": "E", "criteria": ["K"]}]}]}
    assert check_scheme({**base, "recertification": SHORT})["recertification"] == {**SHORT}
    with pytest.raises(SchemeFileError) as err:
        check_scheme({**base, "recertification": {"methods": ["wawancara"], "condition": "kapan-saja"}})
    assert "recertification.methods" in str(err.value) and "recertification.condition" in str(err.value)
    assert scheme.recertification == {**SHORT, "description": scheme.recertification.get("description")}


def test_holder_starts_recertification_on_the_short_path(short_scheme, candidate, assessor, event, admin_user,
                                                        committee):
    cert = make_holder(candidate, short_scheme, assessor, event, admin_user, valid_days=60, dues=(30,))
    link = recertification.start_recertification(cert, candidate)
    case = link.case
    assert case.purpose == "sertifikasi_ulang" and case.status == "draft" and link.previous == cert
    assert link.path == Recertification.Path.SHORT and link.methods == ["portofolio", "pihak_ketiga"]
    with pytest.raises(WorkflowError):  # once
        recertification.start_recertification(cert, candidate)
    # The FR.AK.02 record may use only the path's methods.
    case.status, case.assessor, case.event = "in_assessment", assessor, event
    case.save()
    give_evidence(case, assessor.user)  # the day's instruments ticked: every KUK has evidence
    units = list(short_scheme.units.all())
    today = timezone.localdate()
    bad = {u.pk: {"methods": ["observasi"], "result": "K"} for u in units}
    with pytest.raises(WorkflowError) as err:
        assessment_services.record_assessment(case, assessor.user, unit_results=bad, started_on=today,
                                              finished_on=today)
    assert "jalur singkat" in str(err.value.field_errors)
    case.refresh_from_db()
    assert case.status == "in_assessment"
    good = {u.pk: {"methods": ["portofolio"], "result": "K"} for u in units}
    assessment_services.record_assessment(case, assessor.user, unit_results=good, started_on=today, finished_on=today)
    # The certificate of the new case names the one it renews, also on its public page.
    case.refresh_from_db()
    case.status = "awaiting_decision"
    case.save()
    services.decide_competent(case, committee)
    services.sign_holder_agreement(case, candidate)
    new = services.issue_certificate(case, admin_user)
    assert new.renews == cert
    assert public.verification(new.public_id)[1]["renews"] == cert.number
    from django.test import Client

    body = Client().get(new.get_absolute_url()).content.decode()
    assert "data-renews" in body and cert.number in body


def test_full_path_without_a_clean_record(short_scheme, candidate, assessor, event, admin_user):
    cert = make_holder(candidate, short_scheme, assessor, event, admin_user, valid_days=60, dues=(-5,))
    surveillance.propose_suspension(cert.surveillance.checks.get(), admin_user, reason="terlewat")
    link = recertification.start_recertification(cert, candidate)
    assert link.path == Recertification.Path.FULL and link.methods == []
    assert "tidak bersih" in link.reason
    assert assessment_services.allowed_methods(link.case) is None


def test_full_path_when_the_scheme_has_none(scheme, candidate, assessor, event, admin_user):
    scheme.recertification = {}
    scheme.save()
    cert = make_holder(candidate, scheme, assessor, event, admin_user, valid_days=60)
    assert recertification.start_recertification(cert, candidate).path == Recertification.Path.FULL


def test_refused_outside_the_window_wrong_person_or_status(scheme, candidate, assessor, event, admin_user):
    early = make_holder(candidate, scheme, assessor, event, admin_user, valid_days=400)
    with pytest.raises(WorkflowError):
        recertification.start_recertification(early, candidate)
    cert = make_holder(candidate, scheme, assessor, event, admin_user, valid_days=30)
    other = make_user("lain", Role.CANDIDATE)
    with pytest.raises(NotAllowed):
        recertification.start_recertification(cert, other)
    with pytest.raises(NotAllowed):
        recertification.start_recertification(cert, admin_user)
    Certificate.objects.filter(pk=cert.pk).update(status="suspended")
    cert.refresh_from_db()
    with pytest.raises(WorkflowError):
        recertification.start_recertification(cert, candidate)
    Certificate.objects.filter(pk=cert.pk).update(status="active", valid_until=timezone.localdate() - dt.timedelta(1))
    cert.refresh_from_db()
    with pytest.raises(WorkflowError):  # expired
        recertification.start_recertification(cert, candidate)
    assert not Recertification.objects.exists()


def test_case_pages_say_which_path_and_why(client, short_scheme, candidate, assessor, event, admin_user):
    cert = make_holder(candidate, short_scheme, assessor, event, admin_user, valid_days=60, dues=(200,))
    client.force_login(candidate)
    body = client.get(cert.case.get_absolute_url()).content.decode()
    url = reverse("certification:recertify", args=[cert.pk])
    assert url in body
    assert 'data-path="short"' in client.get(url).content.decode()
    r = client.post(url)
    link = Recertification.objects.get()
    assert r.status_code == 302 and r["Location"] == link.case.get_absolute_url()
    body = client.get(link.case.get_absolute_url()).content.decode()
    assert 'data-recertification="short"' in body and cert.number in body and "rekam surveilan bersih" in body
    other = make_user("lain", Role.CANDIDATE)
    client.force_login(other)
    assert client.post(url).status_code == 403


def test_ordinary_cases_keep_every_method(case):
    assert assessment_services.allowed_methods(case) is None
