import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kompeten.cases import services
from kompeten.cases.models import Application, Case, Document, DocumentReview, SelfAssessmentAnswer
from kompeten.catalog.models import Requirement
from kompeten.core.models import Role
from tests.conftest import make_user
from tests.s3 import ON_DISK_AND_S3

from .helpers import APPLICATION, NIK_MALE, PDF, fill_case, review_items, submitted_case

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def place_in_event(case, site, assessor):
    """Put a case at a TUK with an assessor, as the events app would (for access tests)."""
    from kompeten.events.models import AssessmentEvent

    start = timezone.now() + timezone.timedelta(days=10)
    event = AssessmentEvent.objects.create(number="JDW-1", scheme=case.scheme, site=site, starts_at=start,
                                           ends_at=start + timezone.timedelta(hours=8), status="published")
    Case.objects.filter(pk=case.pk).update(event=event, assessor=assessor)
    case.refresh_from_db()
    return case


def test_start_case_from_brochure(client, scheme, candidate):
    url = reverse("cases:start", args=[scheme.code])
    resp = client.get(url)
    assert resp.status_code == 302 and reverse("login") in resp.url and "next=" in resp.url
    login(client, candidate)
    resp = client.post(url, {"purpose": "sertifikasi"})
    case = Case.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("cases:apl01", args=[case.pk])
    resp = client.post(url, {"purpose": "sertifikasi"})  # a second open case is refused on the form
    assert resp.status_code == 200 and "sudah memiliki permohonan" in resp.content.decode()
    assert Case.objects.count() == 1


def test_apl01_form_keeps_input_and_shows_nik_error(client, scheme, candidate):
    case = services.create_case(candidate, scheme)
    login(client, candidate)
    data = {k: ("" if v is None else v) for k, v in APPLICATION.items()}
    data.update(birth_date="1990-08-17", nik="3273011708910001", full_name="Budi S. Ketik")
    resp = client.post(reverse("cases:apl01", args=[case.pk]), data)
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "tidak sama dengan tanggal lahir" in html and "is-invalid" in html
    assert "Budi S. Ketik" in html  # what was typed is kept
    assert Application.objects.get(case=case).full_name == "Budi Santoso"
    data["nik"] = NIK_MALE
    resp = client.post(reverse("cases:apl01", args=[case.pk]), {**data, "next": "1"})
    assert resp.status_code == 302 and resp.url == reverse("cases:documents", args=[case.pk])
    assert Application.objects.get(case=case).nik == NIK_MALE


def test_apl02_form(client, scheme, candidate):
    case = services.create_case(candidate, scheme)
    doc = services.upload_document(case, candidate, file=SimpleUploadedFile("a.pdf", PDF))
    login(client, candidate)
    url = reverse("cases:apl02", args=[case.pk])
    html = client.get(url).content.decode()
    element = services.scheme_elements(scheme)[0]
    assert "Dapatkah saya" in html and element.criteria.first().text in html and "PANDUAN ASESMEN MANDIRI" in html
    resp = client.post(url, {f"answer_{element.pk}": "K", f"evidence_{element.pk}": [doc.pk]})
    assert resp.status_code == 302
    answer = SelfAssessmentAnswer.objects.get(case=case, element=element)
    assert answer.answer == "K" and list(answer.evidence.all()) == [doc]


@ON_DISK_AND_S3
def test_documents_page_upload_and_replace(client, scheme, candidate):
    case = services.create_case(candidate, scheme)
    req = Requirement.objects.filter(scheme=scheme, kind="administrative").first()
    login(client, candidate)
    url = reverse("cases:documents", args=[case.pk])
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    resp = client.post(url, {"requirement": req.pk, "title": "KTP", "file": bad})
    assert resp.status_code == 200 and "Jenis berkas tidak diterima" in resp.content.decode()
    assert Document.objects.count() == 0
    resp = client.post(url, {"requirement": req.pk, "title": "KTP", "file": SimpleUploadedFile("ktp.pdf", PDF)})
    assert resp.status_code == 302
    doc = Document.objects.get()
    resp = client.post(reverse("cases:replace_document", args=[doc.pk]),
                       {"file": SimpleUploadedFile("ktp2.pdf", PDF.replace(b"trailer", b"%v2\ntrailer"))})
    assert resp.status_code == 302
    assert Document.objects.count() == 2
    html = client.get(url).content.decode()
    assert "v2" in html and "Versi sebelumnya" in html


