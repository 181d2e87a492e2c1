"""Today's assessment day in the demo: a batch of candidates checked in this morning at the TUK, the first sitting
of the written test (FR.IA.05 multiple choice and FR.IA.06 essays) done by all but one, the observation (FR.IA.01)
under way, and one candidate with extra time (FR.AK.07) whose written test is open now.

The answers are simulated, not typed: each candidate has an ability, each multiple-choice item a difficulty and a
discrimination (a three-parameter logistic model, guessing 0.2 on four options), drawn from a fixed seed so the
demo is the same at every load. A few items are made very easy, very hard or poorly discriminating on purpose, as
a first sitting of a new bank really shows, so the instrument's item analysis has something to flag.

Times are counted back from the moment the demo is loaded (`now`), so the open test still has time left when
someone logs in, whatever the hour: check-in from 07:30 (earlier in the day's clock when the demo is loaded
before 10:55), the observation begun at 08:05, the written test's sitting from 08:45 to its deadline at 10:48.
"""

import datetime as dt
import math
import random

from django.utils import timezone

from kompeten.assessment import written_test
from kompeten.assessment.models import InstrumentItem

from .people import Person

# The batch: employees sent by two software houses, graduates of a training programme, and SMK pupils (class XII).
BATCH = [
    Person("Galih", "Saputra", "galih@contoh.id", "L", dt.date(1996, 4, 3), "Bandung", "Bandung",
           "PT Cakra Solusindo", "Programmer"),
    Person("Ayu", "Lestari", "ayu.l@contoh.id", "P", dt.date(2000, 1, 22), "Bandung", "Bandung",
           "PT Cakra Solusindo", "Frontend Developer"),
    Person("Rudi", "Hermawan", "rudi.h@contoh.id", "L", dt.date(1994, 8, 9), "Cimahi", "Cimahi",
           "PT Cakra Solusindo", "Web Developer"),
    Person("Fitri", "Handayani", "fitri@contoh.id", "P", dt.date(1999, 5, 30), "Garut", "Bandung",
           "PT Cakra Solusindo", "Staf IT"),
    Person("Eko", "Prasetyo", "eko@contoh.id", "L", dt.date(1997, 12, 12), "Semarang", "Bandung",
           "PT Cakra Solusindo", "Backend Developer"),
    Person("Dian", "Puspitasari", "dian@contoh.id", "P", dt.date(1998, 3, 8), "Bandung", "Bandung",
           "PT Digdaya Teknologi", "Web Developer"),
    Person("Irfan", "Maulana", "irfan@contoh.id", "L", dt.date(2001, 7, 19), "Sumedang", "Sumedang",
           "PT Digdaya Teknologi", "Junior Programmer"),
    Person("Ratna", "Sari", "ratna@contoh.id", "P", dt.date(1995, 10, 1), "Tasikmalaya", "Bandung",
           "PT Digdaya Teknologi", "Programmer"),
    Person("Wahyu", "Nugraha", "wahyu@contoh.id", "L", dt.date(1999, 2, 17), "Bandung", "Bandung",
           "PT Digdaya Teknologi", "Web Developer"),
    Person("Lina", "Marlina", "lina@contoh.id", "P", dt.date(2000, 9, 25), "Purwakarta", "Purwakarta",
           "PT Digdaya Teknologi", "Web Designer"),
    Person("Arif", "Rahman", "arif@contoh.id", "L", dt.date(1998, 11, 4), "Bandung", "Bandung",
           "", "Lulusan Pelatihan"),
    Person("Novi", "Andriani", "novi@contoh.id", "P", dt.date(2001, 6, 6), "Cianjur", "Cianjur",
           "", "Lulusan Pelatihan"),
    Person("Yoga", "Pratama", "yoga@contoh.id", "L", dt.date(2000, 4, 14), "Bekasi", "Bekasi",
           "", "Lulusan Pelatihan"),
    Person("Sinta", "Dewi", "sinta@contoh.id", "P", dt.date(1999, 8, 28), "Bandung", "Bandung",
           "", "Lulusan Pelatihan"),
    Person("Hadi", "Susanto", "hadi@contoh.id", "L", dt.date(1993, 1, 30), "Subang", "Subang",
           "CV Web Kreatif", "Web Developer"),
    Person("Maya", "Anggraeni", "maya.a@contoh.id", "P", dt.date(2002, 3, 3), "Bandung", "Bandung",
           "", "Lulusan Pelatihan"),
    Person("Reza", "Firmansyah", "reza@contoh.id", "L", dt.date(2007, 5, 11), "Cimahi", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Anisa", "Rahmawati", "anisa@contoh.id", "P", dt.date(2007, 9, 2), "Cimahi", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Dimas", "Saputro", "dimas@contoh.id", "L", dt.date(2007, 2, 20), "Bandung", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Putri", "Ayuningtyas", "putri.a@contoh.id", "P", dt.date(2007, 12, 9), "Cimahi", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Fikri", "Ramadhan", "fikri@contoh.id", "L", dt.date(2007, 10, 27), "Cimahi", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Salsa", "Nabila", "salsa@contoh.id", "P", dt.date(2008, 1, 15), "Bandung", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Bagas", "Wicaksono", "bagas@contoh.id", "L", dt.date(2007, 7, 7), "Cimahi", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Citra", "Kirana", "citra@contoh.id", "P", dt.date(2007, 4, 18), "Cimahi", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Ilham", "Akbar", "ilham@contoh.id", "L", dt.date(2007, 11, 23), "Bandung", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Tiara", "Putri", "tiara@contoh.id", "P", dt.date(2008, 2, 5), "Cimahi", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
]
OPEN_TEST = BATCH[0]  # Galih: extra time (FR.AK.07), his written test open now
AUTO_CLOSED = {9, 21}  # these two let the time run out: the server collected their answers at the deadline
EXTRA_MINUTES = 30

# Essay answers as candidates write them: a thorough, a partial and a thin one for each question (in the order
# of the bank's items). None of them copies the model answer.
ESSAYS = [
    ["Saya pelajari dulu mock-up-nya, lalu saya daftar komponen: nama, email, kata sandi, pilihan kota, tombol "
     "Kirim. Strukturnya saya tulis dengan <form> dan <label> untuk tiap isian supaya urutan Tab sesuai alur. "
     "Tata letak pakai CSS grid, di layar kecil jadi satu kolom lewat media query. Tombol Kirim saya nonaktifkan "
     "(disabled) sampai semua isian wajib valid, dicek dengan JavaScript pada event input.",
     "Membuat HTML sesuai gambar mock-up lalu diberi CSS Bootstrap supaya responsif. Tombol Kirim aktif kalau "
     "semua sudah diisi.",
     "Dibuat form HTML lalu CSS."],
    ["Running menjalankan program untuk melihat hasilnya. Debugging menjalankan dengan breakpoint dan melihat isi "
     "variabel langkah demi langkah untuk mencari penyebab error. Build menghasilkan paket siap pakai, misalnya "
     "bundle produksi. Kalau gagal, saya baca pesan error di console dan nomor barisnya, cek log, ulangi dengan "
     "data yang sama, lalu perbaiki dan uji lagi.",
     "Running itu menjalankan, debugging mencari bug, build membuat file exe. Kalau error dilihat di console.",
     "Debugging adalah memperbaiki program yang error."],
    ["function ringkas(nilai) { if (nilai.length === 0) return null; let total = 0; let maks = nilai[0]; "
     "for (const n of nilai) { total += n; if (n > maks) maks = n; } return { rata: total / nilai.length, "
     "tertinggi: maks }; } — array of number, variabel total dan maks bertipe number, perulangan for-of dan "
     "percabangan if; array kosong dicek dulu supaya tidak membagi dengan nol.",
     "Pakai perulangan for untuk menjumlahkan semua nilai lalu dibagi jumlah data. Nilai tertinggi pakai "
     "Math.max.",
     "rata = jumlah / banyak"],
    ["Saya cek lisensinya cocok dengan proyek, apakah masih dirawat (rilis terakhir, isu terbuka), ukurannya, dan "
     "catatan keamanannya. Versinya saya kunci di package.json / composer.lock. Untuk memperbarui, saya baca "
     "changelog, naikkan versi di branch terpisah, jalankan pengujian, baru digabung.",
     "Dilihat dokumentasinya lengkap atau tidak dan banyak yang pakai. Update lewat npm update.",
     "Library harus gratis."],
]


def simulated_answers(items, ability, rng):
    """[(item, choice or None)] of one candidate on the multiple-choice `items` (in bank order), from the
    item parameters below and the candidate's `ability`."""
    out = []
    for k, item in enumerate(items):
        a, b = item_parameters(k)
        p = 0.2 + 0.8 / (1 + math.exp(-1.7 * a * (ability - b)))
        key = item.payload.get("key")
        options = len(item.payload.get("options") or [])
        if rng.random() < 0.015:
            out.append((item, None))  # left blank
        elif rng.random() < p:
            out.append((item, key))
        else:
            wrong = [o for o in range(options) if o != key]
            # one distractor attracts most of the wrong answers, as a plausible wrong option does
            out.append((item, rng.choices(wrong, weights=[4] + [1] * (len(wrong) - 1))[0]))
    return out


VERY_EASY, VERY_HARD, FLAT = {0, 7, 19}, {11, 26, 33}, {4, 22, 37}


def item_parameters(k):
    """(discrimination a, difficulty b) of the k-th item of the bank (fixed per position)."""
    rng = random.Random(7000 + k)
    if k in VERY_EASY:
        return 1.0, -3.2
    if k in VERY_HARD:
        return 1.4, 2.4
    if k in FLAT:
        return 0.05, -0.3
    return rng.uniform(1.4, 2.6), rng.uniform(-1.0, 1.1)


def abilities(n):
    rng = random.Random(2026)
    return [rng.gauss(0.3, 1.1) for _ in range(n)]


def day_start(now):
    """07:30 of the load's day when the load is after 10:55; otherwise 3 h 25 min before `now`, so that the
    morning (check-in, the first part of the observation, the written test's sitting and its deadline) lies in
    the past."""
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time(7, 30)))
    return min(start, now - dt.timedelta(hours=3, minutes=25))


