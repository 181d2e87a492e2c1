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
