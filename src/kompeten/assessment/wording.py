"""Fixed wording of the BNSP forms this app fills (FORMS.md §0.4, §3–§7, §9–§11), quoted as printed."""

from django.utils.translation import gettext_lazy as _

# §0.4 potensi asesi 1–5 (MAPA.01 §1.1, MAPA.02 footnote, AK.07)
POTENSI = [
    ("1", "Hasil pelatihan dan / atau pendidikan, dimana Kurikulum dan fasilitas praktek mampu telusur terhadap "
          "standar kompetensi."),
    ("2", "Hasil pelatihan dan / atau pendidikan, dimana kurikulum belum berbasis kompetensi."),
    ("3", "Pekerja berpengalaman, dimana berasal dari industri/tempat kerja yang dalam operasionalnya mampu telusur "
          "dengan standar kompetensi."),
    ("4", "Pekerja berpengalaman, dimana berasal dari industri/tempat kerja yang dalam operasionalnya belum "
          "berbasis kompetensi."),
    ("5", "Pelatihan / belajar mandiri atau otodidak."),
]

# §3 MAPA.01 section 1
MAPA_PURPOSES = [("sertifikasi", "Sertifikasi"), ("pkt", "Pengakuan Kompetensi Terkini (PKT)"),
                 ("rpl", "Rekognisi Pembelajaran Lampau (RPL)"), ("lainnya", "Lainnya")]
MAPA_ENVIRONMENT = [("nyata", "Tempat kerja nyata"), ("simulasi", "Tempat kerja simulasi")]
MAPA_OPPORTUNITY = [("tersedia", "Tersedia"), ("terbatas", "Terbatas")]
MAPA_RELATION = [("bukti", "Bukti untuk mendukung asesmen / RPL"),
                 ("aktivitas", "Aktivitas kerja di tempat kerja Asesi"), ("pembelajaran", "Kegiatan Pembelajaran")]
MAPA_WHO = [("lsp", "Lembaga Sertifikasi"), ("pelatihan", "Organisasi Pelatihan"),
            ("perusahaan", "Asesor Perusahaan")]
MAPA_CONFIRM = [("manajer_lsp", "Manajer sertifikasi LSP"),
                ("master", "Master Asesor / Master Trainer / Lead Asesor Kompetensi"),
                ("manajer_pelatihan", "Manajer Pelatihan Lembaga Training terakreditasi / Lembaga Training "
                                      "terdaftar"),
                ("supervisor", "Manajer atau supervisor ditempat kerja")]
MAPA_BENCHMARK = [("standar", "Standar Kompetensi"), ("kurikulum", "Kriteria asesmen dari kurikulum pelatihan"),
                  ("spesifikasi", "Spesifikasi kinerja suatu perusahaan atau industri"),
                  ("produk", "Spesifikasi Produk"), ("pedoman", "Pedoman khusus")]
EVIDENCE_TYPES = [("L", "L"), ("TL", "TL"), ("T", "T")]
# MAPA.01 §2 method columns
MAPA_METHODS = [
    ("observasi", "Observasi langsung"), ("terstruktur", "Kegiatan Terstruktur"), ("tanya_jawab", "Tanya Jawab"),
    ("portofolio", "Verifikasi Portfolio"), ("reviu", "Reviu Produk"), ("pihak_ketiga", "Verifikasi Pihak Ketiga"),
]
# MAPA.01 §2 the method group's header and its six sub-column headers, fixed as printed (typos kept: "Obsevasi",
# "kingkungan", "pekerjaaan", "ciontoh"), in MAPA_METHODS order.
MAPA_METHOD_LEGEND = ("Metode dan Perangkat Asesmen CL (Ceklis Observasi), DIT (Daftar Instruksi Terstruktur), DPL "
                      "(Daftar Pertanyaan Lisan), DPT (Daftar Pertanyaan Tertulis), VPK (Verifikasi Pihak Ketiga), "
                      "CVP (Ceklis Verifikasi Portofolio), CRP (Ceklis Reviu Produk), PW (Pertanyaan Wawancara)")