def take_test(case, user, j, ability, start):
    """One candidate of the first sitting: opens the test at `start`, answers the multiple choice as simulated
    and the essays, each saved as given (the times spread until they submit, `submit_after`)."""
    attempt = written_test.start_test(case, user)
    rng = random.Random(500 + j)
    mc = list(InstrumentItem.objects.filter(pk__in=attempt.order, version__instrument__form="IA.05")
              .order_by("version_id", "order", "id"))
    essays = list(InstrumentItem.objects.filter(pk__in=attempt.order, version__instrument__form="IA.06")
                  .order_by("version_id", "order", "id"))
    chosen = dict((item.pk, choice) for item, choice in simulated_answers(mc, ability, rng))
    quality = 0 if ability > 0.9 else (1 if ability > -0.4 else 2)
    texts = {item.pk: ESSAYS[n % len(ESSAYS)][min(2, quality + (n == 2 and quality < 2))]
             for n, item in enumerate(essays)}
    pace = submit_after(j) or attempt.minutes - 2
    answered = [pk for pk in attempt.order if chosen.get(pk) is not None or pk in texts]
    for n, pk in enumerate(answered):
        at = start + dt.timedelta(minutes=pace * (n + 1) / (len(answered) + 1))
        if pk in texts:
            written_test.save_answer(case, user, item_id=pk, text=texts[pk], now=at)
        else:
            written_test.save_answer(case, user, item_id=pk, choice=chosen[pk], now=at)


def submit_after(j):
    """Minutes after opening the test at which candidate j submits it (None: the time runs out)."""
    return None if j in AUTO_CLOSED else 60 + random.Random(900 + j).randint(0, 45)


def begin_open_test(case, user, now):
    """Galih (extra time): opened the test `now` in the quiet room and has answered the first part."""
    attempt = written_test.start_test(case, user)
    items = {i.pk: i for i in InstrumentItem.objects.filter(pk__in=attempt.order)}
    rng = random.Random(99)
    for n, pk in enumerate(attempt.order[:14]):
        item = items[pk]
        if item.payload.get("key") is None:
            continue
        choice = item.payload["key"] if rng.random() < 0.8 else (item.payload["key"] + 1) % 4
        written_test.save_answer(case, user, item_id=pk, choice=choice, now=now + dt.timedelta(minutes=1 + n))
    return attempt
