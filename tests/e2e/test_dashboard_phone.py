"""The dashboard on a phone (390 px): the admin sees every chart drawn by the app and nothing sticks out
sideways; the filters narrow it to one scheme; a lead assessor sees the assessors' workload; the BNSP blanko page of
a closed plenary meeting reads on the phone too. Screenshots under test-artifacts/."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kompeten.certification.models import Decision, Meeting
from tests.desk.test_dashboard import world  # noqa: F401 (the known data set, a fixture)
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_dashboard_and_blanko_page_on_a_phone(page, desktop_page, shot, world, admin_user, lead_assessor,  # noqa: F811
                                              committee):
    login(page, admin_user.email)
    page.goto("/dasbor/")
    expect(page.locator("h1")).to_contain_text("Dasbor")
    for section in ("stages", "pass-scheme", "pass-unit", "time", "workload", "tuk", "expiring", "surveillance"):
        expect(page.locator(f'[data-testid="{section}"] svg')).to_be_visible()
    expect(page.locator('[data-testid="pass-scheme"]')).to_contain_text("50%")
    # every chart fits its card on the phone
    widths = page.evaluate("[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().right)")
    assert widths and max(widths) <= 390
    shot(page, "dasbor-admin")
    page.select_option("select[name=scheme]", label="Skema B")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator('[data-testid="pass-scheme"]')).to_contain_text("100%")
    expect(page.locator('[data-testid="pass-scheme"]')).not_to_contain_text("50%")
    shot(page, "dasbor-skema-b")

    # the blanko page of a closed meeting that decided the known cases
    meeting = Meeting.objects.create(reference="PLENO/E2E/001", held_on=timezone.localdate(), opened_by=committee,
                                     status=Meeting.Status.CLOSED, closed_by=committee, closed_at=timezone.now(),
                                     sk_number="SK/E2E/001", minutes_number="BA/E2E/001")
    Decision.objects.update(meeting_ref=meeting.reference)
    page.goto(f"/sertifikat/blanko/permohonan/{meeting.pk}/")
    expect(page.locator('[data-testid="incomplete"]')).to_be_visible()
    expect(page.get_by_role("button", name="Catat permohonan terkirim")).to_be_visible()
    shot(page, "blanko-rapat")

    page.context.clear_cookies()
    login(page, lead_assessor.email)
    page.goto("/dasbor/")
    expect(page.locator('[data-testid="workload"] svg')).to_be_visible()
    expect(page.locator('[data-testid="stages"]')).to_have_count(0)
    shot(page, "dasbor-lead-asesor")

    # and on a desktop, two charts a row
    login(desktop_page, admin_user.email)
    desktop_page.goto("/dasbor/")
    expect(desktop_page.locator('[data-testid="time"] svg')).to_be_visible()
    shot(desktop_page, "dasbor-desktop")