def test_submit_page_lists_missing_then_submits(client, scheme, candidate):
    case = services.create_case(candidate, scheme)
    login(client, candidate)
    url = reverse("cases:submit", args=[case.pk])
    html = client.get(url).content.decode()
    assert "belum dijawab K/BK" in html and "Dokumen belum diunggah" in html
    resp = client.post(url)
    assert resp.status_code == 200
    case.refresh_from_db()
    assert case.status == "draft"
    fill_case(case, candidate)
    resp = client.post(url)
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.status == "submitted"
    # a second submission of the same form is refused, nothing changes
    submitted_at = case.submitted_at
    resp = client.post(url)
    case.refresh_from_db()
    assert case.submitted_at == submitted_at and case.status == "submitted"


def test_case_page_for_candidate_and_admin(client, scheme, candidate, admin_user):
    case = submitted_case(scheme, candidate)
    login(client, candidate)
    html = client.get(case.get_absolute_url()).content.decode()
    assert case.number in html and "S2 Kelengkapan" in html and 'aria-current="step"' in html
    assert reverse("cases:withdraw", args=[case.pk]) in html
    assert reverse("cases:review", args=[case.pk]) not in html
    login(client, admin_user)
    html = client.get(case.get_absolute_url()).content.decode()
    assert reverse("cases:review", args=[case.pk]) in html
    assert html.count(reverse("cases:review", args=[case.pk])) == 1  # one button for three outcomes


def test_review_page_flow_and_candidate_sees_items(client, scheme, candidate, admin_user):
    case = submitted_case(scheme, candidate)
    reqs = list(Requirement.objects.filter(scheme=scheme))
    login(client, admin_user)
    url = reverse("cases:review", args=[case.pk])
    html = client.get(url).content.decode()
    assert "Budi Santoso" in html and NIK_MALE in html
    data = {f"check_{r.pk}": "meets" for r in reqs}
    data.update({f"check_{reqs[-1].pk}": "not_meets", f"comment_{reqs[-1].pk}": "Latar foto bukan merah",
                 "outcome": "returned", "note": ""})
    resp = client.post(url, data)
    assert resp.status_code == 200 and "Tuliskan catatan perbaikan" in resp.content.decode()
    assert DocumentReview.objects.count() == 0
    data["note"] = "Ganti pas foto"
    resp = client.post(url, data)
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.status == "revision"
    login(client, candidate)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Latar foto bukan merah" in html and reqs[-1].text in html and "Yang harus diperbaiki" in html
    assert reqs[0].text not in html.split("Yang harus diperbaiki")[1].split("</ul>")[0]
    html = client.get(reverse("cases:documents", args=[case.pk])).content.decode()
    assert "Perlu diperbaiki" in html


def test_review_page_refused_for_non_admin(client, scheme, candidate, committee):
    case = submitted_case(scheme, candidate)
    login(client, committee)
    assert client.get(reverse("cases:review", args=[case.pk])).status_code == 403
    login(client, candidate)
    assert client.get(reverse("cases:review", args=[case.pk])).status_code == 403


def test_withdraw_view(client, scheme, candidate):
    case = submitted_case(scheme, candidate)
    login(client, candidate)
    url = reverse("cases:withdraw", args=[case.pk])
    resp = client.post(url, {"reason": ""})
    assert resp.status_code == 200
    resp = client.post(url, {"reason": "Jadwal bentrok"})
    assert resp.status_code == 302
    case.refresh_from_db()
    assert case.status == "withdrawn"


def test_case_page_access(client, scheme, candidate, admin_user, committee, lsp_head, assessor, tuk_head, site):
    case = submitted_case(scheme, candidate)
    stranger = make_user("siti", Role.CANDIDATE)
    other_assessor_user = make_user("asesor2", Role.ASSESSOR)
    url = case.get_absolute_url()
    for user in (candidate, admin_user, committee, lsp_head):
        assert login(client, user).get(url).status_code == 200, user
    for user in (stranger, assessor.user, tuk_head, other_assessor_user):
        assert login(client, user).get(url).status_code == 403, user
    place_in_event(case, site, assessor)
    for user in (assessor.user, tuk_head):
        assert login(client, user).get(url).status_code == 200, user
    assert login(client, other_assessor_user).get(url).status_code == 403


