"""The page of one background job (core.jobs): a progress bar that the page refreshes by HTMX polling, and the
same progress as JSON. The URL stays the same while the job runs, so leaving and coming back shows it again."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from kompeten.core.dates import format_datetime
from kompeten.core.errors import NotAllowed
from kompeten.core.models import Job


def _job(request, pk):
    job = get_object_or_404(Job.objects.select_related("owner"), pk=pk)
    if job.owner_id != request.user.pk and not request.user.is_superuser:
        raise NotAllowed(_("Pekerjaan ini dimulai oleh orang lain; hanya dia yang dapat melihat kemajuannya."))
    return job


def progress_payload(job):
    return {
        "id": job.pk, "kind": job.kind, "title": job.title, "status": job.status,
        "status_label": str(job.get_status_display()), "total": job.total, "done": job.done,
        "percent": job.percent, "finished": job.finished, "message": job.message,
        "created_at": job.created_at.isoformat(timespec="seconds"),
        "finished_at": job.finished_at.isoformat(timespec="seconds") if job.finished_at else None,
        "result_url": job.result_url,
    }


@login_required
def job_page(request, pk):
    job = _job(request, pk)
    return render(request, "core/job.html", {"job": job, "trail": [(_("Pekerjaan latar"), None)],
                                             "created": format_datetime(job.created_at)})


@login_required
def job_progress(request, pk):
    """JSON with ?format=json (or Accept: application/json); otherwise the progress fragment that HTMX swaps in."""
    job = _job(request, pk)
    if request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(progress_payload(job))
    return render(request, "core/includes/job_progress.html", {"job": job})
