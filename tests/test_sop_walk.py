"""The SOP walk: one candidate through every step of DOMAIN.md §2, S1.1 → S5.3, through the screens.

At each step the right person (candidate, admin, assessor, lead assessor, head of the TUK, committee member,
LSP head) GETs the act's page and POSTs its form with the Django test client. Before each step, a wrong person
and a wrong moment (the next step's act too early, or a finished act repeated) are tried: both are refused with
a clear message and change nothing (status and number of action-log entries). After each step the case page
renders for the right person with the current status label and a longer action log.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kompeten.assessment.selectors import assessment_record
from kompeten.cases.models import Case
from kompeten.catalog.models import Requirement
from kompeten.core.models import Role, RoleAssignment
from kompeten.events.models import AssessmentEvent
from kompeten.sites.models import FacilityItem, Site
from tests.cases.helpers import APPLICATION
from tests.conftest import make_user
from tests.timetravel import on_event_day
from tests.walk_helpers import ROLE_WORDS, STATUS_WORDS, Browser, ia01, in_days, pdf_file, state, text

pytestmark = pytest.mark.django_db

CERT_NUMBER = re.compile(r"^CERT/LSP-[A-Z0-9]+/[A-Z0-9]+/\d{4}/\d{5}$")


def url(name, *args):
    return reverse(name, args=args)


class Walk:
    """The people, the objects created along the way, and one method per SOP step (in SOP order)."""

    def __init__(self, client, *, scheme, site, admin, candidate, assessor, other_assessor, tuk_head, committee,
                 lsp_head, lead_assessor):
        self.b = Browser(client)
        self.scheme, self.site = scheme, site
        self.admin, self.candidate, self.assessor = admin, candidate, assessor
        self.other_assessor, self.tuk_head, self.committee = other_assessor, tuk_head, committee
        self.lsp_head, self.lead = lsp_head, lead_assessor
        self.case = None
        self.event = None
        self.log_seen = 0  # the newest action-log entry the case page showed last time
        self.clock = None  # from S3.1 on, the clock stands on the event day (tests.timetravel)

    # --- helpers ------------------------------------------------------------------------------------

    def c(self, name):
        return url(name, self.case.pk)

    def e(self, name):
        return url(name, self.event.pk)

    def case_page(self, user, *must_show, grew=True):
        """The case page renders for `user`, shows the current status label and (after an act, grew=True)
        a longer action log than last time. Before an act it shows the person's button (must_show URLs)."""
        self.case.refresh_from_db()
        resp = self.b.get(user, self.c("cases:detail"))
        assert resp.status_code == 200
        body = text(resp)
        assert str(self.case.get_status_display()) in body, self.case.status
        for t in must_show:
            assert t in body, t
        # The log on the page is newest first: after an act its top entry is a new one.
        newest = resp.context["entries"][0].pk
        assert newest > self.log_seen if grew else newest == self.log_seen, (self.case.status, newest)
        self.log_seen = newest
        return body

    def status_is(self, status):
        self.case.refresh_from_db()
        assert self.case.status == status

    # --- S1 ------------------------------------------------------------------------------------------

    def s1_1_brochure(self):
        """The admin has published the scheme; anyone reads its brochure and finds how to apply."""
        resp = self.b.get(None, url("catalog:scheme", self.scheme.code))
        body = text(resp)
        assert resp.status_code == 200 and self.scheme.title in body and "Ajukan permohonan" in body
        req = Requirement.objects.filter(scheme=self.scheme).first()
        assert req.text in body
        assert self.scheme.units.first().code in body
        # Nobody applies without an account: the start page sends an anonymous visitor to log in.
        resp = self.b.get(None, url("cases:start", self.scheme.code))
        assert resp.status_code == 302 and reverse("login") in resp.url
        assert not Case.objects.exists()

    def s1_2_apply(self):
        """Candidate: opens a draft from the brochure, fills APL.01, uploads, answers APL.02, submits."""
        start = url("cases:start", self.scheme.code)
        self.b.page(self.candidate, start, "Tujuan asesmen")
        resp = self.b.post(self.candidate, start, {"purpose": "sertifikasi"})
        self.case = Case.objects.get(candidate=self.candidate)
        assert resp.status_code == 302 and resp.url == self.c("cases:apl01")
        self.status_is("draft")
        objs = [self.case]
        # wrong person: the admin cannot fill the candidate's APL.01
        self.b.wrong_role(self.admin, self.c("cases:apl01"), {"full_name": "Admin"}, objs=objs,
                          says="hanya untuk asesi pemilik permohonan")
        # wrong moment: the admin's document review of a draft; submitting an incomplete file
        self.b.refused(self.admin, self.c("cases:review"), self._review_post(), objs=objs, status=(200,),
                       says="kaji dokumen hanya untuk permohonan yang menunggu kaji dokumen")
        self.b.refused(self.candidate, self.c("cases:submit"), objs=objs, status=(200,),
                       says="belum dapat dikirim")
        # FR.APL.01
        self.b.page(self.candidate, self.c("cases:apl01"), "NIK")
        data = {k: ("" if v is None else v) for k, v in APPLICATION.items()}
        data["birth_date"] = APPLICATION["birth_date"].isoformat()
        resp = self.b.post(self.candidate, self.c("cases:apl01"), {**data, "next": "1"})
        assert resp.status_code == 302 and resp.url == self.c("cases:documents")
        # documents, one per requirement that needs an upload
        self.b.page(self.candidate, self.c("cases:documents"))
        for req in Requirement.objects.filter(scheme=self.scheme, needs_upload=True):
            self.b.done(self.candidate, self.c("cases:documents"),
                        {"requirement": req.pk, "title": f"Bukti {req.pk}", "file": pdf_file(f"r{req.pk}.pdf")})
        # FR.APL.02: K for every element, with the first document as evidence
        resp = self.b.page(self.candidate, self.c("cases:apl02"), "Dapatkah saya")
        form = resp.context["form"]
        doc_pk = form.fields[f"evidence_{form.elements[0].pk}"].choices[0][0]
        answers = {}
        for el in form.elements:
            answers[f"answer_{el.pk}"] = "K"
            answers[f"evidence_{el.pk}"] = [doc_pk]
        resp = self.b.post(self.candidate, self.c("cases:apl02"), {**answers, "next": "1"})
        assert resp.status_code == 302 and resp.url == self.c("cases:submit")
        # submit
        self.b.page(self.candidate, self.c("cases:submit"))
        self.b.done(self.candidate, self.c("cases:submit"), objs=objs)
        self.status_is("submitted")
        self.case_page(self.candidate, self.case.number)

    # --- S2.1 ------------------------------------------------------------------------------------------

    def _review_post(self):
        data = {f"check_{r.pk}": "meets" for r in Requirement.objects.filter(scheme=self.scheme)}
        return {**data, "outcome": "accepted", "note": ""}

    def s2_1_document_review(self):
        """Admin: reviews the file (FR.APL.01 Bagian 3) and accepts it."""
        objs = [self.case]
        review = self.c("cases:review")
        self.b.wrong_role(self.candidate, review, self._review_post(), objs=objs, says="hanya dilakukan oleh Admin")
        self.b.wrong_role(self.assessor.user, review, self._review_post(), objs=objs,
                          says="hanya dilakukan oleh Admin")
        # wrong moment: scheduling before the documents are accepted; submitting twice
        self.b.wrong_status(self.admin, self.c("events:schedule_case"), objs=objs, method="get")
        resp = self.b.refused(self.candidate, self.c("cases:submit"), objs=objs, status=(200,), says=STATUS_WORDS)
        assert "lengkapi dulu" not in text(resp)
        self.case_page(self.admin, review, grew=False)  # the admin's button to the review
        self.b.page(self.admin, review, APPLICATION["full_name"])
        self.b.done(self.admin, review, self._review_post(), objs=objs)
        self.status_is("accepted")
        self.case_page(self.candidate)

    # --- S1.3 – S1.6 (the event) ----------------------------------------------------------------------------

    def s1_3_event_and_feasibility(self):
        """Admin: creates the event, records the feasibility review (the TUK and assessor items follow them)."""
        create = url("events:create")
        starts, ends = in_days(14, 8), in_days(14, 16)
        data = {"scheme": self.scheme.pk, "title": "Uji Kompetensi Batch Walk", "quota": 10,
                "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "ends_at": ends.strftime("%Y-%m-%dT%H:%M")}
        for who in (self.candidate, self.assessor.user):
            resp = self.b.post(who, create, data)
            assert resp.status_code == 403 and "hanya dapat dibuat oleh Admin" in text(resp)
        assert not AssessmentEvent.objects.exists()
        self.b.page(self.admin, create, "Kuota")
        resp = self.b.post(self.admin, create, data)
        self.event = AssessmentEvent.objects.get()
        assert resp.status_code == 302 and resp.url == self.event.get_absolute_url()
        assert self.event.status == "draft"
        objs = [self.event]
        feas = self.e("events:feasibility")
        self.b.wrong_role(self.tuk_head, feas, {"ok_scheme": "1"}, objs=objs, says="tidak terkait")
        # wrong moment: publishing before the review; "assessors available" before any is assigned
        self.b.wrong_status(self.admin, self.e("events:publish"), objs=objs, says="belum dapat diterbitkan")
        self.b.refused(self.admin, feas, {"ok_assessors": "1"}, objs=objs, status=(200,),
                       says="belum dapat dinyatakan memenuhi")
        self.b.page(self.admin, feas)
        for item in ("scheme", "tools", "quota"):
            self.b.done(self.admin, feas, {f"ok_{item}": "1", f"note_{item}": ""}, objs=objs)
        resp = self.b.get(self.admin, self.event.get_absolute_url())
        assert resp.status_code == 200 and "Kaji fisibilitas" in text(resp)

    def s1_4_tuk(self):
        """Admin: verifies the TUK (a visit) and designates it for the event."""
        verify = url("sites:verify", self.site.pk)
        post = {f"ok_{code}": "1" for code in FacilityItem.values}
        post.update({"verified_until": (timezone.localdate() + timezone.timedelta(days=365)).isoformat(),
                     "schemes": [self.scheme.pk], "note": "Kunjungan verifikasi"})
        self.b.wrong_role(self.tuk_head, verify, post, objs=[self.event], says=ROLE_WORDS)
        assert not self.site.verifications.exists()
        designate = self.e("events:designate_site")
        # wrong moment: designating the TUK before it is verified (it is not offered; the form says so)
        resp = self.b.refused(self.admin, designate, {"site": self.site.pk}, objs=[self.event], status=(200,),
                              says="belum dinyatakan layak untuk skema")
        assert resp.context["form"].errors.get("site")
        self.b.page(self.admin, verify, "Verifikasi")
        resp = self.b.post(self.admin, verify, post)
        assert resp.status_code == 302
        self.site.refresh_from_db()
        assert self.site.is_verified() and self.site.verifications.get().passed
        # an unfit TUK is refused next to the field; the verified one is designated
        other = Site.objects.create(code="TUK-009", name="TUK Belum Layak", type=Site.Type.SEWAKTU, address="x")
        self.b.refused(self.admin, designate, {"site": other.pk}, objs=[self.event], status=(200,),
                       says="belum dinyatakan layak untuk skema")
        self.b.wrong_role(self.candidate, designate, {"site": self.site.pk}, objs=[self.event],
                          says="tidak terkait")
        self.b.page(self.admin, designate, self.site.name)
        self.b.done(self.admin, designate, {"site": self.site.pk}, objs=[self.event])
        self.event.refresh_from_db()
        assert self.event.site_id == self.site.pk
        self.b.done(self.admin, self.e("events:feasibility"), {"ok_site": "1"}, objs=[self.event])

    def s1_5_assessor(self):
        """Admin: assigns the assessor (surat tugas); the assessor downloads the letter."""
        assign = self.e("events:assign_assessor")
        objs = [self.event]
        self.b.wrong_role(self.assessor.user, assign, {"assessor": self.assessor.pk}, objs=objs)
        self.b.wrong_role(self.tuk_head, assign, {"assessor": self.assessor.pk}, objs=objs, says=ROLE_WORDS)
        self.b.page(self.admin, assign, self.assessor.user.display_name)
        self.b.done(self.admin, assign, {"assessor": self.assessor.pk}, objs=objs)
        self.b.refused(self.admin, assign, {"assessor": self.assessor.pk}, objs=objs, status=(200,),  # twice
                       says="sudah ditugaskan pada jadwal ini")
        letter = url("events:letter", self.event.assignments.get().pk)
        resp = self.b.get(self.assessor.user, letter)
        assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
        assert resp.content.startswith(b"%PDF") and len(resp.content) > 1000
        assert self.b.get(self.other_assessor.user, letter).status_code == 403
        self.b.done(self.admin, self.e("events:feasibility"), {"ok_assessors": "1"}, objs=objs)

    def publish(self):
        """Admin: publishes the event once every feasibility item is met."""
        publish = self.e("events:publish")
        objs = [self.event]
        self.b.wrong_role(self.assessor.user, publish, objs=objs)
        self.b.page(self.admin, publish)
        self.b.done(self.admin, publish, objs=objs)
        assert state(self.event)[0] == "published"
        self.b.wrong_status(self.admin, publish, objs=objs)  # publishing twice

    def s1_6_schedule_and_confirm(self):
        """Admin: places the candidate in the event with the assessor; candidate and assessor each confirm."""
        sched = self.c("events:schedule_case")
        confirm = self.c("events:confirm")
        objs = [self.case]
        data = {"event": self.event.pk, "assessor": self.assessor.pk}
        self.b.wrong_role(self.assessor.user, sched, data, objs=objs)
        self.b.wrong_role(self.candidate, sched, data, objs=objs)
        self.case_page(self.admin, sched, grew=False)
        self.b.page(self.admin, sched, self.event.number)
        self.b.done(self.admin, sched, data, objs=objs)
        self.status_is("scheduled")
        self.case_page(self.candidate, confirm)
        # wrong person: the head of the TUK, another assessor; wrong moment: signing FR.AK.01 already
        self.b.wrong_role(self.tuk_head, confirm, {"action": "confirm"}, objs=objs, says="untuk asesi dan asesor")
        self.b.wrong_role(self.other_assessor.user, confirm, {"action": "confirm"}, objs=objs,
                          says="untuk asesi dan asesor")
        self.b.wrong_status(self.assessor.user, self.c("assessment:sign_agreement"), objs=objs, method="get")
        self.b.page(self.candidate, confirm, "Saya konfirmasi")
        self.b.done(self.candidate, confirm, {"action": "confirm"}, objs=objs)
        self.status_is("scheduled")
        self.b.page(self.assessor.user, confirm)
        self.b.done(self.assessor.user, confirm, {"action": "confirm"}, objs=objs)
        self.status_is("confirmed")
        self.b.wrong_status(self.candidate, confirm, {"action": "confirm"}, objs=objs)  # confirming again
        self.case_page(self.assessor.user)

    # --- S2.2 – S2.5 ---------------------------------------------------------------------------------------

    def _plan_post(self):
        post = {"potensi": ["1"], "purpose": "sertifikasi", "benchmark": ["standar"]}
        for u in self.scheme.units.all():
            post.update({f"u{u.pk}_evidence": "Kode program dan hasil uji", f"u{u.pk}_types": ["L"],
                         f"u{u.pk}_versions": [ia01(u.scheme)]})
        for k in ["karakteristik", "kontekstualisasi", "saran", "penyesuaian", "integrasi"]:
            post[f"mod_{k}"] = "0"
        post["map_IA.01"] = ["1"]
        return post

    def s2_2_plan(self):
        """Assessor: submits FR.MAPA.01/02; the lead assessor approves it."""
        from kompeten.assessment.services import plan_approved

        submit = self.e("assessment:submit_plan")
        review = self.e("assessment:plan_review")
        objs = [self.event, self.case]
        self.b.wrong_role(self.candidate, submit, self._plan_post(), objs=objs)
        self.b.wrong_role(self.other_assessor.user, submit, self._plan_post(), objs=objs)
        # wrong moment: approving when nothing was submitted
        self.b.wrong_status(self.lead, review, {"action": "approve"}, objs=objs,
                            says="Tidak ada rencana asesmen yang menunggu persetujuan")
        self.b.page(self.assessor.user, submit, "FR.MAPA.01")
        self.b.done(self.assessor.user, submit, self._plan_post(), objs=[self.event])
        # the assessor may read the plan but not approve it
        self.b.wrong_role(self.assessor.user, review, {"action": "approve"}, objs=objs)
        self.b.page(self.lead, review, "Setujui")
        self.b.done(self.lead, review, {"action": "approve"}, objs=[self.event])
        assert plan_approved(self.event)
        self.b.wrong_status(self.lead, review, {"action": "approve"}, objs=objs,  # approving twice
                            says="Tidak ada rencana asesmen yang menunggu persetujuan")

    def s2_3_consultation_and_ak01(self):
        """Assessor: records the consultation and signs FR.AK.01 first; then the candidate signs."""
        consult = self.c("assessment:consultation")
        ak01 = self.c("assessment:sign_agreement")
        objs = [self.case]
        self.b.wrong_role(self.candidate, consult, {"notes": "x"}, objs=objs)
        self.b.wrong_role(self.other_assessor.user, consult, {"notes": "x"}, objs=objs)
        # wrong moment: the APL.02 review needs the agreement first; the candidate cannot sign before the assessor
        self.b.wrong_status(self.assessor.user, self.c("assessment:apl02_review"), {"action": "continue"},
                            objs=objs)
        self.b.refused(self.candidate, ak01, {"agree": "on"}, objs=objs, status=(200,), says="Asesor belum mengisi")
        self.case_page(self.assessor.user, consult, ak01, grew=False)
        self.b.page(self.assessor.user, consult)
        self.b.done(self.assessor.user, consult, {"notes": "Proses, metode, bukti dan hak banding dijelaskan."},
                    objs=objs)
        self.b.page(self.assessor.user, ak01, "FR.AK.01")
        self.b.done(self.assessor.user, ak01, {"evidence": ["portofolio", "observasi"],
                                               "date": self.event.starts_at.date().isoformat(),
                                               "time": "08.00–16.00 WIB", "site_name": self.site.name}, objs=objs)
        self.status_is("confirmed")
        self.b.page(self.candidate, ak01, 'name="agree"')
        self.b.done(self.candidate, ak01, {"agree": "on"}, objs=objs)
        self.status_is("agreed")
        self.b.wrong_status(self.candidate, ak01, {"agree": "on"}, objs=objs)  # signing again
        self.case_page(self.candidate)

    def s2_4_ak07(self):
        """Assessor: records the reasonable adjustment (FR.AK.07)."""
        ak07 = self.c("assessment:adjustment")
        objs = [self.case]
        post = {"potensi": ["3"], **{f"char_{i}": "0" for i in range(8)}}
        post.update({"char_0": "1", "char_0_options": ["1"], "res_result": "Instruksi lisan dengan gambar"})
        self.b.wrong_role(self.candidate, ak07, post, objs=objs)
        self.b.wrong_role(self.tuk_head, ak07, post, objs=objs)
        # wrong moment: the assessment record (AK.02) long before the check-in
        self.b.wrong_status(self.assessor.user, self.c("assessment:record_assessment"), objs=objs, method="get")
        self.b.page(self.assessor.user, ak07, "FR.AK.07")
        self.b.done(self.assessor.user, ak07, post, objs=objs)
        self.status_is("agreed")
        self.case_page(self.assessor.user)

    def s2_5_apl02_review(self):
        """Assessor: reviews APL.02 and recommends that the assessment goes ahead."""
        page = self.c("assessment:apl02_review")
        objs = [self.case]
        self.b.wrong_role(self.candidate, page, {"action": "continue", "go-note": "x"}, objs=objs)
        self.b.wrong_role(self.other_assessor.user, page, {"action": "continue"}, objs=objs)
        # wrong moment: checking the candidate in before the recommendation
        self.b.wrong_status(self.tuk_head, self.c("assessment:check_in"), {"present": "1"}, objs=objs)
        self.b.page(self.assessor.user, page, self.scheme.units.first().code)
        self.b.done(self.assessor.user, page, {"action": "continue", "go-note": "Bukti memadai"}, objs=objs)
        self.status_is("ready")
        # FR.AK.07 and the agreement are closed once the recommendation is given
        self.b.wrong_status(self.assessor.user, self.c("assessment:adjustment"), objs=objs, method="get")
        self.case_page(self.assessor.user)

    # --- S3 ---------------------------------------------------------------------------------------------------

    def s3_1_resources_and_check_in(self):
        """Head of the TUK: checks the resources on the event, then checks the candidate in."""
        resources = self.e("assessment:check_resources")
        check_in = self.c("assessment:check_in")
        all_ok = {f"item_{k}": "on" for k in ["tuk", "assessors", "equipment", "candidates", "instruments"]}
        self.b.wrong_role(self.candidate, resources, all_ok, objs=[self.event, self.case])
        self.b.wrong_role(self.assessor.user, resources, all_ok, objs=[self.event, self.case])
        self.b.wrong_role(self.candidate, check_in, {"present": "1"}, objs=[self.case])
        # wrong moment: checking in days before the event (refused); then the clock goes to the event day
        self.b.refused(self.tuk_head, check_in, {"present": "1"}, objs=[self.case], status=(200,),
                       says="pada hari uji kompetensi")
        self.clock = on_event_day(self.event)
        self.clock.start()
        # wrong moment: checking in before the resources are checked
        self.b.refused(self.tuk_head, check_in, {"present": "1"}, objs=[self.case], status=(200,),
                       says="belum diperiksa lengkap")
        self.b.page(self.tuk_head, resources)
        self.b.done(self.tuk_head, resources, all_ok, objs=[self.event])
        self.case_page(self.tuk_head, check_in, grew=False)
        self.b.page(self.tuk_head, check_in, "Hadir")
        self.b.done(self.tuk_head, check_in, {"present": "1", "note": ""}, objs=[self.case])
        self.status_is("in_assessment")
        self.b.wrong_status(self.tuk_head, check_in, {"present": "1"}, objs=[self.case])  # twice
        self.case_page(self.tuk_head)

    def s3_2_s4_2_s4_3_ak02(self):
        """Assessor: records the assessment (FR.AK.02) with K for every unit."""
        ak02 = self.c("assessment:record_assessment")
        objs = [self.case]
        units = list(self.scheme.units.all())
        day = self.event.starts_at.date().isoformat()
        post = {"started_on": day, "finished_on": day, "comments": "Asesi menguasai seluruh unit."}
        for u in units:
            post.update({f"u{u.pk}_methods": ["observasi", "lisan"], f"u{u.pk}_result": "K"})
        self.b.wrong_role(self.other_assessor.user, ak02, post, objs=objs)
        self.b.wrong_role(self.candidate, ak02, post, objs=objs)
        # wrong moment: the AK.06 review before the record exists
        self.b.wrong_status(self.assessor.user, self.c("assessment:review"), {"dimensions": ["task"]}, objs=objs)
        # bad data: a unit without K/BK keeps what was typed and saves nothing
        partial = {k: v for k, v in post.items() if not k.startswith(f"u{units[-1].pk}_")}
        self.b.refused(self.assessor.user, ak02, partial, objs=objs, status=(200,), says=units[-1].code)
        # K against the evidence is refused: nothing is observed yet, the message names the KUK.
        self.b.refused(self.assessor.user, ak02, post, objs=objs, status=(200,), says="belum ada bukti")
        # On the phone, the assessor ticks the plan's observation checklist (FR.IA.01), one tap per item.
        from kompeten.assessment import observation

        day_page = self.c("assessment:day")
        resp = self.b.get(self.assessor.user, day_page)
        assert resp.status_code == 200 and "FR.IA.01" in text(resp)
        save = self.c("assessment:save_item")
        version = next(v for v in observation.plan_versions(self.case) if v.instrument.form == "IA.01")
        for item in version.items.all():
            resp = self.b.post(self.assessor.user, save, {"item": item.pk, "result": "K"}, HTTP_HX_REQUEST="true")
            assert resp.status_code == 200, resp
        self.b.page(self.assessor.user, ak02, "FR.AK.02", units[0].code)
        self.b.done(self.assessor.user, ak02, post, objs=objs)
        self.status_is("assessed")
        assert assessment_record(self.case).overall == "K"
        self.case_page(self.assessor.user)

    # --- S4 ---------------------------------------------------------------------------------------------------

    def s4_1_feedback(self):
        """Assessor gives feedback; the candidate fills FR.AK.03."""
        fb = self.c("assessment:feedback")
        objs = [self.case]
        self.b.wrong_role(self.tuk_head, fb, {"text": "x"}, objs=objs)
        self.b.wrong_role(self.other_assessor.user, fb, {"text": "x"}, objs=objs)
        self.b.page(self.assessor.user, fb)
        self.b.done(self.assessor.user, fb, {"text": "Semua unit kompeten; perdalam pengujian otomatis."},
                    objs=objs)
        self.b.refused(self.assessor.user, fb, {"text": "lagi"}, objs=objs, status=(200,),  # twice
                       says="sudah memberi umpan balik")
        self.b.page(self.candidate, fb, "FR.AK.03")
        self.b.done(self.candidate, fb, {**{f"q{i}_yes": "1" for i in range(10)}, "sign_ak02": "on"}, objs=objs)
        self.status_is("assessed")
        self.case_page(self.candidate)

    def s4_4_ak06(self):
        """Lead assessor: reviews the assessment process (FR.AK.06)."""
        ak06 = self.c("assessment:review")
        objs = [self.case]
        post = {"p_rencana": ["validitas", "adil"], "p_keputusan": ["reliabel"], "dimensions": ["task", "transfer"]}
        self.b.wrong_role(self.candidate, ak06, post, objs=objs)
        self.b.wrong_role(self.tuk_head, ak06, post, objs=objs)
        # wrong moment: the report (AK.05) before the review
        self.b.wrong_status(self.assessor.user, self.c("assessment:report"), {"aspects": "x"}, objs=objs)
        self.b.page(self.lead, ak06, "FR.AK.06")
        self.b.done(self.lead, ak06, post, objs=objs)
        self.status_is("reviewed")
        self.case_page(self.lead)

    def s4_5_report(self):
        """Assessor: hands FR.AK.05 to the head of the TUK, who forwards it to the LSP."""
        report = self.c("assessment:report")
        forward = self.c("assessment:forward_report")
        objs = [self.case]
        self.b.wrong_role(self.tuk_head, report, {"aspects": "x"}, objs=objs)
        self.b.wrong_role(self.candidate, report, {"aspects": "x"}, objs=objs)
        self.b.wrong_status(self.tuk_head, forward, {"note": ""}, objs=objs)  # nothing to forward yet
        self.b.page(self.assessor.user, report, "FR.AK.05")
        self.b.done(self.assessor.user, report, {"aspects": "Asesi siap dan terampil."}, objs=objs)
        self.status_is("reported")
        self.b.wrong_role(self.assessor.user, forward, {"note": ""}, objs=objs)
        self.case_page(self.tuk_head, forward)
        self.b.page(self.tuk_head, forward, "Asesi siap dan terampil.")
        self.b.done(self.tuk_head, forward, {"note": "Lengkap"}, objs=objs)
        self.status_is("awaiting_decision")
        self.case_page(self.tuk_head)

    # --- S5 ---------------------------------------------------------------------------------------------------

    def s5_1_decision(self):
        """Committee member (never the case's assessor): decides Kompeten."""
        decide = self.c("certification:decide")
        objs = [self.case]
        post = {"decision": "K", "meeting_ref": "BA-PLENO/2026/07", "reason": ""}
        assert Role.COMMITTEE in self.assessor.user.role_set()
        self.b.wrong_role(self.assessor.user, decide, post, objs=objs, says="pernah menjadi asesor")
        self.b.wrong_role(self.candidate, decide, post, objs=objs)
        self.b.wrong_status(self.lsp_head, self.c("certification:issue"), objs=objs)  # issuing too early
        self.case_page(self.committee, decide, grew=False)
        self.b.page(self.committee, decide, "Keputusan")
        self.b.done(self.committee, decide, post, objs=objs)
        self.status_is("competent")
        self.b.wrong_status(self.committee, decide, post, objs=objs)  # deciding twice
        self.case_page(self.candidate)

    def s5_2_agreement_and_certificate(self):
        """Candidate signs the holder agreement; the LSP head issues the certificate."""
        agreement = self.c("certification:agreement")
        issue = self.c("certification:issue")
        objs = [self.case]
        self.b.wrong_role(self.admin, agreement, {"accept": "on"}, objs=objs)
        # wrong moment: issuing before the holder signed
        self.b.wrong_status(self.lsp_head, issue, objs=objs, says="persetujuan")
        self.b.page(self.candidate, agreement, 'name="accept"')
        self.b.done(self.candidate, agreement, {"accept": "on"}, objs=objs)
        self.status_is("competent")
        self.b.wrong_role(self.candidate, issue, objs=objs)
        self.b.wrong_role(self.assessor.user, issue, objs=objs)
        self.case_page(self.lsp_head, issue)
        self.b.page(self.lsp_head, issue)
        self.b.done(self.lsp_head, issue, objs=objs)
        self.status_is("certified")
        self.b.wrong_status(self.lsp_head, issue, objs=objs)  # issuing twice
        self.case_page(self.candidate, self.case.certificate.number)

    def s5_3_surveillance(self):
        """Admin: enrols the holder in surveillance."""
        enrol = self.c("certification:enrol")
        objs = [self.case]
        self.b.wrong_role(self.lsp_head, enrol, {"first_due": ""}, objs=objs)
        self.b.wrong_role(self.candidate, enrol, {"first_due": ""}, objs=objs)
        self.case_page(self.admin, enrol, grew=False)
        self.b.page(self.admin, enrol, "surveilan")
        self.b.done(self.admin, enrol, {"first_due": ""}, objs=objs)
        self.status_is("surveillance")
        self.b.wrong_status(self.admin, enrol, {"first_due": ""}, objs=objs)  # twice
        self.case_page(self.candidate)

    def certificate(self):
        """The certificate: number format, the PDF, and the public verification page without personal data."""
        cert = self.case.certificate
        assert CERT_NUMBER.match(cert.number), cert.number
        assert cert.number.endswith(f"/{timezone.localdate().year}/00001")
        resp = self.b.get(self.candidate, url("certification:certificate_pdf", cert.pk))
        assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf" and len(resp.content) > 1000
        resp = self.b.get(None, url("certification:verify", cert.public_id))
        body = text(resp)
        assert resp.status_code == 200
        assert "Budi Santoso" in body and self.scheme.title in body and cert.number in body
        assert "berlaku" in body.lower() and "Berlaku" in body
        assert APPLICATION["nik"] not in body and APPLICATION["email"] not in body


@pytest.fixture
def walk(client, scheme, site, admin_user, candidate, assessor, tuk_head, committee, lsp_head, lead_assessor, muk):
    from kompeten.people.models import Assessor

    # The TUK has not been verified yet: S1.4 verifies it through the screen.
    Site.objects.filter(pk=site.pk).update(verified_until=None)
    site.schemes.clear()
    site.refresh_from_db()
    # The assessor also sits on the decision committee: S5.1 must refuse them on a case they assessed.
    RoleAssignment.objects.create(user=assessor.user, role=Role.COMMITTEE)
    user = make_user("asesor2", Role.ASSESSOR, first_name="Eko", last_name="Prasetyo")
    other = Assessor.objects.create(user=user, met_number="MET.000.009999 2020", employer="PT Lain",
                                    registration_valid_until=timezone.localdate() + timezone.timedelta(days=700))
    other.schemes.add(scheme)
    walk = Walk(client, scheme=scheme, site=site, admin=admin_user, candidate=candidate, assessor=assessor,
                other_assessor=other, tuk_head=tuk_head, committee=committee, lsp_head=lsp_head,
                lead_assessor=lead_assessor)
    yield walk
    if walk.clock is not None:
        walk.clock.stop()


STEPS = [
    "s1_1_brochure", "s1_2_apply", "s2_1_document_review", "s1_3_event_and_feasibility", "s1_4_tuk",
    "s1_5_assessor", "publish", "s1_6_schedule_and_confirm", "s2_2_plan", "s2_3_consultation_and_ak01",
    "s2_4_ak07", "s2_5_apl02_review", "s3_1_resources_and_check_in", "s3_2_s4_2_s4_3_ak02", "s4_1_feedback",
    "s4_4_ak06", "s4_5_report", "s5_1_decision", "s5_2_agreement_and_certificate", "s5_3_surveillance",
    "certificate",
]


def test_sop_walk_s1_1_to_s5_3(walk):
    for step in STEPS:
        getattr(walk, step)()
    assert walk.case.status == "surveillance"
