"""The printed FR.IA forms (FORMS.md §12–§23) and what each print may show to whom.

Two kinds of print, both rendered by templates/pdf/ia.typ from a list of blocks built here:

* the instrument's print (`instrument_print`), for staff: the form with the version's content and nothing of a
  candidate — for FR.IA.05/IA.06 the question sheet (05A/06A; the key sheets 05B/06B are
  instrument_views.key_pdf);
* a candidate's print (`case_print`): the same form filled with what was recorded for that candidate in one
  assessment round (rounds.py) — the assessor's K/BK and notes, for FR.IA.05/IA.06 the answer sheet (05C/06C)
  with the candidate's answers.

Secrets (instruments.SECRET_KEYS: answer keys, model and expected answers) are printed only on staff copies.
A candidate may print only their own answer sheets (`CANDIDATE_FORMS`), built without any secret and, for
multiple choice, without the right/wrong mark per question (which would tell the key of a bank that is used
again): the candidate's copy carries the count of right answers only.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from kompeten.assessment import instruments as I
from kompeten.assessment import observation as O
from kompeten.assessment import rounds
from kompeten.assessment import written_test as WT
from kompeten.assessment.models import KBK, WrittenAttempt
from kompeten.cases.workflow import roles_for
from kompeten.core.errors import WorkflowError
from kompeten.core.models import Role
from kompeten.core.pdf import case_header, fmt_datetime, form_header, render_pdf, signature

# The forms whose print with results a candidate may open: their own written-test answer sheets.
CANDIDATE_FORMS = {"IA.05", "IA.06"}
# Who may print a candidate's filled IA forms (with keys and expected answers): the case's assessor and the LSP's
# staff who oversee or decide it.
PRINT_STAFF = {Role.ASSESSOR, Role.ADMIN, Role.LSP_HEAD, Role.LEAD_ASSESSOR, Role.COMMITTEE}

# (code, title) as printed: the 2020 titles; the sheets of IA.04 and IA.05/IA.06 and IA.11 (product review)
# exist only in the revised set (FORMS.md §15–§18, §23b).
TITLES = {
    "IA.01": ("FR.IA.01", "CEKLIS OBSERVASI AKTIVITAS DI TEMPAT KERJA ATAU TEMPAT KERJA SIMULASI"),
    "IA.02": ("FR.IA.02", "TUGAS PRAKTIK DEMONSTRASI"),
    "IA.03": ("FR.IA.03", "PERTANYAAN UNTUK MENDUKUNG OBSERVASI"),
    "IA.04A": ("FR.IA.04A", "DIT – DAFTAR INSTRUKSI TERSTRUKTUR (PENJELASAN PROYEK SINGKAT/ KEGIATAN TERSTRUKTUR "
                            "LAINNYA*)"),
    "IA.04B": ("FR.IA.04B", "PENILAIAN PROYEK SINGKAT ATAU KEGIATAN TERSTRUKTUR LAINNYA"),
    "IA.05": ("FR.IA.05A", "DPT – PERTANYAAN TERTULIS PILIHAN GANDA"),
    "IA.06": ("FR.IA.06A", "DPT – DAFTAR PERTANYAAN TERTULIS ESAI"),
    "IA.07": ("FR.IA.07", "PERTANYAAN LISAN"),
    "IA.08": ("FR.IA.08", "CEKLIS VERIFIKASI PORTOFOLIO"),
    "IA.09": ("FR.IA.09", "PERTANYAAN WAWANCARA"),
    "IA.10": ("FR.IA.10", "KLARIFIKASI BUKTI PIHAK KETIGA"),
    "IA.11": ("FR.IA.11", "CRP – CEKLIS REVIU PRODUK"),
}
ANSWER_SHEETS = {
    "IA.05": ("FR.IA.05C", "LEMBAR JAWABAN PERTANYAAN TERTULIS PILIHAN GANDA"),
    "IA.06": ("FR.IA.06C", "LEMBAR JAWABAN PERTANYAAN TERTULIS ESAI"),
}

# Fixed texts, quoted as printed (FORMS.md; typos kept where the form keeps them).
GUIDE = {
    "IA.01": ["Lengkapi nama unit kompetensi, elemen, dan kriteria unjuk kerja sesuai kolom dalam tabel.",
              "Istilah Acuan Pembanding dengan SOP/spesifikasi produk dari industri/organisasi dari tempat kerja atau "
              "simulasi tempat kerja",
              "Beri tanda centang (√) pada kolom K jika Anda yakin asesi dapat melakukan/ mendemonstrasikan tugas "
              "sesuai KUK, atau centang (√) pada kolom BK bila sebaliknya.",
              "Penilaian Lanjut diisi bila hasil belum dapat disimpulkan, untuk itu gunakan metode lain sehingga "
              "keputusan dapat dibuat."],
    "IA.03": ["Formulir ini di isi oleh asesor kompetensi dapat sebelum, pada saat atau setelah melakukan asesmen "
              "dengan methode observasi demonstrasi",
              "Pertanyaan dibuat dengan tujuan untuk menggali, dapat berisi pertanyaan yang berkaitan dengan dimensi "
              "kompetensi, batasan variabel dan aspek kritis yang relevan dengan skenario tugas dan praktik "
              "demonstrasi",
              "Jika pertanyaan disampaikan sebelum asesi melakukan praktik demonstrasi, maka pertanyaan dibuat "
              "berkaitan dengan aspek K3L, SOP, penggunaan peralatasn dan perlengkapan.",
              "Jika setelah asesi melakukan praktik demonstrasi terdapat item pertanyaan pendukung observasi telah "
              "terpenuhi, maka pertanyaan tersebut tidak perlu ditanyakan lagi dan cukup memberi catatan bahwa sudah "
              "terpenuhi pada saat tugas praktek demonstrasi pada kolom tanggapan",
              "Jika pada saat observasi adalah hal yang perlu dikonfirmasi sedangkan di instrumen daftar pertanyaan "
              "pendukung observasi tidak ada, maka asesor dapat memberikan pertanyaan dengan syarat pertanyaan harus "
              "berkaitan dengan tugas praktek demonstrasi. jika dilakukan, asesor harus mencatat dalam instrumen "
              "pertanyaan pendukung observasi.",
              "Tanggapan asesi ditulis pada kolom tanggapan"],
    "IA.04A": ["Tentukan proyek singkat atau kegiatan terstruktur lainnya yang harus dipersiapkan dan dipresentasikan "
               "oleh asesi.",
               "Proyek singkat atau kegiatan terstruktur lainnya dibuat untuk keseluruhan unit kompetensi dalam Skema "
               "Sertifikasi atau untuk masing-masing kelompok pekerjaan.",
               "Kumpulkan hasil proyek singkat atau kegiatan terstruktur lainnya sesuai dengan hasil keluaran yang "
               "telah ditetapkan."],
    "IA.04B": ["Lakukan penilaian pencapaian hasil proyek singkat atau kegiatan terstruktur lainnya melalui "
               "presentasi.",
               "Penilaian dilakukan sesuai dengan FR.IA.04A. DIT.",
               "Pertanyaan disampaikan oleh asesor setelah asesi melakukan presentasi.",
               "Isilah kolom lingkup penyajian proyek atau kegiatan terstruktur lainnya.",
               "Berikan keputusan pencapaian berdasarkan kesimpulan jawaban asesi."],
    "IA.07": ["Pertanyaan lisan merupakan jenis bukti tambahan untuk mendukung bukti-bukti yang sudah ada.",
              "Buatlah pertanyaan lisan yang dapat mencakupi penguatan informasi berdasarkan KUK, batasan variabel, "
              "pengetahuan dan ketrampilan esensial, sikap dan aspek kritis.",
              "Perkiraan jawaban dapat diisikan pada baris kunci jawaban.",
              "Tanggapan/penilaian dapat diisi dengan centang (√) pada kolom Asesi “Ya” atau ”Tidak”.",
              "Dibutuhkan jastifikasi profesional asesor untuk memutuskan hal ini."],
    "IA.08": ["Verifikasi portofolio dapat dilakukan untuk keseluruhan unit kompetensi dalam skema sertifikasi atau "
              "dilakukan untuk masing-masing kelompok pekerjaan dalam satu skema sertifikasi.",
              "Isilah bukti portofolio sesuai ketentuan bukti berkualitas dan relevan dengan standar kompetensi kerja "
              "sebagaimana yang telah disepakati pada rekaman asesmen mandiri.",
              "Lakukan verifikasi portofolio berdasarkan aturan bukti.",
              "Berikan hasil verifikasi portofolio dengan memberi centang (√) pada kolom yang sesuai.",
              "Jika hasil verifikasi dokumen portofolio belum memenuhi aturan bukti maka asesor melanjutkan dengan "
              "metode tanya jawab pertanyaan wawancara dan/atau verifikasi pihak ketiga."],
    "IA.09": ["Pertanyaan wawancara dapat dilakukan untuk keseluruhan unit kompetensi dalam skema sertifikasi atau "
              "dilakukan untuk masing-masing kelompok pekerjaan dalam satu skema sertifikasi.",
              "Isilah bukti portofolio sesuai dengan bukti yang diminta pada skema sertifikasi sebagaimana yang telah "
              "dibuat pada FR-IA.08",
              "Ajukan pertanyaan verifikasi portofolio untuk semua unit/elemen kompetensi yang di checklist pada "
              "FR-IA.08",
              "Ajukan pertanyaan kepada asesi sebagai tindak lanjut hasil verifikasi portofolio.",
              "Jika hasil verifikasi potofolio telah memenuhi aturan bukti maka pertanyaan wawancara tidak perlu "
              "dilakukan terhadap bukti tersebut.",
              "Tuliskan pencapaian atas setiap kesimpulan pertanyaan wawancara dengan cara mencentang (√) “Ya” atau "
              "“Tidak”."],
    "IA.10": ["Lengkapi formulir ini sesuai dengan pertanyaan/pernyataan dalam tabel ini secara seksama."],
    "IA.11": ["Formulir ini digunakan untuk menilai produk yang telah dinikmati/dioperasikan/digunakan minimal satu "
              "tahun (sesuai garansi yang diberikan).",
              "Pernyataan yang ada pada tabel formulir ini dapat diganti atau dikembangkan yang lebih spesifik sesuai "
              "kebutuhan diprofesinya."],
}
IA02_INSTRUCTIONS = [
    "1. Baca dan pelajari setiap instruksi kerja di bawah ini dengan cermat sebelum melaksanakan praktek.",
    "2. Klarifikasi kepada asesor kompetensi apabila ada hal-hal yang belum jelas.",
    "3. Laksanakan pekerjaan sesuai dengan urutan proses yang sudah ditetapkan.",
    "4. Seluruh proses kerja mengacu kepada SOP/WI yang dipersyaratkan (Jika Ada)."]
IA04A_FOOTNOTE = ("*) Apabila asesi pada Level 4 ke atas, berikan tugas proyek yang meliputi tentang pemecahan masalah "
                  "dan analisa")
IA05_NOTE = [
    "Pertanyaan bisa dalam bentuk benar dan salah, pilihan ganda, dan menjodohkan.",
    "Daftar pertanyaan dapat berisi pertanyaan dari semua dimensi kompetensi. Jika ada pertanyaan yang tidak dijawab, "
    "maka dapat dieksplorasi dari menilai melalui pertanyaan verbal.",
    "Pertanyaan juga dapat difokuskan pada akurasi dan presisi yang dapat membantu memberikan rekomendasi tindak "
    "lanjut untuk menilai.",
    "Pertanyaan presisi jika tidak dapat dijawab, penilai disarankan untuk menambahkan lebih banyak latihan / bekerja "
    "di bawah pengawasan, sedangkan jika pertanyaan akurasi dilewatkan maka penilai direkomendasikan untuk pelatihan "
    "ulang."]
LEAD_IN = "Jawab semua pertanyaan berikut:"
IA08_LEAD_IN = ("Sebagai tindak lanjut dari hasil verifikasi bukti, substansi materi di bawah ini (no elemen yg di cek "
                "list) harus diklarifikasi selama wawancara:")
IA08_MORE = "Bukti tambahan diperlukan pada unit / elemen kompetensi sebagai berikut:"
IA09_STEM = "Sesuai dengan bukti no. …… yang Anda ajukan, "
IA10_THIRD_PARTY = ["Nama Pengawas/penyelia/atasan/orang lain di perusahaan :", "Tempat kerja :", "Alamat :",
                    "Telepon :"]
IA10_FIXED = [
    "Apakah asesi bekerja dengan mempertimbangkan Kesehatan, Keamanan dan Keselamatan Kerja?",
    "Apakah asesi berinteraksi dengan harmonis didalam kelompoknya?",
    "Apakah asesi dapat mengelola tugas-tugas secara bersamaan?",
    "Apakah asesi dapat dengan cepat beradaptasi dengan peralatan dan lingkungan yang baru?",
    "Apakah asesi dapat merespon dengan cepat masalah-masalah yang ada di tempat kerjanya?",
    "Apakah Anda bersedia dihubungi jika verifikasi lebih lanjut dari pernyataan ini diperlukan?"]
IA10_OPEN = [
    "Apa hubungan Anda dengan asesi?", "Berapa lama Anda bekerja dengan asesi?",
    "Seberapa dekat Anda bekerja dengan asesi di area yang dinilai?",
    "Apa pengalaman teknis dan / atau kualifikasi Anda di bidang yang dinilai? (termasuk asesmen atau kualifikasi "
    "pelatihan)",
    "Secara keseluruhan, apakah Anda yakin asesi melakukan sesuai standar yang diminta oleh unit kompetensi secara "
    "konsisten?",
    "Identifikasi kebutuhan pelatihan lebih lanjut untuk asesi:", "Ada komentar lain:"]
IA10_FOOTER = ("Diadopsi dari templat yang disediakan di Departemen Pendidikan dan Pelatihan, Australia. Merancang alat "
               "asesmen untuk hasil yang berkualitas di VET. 2008")
IA11_PRODUCT = ["Nama produk yang direviu :", "Standar industri atau tempat kerja :", "Spesifikasi produk, secara umum :",
                "Dimensi produk :", "Bahan produk / Berat produk :", "Spesifikasi produk secara teknis :",
                "Tanggal pembuatan/penggunaan :", "Gambar produk (jika ada) :"]
REKOMENDASI_K = "Asesi telah memenuhi pencapaian seluruh kriteria unjuk kerja, direkomendasikan KOMPETEN"
REKOMENDASI_BK = "Asesi belum memenuhi pencapaian seluruh kriteria unjuk kerja, direkomendasikan BELUM KOMPETEN pada:"
FEEDBACK_WRITTEN = "Aspek pengetahuan seluruh unit kompetensi yang diujikan"


# --- small pieces -----------------------------------------------------------------------------------------------


def _c(text="", **kw):
    return {"t": str(text), **kw}


def _tick(on):
    return {"tick": bool(on), "center": True}


def _yes_no(result):
    """Two tick cells (Ya/K, Tidak/BK) for an item's K/BK; two empty boxes when nothing was recorded."""
    return [_tick(result == KBK.K), _tick(result == KBK.BK)]


