"""Importing a class of candidates for an event from XLSX or CSV (issue 10, bulk work): the template, every row
checked, the per-row report (page and XLSX), wrong templates refused, duplicates, all-or-none, the background job
with its invitations, who may import, and 10,000 rows with a bounded number of queries."""

import csv
import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kompeten.cases.models import Application, Case
from kompeten.core import jobs
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import ActionLog, Job, Role, User
from kompeten.events import imports
from kompeten.events.import_rows import COLUMNS
from kompeten.events.models import CandidateImport
from tests.conftest import make_user

from .helpers import make_case, make_event

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in COLUMNS]


def person(i, **over):
    """A valid row: a man born 17/08/1995 (NIK digits 7–12: 170895), or a woman (day + 40) when i is odd."""
    female = i % 2 == 1
    day = 17 + (40 if female else 0)
    row = {"Nama Lengkap": f"Asesi Nomor {i}", "NIK": f"3273{(i // 10000) % 100:02d}{day:02d}0895{i % 10000:04d}",
           "Tempat Lahir": "Bandung", "Tanggal Lahir": "17/08/1995", "Jenis Kelamin": "P" if female else "L",
           "Kebangsaan": "", "Nomor Paspor": "", "Email": f"asesi{i}@kelas.id", "Nomor HP": f"0812{i:08d}",
           "Alamat Rumah": "Jl. Dago No. 1, Bandung", "Kode Pos": "40135", "Pendidikan Terakhir": "SMK",
           "Pekerjaan / Jabatan": "Siswa", "Nama Institusi / Perusahaan": "SMK Negeri 1 Bandung"}
    row.update(over)
    return row


def xlsx(rows, header=HEADER):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Asesi")
    sheet.append(header)
    for r in rows:
        sheet.append([r.get(h, "") for h in header] if isinstance(r, dict) else r)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("kelas.xlsx", out.getvalue())


def csv_file(rows, sep=";", bom=True, header=HEADER, encoding="utf-8"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep)
    writer.writerow(header)
    for r in rows:
        writer.writerow([r.get(h, "") for h in header])
    data = ("\ufeff" if bom else "") + out.getvalue()
    return SimpleUploadedFile("kelas.csv", data.encode(encoding))


@pytest.fixture
def event(scheme, site):
    return make_event(scheme, site, status="published", quota=50)


@pytest.fixture
def tuk_head(site):
    return make_user("ketuatuk", Role.TUK_HEAD, site=site)


def run(imp):
    """The worker's part: the import job, then the invitations job it starts."""
    imp.refresh_from_db()
    jobs.run_job.call(imp.job_id)
    imp.refresh_from_db()
    if imp.invite_job_id:
        jobs.run_job.call(imp.invite_job_id)
        invite = Job.objects.get(pk=imp.invite_job_id)
        assert invite.status == "done" and invite.done == imp.imported, invite.message
    return Job.objects.get(pk=imp.job_id)


def problems_of(imp):
    return {(row, column) for row, column, _value, _message in imp.problems}


def message_at(imp, row, column):
    return " ".join(m for r, c, _v, m in imp.problems if (r, c) == (row, column))


# --- a good file ---------------------------------------------------------------------------------------------


