"""The demo LSP: a real scheme, TUK, assessors, staff, and candidates standing at every step of the SOP.

Everything is created through the same service functions the screens call, so the demo shows real records
(action log, notifications, PDFs) and cannot drift from the rules. Run by `manage.py load_demo`.
"""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from kompeten.assessment import services as assess
from kompeten.assessment import wording as W
from kompeten.cases import services as cases
from kompeten.cases.models import Case
from kompeten.catalog.loader import load_scheme, read_scheme_file
from kompeten.catalog.models import Requirement
from kompeten.certification import services as cert
from kompeten.core.models import Role, RoleAssignment, User
from kompeten.core.pdf import fmt_date, render_pdf
from kompeten.events import services as events
from kompeten.events.models import FeasibilityItem
from kompeten.people.models import Assessor
from kompeten.sites import services as sites
from kompeten.sites.models import FacilityItem, Site

PASSWORD = "kompeten-demo"
FIXTURES = Path(settings.BASE_DIR) / "catalog" / "fixtures"
DOMAIN = "lsp-tdn.id"


@dataclass
class Person:
    first: str
    last: str
    email: str
    sex: str  # L / P
    born: dt.date
    birth_place: str
    city: str
    employer: str
    position: str


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
}

# How far each stage goes, in SOP order; a case stops at the first step not in its list.
STEPS = ["submit", "accept", "schedule", "confirm", "agree", "continue", "check_in", "assess", "feedback",
         "review", "report", "forward", "decide", "sign", "issue", "enrol"]
STOP_AFTER = {
    "draft": None, "submitted": "submit", "revision": "submit", "not_accepted": "submit", "accepted": "accept",
    "accepted_conflict": "accept", "scheduled": "schedule", "confirmed": "confirm", "agreed": "agree",
    "ready": "continue", "in_assessment": "check_in", "assessed": "assess", "reviewed": "review",
    "reported": "report", "awaiting_decision": "forward", "competent": "decide", "competent_signed": "sign",
    "not_competent": "decide", "certified": "issue", "surveillance": "enrol",
}
# Cases that are assessed go to the event that has been held; the others to the upcoming one.
HELD_EVENT_STAGES = {"in_assessment", "assessed", "reviewed", "reported", "awaiting_decision", "competent",
                     "competent_signed", "not_competent", "certified", "surveillance"}


def _nik(person, serial):
    """A NIK that passes the checks: province/regency/district of West Java, birth date (+40 for women)."""
    day = person.born.day + (40 if person.sex == "P" else 0)
    return f"327301{day:02d}{person.born.month:02d}{person.born.year % 100:02d}{serial:04d}"


def _user(email, first, last, role=None, site=None, phone=""):
    user = User.objects.create_user(username=email, email=email, password=PASSWORD, first_name=first,
                                    last_name=last, phone=phone)
    if role:
        RoleAssignment.objects.create(user=user, role=role, site=site)
    return user


def _doc(title, name, body, city):
    today = timezone.localdate()
    return render_pdf("demo-document.typ", {"title": title, "name": name, "body": body, "place": city,
                                            "date": fmt_date(today)})