def _kuk(item):
    return "; ".join(f"{c.number} {c.text}" for c in item.criteria.all())


def _by_unit(items):
    """[(unit, [item …])] in the scheme's unit order; an item stands under the unit of its first KUK."""
    groups = {}
    for item in items:
        crit = sorted(item.criteria.all(), key=lambda c: (c.element.unit.order, c.element.unit_id, c.element.order,
                                                          c.order, c.pk))
        unit = crit[0].element.unit if crit else None
        groups.setdefault(unit, []).append(item)
    return sorted(groups.items(), key=lambda kv: (kv[0].order, kv[0].pk) if kv[0] else (1 << 30, 0))


def _unit_fields(unit):
    return {"kind": "fields", "rows": [["Kode Unit", f": {unit.code}"], ["Judul Unit", f": {unit.title}"]]}


def _units_of(items):
    return [{"code": u.code, "title": u.title} for u, _i in _by_unit(items) if u]


def authors_of(version):
    """The "Penyusun dan Validator" rows (FORMS.md §0.2) of a version: its authors, and the FR.VA team with the
    time the validation was recorded."""
    va = getattr(version, "validation", None) if version.status == "validated" else None
    people = [{"status": "PENYUSUN", "name": a.get("name", ""), "met": a.get("met", ""), "signed_at": ""}
              for a in version.authors]
    people += [{"status": "VALIDATOR", "name": p.get("name", ""), "met": p.get("met", ""),
                "signed_at": fmt_datetime(va.recorded_at)} for p in (va.team if va else [])]
    return people


