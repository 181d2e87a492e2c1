"""Issuing a plenary meeting's certificates as one background job, against rendering the same PDFs alone.

N (default 1,000) candidates declared K in one closed meeting, each with a signed holder agreement and a pas foto.
The LSP head starts the meeting's issue job (certification.pleno.start_issue_job) and the job runs through
core.jobs.run_job — the task the `db_worker` runs — in this process: for each certificate its number, the row,
the signed Open Badges 3.0 credential (eddsa-rdfc-2022), the action log, the notice, and the PDF/A-2b rendered,
signed with the LSP's key and stored. The baseline, in the same run: Typst rendering the same N certificate PDFs
(the same data, PDF/A-2b, unsigned, nothing written). Target: ≥ 20 certificates a second.

  .venv/bin/python bench/bench_issue.py [N] [--profile]

`--profile` prints where the job spends its time (cProfile of the job's own process; the worker processes that
render and sign — settings.ISSUE_PROCESSES, KOMPETEN_ISSUE_PROCESSES — are not in it). The CPU time of the job
counts its process and its worker processes (read from /proc before the pool stops).

Everything runs under the main guard: the worker processes import this module's functions (multiprocessing).
"""

import os
import sys
import time

from _setup import django_in_tempdir

N = int(next((a for a in sys.argv[1:] if a.isdigit()), 1000))
PROFILE = "--profile" in sys.argv

if __name__ == "__main__":
    # The notice e-mails are built and "sent" as in production, into memory instead of the console.
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    django_in_tempdir()

    import json

    import typst
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from kompeten.cases.models import Case, Document
    from kompeten.catalog.loader import load_scheme, read_scheme_file
    from kompeten.certification import pleno, press, rendering
    from kompeten.certification.models import Certificate, Decision, DigitalCredential, HolderAgreement
    from kompeten.certification.services import holder_agreement_text
    from kompeten.core.jobs import run_job
    from kompeten.core.models import Job, Role, RoleAssignment, User
    from kompeten.core.pdf import PDF_DIR, render_pdf
    from kompeten.demo.builder import FIXTURES

WORKER_CPU = []  # seconds of CPU of each worker process of the job, read just before its pool stops


