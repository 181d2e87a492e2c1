"""The printed forms of the assessment (FORMS.md): MAPA.01/MAPA.02, the IA forms and FR.VA. A print is read back
with pypdf: what stands where, not only that a file came out."""

import pytest
from django.urls import reverse

from kompeten.assessment import services as S
from kompeten.assessment import wording as W
from tests.assessment.conftest import plan_data
from tests.pdftext import pdf_text, pdf_words, row_of, ticks_in_row


def _approved_plan(event, assessor, lead_assessor, mapa02):
    data = plan_data(event)
    data["mapa02"] = mapa02
    S.submit_plan(event, assessor.user, data=data)
    S.approve_plan(event, lead_assessor)


def test_mapa02_ticks_stand_in_their_instrument_row_and_potensi_column(client, event, assessor, lead_assessor):
    """The 1–5 header is in the table (one header row of 1 2 3 4 5 above the rows), and each instrument's ticks
    are on its own row, under the potensi columns chosen — none on any other row."""
    chosen = {"IA.01": ["1", "3"], "IA.05": ["2"], "IA.07": ["4"], "IA.09": ["5"]}
    _approved_plan(event, assessor, lead_assessor, chosen)
    client.force_login(lead_assessor)
    pdf = client.get(reverse("assessment:mapa02_pdf", args=[event.pk])).content
    words = pdf_words(pdf)
    # the header: "Potensi Asesi**" and under it 1..5 on one line, right of the MUK column
    page, head_y = row_of(words, "Potensi Asesi")
    numbers = {t: x for p, x, y, t in words if p == page and t in "12345" and len(t) == 1 and 0 < head_y - y < 20}
    assert sorted(numbers) == ["1", "2", "3", "4", "5"], "the 1–5 header row is part of the table header"
    assert numbers["1"] < numbers["2"] < numbers["3"] < numbers["4"] < numbers["5"]
    ticked = 0
    for form, label in W.MAPA02_ROWS:
        p, y = row_of(words, label, page=page)
        assert y < head_y  # every instrument row is below the header
        xs = ticks_in_row(words, p, y)
        columns = sorted(min(numbers, key=lambda n: abs(numbers[n] - x)) for x in xs)
        assert columns == chosen.get(form, []), f"{form}: ticks under {columns}"
        for x in xs:  # each tick sits right under its number
            assert min(abs(numbers[n] - x) for n in numbers) < 6
        ticked += len(xs)
    assert ticked == 5
    text = pdf_text(pdf)
    assert "*) diisi berdasarkan hasil penentuan pendekatan asesmen dan perencanaan asesmen" in text
    assert "Kelompok Pekerjaan" in text and "PENYUSUN" in text and "VALIDATOR" in text


def test_mapa01_prints_its_tables_and_fixed_wording(client, event, assessor, lead_assessor):
    _approved_plan(event, assessor, lead_assessor, {"IA.01": ["1"]})
    client.force_login(lead_assessor)
    text = " ".join(pdf_text(client.get(reverse("assessment:mapa01_pdf", args=[event.pk])).content).split())
    for fixed in [
        "Kelompok Pekerjaan", "Kode Unit", "Judul Unit",
        "Metode dan Perangkat Asesmen CL (Ceklis Observasi), DIT (Daftar Instruksi Terstruktur)",
        "Obsevasi langsung (kerja nyata/",  # the printed typo kept (FORMS.md §3)
        "di kingkungan tempat kerja yang disimulasikan)",
        "Reviu Produk (Produk hasil proyek, ciontoh hasil kerja/produk)",
        "Bukti-Bukti (Kinerja, Produk, Portofolio, dan / atau Pengetahuan) diidentifikasi berdasarkan Kriteria "
        "Unjuk Kerja dan Pendekatan Asesmen.",
        "karakteristik khusus Kandidat Jika Ada, tuliskan", "Konfirmasi dengan orang yang relevan",
        "Orang yang relevan", "Tandatangan dan Tanggal", "Manajer pelatihan Lembaga Training terakreditasi",
        "STATUS", "NOMOR MET", "TANDA TANGAN DAN TANGGAL", "PENYUSUN", "VALIDATOR",
    ]:
        assert fixed in text, fixed
    # every unit of the scheme is listed in the Kelompok Pekerjaan table
    for unit in event.scheme.units.all():
        assert unit.code in text
    # item 1 of the potensi list is printed without its final full stop
    assert "telusur terhadap standar kompetensi Hasil pelatihan" in text


