"""Thin views: parse, call the service, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompeten.cases.panels import EVENT_PANELS, act_url, render_panels
from kompeten.cases.selectors import cases_placed_or_waiting, get_case
from kompeten.cases.workflow import ACTS, CaseStatus, allowed_acts, check, next_steps, roles_for
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role
from kompeten.core.pdf import fmt_date, fmt_datetime, form_header, pdf_response, render_pdf, signature
from kompeten.core.uploads import upload_refused
from kompeten.events import forms, imports, services
from kompeten.events.models import AssessmentEvent, EventAssessor, ScheduleConfirmation
from kompeten.events.selectors import staff_events
from kompeten.people.selectors import active_assessors, assessor_of, assessors_by_ids

STAFF = {Role.ADMIN, Role.LSP_HEAD, Role.COMMITTEE, Role.LEAD_ASSESSOR}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _events_for(user):
    events = staff_events(user)  # the one rule, shared with the API (events.selectors)
    if events is None:
        raise NotAllowed(_("Daftar jadwal hanya untuk staf LSP, asesor dan Ketua TUK."))
    return events


def _event_for(user, pk):
    event = get_object_or_404(AssessmentEvent.objects.select_related("scheme", "site", "created_by"), pk=pk)
    if not roles_for(user, event):
        raise NotAllowed(_("Anda tidak terkait dengan jadwal ini."))
    return event


def _seats():
    return Count("cases", filter=~Q(cases__status=CaseStatus.WITHDRAWN), distinct=True)


@login_required
def event_list(request):
    qs = _events_for(request.user).select_related("scheme", "site").annotate(seats=_seats())
    f = forms.EventFilterForm(request.GET or None)
    if f.is_valid():
        d = f.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(number__icontains=d["q"]) | Q(title__icontains=d["q"]) | Q(scheme__title__icontains=d["q"]))
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["scheme"]:
            qs = qs.filter(scheme=d["scheme"])
        if d["site"]:
            qs = qs.filter(site=d["site"])
    page = Paginator(qs.order_by("-starts_at", "-id"), 20).get_page(request.GET.get("page"))
    return render(request, "events/list.html", {
        "page": page, "filter": f, "can_create": request.user.has_role(Role.ADMIN),
        "filtered": any(request.GET.get(k) for k in ("q", "status", "scheme", "site")),
        "trail": [(_("Jadwal uji kompetensi"), None)]})


@login_required
def event_create(request):
    if not request.user.has_role(Role.ADMIN):
        raise NotAllowed(_("Jadwal hanya dapat dibuat oleh Admin LSP."))
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(request.user, **form.cleaned_data)
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Jadwal %(n)s dibuat. Lanjutkan dengan kaji fisibilitas, TUK dan asesor.")
                             % {"n": event.number})
            return redirect(event)
    return render(request, "events/form.html", {
        "form": form, "title": _("Buat jadwal uji kompetensi"),
        "lead": _("Isi skema, waktu dan kuota. Setelah dibuat, lengkapi kaji fisibilitas sebelum diterbitkan."),
        "submit": _("Buat jadwal"),
        "trail": [(_("Jadwal uji kompetensi"), reverse("events:list")), (_("Buat jadwal"), None)]})


def _buttons(user, obj):
    out = []
    for a in allowed_acts(user, obj):
        url = act_url(a.code, obj)
        if url:
            out.append((a, url))
    return out


@login_required
def event_detail(request, pk):
    event = _event_for(request.user, pk)
    assignments = list(event.assignments.select_related("assessor__user").order_by("assigned_at"))
    cases = list(event.cases.exclude(status=CaseStatus.WITHDRAWN).select_related("candidate", "assessor__user")
                 .prefetch_related(Prefetch("schedule_confirmations",
                                            queryset=ScheduleConfirmation.objects.filter(superseded=False)))
                 .order_by("number"))
    rows, waiting = [], 0
    for c in cases:
        done = {s.party for s in c.schedule_confirmations.all()}
        pending = [p for p in ScheduleConfirmation.Party if p.value not in done] if c.status == "scheduled" else []
        waiting += bool(pending)
        rows.append({"case": c, "done": done, "pending": pending})
    mine = roles_for(request.user, event)
    is_staff = bool(mine & STAFF)
    return render(request, "events/detail.html", {
        "event": event, "assignments": assignments, "rows": rows, "waiting": waiting,
        "seats": len(cases), "feasibility": services.feasibility_rows(event),
        "publish_failures": services.publish_failures(event) if event.status == "draft" else [],
        "steps": next_steps(event), "buttons": _buttons(request.user, event), "is_staff": is_staff,
        "can_letter": is_staff or Role.ASSESSOR in mine,
        "can_import": imports.may_import(request.user, event),
        "recent_imports": imports.imports_of(event)[:5] if imports.may_see_imports(request.user, event) else [],
        "panels": render_panels(EVENT_PANELS, event, request.user),
        "log": history(event)[:30],
        "trail": [(_("Jadwal uji kompetensi"), reverse("events:list")), (event.number, None)]})


@login_required
def feasibility(request, pk):
    event = _event_for(request.user, pk)
    check(request.user, event, "record_feasibility")
    rows = services.feasibility_rows(event)
    form = forms.FeasibilityForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.record_feasibility(event, request.user, form.findings())
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, ngettext("%(n)s butir kaji fisibilitas dicatat.",
                                               "%(n)s butir kaji fisibilitas dicatat.", len(changes))
                             % {"n": len(changes)})
            return redirect("events:feasibility", pk=event.pk)
    return render(request, "events/feasibility.html", {
        "event": event, "form": form, "failures": services.publish_failures(event),
        "trail": [(_("Jadwal uji kompetensi"), reverse("events:list")), (event.number, event.get_absolute_url()),
                  (_("Kaji fisibilitas"), None)]})


def _simple_form_view(request, pk, code, form_class, call, success, *, title, lead, submit, form_kwargs=None):
    event = _event_for(request.user, pk)
    check(request.user, event, code)
    kw = form_kwargs(event) if form_kwargs else {}
    form = form_class(request.POST or None, **kw) if form_class else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            call(event, form.cleaned_data if form else {})
        except WorkflowError as exc:
            if form is None:
                raise
            form.add_workflow_errors(exc)
        else:
            messages.success(request, success)
            return redirect(event)
    return render(request, "events/form.html", {
        "form": form, "event": event, "title": title, "lead": lead, "submit": submit, "act": ACTS[code],
        "trail": [(_("Jadwal uji kompetensi"), reverse("events:list")), (event.number, event.get_absolute_url()),
                  (ACTS[code].button, None)]})


@login_required
def designate_site(request, pk):
    return _simple_form_view(
        request, pk, "designate_site", forms.DesignateSiteForm,
        lambda ev, d: services.designate_site(ev, request.user, d["site"]), _("TUK ditetapkan."),
        title=_("Menetapkan TUK"), submit=_("Tetapkan TUK"),
        lead=_("Pilih TUK yang terverifikasi pada tanggal uji dan dinyatakan layak untuk skema."),
        form_kwargs=lambda ev: {"event": ev})


@login_required
def assign_assessor(request, pk):
    return _simple_form_view(
        request, pk, "assign_assessor", forms.AssignAssessorForm,
        lambda ev, d: services.assign_assessor(ev, request.user, d["assessor"]),
        _("Asesor ditugaskan; surat tugas diberi nomor dan asesor diberi tahu."),
        title=_("Menugaskan asesor"), submit=_("Tugaskan dan terbitkan surat tugas"),
        lead=_("Hanya asesor yang terdaftar untuk skema dengan registrasi MET berlaku pada tanggal uji."),
        form_kwargs=lambda ev: {"event": ev})


@login_required
def publish_event(request, pk):
    return _simple_form_view(
        request, pk, "publish_event", None, lambda ev, d: services.publish_event(ev, request.user),
        _("Jadwal diterbitkan. Asesi yang diterima kini dapat dijadwalkan."), title=_("Menerbitkan jadwal"),
        lead=_("Jadwal hanya terbit bila setiap butir kaji fisibilitas memenuhi dan masih berlaku."),
        submit=_("Terbitkan jadwal"))


@login_required
def hold_event(request, pk):
    return _simple_form_view(
        request, pk, "hold_event", None, lambda ev, d: services.hold_event(ev, request.user),
        _("Jadwal dicatat sudah dilaksanakan."), title=_("Uji kompetensi dilaksanakan"),
        lead=_("Catat bahwa uji kompetensi pada jadwal ini sudah dilaksanakan."), submit=_("Catat dilaksanakan"))


@login_required
def close_event(request, pk):
    return _simple_form_view(
        request, pk, "close_event", None, lambda ev, d: services.close_event(ev, request.user),
        _("Jadwal ditutup."), title=_("Menutup jadwal"),
        lead=_("Tutup jadwal setelah semua laporan asesmen diserahkan."), submit=_("Tutup jadwal"))


@login_required
def cancel_event(request, pk):
    return _simple_form_view(
        request, pk, "cancel_event", forms.ReasonForm,
        lambda ev, d: services.cancel_event(ev, request.user, reason=d["reason"]),
        _("Jadwal dibatalkan; asesi yang ditempatkan kembali menunggu jadwal."), title=_("Membatalkan jadwal"),
        lead=_("Asesi yang sudah dijadwalkan kembali ke status menunggu jadwal dan diberi tahu."),
        submit=_("Batalkan jadwal"))


@login_required
def letter(request, pk):
    a = get_object_or_404(EventAssessor.objects.select_related("event__scheme", "event__site", "assessor__user",
                                                               "assigned_by"), pk=pk)
    mine = roles_for(request.user, a.event)
    if not (mine & STAFF or a.assessor.user_id == request.user.pk):
        raise NotAllowed(_("Surat tugas hanya untuk staf LSP dan asesor yang bersangkutan."))
    ev = a.event
    data = {
        "number": a.letter_number,
        "header": form_header(scheme=ev.scheme, site=ev.site, assessor=a.assessor, date=ev.starts_at),
        "assessor": {"name": a.assessor.name, "met": a.assessor.met_number, "employer": a.assessor.employer},
        "event": {"number": ev.number, "title": ev.title, "starts": fmt_datetime(ev.starts_at),
                  "ends": fmt_datetime(ev.ends_at), "quota": ev.quota},
        "site": {"name": ev.site.name if ev.site_id else "", "address": ev.site.address if ev.site_id else "",
                 "type": ev.site.get_type_display() if ev.site_id else ""},
        "issued": fmt_date(a.assigned_at),
        "signature": signature("Admin LSP", a.assigned_by.display_name, signed_at=a.assigned_at),
    }
    pdf = render_pdf("surat-tugas.typ", data)
    return pdf_response(pdf, f"surat-tugas-{a.letter_number.replace('/', '-')}.pdf")


# --- case side -------------------------------------------------------------------------------------


def _case(pk):
    return get_case(pk, "event__site", "assessor__user")


@login_required
def schedule_case(request, pk):
    case = _case(pk)
    check(request.user, case, "schedule_case")
    events = (AssessmentEvent.objects.filter(status="published", scheme=case.scheme, starts_at__gt=timezone.now())
              .select_related("site").annotate(seats=_seats()).order_by("starts_at"))
    events_list = [e for e in events if e.seats < e.quota]
    assignments = list(EventAssessor.objects.filter(event__in=events_list).select_related("assessor__user"))
    assessors = assessors_by_ids({a.assessor_id for a in assignments})
    form = forms.ScheduleForm(request.POST or None, events=AssessmentEvent.objects.filter(
        pk__in=[e.pk for e in events_list]), assessors=assessors)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_case(case, request.user, **form.cleaned_data)
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Asesi dijadwalkan. Asesi dan asesor diminta mengonfirmasi jadwal."))
            return redirect(case)
    by_event = {}
    for a in assignments:
        conflicts = services.conflicts_between(a.assessor, case)
        by_event.setdefault(a.event_id, []).append({"assessor": a.assessor, "conflicts": conflicts})
    options = [{"event": e, "left": e.quota - e.seats, "assessors": by_event.get(e.pk, [])} for e in events_list]
    return render(request, "events/schedule_case.html", {
        "case": case, "form": form, "options": options,
        "trail": [(_("Permohonan"), reverse("cases:list")), (case.number, case.get_absolute_url()),
                  (_("Menjadwalkan"), None)]})


@login_required
def confirm(request, pk):
    case = _case(pk)
    mine = roles_for(request.user, case)
    if not mine & {Role.CANDIDATE, Role.ASSESSOR} and not mine & STAFF:
        raise NotAllowed(_("Halaman ini untuk asesi dan asesor permohonan ini."))
    reason_form = forms.ReasonForm(request.POST if request.POST.get("action") == "reschedule" else None)
    if request.method == "POST":
        if request.POST.get("action") == "confirm":
            services.confirm_schedule(case, request.user)
            messages.success(request, _("Terima kasih, jadwal sudah Anda konfirmasi."))
            return redirect(case)
        if reason_form.is_valid():
            try:
                services.request_reschedule(case, request.user, reason=reason_form.cleaned_data["reason"])
            except WorkflowError as exc:
                reason_form.add_workflow_errors(exc)
            else:
                messages.success(request, _("Permintaan jadwal ulang dikirim ke Admin LSP."))
                return redirect(case)
    codes = {a.code for a in allowed_acts(request.user, case)}
    return render(request, "events/confirm.html", {
        "case": case, "event": case.event, "state": services.confirmation_state(case) if case.event_id else {},
        "can_confirm": "confirm_schedule" in codes, "can_reschedule": "request_reschedule" in codes,
        "reason_form": reason_form,
        "trail": [(case.number, case.get_absolute_url()), (_("Konfirmasi jadwal"), None)]})


@login_required
def declare_conflict(request, pk):
    event = _event_for(request.user, pk)
    check(request.user, event, "declare_conflict")
    cases = list(cases_placed_or_waiting(event))
    form = forms.ConflictForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.declare_conflict(event, request.user, case=form.cases[d["case"]], kind=d["kind"],
                                      note=d["note"], has_conflict=d["has_conflict"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Pernyataan konflik kepentingan dicatat."))
            return redirect("events:declare_conflict", pk=event.pk)
    assessor = assessor_of(request.user)
    declared = (event.conflicts.filter(assessor=assessor).select_related("case__candidate") if assessor else [])
    return render(request, "events/conflict.html", {
        "event": event, "form": form, "declared": declared,
        "trail": [(_("Jadwal uji kompetensi"), reverse("events:list")), (event.number, event.get_absolute_url()),
                  (_("Konflik kepentingan"), None)]})


@login_required
def load(request):
    if not request.user.role_set() & {Role.ADMIN, Role.LSP_HEAD}:
        raise NotAllowed(_("Beban asesor hanya untuk Admin LSP dan Ketua LSP."))
    today = timezone.localdate()
    f = forms.LoadFilterForm(request.GET or None)
    start, end = today.replace(day=1), today + dt.timedelta(days=90)
    if f.is_valid():
        start = f.cleaned_data["start"] or start
        end = f.cleaned_data["end"] or end
    in_period = Q(assignments__event__starts_at__date__gte=start, assignments__event__starts_at__date__lte=end) & ~Q(
        assignments__event__status="cancelled")
    qs = (active_assessors()
          .annotate(n_events=Count("assignments", filter=in_period, distinct=True),
                    n_cases=Count("cases", filter=Q(cases__event__starts_at__date__gte=start,
                                                    cases__event__starts_at__date__lte=end)
                                  & ~Q(cases__status=CaseStatus.WITHDRAWN), distinct=True))
          .prefetch_related(Prefetch("assignments", to_attr="upcoming", queryset=EventAssessor.objects.filter(
              event__starts_at__gte=timezone.now(), event__status__in=["draft", "published"])
              .select_related("event").order_by("event__starts_at")))
          .order_by("-n_events", "user__first_name"))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "events/load.html", {
        "page": page, "filter": f, "start": start, "end": end,
        "trail": [(_("Jadwal uji kompetensi"), reverse("events:list")), (_("Beban asesor"), None)]})


# --- importing candidates from a file (events.imports) -----------------------------------------------------


def _may_get_template(user):
    if not user.role_set() & {Role.ADMIN, Role.TUK_HEAD}:
        raise NotAllowed(_("Templat impor asesi untuk Admin LSP dan Ketua TUK."))


@login_required
def import_template(request, fmt):
    """The template of the import file, as XLSX or CSV."""
    _may_get_template(request.user)
    if fmt == "xlsx":
        response = HttpResponse(imports.template_xlsx(), content_type=XLSX)
    elif fmt == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="templat-impor-asesi.{fmt}"'
    return response


@login_required
def import_candidates(request, pk):
    """Upload a file of candidates for the event; it is checked at once and its report shown."""
    event = _event_for(request.user, pk)
    imports.check_may_import(request.user, event)
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None)
    refused = upload_refused(request)
    if refused:
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
    elif request.method == "POST" and form.is_valid():
        try:
            imp = imports.check_file(event, request.user, form.cleaned_data["file"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            return redirect(imp)
    return render(request, "events/import.html", {
        "event": event, "form": form, "columns": imports.COLUMNS, "seats_left": imports.seats_left(event),
        "past": imports.imports_of(event)[:10],
        "trail": [(_("Jadwal uji kompetensi"), reverse("events:list")), (event.number, event.get_absolute_url()),
                  (_("Impor asesi"), None)]})


def _import_for(user, pk):
    imp = imports.get_import(pk)
    if not imports.may_see_imports(user, imp.event):
        raise NotAllowed(_("Impor asesi jadwal ini hanya dapat dilihat Admin LSP dan Ketua TUK jadwal tersebut."))
    return imp


@login_required
def import_detail(request, pk):
    """The checked file: how many rows, the per-row report, and the choice to import; then the progress."""
    imp = _import_for(request.user, pk)
    event = imp.event
    checked = imp.status == imp.Status.CHECKED
    form = forms.ImportStartForm(request.POST or None, imp=imp) if checked and imp.valid_rows else None
    if request.method == "POST":
        if form is None and imp.status == imp.Status.IMPORTING:
            # "Impor" pressed twice (a double click, or on two servers at once): the import runs once; this
            # press is sent to its progress like the first.
            messages.info(request, _("Impor ini sudah berjalan di latar; kemajuannya tampil di halaman ini."))
            return redirect(imp)
        if form is None:
            raise WorkflowError(_("Berkas ini tidak dapat diimpor lagi: %(status)s.")
                                % {"status": imp.get_status_display()})
        if form.is_valid():
            try:
                imports.start_import(imp, request.user, form.cleaned_data["mode"])
            except WorkflowError as exc:
                form.add_workflow_errors(exc)
            else:
                messages.success(request, _("Impor dimulai di latar. Halaman ini memperbarui kemajuannya sendiri; "
                                            "Anda boleh meninggalkannya dan kembali nanti."))
                return redirect(imp)
    page = Paginator(imp.problems, 50).get_page(request.GET.get("page"))
    return render(request, "events/import_detail.html", {
        "imp": imp, "event": event, "form": form, "page": page, **_progress(imp),
        "may_import": imports.may_import(request.user, event), "seats_left": imports.seats_left(event),
        "trail": [(_("Jadwal uji kompetensi"), reverse("events:list")), (event.number, event.get_absolute_url()),
                  (_("Impor asesi"), reverse("events:import", args=[event.pk])), (imp.file_name or imp.pk, None)]})


def _progress(imp):
    bars = [(_("Membuat akun dan permohonan"), imp.job), (_("Mengirim undangan"), imp.invite_job)]
    running = imp.status == imp.Status.IMPORTING or (imp.invite_job is not None and not imp.invite_job.finished)
    return {"bars": bars, "polling": running}


@login_required
def import_progress(request, pk):
    """The progress of an import (both its jobs), the fragment the import page polls while it runs."""
    imp = _import_for(request.user, pk)
    return render(request, "events/includes/import_progress.html", {"imp": imp, "oob": True, **_progress(imp)})


@login_required
def import_report(request, pk):
    """The per-row report of a checked file as XLSX."""
    imp = _import_for(request.user, pk)
    response = HttpResponse(imports.report_xlsx(imp), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="laporan-impor-{imp.event.number}-{imp.pk}.xlsx"'
    return response