def test_a_good_file_gives_each_person_an_account_a_case_and_an_invitation(event, admin_user):
    imp = imports.check_file(event, admin_user, xlsx([person(1), person(2), person(3)]))
    assert (imp.total_rows, imp.error_rows, imp.problems) == (3, 0, [])
    assert not User.objects.filter(email__endswith="@kelas.id").exists()  # checking creates nothing
    job = imports.start_import(imp, admin_user, "all")
    assert imp.status == "importing" and job.total == 3
    mail.outbox.clear()
    job = run(imp)
    assert job.status == "done" and job.done == 3 and job.percent == 100
    assert imp.status == "imported" and imp.imported == 3 and imp.rows == []
    people = list(User.objects.filter(email__endswith="@kelas.id").order_by("email"))
    assert [p.email for p in people] == ["asesi1@kelas.id", "asesi2@kelas.id", "asesi3@kelas.id"]
    assert all(not p.has_usable_password() and p.has_role(Role.CANDIDATE) for p in people)
    assert people[0].first_name == "Asesi" and people[0].last_name == "Nomor 1"
    cases = list(Case.objects.filter(event=event).order_by("number"))
    assert len(cases) == 3 and {c.status for c in cases} == {"draft"} and {c.scheme_id for c in cases} == {event.scheme_id}
    app = Application.objects.get(case__candidate=people[0])
    assert (app.nik, app.birth_date, app.sex, app.birth_place) == ("3273005708950001", dt.date(1995, 8, 17), "P",
                                                                   "Bandung")
    assert (app.phone, app.postcode, app.education, app.position, app.employer, app.nationality) == (
        "081200000001", "40135", "SMK", "Siswa", "SMK Negeri 1 Bandung", "Indonesia")
    # One invitation each, with the set-password link, naming APL.01/APL.02 through the role.
    assert sorted(m.to[0] for m in mail.outbox) == [p.email for p in people]
    assert all("/atur-sandi/" in m.body and "APL.01" in m.body and event.number in m.body for m in mail.outbox)
    # The log: each case created by the admin naming the import, the import itself on the event.
    entry = history(cases[0]).get(act="create_case")
    assert entry.actor == admin_user and entry.data["import"] == f"import:{imp.pk}"
    assert history(event).filter(act="import_candidates", data__cases=3).exists()
    assert history(event).filter(act="check_candidate_import").exists()


def test_the_imported_person_sets_a_password_with_the_invitation(client, event, admin_user):
    imp = imports.check_file(event, admin_user, xlsx([person(2)]))
    imports.start_import(imp, admin_user, "all")
    mail.outbox.clear()
    run(imp)
    link = next(w for w in mail.outbox[0].body.split() if "/atur-sandi/" in w)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    done = client.post(form_url, {"new_password1": "Kelas-Baru-2026!", "new_password2": "Kelas-Baru-2026!"})
    assert done.status_code == 302
    assert User.objects.get(email="asesi2@kelas.id").check_password("Kelas-Baru-2026!")


# --- bad rows --------------------------------------------------------------------------------------------------


def test_every_bad_row_is_reported_with_its_row_and_column(event, admin_user):
    rows = [
        person(1),                                                    # row 2: fine
        person(2, **{"NIK": "32730117089500"}),                       # 3: 14 digits
        person(3, **{"Tanggal Lahir": "18/08/1995"}),                  # 4: NIK says the 17th
        person(4, **{"Tanggal Lahir": "31/02/1995"}),                  # 5: no such day
        person(5, **{"Tanggal Lahir": "08/17/1995"}),                  # 6: month/day swapped
        person(6, **{"Tanggal Lahir": "17/08/95"}),                    # 7: two-digit year
        person(7, **{"Email": "bukan-email"}),                         # 8
        person(8, **{"Nama Lengkap": "", "Jenis Kelamin": "X"}),       # 9: two problems
        person(10, **{"Jenis Kelamin": "L"}),                           # 10: NIK is a man's, fine
        person(11, **{"Jenis Kelamin": "L"}),                           # 11: the NIK is a woman's
        person(12, **{"Nomor HP": "12ab"}),                             # 12
        person(14, **{"Kode Pos": "401"}),                               # 13
        person(16, **{"NIK": "9973011708950016"}),                       # 14: province 99
        person(18, **{"Kebangsaan": "Malaysia", "NIK": ""}),             # 15: no passport
        person(20, **{"Kebangsaan": "Malaysia", "NIK": "", "Nomor Paspor": "A1234567"}),  # 16: fine
    ]
    imp = imports.check_file(event, admin_user, xlsx(rows))
    assert imp.total_rows == 15 and imp.error_rows == 12 and imp.valid_rows == 3
    assert problems_of(imp) == {(3, "NIK"), (4, "NIK"), (5, "Tanggal Lahir"), (6, "Tanggal Lahir"),
                                (7, "Tanggal Lahir"), (8, "Email"), (9, "Nama Lengkap"), (9, "Jenis Kelamin"),
                                (11, "NIK"), (12, "Nomor HP"), (13, "Kode Pos"), (14, "NIK"),
                                (15, "Nomor Paspor")}
    assert "16 angka" in message_at(imp, 3, "NIK")
    assert "tidak sama dengan tanggal lahir" in message_at(imp, 4, "NIK")
    assert "tidak ada di kalender" in message_at(imp, 5, "Tanggal Lahir")
    assert "dd/mm/yyyy" in message_at(imp, 6, "Tanggal Lahir")
    assert "4 angka" in message_at(imp, 7, "Tanggal Lahir")
    assert "jenis kelamin" in message_at(imp, 11, "NIK")
    assert "kode provinsi 99" in message_at(imp, 14, "NIK")
    # All rows cannot be imported while some have problems; the valid rows can.
    with pytest.raises(WorkflowError, match="12 baris masih bermasalah"):
        imports.start_import(imp, admin_user, "all")
    imports.start_import(imp, admin_user, "valid")
    job = run(imp)
    assert job.status == "done" and imp.imported == 3
    assert set(Case.objects.filter(event=event).values_list("candidate__email", flat=True)) == {
        "asesi1@kelas.id", "asesi10@kelas.id", "asesi20@kelas.id"}
    foreign = Application.objects.get(case__candidate__email="asesi20@kelas.id")
    assert (foreign.nik, foreign.passport_number, foreign.nationality) == ("", "A1234567", "Malaysia")


