"""Importing 10,000 candidates from XLSX, against only reading the same file with openpyxl.

The baseline opens the file in openpyxl's read-only mode and reads every cell of every row — the least any
import must do. The target is the import as the app does it: check the file (every row: NIK, dates, e-mail,
phone, duplicates in the file and against the people on record), then the background import job (accounts with
the candidate role, draft cases with FR.APL.01, the action log — committed, the people exist). Both in the same
run on the same file; ratio = baseline time / import time (target ≥ 0.25). peak_mb is the process's peak
resident memory (ru_maxrss: Django, the file and the whole import; target < 300 MB).

The invitation e-mails go out afterwards in a job of their own (building 10,000 MIME messages costs more than
the import itself); their time is measured too, on the locmem mail backend, and reported as
invitations_ratio (baseline time / invitation time) so it is not hidden.
"""

import gc
import io
import os
import resource
import sys
import time

from _setup import django_in_tempdir

N = int(os.environ.get("BENCH_IMPORT_ROWS", "10000"))
django_in_tempdir()

import datetime as dt  # noqa: E402

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from kompeten.catalog.loader import load_scheme, read_scheme_file  # noqa: E402
from kompeten.core import jobs  # noqa: E402
from kompeten.core.models import Role, RoleAssignment, User  # noqa: E402
from kompeten.demo.builder import FIXTURES  # noqa: E402
from kompeten.events.import_rows import COLUMNS  # noqa: E402
from kompeten.events.models import AssessmentEvent  # noqa: E402

scheme = load_scheme(read_scheme_file(FIXTURES / "scheme-junior-web-developer.json"))
admin = User.objects.create_user("admin", "admin@bench.id", "x")
RoleAssignment.objects.create(user=admin, role=Role.ADMIN)
start = timezone.now() + dt.timedelta(days=30)


def make_file(n, domain="kelas.id", district=0):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Asesi")
    sheet.append([c.header for c in COLUMNS])
    for i in range(n):
        female = i % 2
        sheet.append([f"Asesi Nomor {i}",
                      f"3273{(i // 10000 + district) % 100:02d}{17 + 40 * female:02d}0895{i % 10000:04d}",
                      "Bandung", dt.datetime(1995, 8, 17), "P" if female else "L", "", "", f"asesi{i}@{domain}",
                      f"0812{i:08d}", "Jl. Dago No. 1, Bandung", "40135", "SMK", "Siswa", "SMK Negeri 1 Bandung",
                      # the BNSP code columns, by code and by name as an LSP's staff would mix them
                      *(("3273", "3", "2", "3", "0") if i % 2 else ("Kota Bandung", "SMK", "Pelajar / mahasiswa",
                                                                     "Mandiri", "Tidak ada"))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_only(data):
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for row in book["Asesi"].iter_rows(values_only=True):
        cells += len(row)
    book.close()
    return cells


def run_import(data, n):
    from kompeten.events import imports

    event = AssessmentEvent.objects.create(number=f"JUK-B-{time.monotonic_ns()}", scheme=scheme, starts_at=start,
                                           ends_at=start + dt.timedelta(hours=8), quota=min(n, 32000),
                                           status="published")
    imp = imports.check_file(event, admin, SimpleUploadedFile("kelas.xlsx", data))
    assert imp.error_rows == 0, imp.problems[:5]
    job = imports.start_import(imp, admin, "all")
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.done == n, job.message
    imp.refresh_from_db()
    return imp


def run_invitations(imp):
    jobs.run_job.call(imp.invite_job_id)
    imp.invite_job.refresh_from_db()
    assert imp.invite_job.status == "done", imp.invite_job.message


data = make_file(N)
read_only(data)  # warm: imports, caches
with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
    run_invitations(run_import(make_file(10, domain="pemanasan.id", district=50), 10))  # warm the import's paths
t = time.perf_counter()
cells = read_only(data)
baseline = time.perf_counter() - t
assert cells == (N + 1) * len(COLUMNS)

with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
    from django.core import mail

    mail.outbox = []
    gc.collect()
    t = time.perf_counter()
    imp = run_import(data, N)
    took = time.perf_counter() - t
    t = time.perf_counter()
    run_invitations(imp)
    mailing = time.perf_counter() - t
    sent = len(mail.outbox)
assert sent == N, sent
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
ratio = baseline / took
print(f"{N} rows, {len(data) / 1e6:.1f} MB XLSX: openpyxl read {baseline:.2f} s | import (check + accounts + "
      f"cases) {took:.2f} s | {sent} invitation e-mails {mailing:.2f} s | peak RSS {peak:.0f} MB", file=sys.stderr)
print(f"RESULT ratio={ratio:.2f} peak_mb={peak:.0f} invitations_ratio={baseline / mailing:.2f}")