# --- the IA forms ----------------------------------------------------------------------------------------------

# The forms the demo scheme file has no instrument of, made here with what each needs.
EXTRA = {"IA.03": {"answer": "Validasi di sisi server dengan pesan yang jelas"},
         "IA.04A": {"demonstrate": "Presentasikan rancangan basis data"},
         "IA.04B": {"questions": "Mengapa memilih struktur tabel ini?"}, "IA.08": {"rules": ["V", "A", "T"]},
         "IA.10": {}, "IA.11": {"group": "spesifikasi"}}
# What each print must say, quoted from FORMS.md (title and one fixed text).
FIXED = {
    "IA.01": ["FR.IA.01. CEKLIS OBSERVASI AKTIVITAS DI TEMPAT KERJA ATAU TEMPAT KERJA SIMULASI", "PANDUAN BAGI ASESOR",
              "Penilaian Lanjut", "Benchmark (SOP / spesifikasi produk industri)"],
    "IA.02": ["FR.IA.02. TUGAS PRAKTIK DEMONSTRASI", "A. Petunjuk", "B. Skenario Tugas Praktik Demonstrasi",
              "Perlengkapan dan Peralatan:"],
    "IA.03": ["FR.IA.03. PERTANYAAN UNTUK MENDUKUNG OBSERVASI", "Tanggapan asesi ditulis pada kolom tanggapan"],
    "IA.04A": ["FR.IA.04A. DIT", "Hal yang perlu didemonstrasikan /dipresentasikan", "Umpan Balik Untuk Asesi:"],
    "IA.04B": ["FR.IA.04B. PENILAIAN PROYEK SINGKAT ATAU KEGIATAN TERSTRUKTUR LAINNYA", "Rekomendasi Asesor:"],
    "IA.05": ["FR.IA.05A. DPT – PERTANYAAN TERTULIS PILIHAN GANDA", "Jawab semua pertanyaan berikut:"],
    "IA.06": ["FR.IA.06A. DPT – DAFTAR PERTANYAAN TERTULIS ESAI", "Jawab semua pertanyaan berikut:"],
    "IA.07": ["FR.IA.07. PERTANYAAN LISAN", "Kunci Jawaban:", "Jawaban Asesi:"],
    "IA.08": ["FR.IA.08. CEKLIS VERIFIKASI PORTOFOLIO", "Bukti Portofolio", "Memadai",
              "Bukti tambahan diperlukan pada unit / elemen kompetensi sebagai berikut:"],
    "IA.09": ["FR.IA.09. PERTANYAAN WAWANCARA", "Kesimpulan Jawaban Asesi", "Sesuai dengan bukti no."],
    "IA.10": ["FR.IA.10. KLARIFIKASI BUKTI PIHAK KETIGA", "Apakah asesi berinteraksi dengan harmonis didalam "
              "kelompoknya?", "Diadopsi dari templat yang disediakan di Departemen Pendidikan dan Pelatihan"],
    "IA.11": ["FR.IA.11. CRP – CEKLIS REVIU PRODUK", "RANCANGAN PRODUK ATAU DATA TEKNIS PRODUK", "REKOMENDASI ASESOR"],
}


def _flat(pdf):
    return " ".join(pdf_text(pdf).split())


@pytest.fixture
def every_form(scheme, muk, event, assessor, lead_assessor):
    """Every IA form: the scheme file's validated ones and one of each other form (validated by the lead
    assessor), all in the event's approved plan."""
    from kompeten.assessment import instruments as I
    from kompeten.assessment.models import AssessmentPlan
    from tests.conftest import VALIDATION, make_user

    author = make_user("penyusun", "admin", first_name="Sari", last_name="Penyusun")
    crit = [c for _e, c in I.flat_criteria(scheme)][:3]
    extra = []
    for form, payload in EXTRA.items():
        v = I.create_instrument(scheme, author, form=form, title=f"Contoh {form}")
        for n in range(2):
            v = I.save_item(v, author, text=f"Butir {n + 1} {form}: tugas yang diamati asesor",
                            payload=payload, criteria=[c.pk for c in crit[n:n + 2]])
        I.validate_version(v, lead_assessor, data=VALIDATION)
        extra.append(v)
    plan = AssessmentPlan.objects.create(event=event, version=1, status="approved", submitted_by=assessor.user)
    plan.instrument_versions.set(list(muk) + extra)
    return {v.instrument.form: v for v in list(muk) + extra}