def test_excel_cells_dates_and_numbers(event, admin_user):
    rows = [
        person(1, **{"Tanggal Lahir": dt.datetime(1995, 8, 17)}),           # an Excel date cell
        person(2, **{"Tanggal Lahir": 34928}),                             # an Excel serial (17/08/1995)
        person(3, **{"Tanggal Lahir": "17 Agustus 1995"}),                 # in words
        person(4, **{"NIK": 3273001708950004}),                            # a number cell: digits may be lost
        person(5, **{"Nomor HP": 81200000005, "Kode Pos": 40135}),         # a number cell: the 0 comes back
    ]
    imp = imports.check_file(event, admin_user, xlsx(rows))
    assert problems_of(imp) == {(5, "NIK")}
    assert "Teks" in message_at(imp, 5, "NIK")
    by_row = {r["row"]: r["data"] for r in imp.rows}
    assert {by_row[n]["birth_date"] for n in (2, 3, 4)} == {"1995-08-17"}
    assert by_row[6]["phone"] == "081200000005" and by_row[6]["postcode"] == "40135"


def test_the_report_downloads_as_xlsx_with_every_problem(client, event, admin_user):
    imp = imports.check_file(event, admin_user, xlsx([person(1, **{"Email": "x"}), person(2, **{"NIK": "1"})]))
    client.force_login(admin_user)
    response = client.get(reverse("events:import_report", args=[imp.pk]))
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Baris", "Kolom", "Isi", "Pesan")
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [(2, "Email", "x"), (3, "NIK", "1")]
    assert "email" in rows[1][3].lower()


