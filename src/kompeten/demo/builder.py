"""The demo LSP: a real scheme, TUK, assessors, staff, and candidates standing at every step of the SOP.

Everything is created through the same service functions the screens call, so the demo shows real records
(action log, notifications, PDFs) and cannot drift from the rules. Run by `manage.py load_demo`.

The demo is a history played in its real order: every act is a moment (a day and a time in working hours),
the moments of all candidates and events are sorted, and each is played with the clock travelled to it
(time-machine) in its own transaction, so the services' own timestamps (auto_now, timezone.now(), the
notifications sent on commit) read like a real LSP's weeks. The surveillance holder's event was months ago,
the held event about a week ago; only the published event and the draft event are still to come.
"""

import datetime as dt
import functools
import io
import json
from pathlib import Path

import time_machine
import typst
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from kompeten.appeals import services as appeals
from kompeten.assessment import instruments as muk
from kompeten.assessment import observation, written_test
from kompeten.assessment import services as assess
from kompeten.assessment import wording as W
from kompeten.cases import services as cases
from kompeten.cases.models import Case
from kompeten.catalog.loader import load_scheme, read_scheme_file
from kompeten.catalog.models import Requirement
from kompeten.certification import bnsp, expiry, pleno
from kompeten.certification import services as cert
from kompeten.certification import surveillance as surv
from kompeten.certification.models import SurveillanceCheck
from kompeten.core import codes
from kompeten.core.jobs import run_job
from kompeten.core.models import Role, RoleAssignment, User
from kompeten.core.pdf import PDF_DIR, fmt_date, render_pdf
from kompeten.demo import today as day
from kompeten.demo.people import SMK_CLASS, Person
from kompeten.demo.profile import demo_lsp_profile
from kompeten.events import imports
from kompeten.events import services as events
from kompeten.events.import_rows import COLUMNS as IMPORT_COLUMNS
from kompeten.events.models import FeasibilityItem
from kompeten.events.services import ROMAN
from kompeten.people.models import Assessor
from kompeten.sites import services as sites
from kompeten.sites.models import FacilityItem, Site

PASSWORD = "kompeten-demo"
FIXTURES = Path(settings.BASE_DIR) / "catalog" / "fixtures"
DOMAIN = "lsp-tdn.id"


# One candidate per stage; the stage name is the case status the demo leaves them in.
CANDIDATES = {
    "draft": Person("Rina", "Marlina", "rina@contoh.id", "P", dt.date(2001, 3, 12), "Bogor", "Bogor",
                    "", "Mahasiswa"),
    "submitted": Person("Agus", "Setiawan", "agus@contoh.id", "L", dt.date(1998, 7, 2), "Cimahi", "Cimahi",
                        "CV Kreasi Digital", "Web Developer"),
    "revision": Person("Dewi", "Anggraini", "dewi.a@contoh.id", "P", dt.date(1999, 11, 23), "Garut", "Garut",
                       "PT Sinar Media", "Staf IT"),
    "not_accepted": Person("Joko", "Susilo", "joko@contoh.id", "L", dt.date(1995, 1, 5), "Solo", "Surakarta",
                           "UD Makmur", "Admin"),
    "accepted": Person("Putri", "Maharani", "putri@contoh.id", "P", dt.date(2000, 5, 17), "Bandung", "Bandung",
                       "PT Aplikasi Nusantara", "Frontend Developer"),
    "accepted_conflict": Person("Fajar", "Nugroho", "fajar@contoh.id", "L", dt.date(1997, 9, 30), "Sumedang",
                                "Sumedang", "PT Solusi Web", "Junior Programmer"),
    "scheduled": Person("Siti", "Rahmawati", "siti@contoh.id", "P", dt.date(2002, 2, 14), "Bandung", "Bandung",
                        "SMK Negeri 4 Bandung", "Siswa"),
    "confirmed": Person("Andi", "Wijaya", "andi@contoh.id", "L", dt.date(1996, 6, 9), "Tasikmalaya",
                        "Tasikmalaya", "PT Karya Data", "Programmer"),
    "agreed": Person("Nur", "Aisyah", "nur@contoh.id", "P", dt.date(2000, 12, 1), "Cirebon", "Cirebon",
                     "PT Hijau Teknologi", "Web Designer"),
    "ready": Person("Bayu", "Pratama", "bayu@contoh.id", "L", dt.date(1999, 4, 21), "Bekasi", "Bekasi",
                    "PT Cipta Kode", "Backend Developer"),
    "in_assessment": Person("Rizky", "Ramadhan", "rizky@contoh.id", "L", dt.date(2001, 10, 10), "Depok", "Depok",
                            "PT Ruang Kerja", "Programmer"),
    "assessed": Person("Indah", "Permatasari", "indah@contoh.id", "P", dt.date(1998, 8, 8), "Bandung", "Bandung",
                       "PT Awan Data", "Web Developer"),
    "reviewed": Person("Hendra", "Kurniawan", "hendra@contoh.id", "L", dt.date(1994, 3, 3), "Subang", "Subang",
                       "PT Teknologi Pangan", "Staf TI"),
    "reported": Person("Lestari", "Wulandari", "lestari@contoh.id", "P", dt.date(1997, 1, 19), "Kuningan",
                       "Kuningan", "PT Bumi Aplikasi", "Programmer"),
    "awaiting_decision": Person("Budi", "Santoso", "budi@contoh.id", "L", dt.date(1990, 8, 17), "Bandung",
                                "Bandung", "PT Maju Jaya", "Programmer"),
    "competent": Person("Yusuf", "Hidayat", "yusuf@contoh.id", "L", dt.date(1993, 5, 25), "Garut", "Garut",
                        "PT Lintas Web", "Web Developer"),
    "competent_signed": Person("Taufik", "Hidayat", "taufik@contoh.id", "L", dt.date(1992, 7, 7), "Ciamis",
                               "Ciamis", "PT Sentosa Digital", "Web Developer"),
    "not_competent": Person("Mega", "Puspita", "mega@contoh.id", "P", dt.date(2002, 9, 4), "Karawang",
                            "Karawang", "PT Mitra Kode", "Magang"),
    "certified": Person("Ahmad", "Fauzi", "ahmad@contoh.id", "L", dt.date(1991, 11, 11), "Bandung", "Bandung",
                        "PT Nusa Software", "Senior Programmer"),
    "surveillance": Person("Sri", "Wahyuni", "sri@contoh.id", "P", dt.date(1989, 2, 28), "Cianjur", "Cianjur",
                           "PT Data Prima", "Web Developer"),
    "expiring": Person("Dedi", "Firmansyah", "dedi@contoh.id", "L", dt.date(1987, 6, 15), "Sukabumi", "Bandung",
                       "PT Graha Informatika", "Lead Web Developer"),
}

# How far each stage goes, in SOP order; a case stops at the first step not in its list.
STEPS = ["submit", "accept", "schedule", "confirm", "agree", "continue", "check_in", "assess", "feedback",
         "review", "report", "forward", "decide", "sign", "issue", "enrol"]
STOP_AFTER = {
    "draft": None, "submitted": "submit", "revision": "submit", "not_accepted": "submit", "accepted": "accept",
    "accepted_conflict": "accept", "scheduled": "schedule", "confirmed": "confirm", "agreed": "agree",
    "ready": "continue", "in_assessment": "check_in", "assessed": "assess", "reviewed": "review",
    "reported": "report", "awaiting_decision": "forward", "competent": "decide", "competent_signed": "sign",
    "not_competent": "decide", "certified": "issue", "surveillance": "enrol", "expiring": "enrol",
}
# The surveillance holder was assessed months ago; the assessed cases at the event held last week; the
# others (from submitted to ready) are on their way to the published event.
EARLIER_EVENT_STAGES = {"surveillance"}
# The LSP's first batch, three years ago: its holder's certificate expires within the month, two yearly
# surveillance checks found satisfactory, the third (the last before expiry) due.
VETERAN_STAGES = {"expiring"}
HELD_EVENT_STAGES = {"in_assessment", "assessed", "reviewed", "reported", "awaiting_decision", "competent",
                     "competent_signed", "not_competent", "certified"}
