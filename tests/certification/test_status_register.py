"""Suspension, reinstatement, withdrawal (acts of the workflow, on every channel at once); verification looks
logged off the hot path; the public register and the staff register with XLSX."""

import datetime as dt
import io

import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kompeten.certification import scanlog, status
from kompeten.certification import status_list as sl
from kompeten.certification.models import Certificate, VerificationScan
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import ActionLog, Notification

from .helpers import make_case

pytestmark = pytest.mark.django_db


def _list_bit(purpose, cert):
    import json

    doc = json.loads(sl.list_credential_json(purpose, 0))
    return sl.bit_is_set(doc["credentialSubject"]["encodedList"], cert.credential.status_index % sl.LIST_SIZE)


def _channels(client, cert):
    page = client.get(reverse("certification:verify", args=[cert.public_id])).content.decode()
    data = client.get(reverse("certification:verify_json", args=[cert.public_id])).json()
    return page, data


def test_suspend_reinstate_withdraw_on_every_channel(client, cert, admin_user, lsp_head, candidate,
                                                    django_capture_on_commit_callbacks):
    case = cert.case
    with django_capture_on_commit_callbacks(execute=True):
        status.suspend_certificate(case, lsp_head, reason="Tidak mengikuti surveilan",
                                   public_note="Menunggu surveilan")
    cert.refresh_from_db()
    assert cert.status == "suspended" and case.status == "certified"
    page, data = _channels(client, cert)
    assert "DIBEKUKAN" in page and "Menunggu surveilan" in page
    assert data["status"] == "suspended" and data["status_note"] == "Menunggu surveilan"
    assert _list_bit("suspension", cert) and not _list_bit("revocation", cert)
    entry = ActionLog.objects.filter(act="suspend_certificate").get()
    assert entry.reason == "Tidak mengikuti surveilan" and entry.actor == lsp_head
    assert entry.data["certificate_status_after"] == "suspended"
    assert Notification.objects.filter(recipient=candidate, title__icontains="dibekukan").exists()

    status.reinstate_certificate(case, admin_user, reason="Surveilan dipenuhi")
    cert.refresh_from_db()
    page, data = _channels(client, cert)
    assert data["status"] == "active" and data["status_note"] == "" and "BERLAKU" in page
    assert not _list_bit("suspension", cert)

    status.withdraw_certificate(case, admin_user, reason="Pemalsuan dokumen terbukti", public_note="Dicabut LSP")
    page, data = _channels(client, cert)
    assert data["status"] == "revoked" and "DICABUT" in page and _list_bit("revocation", cert)
    assert ActionLog.objects.filter(act__in=list(status.ACTS)).count() == 3


def test_status_acts_refused(cert, admin_user, candidate, committee, assessor, scheme, event):
    case = cert.case
    with pytest.raises(WorkflowError, match="Alasan|alasan"):
        status.suspend_certificate(case, admin_user, reason="  ")
    for person in (candidate, committee, assessor.user):
        with pytest.raises(NotAllowed):
            status.suspend_certificate(case, person, reason="x")
    with pytest.raises(WorkflowError, match="dibekukan yang dapat"):
        status.reinstate_certificate(case, admin_user, reason="x")
    status.withdraw_certificate(case, admin_user, reason="x")
    for act in (status.suspend_certificate, status.withdraw_certificate, status.reinstate_certificate):
        with pytest.raises(WorkflowError):
            act(case, admin_user, reason="x")
    assert Certificate.objects.get().status == "revoked"
    # an expired certificate cannot be suspended
    other = make_case(candidate, scheme, assessor, event, status="awaiting_decision")
    with pytest.raises(WorkflowError):  # no certificate yet, and not in the status the act starts from
        status.suspend_certificate(other, admin_user, reason="x")
    assert ActionLog.objects.filter(act="suspend_certificate").count() == 0


def test_status_act_screen(client, cert, admin_user, candidate):
    case_page = reverse("cases:detail", args=[cert.case.pk])
    client.force_login(admin_user)
    assert "Bekukan sertifikat" in client.get(case_page).content.decode()
    url = reverse("certification:change_status", args=[cert.pk, "suspend_certificate"])
    response = client.post(url, {"reason": "", "public_note": ""})
    assert response.status_code == 200 and "Alasan wajib diisi" in response.content.decode()
    assert client.post(url, {"reason": "Pengaduan terbukti", "public_note": ""}).status_code == 302
    assert Certificate.objects.get().status == "suspended"
    html = client.get(case_page).content.decode()
    assert "Berlakukan kembali sertifikat" in html and "Bekukan sertifikat" not in html
    client.force_login(candidate)
    assert "Berlakukan kembali" not in client.get(case_page).content.decode()
    assert client.post(url.replace("suspend", "reinstate"), {"reason": "x"}).status_code == 403
    assert client.get(reverse("certification:change_status", args=[cert.pk, "nope"])).status_code == 404


