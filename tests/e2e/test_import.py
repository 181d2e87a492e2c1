"""In the browser: the admin uploads a file of candidates with some bad rows for an event, reads the per-row report
(on the page and as XLSX), imports the valid rows and watches the progress bars finish; the head of the TUK reads
the same import on a phone."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from kompeten.cases.models import Case
from kompeten.core.jobs import run_job
from kompeten.core.models import Role
from kompeten.events.models import CandidateImport
from tests.conftest import make_user
from tests.e2e.conftest import login
from tests.events.helpers import make_event
from tests.events.test_import import person, xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_import_a_class_with_bad_rows_and_watch_it_finish(page, desktop_page, shot, scheme, site, admin_user):
    event = make_event(scheme, site, status="published", quota=20)
    head = make_user("ketuatuk", Role.TUK_HEAD, site=site)
    rows = [person(1), person(2), person(3, **{"NIK": "32730157089"}), person(4),
            person(5, **{"Email": "asesi5-at-kelas.id", "Tanggal Lahir": "08/17/1995"}), person(6)]
    upload = xlsx(rows).read()

    admin = desktop_page
    login(admin, admin_user.email)
    admin.goto(f"/jadwal/{event.pk}/")
    admin.locator("#import-link").click()
    expect(admin.locator("h1")).to_contain_text("Impor asesi dari berkas")
    shot(admin, "halaman-impor")
    admin.set_input_files("input[name=file]", files=[{
        "name": "kelas-xii-rpl.xlsx", "buffer": upload,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    admin.get_by_role("button", name="Periksa berkas").click()

    # The per-row report: six rows, four valid, two with problems, each named by row and column.
    expect(admin.locator("#import-status")).to_have_text("Diperiksa — menunggu keputusan")
    expect(admin.locator("[data-count=total]")).to_have_text("6")
    expect(admin.locator("[data-count=valid]")).to_have_text("4")
    expect(admin.locator("[data-count=errors]")).to_have_text("2")
    report = [[c.strip() for c in r] for r in admin.locator("#import-problems tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].map(c => c.innerText))")]
    assert [(r[0], r[1]) for r in report] == [("4", "NIK"), ("6", "Tanggal Lahir"), ("6", "Email")]
    assert "16 angka" in report[0][3] and "dd/mm/yyyy" in report[1][3] and "email" in report[2][3].lower()
    assert not Case.objects.filter(event=event).exists()  # checking created nothing
    shot(admin, "laporan-per-baris")

    # The same report as XLSX.
    with admin.expect_download() as download:
        admin.get_by_role("link", name="Unduh laporan (XLSX)").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True).worksheets[0]
    assert [r[:2] for r in sheet.iter_rows(min_row=2, values_only=True)] == [(4, "NIK"), (6, "Tanggal Lahir"),
                                                                           (6, "Email")]

    # Only the valid rows can be imported; the bars follow the two background jobs.
    expect(admin.get_by_label(re.compile("Hanya 4 baris yang valid"))).to_be_checked()
    admin.get_by_role("button", name="Impor dan kirim undangan").click()
    expect(admin.locator(".alert-success").first).to_contain_text("Impor dimulai di latar")
    expect(admin.locator("#import-progress [data-job-status]").first).to_have_text("Menunggu giliran")
    shot(admin, "impor-menunggu")

    imp = CandidateImport.objects.get()
    run_job.call(imp.job_id)  # the worker's part, done here so the test controls its pace
    imp.refresh_from_db()
    expect(admin.locator("#import-progress [data-job-status]").first).to_have_text("Selesai")
    expect(admin.locator("#import-progress [data-job-status]")).to_have_count(2)
    shot(admin, "akun-dibuat-undangan-menunggu")
    run_job.call(imp.invite_job_id)
    expect(admin.locator("#import-finished")).to_contain_text("4 orang diimpor")
    expect(admin.locator("#import-status")).to_have_text("Diimpor")  # the heading's badge follows too
    expect(admin.locator("#import-progress .progress-bar")).to_have_text(["100%", "100%"])
    assert "hx-trigger" not in admin.locator("#import-progress").evaluate("e => e.outerHTML")  # polling stopped
    shot(admin, "impor-selesai")
    assert Case.objects.filter(event=event, status="draft").count() == 4

    # The event page lists the imported candidates; the head of the TUK reads the import on a phone.
    admin.goto(f"/jadwal/{event.pk}/")
    expect(admin.get_by_text("Asesi Nomor 6")).to_be_visible()
    shot(admin, "jadwal-dengan-asesi-impor")
    login(page, head.email)
    page.goto(imp.get_absolute_url())
    expect(page.locator("#import-status")).to_have_text("Diimpor")
    expect(page.locator("#import-problems tbody tr")).to_have_count(3)
    shot(page, "ketua-tuk-ponsel")