class DemoBuilder:
    def __init__(self, log=print):
        self.log = log
        self.today = timezone.localdate()

    # --- master data ---------------------------------------------------------------------------------

    def master_data(self):
        self.scheme = load_scheme(read_scheme_file(FIXTURES / "scheme-junior-web-developer.json"))
        self.cluster = load_scheme(read_scheme_file(FIXTURES / "scheme-klaster-pemrograman.json"))
        self.admin = _user(f"admin@{DOMAIN}", "Sari", "Puspitasari", Role.ADMIN, phone="0812-2000-1001")
        self.admin.is_staff = self.admin.is_superuser = True  # may also use the Django admin
        self.admin.save()
        self.lead = _user(f"lead@{DOMAIN}", "Maya", "Sari", Role.LEAD_ASSESSOR)
        self.committee = _user(f"komite@{DOMAIN}", "Ani", "Wijayanti", Role.COMMITTEE)
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
        sites.verify_site(self.site, self.admin, items=facilities, verified_until=self.today + dt.timedelta(days=365),
                          scheme_ids=[self.scheme.pk, self.cluster.pk], note="Visitasi tahunan")
        sites.verify_site(self.workplace, self.admin, items=facilities,
                          verified_until=self.today + dt.timedelta(days=180), scheme_ids=[self.scheme.pk])

        self.assessor = self._assessor(f"asesor@{DOMAIN}", "Dewi", "Lestari", "MET.000.004512 2019",
                                       700, "PT Solusi Web", [self.scheme, self.cluster])
        self.assessor2 = self._assessor(f"asesor2@{DOMAIN}", "Agus", "Pratama", "MET.000.007731 2020",
                                        400, "Politeknik Negeri Bandung", [self.scheme])
        self._assessor(f"asesor3@{DOMAIN}", "Rina", "Kusuma", "MET.000.002210 2018", -30,
                       "PT Kode Cerdas", [self.scheme])  # registration expired: refused on assignment

    def _assessor(self, email, first, last, met, valid_days, employer, schemes):
        user = _user(email, first, last, Role.ASSESSOR)
        a = Assessor.objects.create(user=user, met_number=met, employer=employer,
                                    registration_valid_until=self.today + dt.timedelta(days=valid_days))
        a.schemes.set(schemes)
        return a

    # --- events ----------------------------------------------------------------------------------------

    def _at(self, days, hour):
        d = self.today + dt.timedelta(days=days)
        return timezone.make_aware(dt.datetime(d.year, d.month, d.day, hour, 0))

    def event(self, days, quota, assessors, title, *, publish=True, plan=True, resources=True):
        ev = events.create_event(self.admin, scheme=self.scheme, starts_at=self._at(days, 8),
                                 ends_at=self._at(days, 16), quota=quota, title=title)
        events.designate_site(ev, self.admin, self.site)
        for a in assessors:
            events.assign_assessor(ev, self.admin, a)
        if publish:
            for item in FeasibilityItem.values:
                events.record_feasibility(ev, self.admin, item=item, ok=True, note="")
            events.publish_event(ev, self.admin)
        if plan:
            assess.submit_plan(ev, assessors[0].user, data=self.plan_data(ev))
            assess.approve_plan(ev, self.lead)
        if resources:
            assess.check_resources(ev, self.head, items={code: True for code, _l in W.RESOURCE_ITEMS},
                                   note="TUK, komputer, dan jaringan siap.")
        ev.refresh_from_db()
        return ev

    def plan_data(self, ev):
        forms = set(ev.scheme.instruments.values_list("form", flat=True))
        methods = {"observasi": "IA.01"} if "IA.01" in forms else {}
        if "IA.07" in forms:
            methods["tanya_jawab"] = "IA.07"
        units = {str(u.pk): {"evidence": "Hasil praktik membangun halaman web, kode program, jawaban lisan",
                             "evidence_types": ["L", "T"], "methods": methods} for u in ev.scheme.units.all()}
        return {"mapa01": {"potensi": ["1", "3"], "purpose": "sertifikasi", "environment": ["simulasi"],
                           "opportunity": ["tersedia"], "relation": ["bukti"], "who": ["lsp"],
                           "confirm": ["manajer_lsp"], "benchmark": ["standar"],
                           "benchmark_text": "SKKNI Nomor 282 Tahun 2016", "units": units,
                           "modifications": {"karakteristik": {"has": False, "text": ""}}},
                "mapa02": {form: ["1", "3"] for form in methods.values()}}

    # --- one candidate ---------------------------------------------------------------------------------

    def candidate(self, stage, person, serial, event):
        user = _user(person.email, person.first, person.last, Role.CANDIDATE, phone=f"0813-{serial:04d}-2026")
        scheme = self.scheme
        case = cases.create_case(user, scheme)
        stop = STOP_AFTER[stage]
        full_name = f"{person.first} {person.last}"
        data = {
            "full_name": full_name, "nik": _nik(person, serial), "birth_place": person.birth_place,
            "birth_date": person.born, "sex": person.sex, "nationality": "Indonesia",
            "address": f"Jl. Merdeka No. {serial + 10}, {person.city}", "postcode": "40115",
            "phone": user.phone, "email": person.email, "education": "D3 Teknik Informatika",
            "employer": person.employer, "position": person.position,
            "office_address": f"Jl. Asia Afrika No. {serial + 1}, {person.city}" if person.employer else "",
            "office_postcode": "40111" if person.employer else "", "purpose": "sertifikasi",
        }
        if stage == "draft":  # halfway through APL.01: the home page shows what is left
            cases.save_application(case, user, {k: data[k] for k in ("full_name", "nik", "birth_place",
                                                                      "birth_date", "sex", "purpose")})
            return case
        cases.save_application(case, user, data)
        docs = {}
        for req in cases.requirements_of(scheme, needs_upload=True):
            if req.kind == Requirement.Kind.BASIC and docs.get("basic"):
                continue  # the basic requirements are alternatives: one document is enough
            title = ("Sertifikat Pelatihan Web Developer" if req.kind == Requirement.Kind.BASIC
                     else req.text.split(" yang")[0].rstrip("."))
            pdf = _doc(title, full_name, req.text, person.city)
            doc = cases.upload_document(case, user, requirement=req,
                                        file=SimpleUploadedFile(f"{title[:40]}.pdf", pdf, "application/pdf"))
            docs.setdefault("basic" if req.kind == Requirement.Kind.BASIC else req.pk, doc)
        evidence = [d.pk for d in docs.values()][:2]
        cases.save_self_assessment(case, user, {e.pk: {"answer": "K", "evidence": evidence, "note": ""}
                                                for e in cases.scheme_elements(scheme)})
        self._walk(case, user, stage, stop, event)
        return case

    def _review(self, case, outcome, note="", bad=()):
        items = [{"requirement_id": r.pk, "present": r.pk not in bad, "meets": r.pk not in bad,
                  "comment": "Foto KTP buram, tidak terbaca." if r.pk in bad else ""}
                 for r in Requirement.objects.filter(scheme=case.scheme)]
        cases.review_documents(case, self.admin, items=items, outcome=outcome, note=note)

    def _walk(self, case, user, stage, stop, event):
        cases.submit_application(case, user)
        if stop == "submit" and stage == "submitted":
            return
        if stage == "revision":
            ktp = Requirement.objects.filter(scheme=case.scheme, kind=Requirement.Kind.ADMINISTRATIVE).first()
            self._review(case, "returned", "Unggah ulang fotokopi KTP yang jelas.", bad=[ktp.pk])
            return
        if stage == "not_accepted":
            self._review(case, "not_accepted", "Persyaratan dasar tidak terpenuhi: belum ada bukti pelatihan "
                                               "atau pengalaman kerja di bidang web.")
            return
        for step in STEPS[1:]:
            getattr(self, f"step_{step}")(case, user, stage, event)
            case.refresh_from_db()
            if step == stop:
                return

    def step_accept(self, case, user, stage, event):
        self._review(case, "accepted", "Dokumen lengkap dan memenuhi syarat.")

    def step_schedule(self, case, user, stage, event):
        assessor = self.assessor if case.number[-1] in "13579" else self.assessor2
        events.schedule_case(case, self.admin, event=event, assessor=assessor)

    def step_confirm(self, case, user, stage, event):
        events.confirm_schedule(case, case.assessor.user)
        if stage != "scheduled":
            events.confirm_schedule(case, user)

    def step_agree(self, case, user, stage, event):
        a = case.assessor.user
        assess.record_consultation(case, a, notes="Menjelaskan proses, metode observasi dan tanya jawab, "
                                                  "serta hak banding. Asesi memahami.")
        assess.sign_agreement(case, a, evidence=["portofolio", "observasi", "lisan"],
                              date=timezone.localdate(event.starts_at), time="08.00–16.00",
                              site_name=event.site.name)
        assess.sign_agreement(case, user)

    def step_continue(self, case, user, stage, event):
        assess.recommend_continue(case, case.assessor.user, note="Bukti APL.02 relevan dan memadai.")

    def step_check_in(self, case, user, stage, event):
        assess.check_in(case, self.head)

    def step_assess(self, case, user, stage, event):
        bk = stage == "not_competent"
        units = list(case.scheme.units.all())
        results = {u.pk: {"methods": ["observasi", "lisan"], "result": "BK" if bk and i == len(units) - 1 else "K"}
                   for i, u in enumerate(units)}
        day = timezone.localdate(event.starts_at)
        assess.record_assessment(case, case.assessor.user, unit_results=results, started_on=day, finished_on=day,
                                 follow_up="Mengulang unit pustaka/komponen setelah latihan 3 bulan." if bk else "",
                                 comments="Asesi menunjukkan kinerja sesuai KUK." if not bk else
                                 "Belum mampu menggunakan library pre-existing sesuai kebutuhan.")

    def step_feedback(self, case, user, stage, event):
        assess.give_feedback(case, case.assessor.user, text="Struktur kode rapi dan antarmuka responsif. "
                                                            "Tingkatkan dokumentasi fungsi.")
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
        if stage == "not_competent":
            cert.decide_not_competent(case, self.committee, reason="Satu unit belum kompeten sesuai rekomendasi "
                                                                   "asesor.", meeting_ref="Rapat Pleno 12/2026")
        else:
            cert.decide_competent(case, self.committee, meeting_ref="Rapat Pleno 12/2026")

    def step_sign(self, case, user, stage, event):
        cert.sign_holder_agreement(case, user)

    def step_issue(self, case, user, stage, event):
        cert.issue_certificate(case, self.lsp_head)

    def step_enrol(self, case, user, stage, event):
        cert.enrol_surveillance(case, self.admin)

    # --- all of it --------------------------------------------------------------------------------------

    def settle_inboxes(self):
        from kompeten.core.models import Notification

        read = _settle(list(Notification.objects.order_by("-created_at", "-pk")))
        Notification.objects.filter(pk__in=read).update(read_at=timezone.now())

    def build(self):
        self.master_data()
        held = self.event(2, 20, [self.assessor, self.assessor2], "Uji Kompetensi Batch November")
        upcoming = self.event(9, 10, [self.assessor, self.assessor2], "Uji Kompetensi Batch Desember")
        # An event still being prepared: TUK designated, assessor assigned, feasibility half done.
        draft = events.create_event(self.admin, scheme=self.scheme, starts_at=self._at(30, 8),
                                    ends_at=self._at(30, 16), quota=8, title="Uji Kompetensi Batch Januari")
        events.designate_site(draft, self.admin, self.workplace)
        events.assign_assessor(draft, self.admin, self.assessor2)
        events.record_feasibility(draft, self.admin, item=FeasibilityItem.values[0], ok=True)
        assess.submit_plan(draft, self.assessor2.user, data=self.plan_data(draft))  # waits for the lead

        for serial, (stage, person) in enumerate(CANDIDATES.items(), 1):
            event = held if stage in HELD_EVENT_STAGES else upcoming
            self.candidate(stage, person, serial, event)
            self.log(f"  {person.first} {person.last}: {stage}")
        events.hold_event(held, self.admin)
        # The held event took place last week: move its dates (and the records dated by it) into the past.
        shift = dt.timedelta(days=9)
        type(held).objects.filter(pk=held.pk).update(starts_at=held.starts_at - shift, ends_at=held.ends_at - shift)
        from kompeten.assessment.models import Agreement, AssessmentRecord

        for rec in AssessmentRecord.objects.filter(case__event=held):
            AssessmentRecord.objects.filter(pk=rec.pk).update(started_on=rec.started_on - shift,
                                                              finished_on=rec.finished_on - shift)
        for agreement in Agreement.objects.filter(case__event=held):
            Agreement.objects.filter(pk=agreement.pk).update(date=agreement.date - shift)


