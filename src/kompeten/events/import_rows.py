"""Reading a file of candidates (XLSX or CSV on the LSP's template) and checking each row — no database here.

The columns follow what FR.APL.01 records (Bagian 1a/1b), with the optional BNSP code columns of its section
"Data untuk pelaporan ke BNSP" (city/kabupaten — the province follows from it —, education, occupation, funding
source, ministry), each given as the code or the name from BNSP's lists. `read_table()` gives the header and the
rows, `map_columns()` refuses a file that is not on the template, `check_row()` turns one row into APL.01 fields
and a list of problems, each naming its column, in the language active when it runs. The code lists come in as
`CodeList`s built by the caller from the master data (core.codes.active_lists).
"""

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.cases.services import check_nik

MAX_ROWS = 20_000


@dataclass(frozen=True)
class Column:
    key: str  # the FR.APL.01 field it fills
    header: str  # the header printed on the template (a data-exchange format: always Indonesian)
    required: bool
    hint: object  # lazy text: what to write, shown in the template's notes and on the page
    aliases: tuple = ()
    code_kind: str = ""  # a BNSP code list (core BnspCode.Kind) the value is checked against


COLUMNS = [
    Column("full_name", "Nama Lengkap", True, gettext_lazy("Sesuai KTP; dicetak di sertifikat."),
           ("nama", "nama asesi", "nama peserta")),
    Column("nik", "NIK", True, gettext_lazy("16 angka sesuai KTP, ditulis sebagai teks. WNA: kosongkan dan isi "
                                            "Nomor Paspor."), ("no ktp", "nomor ktp", "no nik", "nik ktp")),
    Column("birth_place", "Tempat Lahir", True, gettext_lazy("Kota atau kabupaten tempat lahir.")),
    Column("birth_date", "Tanggal Lahir", True, gettext_lazy("dd/mm/yyyy, misalnya 17/08/1995 (atau sel tanggal "
                                                             "Excel)."), ("tgl lahir",)),
    Column("sex", "Jenis Kelamin", True, gettext_lazy("L (laki-laki) atau P (perempuan)."), ("l/p", "jk")),
    Column("nationality", "Kebangsaan", False, gettext_lazy("Kosong berarti Indonesia."), ("kewarganegaraan",)),
    Column("passport_number", "Nomor Paspor", False, gettext_lazy("Hanya untuk warga negara asing."),
           ("no paspor", "paspor")),
    Column("email", "Email", True, gettext_lazy("Alamat email pribadi; undangan mengatur kata sandi dikirim ke "
                                                "sini. Satu email untuk satu orang."), ("e-mail", "alamat email")),
    Column("phone", "Nomor HP", True, gettext_lazy("Nomor HP aktif, misalnya 081234567890 atau +6281234567890."),
           ("no hp", "hp", "telp", "telepon", "no telp", "no telepon", "nomor telepon")),
    Column("address", "Alamat Rumah", False, gettext_lazy("Alamat tempat tinggal, termasuk kota/kabupaten dan "
                                                          "provinsi."), ("alamat", "tempat tinggal")),
    Column("postcode", "Kode Pos", False, gettext_lazy("5 angka.")),
    Column("education", "Pendidikan Terakhir", False, gettext_lazy("Misalnya SMK, D3, S1 Teknik Informatika."),
           ("pendidikan", "kualifikasi pendidikan")),
    Column("position", "Pekerjaan / Jabatan", False, gettext_lazy("Pekerjaan atau jabatan saat ini; kosongkan "
                                                                  "bila belum bekerja."), ("pekerjaan", "jabatan")),
    Column("employer", "Nama Institusi / Perusahaan", False, gettext_lazy("Tempat bekerja atau belajar saat ini."),
           ("institusi", "perusahaan", "nama perusahaan", "nama institusi", "instansi")),
    # APL.01 "Data untuk pelaporan ke BNSP": optional, the code or the name from BNSP's lists.
    Column("city_code", "Kota/Kabupaten", False, gettext_lazy("Kota/kabupaten tempat tinggal: kode atau nama dari "
                                                              "daftar BNSP, misalnya 3273 atau Kota Bandung. "
                                                              "Provinsi mengikuti kota/kabupaten."),
           ("kode kota", "kota", "kabupaten", "kota kabupaten", "kab kota", "kode kota kabupaten",
            "kota kabupaten tempat tinggal"), "city"),
    Column("education_code", "Jenjang Pendidikan", False, gettext_lazy("Kode atau nama jenjang dari daftar BNSP, "
                                                                       "misalnya 3 atau SMA / SMK / sederajat."),
           ("kode pendidikan", "jenjang pendidikan terakhir"), "education"),
    Column("occupation_code", "Jenis Pekerjaan", False, gettext_lazy("Kode atau nama dari daftar pekerjaan BNSP, "
                                                                     "misalnya 2 atau Pelajar / mahasiswa."),
           ("kode pekerjaan",), "occupation"),
    Column("funding_code", "Sumber Anggaran", False, gettext_lazy("Kode atau nama sumber anggaran sertifikasi, "
                                                                  "misalnya 3 atau Mandiri."),
           ("kode sumber anggaran", "sumber anggaran sertifikasi", "kode anggaran"), "funding"),
    Column("ministry_code", "Kementerian", False, gettext_lazy("Kementerian penyelenggara program bila sertifikasi "
                                                               "dibiayai programnya: kode atau nama, misalnya 1 atau "
                                                               "Kementerian Ketenagakerjaan; 0 bila tidak ada."),
           ("kode kementerian", "kementerian penyelenggara program"), "ministry"),
]
CODE_COLUMNS = [c for c in COLUMNS if c.code_kind]
BY_KEY = {c.key: c for c in COLUMNS}
# Columns a sheet may carry that mean nothing to the import (BNSP-style sheets start with a running number).
IGNORED = {"no", "nomor", "nourut"}

