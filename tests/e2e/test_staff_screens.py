"""Staff screens in a desktop browser: the admin reviews the documents of a submitted case (S2.1) and
returns it for revision; the candidate, on a phone, sees exactly which items to fix."""

import re

import pytest
from playwright.sync_api import expect

from kompeten.cases import services as cases
from kompeten.catalog.models import Requirement
from tests.cases.helpers import submitted_case
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KTP_COMMENT = "Foto KTP buram, nomor NIK tidak terbaca"
NOTE = "Mohon unggah ulang KTP yang jelas."


def test_admin_returns_documents_and_candidate_sees_what_to_fix(page, desktop_page, shot, scheme, admin_user,
                                                                 candidate):
    case = submitted_case(scheme, candidate)
    reqs = cases.requirements_of(scheme)
    ktp = next(r for r in reqs if r.kind == Requirement.Kind.ADMINISTRATIVE and "KTP" in r.text)
    photo = next(r for r in reqs if r.kind == Requirement.Kind.ADMINISTRATIVE and r.pk != ktp.pk)

    # --- the admin, on a desktop -------------------------------------------------------------------
    admin = desktop_page
    login(admin, admin_user.email)
    admin.goto(f"/permohonan/{case.pk}/")
    expect(admin.locator("h1")).to_contain_text("Menunggu kaji dokumen")
    shot(admin, "admin-permohonan")
    admin.get_by_role("link", name="Kaji dokumen (FR.APL.01)").click()
    expect(admin.locator("h1")).to_contain_text("Kaji dokumen (S2.1)")
    # Every uploaded document is listed next to its requirement, with a link to open it.
    for r in reqs:
        if r.needs_upload:
            assert admin.locator(f"input[name=check_{r.pk}]").count() == 3
    shot(admin, "admin-kaji-kosong")

    # Saving without a recommendation is refused next to the field; nothing is saved.
    admin.get_by_role("button", name="Simpan hasil kaji").click()
    expect(admin.locator("h1")).to_contain_text("Kaji dokumen (S2.1)")
    expect(admin.locator(".card", has=admin.locator(f"input[name=check_{ktp.pk}]"))).to_contain_text(
        "Pilih hasil pemeriksaan untuk persyaratan ini.")
    expect(admin.get_by_text("Pilih rekomendasi")).to_be_visible()
    expect(admin.locator(f"input[name=comment_{ktp.pk}]")).to_have_attribute("placeholder", re.compile("Komentar"))
    assert not case.document_reviews.exists()
    shot(admin, "admin-kaji-belum-lengkap")

    for r in reqs:
        admin.check(f"input[name=check_{r.pk}][value={'not_meets' if r.pk == ktp.pk else 'meets'}]")
    admin.fill(f"input[name=comment_{ktp.pk}]", KTP_COMMENT)
    admin.check("input[name=outcome][value=returned]")
    admin.fill("textarea[name=note]", NOTE)
    shot(admin, "admin-kaji-terisi")
    admin.get_by_role("button", name="Simpan hasil kaji").click()
    admin.wait_for_url(re.compile(rf"/permohonan/{case.pk}/$"))
    expect(admin.locator(".alert-success").first).to_contain_text("Hasil kaji dokumen tersimpan")
    expect(admin.locator("h1")).to_contain_text("Dikembalikan untuk perbaikan")
    shot(admin, "admin-dikembalikan")
    case.refresh_from_db()
    assert case.status == "revision"
    review = case.document_reviews.get()
    assert review.outcome == "returned" and review.note == NOTE
    assert [i.requirement_id for i in review.items_to_fix()] == [ktp.pk]

    # --- the candidate, on a phone -----------------------------------------------------------------
    login(page, candidate.email)
    page.goto(f"/permohonan/{case.pk}/")
    expect(page.locator("h1")).to_contain_text("Dikembalikan untuk perbaikan")
    panel = page.locator(".card", has=page.get_by_role("heading", name=re.compile("Hasil kaji dokumen")))
    expect(panel).to_contain_text("Dikembalikan untuk perbaikan")
    expect(panel).to_contain_text(NOTE)
    items = panel.locator("li")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text(ktp.text)
    expect(items.first).to_contain_text("tidak memenuhi syarat")
    expect(items.first).to_contain_text(KTP_COMMENT)
    expect(panel).not_to_contain_text(photo.text)
    shot(page, "asesi-permohonan-dikembalikan")

    # The documents page marks the same requirement.
    page.goto(f"/permohonan/{case.pk}/dokumen/")
    flagged = page.locator(".card.border-warning")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text(ktp.text)
    expect(flagged).to_contain_text(KTP_COMMENT)
    shot(page, "asesi-dokumen-perbaikan")