def test_certificate_status_not_editable_in_django_admin(cert, rf, admin_user):
    model_admin = admin_site._registry[Certificate]
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_change_permission(request, cert)
    assert not model_admin.has_add_permission(request) and not model_admin.has_delete_permission(request, cert)


# --- verification looks ----------------------------------------------------------------------------


def test_verification_look_writes_nothing_in_the_view(client, cert, settings):
    settings.SCAN_FLUSH_EVERY, settings.SCAN_FLUSH_SECONDS = 1000, 3600
    url = reverse("certification:verify_json", args=[cert.public_id])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, HTTP_USER_AGENT="Pemindai/2").status_code == 200
        client.get(reverse("certification:verify", args=[cert.public_id]))
    # A prepared statement (the look-up on PostgreSQL) is logged in Django's "QUERY = '…' - PARAMS = …" form.
    writes = [q["sql"] for q in queries
              if not q["sql"].lstrip().removeprefix("QUERY = '").upper().startswith("SELECT")]
    assert writes == [] and not VerificationScan.objects.exists() and scanlog.pending() == 2
    assert scanlog.flush() == 2
    scans = list(VerificationScan.objects.order_by("at"))
    assert [s.channel for s in scans] == ["json", "html"] and scans[0].user_agent == "Pemindai/2"


def test_buffer_written_in_one_insert_after_the_response(client, cert, settings):
    settings.SCAN_FLUSH_EVERY, settings.SCAN_FLUSH_SECONDS = 3, 3600
    url = reverse("certification:verify_json", args=[cert.public_id])
    client.get(url)
    client.get(url)
    assert scanlog.pending() == 2 and not VerificationScan.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)  # the third look: written after this response, all three at once
    inserts = [q for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1 and VerificationScan.objects.count() == 3 and scanlog.pending() == 0


# --- registers -------------------------------------------------------------------------------------


def test_public_register_by_name_and_number_shows_only_four_fields(client, cert, settings):
    url = reverse("certification:public_register")
    short = client.get(url, {"q": "Bu"})
    assert short.status_code == 200 and "paling sedikit 3 huruf" in short.content.decode()
    html = client.get(url, {"q": "santos"}).content.decode()
    assert "Budi Santoso" in html and cert.number in html and cert.scheme.title in html and "Berlaku" in html
    assert cert.public_id not in html  # no link to the certificate's page: only the four fields
    from kompeten.core.dates import format_date
    assert format_date(cert.valid_until) not in html and format_date(cert.issued_on) not in html
    assert "Budi Santoso" in client.get(url, {"q": cert.number.lower()}).content.decode()
    assert "Budi Santoso" not in client.get(url, {"q": cert.number[:-1]}).content.decode()  # numbers: exact
    settings.KOMPETEN_LOOKUP_LIMIT = 3
    assert client.get(url, {"q": "santos"}).status_code == 429


def test_staff_register_filters_paging_and_xlsx(client, cert, admin_user, candidate, scheme, assessor, event):
    today = timezone.localdate()
    for i in range(22):
        c = make_case(candidate, scheme, assessor, event, status="certified")
        Certificate.objects.create(number=f"CERT/T/{i:03d}", case=c, holder_name=f"Pemegang {i:02d}", scheme=scheme,
                                   issued_on=today - dt.timedelta(days=400 * (i % 2)),
                                   valid_until=today + dt.timedelta(days=10 + i), issued_by=admin_user,
                                   status="suspended" if i == 5 else "active")
    url = reverse("certification:register")
    client.force_login(candidate)
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    page = client.get(url).content.decode()
    assert "page=2" in page and page.count('<td class="small font-monospace text-nowrap">') == 20
    assert client.get(url, {"page": "2"}).content.decode().count('<td class="small font-monospace text-nowrap">') == 3
    assert "Pemegang 05" in client.get(url, {"status": "suspended"}).content.decode()
    assert "Pemegang 04" not in client.get(url, {"status": "suspended"}).content.decode()
    soon = client.get(url, {"expiring": "12"}).content.decode()
    assert "Pemegang 00" in soon and "Pemegang 02" in soon and "Pemegang 03" not in soon
    last_year = client.get(url, {"year": str((today - dt.timedelta(days=400)).year)}).content.decode()
    assert "Pemegang 01" in last_year and "Pemegang 00" not in last_year
    assert client.get(url, {"year": "abc", "expiring": "-4", "status": "x", "scheme": "zz"}).status_code == 200
    response = client.get(url, {"format": "xlsx", "status": "suspended"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.values)
    assert list(rows[0]) == ["Nomor sertifikat", "Nama pemegang", "Skema", "Nomor skema", "Tanggal terbit",
                             "Berlaku sampai", "Status", "Nomor registrasi BNSP", "Nomor blanko", "Nomor permohonan"]
    assert len(rows) == 2 and rows[1][0] == "CERT/T/005" and rows[1][6] == "Dibekukan"
    assert rows[1][5].date() == today + dt.timedelta(days=15)
    all_rows = list(load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active.values)
    assert len(all_rows) == 24  # header + 23 certificates, not only the first page
