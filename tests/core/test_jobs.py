"""Background jobs (core.jobs): the progress page and JSON, who may see them, failure, and a real db_worker."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kompeten.core import jobs
from kompeten.core.models import Job, Role
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def steps_kind():
    """A handler of three steps, registered for the test only."""
    def handler(job, progress):
        progress.total(3)
        for i in range(3):
            progress.step(f"langkah {i + 1}")

    def broken(job, progress):
        progress.total(2)
        progress.step("satu")
        raise RuntimeError("disk penuh")

    jobs.register_job("test.steps", handler)
    jobs.register_job("test.broken", broken)
    yield
    jobs._HANDLERS.pop("test.steps", None)
    jobs._HANDLERS.pop("test.broken", None)


@pytest.mark.django_db
def test_progress_json_and_html_follow_the_job(steps_kind, client):
    owner = make_user("ketualsp", Role.LSP_HEAD)
    job = jobs.start_job("test.steps", owner, "Uji langkah")
    client.force_login(owner)
    url = reverse("job_progress", args=[job.pk])
    data = client.get(url, {"format": "json"}).json()
    assert data["status"] == "queued" and data["percent"] == 0 and not data["finished"]
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment  # still polling
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Uji langkah" in page and 'id="job-progress"' in page
    jobs.run_job.call(job.pk)
    data = client.get(url, HTTP_ACCEPT="application/json").json()
    assert data["status"] == "done" and data["done"] == 3 and data["percent"] == 100
    assert data["message"].splitlines() == ["langkah 1", "langkah 2", "langkah 3"]
    fragment = client.get(url).content.decode()
    assert "hx-trigger" not in fragment and "100%" in fragment  # finished: polling stops


@pytest.mark.django_db
def test_someone_else_cannot_watch_the_job(steps_kind, client):
    owner = make_user("ketualsp", Role.LSP_HEAD)
    job = jobs.start_job("test.steps", owner, "Uji langkah")
    client.force_login(make_user("komite", Role.COMMITTEE))
    assert client.get(job.get_absolute_url()).status_code == 403
    assert client.get(reverse("job_progress", args=[job.pk]), {"format": "json"}).status_code == 403


@pytest.mark.django_db
def test_a_failing_handler_marks_the_job_failed_with_its_reason(steps_kind):
    job = jobs.start_job("test.broken", make_user("ketualsp", Role.LSP_HEAD), "Rusak")
    jobs.run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.done == 1 and "disk penuh" in job.message
    assert job.finished_at is not None


@pytest.mark.django_db
def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        jobs.start_job("no.such", make_user("x"), "x")


@pytest.mark.django_db(transaction=True)
def test_a_real_db_worker_picks_up_the_job_and_finishes_it(tmp_path, scheme, site, assessor, candidate, lsp_head):
    """The meeting's issue job, enqueued on the database backend, run by `manage.py db_worker` in a process of
    its own: it issues the certificate and the job ends done at 100%."""
    from kompeten.certification import pleno, services
    from kompeten.certification.models import Certificate
    from tests.certification.helpers import make_case, make_event, recommend

    members = [make_user("komite", Role.COMMITTEE), make_user("komite2", Role.COMMITTEE)]
    meeting = pleno.open_meeting(members[0], held_on=timezone.localdate(), members=members)
    case = make_case(candidate, scheme, assessor, make_event(scheme, site))
    recommend(case, "K")
    pleno.decide_in_meeting(meeting, case, members[0], decision="K")
    meeting = pleno.close_meeting(meeting, members[0])
    services.sign_holder_agreement(case, candidate)
    job = pleno.start_issue_job(meeting, lsp_head)  # autocommit: queued for the worker at once

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(KOMPETEN_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(ROOT / "src"))
    db_file = None
    if connection.vendor == "sqlite":  # the test database lives in memory: hand the worker a copy on disk
        db_file = tmp_path / "worker.sqlite3"
        target = sqlite3.connect(db_file)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        env["DATABASE_URL"] = f"sqlite:///{db_file}"
    else:
        s = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--backend", "background", "--batch",
         "--no-startup-delay", "--no-reload"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    if db_file is not None:
        with sqlite3.connect(db_file) as db:
            status, done, total = db.execute("SELECT status, done, total FROM core_job WHERE id = ?",
                                             [job.pk]).fetchone()
            issued = db.execute("SELECT count(*) FROM certification_certificate WHERE case_id = ?",
                                [case.pk]).fetchone()[0]
    else:
        job.refresh_from_db()
        status, done, total = job.status, job.done, job.total
        issued = Certificate.objects.filter(case=case).count()
    assert (status, done, total) == ("done", 1, 1)
    assert issued == 1