# Dewi Lestari (asesor@) assesses these stages, Agus Pratama (asesor2@) the others: each login has work waiting
# (Dewi: a schedule to confirm, an APL.02 review, an AK.02 record, a report; Agus: the same steps for others).
DEWI_STAGES = {"scheduled", "agreed", "in_assessment", "reviewed", "awaiting_decision", "competent",
               "not_competent", "surveillance", "expiring"}
# For the candidates of the published event: days before the load when they submitted, and (when they got
# that far) when they were scheduled, signed FR.AK.01, were found ready. Different days for each.
UPCOMING_PLAN = {
    "submitted": {"submit": 1}, "revision": {"submit": 9}, "not_accepted": {"submit": 16},
    "accepted": {"submit": 11}, "accepted_conflict": {"submit": 8}, "scheduled": {"submit": 20, "schedule": 1},
    "confirmed": {"submit": 24, "schedule": 10}, "agreed": {"submit": 27, "schedule": 14, "agree": 4},
    "ready": {"submit": 29, "schedule": 15, "agree": 6, "ready": 2},
}

MONTHS_ID = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember"]


def batch_title(day):
    """An event is named after the month it takes place in: "Uji Kompetensi Batch Desember 2026"."""
    return f"Uji Kompetensi Batch {MONTHS_ID[day.month - 1]} {day.year}"


def add_years(day, n):
    try:
        return day.replace(year=day.year + n)
    except ValueError:  # 29 February
        return day.replace(year=day.year + n, day=28)


def workday(day, direction=1):
    """`day`, or the nearest working day (Monday–Friday) after it (direction 1) or before it (-1)."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=direction)
    return day


def add_workdays(day, n):
    """The n-th working day after `day` (before it when n < 0)."""
    step = 1 if n >= 0 else -1
    for _i in range(abs(n)):
        day = workday(day + dt.timedelta(days=step), step)
    return day


def _at(day, hour, minute=0):
    """A moment of the LSP's local day (minutes past 59 roll over)."""
    start = timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))
    return start + dt.timedelta(minutes=minute)


def _nik(person, serial):
    """A NIK that passes the checks: province/regency/district of West Java, birth date (+40 for women)."""
    day = person.born.day + (40 if person.sex == "P" else 0)
    return f"327301{day:02d}{person.born.month:02d}{person.born.year % 100:02d}{serial:04d}"


@functools.cache
def _password_hash():
    """Every demo login has the same password: hashed once (argon2 is slow on purpose), each with its own salt
    would cost most of the load's time."""
    return make_password(PASSWORD)


def _user(email, first, last, role=None, site=None, phone=""):
    user = User.objects.create(username=email, email=email, password=_password_hash(), first_name=first,
                               last_name=last, phone=phone)
    if role:
        RoleAssignment.objects.create(user=user, role=role, site=site)
    return user


def _doc(title, name, body, city, day):
    return render_pdf("demo-document.typ", {"title": title, "name": name, "body": body, "place": city,
                                            "date": fmt_date(day)})


def _png(template, data):
    """A sample image (pas foto, a project's screenshot) drawn by Typst, as PNG bytes."""
    return typst.compile(str(PDF_DIR / template), root=str(PDF_DIR), format="png", ppi=96,
                         sys_inputs={"data": json.dumps(data, ensure_ascii=False)})


# The requirement a candidate meets (index among the scheme's basic requirements) follows their situation.
BASIC_TRAINING, BASIC_SMK, BASIC_STUDENT, BASIC_GRADUATE, BASIC_WORK = 0, 1, 3, 4, 5
PROJECTS = [("Toko Buku Online", "tokobuku"), ("Sistem Antrean Klinik", "antreanklinik"),
            ("Portal Berita Desa", "beritadesa"), ("Katalog UMKM", "katalogumkm"),
            ("Aplikasi Reservasi Lapangan", "reservasi"), ("Dasbor Penjualan", "dasbor")]
COLORS = ["#0d6efd", "#198754", "#6f42c1", "#d63384", "#fd7e14", "#20c997"]


def _basic_kind(person, serial):
    if person.position == "Siswa":
        return BASIC_SMK
    if person.position in ("Mahasiswa", "Magang"):
        return BASIC_STUDENT
    if person.position == "Lulusan Pelatihan":
        return BASIC_TRAINING
    return (BASIC_WORK, BASIC_TRAINING, BASIC_GRADUATE)[serial % 3]


# Which evidence supports the elements of each unit (by the unit code's middle part); the KTP and the
# photo prove identity, not competence, and support no element.
UNIT_EVIDENCE = {"005": ["screenshot", "portfolio"], "010": ["portfolio", "basic"], "015": ["portfolio"],
                 "016": ["portfolio", "basic"], "017": ["transcript", "basic"], "019": ["portfolio", "screenshot"]}


class Story:
    """The demo's moments; played in time order, each at its moment, each in its own transaction."""

    def __init__(self):
        self.moments = []

    def at(self, when, fn):
        self.moments.append((when, len(self.moments), fn))

    def play(self):
        now = timezone.now()
        for when, _n, fn in sorted(self.moments, key=lambda m: (m[0], m[1])):
            if when >= now:
                raise RuntimeError(f"demo moment {when} is not in the past")
            with time_machine.travel(when, tick=False), transaction.atomic():
                fn()


