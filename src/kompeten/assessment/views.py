"""Thin views: parse the form, call the service, redirect with a message. Rules live in services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.assessment import day_views, pdfs, rollup, services
from kompeten.assessment import forms as F
from kompeten.assessment import wording as W
from kompeten.assessment.models import Adjustment, Agreement, Report
from kompeten.assessment.selectors import assessment_record
from kompeten.cases.selectors import get_case, is_case, self_assessment
from kompeten.cases.workflow import check, roles_for
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.inputs import get_int, get_search
from kompeten.core.models import Role
from kompeten.events.selectors import get_event
from kompeten.people.selectors import get_assessor


def _case(pk):
    return get_case(pk, "assessor__user", "event__site")


def _event(pk):
    return get_event(pk)


def _case_trail(case, label):
    return [(_("Permohonan"), None), (case.number, case.get_absolute_url()), (label, None)]


def _event_trail(event, label):
    return [(_("Jadwal uji kompetensi"), reverse("events:list")), (event.number, event.get_absolute_url()), (label, None)]


def _act(request, obj, code, form, perform, done_message):
    """Common POST handling: valid form → service → redirect to the object; a refusal keeps what was typed."""
    check(request.user, obj, code)  # wrong person → 403, wrong status → message (nothing changes)
    if request.method == "POST" and form.is_valid():
        try:
            perform(form)
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, done_message)
            return redirect(obj.get_absolute_url())
    return None


def _page(request, template, obj, title, lead, form, **extra):
    trail = (_case_trail if is_case(obj) else _event_trail)(obj, title)
    return render(request, template, {"obj": obj, "title": title, "lead": lead, "form": form, "trail": trail,
                                      **extra})


# --- S2.2 plan -----------------------------------------------------------------------------------------


@login_required
def submit_plan(request, pk):
    event = _event(pk)
    last = services.latest_plan(event)
    form = F.PlanForm(request.POST or None, event=event, initial=F.PlanForm.initial_from(last))
    done = _act(request, event, "submit_plan", form,
                lambda f: services.submit_plan(event, request.user, data=f.to_data()),
                _("Rencana asesmen diajukan untuk disetujui."))
    return done or _page(request, "assessment/plan_form.html", event, _("Rencana asesmen (FR.MAPA.01/02)"),
                         _("Isi pendekatan asesmen, rencana per unit dan peta instrumen, lalu ajukan untuk "
                           "disetujui lead asesor."), form, last=last, potensi=W.POTENSI)


@login_required
def plan_review(request, pk):
    event = _event(pk)
    plan = services.latest_plan(event)
    mine = roles_for(request.user, event)
    if not mine:
        raise NotAllowed(_("Anda tidak berhak melihat rencana asesmen jadwal ini."))
    can_review = bool(mine & {Role.ADMIN, Role.LEAD_ASSESSOR})
    form = F.ReturnPlanForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "approve":
            services.approve_plan(event, request.user)
            messages.success(request, _("Rencana asesmen disetujui."))
            return redirect(event.get_absolute_url())
        done = _act(request, event, "return_plan", form,
                    lambda f: services.return_plan(event, request.user, comments=f.cleaned_data["comments"]),
                    _("Rencana asesmen dikembalikan ke asesor."))
        if done:
            return done
    return _page(request, "assessment/plan_review.html", event, _("Tinjau rencana asesmen"),
                 _("Periksa FR.MAPA.01/02 yang diajukan asesor, lalu setujui atau kembalikan dengan catatan."), form,
                 plan=plan, versions=event.plans.select_related("submitted_by", "reviewed_by"), can_review=can_review,
                 data=pdfs.plan_data(event, plan) if plan else None,
                 coverage=services.plan_coverage(event, plan) if plan else None)


@login_required
def check_resources(request, pk):
    event = _event(pk)
    form = F.ResourceCheckForm(request.POST or None)
    done = _act(request, event, "check_resources", form,
                lambda f: services.check_resources(event, request.user, items=f.items(), note=f.cleaned_data["note"]),
                _("Pemeriksaan kesiapan tersimpan."))
    return done or _page(request, "assessment/act_form.html", event, _("Kesiapan sumber daya (S3.1)"),
                         _("Centang butir yang sudah siap. Asesi baru dapat dicatat hadir bila semua butir siap."),
                         form)


# --- S2.3 / S2.4 / S2.5 --------------------------------------------------------------------------------


@login_required
def consultation(request, pk):
    case = _case(pk)
    form = F.ConsultationForm(request.POST or None)
    done = _act(request, case, "record_consultation", form,
                lambda f: services.record_consultation(case, request.user, notes=f.cleaned_data["notes"]),
                _("Catatan konsultasi pra-asesmen tersimpan."))
    return done or _page(request, "assessment/act_form.html", case, _("Konsultasi pra-asesmen"),
                         _("Catat apa yang dijelaskan dan disepakati bersama asesi sebelum mengisi FR.AK.01."), form)


@login_required
def sign_agreement(request, pk):
    case = _case(pk)
    check(request.user, case, "sign_agreement")
    is_assessor = Role.ASSESSOR in roles_for(request.user, case)
    agreement = Agreement.objects.filter(case=case).first()
    if is_assessor:
        initial = {"site_name": case.event.site.name if case.event_id and case.event.site_id else "",
                   "date": timezone.localdate(case.event.starts_at) if case.event_id else None}
        form = F.AgreementForm(request.POST or None, initial=initial)
    else:
        form = F.CandidateSignForm(request.POST or None)

    def perform(f):
        kwargs = f.cleaned_data if is_assessor else {}
        services.sign_agreement(case, request.user, **kwargs)

    done = _act(request, case, "sign_agreement", form, perform, _("FR.AK.01 ditandatangani."))
    return done or _page(request, "assessment/agreement.html", case, _("FR.AK.01 Persetujuan Asesmen dan Kerahasiaan"),
                         _("Asesor mengisi bukti, jadwal dan TUK lalu menandatangani; asesi membaca dan "
                           "menandatangani.") if is_assessor else
                         _("Baca rencana asesmen dan pernyataan di bawah, lalu tanda tangani."),
                         form, agreement=agreement, is_assessor=is_assessor, w=W,
                         evidence_labels=[W.label(W.AK01_EVIDENCE, e) for e in (agreement.evidence if agreement else [])])


@login_required
def adjustment(request, pk):
    case = _case(pk)
    form = F.AdjustmentForm(request.POST or None)
    done = _act(request, case, "record_adjustment", form,
                lambda f: services.record_adjustment(case, request.user, data=f.to_data(),
                                                     reason=f.cleaned_data["reason"]),
                _("FR.AK.07 tersimpan."))
    return done or _page(request, "assessment/adjustment.html", case,
                         _("FR.AK.07 Ceklis Penyesuaian yang Wajar dan Beralasan"),
                         _("Isi bila asesi memerlukan penyesuaian: pilih Ya/Tidak untuk setiap karakteristik."), form,
                         previous=Adjustment.objects.filter(case=case).first())


def apl02_rows(case):
    """The candidate's APL.02 answers grouped per unit → element, with KUK and evidence documents."""
    answers = {a.element_id: a for a in self_assessment(case)}
    rows = []
    for unit in case.scheme.units.prefetch_related("elements__criteria"):
        rows.append({"unit": unit, "elements": [{"element": el, "criteria": list(el.criteria.all()),
                                                 "answer": answers.get(el.pk)} for el in unit.elements.all()]})
    return rows