SEXES = {"l": "L", "laki-laki": "L", "laki laki": "L", "lakilaki": "L", "pria": "L",
         "p": "P", "perempuan": "P", "wanita": "P"}
MONTHS = {"januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3, "april": 4,
          "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8,
          "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nop": 11,
          "desember": 12, "des": 12}
INDONESIA = {"", "indonesia", "wni", "id", "idn"}


# What each code list is called in a row's message.
LIST_NAMES = {"city": gettext_lazy("kota/kabupaten"), "education": gettext_lazy("jenjang pendidikan"),
              "occupation": gettext_lazy("pekerjaan"), "funding": gettext_lazy("sumber anggaran"),
              "ministry": gettext_lazy("kementerian")}


class FileProblem(Exception):
    """The file as a whole cannot be read or is not on the template (a clear sentence for the person)."""


def _norm(header):
    text = re.sub(r"\(.*?\)|\*", "", str(header or "")).strip().lower()
    return re.sub(r"[^a-z0-9/]+", " ", text).strip()


def _norm_key(header):
    return re.sub(r"[^a-z0-9]", "", _norm(header))


_LOOKUP = {}
for _c in COLUMNS:
    for _name in (_c.header, *_c.aliases):
        _LOOKUP[_norm_key(_name)] = _c.key


# --- BNSP code lists ----------------------------------------------------------------------------------------


def _words(text):
    words = re.sub(r"[^0-9a-z]+", " ", str(text).lower()).split()
    if words and words[0] in ("kab", "kabupaten"):
        words[0] = "kabupaten"
    return tuple(words)


class CodeList:
    """One BNSP code list, to turn what a row says (the code, the name, "code — name", or a part of the name that
    fits one entry only, such as "SMK" or "Bandung Barat") into the code. `entries`: [(code, name, parent)]."""

    def __init__(self, kind, entries):
        self.kind = kind
        self.entries = list(entries)
        self.by_code = {code: (code, name, parent) for code, name, parent in self.entries}
        self.by_name = {}
        for entry in self.entries:
            self.by_name.setdefault(_words(entry[1]), []).append(entry)
        self._memo = {}

    def parent(self, code):
        return self.by_code[code][2] if code in self.by_code else ""

    def resolve(self, text):
        """(code, None), or (None, message) for a value that names no entry or more than one."""
        if text not in self._memo:
            self._memo[text] = self._resolve(text)
        return self._memo[text]

    def _resolve(self, text):
        if text in self.by_code:
            return text, None
        m = re.fullmatch(r"(\w+)\s*[—–-]\s*(.+)", text)
        if m and m.group(1) in self.by_code:
            code = m.group(1)
            if _words(m.group(2)) == _words(self.by_code[code][1]):
                return code, None
            return None, _("Kode %(code)s adalah “%(name)s”, bukan “%(given)s”. Tulis kodenya saja atau namanya "
                           "saja.") % {"code": code, "name": self.by_code[code][1], "given": m.group(2)}
        words = _words(text)
        found = self.by_name.get(words)
        if not found and words:
            wanted = set(words)
            found = [e for e in self.entries if wanted <= set(_words(e[1]))]
        if found and len(found) == 1:
            return found[0][0], None
        list_name = LIST_NAMES.get(self.kind, self.kind)
        if found:
            options = [f"{name} ({code})" for code, name, _parent in found[:4]]
            listed = _("%(some)s atau %(last)s") % {"some": ", ".join(options[:-1]), "last": options[-1]}
            return None, _("“%(value)s” dapat berarti %(options)s%(more)s. Tulis nama lengkapnya atau kodenya.") % {
                "value": text, "options": listed, "more": " …" if len(found) > 4 else ""}
        example = self.entries[0] if self.entries else ("", "", "")
        return None, _("“%(value)s” tidak ada dalam daftar %(list)s BNSP. Tulis kode atau nama dari daftar di lembar "
                       "Petunjuk templat, misalnya %(code)s atau %(name)s.") % {
            "value": text, "list": list_name, "code": example[0], "name": example[1]}


