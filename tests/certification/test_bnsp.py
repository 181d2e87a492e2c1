"""The BNSP blanko exchange per plenary meeting: the sheet's exact columns and values, the package ZIP, the blanko's
life (sent → received → numbered) with its refusals, and a round trip of registration numbers (export the list,
fill it as BNSP answers, import it back; rows that match nothing are reported and change nothing)."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from kompeten.cases.models import Application
from kompeten.certification import bnsp, pleno
from kompeten.certification.models import BlankoRequest, Certificate
from kompeten.core import codes
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import ActionLog, BnspCode, Role
from kompeten.events import import_rows
from kompeten.events import services as event_services
from tests.conftest import make_user

from .helpers import make_case, recommend

pytestmark = pytest.mark.django_db

EXPECTED = ["No", "Nama Asesi", "NIK", "Tempat Lahir", "Tanggal Lahir", "Jenis Kelamin", "Tempat Tinggal",
            "Kode Kota", "Kode Provinsi", "Telp", "Email", "Kode Pendidikan", "Kode Pekerjaan", "Kode Jadwal",
            "Tanggal Uji", "Nomor Registrasi Asesor", "Kode Sumber Anggaran", "Kode Kementerian", "K/BK"]


def _apply(case, nik, name, birth, sex, **extra):
    return Application.objects.create(case=case, full_name=name, nik=nik, birth_place="Bandung", birth_date=birth,
                                      sex=sex, address="Jl. Merdeka\n10", phone="08123", email=f"{nik}@x.id",
                                      **extra)


@pytest.fixture
def closed(committee, scheme, assessor, event, settings, admin_user):
    """A closed meeting that decided Budi K (certificate issued) and Mega BK."""
    settings.PLENO_QUORUM = 1
    budi = make_case(make_user("budi2", Role.CANDIDATE, first_name="Budi", last_name="Santoso"), scheme, assessor,
                     event)
    mega = make_case(make_user("mega", Role.CANDIDATE, first_name="Mega", last_name="Putri"), scheme, assessor, event)
    _apply(budi, "3273011708900001", "Budi Santoso", dt.date(1990, 8, 17), "L", city_code="3273", province_code="32",
           education_code="8", occupation_code="6", funding_code="3", ministry_code="0")
    _apply(mega, "3204014503950002", "Mega Putri", dt.date(1995, 3, 5), "P")
    recommend(budi, "K")
    recommend(mega, "BK")
    meeting = pleno.open_meeting(committee, held_on=timezone.localdate(), members=[committee])
    pleno.decide_in_meeting(meeting, budi, committee, decision="K")
    pleno.decide_in_meeting(meeting, mega, committee, decision="BK", reason="Unit 3 belum kompeten")
    meeting = pleno.close_meeting(meeting, committee)
    today = timezone.localdate()
    Certificate.objects.create(number="CERT/T/00001", case=budi, holder_name="Budi Santoso", scheme=scheme,
                               issued_on=today, valid_until=today + dt.timedelta(days=1095), issued_by=admin_user)
    event_services.record_bnsp_schedule_code(event, admin_user, "JDW-BNSP-778")
    return meeting


def test_code_lists_are_loaded_from_the_shipped_file():
    # A migration loads them; a database emptied since (another test's flush) gets them back on first use.
    BnspCode.objects.all().delete()
    assert codes.province_of_city("3273") == "32"
    assert BnspCode.objects.filter(kind="province").count() == 38
    assert codes.city_named("Bandung") == "3273" and codes.city_named("Atlantis") == ""
    assert codes.province_of_city("3273") == "32"
    assert dict(codes.choices("funding"))["3"].endswith("Mandiri (biaya sendiri)")
    # loading again changes nothing; a list without a code marks it inactive, never deletes it
    assert codes.load_codes() == {"created": 0, "updated": 0, "deactivated": 0}
    lists = codes.read_file()
    lists["funding"] = [r for r in lists["funding"] if r["code"] != "5"]
    assert codes.load_codes(lists)["deactivated"] == 1
    assert BnspCode.objects.get(kind="funding", code="5").is_active is False


def test_the_city_list_holds_every_kabupaten_and_kota_under_its_province():
    lists = codes.read_file()
    provinces = {r["code"] for r in lists["province"]}
    cities = lists["city"]
    assert len(provinces) == 38 and len(cities) == 514
    # every city is under a known province and its code begins with that province's code; no province is empty
    assert all(len(c["code"]) == 4 and c["code"][:2] == c["parent"] and c["parent"] in provinces for c in cities)
    assert {c["parent"] for c in cities} == provinces
    by_code = {c["code"]: c["name"] for c in cities}
    # Kemendagri's codes (not BPS's): the Jakarta cities, Medan, and Sorong in Papua Barat Daya since 2022
    assert (by_code["3171"], by_code["3174"], by_code["1271"], by_code["1275"]) == (
        "Kota Jakarta Pusat", "Kota Jakarta Selatan", "Kota Medan", "Kota Binjai")
    assert (by_code["9671"], by_code["9601"]) == ("Kota Sorong", "Kabupaten Sorong") and "9271" not in by_code
    assert [n for n in by_code.values() if n.count("Bandung")] == [
        "Kabupaten Bandung", "Kabupaten Bandung Barat", "Kota Bandung"]
    # a plain name finds its Kota first, then its Kabupaten; a name that is neither finds nothing
    assert codes.city_named("Bandung") == "3273" and codes.city_named("Sorong") == "9671"
    assert codes.city_named("Bandung Barat") == "3217" and codes.city_named("Jakarta Selatan") == "3174"
    assert codes.city_named("Barat") == ""


def test_a_city_name_that_fits_several_entries_is_ambiguous_not_guessed():
    cities = import_rows.CodeList("city", codes.active_lists(["city"])["city"])
    assert cities.resolve("Kota Bandung") == ("3273", None) and cities.resolve("Bandung Barat") == ("3217", None)
    assert cities.resolve("Kab. Sorong Selatan") == ("9602", None)
    for name, meant in (("Bandung", ["Kabupaten Bandung (3204)", "Kota Bandung (3273)"]),
                        ("Sorong", ["Kabupaten Sorong (9601)", "Kota Sorong (9671)"]),
                        ("Jakarta", ["Kota Jakarta Pusat (3171)", "Kota Jakarta Utara (3172)"])):
        code, message = cities.resolve(name)
        assert code is None and all(m in message for m in meant), message


def test_a_wrong_code_file_says_where(tmp_path):
    bad = tmp_path / "codes.json"
    bad.write_text('{"city": [{"code": "3273"}]}', encoding="utf-8")
    with pytest.raises(codes.CodeFileError, match="city #1"):
        codes.read_file(bad)


def test_the_sheet_has_exactly_the_bnsp_columns_and_values(closed, assessor):
    wb = load_workbook(io.BytesIO(bnsp.sheet_xlsx(closed)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert list(rows[0]) == EXPECTED
    by_name = {r[1]: dict(zip(EXPECTED, r, strict=True)) for r in rows[1:]}
    assert set(by_name) == {"Budi Santoso", "Mega Putri"}  # K and BK both
    budi = by_name["Budi Santoso"]
    assert budi["NIK"] == "3273011708900001"  # text, all 16 digits
    assert budi["Tanggal Lahir"] == "17/08/1990" and budi["Jenis Kelamin"] == "L"
    assert budi["Tempat Tinggal"] == "Jl. Merdeka 10"
    assert (budi["Kode Kota"], budi["Kode Provinsi"], budi["Kode Pendidikan"], budi["Kode Pekerjaan"]) == (
        "3273", "32", "8", "6")
    assert (budi["Kode Sumber Anggaran"], budi["Kode Kementerian"], budi["K/BK"]) == ("3", "0", "K")
    assert budi["Kode Jadwal"] == "JDW-BNSP-778"
    assert budi["Nomor Registrasi Asesor"] == assessor.met_number
    assert budi["Tanggal Uji"].count("/") == 2 and len(budi["Tanggal Uji"]) == 10
    assert by_name["Mega Putri"]["K/BK"] == "BK" and by_name["Mega Putri"]["Jenis Kelamin"] == "P"
    missing = {r["Nama Asesi"]: r["missing"] for r in bnsp.sheet_rows(closed)}
    assert missing["Budi Santoso"] == [] and "Kode Kota" in missing["Mega Putri"]


def test_the_package_holds_the_sheet_the_minutes_and_the_decision_letter(closed, admin_user, lsp_head, candidate):
    names = zipfile.ZipFile(io.BytesIO(bnsp.package_zip(closed, admin_user))).namelist()
    assert len(names) == 3 and sum(n.endswith(".pdf") for n in names) == 2 and any(n.endswith(".xlsx") for n in names)
    assert bnsp.package_zip(closed, lsp_head)
    assert ActionLog.objects.filter(act="view_personal_data", actor=lsp_head).exists()
    with pytest.raises(NotAllowed):
        bnsp.package_zip(closed, candidate)


def test_the_blanko_life_sent_received_numbered(closed, admin_user, lsp_head):
    today = timezone.localdate()
    with pytest.raises(NotAllowed):
        bnsp.record_request_sent(closed, lsp_head, letter_number="X", sent_on=today)
    with pytest.raises(WorkflowError):
        bnsp.record_request_sent(closed, admin_user, letter_number="", sent_on=today)
    req = bnsp.record_request_sent(closed, admin_user, letter_number="012/LSP/XII/2026", sent_on=today)
    with pytest.raises(WorkflowError, match="sudah tercatat"):
        bnsp.record_request_sent(closed, admin_user, letter_number="013", sent_on=today)
    with pytest.raises(WorkflowError, match="blanko yang diterima"):
        bnsp.assign_blanko_numbers(req, admin_user)
    with pytest.raises(WorkflowError):  # range backwards
        bnsp.record_blanko_received(req, admin_user, received_on=today, first_number="B-0100", last_number="B-0099")
    with pytest.raises(WorkflowError):  # different prefix
        bnsp.record_blanko_received(req, admin_user, received_on=today, first_number="B-0100", last_number="C-0101")
    req = bnsp.record_blanko_received(req, admin_user, received_on=today, first_number="B-0100",
                                      last_number="B-0102")
    assert req.status == BlankoRequest.Status.RECEIVED and bnsp.numbers_in(req) == ["B-0100", "B-0101", "B-0102"]
    # B-0100 is already on some other certificate: it is skipped, never reused
    earlier = make_case(make_user("lama", Role.CANDIDATE), closed_scheme(), None, None, status="certified")
    Certificate.objects.create(number="CERT/T/00000", case=earlier, holder_name="Lama", scheme=earlier.scheme,
                               issued_on=today, valid_until=today, issued_by=admin_user, blanko_number="B-0100")
    given = bnsp.assign_blanko_numbers(req, admin_user)
    assert given == {"CERT/T/00001": "B-0101"}
    assert Certificate.objects.get(number="CERT/T/00001").blanko_number == "B-0101"
    with pytest.raises(WorkflowError, match="sudah bernomor blanko"):
        bnsp.assign_blanko_numbers(req, admin_user)
    acts = set(ActionLog.objects.values_list("act", flat=True))
    assert {"send_blanko_request", "receive_blanko", "assign_blanko_numbers", "give_blanko_number"} <= acts


def closed_scheme():
    return Certificate.objects.get(number="CERT/T/00001").scheme


def _filled(sheet_bytes, numbers):
    """The downloaded list with the Nomor Registrasi column filled, as staff do from BNSP's answer."""
    wb = load_workbook(io.BytesIO(sheet_bytes))
    ws = wb.active
    header = [c.value for c in ws[1]]
    col = header.index("Nomor Registrasi") + 1
    for row in range(2, ws.max_row + 1):
        nik = ws.cell(row, header.index("NIK") + 1).value
        if nik in numbers:
            ws.cell(row, col).value = numbers[nik]
    return wb