# --- wrong files -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("upload, words", [
    (lambda: xlsx([person(1)], header=[h for h in HEADER if h not in ("NIK", "Email")]),
     ["kolom wajib tidak ada: NIK, Email"]),
    (lambda: xlsx([person(1)], header=[*HEADER, "Golongan Darah"]), ["kolom tidak dikenal: Golongan Darah"]),
    (lambda: xlsx([person(1)], header=[*HEADER, "E-mail"]), ["kolom ganda: E-mail"]),
    (lambda: xlsx([]), ["hanya berisi baris judul"]),
    (lambda: SimpleUploadedFile("kosong.csv", b""), ["Berkas kosong"]),
    (lambda: SimpleUploadedFile("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100), [".xls"]),
    (lambda: SimpleUploadedFile("rusak.xlsx", b"bukan zip"), ["bukan berkas Excel"]),
    (lambda: SimpleUploadedFile("rusak.xlsx", b"PK\x03\x04 potongan zip"), ["tidak dapat dibuka"]),
    (lambda: SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00"), ["bukan XLSX atau CSV"]),
    (lambda: csv_file([person(1)], header=["nama", "nik", "ttl"]), ["kolom wajib tidak ada", "kolom tidak dikenal: ttl"]),
])
def test_a_file_not_on_the_template_is_refused_and_nothing_kept(event, admin_user, upload, words):
    with pytest.raises(WorkflowError) as exc:
        imports.check_file(event, admin_user, upload())
    for w in words:
        assert w in exc.value.message
    assert not CandidateImport.objects.exists()


def test_the_wrong_template_is_explained_on_the_page(client, event, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("events:import", args=[event.pk]),
                           {"file": xlsx([person(1)], header=["Nama", "Umur"])})
    body = response.content.decode()
    assert response.status_code == 200 and "tidak sesuai templat" in body and "Umur" in body
    assert not CandidateImport.objects.exists()


# --- duplicates ------------------------------------------------------------------------------------------------


def test_duplicates_within_the_file_and_against_people_on_record(event, admin_user, scheme):
    someone = make_user("terdaftar")  # e-mail terdaftar@example.id
    old_case = make_case(someone, scheme, status="certified")
    Application.objects.create(case=old_case, full_name="Sudah Ada", nik=person(9)["NIK"])
    rows = [
        person(1),
        person(2, **{"NIK": person(1)["NIK"]}),                    # row 3: same NIK as row 2
        person(3, **{"Email": "ASESI1@kelas.id"}),                 # row 4: same e-mail as row 2 (case ignored)
        person(4, **{"Email": "Terdaftar@Example.id"}),            # row 5: an account has it
        person(9),                                                 # row 6: an application has this NIK
    ]
    imp = imports.check_file(event, admin_user, csv_file(rows))
    assert problems_of(imp) == {(3, "NIK"), (4, "Email"), (5, "Email"), (6, "NIK")}
    assert "baris 2" in message_at(imp, 3, "NIK") and "baris 2" in message_at(imp, 4, "Email")
    assert "Sudah ada akun" in message_at(imp, 5, "Email")
    assert "sudah tercatat" in message_at(imp, 6, "NIK")
    assert imp.valid_rows == 1


@pytest.mark.parametrize("mode", ["all", "valid"])
def test_someone_registered_between_the_check_and_the_import(event, admin_user, mode):
    imp = imports.check_file(event, admin_user, xlsx([person(1), person(2)]))
    imports.start_import(imp, admin_user, mode)
    User.objects.create_user("sendiri", "asesi2@kelas.id", "x")  # registered themselves meanwhile
    job = run(imp)
    if mode == "all":  # all or none: none
        assert job.status == "failed" and imp.status == "failed" and "tidak ada yang diimpor" in imp.message.lower()
        assert not Case.objects.filter(event=event).exists()
        assert not User.objects.filter(email="asesi1@kelas.id").exists()
    else:  # only the valid rows: the newcomer is skipped and reported
        assert job.status == "done" and imp.imported == 1 and (3, "Email") in problems_of(imp)
        assert list(Case.objects.filter(event=event).values_list("candidate__email", flat=True)) == [
            "asesi1@kelas.id"]


def test_not_more_people_than_seats(event, admin_user):
    event.quota = 2
    event.save()
    imp = imports.check_file(event, admin_user, xlsx([person(1), person(2), person(3)]))
    with pytest.raises(WorkflowError, match="2 kursi tersisa"):
        imports.start_import(imp, admin_user, "all")
    assert imp.status == "checked"


def test_an_imported_case_scheduled_later_keeps_its_own_seat(event, admin_user, assessor):
    from kompeten.events import services

    from .helpers import publish_ready

    draft = make_event(event.scheme, event.site, quota=1)
    imp = imports.check_file(draft, admin_user, xlsx([person(1)]))
    imports.start_import(imp, admin_user, "all")
    run(imp)
    publish_ready(draft, assessor, admin_user)
    case = Case.objects.get(event=draft)
    Case.objects.filter(pk=case.pk).update(status="accepted")  # submitted and accepted meanwhile
    services.schedule_case(case, admin_user, event=draft, assessor=assessor)
    case.refresh_from_db()
    assert case.status == "scheduled" and case.event_id == draft.pk


# --- CSV dialects ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sep, bom, encoding", [(";", True, "utf-8"), (",", True, "utf-8"), (",", False, "utf-8"),
                                                ("\t", False, "utf-8"), (";", False, "cp1252")])
