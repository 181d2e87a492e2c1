"""Thin views of the BNSP blanko exchange per plenary meeting (certification.bnsp): the list of closed meetings
with their request's state, one page per meeting with the package, the acts and the registration import."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.forms import BootstrapMixin
from kompeten.core.models import Role
from kompeten.events import services as event_services

from . import bnsp
from .models import Meeting

DATE = forms.DateInput(attrs={"type": "date"})


class SentForm(BootstrapMixin, forms.Form):
    letter_number = forms.CharField(label=gettext_lazy("Nomor surat permohonan"), max_length=80)
    sent_on = forms.DateField(label=gettext_lazy("Tanggal surat dikirim"), widget=DATE)


class ReceivedForm(BootstrapMixin, forms.Form):
    received_on = forms.DateField(label=gettext_lazy("Tanggal blanko diterima"), widget=DATE)
    first_number = forms.CharField(label=gettext_lazy("Nomor blanko pertama"), max_length=60)
    last_number = forms.CharField(label=gettext_lazy("Nomor blanko terakhir"), max_length=60)


class RegistrationForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas nomor registrasi (XLSX atau CSV)"))


class ScheduleCodeForm(BootstrapMixin, forms.Form):
    event = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(label=gettext_lazy("Kode jadwal BNSP"), max_length=40)


def _viewer(request):
    if not bnsp.may_view(request.user):
        raise NotAllowed(_("Pertukaran blanko BNSP hanya untuk Admin LSP dan Ketua LSP."))


def _trail(meeting=None):
    if meeting is None:
        return [(_("Blanko BNSP"), None)]
    return [(_("Blanko BNSP"), reverse("certification:blanko_requests")), (meeting.reference, None)]


@login_required
def blanko_requests(request):
    """Every closed plenary meeting and where its blanko request stands."""
    _viewer(request)
    page = Paginator(bnsp.closed_meetings(), 20).get_page(request.GET.get("page"))
    return render(request, "certification/blanko/list.html", {"page": page, "trail": _trail()})


def _meeting(pk):
    return get_object_or_404(Meeting.objects.select_related("closed_by"), pk=pk, status=Meeting.Status.CLOSED)


@login_required
def blanko_request(request, pk):
    """GET: the meeting's sheet preview (missing data marked), the request's state and the forms of the next acts.
    POST (Admin LSP): one act, named by `act`."""
    _viewer(request)
    meeting = _meeting(pk)
    req = bnsp.request_of(meeting)
    sent_form = SentForm(initial={"sent_on": timezone.localdate()})
    received_form = ReceivedForm(initial={"received_on": timezone.localdate()})
    upload_form = RegistrationForm()
    report = None
    if request.method == "POST":
        act = request.POST.get("act", "")
        try:
            if act == "send":
                sent_form = SentForm(request.POST)
                if sent_form.is_valid():
                    bnsp.record_request_sent(meeting, request.user, **sent_form.cleaned_data)
                    messages.success(request, _("Permohonan blanko dicatat terkirim."))
                    return redirect("certification:blanko_request", pk=meeting.pk)
            elif act == "receive" and req is not None:
                received_form = ReceivedForm(request.POST)
                if received_form.is_valid():
                    bnsp.record_blanko_received(req, request.user, **received_form.cleaned_data)
                    messages.success(request, _("Blanko yang diterima dicatat."))
                    return redirect("certification:blanko_request", pk=meeting.pk)
            elif act == "assign" and req is not None:
                given = bnsp.assign_blanko_numbers(req, request.user)
                messages.success(request, _("%(n)s sertifikat diberi nomor blanko.") % {"n": len(given)})
                return redirect("certification:blanko_request", pk=meeting.pk)
            elif act == "import" and req is not None:
                upload_form = RegistrationForm(request.POST, request.FILES)
                if upload_form.is_valid():
                    report = bnsp.import_registration_numbers(req, request.user, upload_form.cleaned_data["file"])
                    messages.success(request, _("%(u)s nomor registrasi dicatat, %(s)s sudah sama, %(x)s baris "
                                                "tidak cocok.") % {"u": len(report["updated"]),
                                                                   "s": len(report["unchanged"]),
                                                                   "x": len(report["unmatched"])})
            elif act == "schedule_code":
                form = ScheduleCodeForm(request.POST)
                events = {r["case"].event_id: r["case"].event for r in bnsp.sheet_rows(meeting) if r["case"].event_id}
                if form.is_valid() and form.cleaned_data["event"] in events:
                    event = events[form.cleaned_data["event"]]
                    event_services.record_bnsp_schedule_code(event, request.user, form.cleaned_data["code"])
                    messages.success(request, _("Kode jadwal BNSP dicatat."))
                    return redirect("certification:blanko_request", pk=meeting.pk)
                messages.error(request, _("Isi kode jadwal untuk jadwal dari rapat ini."))
            else:
                messages.error(request, _("Tindakan tidak dikenal atau belum dapat dilakukan."))
        except WorkflowError as exc:
            for form in (sent_form, received_form, upload_form):
                if form.is_bound:
                    form.add_workflow_errors(exc)
                    break
            else:
                messages.error(request, exc.message)
        if report is None and not any(f.is_bound for f in (sent_form, received_form, upload_form)):
            return redirect("certification:blanko_request", pk=meeting.pk)
        req = bnsp.request_of(meeting)
    rows = bnsp.sheet_rows(meeting)
    events = {}
    for r in rows:
        if r["case"].event_id:
            events.setdefault(r["case"].event_id, r["case"].event)
    certificates = list(bnsp.certificates_of(meeting))
    return render(request, "certification/blanko/detail.html", {
        "meeting": meeting, "req": req, "columns": bnsp.SHEET_COLUMNS,
        "rows": [{"no": r["No"], "name": r["Nama Asesi"], "result": r["K/BK"], "missing": r["missing"],
                  "case": r["case"]} for r in rows],
        "incomplete": sum(1 for r in rows if r["missing"]), "events": events.values(),
        "certificates": certificates, "without_blanko": sum(1 for c in certificates if not c.blanko_number),
        "without_registration": sum(1 for c in certificates if not c.bnsp_registration_number),
        "range_size": len(bnsp.numbers_in(req)) if req and req.first_number else 0,
        "sent_form": sent_form, "received_form": received_form, "upload_form": upload_form, "report": report,
        "can_act": request.user.has_role(Role.ADMIN), "entries": history(req)[:20] if req else [],
        "trail": _trail(meeting),
    })


def _download(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def blanko_package(request, pk):
    """The request package: the sheet, the minutes and the decision letter in one ZIP."""
    _viewer(request)
    meeting = _meeting(pk)
    return _download(bnsp.package_zip(meeting, request.user), f"paket-blanko-{meeting.pk}.zip", "application/zip")


@login_required
@require_GET
def blanko_return_sheet(request, pk):
    """The sheet to fill with BNSP's registration numbers (one row per certificate of the meeting)."""
    _viewer(request)
    meeting = _meeting(pk)
    return _download(bnsp.return_xlsx(meeting), f"nomor-registrasi-{meeting.pk}.xlsx", bnsp.XLSX)
