"""Issue 9 in a browser: a candidate decided Belum Kompeten lodges an appeal (FR.AK.04) on a phone; the admin
acknowledges it and assigns a handler — the committee member who decided the case is refused, the LSP head, who
took no part in it, is assigned; the handler investigates and upholds it; the candidate, on the phone, sees the
outcome and the case back before the committee. Screenshots go to test-artifacts/."""

import re

import pytest
from playwright.sync_api import expect

from kompeten.appeals.models import Grievance
from kompeten.certification import services as cert_services
from tests.certification.helpers import make_case, make_event, recommend
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASONS = "Portofolio proyek saya tidak diperiksa; asesor hanya melihat tes tertulis."
NOTE = "Asesor diwawancarai: portofolio memang tidak dibuka pada hari asesmen."
DECISION = "Bukti portofolio tidak dipertimbangkan dalam keputusan; komite memutuskan ulang."


def test_bk_candidate_appeals_and_an_independent_handler_decides(page, desktop_page, shot, scheme, site, candidate,
                                                                   assessor, admin_user, committee, lsp_head):
    case = make_case(candidate, scheme, assessor, make_event(scheme, site))
    recommend(case, "BK")
    cert_services.decide_not_competent(case, committee, reason="Unit J.620100.016.01 belum kompeten.")

    # --- the candidate, on a phone: the case page offers the appeal ----------------------------------------
    login(page, candidate.email)
    page.goto(case.get_absolute_url())
    expect(page.locator("h1")).to_contain_text("Belum Kompeten")
    shot(page, "asesi-permohonan-bk")
    page.get_by_role("link", name=re.compile(r"Ajukan banding \(FR\.AK\.04\)")).first.click()
    expect(page.locator("h1")).to_contain_text("FR.AK.04")
    expect(page.get_by_text("Apakah Proses Banding telah dijelaskan kepada Anda?")).to_be_visible()
    shot(page, "asesi-fr-ak04")

    # Sent without the signature: refused next to it, what was typed is kept, nothing lodged.
    page.fill("textarea[name=reasons]", REASONS)
    page.get_by_role("button", name="Kirim banding").click()
    expect(page.locator("input[name=consent]")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("textarea[name=reasons]")).to_have_value(REASONS)
    assert not Grievance.objects.exists()
    shot(page, "asesi-fr-ak04-belum-ditandatangani")

    page.check("input[name=explained][value='1']")
    page.check("input[name=discussed][value='0']")
    page.check("input[name=involve_other][value='0']")
    page.check("input[name=consent]")
    page.get_by_role("button", name="Kirim banding").click()
    g = Grievance.objects.get()
    expect(page).to_have_url(re.compile(rf"/banding/{g.pk}/$"))
    expect(page.locator("h1")).to_contain_text(g.number)
    expect(page.get_by_test_id("status")).to_contain_text(g.get_status_display())
    expect(page.locator("main")).to_contain_text(REASONS)
    expect(page.locator("main")).not_to_contain_text("Penelusuran")  # the party does not see the investigation
    assert (g.kind, g.case_id, g.lodged_by_id, g.q_explained, g.q_discussed) == ("appeal", case.pk, candidate.pk,
                                                                                   True, False)
    shot(page, "asesi-banding-terkirim")

    # --- the admin, on a desktop: acknowledges, assigns a handler who was not involved ----------------------
    admin = desktop_page
    login(admin, admin_user.email)
    admin.goto("/banding/")
    row = admin.locator("tr", has_text=g.number)
    expect(row).to_contain_text("menunggu penangan")
    shot(admin, "admin-daftar-banding")
    admin.get_by_role("link", name=g.number).first.click()
    expect(admin.locator("h1")).to_contain_text(g.number)
    admin.get_by_role("button", name="Kirim tanda terima").click()
    expect(admin.get_by_role("button", name="Kirim tanda terima")).to_have_count(0)
    g.refresh_from_db()
    assert g.acknowledged_at is not None

    # The committee member who decided the case is refused, with the reason; nothing changes.
    admin.select_option("select[name=handler]", str(committee.pk))
    admin.get_by_role("button", name="Tugaskan penangan").click()
    expect(admin.locator(".alert", has_text="ikut memutuskan")).to_be_visible()
    g.refresh_from_db()
    assert g.handler is None
    shot(admin, "admin-penangan-ditolak")
    admin.select_option("select[name=handler]", str(lsp_head.pk))
    admin.get_by_role("button", name="Tugaskan penangan").click()
    expect(admin.locator("main")).to_contain_text(lsp_head.display_name)
    g.refresh_from_db()
    assert g.handler == lsp_head and g.status == "investigating"
    shot(admin, "admin-penangan-ditugaskan")

    # --- the handler (the LSP head), on a desktop: a note, then the decision ---------------------------------
    admin.context.clear_cookies()
    login(admin, lsp_head.email)
    admin.goto(g.get_absolute_url())
    expect(admin.locator(".lead")).to_contain_text("Anda penangannya")
    admin.fill("textarea[name=text]", NOTE)
    admin.get_by_role("button", name="Simpan catatan").click()
    expect(admin.locator("main")).to_contain_text(NOTE)
    # Deciding without reasons is refused; then upheld, with the case sent back to the committee.
    admin.check("input[name=outcome][value=upheld]")
    admin.select_option("select[name=reopen]", "decision")
    admin.get_by_role("button", name="Simpan keputusan").click()
    g.refresh_from_db()
    assert g.status == "investigating"
    shot(admin, "penangan-alasan-kosong")
    admin.check("input[name=outcome][value=upheld]")
    admin.select_option("select[name=reopen]", "decision")
    admin.fill("textarea[name=reasons]", DECISION)
    shot(admin, "penangan-memutuskan")
    admin.get_by_role("button", name="Simpan keputusan").click()
    expect(admin.get_by_test_id("outcome")).to_contain_text(DECISION)
    g.refresh_from_db()
    case.refresh_from_db()
    assert (g.status, g.reopen) == ("upheld", "decision")
    assert case.status == "awaiting_decision"
    shot(admin, "penangan-diputuskan")

    # --- the candidate, on the phone: the outcome, and the case before the committee again -------------------
    page.goto(g.get_absolute_url())
    outcome = page.get_by_test_id("outcome")
    expect(outcome).to_contain_text(DECISION)
    expect(outcome).to_contain_text("komite teknis membuat keputusan baru")
    expect(page.get_by_test_id("status")).to_contain_text(g.get_status_display())
    expect(page.locator("main")).not_to_contain_text(NOTE)
    shot(page, "asesi-hasil-banding")
    page.goto(case.get_absolute_url())
    expect(page.locator("h1")).to_contain_text(case.get_status_display())
    shot(page, "asesi-permohonan-dibuka-kembali")