@login_required
def apl02_review(request, pk):
    case = _case(pk)
    check(request.user, case, "recommend_continue")
    cont, stop = F.ContinueForm(prefix="go"), F.StopForm(prefix="stop")
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            stop = F.StopForm(request.POST, prefix="stop")
            done = _act(request, case, "recommend_stop", stop,
                        lambda f: services.recommend_stop(case, request.user, reason=f.cleaned_data["reason"],
                                                               correction_reason=f.cleaned_data["correction_reason"]),
                        _("Rekomendasi: asesmen tidak dapat dilanjutkan."))
        else:
            cont = F.ContinueForm(request.POST, prefix="go")
            done = _act(request, case, "recommend_continue", cont,
                        lambda f: services.recommend_continue(case, request.user, note=f.cleaned_data["note"],
                                                                   correction_reason=f.cleaned_data["correction_reason"]),
                        _("Rekomendasi: asesmen dapat dilanjutkan."))
        if done:
            return done
    return _page(request, "assessment/apl02_review.html", case, _("Kaji asesmen mandiri (APL.02)"),
                 _("Periksa jawaban K/BK asesi per elemen beserta buktinya, lalu beri rekomendasi."), cont,
                 stop_form=stop, rows=apl02_rows(case))


# --- S3.1 check-in ---------------------------------------------------------------------------------------


@login_required
def check_in(request, pk):
    case = _case(pk)
    form = F.CheckInForm(request.POST or None)

    def perform(f):
        services.check_in(case, request.user, present=f.cleaned_data["present"] == "1", note=f.cleaned_data["note"])

    done = _act(request, case, "check_in", form, perform, _("Kehadiran asesi tercatat."))
    ready = {"day": bool(case.event_id) and not services.day_not_come(case),
             "plan": services.plan_approved(case.event) if case.event_id else False,
             "resources": bool(case.event_id and (rc := services.latest_resource_check(case.event)) and rc.all_ok)}
    return done or _page(request, "assessment/act_form.html", case, _("Kehadiran asesi (S3.1)"),
                         _("Catat kehadiran asesi pada hari asesmen. Asesi yang tidak hadir dicatat tanpa mengubah "
                           "status."), form, ready=ready)