MAPA_METHOD_HEADERS = {
    "observasi": "Obsevasi langsung (kerja nyata/aktivitas waktu nyata di tempat kerja di kingkungan tempat kerja "
                 "yang disimulasikan)",
    "terstruktur": "Kegiatan Terstruktur (latihan simulasi dan bermain peran, proyek, presentasi, lembar kegiatan)",
    "tanya_jawab": "Tanya Jawab (pertanyaan tertulis, wawancara, asesmen diri, tanya jawab lisan, angket, ujian "
                   "lisan atau tertulis)",
    "portofolio": "Verifikasi Portfolio (sampel pekerjaaan yang disusun oleh Asesi, produk dengan dokumentasi "
                  "pendukung, bukti sejarah, jurnal atau buku catatan, informasi tentang pengalaman hidup)",
    "reviu": "Reviu Produk (Produk hasil proyek, ciontoh hasil kerja/produk)",
    "pihak_ketiga": "Verifikasi Pihak Ketiga (testimoni dan laporan dari atasan, bukti pelatihan, otentikasi "
                    "pencapaian sebelumnya, wawancara dengan atasan, atau rekan kerja)",
}
MAPA_BUKTI_HEADER = ("Bukti-Bukti (Kinerja, Produk, Portofolio, dan / atau Pengetahuan) diidentifikasi berdasarkan "
                     "Kriteria Unjuk Kerja dan Pendekatan Asesmen.")
# MAPA.01 "Konfirmasi dengan orang yang relevan" table rows (as printed: "pelatihan" in lower case here).
MAPA_CONFIRM_ROWS = [("manajer_lsp", "Manajer sertifikasi LSP"),
                     ("master", "Master Asesor / Master Trainer / Lead Asesor Kompetensi"),
                     ("manajer_pelatihan", "Manajer pelatihan Lembaga Training terakreditasi / Lembaga Training "
                                           "terdaftar"),
                     ("supervisor", "Manajer atau supervisor ditempat kerja")]
# MAPA.01 §3 (label, answer lead-in)
MAPA_MODIFICATIONS = [
    ("karakteristik", "3.1 a. Karakteristik Kandidat", "karakteristik khusus Kandidat"),
    ("kontekstualisasi", "3.1 b. Kebutuhan kontekstualisasi terkait tempat kerja", "kebutuhan kontekstualisasi"),
    ("saran", "3.2 Saran yang diberikan oleh paket pelatihan atau pengembang pelatihan", "saran"),
    ("penyesuaian", "3.3 Penyesuaian perangkat asesmen terkait kebutuhan kontekstualisasi", "penyesuaian perangkat"),
    ("integrasi", "3.4 Peluang untuk kegiatan asesmen terintegrasi dan mencatat setiap perubahan yang diperlukan "
                  "untuk alat asesmen", "peluang"),
]
# MAPA.02 instrument rows (2020 set), keyed by catalog.Instrument.Form
MAPA02_ROWS = [
    ("IA.01", "Ceklis Observasi Untuk Aktivitas di Tempat Kerja atau Tempat Kerja Simulasi"),
    ("IA.02", "Tugas Praktik Demonstrasi"), ("IA.03", "Pertanyaan untuk mendukung Observasi"),
    ("IA.04A", "Penjelasan Singkat Proyek terkait Pekerjaan / Kegiatan Terstruktur lainnya"),
    ("IA.05", "Pertanyaan Tertulis - Pilihan Ganda"), ("IA.06", "Pertanyaan Tertulis - Esai"),
    ("IA.07", "Pertanyaan Lisan"), ("IA.08", "Ceklis Verifikasi Portofolio"), ("IA.09", "Pertanyaan Wawancara"),
    ("IA.10", "Klarifikasi Bukti Pihak Ketiga"), ("IA.11", "Ceklis Meninjau Materi Uji Kompetensi"),
]

# §5 AK.01
AK01_INTRO = ("Persetujuan Asesmen ini untuk menjamin bahwa Asesi telah diberi arahan secara rinci tentang "
              "perencanaan dan proses asesmen")
AK01_EVIDENCE = [
    ("portofolio", "Hasil Verifikasi Portofolio"), ("reviu", "Hasil Reviu Produk"),
    ("observasi", "Hasil Observasi Langsung"), ("terstruktur", "Hasil Kegiatan Terstruktur"),
    ("lisan", "Hasil Pertanyaan Lisan"), ("tertulis", "Hasil Pertanyaan Tertulis"),
    ("wawancara", "Hasil Pertanyaan Wawancara"), ("lainnya", "Lainnya"),
]
AK01_CANDIDATE_APPEAL = "Bahwa saya sudah mendapatkan penjelasan Hak dan Prosedur Banding oleh Asesor."
AK01_ASSESSOR_STATEMENT = (
    "Menyatakan tidak akan membuka hasil pekerjaan yang saya peroleh karena penugasan saya sebagai Asesor dalam "
    "pekerjaan Asesmen kepada siapapun atau organisasi apapun selain kepada pihak yang berwenang sehubungan "
    "dengan kewajiban saya sebagai Asesor yang ditugaskan oleh LSP.")
