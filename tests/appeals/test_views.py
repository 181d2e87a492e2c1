"""The screens: the candidate's FR.AK.04 form, the public complaint form, the staff list and page, the PDF."""

import datetime as dt

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from kompeten.appeals import services as S
from kompeten.appeals.forms import STAMP_SALT
from kompeten.appeals.models import Grievance
from tests.conftest import make_user
from tests.s3 import ON_DISK_AND_S3

pytestmark = pytest.mark.django_db

FORM = {"explained": "1", "discussed": "0", "involve_other": "0", "reasons": "Portofolio tidak diperiksa.",
        "consent": "on"}


def login(client, user):
    client.force_login(user)


def stamp(seconds_ago=30):
    return signing.dumps(timezone.now().timestamp() - seconds_ago, salt=STAMP_SALT)


def test_candidate_lodges_an_appeal_from_the_case_page(client, bk_case, candidate):
    login(client, candidate)
    page = client.get(bk_case.get_absolute_url()).content.decode()
    url = reverse("appeals:appeal_new", args=[bk_case.pk])
    assert url in page and "Ajukan banding (FR.AK.04)" in page
    form = client.get(url).content.decode()
    assert "Apakah Proses Banding telah dijelaskan kepada Anda?" in form
    r = client.post(url, {**FORM, "consent": ""})
    assert r.status_code == 200 and "menandatangani FR.AK.04" in r.content.decode() and not Grievance.objects.exists()
    r = client.post(url, FORM)
    g = Grievance.objects.get()
    assert r.status_code == 302 and r.url == g.get_absolute_url()
    assert g.number in client.get(g.get_absolute_url()).content.decode()


def test_closed_appeal_form_says_why(client, bk_case, candidate):
    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        login(client, candidate)
        r = client.get(reverse("appeals:appeal_new", args=[bk_case.pk]))
        assert "Batas waktu banding sudah lewat" in r.content.decode() and 'name="reasons"' not in r.content.decode()
        client.post(reverse("appeals:appeal_new", args=[bk_case.pk]), FORM)
    assert not Grievance.objects.exists()


def test_candidate_sees_only_their_own_appeal(client, bk_case, candidate):
    g = S.lodge_appeal(bk_case, candidate, explained=True, discussed=True, involve_other=False, reasons="x",
                       consent=True)
    other = make_user("lain", "candidate")
    login(client, other)
    assert client.get(g.get_absolute_url()).status_code == 404
    assert client.get(reverse("appeals:pdf", args=[g.pk])).status_code == 404
    assert client.get(reverse("appeals:appeal_new", args=[bk_case.pk])).status_code == 403
    assert g.number not in client.get(reverse("appeals:mine")).content.decode()
    login(client, candidate)
    body = client.get(g.get_absolute_url()).content.decode()
    assert g.number in body and "Penelusuran" not in body  # the party does not see the investigation
    assert g.number in client.get(reverse("appeals:mine")).content.decode()


