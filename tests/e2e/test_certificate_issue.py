"""From the plenary meeting to a certificate anyone can check, in the browser: the committee decides the meeting's
cases and closes it; the Ketua LSP issues all its certificates as one background job and watches the progress bar
finish; a holder, on a phone, opens the verification page at the address the certificate's QR code encodes; the
admin suspends the certificate and the same page says so at once.

The job runs in a thread of the test process (the live server's database is in memory, which a `db_worker` process
cannot open; tests/core/test_jobs.py runs the same job in a real `db_worker`). It is core.jobs.run_job, the task the
worker runs, started only after the page that watches it is open."""

import re
import threading

import pytest
from django.db import connections
from playwright.sync_api import expect

from kompeten.certification import pleno, rendering, services
from kompeten.certification.models import Certificate
from kompeten.core.jobs import run_job
from kompeten.core.models import Job, Role
from kompeten.core.pdf import qr_svg
from tests.certification.helpers import make_case, make_event, recommend
from tests.conftest import make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_NOTE = "Dibekukan sementara: bukti surveilan tahun pertama belum diterima."


@pytest.fixture(autouse=True)
def _keys_and_site(settings, tmp_path, live_server):
    settings.DATA_DIR = tmp_path  # the LSP's signing keys are made here on first use
    settings.PDF_SIGNING_KEY_FILE = settings.PDF_SIGNING_CERT_FILE = settings.CREDENTIAL_KEY_FILE = ""
    settings.SITE_URL = live_server.url  # what the QR code encodes: the verification page on this server
    settings.PLENO_QUORUM = 2


def run_job_beside_the_browser(job):
    """core.jobs.run_job in a thread of its own, on the test's database connection (as the live server thread
    uses it): the browser keeps polling the job page meanwhile. Playwright's event loop runs in the test's thread,
    where the PDF signing (asyncio) cannot run."""
    failures = []
    shared = connections["default"]
    shared.inc_thread_sharing()

    def work():
        connections["default"] = shared
        try:
            run_job.call(job.pk)
        except Exception as exc:  # noqa: BLE001 — reported by the test below
            failures.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    return thread, failures