def test_csv_with_either_separator_and_a_byte_order_mark(event, admin_user, sep, bom, encoding):
    rows = [person(1, **{"Nama Lengkap": "Dewi Ayu Lestari", "Alamat Rumah": "Jl. Ir. H. Juanda, Bandung"}),
            person(2, **{"Nama Lengkap": "Rémi Siregar"})]
    imp = imports.check_file(event, admin_user, csv_file(rows, sep=sep, bom=bom, encoding=encoding))
    assert imp.file_kind == "csv" and imp.problems == [] and imp.total_rows == 2
    names = [r["data"]["full_name"] for r in imp.rows]
    assert names == ["Dewi Ayu Lestari", "Rémi Siregar"]
    if sep == ",":  # a comma inside a quoted field stays in the field
        quoted = SimpleUploadedFile("k.csv", ("\ufeff" + ",".join(HEADER) + "\r\n" + ",".join(
            f'"{v}"' for v in person(3, **{"Alamat Rumah": "Jl. Dago 1, Bandung"}).values()) + "\r\n").encode())
        imp = imports.check_file(event, admin_user, quoted)
        assert imp.problems == [] and imp.rows[0]["data"]["address"] == "Jl. Dago 1, Bandung"


def test_the_templates_read_back_as_files_on_the_template(client, event, admin_user):
    client.force_login(admin_user)
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse("events:import_template", args=[fmt]))
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        content = response.content
        if fmt == "xlsx":
            book = load_workbook(io.BytesIO(content))
            assert book.sheetnames == ["Asesi", "Petunjuk"]
            sheet = book["Asesi"]
            for col, value in enumerate(person(1).values(), start=1):
                sheet.cell(row=2, column=col, value=value)
            out = io.BytesIO()
            book.save(out)
            content = out.getvalue()
        else:
            assert content.startswith("\ufeff".encode())
            content += (";".join(person(1).values()) + "\r\n").encode()
        imp = imports.check_file(event, admin_user, SimpleUploadedFile(f"t.{fmt}", content))
        assert imp.problems == [] and imp.total_rows == 1, imp.problems
    assert client.get(reverse("events:import_template", args=["pdf"])).status_code == 404


# --- who may ---------------------------------------------------------------------------------------------------


def test_who_may_import(client, event, admin_user, tuk_head, site, scheme):
    from kompeten.sites.models import Site

    other_site = Site.objects.create(code="TUK-002", name="TUK Lain", type=Site.Type.SEWAKTU, address="Jl. Lain",
                                     city="Surabaya", verified_until=site.verified_until)
    refused = [make_user("asesi", Role.CANDIDATE), make_user("asesor", Role.ASSESSOR),
               make_user("komite", Role.COMMITTEE), make_user("ketualsp", Role.LSP_HEAD),
               make_user("tuklain", Role.TUK_HEAD, site=other_site)]
    url = reverse("events:import", args=[event.pk])
    for user in refused:
        client.force_login(user)
        assert client.get(url).status_code == 403, user
        assert client.post(url, {"file": xlsx([person(1)])}).status_code == 403, user
        with pytest.raises(NotAllowed):
            imports.check_file(event, user, xlsx([person(1)]))
    assert not CandidateImport.objects.exists()
    # The head of the event's TUK may, and so may the admin.
    client.force_login(tuk_head)
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": xlsx([person(1)])})
    imp = CandidateImport.objects.get()
    assert response.status_code == 302 and response["Location"] == imp.get_absolute_url()
    assert client.get(reverse("events:detail", args=[event.pk])).content.decode().count(url) >= 1
    # Others may not see the import, its report or start it.
    for user in refused:
        client.force_login(user)
        assert client.get(imp.get_absolute_url()).status_code == 403
        assert client.get(reverse("events:import_report", args=[imp.pk])).status_code == 403
        assert client.post(imp.get_absolute_url(), {"mode": "all"}).status_code == 403
        with pytest.raises(NotAllowed):
            imports.start_import(imp, user, "all")
    client.force_login(admin_user)
    assert client.get(imp.get_absolute_url()).status_code == 200
    # A TUK head of another TUK or a candidate may not even fetch the template; the admin and TUK heads may.
    for user, code in [(refused[0], 403), (refused[3], 403), (refused[4], 200), (admin_user, 200)]:
        client.force_login(user)
        assert client.get(reverse("events:import_template", args=["csv"])).status_code == code