def _authors(version):
    return {"kind": "authors", "people": authors_of(version)}


def _signatures(case, *, third=None):
    """The Asesi/Asesor box (FORMS.md §0.3): names printed, signed by hand on paper (the app records no signature
    on the IA forms)."""
    if case is None:
        sigs = [signature("Asesi", ""), signature("Asesor", "")]
    else:
        a = case.assessor
        sigs = [signature("Asesi", case.candidate.display_name),
                signature("Asesor", a.name if a else "", reg=a.met_number if a else "")]
    if third:
        sigs.append(signature(third, ""))
    return {"kind": "signatures", "sigs": sigs}


def _feedback_box(label="Umpan balik untuk asesi:"):
    return {"kind": "box", "label": label, "text": "", "lines": 2}


def _recommendation(items, results, label="Rekomendasi:"):
    """The two-sentence recommendation box: ticked K when every item is K, BK (naming the KUK) when any is BK."""
    if results is None:
        return {"kind": "checks", "label": label, "items": [{"label": REKOMENDASI_K, "on": False},
                                                            {"label": REKOMENDASI_BK, "on": False}]}
    marked = {i.pk: results[i.pk].result for i in items if i.pk in results and results[i.pk].result}
    bk = [i for i in items if marked.get(i.pk) == KBK.BK]
    all_k = items and len(marked) == len(items) and not bk
    where = "; ".join(f"Unit {c.element.unit.code} Elemen {c.element.order} KUK {c.number}"
                      for i in bk for c in i.criteria.all())
    return {"kind": "checks", "label": label, "items": [
        {"label": REKOMENDASI_K, "on": bool(all_k)},
        {"label": f"{REKOMENDASI_BK} {where}" if bk else REKOMENDASI_BK, "on": bool(bk)}]}


