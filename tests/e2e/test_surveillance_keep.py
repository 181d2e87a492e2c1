"""Issue 9, surveillance: the Ketua LSP decides, on a phone, not to suspend a certificate proposed for suspension
after a missed check, schedules a follow-up check, and the holder sees the decision."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kompeten.certification import surveillance
from kompeten.certification.models import SurveillanceCheck
from tests.certification.helpers import make_event, make_holder
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lsp_head_keeps_the_certificate_on_a_phone(page, browser, live_server, shot, candidate, scheme, assessor,
                                                   site, admin_user, lsp_head):
    cert = make_holder(candidate, scheme, assessor, make_event(scheme, site), admin_user, dues=(-10, 365))
    missed = cert.surveillance.checks.get(order=1)
    surveillance.propose_suspension(missed, assessor.user, reason="Tidak mengirim bukti sampai jatuh tempo")

    login(page, lsp_head.email)
    page.goto(f"/sertifikat/surveilan/pemeriksaan/{missed.pk}/")
    expect(page.locator("[data-keep-form]")).to_be_visible()
    shot(page, "usulan-pembekuan")
    # No reason: refused next to the field, nothing changed.
    page.get_by_role("button", name="Putuskan tidak dibekukan").click()
    expect(page.locator("[data-keep-form] .invalid-feedback").first).to_be_visible()
    shot(page, "tanpa-alasan")
    missed.refresh_from_db()
    assert missed.status == SurveillanceCheck.Status.SUSPENSION_PROPOSED
    page.fill("textarea[name=reason]", "Pemegang menyerahkan logbook terlambat; surveilan lanjutan dijadwalkan.")
    page.fill("input[name=follow_up_on]", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Putuskan tidak dibekukan").click()
    expect(page.locator("[data-kept]")).to_contain_text("Pemegang menyerahkan logbook terlambat")
    shot(page, "tidak-dibekukan")
    page.goto("/sertifikat/surveilan/pemeriksaan/?state=open")
    expect(page.locator("tbody")).to_contain_text("(lanjutan)")
    shot(page, "daftar-surveilan")

    holder = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                 base_url=live_server.url).new_page()
    login(holder, candidate.email)
    holder.goto(f"/sertifikat/surveilan/pemeriksaan/{missed.pk}/")
    expect(holder.locator("[data-kept]")).to_be_visible()
    shot(holder, "pemegang-melihat-keputusan")
    holder.context.close()