@pytest.mark.parametrize("status", ["held", "closed", "cancelled"])
def test_no_import_into_an_event_that_is_over(client, scheme, site, admin_user, status):
    event = make_event(scheme, site, status=status)
    client.force_login(admin_user)
    assert client.get(reverse("events:import", args=[event.pk])).status_code == 409
    with pytest.raises(WorkflowError):
        imports.check_file(event, admin_user, xlsx([person(1)]))


def test_the_page_flow_check_then_import_valid_rows(client, event, tuk_head):
    client.force_login(tuk_head)
    response = client.post(reverse("events:import", args=[event.pk]),
                           {"file": csv_file([person(1), person(2, **{"NIK": "123"})], sep=",")}, follow=True)
    body = response.content.decode()
    assert "16 angka" in body and 'id="import-problems"' in body and "Unduh laporan" in body
    imp = CandidateImport.objects.get()
    assert client.post(imp.get_absolute_url(), {"mode": "all"}).status_code == 200  # not offered: form error
    imp.refresh_from_db()
    assert imp.status == "checked"
    response = client.post(imp.get_absolute_url(), {"mode": "valid"})
    assert response.status_code == 302
    imp.refresh_from_db()
    assert imp.status == "importing" and imp.job.owner == tuk_head
    # Pressed again while it runs (a double click): sent to the same progress, no second job.
    again = client.post(imp.get_absolute_url(), {"mode": "valid"}, follow=True)
    assert again.redirect_chain == [(imp.get_absolute_url(), 302)] and "sudah berjalan" in again.content.decode()
    assert Job.objects.filter(kind=imports.IMPORT_JOB).count() == 1
    page = client.get(imp.get_absolute_url()).content.decode()
    assert 'id="import-progress"' in page and "hx-trigger" in page  # the bar follows the job on this page
    fragment = client.get(reverse("events:import_progress", args=[imp.pk])).content.decode()
    assert fragment.startswith('<section id="import-progress"') and "hx-trigger" in fragment
    run(imp)
    page = client.get(imp.get_absolute_url()).content.decode()
    assert "hx-trigger" not in page and page.count("100%") >= 2 and "1 orang diimpor" in page
    assert client.post(imp.get_absolute_url(), {"mode": "valid"}).status_code == 409  # once only


# --- 10,000 rows -----------------------------------------------------------------------------------------------