class DemoBuilder:
    def __init__(self, log=print):
        self.log = log
        self.today = timezone.localdate()
        t = self.today
        self.now = timezone.now()
        self.day_start = day.day_start(self.now)  # today's assessment day began (07:30, or earlier in the clock)
        self.veteran_day = workday(add_years(t, -3) + dt.timedelta(days=4))
        self.earlier_day = workday(t - dt.timedelta(days=105), -1)
        self.held_day = workday(t - dt.timedelta(days=7), -1)
        self.upcoming_day = workday(t + dt.timedelta(days=9))
        self.draft_day = workday(t + dt.timedelta(days=40))
        # The LSP began to work in the app a little before its first batch, three years ago.
        self.setup_day = workday(self.veteran_day - dt.timedelta(days=75), -1)
        self.story = Story()
        self.events = {}
        self.meetings = {}
        self.batch_assessor = {}  # e-mail → assessor, for today's batch
        self.blanko_requests = {}  # batch key → its meeting's BlankoRequest

    def _ago(self, days, hour, minute=0):
        """A moment `days` before the load, on a working day."""
        return _at(workday(self.today - dt.timedelta(days=days), -1), hour, minute)

    # --- master data ---------------------------------------------------------------------------------

    def master_data(self):
        self.scheme = load_scheme(read_scheme_file(FIXTURES / "scheme-junior-web-developer.json"))
        self.cluster = load_scheme(read_scheme_file(FIXTURES / "scheme-klaster-pemrograman.json"))
        self.admin = _user(f"admin@{DOMAIN}", "Sari", "Puspitasari", Role.ADMIN, phone="0812-2000-1001")
        self.admin.is_staff = self.admin.is_superuser = True  # may also use the Django admin
        self.admin.save()
        demo_lsp_profile(self.admin)  # name, licence, address, contact and logo, before any PDF is drawn
        self.lead = _user(f"lead@{DOMAIN}", "Maya", "Sari", Role.LEAD_ASSESSOR)
        self.committee = _user(f"komite@{DOMAIN}", "Ani", "Wijayanti", Role.COMMITTEE)
        # A second member, so that a plenary meeting reaches its quorum (PLENO_QUORUM, 2).
        _user(f"komite2@{DOMAIN}", "Bayu", "Saputra", Role.COMMITTEE)
        self.lsp_head = _user(f"ketualsp@{DOMAIN}", "Hendra", "Gunawan", Role.LSP_HEAD)

        head = _user(f"ketuatuk@{DOMAIN}", "Rudi", "Hartono")
        self.site = Site.objects.create(code="TUK-BDG-01", name="TUK Politeknik Digital Bandung",
                                        type=Site.Type.SEWAKTU, city="Bandung", head=head,
                                        address="Jl. Ir. H. Juanda No. 96, Coblong, Bandung 40132")
        RoleAssignment.objects.create(user=head, role=Role.TUK_HEAD, site=self.site)
        self.head = head
        self.workplace = Site.objects.create(code="TUK-TK-02", name="TUK PT Solusi Web", city="Jakarta Selatan",
                                             type=Site.Type.TEMPAT_KERJA,
                                             address="Jl. TB Simatupang Kav. 18, Jakarta Selatan 12430")
        Site.objects.create(code="TUK-MDR-03", name="TUK Mandiri LSP TDN", type=Site.Type.MANDIRI, city="Depok",
                            address="Jl. Margonda Raya No. 100, Depok 16424",
                            verified_until=self.today - dt.timedelta(days=20))  # expired: cannot be designated
        facilities = {code: (True, "") for code in FacilityItem.values}
        sites.verify_site(self.site, self.admin, items=facilities,
                          verified_until=self.setup_day + dt.timedelta(days=365),
                          scheme_ids=[self.scheme.pk, self.cluster.pk], note="Visitasi awal")

        def reverify_site():  # the verification lapsed while the LSP held no batch; renewed before this year's
            sites.verify_site(self.site, self.admin, items=facilities, verified_until=self.today + dt.timedelta(days=190),
                              scheme_ids=[self.scheme.pk, self.cluster.pk], note="Visitasi tahunan")
        self.story.at(self._ago(175, 10), reverify_site)

        def verify_workplace():
            sites.verify_site(self.workplace, self.admin, items=facilities,
                              verified_until=self.today + dt.timedelta(days=320), scheme_ids=[self.scheme.pk])
        self.story.at(self._ago(45, 10), verify_workplace)

        self.assessor = self._assessor(f"asesor@{DOMAIN}", "Dewi", "Lestari", "MET.000.004512 2019",
                                       700, "PT Solusi Web", [self.scheme, self.cluster])
        self.assessor2 = self._assessor(f"asesor2@{DOMAIN}", "Agus", "Pratama", "MET.000.007731 2020",
                                        400, "Politeknik Negeri Bandung", [self.scheme])
        self._assessor(f"asesor3@{DOMAIN}", "Rina", "Kusuma", "MET.000.002210 2018", -30,
                       "PT Kode Cerdas", [self.scheme])  # registration expired: refused on assignment
        # A third assessor for large batches (at most ten candidates per assessor).
        self.assessor4 = self._assessor(f"asesor4@{DOMAIN}", "Yanti", "Rahayu", "MET.000.009124 2021", 550,
                                        "Universitas Teknologi Bandung", [self.scheme])

        def validate_muk():  # the lead assessor validates (FR.VA) the MUK the scheme file carries
            for inst in muk.instruments_of(self.scheme):
                muk.validate_version(muk.latest_version(inst), self.lead, data={
                    "period": "sebelum", "date": self.setup_day + dt.timedelta(days=1), "place": "Ruang rapat LSP TDN",
                    "setup": {"purposes": ["Mengevaluasi kualitas perangkat asesmen", "Memenuhi persyaratan BNSP"],
                              "contexts": ["Internal organisasi"], "approaches": ["Mengkaji perangkat asesmen"],
                              "benchmarks": ["Standar kompetensi"], "documents": ["Skema sertifikasi", "SKKNI/SK3/SKI",
                                                                                  "Perangkat asesmen"],
                              "skills": ["PRO AKTIF", "ACTIVE LISTENING"]},
                    "matrix": {a: {"rules": ["V", "A", "T", "M"], "principles": ["V", "R", "F1", "F2"]}
                               for a in muk.VA_ASPECTS},
                    "findings": [{"finding": "Butir sesuai KUK dan bahasa mudah dipahami asesi jenjang pratama.",
                                  "recommendation": "Tinjau ulang butir setelah uji pertama dengan analisis butir."}],
                    "action_plan": [{"activity": "Analisis butir soal pilihan ganda setelah uji pertama",
                                     "due": "Setelah uji kompetensi pertama", "owner": "Lead asesor"}],
                    "team": [{"name": "Maya Sari", "met": "MET.000.001187 2017"}]})
        self.story.at(_at(add_workdays(self.setup_day, 1), 10), validate_muk)

    def _assessor(self, email, first, last, met, valid_days, employer, schemes):
        user = _user(email, first, last, Role.ASSESSOR)
        a = Assessor.objects.create(user=user, met_number=met, employer=employer,
                                    registration_valid_until=self.today + dt.timedelta(days=valid_days))
        a.schemes.set(schemes)
        return a

    # --- events ----------------------------------------------------------------------------------------

    def event(self, key, day, quota, *, created, publish=True, resources_day=None, written=True, starts=None,
              title_suffix=""):
        """The moments of one published event: created, TUK designated and assessors assigned, feasibility
        reviewed and published two working days later, the plan (MAPA) submitted and approved, the TUK's
        readiness checked the working day before (or on `resources_day`)."""
        s = self.story

        def create():
            start = starts or _at(day, 8)
            ev = events.create_event(self.admin, scheme=self.scheme, starts_at=start,
                                     ends_at=start + dt.timedelta(hours=8), quota=quota,
                                     title=batch_title(day) + title_suffix)
            events.designate_site(ev, self.admin, self.site)
            self.events[key] = ev
        s.at(_at(created, 9, 30), create)
        s.at(_at(created, 10, 15), lambda: events.assign_assessor(self.events[key], self.admin, self.assessor))
        s.at(_at(created, 10, 20), lambda: events.assign_assessor(self.events[key], self.admin, self.assessor2))
        if quota > 20:
            s.at(_at(created, 10, 25), lambda: events.assign_assessor(self.events[key], self.admin, self.assessor4))
        if not publish:
            return

        def feasibility():
            for item in FeasibilityItem.values:
                events.record_feasibility(self.events[key], self.admin, item=item, ok=True, note="")
        s.at(_at(add_workdays(created, 2), 9, 0), feasibility)
        s.at(_at(add_workdays(created, 2), 11, 0), lambda: events.publish_event(self.events[key], self.admin))
        # The admin registers the published schedule in BNSP's system; BNSP's Kode Jadwal goes on the blanko sheet.
        s.at(_at(add_workdays(created, 3), 10, 0), lambda: events.record_bnsp_schedule_code(
            self.events[key], self.admin, schedule_code(self.events[key])))
        s.at(_at(add_workdays(created, 4), 14, 0), lambda: assess.submit_plan(
            self.events[key], self.assessor.user, data=self.plan_data(self.events[key], written)))
        s.at(_at(add_workdays(created, 6), 10, 30), lambda: assess.approve_plan(self.events[key], self.lead))
        s.at(_at(resources_day or add_workdays(day, -1), 15, 0), lambda: assess.check_resources(
            self.events[key], self.head, items={code: True for code, _l in W.RESOURCE_ITEMS},
            note="TUK, komputer, dan jaringan siap."))

    def draft_event(self):
        """An event still being prepared: TUK designated, assessor assigned, feasibility half done, and the
        assessor's plan waiting for the lead assessor."""
        created = add_workdays(self.today, -4)

        def create():
            ev = events.create_event(self.admin, scheme=self.scheme, starts_at=_at(self.draft_day, 8),
                                     ends_at=_at(self.draft_day, 16), quota=8, title=batch_title(self.draft_day))
            events.designate_site(ev, self.admin, self.workplace)
            events.assign_assessor(ev, self.admin, self.assessor2)
            self.events["draft"] = ev
        self.story.at(_at(created, 13, 0), create)
        self.story.at(_at(add_workdays(created, 1), 9, 30), lambda: events.record_feasibility(
            self.events["draft"], self.admin, item=FeasibilityItem.values[0], ok=True))
        self.story.at(_at(add_workdays(created, 2), 15, 10), lambda: assess.submit_plan(
            self.events["draft"], self.assessor2.user, data=self.plan_data(self.events["draft"])))

    def plan_data(self, ev, written=True):
        """Every unit assessed with the validated observation checklist and task and the oral questions, and
        (`written`) the written test (multiple choice and essay). The first batches were assessed without the
        written test; it is used from this month's batch on (its first sitting is today)."""
        forms = {"IA.01", "IA.02", "IA.07"} | ({"IA.05", "IA.06"} if written else set())
        versions = [v for v in muk.validated_versions(ev.scheme) if v.instrument.form in forms]
        forms = {v.instrument.form for v in versions}
        units = {str(u.pk): {"evidence": "Hasil praktik membangun halaman web, kode program, jawaban tertulis dan lisan",
                             "evidence_types": ["L", "T"], "versions": [v.pk for v in versions]}
                 for u in ev.scheme.units.all()}
        return {"mapa01": {"potensi": ["1", "3"], "purpose": "sertifikasi", "environment": ["simulasi"],
                           "opportunity": ["tersedia"], "relation": ["bukti"], "who": ["lsp"],
                           "confirm": ["manajer_lsp"], "benchmark": ["standar"],
                           "benchmark_text": "SKKNI Nomor 282 Tahun 2016", "units": units,
                           "modifications": {"karakteristik": {"has": False, "text": ""}}},
                "mapa02": {form: ["1", "3"] for form in sorted(forms)}}

    # --- one candidate's timeline ----------------------------------------------------------------------

    def timeline(self, stage, i):
        """When each step of this candidate happens: {step: moment}. `i` spreads candidates over days."""
        if stage in UPCOMING_PLAN or stage == "draft":
            plan = UPCOMING_PLAN.get(stage, {"submit": 0})
            submit = self.today - dt.timedelta(days=plan["submit"])
            event_day = self.upcoming_day
        elif stage == "today":  # today's batch: applied between six and three weeks ago
            event_day, plan = self.today, {}
            submit = event_day - dt.timedelta(days=44 - i)
        else:
            event_day = self.event_day(self.group_of(stage))
            plan = {}
            submit = event_day - dt.timedelta(days=40 - 2 * i)
        if stage == "draft":
            created = add_workdays(self.today, -2)
            return {"create": _at(created, 19, 5), "apl01": _at(created, 19, 30)}
        created = submit - dt.timedelta(days=3 + i % 3)
        t = {"create": _at(created, 19, 5 + i), "apl01": _at(created, 19, 35 + i),
             "documents": _at(created + dt.timedelta(days=1), 20, i), "apl02": _at(created + dt.timedelta(days=1),
                                                                               21, i),
             "submit": _at(submit, 20, 10 + i)}
        accept = add_workdays(workday(t["submit"].date() + dt.timedelta(days=1)), 1 + i % 2)
        t["accept"] = _at(accept, 9, 20 + 7 * (i % 5))
        if "schedule" in plan:
            schedule = add_workdays(self.today, -plan["schedule"])
        else:
            schedule = add_workdays(accept, 1 + i % 2)
        t["schedule"] = _at(schedule, 13, 10 + 5 * (i % 6))
        t["confirm_assessor"] = _at(add_workdays(schedule, 1), 8, 40 + i)
        t["confirm"] = _at(add_workdays(schedule, 1), 19, 15 + 2 * i)
        agree = (add_workdays(self.today, -plan["agree"]) if "agree" in plan
                 else add_workdays(event_day, -(2 + i % 4)))
        t["consult"] = _at(agree, 10, 0 + 3 * i)
        t["agree_assessor"] = _at(agree, 10, 40 + 3 * i)
        t["agree"] = _at(agree, 11, 5 + 3 * i)
        ready = add_workdays(self.today, -plan["ready"]) if "ready" in plan else add_workdays(event_day, -1)
        t["continue"] = _at(ready, 14, 10 + 4 * i)
        t["check_in"] = (self.day_start + dt.timedelta(minutes=i) if stage == "today"
                         else _at(event_day, 7, 30 + 3 * i))
        t["assess"] = _at(event_day, 14, 5 + 6 * i)
        t["feedback_assessor"] = _at(event_day, 15, 20 + 2 * i)
        t["feedback"] = _at(event_day, 15, 35 + 2 * i)
        slow = stage in EARLIER_EVENT_STAGES | VETERAN_STAGES  # a calmer month: the committee met a week later
        t["review"] = _at(add_workdays(event_day, 1), 9, 10 + 8 * i)
        t["report"] = _at(add_workdays(event_day, 1), 13, 30 + 5 * i)
        t["forward"] = _at(add_workdays(event_day, 2 + slow), 10, 5 * i)
        if stage == "awaiting_decision":  # the TUK forwarded this report only after the plenary meeting
            t["forward"] = _at(add_workdays(self.today, -1), 10, 5)
        decided = self.decision_day(event_day, slow)
        t["decide"] = _at(decided, 10, 30 + 4 * i)
        t["sign"] = _at(decided if not slow else add_workdays(decided, 1), 19, 45)
        if stage == "competent_signed":  # signed only after the meeting's certificates were issued
            t["sign"] = _at(add_workdays(decided, 1), 19, 45)
        t["enrol"] = _at(add_workdays(decided, 4 if slow else 1), 14, 0)
        return t

    @staticmethod
    def decision_day(event_day, slow):
        return add_workdays(event_day, 8 if slow else 3)

    @staticmethod
    def group_of(stage):
        if stage in VETERAN_STAGES:
            return "veteran"
        if stage in EARLIER_EVENT_STAGES:
            return "earlier"
        if stage in HELD_EVENT_STAGES:
            return "held"
        return "today" if stage == "today" else "upcoming"

    def event_day(self, key):
        return {"veteran": self.veteran_day, "earlier": self.earlier_day, "held": self.held_day,
                "today": self.today, "upcoming": self.upcoming_day}[key]

    def candidate(self, stage, person, serial, i):
        """Schedule the moments of one candidate's history; the case stops where its stage says."""
        t = self.timeline(stage, i)
        key = self.group_of(stage)
        st = {"stage": stage, "person": person, "serial": serial, "key": key}
        s = self.story

        def create():
            user = _user(person.email, person.first, person.last, Role.CANDIDATE, phone=f"0813-{serial:04d}-2026")
            st["user"] = user
            st["case"] = cases.create_case(user, self.scheme)
        s.at(t["create"], create)
        s.at(t["apl01"], lambda: self.fill_apl01(st))
        if stage == "draft":
            return st
        s.at(t["documents"], lambda: self.upload_evidence(st))
        s.at(t["apl02"], lambda: self.fill_apl02(st))
        s.at(t["submit"], lambda: cases.submit_application(self._case(st), st["user"]))
        if stage == "submitted":
            return
        if stage == "revision":
            s.at(t["accept"], lambda: self._review(self._case(st), "returned", "Unggah ulang fotokopi KTP yang jelas.",
                                                   bad=[self._ktp().pk]))
            return
        if stage == "not_accepted":
            s.at(t["accept"], lambda: self._review(
                self._case(st), "not_accepted", "Persyaratan dasar tidak terpenuhi: belum ada bukti pelatihan "
                                                "atau pengalaman kerja di bidang web."))
            return
        stop = STOP_AFTER.get(stage, "check_in")
        if stage == "in_assessment":  # the observation was ticked on the day; FR.AK.02 is still to record
            s.at(_at(self.held_day, 13, 20), lambda: self.tick_observation(self._case(st)))
        for step in STEPS[1:]:
            moments = {"confirm": ["confirm_assessor", "confirm"], "agree": ["consult", "agree_assessor", "agree"],
                       "feedback": ["feedback_assessor", "feedback"]}.get(step, [step])
            if step == "issue":  # the certificates of a plenary meeting are issued together, as one job
                moments = []
            for name in moments:
                s.at(t[name], self._step(name, st))
            if step == stop:
                return st
        return st

    def _step(self, name, st):
        def run():
            getattr(self, f"step_{name}")(self._case(st), st["user"], st["stage"], self.events[st["key"]])
        return run

    @staticmethod
    def _case(st):
        return Case.objects.get(pk=st["case"].pk)

    def _ktp(self):
        return Requirement.objects.filter(scheme=self.scheme, kind=Requirement.Kind.ADMINISTRATIVE).first()

    def fill_apl01(self, st):
        person, serial, user = st["person"], st["serial"], st["user"]
        full_name = f"{person.first} {person.last}"
        education = {"Siswa": "SMK Rekayasa Perangkat Lunak (kelas XII)", "Mahasiswa": "S1 Ilmu Komputer (semester V)",
                     "Magang": "D3 Teknik Informatika (semester VI)"}.get(person.position, "D3 Teknik Informatika")
        data = {
            "full_name": full_name, "nik": _nik(person, serial), "birth_place": person.birth_place,
            "birth_date": person.born, "sex": person.sex, "nationality": "Indonesia",
            "address": f"Jl. Merdeka No. {serial + 10}, {person.city}", "postcode": "40115",
            "phone": user.phone, "email": person.email, "education": education,
            "employer": person.employer, "position": person.position,
            "office_address": f"Jl. Asia Afrika No. {serial + 1}, {person.city}" if person.employer else "",
            "office_postcode": "40111" if person.employer else "", "purpose": "sertifikasi",
            # BNSP's codes (core/data/bnsp_codes.json): the city by name, a student's highest finished level.
            "city_code": codes.city_named(person.city),
            "education_code": "3" if person.position in ("Siswa", "Mahasiswa", "Magang") else "6",
            "occupation_code": "2" if person.position in ("Siswa", "Mahasiswa") else ("6" if person.employer else "1"),
            "funding_code": "3", "ministry_code": "0",
        }
        if st["stage"] == "draft":  # halfway through APL.01: the home page shows what is left
            data = {k: data[k] for k in ("full_name", "nik", "birth_place", "birth_date", "sex", "purpose")}
        cases.save_application(st["case"], user, data)

    def upload_evidence(self, st):
        """Varied evidence, as a candidate really sends it: the document for the basic requirement they meet,
        the KTP scan, the photo (PNG), and the evidence of competence (portfolio, a project's screenshot,
        transcript or report card)."""
        person, serial, user, case = st["person"], st["serial"], st["user"], st["case"]
        name, city, today = f"{person.first} {person.last}", person.city, timezone.localdate()
        required = cases.requirements_of(self.scheme, needs_upload=True)
        basics = [r for r in required if r.kind == Requirement.Kind.BASIC]
        admin_reqs = [r for r in required if r.kind == Requirement.Kind.ADMINISTRATIVE]
        kind = _basic_kind(person, serial)
        project, slug = PROJECTS[serial % len(PROJECTS)]
        earlier = today - dt.timedelta(days=120 + 37 * (serial % 7))
        basic_doc = {
            BASIC_TRAINING: ("Sertifikat Pelatihan Web Developer", "Telah menyelesaikan pelatihan Web Developer "
                             "(HTML, CSS, JavaScript, PHP) selama 80 jam pelajaran di BLK Komunitas Bandung."),
            BASIC_SMK: ("Surat Keterangan Siswa Kelas XII RPL", "Adalah siswa kelas XII Program Keahlian Rekayasa "
                        "Perangkat Lunak tahun ajaran berjalan."),
            BASIC_STUDENT: ("Kartu Hasil Studi Semester IV", "Telah menyelesaikan semester IV Program Studi Ilmu "
                            "Komputer dengan IPK 3,41, termasuk mata kuliah Pemrograman Web."),
            BASIC_GRADUATE: ("Sertifikat Pelatihan Pemrograman Web Lanjut", "Lulusan D3 Teknik Informatika yang "
                             "telah mengikuti pelatihan Pemrograman Web Lanjut (64 jam)."),
            BASIC_WORK: ("Surat Keterangan Kerja", f"Bekerja sebagai {person.position} di {person.employer or '—'} "
                         "sejak lebih dari satu tahun, mengembangkan dan memelihara aplikasi web perusahaan."),
        }[kind]
        files = [
            ("basic", basics[kind], basic_doc[0], "pdf", _doc(basic_doc[0], name, basic_doc[1], city, earlier)),
            ("ktp", admin_reqs[0], "Fotokopi KTP", "pdf",
             _doc("Fotokopi KTP", name, f"NIK {_nik(person, serial)} — {person.birth_place}, "
                  f"{fmt_date(person.born)}. Berlaku seumur hidup.", city, today)),
            ("photo", admin_reqs[1], "Pas foto 3x4", "png",
             _png("demo-photo.typ", {"name": name, "skin": ("#e0ac69", "#c68642", "#f1c27d")[serial % 3],
                                     "shirt": ("#1d3557", "#2a9d8f", "#264653", "#6c757d")[serial % 4]})),
            ("portfolio", None, f"Portofolio proyek: {project}", "pdf",
             _doc(f"Portofolio: {project}", name, "Ringkasan proyek: kebutuhan, rancangan antarmuka, struktur "
                  "folder kode sumber, fungsi utama, pustaka yang dipakai (Bootstrap, jQuery), dan tautan "
                  f"repositori git.contoh.id/{slug}.", city, today)),
            ("screenshot", None, f"Tangkapan layar {project}", "png",
             _png("demo-screenshot.typ", {"name": name, "url": f"https://{slug}.contoh.id", "project": project,
                                          "color": COLORS[serial % len(COLORS)], "heading": "Halaman utama",
                                          "body": "Tampilan responsif: menu, pencarian, formulir, dan tabel data "
                                                  "yang diambil dari basis data."})),
            ("transcript", None, "Rapor semester 5" if kind == BASIC_SMK else "Transkrip nilai", "pdf",
             _doc("Rapor Semester 5" if kind == BASIC_SMK else "Transkrip Nilai", name,
                  "Algoritma dan Pemrograman: A; Pemrograman Web: A; Basis Data: B+; Struktur Data: B+.",
                  city, earlier)),
        ]
        st["docs"] = {}
        start = timezone.now()
        for n, (key, requirement, title, ext, content) in enumerate(files):
            kind_ = "image/png" if ext == "png" else "application/pdf"
            upload = SimpleUploadedFile(f"{title[:40]}.{ext}", content, kind_)
            with time_machine.travel(start + dt.timedelta(minutes=4 * n), tick=False):  # one file after another
                st["docs"][key] = cases.upload_document(case, user, requirement=requirement, title=title,
                                                        file=upload)

    def fill_apl02(self, st):
        """Each element is claimed with the evidence that shows it, not with the KTP."""
        docs = st["docs"]
        answers = {}
        for e in cases.scheme_elements(self.scheme):
            part = e.unit.code.split(".")[2] if e.unit.code.count(".") >= 2 else ""
            keys = UNIT_EVIDENCE.get(part, ["portfolio"])
            answers[e.pk] = {"answer": "K", "evidence": [docs[k].pk for k in keys], "note": ""}
        cases.save_self_assessment(st["case"], st["user"], answers)

    def _review(self, case, outcome, note="", bad=()):
        items = [{"requirement_id": r.pk, "present": r.pk not in bad, "meets": r.pk not in bad,
                  "comment": "Foto KTP buram, tidak terbaca." if r.pk in bad else ""}
                 for r in Requirement.objects.filter(scheme=case.scheme)]
        cases.review_documents(case, self.admin, items=items, outcome=outcome, note=note)

    # --- the steps, each called at its moment ------------------------------------------------------------

    def step_accept(self, case, user, stage, event):
        self._review(case, "accepted", "Dokumen lengkap dan memenuhi syarat.")

    def step_schedule(self, case, user, stage, event):
        assessor = self.batch_assessor.get(user.email) or (self.assessor if stage in DEWI_STAGES else self.assessor2)
        events.schedule_case(case, self.admin, event=event, assessor=assessor)

    def step_confirm_assessor(self, case, user, stage, event):
        events.confirm_schedule(case, case.assessor.user)

    def step_confirm(self, case, user, stage, event):
        events.confirm_schedule(case, user)

    def step_consult(self, case, user, stage, event):
        assess.record_consultation(case, case.assessor.user, notes="Menjelaskan proses, metode observasi dan "
                                                                   "tanya jawab, serta hak banding. Asesi memahami.")

    def step_agree_assessor(self, case, user, stage, event):
        written = ["tertulis"] if stage == "today" else []
        assess.sign_agreement(case, case.assessor.user, evidence=["portofolio", "observasi", "lisan", *written],
                              date=timezone.localdate(event.starts_at), time="08.00–16.00",
                              site_name=event.site.name)

    def step_agree(self, case, user, stage, event):
        assess.sign_agreement(case, user)

    def step_continue(self, case, user, stage, event):
        assess.recommend_continue(case, case.assessor.user, note="Bukti APL.02 relevan dan memadai.")

    def step_check_in(self, case, user, stage, event):
        assess.check_in(case, self.head)

    @staticmethod
    def tick_observation(case, *, bk_unit=None, limit=None):
        """The assessor ticks the observation checklist (FR.IA.01) of the plan on the phone, item by item:
        K for each, BK for the first item on `bk_unit`."""
        versions = [v for v in observation.plan_versions(case) if v.instrument.form == "IA.01"]
        items = [i for v in versions for i in v.items.prefetch_related("criteria__element")]
        bk_done = False
        for n, item in enumerate(items[:limit] if limit else items):
            bk = (not bk_done and bk_unit is not None
                  and any(c.element.unit_id == bk_unit.pk for c in item.criteria.all()))
            bk_done = bk_done or bk
            observation.save_item_result(case, case.assessor.user, item_id=item.pk, result="BK" if bk else "K",
                                         note="Belum memakai library sesuai kebutuhan." if bk else
                                         ("Sesuai SOP." if n % 5 == 0 else None))

    def step_assess(self, case, user, stage, event):
        bk = stage == "not_competent"
        units = list(case.scheme.units.all())
        results = {u.pk: {"methods": ["observasi", "lisan"], "result": "BK" if bk and i == len(units) - 1 else "K"}
                   for i, u in enumerate(units)}
        self.tick_observation(case, bk_unit=units[-1] if bk else None)
        day = timezone.localdate(event.starts_at)
        assess.record_assessment(case, case.assessor.user, unit_results=results, started_on=day, finished_on=day,
                                 follow_up="Mengulang unit pustaka/komponen setelah latihan 3 bulan." if bk else "",
                                 comments="Asesi menunjukkan kinerja sesuai KUK." if not bk else
                                 "Belum mampu menggunakan library pre-existing sesuai kebutuhan.")

    def step_feedback_assessor(self, case, user, stage, event):
        assess.give_feedback(case, case.assessor.user, text="Struktur kode rapi dan antarmuka responsif. "
                                                            "Tingkatkan dokumentasi fungsi.")

    def step_feedback(self, case, user, stage, event):
        assess.give_feedback(case, user, answers=[{"yes": True, "comment": ""} for _ in W.AK03_COMPONENTS],
                             other="Proses jelas dan asesor ramah.")

    def step_review(self, case, user, stage, event):
        assess.review_assessment(case, self.lead, data={
            "principles": {s: [p for p, _l in W.AK06_PRINCIPLES] for s, _l in W.AK06_STAGES},
            "dimensions": [d for d, _l in W.AK06_DIMENSIONS], "principles_recommendation": "Pertahankan.",
            "comments": "Proses asesmen sesuai rencana."})

    def step_report(self, case, user, stage, event):
        assess.submit_report(case, case.assessor.user, data={"aspects": "Asesi siap dan bukti lengkap.",
                                                             "suggestions": "—"})

    def step_forward(self, case, user, stage, event):
        assess.forward_report(case, self.head, note="Laporan lengkap diteruskan ke LSP.")

    def step_decide(self, case, user, stage, event):
        """Decided in the plenary meeting of the event's batch (komite@ decides; komite2@ is present)."""
        meeting = self.meetings[self.group_of(stage)]
        if stage == "not_competent":
            pleno.decide_in_meeting(meeting, case, self.committee, decision="BK",
                                    reason="Satu unit belum kompeten sesuai rekomendasi asesor.")
        else:
            pleno.decide_in_meeting(meeting, case, self.committee, decision="K")

    def step_sign(self, case, user, stage, event):
        cert.sign_holder_agreement(case, user)

    def step_enrol(self, case, user, stage, event):
        # The first check fell due ten days before the load and no evidence came: it shows as overdue on the
        # staff's surveillance list; the next one (a year on) is due.
        first = self.today - dt.timedelta(days=10)
        first = first if stage == "surveillance" and first > timezone.localdate() else None
        cert.enrol_surveillance(case, self.admin, first_due=first)

    # --- all of it --------------------------------------------------------------------------------------

    def settle_inboxes(self):
        from kompeten.core.models import Notification

        read = _settle(list(Notification.objects.order_by("-created_at", "-pk")),
                       before=timezone.now() - dt.timedelta(days=READ_AFTER_DAYS))
        Notification.objects.filter(pk__in=read).update(read_at=timezone.now())

    def build(self):
        with time_machine.travel(_at(self.setup_day, 9), tick=False), transaction.atomic():
            self.master_data()
        self.event("veteran", self.veteran_day, 10, created=workday(self.veteran_day - dt.timedelta(days=50)),
                   written=False)
        self.event("earlier", self.earlier_day, 10, created=workday(self.earlier_day - dt.timedelta(days=50)),
                   written=False)
        self.event("held", self.held_day, 20, created=workday(self.held_day - dt.timedelta(days=45)), written=False)
        self.event("today", self.today, 30, created=workday(self.today - dt.timedelta(days=55), -1),
                   starts=self.day_start + dt.timedelta(minutes=30), title_suffix=" (Gelombang 1)")
        self.event("upcoming", self.upcoming_day, 20, created=add_workdays(self.today, -32),
                   resources_day=add_workdays(self.today, -1),
                   title_suffix=" (Gelombang 2)" if self.upcoming_day.month == self.today.month else "")
        self.draft_event()
        seats = {}  # each candidate's place in their event's group, to spread their days and hours
        for serial, (stage, person) in enumerate(CANDIDATES.items(), 1):
            group = self.group_of(stage) if stage in VETERAN_STAGES | EARLIER_EVENT_STAGES | HELD_EVENT_STAGES else ""
            seats[group] = seats.get(group, -1) + 1
            self.candidate(stage, person, serial, seats[group])
        self.assessment_day(first_serial=len(CANDIDATES) + 1)
        for key in ("veteran", "earlier", "held"):
            self.meeting(key)
            self.story.at(_at(self.event_day(key), 16, 45), lambda key=key: events.hold_event(self.events[key],
                                                                                           self.head))
        for key in ("veteran", "earlier"):
            self.story.at(_at(add_workdays(self.event_day(key), 15), 9, 0),
                          lambda key=key: events.close_event(self.events[key], self.admin))
        self.blanko("veteran", received=True)  # the oldest meeting: the whole exchange, registration numbers back
        self.blanko("earlier", received=True)
        self.blanko("held", received=False)  # the latest: the request sent, BNSP's blanko still to come
        self.class_import()
        self.veteran_surveillance()
        self.reminders()
        self.grievances()
        self.story.play()
        for stage, person in CANDIDATES.items():
            self.log(f"  {person.first} {person.last}: {stage}")
        self.log(f"  + {len(day.BATCH)} asesi uji kompetensi hari ini (tes tertulis; {day.OPEN_TEST.first} "
                 f"{day.OPEN_TEST.last} masih mengerjakan)")

    # --- the plenary meetings ----------------------------------------------------------------------------

    def meeting(self, key):
        """The batch's plenary meeting on the decision day: both committee members present, the cases decided
        (step_decide), the meeting closed (SK and minutes numbered); the next working day (three for a calm
        month) the Ketua LSP issues the meeting's certificates as one job, which runs at once."""
        slow = key != "held"
        decided = self.decision_day(self.event_day(key), slow)
        members = list(pleno.committee_members())

        def open_():
            self.meetings[key] = pleno.open_meeting(self.committee, held_on=timezone.localdate(), members=members,
                                                    place="Ruang rapat LSP TDN, Bandung")
        self.story.at(_at(decided, 9, 30), open_)
        self.story.at(_at(decided, 12, 30), lambda: pleno.close_meeting(self.meetings[key], self.committee))
        job = {}

        def start_issue():
            job["job"] = pleno.start_issue_job(pleno.meetings().get(pk=self.meetings[key].pk), self.lsp_head)
        issue_day = add_workdays(decided, 3 if slow else 1)
        self.story.at(_at(issue_day, 10, 0), start_issue)
        self.story.at(_at(issue_day, 10, 1), lambda: run_job.call(job["job"].pk))

    # --- the BNSP blanko exchange (certification.bnsp) ------------------------------------------------------

    def blanko(self, key, *, received):
        """The blanko for the certificates of the meeting of `key`'s batch: the admin sends BNSP the request (the
        package: sheet, minutes, SK) a few days after the meeting, once its certificates are issued. With
        `received`: the blanko arrive about a week and a half later (one number per certificate), the admin gives
        them to the certificates the same day, downloads the sheet for registration numbers, and some weeks on
        imports it back filled by BNSP."""
        slow = key != "held"
        decided = self.decision_day(self.event_day(key), slow)
        sent = add_workdays(decided, 4 if slow else 1)
        serial = {"veteran": 7, "earlier": 41, "held": 93}[key]

        def send():
            meeting = pleno.meetings().get(pk=self.meetings[key].pk)
            bnsp.package_zip(meeting, self.admin)  # what the letter carries: the sheet, the minutes and the SK
            when = timezone.localdate()
            self.blanko_requests[key] = bnsp.record_request_sent(
                meeting, self.admin, letter_number=f"{serial:03d}/BLK/{events.lsp_code()}/{ROMAN[when.month - 1]}/"
                                                   f"{when.year}", sent_on=when)
        self.story.at(_at(sent, 15, 0), send)
        if not received:
            return
        arrived = add_workdays(sent, 7)
        if (arrived.month, arrived.day) == (1, 1):  # New Year's Day: BNSP's office is closed
            arrived = add_workdays(arrived, 1)

        def receive():
            count = bnsp.certificates_of(pleno.meetings().get(pk=self.meetings[key].pk)).count()
            first = 48211 + 100 * serial
            bnsp.record_blanko_received(self.blanko_requests[key], self.admin, received_on=timezone.localdate(),
                                        first_number=f"B-{first:07d}", last_number=f"B-{first + count - 1:07d}")
        self.story.at(_at(arrived, 11, 0), receive)
        self.story.at(_at(arrived, 14, 30), lambda: bnsp.assign_blanko_numbers(self.blanko_requests[key],
                                                                                self.admin))
        self.story.at(_at(add_workdays(arrived, 12), 10, 20), lambda: bnsp.import_registration_numbers(
            self.blanko_requests[key], self.admin, registration_sheet(pleno.meetings().get(pk=self.meetings[key].pk))))

    # --- a class imported by its TUK (events.imports) ----------------------------------------------------

    def class_import(self):
        """The head of the TUK registers a class of SMK pupils for the published event from the import template
        (XLSX): the file is checked, every row imported, and the background jobs (accounts and cases, then the
        invitations to set a password and complete APL.01/02) run at once, as the worker would."""
        state = {}
        at = self._ago(6, 9, 40)
        first_serial = len(CANDIDATES) + len(day.BATCH) + 1

        def check():
            state["import"] = imports.check_file(self.events["upcoming"], self.head,
                                                 class_sheet(SMK_CLASS, first_serial))

        def start():
            state["job"] = imports.start_import(state["import"], self.head, "all")

        def invite():
            imp = imports.get_import(state["import"].pk)
            run_job.call(imp.invite_job_id)
        self.story.at(at, check)
        self.story.at(at + dt.timedelta(minutes=2), start)
        self.story.at(at + dt.timedelta(minutes=3), lambda: run_job.call(state["job"].pk))
        self.story.at(at + dt.timedelta(minutes=4), invite)

    # --- today's assessment day -------------------------------------------------------------------------

    def assessment_day(self, first_serial):
        """Today's batch (demo/today.py): applied, scheduled with Dewi, Agus or Yanti in turn, signed FR.AK.01,
        found ready; checked in this morning. All but Galih sat the written test from 08:45 (two let the time run
        out); the observation is under way. Galih, with 30 minutes' extra time agreed in FR.AK.07, opened his
        test in the quiet room a little before the load: it is open now."""
        abilities = day.abilities(len(day.BATCH))
        sitting = self.day_start + dt.timedelta(minutes=75)
        for j, person in enumerate(day.BATCH):
            self.batch_assessor[person.email] = (self.assessor, self.assessor2, self.assessor4)[j % 3]
            st = self.candidate("today", person, first_serial + j, j)
            if person is day.OPEN_TEST:
                self.story.at(self.timeline("today", j)["agree"] + dt.timedelta(minutes=20),
                              lambda st=st: self.record_extra_time(self._case(st)))
                opened = self.now - dt.timedelta(minutes=25)
                self.story.at(opened, lambda st=st, opened=opened: day.begin_open_test(self._case(st), st["user"],
                                                                                       opened))
                continue
            start = sitting + dt.timedelta(minutes=j % 4)

            self.story.at(start, lambda st=st, j=j, start=start: day.take_test(self._case(st), st["user"], j,
                                                                              abilities[j], start))
            if day.submit_after(j) is not None:
                self.story.at(start + dt.timedelta(minutes=day.submit_after(j) + 1),
                              lambda st=st: written_test.submit_test(self._case(st), st["user"]))
        deadline = sitting + dt.timedelta(minutes=3 + 120)
        self.story.at(deadline + dt.timedelta(minutes=1), written_test.close_expired)
        # The observation (FR.IA.01) of the practical task began before the sitting and goes on after it: Dewi
        # has ticked part of the checklist of three of her candidates, Agus and Yanti have begun with one each.
        ticks = [(3, 14), (6, 9), (12, 5), (1, 7), (2, 11)]
        for n, (j, limit) in enumerate(ticks):
            email = day.BATCH[j].email
            at = self.day_start + dt.timedelta(minutes=35 + 8 * n)
            self.story.at(at, lambda email=email, limit=limit: self.tick_observation(
                Case.objects.get(candidate__email=email), limit=limit))

    def record_extra_time(self, case):
        """FR.AK.07 for Galih: a hand still healing after an injury — he types slowly; 30 minutes more on the
        written test, taken in the quiet room."""
        rows = [{"needed": False} for _ in W.AK07_CHARACTERISTICS]
        rows[3] = {"needed": True, "options": [2], "note": "Pemulihan cedera tangan kanan; mengetik lebih lambat."}
        assess.record_adjustment(case, case.assessor.user, data={
            "potensi": ["3"], "characteristics": rows, "extra_minutes": day.EXTRA_MINUTES,
            "results": {"result": "Tambahan waktu 30 menit pada tes tertulis, di ruang tenang",
                        "benchmark": "SKKNI Nomor 282 Tahun 2016", "method": "Tes tertulis, observasi, lisan",
                        "instrument": "FR.IA.05, FR.IA.06"}})

    def reminders(self):
        """The daily reminder run (cron, `manage.py send_reminders`) on the mornings it had something to send:
        Dedi's certificate at 90 and 30 days before expiry and his last check 30 days before it falls due, Sri's
        first check 30 and 7 days before; and yesterday's run."""
        issued = add_workdays(self.decision_day(self.veteran_day, True), 3)
        expires = add_years(issued, 3)
        sri_due = self.today - dt.timedelta(days=10)
        days = {expires - dt.timedelta(days=90), expires - dt.timedelta(days=30), sri_due - dt.timedelta(days=30),
                sri_due - dt.timedelta(days=7), self.today - dt.timedelta(days=1)}
        for d in sorted(days):
            if _at(d, 6, 0) < self.now:
                self.story.at(_at(d, 6, 0), lambda: expiry.send_reminders(pause=0))

    # --- the veteran holder's yearly checks ----------------------------------------------------------------

    def veteran_surveillance(self):
        """Dedi (certified three years ago) sent evidence before each of his first two yearly checks and Agus
        found it satisfactory; the third falls due this month, with the certificate's expiry."""
        person = CANDIDATES["expiring"]
        issued = add_workdays(self.decision_day(self.veteran_day, True), 3)
        for order in (1, 2):
            due = add_years(issued, order)

            def send(order=order):
                chk = SurveillanceCheck.objects.get(surveillance__certificate__case__candidate__email=person.email,
                                                    order=order)
                surv.submit_evidence(chk, chk.surveillance.certificate.case.candidate, logbook=(
                    "Memimpin pengembangan portal layanan pelanggan (Laravel, Vue); menulis modul pembayaran dan "
                    "pengujiannya; meninjau kode tiga programmer junior." if order == 1 else
                    "Migrasi aplikasi internal ke arsitektur API + SPA; menyusun pedoman aksesibilitas dan "
                    "optimasi kinerja halaman; mengajar pelatihan internal HTML/CSS."),
                    employer_statement="Yang bersangkutan bekerja sebagai Lead Web Developer di PT Graha Informatika "
                                       "dan menjalankan tugasnya dengan baik.")

            def judge(order=order):
                chk = SurveillanceCheck.objects.get(surveillance__certificate__case__candidate__email=person.email,
                                                    order=order)
                surv.record_result(chk, self.assessor2.user, satisfactory=True,
                                   notes="Logbook dan pernyataan atasan menunjukkan kompetensi terpelihara.")
            self.story.at(_at(workday(due - dt.timedelta(days=16)), 20, 10), send)
            self.story.at(_at(workday(due - dt.timedelta(days=9)), 10, 40), judge)

    def grievances(self):
        """Mega (decided Belum Kompeten) appeals; a member of the public complains about a fee at the TUK and
        the admin acknowledges it."""
        def appeal():
            case = Case.objects.get(candidate__email=CANDIDATES["not_competent"].email)
            appeals.lodge_appeal(case, case.candidate, explained=True, discussed=True, involve_other=False,
                                 consent=True, reasons=(
                                     "Asesor tidak memberi kesempatan saya menunjukkan portofolio proyek web; unit "
                                     "J.620100.016.01 dinilai hanya dari jawaban lisan."))
        self.story.at(_at(add_workdays(self.today, -1), 10, 5), appeal)
        complaint = {}

        def complain():
            complaint["g"] = appeals.lodge_complaint(
                None, about="lsp", subject="Biaya tambahan di TUK", name="Andi Wibowo", email="andi@contoh.id",
                reasons="Peserta diminta membayar biaya sewa komputer di TUK, padahal tidak disebut di brosur.",
                ip="203.0.113.5", elapsed=45)
        self.story.at(_at(add_workdays(self.today, -2), 19, 30), complain)
        self.story.at(_at(add_workdays(self.today, -1), 8, 40),
                      lambda: appeals.acknowledge(complaint["g"], self.admin))