# --- reading the file ----------------------------------------------------------------------------------


def read_table(data, name=""):
    """(kind, rows) from the uploaded bytes: kind "xlsx" or "csv", rows an iterator of (row number, cells)
    with the header first. Refuses what is neither, with a sentence that says what to do."""
    name = (name or "").lower()
    if data[:4] == b"PK\x03\x04":
        return "xlsx", _xlsx_rows(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileProblem(_("Berkas Excel lama (.xls) tidak dapat dibaca. Buka di Excel lalu simpan sebagai "
                            "“Excel Workbook (.xlsx)” atau “CSV UTF-8”."))
    if name.endswith(".xlsx"):
        raise FileProblem(_("Berkas ini bernama .xlsx tetapi isinya bukan berkas Excel yang utuh. Simpan ulang "
                            "dari Excel atau gunakan templat."))
    if b"\x00" in data[:4096]:
        raise FileProblem(_("Berkas ini bukan XLSX atau CSV. Gunakan templat yang disediakan di halaman ini."))
    return "csv", _csv_rows(data)


def _xlsx_rows(data):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FileProblem(_("Berkas XLSX tidak dapat dibuka (%(why)s). Simpan ulang dari Excel atau gunakan "
                            "templat.") % {"why": exc.__class__.__name__}) from None
    sheet = book["Asesi"] if "Asesi" in book.sheetnames else book.worksheets[0]

    def rows():
        try:
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(cells)
        finally:
            book.close()

    return rows()


def _csv_rows(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise FileProblem(_("Berkas CSV tidak dapat dibaca: simpan sebagai “CSV UTF-8”."))
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows():
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise FileProblem(_("Berkas CSV rusak di sekitar baris %(row)s (%(why)s).")
                              % {"row": reader.line_num, "why": exc}) from None

    return rows()


def map_columns(header):
    """[key or None per cell] for the header row (None: a column to skip). Refuses a header that is not the
    template's: a required column missing, a column it does not know, or a column twice."""
    keys, unknown, seen, twice = [], [], set(), []
    for cell in header:
        text = "" if cell is None else str(cell).strip()
        norm = _norm_key(text)
        if not norm or norm in IGNORED:
            keys.append(None)
            continue
        key = _LOOKUP.get(norm)
        if key is None:
            unknown.append(text)
        elif key in seen:
            twice.append(text)
        seen.add(key)
        keys.append(key)
    missing = [c.header for c in COLUMNS if c.required and c.key not in seen]
    problems = []
    if missing:
        problems.append(_("kolom wajib tidak ada: %(list)s") % {"list": ", ".join(missing)})
    if unknown:
        problems.append(_("kolom tidak dikenal: %(list)s") % {"list": ", ".join(unknown)})
    if twice:
        problems.append(_("kolom ganda: %(list)s") % {"list": ", ".join(twice)})
    if problems:
        raise FileProblem(_("Berkas tidak sesuai templat (%(problems)s). Unduh templat di halaman ini, salin "
                            "data ke dalamnya tanpa mengubah baris judul kolom, lalu unggah lagi.")
                          % {"problems": "; ".join(problems)})
    return keys


# --- one row ---------------------------------------------------------------------------------------------


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return " ".join(str(value).split())


def _date(value):
    """(date or None, message or None) from an Excel date cell, an Excel serial number or Indonesian text."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(value).date(), None
        except (ValueError, OverflowError, AttributeError):
            return None, _("Bukan tanggal yang dikenal; tulis dd/mm/yyyy, misalnya 17/08/1995.")
    text = _text(value).lower()
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})", text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        if len(m.group(3)) != 4:
            return None, _("Tulis tahun dengan 4 angka (dd/mm/yyyy), misalnya 17/08/1995.")
    elif m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = (int(g) for g in m.groups())
    elif (m := re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})", text)) and m.group(2) in MONTHS:
        day, month, year = int(m.group(1)), MONTHS[m.group(2)], int(m.group(3))
    else:
        return None, _("Bukan tanggal yang dikenal; tulis dd/mm/yyyy, misalnya 17/08/1995.")
    if month > 12 and day <= 12:
        return None, _("Bulan %(m)s tidak ada: tanggal ditulis hari/bulan/tahun (dd/mm/yyyy), bukan "
                       "bulan/hari/tahun.") % {"m": month}
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, _("Tanggal ini tidak ada di kalender.")


def _phone(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = _text(value)
        # A number cell drops the leading 0 of 08…: put it back.
        return "0" + text if text.startswith("8") else text
    return _text(value)


def check_row(cells, keys, code_lists=None):
    """(APL.01 fields, problems) for one row: problems are (column header, value as text, message).
    `code_lists`: {BNSP list kind: CodeList} for the code columns (a code column with a value and no list to
    check it against is a problem, never stored unchecked)."""
    raw = {}
    for key, value in zip(keys, cells, strict=False):  # a short row: the rest is empty
        if key is not None:
            raw[key] = value
    data, problems = {}, []

    def problem(key, message, value=None):
        shown = _text(raw.get(key) if value is None else value)
        problems.append((BY_KEY[key].header, shown, str(message)))

    for column in COLUMNS:
        if column.key in ("birth_date", "phone", "nik") or column.code_kind:
            continue
        data[column.key] = _text(raw.get(column.key))
    for key in ("full_name", "birth_place"):
        if not data[key]:
            problem(key, _("Wajib diisi."))
    if len(data["full_name"]) > 150:
        problem("full_name", _("Nama terlalu panjang (paling banyak 150 karakter)."))
    for key, limit in (("birth_place", 100), ("education", 150), ("position", 150), ("employer", 200),
                       ("nationality", 60), ("passport_number", 30)):
        if len(data[key]) > limit:
            problem(key, _("Terlalu panjang (paling banyak %(n)s karakter).") % {"n": limit})

    birth_date = None
    if raw.get("birth_date") in (None, ""):
        problem("birth_date", _("Wajib diisi."))
    else:
        birth_date, why = _date(raw["birth_date"])
        if why:
            problem("birth_date", why)
        elif birth_date > timezone.localdate() or birth_date.year < 1900:
            problem("birth_date", _("Tanggal lahir tidak masuk akal."))
            birth_date = None
    data["birth_date"] = birth_date

    sex = SEXES.get(data["sex"].lower())
    if not data["sex"]:
        problem("sex", _("Wajib diisi: L atau P."))
    elif sex is None:
        problem("sex", _("Tulis L (laki-laki) atau P (perempuan)."))
    data["sex"] = sex or ""

    indonesian = data["nationality"].lower() in INDONESIA
    data["nationality"] = "Indonesia" if indonesian else data["nationality"]
    nik_cell = raw.get("nik")
    nik = re.sub(r"[\s.\-]", "", _text(nik_cell))
    if isinstance(nik_cell, (int, float)) and not isinstance(nik_cell, bool) and nik:
        # Excel keeps 15 significant digits: a NIK typed as a number may have lost its last digit.
        problem("nik", _("NIK tersimpan sebagai angka, sehingga Excel dapat mengubah angka terakhirnya. Format "
                         "kolom NIK sebagai Teks lalu ketik ulang NIK-nya."))
    elif indonesian:
        if not nik:
            problem("nik", _("Wajib diisi bagi warga negara Indonesia (16 angka)."))
        else:
            for message in check_nik(nik, birth_date, sex):
                problem("nik", message)
    elif nik:
        problem("nik", _("NIK hanya untuk warga negara Indonesia; warga negara asing mengisi Nomor Paspor."))
    if not indonesian and not data["passport_number"]:
        problem("passport_number", _("Wajib diisi bagi warga negara asing."))
    data["nik"] = nik if indonesian else ""

    email = data["email"].lower()
    if not email:
        problem("email", _("Wajib diisi: undangan dikirim ke email ini."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            problem("email", _("Bukan alamat email yang valid."))
    data["email"] = email

    phone = _phone(raw.get("phone"))
    digits = re.sub(r"\D", "", phone)
    if not phone:
        problem("phone", _("Wajib diisi."), phone)
    elif not re.fullmatch(r"\+?[\d\s\-()]+", phone) or not 8 <= len(digits) <= 15:
        problem("phone", _("Nomor HP berisi 8–15 angka, boleh diawali +, misalnya 081234567890."), phone)
    data["phone"] = phone[:30]

    if data["postcode"] and not re.fullmatch(r"\d{5}", data["postcode"]):
        problem("postcode", _("Kode pos terdiri dari 5 angka."))

    code_lists = code_lists or {}
    for column in CODE_COLUMNS:
        text = _text(raw.get(column.key))
        code = ""
        if text:
            codes = code_lists.get(column.code_kind)
            if codes is None:
                problem(column.key, _("Daftar kode BNSP ini belum dimuat; kosongkan kolom ini atau hubungi "
                                      "pengelola."))
            else:
                code, why = codes.resolve(text)
                if why:
                    problem(column.key, why)
                    code = ""
        data[column.key] = code or ""
    city = code_lists.get("city")
    data["province_code"] = city.parent(data["city_code"]) if city and data["city_code"] else ""
    return data, problems


def is_empty(cells):
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)