# --- the forms ------------------------------------------------------------------------------------------------


def _result(results, item):
    r = results.get(item.pk) if results is not None else None
    return (r.result if r else ""), (r.note if r else "")


def _ia01(version, items, results, ctx):
    blocks = [{"kind": "guide", "title": "PANDUAN BAGI ASESOR", "lines": GUIDE["IA.01"]}]
    for n, (unit, unit_items) in enumerate(_by_unit(items), 1):
        blocks.append({"kind": "heading", "text": f"Unit Kompetensi {n}"})
        if unit:
            blocks.append(_unit_fields(unit))
        rows = []
        for item in unit_items:
            result, note = _result(results, item)
            elements = "; ".join(dict.fromkeys(f"{c.element.order}. {c.element.title}" for c in item.criteria.all()))
            same = any(" ".join(item.text.split()) == " ".join(c.text.split()) for c in item.criteria.all())
            rows.append([_c(item.order), _c(elements), _c(_kuk(item) if same else f"{_kuk(item)}\n{item.text}"),
                         _c(item.payload.get("benchmark", "")), *_yes_no(result), _c(note)])
        blocks.append({"kind": "table", "size": 8, "columns": ["auto", "2.6cm", "1fr", "3.2cm", "0.9cm", "0.9cm", "2.4cm"],
                       "header": [[_c("No.", rowspan=2, b=True), _c("Elemen", rowspan=2, b=True),
                                   _c("Kriteria Unjuk Kerja*", rowspan=2, b=True),
                                   _c("Benchmark (SOP / spesifikasi produk industri)", rowspan=2, b=True),
                                   _c("Rekomendasi", colspan=2, b=True, center=True, small=True),
                                   _c("Penilaian Lanjut", rowspan=2, b=True)],
                                  [_c("K", b=True, center=True), _c("BK", b=True, center=True)]],
                       "rows": rows})
    blocks += [_recommendation(items, results), _feedback_box()]
    return blocks


def _ia02(version, items, results, ctx):
    blocks = [{"kind": "heading", "text": "A. Petunjuk"}, {"kind": "text", "text": "\n".join(IA02_INSTRUCTIONS),
                                                          "size": 9},
              {"kind": "heading", "text": "B. Skenario Tugas Praktik Demonstrasi"},
              {"kind": "units", "units": _units_of(items)}]
    for item in items:
        blocks += [{"kind": "box", "label": "Skenario:", "text": item.text},
                   {"kind": "box", "label": "Perlengkapan dan Peralatan:", "text": item.payload.get("equipment", "")},
                   {"kind": "fields", "rows": [["Waktu:", f"{item.payload.get('minutes', '')} menit"]]}]
    if results is not None:
        rows = [[_c(i.order), _c(i.text[:200]), *_yes_no(_result(results, i)[0]), _c(_result(results, i)[1])]
                for i in items]
        blocks.append({"kind": "table", "columns": ["auto", "1fr", "0.8cm", "0.8cm", "4cm"],
                       "header": [[_c("No.", rowspan=2, b=True), _c("Tugas", rowspan=2, b=True),
                                   _c("Pencapaian", colspan=2, b=True, center=True, small=True), _c("Catatan", rowspan=2, b=True)],
                                  [_c("Ya", b=True, center=True), _c("Tidak", b=True, center=True)]], "rows": rows})
    return blocks


