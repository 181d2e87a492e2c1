"""Issue 12 (UU PDP) in a browser: a candidate with a withdrawn application and a certificate asks on a phone for
erasure of their personal data; the page says what goes and what the LSP keeps; the Admin LSP, told in the inbox,
decides with a reason; the candidate sees the decision. Screenshots go to test-artifacts/."""

import re

import pytest
from playwright.sync_api import expect

from kompeten.cases import services as C
from kompeten.cases.models import Application, ErasureRequest
from tests.cases.helpers import fill_case
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_candidate_asks_for_erasure_and_the_admin_decides(page, desktop_page, shot, scheme, candidate, assessor,
                                                          admin_user):
    from tests.certification.helpers import make_event, make_holder

    dropped = C.create_case(candidate, scheme)
    fill_case(dropped, candidate)
    C.withdraw(dropped, candidate, reason="Pindah kerja")
    cert = make_holder(candidate, scheme, assessor, make_event(scheme, None), admin_user)

    # --- the candidate, on a phone ------------------------------------------------------------------------
    login(page, candidate.email)
    page.goto("/permohonan/saya/")
    page.get_by_role("link", name=re.compile("Hapus data pribadi")).click()
    expect(page.locator("h1")).to_contain_text("Hapus data pribadi")
    main = page.locator("main")
    expect(main).to_contain_text(dropped.number)  # erased
    expect(main).to_contain_text(cert.case.number)  # kept, with the reason
    expect(main).to_contain_text("ISO/IEC 17024")
    shot(page, "asesi-hapus-data")
    page.fill("textarea[name=reason]", "Saya tidak jadi mengikuti sertifikasi tersebut.")
    page.check("input[name=confirm]")
    page.get_by_role("button", name="Minta penghapusan data").click()
    expect(page.locator(".alert-success")).to_contain_text("Permintaan penghapusan data terkirim")
    expect(main).to_contain_text("menunggu keputusan Admin LSP")
    req = ErasureRequest.objects.get()
    shot(page, "asesi-permintaan-terkirim")

    # --- the admin, on a desktop: the inbox leads to the requests -------------------------------------------
    login(desktop_page, admin_user.email)
    desktop_page.goto("/kotak-masuk/")
    desktop_page.get_by_role("link", name=re.compile("penghapusan data", re.I)).first.click()
    expect(desktop_page.locator("h1")).to_contain_text("Permintaan penghapusan data")
    expect(desktop_page.locator("main")).to_contain_text(dropped.number)
    shot(desktop_page, "admin-permintaan")
    desktop_page.fill(f"#reason-{req.pk}", "Permohonan ditarik sebelum keputusan; data boleh dihapus.")
    desktop_page.get_by_role("button", name="Hapus data").click()
    expect(desktop_page.locator(".alert-success")).to_contain_text("Keputusan atas permintaan penghapusan data")
    shot(desktop_page, "admin-diputuskan")
    req.refresh_from_db()
    assert req.status == "done" and req.decided_by == admin_user
    assert Application.objects.get(case=dropped).nik == ""  # the withdrawn application's data is gone

    # --- the candidate sees the decision --------------------------------------------------------------------
    page.reload()
    expect(page.locator("main")).to_contain_text("Permohonan ditarik sebelum keputusan")
    shot(page, "asesi-keputusan")
