"""Screens of S5 as the right person: decision, agreement, issue, PDF, verification, surveillance list."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kompeten.cases.models import Case
from kompeten.certification import scanlog, services
from kompeten.certification.models import (
    Certificate,
    Decision,
    HolderAgreement,
    Surveillance,
    VerificationScan,
)
from kompeten.core.models import Role

from .helpers import make_case, recommend

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(case, committee, candidate, admin_user, monkeypatch):
    recommend(case, "K", monkeypatch=monkeypatch)
    services.decide_competent(case, committee)
    services.sign_holder_agreement(case, candidate)
    services.issue_certificate(case, admin_user)
    return case


def test_decide_page_shows_case_file_and_decides(client, case, committee, monkeypatch):
    recommend(case, "K", monkeypatch=monkeypatch)
    client.force_login(committee)
    url = reverse("certification:decide", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Budi Santoso" in html and case.scheme.units.first().code in html and "Rekomendasi: Kompeten" in html
    response = client.post(url, {"decision": "K", "meeting_ref": "BA-01", "reason": ""})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "competent"
    assert Decision.objects.get().meeting_ref == "BA-01"


def test_decide_bk_without_reason_keeps_input(client, case, committee):
    client.force_login(committee)
    response = client.post(reverse("certification:decide", args=[case.pk]),
                           {"decision": "BK", "meeting_ref": "BA-02", "reason": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Alasan wajib diisi" in html and 'value="BA-02"' in html
    assert Case.objects.get(pk=case.pk).status == "awaiting_decision" and not Decision.objects.exists()


def test_decide_k_with_bk_recommendation_shows_error(client, case, committee, monkeypatch):
    recommend(case, "BK", monkeypatch=monkeypatch)
    client.force_login(committee)
    response = client.post(reverse("certification:decide", args=[case.pk]),
                           {"decision": "K", "meeting_ref": "BA-03", "reason": ""})
    assert response.status_code == 200
    assert "rekomendasi asesor BK" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "awaiting_decision"


def test_decide_page_refuses_the_assessor(client, case, assessor):
    from kompeten.core.models import RoleAssignment

    RoleAssignment.objects.create(user=assessor.user, role=Role.COMMITTEE)
    client.force_login(assessor.user)
    response = client.post(reverse("certification:decide", args=[case.pk]), {"decision": "BK", "reason": "x"})
    assert response.status_code == 403
    assert "pernah menjadi asesor" in response.content.decode()
    assert not Decision.objects.exists()


def test_agreement_page_and_sign(client, case, committee, candidate, monkeypatch):
    recommend(case, "K", monkeypatch=monkeypatch)
    services.decide_competent(case, committee)
    client.force_login(candidate)
    url = reverse("certification:agreement", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200 and "surveilan" in page.content.decode()
    assert "Centang" in client.post(url, {}).content.decode()
    assert not HolderAgreement.objects.exists()
    assert client.post(url, {"accept": "on"}).status_code == 302
    assert HolderAgreement.objects.get().signed_by == candidate
    assert "Ditandatangani secara elektronik" in client.get(url).content.decode()


def test_issue_page(client, case, committee, candidate, lsp_head, monkeypatch):
    recommend(case, "K", monkeypatch=monkeypatch)
    services.decide_competent(case, committee)
    services.sign_holder_agreement(case, candidate)
    client.force_login(lsp_head)
    url = reverse("certification:issue", args=[case.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert Certificate.objects.get().case == case


def test_issue_page_forbidden_for_candidate(client, case, candidate):
    client.force_login(candidate)
    assert client.post(reverse("certification:issue", args=[case.pk])).status_code == 403
    assert not Certificate.objects.exists()


def test_certificate_pdf(client, certified, candidate, lsp_head):
    cert = Certificate.objects.get()
    for person in (candidate, lsp_head):
        client.force_login(person)
        response = client.get(reverse("certification:certificate_pdf", args=[cert.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and len(response.content) > 1000


def test_certificate_pdf_forbidden_to_others(client, certified, assessor):
    client.force_login(assessor.user)
    cert = Certificate.objects.get()
    assert client.get(reverse("certification:certificate_pdf", args=[cert.pk])).status_code == 403


def test_verify_page_public_status_and_no_personal_data(client, certified, candidate):
    from kompeten.cases.models import Application

    Application.objects.update_or_create(case=certified, defaults={
        "nik": "3273010101900001", "address": "Jl. Rahasia No. 9"})
    cert = Certificate.objects.get()
    response = client.get(reverse("certification:verify", args=[cert.public_id]), HTTP_USER_AGENT="Scanner/1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "BERLAKU" in html and cert.number in html and "Budi Santoso" in html
    assert "3273010101900001" not in html and "Rahasia" not in html and candidate.email not in html
    scanlog.flush()  # looks are written in bulk after responses (certification.scanlog)
    scan = VerificationScan.objects.get()
    assert scan.certificate == cert and scan.user_agent == "Scanner/1" and scan.ip_hash
    Certificate.objects.filter(pk=cert.pk).update(status="revoked")
    assert "DICABUT" in client.get(reverse("certification:verify", args=[cert.public_id])).content.decode()
    Certificate.objects.filter(pk=cert.pk).update(status="suspended")
    assert "DIBEKUKAN" in client.get(reverse("certification:verify", args=[cert.public_id])).content.decode()
    Certificate.objects.filter(pk=cert.pk).update(status="active", valid_until=timezone.localdate() - dt.timedelta(1))
    assert "KEDALUWARSA" in client.get(reverse("certification:verify", args=[cert.public_id])).content.decode()
    scanlog.flush()
    assert VerificationScan.objects.count() == 4


def test_verify_unknown_id_404(client, db):
    assert client.get(reverse("certification:verify", args=["tidak-ada"])).status_code == 404
    assert client.get(reverse("certification:verify_json", args=["tidak-ada"])).status_code == 404


def test_verify_json(client, certified):
    cert = Certificate.objects.get()
    data = client.get(reverse("certification:verify_json", args=[cert.public_id])).json()
    assert data["number"] == cert.number and data["status"] == "active" and data["holder_name"] == "Budi Santoso"
    assert "nik" not in str(data).lower() and "email" not in str(data).lower()
    scanlog.flush()
    assert VerificationScan.objects.get().channel == "json"


def test_verify_form(client, certified):
    cert = Certificate.objects.get()
    url = reverse("certification:verify_form")
    assert client.get(url).status_code == 200
    response = client.get(url, {"number": cert.number})
    assert response.status_code == 302 and response.url == reverse("certification:verify", args=[cert.public_id])
    missing = client.get(url, {"number": "CERT/LSP-TDN/JWD/2026/99999"})
    assert missing.status_code == 200 and "tidak ditemukan" in missing.content.decode()
    assert "CERT/LSP-TDN/JWD/2026/99999" in missing.content.decode()


def test_enrol_page(client, certified, admin_user):
    client.force_login(admin_user)
    url = reverse("certification:enrol", args=[certified.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"first_due": "2000-01-01"})
    assert bad.status_code == 200 and "setelah hari ini" in bad.content.decode()
    assert not Surveillance.objects.exists()
    assert client.post(url, {"first_due": ""}).status_code == 302
    assert Case.objects.get(pk=certified.pk).status == "surveillance"


def test_surveillance_list_filters_and_constant_queries(client, admin_user, candidate, scheme, assessor, event,
                                                        committee, monkeypatch, django_assert_max_num_queries):
    for _i in range(3):
        c = make_case(candidate, scheme, assessor, event)
        recommend(c, "K", monkeypatch=monkeypatch)
        services.decide_competent(c, committee)
        services.sign_holder_agreement(c, candidate)
        services.issue_certificate(c, admin_user)
        services.enrol_surveillance(c, admin_user)
    first = Surveillance.objects.order_by("id").first()
    first.checks.filter(order=1).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    second = Surveillance.objects.order_by("id")[1]
    second.checks.filter(order=1).update(due_on=timezone.localdate() + dt.timedelta(days=10))
    client.force_login(admin_user)
    url = reverse("certification:surveillance")
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200 and page.content.decode().count("CERT/LSP-TDN/JWD/") == 3
    overdue = client.get(url, {"due": "overdue"}).content.decode()
    assert first.certificate.number in overdue and second.certificate.number not in overdue
    soon = client.get(url, {"due": "soon"}).content.decode()
    assert second.certificate.number in soon and first.certificate.number not in soon
    empty = client.get(url, {"q": "tidak-ada"}).content.decode()
    assert "Tidak ada yang cocok" in empty


def test_surveillance_list_empty_and_forbidden(client, admin_user, candidate):
    client.force_login(admin_user)
    assert "Belum ada pemegang sertifikat" in client.get(reverse("certification:surveillance")).content.decode()
    client.force_login(candidate)
    assert client.get(reverse("certification:surveillance")).status_code == 403


def test_panels_and_act_urls_registered(certified, candidate, admin_user):
    from kompeten.cases.panels import ACT_URLS, CASE_PANELS, render_panels

    assert ACT_URLS["decide_competent"] == "certification:decide"
    assert ACT_URLS["enrol_surveillance"] == "certification:enrol"
    shown = dict(render_panels(CASE_PANELS, certified, candidate))
    assert shown["certification/panels/certificate.html"]["can_download"] is True
    assert shown["certification/panels/decision.html"]["decision"].decision == "K"
    services.enrol_surveillance(certified, admin_user)
    shown = dict(render_panels(CASE_PANELS, certified, candidate))
    assert shown["certification/panels/surveillance.html"]["surveillance"].checks.count() >= 1


def test_case_page_shows_certificate_panel(client, certified, candidate):
    client.force_login(candidate)
    html = client.get(reverse("cases:detail", args=[certified.pk])).content.decode()
    cert = Certificate.objects.get()
    assert cert.number in html and reverse("certification:certificate_pdf", args=[cert.pk]) in html
    assert reverse("certification:verify", args=[cert.public_id]) in html
