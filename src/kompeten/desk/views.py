"""The person's desk: the public landing page, each person's home with the work that waits for them, the inbox."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.appeals.selectors import waiting_for as grievances_waiting_for
from kompeten.cases.deadlines import due
from kompeten.cases.selectors import cases_of_candidate
from kompeten.cases.workflow import allowed_acts, next_steps
from kompeten.catalog.selectors import active_schemes
from kompeten.core.jobs import jobs_of
from kompeten.core.models import Role
from kompeten.desk.queues import ESCAPES, work_for

# How certification works, for the public home page (the SOP in six steps a candidate recognises).
STEPS = [
    (_("Pilih skema dan daftar"), _("Baca brosur skema: unit kompetensi, persyaratan dan biaya. Buat akun dengan email Anda.")),
    (_("Isi APL.01 dan APL.02"), _("Lengkapi data diri, nilai diri Anda per elemen kompetensi, dan unggah bukti (ijazah, sertifikat pelatihan, portofolio).")),
    (_("Kaji dokumen"), _("Admin LSP memeriksa kelengkapan berkas; bila ada yang kurang, Anda diberi tahu apa yang harus diperbaiki.")),
    (_("Jadwal di TUK"), _("Anda ditempatkan pada jadwal uji kompetensi di Tempat Uji Kompetensi (TUK) terverifikasi, bersama asesor berlisensi.")),
    (_("Asesmen"), _("Asesor menguji Anda sesuai rencana asesmen (observasi, tanya jawab, portofolio) dan mencatat hasil K/BK per unit.")),
    (_("Keputusan dan sertifikat"), _("Komite teknis memutuskan; bila kompeten, Ketua LSP menerbitkan sertifikat BNSP dengan kode QR yang bisa dicek siapa pun.")),
]


def home(request):
    if not request.user.is_authenticated:
        return render(request, "desk/landing.html", {"schemes": active_schemes()[:6], "steps": STEPS})

    sections = work_for(request.user)
    notifications = request.user.notifications.waiting()[:5]
    # A candidate always sees where each of their applications stands and who acts next, even when it is
    # not their turn.
    mine = [(case, next_steps(case), [(a, due(case, a, request.user)) for a in allowed_acts(request.user, case)
                                      if a.code not in ESCAPES])
            for case in cases_of_candidate(request.user)[:10]]
    if mine:  # their own list below says it all; no second "as candidate" section
        sections = [(role, items) for role, items in sections if role != Role.CANDIDATE]
    return render(request, "desk/home.html", {"sections": sections, "notifications": notifications,
                                              "my_cases": mine,
                                              "grievances": grievances_waiting_for(request.user),
                                              "jobs": jobs_of(request.user, unfinished_only=True)[:10]})


@login_required
def inbox(request):
    page = Paginator(request.user.notifications.all(), 20).get_page(request.GET.get("page"))
    if request.method == "POST":
        request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("inbox")
    return render(request, "desk/inbox.html", {"page": page})


@login_required
def open_notification(request, pk):
    n = get_object_or_404(request.user.notifications, pk=pk)
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return redirect(n.url or "inbox")