def test_meeting_to_issued_certificates_to_public_verification_and_suspension(
        page, desktop_page, shot, live_server, scheme, site, assessor, committee, lsp_head, admin_user, candidate):
    second = make_user("komite2", Role.COMMITTEE, first_name="Bayu", last_name="Saputra")
    event = make_event(scheme, site)
    holders = [candidate, make_user("asesi2", Role.CANDIDATE, first_name="Citra", last_name="Lestari"),
               make_user("asesi3", Role.CANDIDATE, first_name="Dodi", last_name="Pratama")]
    cases = [make_case(h, scheme, assessor, event) for h in holders]
    for case in cases:
        recommend(case, "K")
    meeting = pleno.open_meeting(committee, held_on=event.starts_at.date(), members=[committee, second],
                                 place="Ruang Rapat LSP")

    # --- the committee decides each case in the meeting and closes it ----------------------------------
    member = desktop_page
    login(member, committee.email)
    member.goto(meeting.get_absolute_url())
    expect(member.locator("h1")).to_contain_text(meeting.reference)
    shot(member, "rapat-agenda")
    for case in cases:
        card = member.get_by_test_id(f"agenda-{case.number}")
        expect(card).to_contain_text("FR.AK.02")
        card.locator(f"input[name='c{case.pk}-decision'][value=K]").check()
        card.get_by_role("button", name="Simpan keputusan").click()
        expect(member.locator(".alert-success").first).to_contain_text(case.number)
    expect(member.get_by_test_id("decided")).to_contain_text(cases[-1].number)
    shot(member, "rapat-diputuskan")
    member.get_by_role("button", name="Tutup rapat dan terbitkan SK").click()
    expect(member.locator(".alert-success").first).to_contain_text("Rapat ditutup")
    meeting.refresh_from_db()
    assert not meeting.is_open and meeting.sk_number
    shot(member, "rapat-ditutup")

    # Each holder signs the agreement on using the certificate (their own act, tested on its own screens).
    for case in cases:
        services.sign_holder_agreement(case, case.candidate)

    # --- the Ketua LSP issues them all as one job and watches the bar ------------------------------------
    head = desktop_page
    head.context.clear_cookies()
    login(head, lsp_head.email)
    head.goto(meeting.get_absolute_url())
    head.get_by_test_id("issue-all").get_by_role("button", name="Terbitkan semua sertifikat").click()
    head.wait_for_url(re.compile(r"/pekerjaan/\d+/$"))
    job = Job.objects.get(kind=pleno.ISSUE_JOB)
    expect(head.locator("#job-progress [data-job-status]")).to_have_attribute("data-job-status", "queued")
    expect(head.locator("#job-progress")).to_contain_text(f"0 dari {len(cases)}")
    shot(head, "penerbitan-antre")
    thread, failures = run_job_beside_the_browser(job)
    # The page polls by itself: no reload here. The bar ends full and green, with a line per certificate.
    expect(head.locator("#job-progress [data-job-status]")).to_have_attribute("data-job-status", "done",
                                                                               timeout=120_000)
    thread.join(timeout=120)
    connections["default"].dec_thread_sharing()
    assert not failures, failures
    bar = head.locator("#job-progress .progress-bar")
    expect(bar).to_have_text("100%")
    expect(bar).to_have_class(re.compile("bg-success"))
    certs = list(Certificate.objects.filter(case__in=cases).order_by("number"))
    assert len(certs) == len(cases) and all(c.pdf for c in certs)  # each signed PDF made by the job
    for cert in certs:
        expect(head.locator("#job-progress")).to_contain_text(cert.number)
    shot(head, "penerbitan-selesai")

    # --- a holder scans the QR code on their certificate ------------------------------------------------
    cert = Certificate.objects.get(case=cases[0])
    data = rendering.certificate_data(cert)
    assert data["qr"] == qr_svg(data["verify_url"])  # the address the certificate's QR code encodes
    assert data["verify_url"] == f"{live_server.url}/sertifikat/v/{cert.public_id}/"
    holder = page
    holder.goto(data["verify_url"])
    expect(holder.locator("[data-status]")).to_have_attribute("data-status", "active")
    expect(holder.locator("main")).to_contain_text(cert.number)
    expect(holder.locator("main")).to_contain_text(cert.holder_name)
    expect(holder.locator("main")).to_contain_text(scheme.title)
    shot(holder, "verifikasi-berlaku")

    # --- the admin suspends it; the holder's page says so at once -----------------------------------------
    admin = desktop_page
    admin.context.clear_cookies()
    login(admin, admin_user.email)
    admin.goto(cert.case.get_absolute_url())
    admin.get_by_role("link", name="Bekukan sertifikat").click()
    admin.fill("textarea[name=reason]", "Surveilan tahun pertama tidak dipenuhi.")
    admin.fill("textarea[name=public_note]", PUBLIC_NOTE)
    shot(admin, "bekukan-form")
    admin.get_by_role("button", name="Bekukan sertifikat").click()
    expect(admin.locator(".alert-success").first).to_contain_text(cert.number)
    shot(admin, "bekukan-selesai")

    holder.reload()
    expect(holder.locator("[data-status]")).to_have_attribute("data-status", "suspended")
    expect(holder.locator("[data-status]")).to_contain_text("DIBEKUKAN")
    expect(holder.locator("[data-status-note]")).to_contain_text(PUBLIC_NOTE)
    shot(holder, "verifikasi-dibekukan")
    # The JSON the page links to says the same.
    answer = holder.request.get(f"{live_server.url}/sertifikat/v/{cert.public_id}.json").json()
    assert answer["status"] == "suspended" and answer["status_note"] == PUBLIC_NOTE