@login_required
def check_in_list(request, pk):
    """The attendance of the event's candidates who are ready, in one form (head of the TUK or admin)."""
    event = _event(pk)
    if not roles_for(request.user, event) & {Role.ADMIN, Role.TUK_HEAD}:
        raise NotAllowed(_("Daftar hadir hanya dapat diisi oleh Admin LSP atau Ketua TUK jadwal ini."))

    def waiting():
        return list(event.cases.filter(status="ready").select_related("candidate").order_by("number"))

    cases = waiting()
    form = F.CheckInListForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        try:
            done, errors = services.check_in_list(event, request.user, form.chosen())
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            present = sum(1 for _c, p in done if p)
            if done:
                messages.success(request, _("Kehadiran tercatat: %(present)s hadir, %(absent)s tidak hadir.")
                                 % {"present": present, "absent": len(done) - present})
            if not errors:
                return redirect(event)
            # Rows that were refused keep what was chosen, with the reason; the others start empty again.
            kept = {k: v for k, v in request.POST.items()
                    if k.rsplit("_", 1)[-1].isdigit() and int(k.rsplit("_", 1)[-1]) in errors}
            cases = waiting()
            form = F.CheckInListForm(kept, cases=cases)
            form.is_valid()
            form.add_row_errors(errors)
    absences = {}
    for att in services.absences_of(event):
        absences.setdefault(att.case_id, att)
    sample = cases[0] if cases else None
    return _page(request, "assessment/check_in_list.html", event, _("Daftar hadir asesi (S3.1)"),
                 _("Pilih Hadir atau Tidak hadir untuk setiap asesi yang siap diases, lalu simpan sekali. Baris "
                   "yang tidak dipilih tidak dicatat."), form,
                 rows=[(c, p, n, absences.get(c.pk)) for c, p, n in form.rows()],
                 blocker=services.check_in_blocker(sample) if sample else None,
                 day_blocker=services.day_not_come(sample) if sample else None)


# --- S4 ---------------------------------------------------------------------------------------------------


@login_required
def record_assessment(request, pk):
    case = _case(pk)
    # Filled from the roll-up of the day's evidence; the event's days as seen at the TUK (Asia/Jakarta).
    rolled = rollup.rollup(case)
    form = F.AssessmentForm(request.POST or None, case=case, initial=day_views.ak02_initial(case, rolled))
    done = _act(request, case, "record_assessment", form,
                lambda f: services.record_assessment(case, request.user, **f.to_kwargs()),
                _("FR.AK.02 tersimpan. Rekomendasi keseluruhan dihitung dari hasil per unit."))
    return done or _page(request, "assessment/ak02_form.html", case, _("FR.AK.02 Rekaman Asesmen Kompetensi"),
                         _("Hasil per unit diisi dari bukti perangkat asesmen. Periksa bukti di samping setiap unit "
                           "dan konfirmasi K/BK: unit K hanya bila setiap KUK-nya memiliki bukti dan tidak ada yang "
                           "BK. Rekomendasi keseluruhan K hanya bila semua unit K."), form, w=W, rolled=rolled)


@login_required
def feedback(request, pk):
    case = _case(pk)
    check(request.user, case, "give_feedback")
    is_assessor = Role.ASSESSOR in roles_for(request.user, case)
    form = (F.AssessorFeedbackForm if is_assessor else F.Ak03Form)(request.POST or None)

    def perform(f):
        kwargs = {"text": f.cleaned_data["text"]} if is_assessor else f.to_kwargs()
        services.give_feedback(case, request.user, **kwargs)

    done = _act(request, case, "give_feedback", form, perform, _("Umpan balik tersimpan."))
    title = _("Umpan balik untuk asesi") if is_assessor else _("FR.AK.03 Umpan Balik dan Catatan Asesmen")
    return done or _page(request, "assessment/feedback.html", case, title,
                         _("Tuliskan umpan balik Anda kepada asesi.") if is_assessor else
                         _("Jawab Ya atau Tidak untuk setiap komponen dan beri komentar bila perlu."),
                         form, is_assessor=is_assessor, lead_in=W.AK03_LEAD)


@login_required
def review(request, pk):
    case = _case(pk)
    form = F.ReviewForm(request.POST or None)
    done = _act(request, case, "review_assessment", form,
                lambda f: services.review_assessment(case, request.user, data=f.to_data()),
                _("FR.AK.06 tersimpan."))
    return done or _page(request, "assessment/review_form.html", case, _("FR.AK.06 Meninjau Proses Asesmen"),
                         _("Centang kesesuaian setiap tahap dengan prinsip asesmen dan dimensi kompetensi."), form,
                         w=W, item_flags=pdfs.item_flags_of_case(case))


