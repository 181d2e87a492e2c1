"""S5 acts: every act's happy path and its refusals (each checks that nothing changed)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from kompeten.assessment import selectors
from kompeten.cases.models import Case
from kompeten.certification import services
from kompeten.certification.models import (
    Certificate,
    Decision,
    HolderAgreement,
    Surveillance,
    SurveillanceCheck,
)
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Notification, Role
from tests.conftest import make_user

from .helpers import make_case, recommend

pytestmark = pytest.mark.django_db


def _status(case):
    return Case.objects.get(pk=case.pk).status


# --- S5.1 ------------------------------------------------------------------------------------------


def test_recommendation_reader(case, monkeypatch):
    assert selectors.assessor_recommendation(case) is None
    recommend(case, "K", monkeypatch=monkeypatch)
    assert selectors.assessor_recommendation(case) == "K"
    assert {v for _u, v in selectors.unit_recommendations(case)} == {"K"}


def test_recommendation_is_bk_when_one_unit_is_bk(case, scheme, monkeypatch):
    first = scheme.units.first()
    recommend(case, "K", {first.code: "BK"}, monkeypatch=monkeypatch)
    assert selectors.assessor_recommendation(case) == "BK"


def test_decide_competent(case, committee, candidate, monkeypatch, django_capture_on_commit_callbacks):
    recommend(case, "K", monkeypatch=monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decide_competent(case, committee, reason="Semua unit K", meeting_ref="BA-07/2026")
    assert case.status == Case.Status.COMPETENT == _status(case)
    assert decision.decision == "K" and decision.decided_by == committee and decision.meeting_ref == "BA-07/2026"
    assert decision.recommendation == "K"
    assert history(case).first().act == "decide_competent"
    note = Notification.objects.get(recipient=candidate)
    assert "Kompeten" in note.title and "persetujuan" in note.body


def test_decide_competent_refused_when_assessor_recommended_bk(case, committee, scheme, monkeypatch):
    recommend(case, "K", {scheme.units.first().code: "BK"}, monkeypatch=monkeypatch)
    with pytest.raises(WorkflowError) as exc:
        services.decide_competent(case, committee)
    assert "Belum Kompeten" in exc.value.message and "decision" in exc.value.field_errors
    assert _status(case) == "awaiting_decision" and not Decision.objects.exists()
    assert not history(case).exists()


def test_decide_competent_refused_without_recommendation(case, committee):
    with pytest.raises(WorkflowError, match="Rekomendasi asesor"):
        services.decide_competent(case, committee)
    assert _status(case) == "awaiting_decision" and not Decision.objects.exists()


def test_assessor_who_is_committee_member_is_refused(case, assessor, monkeypatch):
    from kompeten.core.models import RoleAssignment

    RoleAssignment.objects.create(user=assessor.user, role=Role.COMMITTEE)
    recommend(case, "K", monkeypatch=monkeypatch)
    user = type(assessor.user).objects.get(pk=assessor.user_id)
    with pytest.raises(NotAllowed) as exc:
        services.decide_competent(case, user)
    assert "pernah menjadi asesor" in exc.value.message
    with pytest.raises(NotAllowed):
        services.decide_not_competent(case, user, reason="x")
    assert _status(case) == "awaiting_decision" and not Decision.objects.exists()


def test_non_committee_is_refused(case, admin_user, candidate, monkeypatch):
    recommend(case, "K", monkeypatch=monkeypatch)
    for person in (admin_user, candidate):
        with pytest.raises(NotAllowed, match="Komite teknis"):
            services.decide_competent(case, person)
    assert _status(case) == "awaiting_decision" and not Decision.objects.exists()


def test_decide_wrong_status(candidate, scheme, assessor, event, committee, monkeypatch):
    case = make_case(candidate, scheme, assessor, event, status="reported")
    recommend(case, "K", monkeypatch=monkeypatch)
    with pytest.raises(WorkflowError, match="status saat ini"):
        services.decide_competent(case, committee)
    assert _status(case) == "reported" and not Decision.objects.exists()


def test_decide_not_competent(case, committee, candidate, monkeypatch, django_capture_on_commit_callbacks):
    recommend(case, "BK", monkeypatch=monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        d = services.decide_not_competent(case, committee, reason="Unit 3 belum kompeten")
    assert _status(case) == "not_competent" and d.decision == "BK" and d.reason == "Unit 3 belum kompeten"
    assert "banding" in Notification.objects.get(recipient=candidate).body


def test_decide_not_competent_needs_reason(case, committee):
    with pytest.raises(WorkflowError) as exc:
        services.decide_not_competent(case, committee, reason="   ")
    assert "reason" in exc.value.field_errors
    assert _status(case) == "awaiting_decision" and not Decision.objects.exists()


# --- S5.2 ------------------------------------------------------------------------------------------


@pytest.fixture
def competent(case, committee, monkeypatch):
    recommend(case, "K", monkeypatch=monkeypatch)
    services.decide_competent(case, committee)
    return case


def test_sign_holder_agreement(competent, candidate, lsp_head, django_capture_on_commit_callbacks):
    from kompeten.cases.workflow import allowed_acts

    assert "sign_holder_agreement" in [a.code for a in allowed_acts(candidate, competent)]
    with django_capture_on_commit_callbacks(execute=True):
        agreement = services.sign_holder_agreement(competent, candidate)
    assert agreement.signed_by == candidate and "surveilan" in agreement.text
    assert _status(competent) == "competent"
    assert "sign_holder_agreement" not in [a.code for a in allowed_acts(candidate, competent)]
    assert Notification.objects.filter(recipient=lsp_head).exists()


def test_second_agreement_refused(competent, candidate):
    first = services.sign_holder_agreement(competent, candidate)
    with pytest.raises(WorkflowError, match="sudah Anda tandatangani"):
        services.sign_holder_agreement(competent, candidate)
    assert list(HolderAgreement.objects.all()) == [first]


def test_agreement_only_by_the_candidate(competent, admin_user):
    other = make_user("lain", Role.CANDIDATE)
    for person in (admin_user, other):
        with pytest.raises(NotAllowed):
            services.sign_holder_agreement(competent, person)
    assert not HolderAgreement.objects.exists()


def test_agreement_wrong_status(case, candidate):
    with pytest.raises(WorkflowError):
        services.sign_holder_agreement(case, candidate)
    assert not HolderAgreement.objects.exists()


def test_issue_certificate(competent, candidate, lsp_head, scheme, django_capture_on_commit_callbacks):
    services.sign_holder_agreement(competent, candidate)
    with django_capture_on_commit_callbacks(execute=True):
        cert = services.issue_certificate(competent, lsp_head)
    year = timezone.localdate().year
    assert cert.number == f"CERT/LSP-TDN/JWD/{year}/00001"
    assert _status(competent) == "certified"
    assert cert.holder_name == "Budi Santoso" and cert.scheme == scheme
    assert cert.valid_until == services.add_years(cert.issued_on, scheme.validity_years)
    assert cert.current_status == "active" and len(cert.public_id) >= 20
    assert cert.bnsp_registration_number == "" and cert.blanko_number == ""
    assert cert.number in Notification.objects.get(recipient=candidate, title__contains="terbit").body


def test_issue_before_agreement_refused(competent, lsp_head):
    with pytest.raises(WorkflowError, match="belum menandatangani"):
        services.issue_certificate(competent, lsp_head)
    assert _status(competent) == "competent" and not Certificate.objects.exists()


def test_issue_by_wrong_role_refused(competent, candidate, committee):
    services.sign_holder_agreement(competent, candidate)
    for person in (candidate, committee):
        with pytest.raises(NotAllowed):
            services.issue_certificate(competent, person)
    assert _status(competent) == "competent" and not Certificate.objects.exists()


def test_issue_wrong_status(case, admin_user):
    with pytest.raises(WorkflowError):
        services.issue_certificate(case, admin_user)
    assert not Certificate.objects.exists()


def test_numbers_unique_and_never_reused(candidate, scheme, assessor, event, committee, admin_user, monkeypatch):
    numbers = []
    for _i in range(12):
        c = make_case(candidate, scheme, assessor, event)
        recommend(c, "K", monkeypatch=monkeypatch)
        services.decide_competent(c, committee)
        services.sign_holder_agreement(c, candidate)
        numbers.append(services.issue_certificate(c, admin_user).number)
    assert len(set(numbers)) == 12
    assert [int(n.rsplit("/", 1)[1]) for n in numbers] == list(range(1, 13))
    assert all(re.fullmatch(r"CERT/LSP-TDN/JWD/\d{4}/\d{5}", n) for n in numbers)
    Certificate.objects.filter(number=numbers[-1]).update(status="revoked")
    c = make_case(candidate, scheme, assessor, event)
    recommend(c, "K", monkeypatch=monkeypatch)
    services.decide_competent(c, committee)
    services.sign_holder_agreement(c, candidate)
    assert services.issue_certificate(c, admin_user).number.endswith("/00013")


def test_expiry_is_computed(competent, candidate, admin_user):
    services.sign_holder_agreement(competent, candidate)
    cert = services.issue_certificate(competent, admin_user)
    Certificate.objects.filter(pk=cert.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    cert.refresh_from_db()
    assert cert.current_status == "expired" and str(cert.current_status_label) == "Kedaluwarsa"
    Certificate.objects.filter(pk=cert.pk).update(status="suspended")
    cert.refresh_from_db()
    assert cert.current_status == "suspended"


def test_add_years_on_leap_day():
    assert services.add_years(dt.date(2028, 2, 29), 3) == dt.date(2031, 2, 28)


# --- S5.3 ------------------------------------------------------------------------------------------


@pytest.fixture
def certified(competent, candidate, admin_user):
    services.sign_holder_agreement(competent, candidate)
    services.issue_certificate(competent, admin_user)
    return competent


def test_enrol_surveillance(certified, admin_user, candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        s = services.enrol_surveillance(certified, admin_user)
    assert _status(certified) == "surveillance"
    cert = s.certificate
    dues = list(s.checks.values_list("due_on", flat=True))
    assert dues[0] == services.add_years(cert.issued_on, 1)
    assert all(d <= cert.valid_until for d in dues) and len(dues) == cert.scheme.validity_years
    note = Notification.objects.get(recipient=candidate, title__contains="surveilan")
    assert note.due == dues[0]


def test_enrol_with_first_due(certified, admin_user):
    first = timezone.localdate() + dt.timedelta(days=90)
    s = services.enrol_surveillance(certified, admin_user, first_due=first)
    assert s.checks.first().due_on == first


def test_enrol_bad_first_due(certified, admin_user):
    with pytest.raises(WorkflowError) as exc:
        services.enrol_surveillance(certified, admin_user, first_due=timezone.localdate() - dt.timedelta(days=1))
    assert "first_due" in exc.value.field_errors
    assert _status(certified) == "certified" and not Surveillance.objects.exists()
    assert not SurveillanceCheck.objects.exists()


def test_enrol_refusals(certified, competent, candidate, lsp_head):
    for person in (candidate, lsp_head):
        with pytest.raises(NotAllowed):
            services.enrol_surveillance(certified, person)
    assert _status(certified) == "certified" and not Surveillance.objects.exists()


def test_enrol_wrong_status(case, admin_user):
    with pytest.raises(WorkflowError):
        services.enrol_surveillance(case, admin_user)
    assert not Surveillance.objects.exists()


def test_scan_is_logged_with_hashed_ip(certified):
    cert = Certificate.objects.get()
    scan = services.record_scan(cert, ip="10.0.0.7", user_agent="UA")
    assert scan.ip_hash and "10.0.0.7" not in scan.ip_hash and scan.user_agent == "UA"