def _settle(notifications):
    """Only the newest message about each page stays unread: the older ones were acted on long ago."""
    newest = {}
    for n in notifications:
        newest.setdefault((n.recipient_id, n.url), n.pk)
    return [n.pk for n in notifications if newest[(n.recipient_id, n.url)] != n.pk]


def demo_loaded():
    return User.objects.filter(email=f"admin@{DOMAIN}").exists()


LOGINS = [
    (f"admin@{DOMAIN}", "Admin LSP (juga akses /admin/)"),
    (f"asesor@{DOMAIN}", "Asesor — Dewi Lestari"),
    (f"asesor2@{DOMAIN}", "Asesor — Agus Pratama"),
    (f"lead@{DOMAIN}", "Lead asesor"),
    (f"ketuatuk@{DOMAIN}", "Ketua TUK Politeknik Digital Bandung"),
    (f"komite@{DOMAIN}", "Komite teknis"),
    (f"ketualsp@{DOMAIN}", "Ketua LSP"),
    ("budi@contoh.id", "Asesi — menunggu keputusan komite"),
    ("siti@contoh.id", "Asesi — perlu konfirmasi jadwal"),
    ("yusuf@contoh.id", "Asesi — perlu menandatangani persetujuan sertifikat"),
    ("sri@contoh.id", "Asesi — pemegang sertifikat, dalam surveilan"),
    ("rina@contoh.id", "Asesi — permohonan masih draf"),
]


def load_demo(log=print):
    builder = DemoBuilder(log)
    with transaction.atomic():
        builder.build()
    builder.settle_inboxes()  # notifications are delivered on commit, so only now
    return Case.objects.count()