AK01_CANDIDATE_CONSENT = (
    "Saya setuju mengikuti asesmen dengan pemahaman bahwa informasi yang dikumpulkan hanya digunakan untuk "
    "pengembangan profesional dan hanya dapat diakses oleh orang tertentu saja.")

# §6 AK.02 method columns
AK02_METHODS = [
    ("observasi", "Observasi Demonstrasi"), ("portofolio", "Portofolio"),
    ("pihak_ketiga", "Pernyataan Pihak Ketiga Pertanyaan Wawancara"), ("lisan", "Pertanyaan Lisan"),
    ("tertulis", "Pertanyaan Tertulis"), ("proyek", "Proyek Kerja"), ("lainnya", "Lainnya"),
]
AK02_INSTRUCTION = ("Beri tanda centang (√) di kolom yang sesuai untuk mencerminkan bukti yang sesuai untuk setiap "
                    "Unit Kompetensi.")
AK02_FOLLOW_UP = ("Tindak lanjut yang dibutuhkan (Masukkan pekerjaan tambahan dan asesmen yang diperlukan untuk "
                  "mencapai kompetensi)")
AK02_ATTACHMENTS = ["Dokumen APL 01 peserta", "Dokumen APL 02 peserta", "Bukti-bukti berkualitas peserta",
                    "Tinjauan proses asesmen"]

# §7 AK.03
AK03_LEAD = "Umpan balik dari Asesi (diisi oleh Asesi setelah pengambilan keputusan) :"
AK03_COMPONENTS = [
    "Saya mendapatkan penjelasan yang cukup memadai mengenai proses asesmen/uji kompetensi",
    "Saya diberikan kesempatan untuk mempelajari standar kompetensi yang akan diujikan dan menilai diri sendiri "
    "terhadap pencapaiannya",
    "Asesor memberikan kesempatan untuk mendiskusikan/menegosiasikan metoda, instrumen dan sumber asesmen serta "
    "jadwal asesmen",
    "Asesor berusaha menggali seluruh bukti pendukung yang sesuai dengan latar belakang pelatihan dan pengalaman "
    "yang saya miliki",
    "Saya sepenuhnya diberikan kesempatan untuk mendemonstrasikan kompetensi yang saya miliki selama asesmen",
    "Saya mendapatkan penjelasan yang memadai mengenai keputusan asesmen",
    "Asesor memberikan umpan balik yang mendukung setelah asesmen serta tindak lanjutnya",
    "Asesor bersama saya mempelajari semua dokumen asesmen serta menandatanganinya",
    "Saya mendapatkan jaminan kerahasiaan hasil asesmen serta penjelasan penanganan dokumen asesmen",
    "Asesor menggunakan keterampilan komunikasi yang efektif selama asesmen",
]

# §9 AK.05
AK05_FOOTNOTE = "** tuliskan Kode dan Judul Unit Kompetensi yang dinyatakan BK bila mengases satu skema"
AK05_FIELDS = [("aspects", "Aspek Negatif dan Positif dalam Asesemen"),
               ("rejections", "Pencatatan Penolakan Hasil Asesmen"),
               ("suggestions", "Saran Perbaikan : (Asesor/Personil Terkait)"), ("notes", "Catatan :")]

# §10 AK.06
AK06_EXPLANATION = [
    "Peninjauan seharusnya dilakukan oleh asesor yang mensupervisi implementasi asesmen.",
    "Jika tinjauan dilakukan oleh asesor lain, tinjauan akan dilakukan setelah seluruh proses implementasi asesmen "
    "telah selesai.",
    "Peninjauan dapat dilakukan secara terpadu dalam skema sertifikasi dan / atau peserta kelompok yang homogen.",
]
AK06_STAGES = [("rencana", "Rencana asesmen"), ("persiapan", "Persiapan asesmen"),
               ("implementasi", "Implementasi asesmen"), ("keputusan", "Keputusan asesmen"),
               ("umpan_balik", "Umpan balik asesmen")]
AK06_PRINCIPLES = [("validitas", "Validitas"), ("reliabel", "Reliabel"), ("fleksibel", "Fleksibel"),
                   ("adil", "Adil")]
AK06_DIMENSIONS = [("task", "Task Skills"), ("task_management", "Task Management Skills"),
                   ("contingency", "Contingency Management Skills"), ("job_role", "Job Role/Environment Skills"),
                   ("transfer", "Transfer Skills")]
AK06_CONSISTENCY = ("Konsistensi keputusan asesmen — Bukti dari berbagai asesmen diperiksa untuk konsistensi "
                    "dimensi kompetensi")