def _ia03(version, items, results, ctx):
    blocks = [{"kind": "guide", "title": "PANDUAN BAGI ASESOR", "lines": GUIDE["IA.03"]},
              {"kind": "units", "units": _units_of(items)}]
    rows = []
    for item in items:
        result, note = _result(results, item)
        question = item.text
        if ctx["staff"] and item.payload.get("answer"):
            question += f"\nPerkiraan jawaban: {item.payload['answer']}"
        rows.append([_c(item.order), _c(question), _c(note), *_yes_no(result)])
    blocks.append({"kind": "table", "columns": ["auto", "1fr", "5cm", "0.8cm", "0.8cm"],
                   "header": [[_c("No.", rowspan=2, b=True), _c("Pertanyaan", rowspan=2, b=True),
                               _c("Tanggapan", rowspan=2, b=True), _c("Pencapaian", colspan=2, b=True, center=True, small=True)],
                              [_c("Ya", b=True, center=True), _c("Tdk", b=True, center=True)]], "rows": rows})
    blocks += [_recommendation(items, results), _feedback_box()]
    return blocks


def _ia04a(version, items, results, ctx):
    blocks = [{"kind": "guide", "title": "PANDUAN BAGI ASESOR", "lines": GUIDE["IA.04A"]},
              {"kind": "units", "units": _units_of(items)}]
    rows = [[_c("Hal yang harus disiapkan atau dilakukan atau dihasilkan untuk suatu proyek singkat/ kegiatan "
                "terstruktur lainnya", b=True), _c("\n".join(f"{i.order}. {i.text}" for i in items))],
            [_c("Hal yang perlu didemonstrasikan /dipresentasikan", b=True),
             _c("\n".join(f"{i.order}. {i.payload.get('demonstrate', '')}" for i in items))]]
    blocks.append({"kind": "table", "columns": ["5cm", "1fr"], "header": [], "rows": rows})
    if results is not None:
        notes = "\n".join(f"{i.order}. {_result(results, i)[0] or '—'} {_result(results, i)[1]}".strip() for i in items)
        blocks.append({"kind": "box", "label": "Umpan Balik Untuk Asesi:", "text": notes})
    else:
        blocks.append(_feedback_box("Umpan Balik Untuk Asesi:"))
    blocks.append({"kind": "text", "text": IA04A_FOOTNOTE, "size": 8})
    case = ctx["case"]
    sig = _signatures(case, third="Nama & Tanda Tangan Supervisor (Jika ada)")
    sig["sigs"][0]["role"], sig["sigs"][1]["role"] = "Tanda Tangan Asesi", "Tanda Tangan Asesor"
    return blocks + [sig]


def _ia04b(version, items, results, ctx):
    blocks = [{"kind": "fields", "rows": [["Judul Kegiatan Terstruktur :", version.instrument.title]]},
              {"kind": "guide", "title": "PANDUAN BAGI ASESOR", "lines": GUIDE["IA.04B"]}]
    rows = []
    for item in items:
        result, note = _result(results, item)
        questions = item.payload.get("questions", "") + (f"\nTanggapan: {note}" if note else "")
        rows.append([_c(item.order), _c(item.text), _c(questions), _c(_kuk(item)), *_yes_no(result)])
    blocks.append({"kind": "table", "size": 8, "columns": ["auto", "1fr", "1fr", "3.5cm", "0.8cm", "0.8cm"],
                   "header": [[_c("No", rowspan=2, b=True), _c("Aspek Penilaian", b=True),
                               _c("Daftar Pertanyaan", rowspan=2, b=True),
                               _c("Kesesuaian dengan Standar Kompetensi (Elemen/KUK)", rowspan=2, b=True),
                               _c("Pencapaian", colspan=2, b=True, center=True, small=True)],
                              [_c("Lingkup Penyajian Proyek / Kegiatan Terstruktur", b=True),
                               _c("Ya", b=True, center=True), _c("Tdk", b=True, center=True)]], "rows": rows})
    return blocks + [_recommendation(items, results, "Rekomendasi Asesor:")]


def _written_questions(version, items, ctx, *, choices):
    form = version.instrument.form
    blocks = []
    if form == "IA.05":
        blocks.append({"kind": "box", "label": "Catatan:", "text": "\n".join(f"• {t}" for t in IA05_NOTE)})
    for unit, unit_items in _by_unit(items):
        blocks.append({"kind": "heading", "text": "Unit Kompetensi"})
        if unit:
            blocks.append(_unit_fields(unit))
        blocks.append({"kind": "text", "text": LEAD_IN})
        lines = []
        for item in unit_items:
            lines.append(f"{item.order}. {item.text}")
            if choices:
                lines += [f"    {I.LETTERS[n]}. {o}" for n, o in enumerate(item.payload.get("options") or [])]
        blocks.append({"kind": "text", "text": "\n".join(lines), "size": 9.5})
    return blocks


def _ia05(version, items, results, ctx):
    return _written_questions(version, items, ctx, choices=True)


def _ia06(version, items, results, ctx):
    return _written_questions(version, items, ctx, choices=False)