def test_registration_numbers_round_trip_with_unmatched_rows_reported(closed, admin_user, scheme):
    req = bnsp.record_request_sent(closed, admin_user, letter_number="012", sent_on=timezone.localdate())
    sheet = bnsp.return_xlsx(closed)
    assert [c for c in next(load_workbook(io.BytesIO(sheet)).active.iter_rows(values_only=True))] == \
        bnsp.RETURN_COLUMNS
    wb = _filled(sheet, {"3273011708900001": "TIK 1565 04115 2026"})
    ws = wb.active
    ws.append([2, "Orang Lain", "3171010101800009", scheme.number, "", "", "TIK 1565 04116 2026"])  # unknown NIK
    ws.append([3, "Budi", "3273011708900001", "SKM/OTHER/1", "", "", "TIK 1"])  # right NIK, other scheme
    ws.append([4, "Budi", "3273011708900001", scheme.number, "", "", "TIK 9"])  # the same person twice
    ws.append([5, "Mega", "3204014503950002", scheme.number, "", "", ""])  # no number
    out = io.BytesIO()
    wb.save(out)
    report = bnsp.import_registration_numbers(req, admin_user, SimpleUploadedFile("reg.xlsx", out.getvalue()))
    assert [u["certificate"] for u in report["updated"]] == ["CERT/T/00001"]
    assert [u["row"] for u in report["unmatched"]] == [3, 4, 5, 6]
    assert Certificate.objects.get(number="CERT/T/00001").bnsp_registration_number == "TIK 1565 04115 2026"
    # the same file again: nothing changes, the row reads "already the same"
    again = bnsp.import_registration_numbers(req, admin_user, SimpleUploadedFile("reg.xlsx", out.getvalue()))
    assert again["updated"] == [] and len(again["unchanged"]) == 1
    # a different number for a certificate that already has one is reported, not written over
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows([["NIK", "Nomor Skema", "Nomor Registrasi"],
                                               ["3273011708900001", scheme.number, "TIK OTHER"]])
    third = bnsp.import_registration_numbers(req, admin_user, SimpleUploadedFile("reg.csv", text.getvalue().encode()))
    assert third["updated"] == [] and "sudah bernomor registrasi" in third["unmatched"][0]["reason"]
    assert Certificate.objects.get(number="CERT/T/00001").bnsp_registration_number == "TIK 1565 04115 2026"