def test_ten_thousand_rows_in_bulk(event, admin_user, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    event.quota = 10_000
    event.save()
    upload = xlsx([person(i) for i in range(10_000)])
    with CaptureQueriesContext(connection) as checking:
        imp = imports.check_file(event, admin_user, upload)
    assert imp.total_rows == 10_000 and imp.error_rows == 0
    assert len(checking.captured_queries) < 100  # looked up in chunks, not row by row
    imports.start_import(imp, admin_user, "all")
    with CaptureQueriesContext(connection) as importing:
        job = run(imp)
    assert job.status == "done" and job.done == 10_000, job.message
    assert len(importing.captured_queries) < 500
    assert Case.objects.filter(event=event).count() == 10_000
    assert Application.objects.filter(case__event=event).count() == 10_000
    assert User.objects.filter(roles__role=Role.CANDIDATE, email__endswith="@kelas.id").count() == 10_000
    assert ActionLog.objects.filter(act="create_case").count() == 10_000
    numbers = list(Case.objects.filter(event=event).values_list("number", flat=True))
    assert len(set(numbers)) == 10_000


# --- BNSP codes (APL.01 "Data untuk pelaporan ke BNSP") ------------------------------------------------------

CODE_HEADERS = ["Kota/Kabupaten", "Jenjang Pendidikan", "Jenis Pekerjaan", "Sumber Anggaran", "Kementerian"]


def test_the_template_has_the_bnsp_code_columns_and_their_lists(client, admin_user):
    assert [c.header for c in COLUMNS][-5:] == CODE_HEADERS and not any(c.required for c in COLUMNS[-5:])
    client.force_login(admin_user)
    book = load_workbook(io.BytesIO(client.get(reverse("events:import_template", args=["xlsx"])).content))
    assert [c.value for c in book["Asesi"][1]][-5:] == CODE_HEADERS
    notes = [[v for v in (c.value for c in row) if v is not None] for row in book["Petunjuk"].iter_rows()]
    notes = [r for r in notes if r]
    # Each code column explained, and each list printed with its codes (cities with their province).
    assert {r[0] for r in notes} >= set(CODE_HEADERS)
    assert ["3273", "Kota Bandung", "32 — Jawa Barat"] in notes
    assert ["8", "Sarjana (S1)"] in notes and ["0", "Tidak ada (bukan program kementerian)"] in notes
    titles = [r[0] for r in notes if r[0] and str(r[0]).startswith("Daftar kode BNSP")]
    assert len(titles) == 5 and "kota/kabupaten" in titles[0]
    csv_header = client.get(reverse("events:import_template", args=["csv"])).content.decode("utf-8-sig")
    assert csv_header.strip().split(";")[-5:] == CODE_HEADERS


def test_bnsp_codes_given_by_code_or_by_name_are_stored_on_apl01(event, admin_user):
    header = HEADER
    rows = [
        person(1, **dict(zip(CODE_HEADERS, ["Kota Bandung", "SMK", "Pelajar / mahasiswa", "Mandiri", "tidak ada"],
                             strict=True))),
        # Excel number cells, "Kab." for Kabupaten, a name part that fits one entry only, "code — name".
        person(2, **dict(zip(CODE_HEADERS, [3273, 8, 6, 1, 1], strict=True))),
        person(3, **dict(zip(CODE_HEADERS, ["Kab. Bandung Barat", "s1", "6 — Karyawan swasta", "apbn",
                                            "Ketenagakerjaan"], strict=True))),
        person(4),  # the columns left empty: nothing recorded
    ]
    rows[3].update(dict.fromkeys(CODE_HEADERS, ""))
    imp = imports.check_file(event, admin_user, xlsx(rows, header))
    assert imp.problems == [], imp.problems
    imports.start_import(imp, admin_user, "all")
    assert run(imp).status == "done"
    got = {a.email: (a.city_code, a.province_code, a.education_code, a.occupation_code, a.funding_code,
                     a.ministry_code) for a in Application.objects.filter(case__event=event)}
    assert got == {"asesi1@kelas.id": ("3273", "32", "3", "2", "3", "0"),
                   "asesi2@kelas.id": ("3273", "32", "8", "6", "1", "1"),
                   "asesi3@kelas.id": ("3217", "32", "8", "6", "1", "1"),
                   "asesi4@kelas.id": ("", "", "", "", "", "")}


def test_a_bnsp_sheets_code_headers_are_understood(event, admin_user):
    header = HEADER[:-5] + ["Kode Kota", "Kode Pendidikan", "Kode Pekerjaan", "Kode Sumber Anggaran",
                            "Kode Kementerian"]
    row = person(1)
    values = [row[h] for h in HEADER[:-5]] + ["3171", "3", "2", "3", "0"]
    imp = imports.check_file(event, admin_user, xlsx([values], header))
    assert imp.problems == [] and imp.rows[0]["data"]["city_code"] == "3171"
    assert imp.rows[0]["data"]["province_code"] == "31"


def test_unknown_or_ambiguous_codes_are_reported_per_row_in_indonesian(event, admin_user):
    def row(i, **codes):
        return person(i, **{h: codes.get(h.split()[0].split("/")[0], "") for h in CODE_HEADERS})

    rows = [row(1, Kota="9999"), row(2, Kota="Bandung"), row(3, Jenjang="S4"), row(4, Jenis="3273 — Kota Bogor"),
            row(5, Sumber="Hibah"), row(6, Kementerian="99"), row(7, Kota="Kota Bandung"),
            row(8, Kota="3273 — Kota Bogor")]
    imp = imports.check_file(event, admin_user, csv_file(rows))
    assert problems_of(imp) == {(2, "Kota/Kabupaten"), (3, "Kota/Kabupaten"), (4, "Jenjang Pendidikan"),
                                (5, "Jenis Pekerjaan"), (6, "Sumber Anggaran"), (7, "Kementerian"),
                                (9, "Kota/Kabupaten")}
    assert [r["row"] for r in imp.rows] == [8]
    assert message_at(imp, 2, "Kota/Kabupaten") == (
        "“9999” tidak ada dalam daftar kota/kabupaten BNSP. Tulis kode atau nama dari daftar di lembar Petunjuk "
        "templat, misalnya 1101 atau Kabupaten Aceh Selatan.")
    assert "dapat berarti Kabupaten Bandung (3204)" in message_at(imp, 3, "Kota/Kabupaten")
    assert "Kota Bandung (3273)" in message_at(imp, 3, "Kota/Kabupaten")
    assert "daftar jenjang pendidikan BNSP" in message_at(imp, 4, "Jenjang Pendidikan")
    assert "tidak ada dalam daftar pekerjaan" in message_at(imp, 5, "Jenis Pekerjaan")
    assert "daftar sumber anggaran" in message_at(imp, 6, "Sumber Anggaran")
    assert "daftar kementerian" in message_at(imp, 7, "Kementerian")
    assert message_at(imp, 9, "Kota/Kabupaten") == ("Kode 3273 adalah “Kota Bandung”, bukan “Kota Bogor”. Tulis "
                                                     "kodenya saja atau namanya saja.")
    values = {(r, c): v for r, c, v, _m in imp.problems}
    assert values[(2, "Kota/Kabupaten")] == "9999" and values[(5, "Jenis Pekerjaan")] == "3273 — Kota Bogor"


def test_a_code_no_longer_on_bnsps_list_is_refused(event, admin_user):
    from kompeten.core.codes import ensure_loaded
    from kompeten.core.models import BnspCode

    ensure_loaded()  # a module that flushed the database before this test left the lists to be loaded on first use
    BnspCode.objects.filter(kind="funding", code="5").update(is_active=False)
    imp = imports.check_file(event, admin_user, xlsx([person(1, **{"Sumber Anggaran": "5"}),
                                                      person(2, **{"Sumber Anggaran": "4"})]))
    assert problems_of(imp) == {(2, "Sumber Anggaran")}
    assert imp.rows[0]["data"]["funding_code"] == "4"


def test_import_pressed_on_two_servers_at_once_starts_one_job(event, admin_user):
    """Each server loaded the import before either started it (two stale copies): the second start, under the
    import row's lock, finds it started and returns the same job — one job, one log entry, one import."""
    imp = imports.check_file(event, admin_user, xlsx([person(1), person(2)]))
    here, there = CandidateImport.objects.get(pk=imp.pk), CandidateImport.objects.get(pk=imp.pk)
    first = imports.start_import(here, admin_user, "all")
    second = imports.start_import(there, admin_user, "all")
    assert first.pk == second.pk
    assert Job.objects.filter(kind=imports.IMPORT_JOB, ref=f"import:{imp.pk}").count() == 1
    assert ActionLog.objects.filter(act="start_candidate_import").count() == 1
    run(imp)
    assert (imp.status, imp.imported) == ("imported", 2)
    # Once imported, a late press on a stale page is refused, and nothing is imported again.
    with pytest.raises(WorkflowError, match="sudah diproses"):
        imports.start_import(there, admin_user, "all")
    assert Job.objects.filter(kind=imports.IMPORT_JOB).count() == 1 and Case.objects.filter(event=event).count() == 2