@ON_DISK_AND_S3
def test_document_file_access_matrix(client, scheme, candidate, admin_user, committee, lsp_head, assessor,
                                     tuk_head, site, lead_assessor):
    case = submitted_case(scheme, candidate)
    doc = Document.objects.filter(case=case).first()
    url = reverse("cases:document_file", args=[doc.pk])
    stranger = make_user("siti", Role.CANDIDATE)
    assert client.get(url).status_code == 302  # anonymous → login
    for user in (stranger, assessor.user, tuk_head, lead_assessor):
        assert login(client, user).get(url).status_code == 403, user
    place_in_event(case, site, assessor)
    for user in (candidate, admin_user, committee, lsp_head, assessor.user, tuk_head):
        resp = login(client, user).get(url)
        assert resp.status_code == 200, user
        assert resp["Content-Type"] == "application/pdf"
        assert resp["Content-Disposition"].startswith("inline")
        assert "private" in resp["Cache-Control"] and resp["X-Content-Type-Options"] == "nosniff"
        assert b"".join(resp.streaming_content).startswith(b"%PDF-")
    assert login(client, stranger).get(url).status_code == 403


def test_pdfs(client, scheme, candidate, admin_user):
    case = submitted_case(scheme, candidate)
    services.review_documents(case, admin_user, items=review_items(scheme), outcome="accepted")
    login(client, candidate)
    for name in ("cases:apl01_pdf", "cases:apl02_pdf"):
        resp = client.get(reverse(name, args=[case.pk]))
        assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
        assert resp.content.startswith(b"%PDF") and len(resp.content) > 1000
    login(client, make_user("siti", Role.CANDIDATE))
    assert client.get(reverse("cases:apl01_pdf", args=[case.pk])).status_code == 403


def test_staff_list_scoping_search_and_queries(client, scheme, candidate, admin_user, assessor, tuk_head, site,
                                               django_assert_max_num_queries):
    cases = [submitted_case(scheme, candidate)]
    for i in range(24):
        user = make_user(f"asesi{i}", Role.CANDIDATE, first_name=f"Asesi{i}")
        cases.append(services.create_case(user, scheme))
    login(client, admin_user)
    url = reverse("cases:list")
    with django_assert_max_num_queries(12):
        resp = client.get(url)
    assert resp.status_code == 200 and len(resp.context["page"].object_list) == 20
    assert client.get(url, {"q": NIK_MALE}).context["page"].paginator.count == 1
    assert client.get(url, {"q": "Asesi1"}).context["page"].paginator.count == 11  # Asesi1, Asesi10..19
    assert client.get(url, {"status": "submitted"}).context["page"].paginator.count == 1
    assert client.get(url, {"q": cases[3].number}).context["page"].paginator.count == 1
    # an assessor and a TUK head only see their cases
    login(client, assessor.user)
    assert client.get(url).context["page"].paginator.count == 0
    place_in_event(cases[0], site, assessor)
    assert client.get(url).context["page"].paginator.count == 1
    login(client, tuk_head)
    assert client.get(url).context["page"].paginator.count == 1
    login(client, candidate)
    assert client.get(url).status_code == 403


def test_mine_lists_own_cases(client, scheme, candidate):
    login(client, candidate)
    html = client.get(reverse("cases:mine")).content.decode()
    assert "Belum ada permohonan" in html
    case = services.create_case(candidate, scheme)
    services.create_case(make_user("siti", Role.CANDIDATE), scheme)
    resp = client.get(reverse("cases:mine"))
    assert list(resp.context["page"].object_list) == [case]


def test_case_page_in_later_status(client, scheme, candidate, admin_user):
    case = submitted_case(scheme, candidate)
    Case.objects.filter(pk=case.pk).update(status="certified")
    login(client, admin_user)
    resp = client.get(case.get_absolute_url())
    assert resp.status_code == 200 and "S5 Sertifikasi" in resp.content.decode()


def test_submit_again_says_it_was_already_sent(client, scheme, candidate):
    """Found by the SOP walk: a repeated submission said "lengkapi dulu daftar di bawah" on a sent file."""
    case = submitted_case(scheme, candidate)
    login(client, candidate)
    resp = client.post(reverse("cases:submit", args=[case.pk]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "tidak dapat dilakukan karena status saat ini" in html and "lengkapi dulu daftar" not in html
    case.refresh_from_db()
    assert case.status == "submitted"