def test_a_wrong_file_is_refused_with_a_message(closed, admin_user):
    req = bnsp.record_request_sent(closed, admin_user, letter_number="012", sent_on=timezone.localdate())
    with pytest.raises(WorkflowError, match="Baris judul"):
        bnsp.import_registration_numbers(req, admin_user, SimpleUploadedFile("x.csv", b"a,b\n1,2\n"))
    with pytest.raises(WorkflowError, match="Nomor Registrasi"):
        bnsp.import_registration_numbers(req, admin_user, SimpleUploadedFile("x.csv", b"NIK,Nomor Skema\n1,2\n"))
    with pytest.raises(WorkflowError, match="bukan XLSX"):
        bnsp.import_registration_numbers(req, admin_user, SimpleUploadedFile("x.bin", b"\xff\xfe\x00\x01"))
    with pytest.raises(WorkflowError, match="XLSX tidak dapat dibaca"):
        bnsp.import_registration_numbers(req, admin_user, SimpleUploadedFile("x.xlsx", b"PK\x03\x04broken"))
    wb = Workbook()
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(WorkflowError):
        bnsp.import_registration_numbers(req, admin_user, SimpleUploadedFile("empty.xlsx", out.getvalue()))


def test_the_page_runs_the_acts_and_refuses_other_roles(client, closed, admin_user, lsp_head, committee):
    url = reverse("certification:blanko_request", args=[closed.pk])
    client.force_login(committee)
    assert client.get(url).status_code == 403
    assert client.get(reverse("certification:blanko_package", args=[closed.pk])).status_code == 403
    client.force_login(lsp_head)
    assert client.get(url).status_code == 200
    r = client.post(url, {"act": "send", "letter_number": "X", "sent_on": timezone.localdate().isoformat()})
    assert r.status_code == 403 and not BlankoRequest.objects.exists()
    client.force_login(admin_user)
    page = client.get(url)
    assert page.status_code == 200 and b"Mega Putri" in page.content
    r = client.post(url, {"act": "send", "letter_number": "", "sent_on": ""})
    assert r.status_code == 200 and not BlankoRequest.objects.exists()  # the form again, with its errors
    r = client.post(url, {"act": "send", "letter_number": "012/LSP/2026", "sent_on": timezone.localdate().isoformat()})
    assert r.status_code == 302 and BlankoRequest.objects.get().letter_number == "012/LSP/2026"
    r = client.post(url, {"act": "receive", "received_on": timezone.localdate().isoformat(),
                          "first_number": "0005", "last_number": "0009"})
    assert r.status_code == 302
    assert client.post(url, {"act": "assign"}).status_code == 302
    assert Certificate.objects.get(number="CERT/T/00001").blanko_number == "0005"
    assert client.post(url, {"act": "assign"}).status_code == 302  # nothing left: a message, no error
    sheet = client.get(reverse("certification:blanko_return_sheet", args=[closed.pk]))
    wb = _filled(sheet.content, {"3273011708900001": "TIK 77"})
    out = io.BytesIO()
    wb.save(out)
    r = client.post(url, {"act": "import", "file": SimpleUploadedFile("r.xlsx", out.getvalue())})
    assert r.status_code == 200 and b'data-testid="report"' in r.content
    assert Certificate.objects.get(number="CERT/T/00001").bnsp_registration_number == "TIK 77"
    package = client.get(reverse("certification:blanko_package", args=[closed.pk]))
    assert package.status_code == 200 and package["Content-Type"] == "application/zip"


def test_apl01_records_the_codes_and_derives_the_province(scheme, candidate):
    from kompeten.cases import services as cases

    case = cases.create_case(candidate, scheme)
    with pytest.raises(WorkflowError) as refused:
        cases.save_application(case, candidate, {"city_code": "9999", "education_code": "8"})
    assert set(refused.value.field_errors) == {"city_code"}
    app = cases.save_application(case, candidate, {"city_code": "3273", "education_code": "8", "occupation_code": "6",
                                                   "funding_code": "3", "ministry_code": "0"})
    assert (app.city_code, app.province_code, app.education_code) == ("3273", "32", "8")


def test_the_apl01_form_offers_the_code_lists(client, scheme, candidate):
    from kompeten.cases import services as cases

    case = cases.create_case(candidate, scheme)
    client.force_login(candidate)
    page = client.get(reverse("cases:apl01", args=[case.pk])).content.decode()
    assert 'name="city_code"' in page and "3273 — Kota Bandung" in page and 'label="Jawa Barat"' in page
    assert 'name="funding_code"' in page and "APBN" in page