def schedule_code(event):
    """The Kode Jadwal BNSP gives a schedule registered in its system (one per event)."""
    day = timezone.localdate(event.starts_at)
    return f"JDW-{day.year}-{event.pk * 37 + 1200:05d}"


def registration_sheet(meeting):
    """The meeting's sheet for registration numbers (bnsp.return_xlsx), as BNSP sends it back: the column Nomor
    Registrasi filled for each certificate (TIK <LSP> <serial> <year>)."""
    book = load_workbook(io.BytesIO(bnsp.return_xlsx(meeting)))
    sheet = book.active
    column = bnsp.RETURN_COLUMNS.index("Nomor Registrasi") + 1
    year = timezone.localdate().year
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, column).value = f"TIK 1565 {4100 + 13 * meeting.pk + row:05d} {year}"
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("nomor-registrasi-bnsp.xlsx", out.getvalue())


def class_sheet(people, first_serial):
    """The TUK's spreadsheet for the import: the template's columns, one pupil a row (the NIK as text, the birth
    date an Excel date cell)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Asesi")
    sheet.append([c.header for c in IMPORT_COLUMNS])
    for n, p in enumerate(people):
        values = {"full_name": f"{p.first} {p.last}", "nik": _nik(p, first_serial + n), "birth_place": p.birth_place,
                  "birth_date": p.born, "sex": p.sex, "email": p.email, "phone": f"0857{22140000 + 37 * n:08d}",
                  "address": f"Jl. Kihapit Barat No. {12 + 3 * n}, {p.city}", "postcode": "40511",
                  "education": "SMP", "position": p.position, "employer": p.employer}
        sheet.append([values.get(c.key, "") for c in IMPORT_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("kelas-XII-RPL-SMKN2-Cimahi.xlsx", out.getvalue())


READ_AFTER_DAYS = 7  # messages older than a week have been read (their acts were done long ago)


def _settle(notifications, before=None):
    """Only the newest message about each page stays unread, and only when it is less than a week old:
    the older ones were acted on long ago."""
    newest = {}
    for n in notifications:
        newest.setdefault((n.recipient_id, n.url), n.pk)
    return [n.pk for n in notifications
            if newest[(n.recipient_id, n.url)] != n.pk or (before is not None and n.created_at < before)]


def demo_loaded():
    return User.objects.filter(email=f"admin@{DOMAIN}").exists()


LOGINS = [
    (f"admin@{DOMAIN}", "Admin LSP (juga akses /admin/)"),
    (f"asesor@{DOMAIN}", "Asesor — Dewi Lestari (hari ini: observasi berjalan)"),
    (f"asesor2@{DOMAIN}", "Asesor — Agus Pratama"),
    (f"asesor4@{DOMAIN}", "Asesor — Yanti Rahayu (uji kompetensi hari ini)"),
    (f"lead@{DOMAIN}", "Lead asesor"),
    (f"ketuatuk@{DOMAIN}", "Ketua TUK Politeknik Digital Bandung"),
    (f"komite@{DOMAIN}", "Komite teknis"),
    (f"komite2@{DOMAIN}", "Komite teknis — anggota kedua (kuorum rapat pleno)"),
    (f"ketualsp@{DOMAIN}", "Ketua LSP"),
    ("budi@contoh.id", "Asesi — menunggu keputusan komite"),
    ("siti@contoh.id", "Asesi — perlu konfirmasi jadwal"),
    ("yusuf@contoh.id", "Asesi — perlu menandatangani persetujuan sertifikat"),
    ("sri@contoh.id", "Asesi — pemegang sertifikat, surveilan terlambat"),
    ("dedi@contoh.id", "Asesi — sertifikat habis berlaku bulan ini, surveilan jatuh tempo"),
    ("galih@contoh.id", "Asesi — uji kompetensi hari ini, tes tertulis sedang dikerjakan"),
    ("rina@contoh.id", "Asesi — permohonan masih draf"),
]


def load_demo(log=print):
    """Play the demo's history. Each moment commits on its own (so the notifications it sends on commit carry
    its time); a load that fails half-way leaves a partial demo: delete var/ and load again."""
    builder = DemoBuilder(log)
    builder.build()
    builder.settle_inboxes()
    return Case.objects.count()