def count_worker_cpu():
    """Press.close, first reading each worker's CPU time (utime + stime in /proc/<pid>/stat): they are the fork
    server's children, not this process's, so resource.getrusage(RUSAGE_CHILDREN) never sees them."""
    close = press.Press.close

    def close_counting(self, **kwargs):
        if self._pool is not None:
            for pid in list(self._pool._processes):
                try:
                    with open(f"/proc/{pid}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                WORKER_CPU.append((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
        close(self, **kwargs)

    press.Press.close = close_counting


def user(username, role, first, last):
    u = User.objects.create_user(username, f"{username}@bench.id", "x", first_name=first, last_name=last)
    RoleAssignment.objects.create(user=u, role=role)
    return u


def build(n):
    """N cases decided K in one closed meeting, each with the holder's agreement and a pas foto (bulk inserts:
    the set-up is not what is measured)."""
    scheme = load_scheme(read_scheme_file(FIXTURES / "scheme-junior-web-developer.json"))
    head = user("ketualsp", Role.LSP_HEAD, "Hendra", "Gunawan")
    members = [user("komite1", Role.COMMITTEE, "Ani", "Wijaya"), user("komite2", Role.COMMITTEE, "Bayu", "Saputra")]
    meeting = pleno.open_meeting(members[0], held_on=timezone.localdate(), members=members, place="Ruang Rapat")
    candidates = User.objects.bulk_create(
        [User(username=f"asesi{i}", email=f"asesi{i}@bench.id", first_name=f"Asesi {i:04d}", last_name="Santoso")
         for i in range(n)])
    RoleAssignment.objects.bulk_create([RoleAssignment(user=c, role=Role.CANDIDATE) for c in candidates])
    cases = Case.objects.bulk_create([Case(number=f"PRM-B-{i:05d}", candidate=c, scheme=scheme, status="competent")
                                      for i, c in enumerate(candidates)])
    now = timezone.now()
    Decision.objects.bulk_create([Decision(case=c, decided_by=members[i % 2], decision="K", recommendation="K",
                                           meeting_ref=meeting.reference, decided_at=now)
                                  for i, c in enumerate(cases)])
    text = holder_agreement_text()
    HolderAgreement.objects.bulk_create([HolderAgreement(case=c, signed_by=c.candidate, text=text) for c in cases])
    photo = typst.compile(str(PDF_DIR / "demo-photo.typ"), root=str(PDF_DIR), format="png", ppi=96,
                          sys_inputs={"data": json.dumps({"name": "Budi", "skin": "#e0ac69", "shirt": "#1d3557"})})
    name = default_storage.save("bench/foto.png", ContentFile(photo))
    requirement = scheme.requirements.get(text__icontains="pas foto")
    Document.objects.bulk_create([Document(case=c, requirement=requirement, title="Pas foto 3x4", file=name,
                                           original_name="foto.png", content_type="image/png", size=len(photo),
                                           sha256="-", uploaded_by=c.candidate) for c in cases])
    pleno.close_meeting(meeting, members[0])
    meeting.refresh_from_db()
    return meeting, head


def issue(meeting, head):
    job = pleno.start_issue_job(meeting, head)  # queued on commit (autocommit here: the job row exists now)
    t, cpu = time.perf_counter(), time.process_time()
    if PROFILE:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        run_job.call(job.pk)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats("kompeten|typst|segno|sqlite|signers", 60)
    else:
        run_job.call(job.pk)
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu + sum(WORKER_CPU)
    job.refresh_from_db()
    return job, elapsed, cpu


def render_alone(certs):
    """The baseline: the same certificate PDFs (same data, PDF/A-2b) rendered by Typst, nothing else."""
    data = [rendering.certificate_data(c) for c in certs]  # read before the clock starts: rendering alone
    t, cpu = time.perf_counter(), time.process_time()
    for d in data:
        render_pdf("certificate.typ", d, pdf_standards=rendering.PDF_STANDARDS)
    return time.perf_counter() - t, time.process_time() - cpu


if __name__ == "__main__":
    meeting, head = build(N)
    rendering.signing.signing_key()  # the LSP's key pair is made on first run: not part of an issue
    count_worker_cpu()
    job, issue_s, issue_cpu = issue(meeting, head)
    certs = list(Certificate.objects.select_related("case", "scheme").order_by("pk"))
    assert job.status == Job.Status.DONE, job.message[-2000:]
    assert len(certs) == N and DigitalCredential.objects.count() == N, (len(certs), job.message[-2000:])
    stored = sum(1 for c in certs if c.pdf)
    assert stored == N, f"only {stored} of {N} signed PDFs stored"
    render_s, render_cpu = render_alone(certs)
    per_s = N / issue_s
    print(f"issue job: {N} certificates in {issue_s:6.1f} s ({per_s:5.1f}/s), {issue_cpu * 1000 / N:5.1f} ms CPU each | "
          f"rendering the same {N} PDFs alone: {render_s:6.1f} s ({N / render_s:5.1f}/s), {render_cpu * 1000 / N:5.1f} ms "
          f"CPU each | ratio {issue_s / render_s:4.2f} (CPU {issue_cpu / render_cpu:4.2f})")
    # The machine is shared: CPU time says what one core would do alone, wall time what it did here today.
    print(f"per_s={per_s:.1f} cpu_per_s={N / issue_cpu:.1f} worker processes: {len(WORKER_CPU)} "
          f"({', '.join(f'{c:.1f}' for c in WORKER_CPU)} s CPU)")
    print(f"RESULT ratio={issue_s / render_s:.2f} per_s={per_s:.1f} cpu_ratio={issue_cpu / render_cpu:.2f} "
          f"cpu_per_s={N / issue_cpu:.1f} render_per_s={N / render_s:.1f} issue_s={issue_s:.1f} render_s={render_s:.1f} "
          f"n={N}")