def _ia07(version, items, results, ctx):
    blocks = [{"kind": "guide", "title": "PANDUAN BAGI ASESOR", "lines": GUIDE["IA.07"]}]
    for unit, unit_items in _by_unit(items):
        blocks.append({"kind": "heading", "text": "Unit Kompetensi"})
        if unit:
            blocks.append(_unit_fields(unit))
        rows = []
        for item in unit_items:
            result, note = _result(results, item)
            key = item.payload.get("answer", "") if ctx["staff"] else ""
            rows.append([_c(item.order), _c(f"Pertanyaan: {item.text}\nKunci Jawaban: {key}\nJawaban Asesi: {note}"),
                         *_yes_no(result)])
        blocks.append({"kind": "table", "columns": ["auto", "1fr", "0.8cm", "0.8cm"],
                       "header": [[_c("No", rowspan=2, b=True), _c("Pertanyaan", rowspan=2, b=True),
                                   _c("Pencapaian", colspan=2, b=True, center=True, small=True)],
                                  [_c("Ya", b=True, center=True), _c("Tidak", b=True, center=True)]], "rows": rows})
    blocks.append(_written_feedback(items, results))
    return blocks


def _written_feedback(items, results):
    """The "Umpan balik untuk asesi" of IA.05C/06C/07: (tercapai/ belum tercapai)* struck by the results."""
    marked = [results[i.pk] for i in items if results is not None and i.pk in results and results[i.pk].result]
    if results is None or not marked:
        choice, where = "(tercapai/ belum tercapai)*", "…."
    else:
        bk = [r for r in marked if r.result == KBK.BK]
        choice = "(belum tercapai)" if bk else "(tercapai)"
        where = "; ".join(dict.fromkeys(f"{c.element.unit.code} KUK {c.number}" for r in bk
                                        for c in r.item.criteria.all())) or "—"
    return {"kind": "box", "label": "Umpan balik untuk asesi",
            "text": f"{FEEDBACK_WRITTEN} {choice}\nTuliskan unit/elemen/KUK jika belum tercapai: {where}"}


def _ia08(version, items, results, ctx):
    blocks = [{"kind": "guide", "title": "PANDUAN BAGI ASESOR", "lines": GUIDE["IA.08"]}]
    docs = {str(d.pk): d.label for d in ctx["documents"]}
    rows = []
    for item in items:
        r = results.get(item.pk) if results is not None else None
        checks = r.checks if r else {}
        checked = [(docs.get(k, k), v) for k, v in checks.items()]
        if not checked:
            rows.append([_c(item.order), _c(item.text)] + [_c("") for _x in range(8)])
        for title, rules in checked:
            cells = []
            for code, _label in I.VATM:
                cells += [_tick(code in rules), _tick(code not in rules)]
            rows.append([_c(item.order), _c(f"{item.text}\n— {title}"), *cells])
    header2 = []
    for _code, _label in I.VATM:
        header2 += [_c("Ya", b=True, center=True, small=True), _c("Tidak", b=True, center=True, small=True)]
    blocks.append({"kind": "table", "size": 8, "columns": ["auto", "1fr"] + ["0.8cm"] * 8,
                   "header": [[_c("No", rowspan=3, b=True), _c("Bukti Portofolio", rowspan=3, b=True),
                               _c("Aturan Bukti", colspan=8, b=True, center=True)],
                              [_c(label, colspan=2, b=True, center=True) for _c2, label in I.VATM], header2],
                   "rows": rows})
    blocks.append({"kind": "text", "text": IA08_LEAD_IN, "size": 9})
    follow = []
    for item in items:
        result = _result(results, item)[0]
        for c in item.criteria.all():
            follow.append([_tick(result == KBK.BK), _c(c.element.unit.code), _c(c.element.order),
                           _c(f"{c.number} {c.text}")])
    blocks.append({"kind": "table", "size": 8, "columns": ["1.2cm", "3cm", "1.6cm", "1fr"],
                   "header": [[_c("Cek List", b=True), _c("No. Unit Kompetensi", b=True), _c("No. Elemen", b=True),
                               _c("Materi/substansi wawancara/KUK", b=True)]], "rows": follow})
    notes = "\n".join(f"{i.order}. {_result(results, i)[1]}" for i in items if _result(results, i)[1])
    blocks += [{"kind": "box", "label": IA08_MORE, "text": notes},
               _recommendation(items, results, "Rekomendasi Asesor:")]
    return blocks


def _ia09(version, items, results, ctx):
    blocks = [{"kind": "guide", "title": "PANDUAN BAGI ASESOR", "lines": GUIDE["IA.09"]}]
    docs = [d.label for d in ctx["documents"]] or [""]
    blocks.append({"kind": "table", "columns": ["auto", "1fr"], "header": [[_c("No", b=True),
                                                                          _c("Bukti Portofolio", b=True)]],
                   "rows": [[_c(n), _c(t)] for n, t in enumerate(docs, 1)]})
    rows = []
    for item in items:
        result, note = _result(results, item)
        text = item.text if item.text.startswith("Sesuai dengan bukti") else IA09_STEM + item.text
        if ctx["staff"] and item.payload.get("answer"):
            text += f"\nKesimpulan yang diharapkan: {item.payload['answer']}"
        rows.append([_c(item.order), _c(text), _c(note), *_yes_no(result)])
    blocks.append({"kind": "table", "columns": ["auto", "1fr", "5cm", "0.8cm", "0.8cm"],
                   "header": [[_c("No", rowspan=2, b=True), _c("Daftar Pertanyaan Wawancara", rowspan=2, b=True),
                               _c("Kesimpulan Jawaban Asesi", rowspan=2, b=True),
                               _c("Pencapaian", colspan=2, b=True, center=True, small=True)],
                              [_c("Ya", b=True, center=True), _c("Tidak", b=True, center=True)]], "rows": rows})
    return blocks