def test_every_ia_form_prints_in_its_layout_for_staff(client, every_form, make_case, admin_user, assessor):
    """Each FR.IA.01–IA.11 prints from the instrument page (its content, no candidate) and filled for a candidate
    from the assessment page: title and fixed texts of FORMS.md, the items, and the assessor's K/BK in its row."""
    from kompeten.assessment import observation as O

    assert set(every_form) == set(FIXED)
    case = make_case("in_assessment", evidence=False)
    for v in every_form.values():
        if v.instrument.form in O.ASSESSOR_FORMS:
            first, second = list(v.items.all())[:2] if v.items.count() > 1 else (v.items.first(), None)
            O.save_item_result(case, assessor.user, item_id=first.pk, result="K", note="Asesi menjelaskan dengan baik")
            if second:
                O.save_item_result(case, assessor.user, item_id=second.pk, result="BK", note="Belum tepat")
    client.force_login(admin_user)
    for form, v in every_form.items():
        r = client.get(reverse("assessment:instrument_pdf", args=[v.pk]))
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf", form
        text = _flat(r.content)
        for fixed in FIXED[form]:  # compared without spaces: a narrow column wraps its words anywhere
            assert fixed.replace(" ", "") in text.replace(" ", ""), (form, fixed)
        assert "Penyusun dan Validator" in text and "VALIDATOR" in text, form
        first = v.items.order_by("order").first()
        assert " ".join(first.text.split())[:40] in text, form
        assert "Budi Santoso" not in text  # no candidate on the instrument's own print
    client.force_login(assessor.user)
    for form, v in every_form.items():
        if form not in O.ASSESSOR_FORMS:
            continue
        pdf = client.get(reverse("assessment:case_instrument_pdf", args=[case.pk, v.pk, 1])).content
        text = _flat(pdf)
        assert FIXED[form][0].replace(" ", "") in text.replace(" ", ""), form
        assert case.candidate.display_name in text and "putaran asesmen 1" in text, form
        assert "Asesi menjelaskan dengan baik" in text, form
    # IA.01: the K of item 1 stands in the K column of its row, the BK of item 2 in the BK column
    pdf = client.get(reverse("assessment:case_instrument_pdf", args=[case.pk, every_form["IA.01"].pk, 1])).content
    words = pdf_words(pdf)
    page, head_y = row_of(words, "Rekomendasi")
    k_x = next(x for p, x, y, t in words if p == page and t == "K" and 0 < head_y - y < 20)
    bk_x = next(x for p, x, y, t in words if p == page and t == "BK" and 0 < head_y - y < 20)
    marks = [x for p, x, y, t in words if p == page and t == "✓" and y < head_y]
    assert len(marks) >= 2 and abs(marks[0] - k_x) < abs(marks[0] - bk_x) and abs(marks[1] - bk_x) < abs(marks[1] - k_x)


def test_ia07_key_is_printed_for_staff_and_never_for_the_candidate(client, every_form, make_case, candidate, assessor):
    case = make_case("in_assessment", evidence=False)
    ia07 = every_form["IA.07"]
    key = " ".join(ia07.items.first().payload["answer"].split())[:40]
    client.force_login(assessor.user)
    assert key in _flat(client.get(reverse("assessment:case_instrument_pdf", args=[case.pk, ia07.pk, 1])).content)
    assert key in _flat(client.get(reverse("assessment:instrument_pdf", args=[ia07.pk])).content)
    client.force_login(candidate)
    for url in (reverse("assessment:case_instrument_pdf", args=[case.pk, ia07.pk, 1]),
                reverse("assessment:instrument_pdf", args=[ia07.pk]),
                reverse("assessment:instrument_pdf", args=[every_form["IA.05"].pk]),
                reverse("assessment:instrument_key_pdf", args=[every_form["IA.05"].pk])):
        assert client.get(url).status_code == 403, url
    # a round that does not exist is refused with a message, not a 500
    client.force_login(assessor.user)
    assert client.get(reverse("assessment:case_instrument_pdf", args=[case.pk, ia07.pk, 2])).status_code == 409


