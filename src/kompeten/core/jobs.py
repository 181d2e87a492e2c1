"""Background jobs a person starts and watches: one generic record (core.models.Job) and one task.

A higher app registers what a kind of job does (`register_job(kind, handler)` in its AppConfig.ready()) and
starts one with `start_job(...)`. The work runs in the `db_worker` process (django.tasks with the database
backend of django-tasks-db, alias "background" in settings.TASKS). The handler is called as
`handler(job, progress)`; it calls `progress.total(n)` once it knows how much there is and `progress.step(note)`
after each item, each a small write of its own, so the job page can show the bar moving. A handler that raises
marks the job failed with the error's text; the items it finished stay finished.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from kompeten.core.models import Job

log = logging.getLogger(__name__)

BACKGROUND = "background"

_HANDLERS = {}


def register_job(kind, handler):
    """Called from a higher app's AppConfig.ready(): `handler(job, progress)` does the work of `kind`."""
    _HANDLERS[kind] = handler


class Progress:
    """What a handler reports while it works (each call is one short write, seen at once by the job page)."""

    def __init__(self, job):
        self.job = job

    def total(self, n):
        Job.objects.filter(pk=self.job.pk).update(total=n)
        self.job.total = n

    def step(self, note=""):
        """One item finished; `note` (a line) is added to the job's message."""
        updates = {"done": F("done") + 1}
        if note:
            self.note(note)
        Job.objects.filter(pk=self.job.pk).update(**updates)
        self.job.done += 1

    def advance(self, n, note=""):
        """`n` items finished at once (work done in batches); `note` as for step()."""
        if note:
            self.note(note)
        Job.objects.filter(pk=self.job.pk).update(done=F("done") + n)
        self.job.done += n

    def note(self, line):
        job = Job.objects.only("message").get(pk=self.job.pk)
        message = f"{job.message}\n{line}" if job.message else str(line)
        Job.objects.filter(pk=self.job.pk).update(message=message)
        self.job.message = message


def running_job(kind, ref):
    """The job of this kind on this thing that has not finished yet, or None."""
    return (Job.objects.filter(kind=kind, ref=ref, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
            .order_by("-created_at").first())


def start_job(kind, owner, title, *, ref="", params=None, total=0, result_url=""):
    """Record a job and queue it for the worker (after the current transaction commits). When the same work
    (`kind` + `ref`) is already queued or running, that job is returned instead of starting it twice — provided
    the caller holds a row lock on the thing `ref` names (select_for_update in its transaction): otherwise two
    requests at the same moment, on two servers, would both find none and start two."""
    if kind not in _HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    with transaction.atomic():
        if ref and (existing := running_job(kind, ref)):
            return existing
        job = Job.objects.create(kind=kind, title=str(title), owner=owner, ref=ref, params=params or {},
                                 total=total, result_url=result_url)
        transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def jobs_of(user, *, unfinished_only=False):
    qs = Job.objects.filter(owner=user)
    if unfinished_only:
        qs = qs.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    return qs


@task(backend=BACKGROUND)
def run_job(job_id):
    """The one task: runs the registered handler of the job's kind and records how it ended."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return
    handler = _HANDLERS.get(job.kind)
    if handler is None:
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, finished_at=timezone.now(),
                                             message=f"unknown job kind {job.kind!r}")
        return
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    job.status = Job.Status.RUNNING
    progress = Progress(job)
    try:
        handler(job, progress)
    except Exception as exc:  # the job page says it failed; the worker goes on with the next task
        log.exception("job %s (%s) failed", job.pk, job.kind)
        progress.note(str(exc) or exc.__class__.__name__)
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, finished_at=timezone.now())
        return
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, finished_at=timezone.now())