@login_required
def report(request, pk):
    case = _case(pk)
    form = F.ReportForm(request.POST or None)
    done = _act(request, case, "submit_report", form,
                lambda f: services.submit_report(case, request.user, data=f.cleaned_data),
                _("FR.AK.05 diserahkan ke Ketua TUK."))
    record = assessment_record(case)
    return done or _page(request, "assessment/act_form.html", case, _("FR.AK.05 Laporan Asesmen"),
                         _("Hasil K/BK dan unit BK diambil dari FR.AK.02. Lengkapi catatan, lalu serahkan ke Ketua "
                           "TUK."), form, record=record, footnote=W.AK05_FOOTNOTE)


@login_required
def forward_report(request, pk):
    case = _case(pk)
    form = F.ForwardForm(request.POST or None)
    done = _act(request, case, "forward_report", form,
                lambda f: services.forward_report(case, request.user, note=f.cleaned_data["note"]),
                _("Laporan diteruskan ke LSP untuk keputusan komite."))
    return done or _page(request, "assessment/act_form.html", case, _("Teruskan laporan asesmen ke LSP"),
                         _("Periksa FR.AK.05 dari asesor, lalu teruskan ke LSP."), form,
                         report_obj=Report.objects.filter(case=case).first())


@login_required
def reports(request):
    """FR.AK.05 reports visible to the person: the heads of TUK see their TUK's, staff see all."""
    user = request.user
    qs = Report.objects.select_related("case__candidate", "case__scheme", "case__event__site", "submitted_by")
    held = user.role_set()
    if not held & {Role.ADMIN, Role.LSP_HEAD, Role.COMMITTEE, Role.LEAD_ASSESSOR}:
        if Role.TUK_HEAD in held:
            qs = qs.filter(case__event__site__role_assignments__user=user,
                           case__event__site__role_assignments__role=Role.TUK_HEAD)
        elif Role.ASSESSOR in held:
            qs = qs.filter(case__assessor__user=user)
        else:
            raise NotAllowed(_("Daftar laporan asesmen hanya untuk asesor, Ketua TUK dan staf LSP."))
    q = get_search(request)
    if q:
        qs = qs.filter(Q(case__number__icontains=q) | Q(case__candidate__first_name__icontains=q)
                       | Q(case__candidate__last_name__icontains=q) | Q(case__scheme__title__icontains=q))
    state = request.GET.get("status", "")
    if state == "waiting":
        qs = qs.filter(forwarded_at__isnull=True)
    elif state == "forwarded":
        qs = qs.filter(forwarded_at__isnull=False)
    page = Paginator(qs.order_by("-submitted_at", "-id").distinct(), 20).get_page(request.GET.get("page"))
    return render(request, "assessment/reports.html", {"page": page, "q": q, "state": state,
                                                       "trail": [(_("Laporan asesmen"), None)]})


# --- PDFs ----------------------------------------------------------------------------------------------


def _may_see_case(user, case):
    if not roles_for(user, case):
        raise NotAllowed(_("Anda tidak berhak melihat formulir permohonan ini."))


@login_required
def case_pdf(request, pk, form, version=None):
    case = _case(pk)
    _may_see_case(request.user, case)
    builder = pdfs.CASE_FORMS.get(form)
    if builder is None:
        raise NotAllowed(_("Formulir tidak dikenal."))
    # A superseded (corrected) record stays printable by its id.
    return builder(case) if version is None else builder(case, version=version)


@login_required
def event_report_pdf(request, pk, assessor_pk):
    """FR.AK.05 of one assessor for the whole event: for LSP staff, the event's TUK head and that assessor."""
    event = _event(pk)
    assessor = get_assessor(assessor_pk)
    mine = roles_for(request.user, event)
    own = Role.ASSESSOR in mine and assessor.user_id == request.user.pk
    if not (own or mine & {Role.ADMIN, Role.LSP_HEAD, Role.COMMITTEE, Role.TUK_HEAD}):
        raise NotAllowed(_("Laporan asesmen jadwal ini hanya untuk staf LSP, Ketua TUK dan asesornya."))
    return pdfs.event_ak05(event, assessor)


@login_required
def event_pdf(request, pk, form):
    event = _event(pk)
    if not roles_for(request.user, event):
        raise NotAllowed(_("Anda tidak berhak melihat rencana asesmen jadwal ini."))
    version = get_int(request, "v", max_value=32767)
    plan = (event.plans.filter(version=version).first() if version is not None
            else services.latest_plan(event))
    if plan is None:
        raise WorkflowError(_("Belum ada rencana asesmen untuk jadwal ini."))
    return pdfs.plan_pdf(event, plan, form)