def test_answer_sheets_staff_see_each_mark_the_candidate_their_answers_only(client, every_form, make_case,
                                                                           candidate, assessor):
    from kompeten.assessment import written_test as WT

    case = make_case("in_assessment", evidence=False)
    attempt = WT.start_test(case, candidate)
    mc = list(every_form["IA.05"].items.order_by("order"))
    right, wrong = mc[0], mc[1]
    WT.save_answer(case, candidate, item_id=right.pk, choice=right.payload["key"])
    WT.save_answer(case, candidate, item_id=wrong.pk, choice=(wrong.payload["key"] + 1) % len(wrong.payload["options"]))
    essay = every_form["IA.06"].items.order_by("order").first()
    WT.save_answer(case, candidate, item_id=essay.pk, text="Jawaban esai asesi tentang REST API")
    WT.submit_test(case, candidate)
    WT.mark_essay(case, assessor.user, answer_id=attempt.answers.get(item=essay).pk, mark="K", note="Lengkap")
    url05 = reverse("assessment:case_instrument_pdf", args=[case.pk, every_form["IA.05"].pk, 1])
    url06 = reverse("assessment:case_instrument_pdf", args=[case.pk, every_form["IA.06"].pk, 1])

    client.force_login(assessor.user)
    pdf = client.get(url05).content
    text = _flat(pdf)
    assert "FR.IA.05C. LEMBAR JAWABAN PERTANYAAN TERTULIS PILIHAN GANDA" in text and "1 benar dari" in text
    words = pdf_words(pdf)
    page, head_y = row_of(words, "Pencapaian")
    ya = next(x for p, x, y, t in words if p == page and t == "Ya" and 0 < head_y - y < 20)
    tidak = next(x for p, x, y, t in words if p == page and t == "Tidak" and 0 < head_y - y < 20)
    for item, column, other in ((right, ya, tidak), (wrong, tidak, ya)):
        row_y = next(yy for pp, x, yy, t in words if pp == page and t == str(item.order) and x < 80 and yy < head_y)
        ticks = ticks_in_row(words, page, row_y)
        assert len(ticks) == 1 and abs(ticks[0] - column) < abs(ticks[0] - other), item.order

    marking = client.get(reverse("assessment:written_mark", args=[case.pk])).content.decode()
    assert url05 in marking and url06 in marking  # linked from the marking page

    client.force_login(candidate)
    body = client.get(case.get_absolute_url()).content.decode()
    assert url05 in body and url06 in body  # linked from the candidate's case page
    assert reverse("assessment:case_instrument_pdf", args=[case.pk, every_form["IA.07"].pk, 1]) not in body
    mine = client.get(url05)
    assert mine.status_code == 200
    text = _flat(mine.content)
    assert right.payload["options"][right.payload["key"]] in text  # their own answer
    assert "✓" not in text and "1 benar dari" in text  # no right/wrong per question: that would tell the key
    text06 = _flat(client.get(url06).content)
    assert "Jawaban esai asesi tentang REST API" in text06
    assert " ".join(essay.payload["answer"].split())[:40] not in text06 and "Lengkap" not in text06


def test_print_links_on_the_instrument_and_assessment_pages(client, every_form, make_case, admin_user, assessor):
    case = make_case("in_assessment", evidence=False)
    client.force_login(admin_user)
    for v in every_form.values():
        page = client.get(reverse("assessment:instrument_version", args=[v.pk])).content.decode()
        assert reverse("assessment:instrument_pdf", args=[v.pk]) in page
    client.force_login(assessor.user)
    page = client.get(reverse("assessment:day", args=[case.pk])).content.decode()
    for v in every_form.values():
        assert reverse("assessment:case_instrument_pdf", args=[case.pk, v.pk, 1]) in page