def _ia10(version, items, results, ctx):
    blocks = [{"kind": "units", "units": _units_of(items), "label": "Unit Kompetensi"},
              {"kind": "guide", "title": "PANDUAN BAGI ASESOR", "lines": GUIDE["IA.10"]},
              {"kind": "fields", "rows": [[label, ""] for label in IA10_THIRD_PARTY]}]
    rows = [[_c(f"{n}. {q}"), _c(""), _c("")] for n, q in enumerate(IA10_FIXED, 1)]
    for n, item in enumerate(items, len(IA10_FIXED) + 1):
        result, note = _result(results, item)
        rows.append([_c(f"{n}. {item.text}" + (f"\n{note}" if note else "")), *_yes_no(result)])
    blocks.append({"kind": "table", "columns": ["1fr", "0.9cm", "0.9cm"],
                   "header": [[_c("Pertanyaan", b=True), _c("Ya", b=True, center=True), _c("Tdk", b=True, center=True)]],
                   "rows": rows})
    blocks += [{"kind": "box", "label": q, "text": "", "lines": 1} for q in IA10_OPEN]
    blocks.append({"kind": "text", "text": IA10_FOOTER, "size": 7.5})
    case = ctx["case"]
    a = case.assessor if case else None
    blocks.append({"kind": "signatures", "sigs": [signature("Tanda tangan Asesor", a.name if a else "",
                                                            reg=a.met_number if a else ""),
                                                  signature("Pihak Ketiga", "")]})
    return blocks


def _ia11(version, items, results, ctx):
    blocks = [{"kind": "guide", "title": "PANDUAN BAGI ASESOR — Instruksi:", "lines": GUIDE["IA.11"]},
              {"kind": "heading", "text": "RANCANGAN PRODUK ATAU DATA TEKNIS PRODUK"},
              {"kind": "fields", "rows": [[label, ""] for label in IA11_PRODUCT]}]
    rows = []
    for key, group in I.IA11_GROUPS:
        mine = [i for i in items if i.payload.get("group") == key]
        if not mine:
            continue
        rows.append([_c(group, colspan=6, b=True)])
        for item in mine:
            result, note = _result(results, item)
            rows.append([_c(item.order), _c(item.text + (f"\n{note}" if note else "")), *_yes_no(result),
                         *_yes_no(result)])
    blocks.append({"kind": "table", "columns": ["auto", "1fr", "0.8cm", "0.8cm", "0.8cm", "0.8cm"],
                   "header": [[_c("No.", rowspan=2, b=True), _c("DAFTAR PERTANYAAN", rowspan=2, b=True),
                               _c("HASIL", colspan=2, b=True, center=True),
                               _c("PENCAPAIAN", colspan=2, b=True, center=True, small=True)],
                              [_c("Ya", b=True, center=True), _c("Tidak", b=True, center=True),
                               _c("Ya", b=True, center=True), _c("Tidak", b=True, center=True)]], "rows": rows})
    blocks.append({"kind": "text", "text": "*Diisi sesuai dengan jenis produk yang di review", "size": 8})
    return blocks + [_recommendation(items, results, "REKOMENDASI ASESOR")]


BUILDERS = {"IA.01": _ia01, "IA.02": _ia02, "IA.03": _ia03, "IA.04A": _ia04a, "IA.04B": _ia04b, "IA.05": _ia05,
            "IA.06": _ia06, "IA.07": _ia07, "IA.08": _ia08, "IA.09": _ia09, "IA.10": _ia10, "IA.11": _ia11}
# Forms that end with the Asesi/Asesor box (IA.04A and IA.10 print their own; IA.05A/06A are question sheets).
_WITH_SIGNATURES = {"IA.01", "IA.02", "IA.03", "IA.04B", "IA.07", "IA.08", "IA.09", "IA.11"}


def _items(version):
    return list(version.items.prefetch_related("criteria__element__unit").order_by("order", "id"))


def _render(code, title, blocks, *, notice=""):
    return render_pdf("ia.typ", {"code": code, "title": title, "blocks": blocks, "notice": notice})


def filename(code, version, case=None, round=None):
    who = f"-{case.number}-putaran{round}" if case is not None else ""
    return f"{code}-v{version.number}{who}.pdf".replace("/", "-")


def instrument_print(version):
    """Staff: the instrument's form with its content, no candidate (IA.05/IA.06: the question sheet A).
    Returns (filename, pdf bytes)."""
    form = version.instrument.form
    code, title = TITLES[form]
    items = _items(version)
    ctx = {"staff": True, "case": None, "documents": []}
    blocks = [{"kind": "identity", "header": form_header(scheme=version.instrument.scheme)}]
    blocks += BUILDERS[form](version, items, None, ctx)
    if form in _WITH_SIGNATURES:
        blocks.append(_signatures(None))
    blocks.append(_authors(version))
    return filename(code, version), _render(code, title, blocks, notice=f"{version.code} — {version.instrument.title}")