# §11 AK.07: (characteristic, [options])
AK07_CHARACTERISTICS = [
    ("Keterbatasan asesi terhadap persyaratan bahasa, literasi, numerasi.", [
        "Memerlukan dukungan pembaca, penerjemah, pelayan, penulis. untuk merekam jawaban asesi.",
        "Melakukan asesmen verbal (gunakan pertanyaan lisan/pertanyaan wawancara) dengan dilengkapi gambar "
        "diagram dan bentuk-bentuk visual.",
        "Menggunakan Hasil produksi.", "Menggunakan Ceklis observasi/demonstrasi.",
        "Menggunakan daftar instruksi terstruktur."]),
    ("Penyediaan dukungan pembaca, penerjemah, pelayan, penulis.", [
        "Menggunakan pertanyaan lisan dengan dilengkapi gambar diagram dan bentuk-bentuk visual.",
        "Menggunakan pertanyaan wawancara dengan dilengkapi gambar diagram dan bentuk-bentuk visual."]),
    ("Penggunaan teknologi adaptif atau peralatan khusus. (Tidak dapat menggunakan teknologi adaptif (misal: "
     "mengoperasikan komputer dan printer, peralatan digital dsb)", [
        "Ceklis observasi/demonstrasi.", "Pertanyaan lisan.", "Pertanyaan tertulis.", "Pertanyaan wawancara.",
        "Daftar instruksi terstruktur.", "Ceklis verifikasi portofolio.", "Menggunakan dukungan operator komputer."]),
    ("Pelaksanaan asesmen secara fleksibel karena alasan keletihan atau keperluan pengobatan.", [
        "Menggunakan juru tulis.", "Menggunakan kameramen perekam video/audio.",
        "Memperbolehkan periode waktu yang lebih panjang untuk menyelesaikan tugas pekerjaan dalam asesmen.",
        "Melakukan tugas pekerjaan dalam asesmen dengan waktu lebih pendek.",
        "Menggunakan instruksi-instruksi spesifik pada proyek yang dapat dilakukan pada berbagai tingkatan."]),
    ("Penyediaan peralatan asesmen berupa braille, audio/video-tape.", [
        "Menggunakan pertanyaan lisan.", "Menggunakan pertanyaan wawancara."]),
    ("Penyesuaian tempat fisik/lingkungan asesmen", [
        "Pertanyaan lisan.", "Pertanyaan tulis.", "Pertanyaan wawancara.", "Ceklis Verifikasi portofolio.",
        "Ceklis reviu produk.", "Daftar instruksi terstruktur."]),
    ("Pertimbangan umur/usia lanjut/gender asesi. (Adanya perbedaan usia dengan asesor yang lebih muda).", [
        "Menggunakan studi kasus/daftar instruksi terstruktur.",
        "Menggunakan instrumen asesmen dengan huruf normal jangan terlalu kecil.",
        "Menggunakan asesor dengan jenis kelamin yang sama dengan asesi.",
        "Menggunakan instrumen asesmen yang sama walaupun berbeda jenis kelamin (tidak boleh memberi tanda "
        "tambahan pada instrumen asesmen yang digunakan dengan tujuan untuk membedakan jenis kelamin)."]),
    ("Pertimbangan budaya/tradisi/agama.", [
        "Menggunakan studi kasus daftar instruksi terstruktur.",
        "Menggunakan asesor tanpa pertimbangan budaya/tradisi/agama.",
        "Menggunakan instrumen asesmen yang sama walaupun berbeda budaya/tradisi/agama)."]),
]
AK07_RESULTS = [
    ("result", "Hasil Penyesuaian yang wajar dan beralasan disepakati menggunakan:"),
    ("benchmark", "Acuan Pembanding Asesmen: ( tuliskan nama acuan pembanding)"),
    ("method", "Metode Asesmen: ( tuliskan nama metode asesmen)"),
    ("instrument", "Instrumen Asesmen: ( tuliskan nama formulir instrumen asesmen)"),
]

# S3.1 readiness checklist on the event
RESOURCE_ITEMS = [
    ("tuk", _("TUK siap digunakan (ruang, listrik, jaringan)")),
    ("assessors", _("Asesor yang ditugaskan hadir")),
    ("equipment", _("Peralatan dan bahan sesuai rencana asesmen (MAPA.01) tersedia")),
    ("candidates", _("Daftar asesi dan daftar hadir tersedia")),
    ("instruments", _("Perangkat asesmen (MUK) tercetak/tersedia")),
]


def label(pairs, key):
    return dict(pairs).get(key, key)