def test_ak04_pdf_renders(client, bk_case, candidate):
    g = S.lodge_appeal(bk_case, candidate, explained=True, discussed=False, involve_other=False,
                       reasons="Alasan dengan #tanda *khusus* _Typst_", consent=True)
    login(client, candidate)
    r = client.get(reverse("appeals:pdf", args=[g.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")


def test_anonymous_visitor_lodges_a_complaint(client, settings):
    r = client.get(reverse("appeals:complaint_new"))
    assert r.status_code == 200 and 'name="website"' in r.content.decode()
    data = {"about": "lsp", "subject": "Biaya", "reasons": "Diminta biaya tambahan di TUK.", "name": "Rina",
            "email": "rina@example.id", "website": "", "shown": stamp()}
    r = client.post(reverse("appeals:complaint_new"), data)
    assert r.status_code == 302
    g = Grievance.objects.get()
    assert g.lodged_by is None and g.number in client.get(r.url).content.decode()


def test_public_form_refuses_bots_and_floods(client, settings):
    settings.COMPLAINT_RATE_LIMIT = 1
    data = {"about": "lsp", "reasons": "Isi", "name": "Bot", "email": "bot@example.id", "shown": stamp()}
    r = client.post(reverse("appeals:complaint_new"), {**data, "website": "http://spam"})
    assert r.status_code == 200 and "tidak wajar" in r.content.decode()
    r = client.post(reverse("appeals:complaint_new"), {**data, "shown": stamp(seconds_ago=1)})
    assert "terlalu cepat" in r.content.decode()
    r = client.post(reverse("appeals:complaint_new"), {**data, "shown": "palsu"})
    assert "tidak wajar" in r.content.decode()
    assert not Grievance.objects.exists()
    assert client.post(reverse("appeals:complaint_new"), data).status_code == 302
    r = client.post(reverse("appeals:complaint_new"), {**data, "shown": stamp()})
    assert r.status_code == 200 and "Terlalu banyak pengaduan" in r.content.decode()
    assert Grievance.objects.count() == 1


def test_staff_handle_an_appeal_to_a_decision(client, bk_case, candidate, admin_user, lsp_head, committee):
    g = S.lodge_appeal(bk_case, candidate, explained=True, discussed=True, involve_other=False, reasons="x",
                       consent=True)
    login(client, admin_user)
    listing = client.get(reverse("appeals:list")).content.decode()
    assert g.number in listing
    assert g.number in client.get(reverse("home")).content.decode()
    act = lambda name, data=None: client.post(reverse("appeals:act", args=[g.pk, name]), data or {})  # noqa: E731
    act("acknowledge")
    r = act("assign", {"handler": committee.pk})  # decided the case: refused, with the reason
    assert "ikut memutuskan" in client.get(r.url).content.decode()
    act("assign", {"handler": lsp_head.pk})
    g.refresh_from_db()
    assert g.handler == lsp_head and g.acknowledged_at
    login(client, lsp_head)
    assert g.number in client.get(reverse("home")).content.decode()
    act("note", {"text": "Asesor diwawancarai."})
    act("decide", {"outcome": "upheld", "reopen": "decision", "reasons": "Bukti tidak dipertimbangkan."})
    g.refresh_from_db()
    bk_case.refresh_from_db()
    assert g.status == "upheld" and bk_case.status == "awaiting_decision"
    login(client, candidate)
    assert "Bukti tidak dipertimbangkan." in client.get(g.get_absolute_url()).content.decode()


def test_wrong_role_changes_nothing(client, bk_case, candidate, admin_user):
    g = S.lodge_appeal(bk_case, candidate, explained=True, discussed=True, involve_other=False, reasons="x",
                       consent=True)
    login(client, candidate)
    client.post(reverse("appeals:act", args=[g.pk, "assign"]), {"handler": admin_user.pk})
    assert client.get(reverse("appeals:list")).status_code == 403
    g.refresh_from_db()
    assert g.handler is None and g.status == "received"


@ON_DISK_AND_S3
def test_documents_served_only_to_staff_and_handler(client, bk_case, candidate, admin_user, lsp_head):
    from django.core.files.uploadedfile import SimpleUploadedFile

    g = S.lodge_appeal(bk_case, candidate, explained=True, discussed=True, involve_other=False, reasons="x",
                       consent=True)
    S.assign_handler(g, admin_user, lsp_head)
    doc = S.add_document(g, lsp_head, file=SimpleUploadedFile("b.pdf", b"%PDF-1.4 bukti"))
    url = reverse("appeals:document", args=[doc.pk])
    login(client, candidate)
    assert client.get(url).status_code == 403
    login(client, lsp_head)
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")


def test_appeal_is_a_next_step_only_where_an_appeal_is_possible(client, candidate, scheme, assessor, event, settings):
    """Issue 9: "Ajukan banding" is offered (next steps, buttons, the case page) on a BK recommendation or decision
    within the deadline, never on a K case nor after the deadline."""
    from kompeten.cases.workflow import allowed_acts, next_steps
    from tests.certification.helpers import make_case, recommend

    settings.APPEAL_WINDOW_DAYS = 14

    def offered(case):
        case.refresh_from_db()
        steps = {s.act.code for s in next_steps(case)}
        acts = {a.code for a in allowed_acts(candidate, case)}
        login(client, candidate)
        page = client.get(case.get_absolute_url()).content.decode()
        shown = "Ajukan banding (FR.AK.04)" in page
        assert ("lodge_appeal" in steps) == ("lodge_appeal" in acts) == shown, (case.status, steps, acts, shown)
        return shown

    k_case = make_case(candidate, scheme, assessor, event, status="assessed")
    recommend(k_case, "K")
    for status in ("assessed", "reviewed", "reported", "awaiting_decision", "competent"):
        k_case.status = status
        k_case.save(update_fields=["status"])
        assert not offered(k_case), status
    bk = make_case(candidate, scheme, assessor, event, status="assessed")
    recommend(bk, "BK")
    for status in ("assessed", "reviewed", "reported", "awaiting_decision"):
        bk.status = status
        bk.save(update_fields=["status"])
        assert offered(bk), status
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        assert not offered(bk)  # the deadline has passed: the panel says why, no button, no next step
        assert "Batas waktu banding sudah lewat" in client.get(bk.get_absolute_url()).content.decode()
