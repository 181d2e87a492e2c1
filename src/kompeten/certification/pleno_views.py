"""Thin views of the plenary meeting (S5.1) and of issuing its certificates as one job: parse, call pleno, render."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kompeten.assessment.selectors import assessor_recommendation
from kompeten.cases.selectors import get_case
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.forms import BootstrapMixin
from kompeten.core.models import Role
from kompeten.core.pdf import pdf_response

from . import bnsp, pleno
from .models import Result

VIEWERS = {Role.COMMITTEE, Role.LSP_HEAD, Role.ADMIN}


class MemberChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class OpenMeetingForm(BootstrapMixin, forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Tanggal rapat"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=gettext_lazy("Tempat"), max_length=200, required=False)
    members = MemberChoice(label=gettext_lazy("Anggota komite yang hadir"), queryset=None,
                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = pleno.committee_members()


class AttendanceForm(BootstrapMixin, forms.Form):
    members = MemberChoice(label=gettext_lazy("Anggota komite yang hadir"), queryset=None,
                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = pleno.committee_members()


class MeetingDecisionForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Keputusan"), choices=Result.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=gettext_lazy("Alasan / catatan"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=gettext_lazy("Wajib untuk Belum Kompeten; dikirim ke asesi."))


def _viewer(request):
    if not request.user.role_set() & VIEWERS:
        raise NotAllowed(_("Halaman rapat pleno hanya untuk komite teknis, Ketua LSP dan Admin LSP."))


def _trail(meeting=None):
    if meeting is None:
        return [(_("Rapat pleno"), None)]
    from django.urls import reverse

    return [(_("Rapat pleno"), reverse("certification:meetings")), (meeting.reference, None)]


@login_required
def meeting_list(request):
    _viewer(request)
    page = Paginator(pleno.meetings(), 20).get_page(request.GET.get("page"))
    return render(request, "certification/pleno/list.html", {
        "page": page, "trail": _trail(), "is_committee": Role.COMMITTEE in request.user.role_set(),
        "quorum": pleno.quorum()})


@login_required
def meeting_new(request):
    _viewer(request)
    if Role.COMMITTEE not in request.user.role_set():
        raise NotAllowed(_("Hanya anggota komite teknis yang dapat membuka rapat pleno."))
    initial = {"held_on": timezone.localdate(), "members": [request.user.pk]}
    form = OpenMeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = pleno.open_meeting(request.user, held_on=d["held_on"], place=d["place"], members=d["members"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Rapat pleno %(ref)s dibuka.") % {"ref": meeting.reference})
            return redirect(meeting)
    return render(request, "certification/pleno/new.html", {"form": form, "trail": _trail() + [
        (_("Buka rapat"), None)], "quorum": pleno.quorum()})


def _meeting(pk):
    return get_object_or_404(pleno.meetings(), pk=pk)


@login_required
def meeting_detail(request, pk):
    _viewer(request)
    meeting = _meeting(pk)
    user = request.user
    present = list(meeting.members.all())
    items = []
    for case in pleno.agenda(meeting):
        free = pleno.deciders(meeting, case)
        items.append({
            "case": case, "checklist": pleno.case_checklist(case), "recommendation": assessor_recommendation(case),
            "deciders": free, "quorum_met": len(free) >= pleno.quorum(),
            "i_may_decide": user in free, "i_assessed": case.assessed_by(user),
            "form": MeetingDecisionForm(prefix=f"c{case.pk}"),
        })
    for item in items:
        item["complete"] = all(ok for _l, ok, _d in item["checklist"])
    return render(request, "certification/pleno/detail.html", {
        "meeting": meeting, "present": present, "quorum": pleno.quorum(), "items": items,
        "decisions": pleno.decisions_in(meeting),
        "is_committee": Role.COMMITTEE in user.role_set(), "i_am_present": user in present,
        "attendance_form": AttendanceForm(initial={"members": [m.pk for m in present]}),
        "may_issue": pleno.may_issue(user) and not meeting.is_open, "job": pleno.issue_job_of(meeting),
        "entries": history(meeting)[:20], "trail": _trail(meeting), "may_blanko": bnsp.may_view(user),
    })


@login_required
@require_POST
def meeting_attendance(request, pk):
    _viewer(request)
    meeting = _meeting(pk)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih anggota komite yang hadir."))
        return redirect(meeting)
    try:
        pleno.record_attendance(meeting, request.user, members=form.cleaned_data["members"])
        messages.success(request, _("Kehadiran dicatat."))
    except WorkflowError as exc:
        messages.error(request, exc.message)
    return redirect(meeting)


@login_required
@require_POST
def meeting_decide(request, pk, case_pk):
    _viewer(request)
    meeting = _meeting(pk)
    case = get_case(case_pk, "assessor__user")
    form = MeetingDecisionForm(request.POST, prefix=f"c{case.pk}")
    if not form.is_valid():
        messages.error(request, _("Pilih keputusan K atau BK untuk permohonan %(case)s.") % {"case": case.number})
        return redirect(meeting)
    try:
        d = form.cleaned_data
        pleno.decide_in_meeting(meeting, case, request.user, decision=d["decision"], reason=d["reason"])
        messages.success(request, _("Keputusan atas %(case)s tersimpan.") % {"case": case.number})
    except WorkflowError as exc:
        messages.error(request, exc.message)
    return redirect(meeting)


@login_required
@require_POST
def meeting_close(request, pk):
    _viewer(request)
    meeting = _meeting(pk)
    try:
        meeting = pleno.close_meeting(meeting, request.user)
        messages.success(request, _("Rapat ditutup. SK %(sk)s dan berita acara %(ba)s bernomor.")
                         % {"sk": meeting.sk_number, "ba": meeting.minutes_number})
    except WorkflowError as exc:
        messages.error(request, exc.message)
    return redirect(meeting)


@login_required
def meeting_sk(request, pk):
    _viewer(request)
    meeting = _meeting(pk)
    return pdf_response(pleno.sk_pdf(meeting), f"SK-{meeting.pk}.pdf")


@login_required
def meeting_minutes(request, pk):
    _viewer(request)
    meeting = _meeting(pk)
    return pdf_response(pleno.minutes_pdf(meeting), f"berita-acara-{meeting.pk}.pdf")


@login_required
@require_POST
def meeting_issue(request, pk):
    """The LSP head starts "Terbitkan semua sertifikat": one background job, watched on its own page."""
    _viewer(request)
    meeting = _meeting(pk)
    try:
        job = pleno.start_issue_job(meeting, request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
        return redirect(meeting)
    return redirect(job)