def case_print(case, version, round, *, staff):
    """The form of `version` filled with what was recorded for `case` in assessment round `round` (IA.05/IA.06:
    the answer sheet C). `staff` False is the candidate's copy: only for CANDIDATE_FORMS, without any secret.
    Returns (filename, pdf bytes)."""
    form = version.instrument.form
    if not staff and form not in CANDIDATE_FORMS:
        raise WorkflowError(_("Formulir ini hanya untuk asesor dan LSP."))
    if form in ANSWER_SHEETS:
        return _answer_sheet(case, version, round, staff=staff)
    code, title = TITLES[form]
    items = _items(version)
    results = O.results_of(case, version, round)
    ctx = {"staff": staff, "case": case, "documents": O.documents_for_portfolio(case) if form in ("IA.08", "IA.09")
           else []}
    blocks = [{"kind": "identity", "header": case_header(case)}]
    blocks += BUILDERS[form](version, items, results, ctx)
    if form in _WITH_SIGNATURES:
        blocks.append(_signatures(case))
    blocks.append(_authors(version))
    notice = _("%(code)s — putaran asesmen %(round)s") % {"code": version.code, "round": round}
    return filename(code, version, case, round), _render(code, title, blocks, notice=notice)


def _answer_sheet(case, version, round, *, staff):
    """FR.IA.05C / FR.IA.06C: the candidate's answers to this version in that round, in the version's item order.
    Staff see each answer's Pencapaian; the candidate's copy of 05C shows the count right only."""
    form = version.instrument.form
    code, title = ANSWER_SHEETS[form]
    attempt = WT.attempt_of(case, round)
    if attempt is None:
        raise WorkflowError(_("Asesi belum mengerjakan tes tertulis pada putaran asesmen ini."))
    answers = {a.item_id: a for a in attempt.answers.select_related("item").prefetch_related(
        "item__criteria__element__unit") if a.item.version_id == version.pk}
    items = [i for i in _items(version) if i.pk in answers]
    submitted = attempt.status == WrittenAttempt.Status.SUBMITTED
    per_item = staff or form == "IA.06"
    rows = []
    for item in items:
        a = answers[item.pk]
        if form == "IA.05":
            opts = item.payload.get("options") or []
            given = f"{I.LETTERS[a.choice]}. {opts[a.choice]}" if a.choice is not None and 0 <= a.choice < len(opts) \
                else "—"
            mark = (KBK.K if a.correct else KBK.BK) if submitted and a.correct is not None else ""
        else:
            given = a.text or "—"
            if staff and a.note:
                given += f"\nCatatan asesor: {a.note}"
            mark = a.mark
        rows.append([_c(item.order), _c(given), *(_yes_no(mark) if per_item else [])])
    header = [_c("No", rowspan=2 if per_item else 1, b=True), _c("Jawaban", rowspan=2 if per_item else 1, b=True)]
    head = [header + [_c("Pencapaian", colspan=2, b=True, center=True, small=True)],
            [_c("Ya", b=True, center=True), _c("Tidak", b=True, center=True)]] if per_item else [header]
    header_block = case_header(case)
    blocks = [{"kind": "identity", "header": header_block},
              {"kind": "fields", "rows": [["Waktu", f": {fmt_datetime(attempt.started_at)} — "
                                                    f"{fmt_datetime(attempt.submitted_at) or '…'}"]]},
              {"kind": "table", "columns": ["auto", "1fr"] + (["0.9cm", "0.9cm"] if per_item else []),
               "header": head, "rows": rows}]
    if form == "IA.05" and submitted:
        right = sum(1 for i in items if answers[i.pk].correct)
        blocks.append({"kind": "fields", "rows": [["Rekapitulasi", f": {right} benar dari {len(items)} soal"]]})
    if not submitted:
        blocks.append({"kind": "text", "text": _("Tes tertulis belum dikumpulkan."), "size": 9})
    marks = None
    if submitted and (staff or form == "IA.06"):
        marks = {i.pk: _Mark(i, KBK.K if (answers[i.pk].correct if form == "IA.05" else answers[i.pk].mark == KBK.K)
                             else (KBK.BK if form == "IA.05" or answers[i.pk].mark else ""))
                 for i in items}
    blocks.append(_written_feedback(items, marks))
    blocks.append(_signatures(case))
    notice = _("%(code)s — putaran asesmen %(round)s") % {"code": version.code, "round": round}
    return filename(code, version, case, round), _render(code, title, blocks, notice=notice)


class _Mark:
    """An answer's result shaped like an ItemResult for _written_feedback."""

    def __init__(self, item, result):
        self.item, self.result = item, result


def prints_by_round(case, user):
    """[{"number", "current", "opened_at", "reason", "prints": [(version, url)]}] newest round first: the IA
    prints of every round of the case that `user` may open (staff: all of the plan; the candidate: their answer
    sheets)."""
    roles = roles_for(user, case)
    staff = bool(roles & PRINT_STAFF)
    if not staff and Role.CANDIDATE not in roles:
        return []
    versions = [v for v in O.plan_versions(case) if staff or v.instrument.form in CANDIDATE_FORMS]
    taken = set(WrittenAttempt.objects.filter(case=case).values_list("round", flat=True))
    out = []
    for r in reversed(rounds.rounds_of(case)):
        # an answer sheet exists once the written test was started in that round
        r["prints"] = [(v, reverse("assessment:case_instrument_pdf", args=[case.pk, v.pk, r["number"]]))
                       for v in versions if v.instrument.form not in ANSWER_SHEETS or r["number"] in taken]
        out.append(r)
    return [r for r in out if r["prints"]]
