"""The candidate's journey in a phone-sized browser: catalogue → brochure → register → APL.01 (a wrong NIK
first) → documents (an invalid file first) → APL.02 → submit → (staff via services) → confirm schedule →
sign FR.AK.01. The case page's status text is checked at each stage; screenshots go to test-artifacts/."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kompeten.cases import services as cases
from kompeten.cases.models import Case
from kompeten.catalog.models import Requirement
from kompeten.core.models import User
from tests.cases.helpers import PNG, review_items  # PNG: a whole image (uploads are checked throughout)
from tests.events.helpers import future, publish_ready

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EMAIL = "rina.permata@example.id"
PASSWORD = "Sertifikasi-2026!"
# A woman born 05-03-1995 in Bandung (32 73 01): the day is written +40 for women.
NIK_VALID = "3273014503950003"


@pytest.fixture
def files(tmp_path):
    paths = {"pdf": tmp_path / "ijazah.pdf", "png": tmp_path / "pas-foto.png", "fake": tmp_path / "ktp.pdf"}
    paths["pdf"].write_bytes(PDF)
    paths["png"].write_bytes(PNG)
    paths["fake"].write_text("ini bukan PDF, hanya teks biasa\n")
    return paths


def status_text(page, case):
    """The case page shows the status label of the case (badge in the heading)."""
    page.goto(f"/permohonan/{case.pk}/")
    return page.locator("h1").inner_text()


def test_candidate_journey(page, shot, files, scheme, site, admin_user, assessor):
    # --- public catalogue: search, open the brochure --------------------------------------------------
    page.goto("/skema/")
    expect(page.locator("h1")).to_contain_text("Skema sertifikasi")
    page.fill("#q", "web developer")
    page.locator("form[role=search] button.btn-primary").click()
    page.wait_for_load_state()
    assert "q=web" in page.url
    shot(page, "katalog-cari")
    page.get_by_role("link", name=scheme.title).click()
    expect(page.locator("h1")).to_contain_text(scheme.title)
    shot(page, "brosur")

    # --- "Ajukan permohonan" → register a new account -----------------------------------------------
    page.get_by_role("link", name="Ajukan permohonan").first.click()
    expect(page).to_have_url(re.compile(r"/daftar/"))
    page.fill("input[name=full_name]", "Rina Permata")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=phone]", "081298765432")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    shot(page, "daftar")
    page.get_by_role("button", name="Buat akun").click()

    # Back on "Ajukan permohonan" (the ?next= link): choose the purpose, create the draft.
    expect(page.locator("h1")).to_contain_text("Ajukan permohonan sertifikasi")
    candidate = User.objects.get(email=EMAIL)
    page.check("input[name=purpose][value=sertifikasi]")
    shot(page, "tujuan")
    page.get_by_role("button", name="Buat permohonan").click()
    expect(page.locator("h1")).to_contain_text("FR.APL.01")
    case = Case.objects.get(candidate=candidate)
    assert case.status == "draft"

    # --- APL.01: a wrong NIK first -------------------------------------------------------------------
    page.fill("input[name=full_name]", "Rina Permata")
    page.fill("input[name=nik]", "3273011708900001")  # a man's NIK born 17-08-1990: does not match
    page.fill("input[name=birth_place]", "Bandung")
    page.fill("input[name=birth_date]", "1995-03-05")
    page.check("input[name=sex][value=P]")
    page.fill("input[name=nationality]", "Indonesia")
    page.fill("textarea[name=address]", "Jl. Dago 21, Bandung")
    page.fill("input[name=postcode]", "40135")
    page.fill("input[name=phone]", "081298765432")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=education]", "D3 Teknik Informatika")
    page.fill("input[name=employer]", "PT Kreasi Digital")
    page.fill("input[name=position]", "Staf Pemrograman Web")
    page.fill("textarea[name=office_address]", "Jl. Asia Afrika 8, Bandung")
    page.fill("input[name=office_postcode]", "40111")
    page.fill("input[name=office_phone]", "0224201234")
    page.get_by_role("button", name="Simpan draf").click()
    nik = page.locator("input[name=nik]")
    expect(nik).to_have_class(re.compile("is-invalid"))
    error = page.locator("input[name=nik] ~ .invalid-feedback, input[name=nik] + .invalid-feedback").first
    expect(error).to_be_visible()
    assert "NIK" in error.inner_text() or "nik" in error.inner_text().lower()
    # What was typed is kept.
    expect(nik).to_have_value("3273011708900001")
    expect(page.locator("input[name=employer]")).to_have_value("PT Kreasi Digital")
    expect(page.locator("input[name=birth_date]")).to_have_value("1995-03-05")
    shot(page, "apl01-nik-salah")
    assert not cases.Application.objects.filter(case=case).exclude(nik="").exists()

    page.fill("input[name=nik]", NIK_VALID)
    page.get_by_role("button", name=re.compile("Simpan & lanjut")).click()
    expect(page.locator("h1")).to_contain_text("Dokumen bukti")
    app = cases.Application.objects.get(case=case)
    assert app.nik == NIK_VALID and app.employer == "PT Kreasi Digital"

    # --- documents: an invalid file first, then the real ones ---------------------------------------
    reqs = cases.requirements_of(scheme, needs_upload=True)
    basic = next(r for r in reqs if r.kind == Requirement.Kind.BASIC)
    admin_reqs = [r for r in reqs if r.kind == Requirement.Kind.ADMINISTRATIVE]
    page.select_option("select[name=requirement]", str(admin_reqs[0].pk))
    page.set_input_files("#upload input[name=file]", str(files["fake"]))
    page.locator("#upload button.btn-primary").click()
    file_input = page.locator("#upload input[name=file]")
    expect(file_input).to_have_class(re.compile("is-invalid"))
    feedback = page.locator("#upload .invalid-feedback").first
    expect(feedback).to_contain_text("Jenis berkas tidak diterima")
    shot(page, "dokumen-berkas-salah")
    assert not case.documents.exists()
    # The chosen requirement is kept.
    expect(page.locator("select[name=requirement]")).to_have_value(str(admin_reqs[0].pk))

    uploads = [(basic, files["pdf"])] + [(r, files["png"] if "pas foto" in r.text.lower() else files["pdf"])
                                          for r in admin_reqs]
    for req, path in uploads:
        page.select_option("select[name=requirement]", str(req.pk))
        page.set_input_files("#upload input[name=file]", str(path))
        page.locator("#upload button.btn-primary").click()
        expect(page.locator(".alert-success").first).to_contain_text("terunggah")
    assert case.documents.count() == len(uploads)
    shot(page, "dokumen-lengkap")
    assert "Draf permohonan" in status_text(page, case)
    shot(page, "permohonan-draf")
    page.goto(f"/permohonan/{case.pk}/dokumen/")

    # --- APL.02: K for every element, evidence ticked -----------------------------------------------
    page.get_by_role("link", name=re.compile("Lanjut ke FR.APL.02")).click()
    expect(page.locator("h1")).to_contain_text("FR.APL.02")
    elements = cases.scheme_elements(scheme)
    ijazah = case.documents.get(requirement=basic)
    for e in elements:
        page.check(f"input[name=answer_{e.pk}][value=K]")
        page.locator(f"input[name=evidence_{e.pk}]").and_(
            page.locator(f"[value='{ijazah.pk}']")).check()
    shot(page, "apl02")
    page.locator("button[name=next]").click()
    expect(page.locator("h1")).to_contain_text("Kirim permohonan")
    shot(page, "kirim")
    page.locator("main form button, form button.btn-primary").filter(has_text="Kirim").first.click()
    expect(page.locator(".alert-success").first).to_contain_text("Permohonan terkirim")
    case.refresh_from_db()
    assert case.status == "submitted"
    assert case.self_assessment.filter(answer="K", evidence=ijazah).count() == len(elements)
    expect(page.locator("h1")).to_contain_text("Menunggu kaji dokumen")
    shot(page, "permohonan-terkirim")

    # --- staff side (services): documents accepted, an event published, the case scheduled -----------
    cases.review_documents(case, admin_user, items=review_items(scheme), outcome="accepted")
    assert "Diterima" in status_text(page, case)
    shot(page, "diterima")

    from kompeten.events import services as events

    event = events.create_event(admin_user, scheme=scheme, starts_at=future(14), ends_at=future(14, 16),
                                quota=10, site=site)
    publish_ready(event, assessor, admin_user)
    events.schedule_case(case, admin_user, event=event, assessor=assessor)
    events.confirm_schedule(case, assessor.user)

    # --- the candidate confirms the schedule in the browser ------------------------------------------
    assert "menunggu konfirmasi" in status_text(page, case)
    shot(page, "dijadwalkan")
    page.get_by_role("link", name="Konfirmasi jadwal").click()
    expect(page.locator("h1")).to_contain_text("Konfirmasi jadwal")
    shot(page, "konfirmasi-jadwal")
    page.get_by_role("button", name="Saya konfirmasi jadwal ini").click()
    expect(page.locator("h1")).to_contain_text("Jadwal dikonfirmasi")
    case.refresh_from_db()
    assert case.status == "confirmed"
    shot(page, "jadwal-dikonfirmasi")

    # --- the assessor signs FR.AK.01 (service), then the candidate in the browser --------------------
    from kompeten.assessment import services as assessment

    assessment.sign_agreement(case, assessor.user, evidence=["portofolio", "observasi", "lisan"],
                              date=timezone.localdate(event.starts_at), time="08.00–16.00",
                              site_name=site.name)
    status_text(page, case)
    page.get_by_role("link", name="Tandatangani FR.AK.01").first.click()
    expect(page.locator("h1")).to_contain_text("FR.AK.01")
    shot(page, "ak01")
    page.get_by_role("button", name="Tanda tangani FR.AK.01").click()
    expect(page.locator("input[name=agree]")).to_have_class(re.compile("is-invalid"))
    expect(page.locator(".invalid-feedback").first).to_contain_text("Centang pernyataan ini")
    case.refresh_from_db()
    assert case.status == "confirmed"  # not ticked: nothing signed
    shot(page, "ak01-belum-setuju")
    page.check("input[name=agree]")
    page.get_by_role("button", name="Tanda tangani FR.AK.01").click()
    page.wait_for_url(re.compile(rf"/permohonan/{case.pk}/$"))
    expect(page.locator("h1")).to_contain_text("FR.AK.01 disepakati")
    case.refresh_from_db()
    assert case.status == "agreed"
    assert case.agreement.candidate_signed_at is not None
    shot(page, "ak01-disepakati")
