"""Two app servers and two task workers against one PostgreSQL (docs/deploy.md, section 13) do not step on each
other: `scripts/kompeten serve` twice (the second with KOMPETEN_MIGRATE=0) and `db_worker` twice, on one
database and one shared data directory, while people work through both servers at once —

  * the Ketua LSP starts "Terbitkan semua sertifikat" for three closed plenary meetings, twice each, on both
    servers at the same moment, and watches the jobs' progress through both; the admin issues single
    certificates through both (one of them asked on both servers at the same moment);
  * candidates start their written test on both servers at the same moment and answer every question,
    alternately through one server and the other, then submit;
  * a second Admin LSP uploads two files of candidates for two events, one through each server at once, then
    presses "import" for both files, each on both servers at the same moment (four posts at once);

and then finds no duplicate certificate number, no gap in the numbers, no case with two certificates, one job
per meeting, each done once and whole (every case of it reported once, one task, run by one worker), no lost
or changed answer, every imported person once with one case and one invitation, one job per import (one task,
one worker), no half-done import, no server error.

PostgreSQL only: this is the suite's PostgreSQL run (KOMPETEN_TEST_DB=postgres, `make test` runs it). Several
servers on one database is a PostgreSQL deployment only — check_production refuses SQLite, whose one writer at
a time and file on one machine are no model of it — and the servers must see the test's data, which they can
only on the run's own PostgreSQL test database. On the SQLite run it is skipped (saying so), rather than
starting a second cluster for a second copy of the same test.

The data are made in the test's database (committed: transaction=True) with the services; everything after
goes over HTTP through the two servers, as a proxy would send it (the site's Host, X-Forwarded-Proto https),
with the production settings of docs/deploy.md (second factor on, shared database cache)."""

import http.client
import json
import re
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django.utils import timezone

from .conftest import REPO, free_port
from .smtp_sink import SmtpSink
from .test_deploy import HOST, documented_env_file

PASSWORD = "kata-sandi-uji-2026"
MEETINGS, CASES_PER_MEETING, SINGLE_ISSUES, WRITTEN_CANDIDATES = 3, 5, 4, 4
IMPORTS, IMPORT_ROWS = 2, 8
HTTP_TIMEOUT = 120


# ── a browser, as the proxy passes it on ─────────────────────────────────────────────────────────────────

class Browser:
    """One person's browser: its own cookies (the session is in the database, so it holds on either
    server), every request as nginx would forward an HTTPS request for the site."""

    def __init__(self, name, ports, failures):
        self.name, self.ports, self.failures = name, ports, failures
        self.cookies = {}
        self.lock = threading.Lock()

    def request(self, server, method, path, data=None, raw=None, extra_headers=None):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Origin": f"https://{HOST}",
                   "X-Request-ID": f"{self.name}-{time.monotonic_ns()}", **(extra_headers or {})}
        with self.lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif raw is not None:
            body, headers["Content-Type"] = raw
        conn = http.client.HTTPConnection("127.0.0.1", self.ports[server], timeout=HTTP_TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            content = resp.read()
            cookies = resp.msg.get_all("Set-Cookie") or []
        finally:
            conn.close()
        with self.lock:
            for raw in cookies:
                for key, morsel in SimpleCookie(raw).items():
                    if morsel.value:
                        self.cookies[key] = morsel.value
                    else:
                        self.cookies.pop(key, None)
        if resp.status >= 500:
            self.failures.append(f"{self.name}: {method} {path} on server {server}: {resp.status}")
        return resp.status, resp.getheader("Location", ""), content

    def get(self, server, path):
        return self.request(server, "GET", path)

    def upload(self, server, path, name, content):
        """A form with one file field ("file"), as the browser sends it (multipart/form-data)."""
        boundary = f"----kompeten{time.monotonic_ns()}"
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.request(server, "POST", path, raw=(body, f"multipart/form-data; boundary={boundary}"))

    def post(self, server, path, data=None):
        return self.request(server, "POST", path, data or {})

    def log_in(self, server, username, totp_device=None):
        assert self.get(server, "/masuk/")[0] == 200
        status, location, _ = self.post(server, "/masuk/", {"username": username, "password": PASSWORD})
        assert status == 302 and "/masuk/" not in location, f"log-in of {username} refused ({status})"
        if totp_device is not None:  # staff: the code of the authenticator app, on the other server
            other = 1 - server
            status, location, _ = self.get(other, "/")
            assert status == 302 and "/masuk/faktor-kedua/" in location, (status, location)
            status, location, _ = self.post(other, "/masuk/faktor-kedua/", {"code": totp_now(totp_device)})
            assert status == 302 and "faktor-kedua" not in location, f"second factor of {username} refused"


def totp_now(device):
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


# ── the installation: two servers, two workers ───────────────────────────────────────────────────────────

def _database_url():
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def _environment(tmp_path, port, smtp_port, name, **extra):
    # The documented file, its mail server replaced by the test's SMTP sink on loopback (no TLS there).
    mail = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "EMAIL_USE_TLS": "0"}
    lines = [line for line in documented_env_file() if line.strip() and not line.startswith("#")
             and line.split("=", 1)[0] not in mail]
    lines += [f"{k}={v}" for k, v in mail.items()]
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    # One file per process: a file rewritten for the next process while this one's shell reads it would lose
    # lines (a worker once started without DATABASE_URL, on SQLite).
    env_file = tmp_path / f"kompeten-{name}.env"
    env_file.write_text("\n".join([*lines, f"DATABASE_URL={_database_url()}",
                                   f"KOMPETEN_DATA_DIR={tmp_path / 'shared-data'}",  # the shared mount
                                   f"KOMPETEN_BIND=127.0.0.1:{port}", "WEB_CONCURRENCY=2"]) + "\n")
    return {**env, "KOMPETEN_ENV_FILE": str(env_file), **extra}


class Installation:
    def __init__(self, tmp_path, smtp_port):
        self.tmp_path, self.smtp_port = tmp_path, smtp_port
        (tmp_path / "shared-data").mkdir()
        self.procs = []
        self.ports = [free_port(), free_port()]

    def start(self, name, args, env):
        log = self.tmp_path / f"{name}.log"
        with open(log, "w") as out:
            proc = subprocess.Popen([str(REPO / "scripts" / "kompeten"), *args], cwd=REPO, env=env, stdout=out,
                                    stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append((name, proc, log))
        return proc, log

    def serve(self, n, **extra):
        self.start(f"server{n}", ["serve"], _environment(self.tmp_path, self.ports[n], self.smtp_port, f"server{n}",
                                                          **extra))

    def wait_for(self, n):
        _, proc, log = [p for p in self.procs if p[0] == f"server{n}"][0]
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"server {n} ended ({proc.returncode}):\n{log.read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.ports[n], timeout=5)
                conn.request("GET", "/health/")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        pytest.fail(f"server {n} did not answer /health/:\n{log.read_text()[-3000:]}")

    def worker(self, n):
        self.start(f"worker{n}", ["manage", "db_worker", "--backend", "background", "--no-reload",
                                  "--worker-id", f"worker-{n}"],
                   _environment(self.tmp_path, self.ports[0], self.smtp_port, f"worker{n}"))

    def stop(self):
        for _, proc, _ in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for name, proc, log in self.procs:
            try:
                proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                pytest.fail(f"{name} did not stop on SIGTERM:\n{log.read_text()[-2000:]}")

    def alive(self):
        return [name for name, proc, _ in self.procs if proc.poll() is None]

    def errors_logged(self):
        found = []
        for name, _, log in self.procs:
            for line in log.read_text().splitlines():
                if re.search(r'"level": "(ERROR|CRITICAL)"|^Traceback|\bERROR\b', line):
                    found.append(f"{name}: {line[:300]}")
        return found


# ── the LSP's data, made with the services ───────────────────────────────────────────────────────────────

def _person(username, role, first, last):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from tests.conftest import make_user

    user = make_user(username, role, first_name=first, last_name=last)
    # The servers know argon2 (settings.PASSWORD_HASHERS), not the tests' fast MD5.
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return user


def _staff_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Kompeten", confirmed=True)


def build_world(scheme, site, assessor, committee, muk):
    from kompeten.assessment.models import AssessmentPlan
    from kompeten.cases.models import Case
    from kompeten.certification import pleno, services
    from kompeten.core.models import Role
    from kompeten.events.models import AssessmentEvent, EventAssessor
    from tests.certification.helpers import make_case, make_event, recommend

    member2 = _person("komite2", Role.COMMITTEE, "Bayu", "Saputra")
    members = [committee, member2]
    lsp_head = _person("ketualsp", Role.LSP_HEAD, "Hendra", "Gunawan")
    admin = _person("admin", Role.ADMIN, "Sari", "Admin")
    held = make_event(scheme, site)
    holders = [_person(f"pemegang{n}", Role.CANDIDATE, "Pemegang", f"Nomor {n}") for n in range(6)]

    meetings, meeting_cases = [], []
    for m in range(MEETINGS):
        meeting = pleno.open_meeting(members[0], held_on=timezone.localdate(), members=members, place=f"Ruang {m}")
        for i in range(CASES_PER_MEETING):
            holder = holders[(m + i) % len(holders)]
            case = make_case(holder, scheme, assessor, held)
            recommend(case, "K")
            pleno.decide_in_meeting(meeting, case, members[i % 2], decision="K")
            services.sign_holder_agreement(case, holder)
            meeting_cases.append(case.pk)
        meetings.append(pleno.close_meeting(meeting, members[0]))

    singles = []
    for i in range(SINGLE_ISSUES):
        holder = holders[i % len(holders)]
        case = make_case(holder, scheme, assessor, held)
        recommend(case, "K")
        services.decide_competent(case, committee)
        services.sign_holder_agreement(case, holder)
        singles.append(case.pk)

    # The written test: an event whose approved plan holds the scheme's IA.05 and IA.06, candidates at the test.
    start = timezone.now() + timezone.timedelta(days=7)
    event = AssessmentEvent.objects.create(number="JUK-2026-090", scheme=scheme, site=site, starts_at=start,
                                           ends_at=start + timezone.timedelta(hours=8), status="published",
                                           created_by=admin)
    EventAssessor.objects.create(event=event, assessor=assessor, letter_number="ST/090/2026", assigned_by=admin)
    plan = AssessmentPlan.objects.create(event=event, version=1, status="approved", submitted_by=assessor.user)
    plan.instrument_versions.set(muk)
    takers = []
    for n in range(WRITTEN_CANDIDATES):
        person = _person(f"peserta{n}", Role.CANDIDATE, "Peserta", f"Tes {n}")
        case = Case.objects.create(number=f"PMH-2026-9{n:03d}", candidate=person, scheme=scheme, event=event,
                                   assessor=assessor, status="in_assessment")
        takers.append((person.username, case.pk))
    # Two events open for registration, each to receive a class of candidates from a file.
    import_events = [AssessmentEvent.objects.create(number=f"JUK-2026-09{1 + n}", scheme=scheme, site=site,
                                                    starts_at=start, ends_at=start + timezone.timedelta(hours=8),
                                                    quota=50, status="published", created_by=admin).pk
                     for n in range(IMPORTS)]
    importer = _person("admin2", Role.ADMIN, "Dewi", "Lestari")
    return {"lsp_head": _staff_device(lsp_head), "admin": _staff_device(admin), "importer": _staff_device(importer),
            "meetings": [m.pk for m in meetings], "meeting_cases": meeting_cases, "singles": singles,
            "takers": takers, "import_events": import_events}


def import_file(n):
    """The n-th class's file on the template: IMPORT_ROWS people of its own (XLSX for the first, CSV for the
    second), the BNSP code columns filled by code or by name."""
    import csv
    import io

    from openpyxl import Workbook

    from kompeten.events.import_rows import COLUMNS
    from tests.events.test_import import person

    header = [c.header for c in COLUMNS]
    codes = {"Kota/Kabupaten": "Kota Bandung" if n else "3273", "Jenjang Pendidikan": "SMK",
             "Jenis Pekerjaan": "2", "Sumber Anggaran": "Mandiri", "Kementerian": "0"}
    rows = [person(1000 * (n + 1) + i, Email=f"kelas{n}.asesi{i}@kelas.id", **codes) for i in range(IMPORT_ROWS)]
    if n % 2 == 0:
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Asesi")
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(h, "") for h in header])
        out = io.BytesIO()
        book.save(out)
        return f"kelas-{n}.xlsx", out.getvalue(), [r["Email"] for r in rows]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return f"kelas-{n}.csv", ("\ufeff" + out.getvalue()).encode(), [r["Email"] for r in rows]


# ── what people do, at once ──────────────────────────────────────────────────────────────────────────────

def _both_at_once(browser, path):
    """The same POST on both servers at the same moment (a double click that two servers receive)."""
    barrier = threading.Barrier(2)
    results = [None, None]

    def one(server):
        barrier.wait()
        results[server] = browser.post(server, path)

    threads = [threading.Thread(target=one, args=(s,)) for s in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def ketua_lsp_issues_meetings(browser, world, job_ids):
    for m, meeting in enumerate(world["meetings"]):
        results = _both_at_once(browser, f"/sertifikat/rapat/{meeting}/terbitkan/")
        for status, location, _ in results:
            assert status == 302, results
            match = re.search(r"/pekerjaan/(\d+)/", location)
            assert match, f"meeting {meeting}: not sent to its job page but to {location!r}"
            job_ids.add(int(match.group(1)))
        # The job's page and progress, read through either server while the workers run.
        assert browser.get(m % 2, location.replace(f"https://{HOST}", ""))[0] == 200
    deadline = time.monotonic() + 150
    pending = set(job_ids)
    n = 0
    while pending and time.monotonic() < deadline:
        for job in sorted(pending):
            status, _, body = browser.get(n % 2, f"/pekerjaan/{job}/progres/?format=json")
            n += 1
            assert status == 200
            if json.loads(body)["finished"]:
                pending.discard(job)
        time.sleep(0.5)


def admin_issues_single_certificates(browser, world):
    first, *rest = world["singles"]
    results = _both_at_once(browser, f"/sertifikat/permohonan/{first}/terbitkan/")
    assert sorted(r[0] for r in results) in ([302, 302], [302, 403], [302, 409], [302, 200]), results
    for n, case in enumerate(rest):
        status, _, _ = browser.post(n % 2, f"/sertifikat/permohonan/{case}/terbitkan/")
        assert status == 302


def admin_imports_two_classes(browser, world, imported):
    """Two files for two events uploaded through the two servers at once; then "Impor" pressed for both, each
    posted to both servers at the same moment; then the progress of each import read until it has finished."""
    from kompeten.events.models import CandidateImport

    files = [import_file(n) for n in range(IMPORTS)]
    barrier = threading.Barrier(IMPORTS)
    uploaded = [None] * IMPORTS

    def upload(n):
        name, content, emails = files[n]
        barrier.wait()
        uploaded[n] = browser.upload(n % 2, f"/jadwal/{world['import_events'][n]}/impor/", name, content)

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(IMPORTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    pks = []
    for n, (status, location, body) in enumerate(uploaded):
        match = re.search(r"/jadwal/impor/(\d+)/$", location)
        assert status == 302 and match, (n, status, location, body[-500:])
        pks.append(int(match.group(1)))
        imported[pks[-1]] = files[n][2]

    # "Impor" for both files, each on both servers: four posts at the same moment.
    barrier = threading.Barrier(2 * IMPORTS)
    results = {}

    def start(pk, server):
        barrier.wait()
        results[(pk, server)] = browser.post(server, f"/jadwal/impor/{pk}/", {"mode": "all"})

    threads = [threading.Thread(target=start, args=(pk, s)) for pk in pks for s in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for pk in pks:
        pair = sorted(results[(pk, s)][0] for s in (0, 1))
        # The first starts it; the other finds it started and is sent to the same import's progress.
        assert pair == [302, 302], {k: v[:2] for k, v in results.items()}
        assert {results[(pk, s)][1].replace(f"https://{HOST}", "") for s in (0, 1)} == {f"/jadwal/impor/{pk}/"}
        world.setdefault("import_answers", []).append(pair)
    deadline = time.monotonic() + 150
    pending, n = set(pks), 0
    while pending and time.monotonic() < deadline:
        for pk in sorted(pending):
            status, _, _ = browser.get(n % 2, f"/jadwal/impor/{pk}/kemajuan/")
            n += 1
            assert status == 200
            imp = CandidateImport.objects.select_related("invite_job").get(pk=pk)
            if imp.status != "importing" and (imp.invite_job is None or imp.invite_job.finished):
                pending.discard(pk)
        time.sleep(0.5)
    assert not pending, f"imports {sorted(pending)} not finished in time"


def candidate_takes_written_test(browser, case_pk, sent):
    from kompeten.assessment.models import InstrumentItem, WrittenAttempt

    take = f"/asesmen/{case_pk}/tes-tertulis/"
    results = _both_at_once(browser, take)  # "Mulai" pressed, and the request sent to both servers
    # The first starts it (302 to the test); the other finds it started and shows it (200) — or starts it too,
    # and gets the same attempt (302). One attempt either way (checked at the end).
    assert all(r[0] in (200, 302) for r in results), results
    attempt = WrittenAttempt.objects.get(case_id=case_pk)
    items = {i.pk: i for i in InstrumentItem.objects.filter(pk__in=attempt.order)}
    # The test page, as the browser shows it: its script saves with the attempt's token it carries (the token
    # lives in the database, so either server accepts it).
    status, _, page = browser.get(0, take)
    assert status == 200
    token = dict(re.findall(r'data-(token|token-header)="([^"]+)"', page.decode()))
    auth = {token["token-header"]: token["token"]}
    for n, item_id in enumerate(attempt.order):
        options = items[item_id].payload.get("options")
        if options:
            fields = {"choice": str((item_id + n) % len(options))}
        else:
            fields = {"text": f"Jawaban esai {case_pk}-{item_id}: validasi masukan di sisi server."}
        status, _, body = browser.request(n % 2, "POST", f"{take}jawab/", {"item": str(item_id), **fields},
                                          extra_headers=auth)
        assert status == 200 and json.loads(body)["ok"] is True, (status, body[:200])
        sent[(attempt.pk, item_id)] = fields
    status, _, _ = browser.post(1, f"{take}kumpulkan/")
    assert status == 302
    assert browser.get(0, take)[0] == 200  # the closing page, from the other server


def _closing(work, *args):
    """Runs in a thread of the pool: the thread's own database connection (it reads the attempts) is closed
    after, so the test database can be dropped at the end."""
    from django.db import connections

    try:
        return work(*args)
    finally:
        connections.close_all()


# ── the test ─────────────────────────────────────────────────────────────────────────────────────────────

@pytest.mark.django_db(transaction=True)
def test_two_servers_and_two_workers_on_one_database(tmp_path, scheme, site, assessor, committee, muk):
    if connection.vendor != "postgresql":
        pytest.skip("several app servers run on PostgreSQL only: this runs in the PostgreSQL run "
                    "(KOMPETEN_TEST_DB=postgres, part of make test)")
    from django_tasks_db.models import DBTaskResult

    from kompeten.assessment.models import WrittenAnswer, WrittenAttempt
    from kompeten.cases.models import Application, Case
    from kompeten.certification.models import Certificate
    from kompeten.core.models import ActionLog, Job, User
    from kompeten.events.imports import IMPORT_JOB, INVITE_JOB
    from kompeten.events.models import CandidateImport

    mail = SmtpSink()
    install = Installation(tmp_path, mail.port)
    failures, job_ids, sent, imported = [], set(), {}, {}
    started = time.monotonic()
    try:
        install.serve(0)    # migrates (nothing left to do on the test database), makes the cache table
        world = build_world(scheme, site, assessor, committee, muk)  # meanwhile
        install.wait_for(0)
        install.serve(1, KOMPETEN_MIGRATE="0")    # the second app server, once the first has migrated
        install.worker(0)
        install.worker(1)
        install.wait_for(1)
        ready = time.monotonic()

        ketua = Browser("ketualsp", install.ports, failures)
        ketua.log_in(0, "ketualsp", world["lsp_head"])
        admin = Browser("admin", install.ports, failures)
        admin.log_in(1, "admin", world["admin"])
        importer = Browser("admin2", install.ports, failures)
        importer.log_in(0, "admin2", world["importer"])
        takers = []
        for n, (username, case_pk) in enumerate(world["takers"]):
            b = Browser(username, install.ports, failures)
            b.log_in(n % 2, username)
            takers.append((b, case_pk))

        with ThreadPoolExecutor(max_workers=3 + len(takers)) as pool:
            futures = [pool.submit(_closing, ketua_lsp_issues_meetings, ketua, world, job_ids),
                       pool.submit(_closing, admin_issues_single_certificates, admin, world),
                       pool.submit(_closing, admin_imports_two_classes, importer, world, imported)]
            futures += [pool.submit(_closing, candidate_takes_written_test, b, case_pk, sent)
                        for b, case_pk in takers]
            for f in futures:
                f.result()
        worked = time.monotonic()
        assert install.alive() == ["server0", "server1", "worker0", "worker1"]
    finally:
        install.stop()
    assert failures == []
    assert install.errors_logged() == []

    # Certificates: one per case, numbers unique and without a gap.
    cases = world["meeting_cases"] + world["singles"]
    certificates = list(Certificate.objects.values_list("case_id", "number"))
    assert sorted(c for c, _ in certificates) == sorted(cases)
    numbers = [n for _, n in certificates]
    assert len(set(numbers)) == len(numbers)
    assert sorted(int(n.rsplit("/", 1)[1]) for n in numbers) == list(range(1, len(cases) + 1)), numbers
    assert set(Case.objects.filter(pk__in=cases).values_list("status", flat=True)) == {"certified"}
    issued = ActionLog.objects.filter(act="issue_certificate").values_list("object_id", flat=True)
    assert sorted(issued) == sorted(cases)  # each act done, and written, once
    # …and its notice sent once (by SMTP, after the commit) to the holder.
    told = [s for s in mail.subjects() if s == "Sertifikat kompetensi Anda telah terbit"]
    assert len(told) == len(cases), mail.subjects()

    # Jobs: one per meeting although each was started on both servers at once; each done once and whole.
    jobs = list(Job.objects.filter(kind="certification.issue_meeting").order_by("pk"))
    assert len(jobs) == MEETINGS and {j.pk for j in jobs} == job_ids
    assert sorted(j.params["meeting"] for j in jobs) == sorted(world["meetings"])
    for job in jobs:
        assert (job.status, job.done, job.total) == (Job.Status.DONE, CASES_PER_MEETING, CASES_PER_MEETING)
        lines = job.message.splitlines()
        assert len(lines) == CASES_PER_MEETING and all("terbit" in line for line in lines), job.message
    assert ActionLog.objects.filter(act="start_meeting_issue").count() == MEETINGS
    # Every job (meetings, imports, invitations) run by one task, by one worker, once.
    tasks = list(DBTaskResult.objects.filter(task_path__endswith="run_job"))
    assert sorted(t.args_kwargs["args"][0] for t in tasks) == list(Job.objects.order_by("pk").values_list("pk", flat=True))
    assert all(t.status == "SUCCESSFUL" and len(t.worker_ids) == 1 for t in tasks), \
        [(t.status, t.worker_ids) for t in tasks]

    # Imports: each started once (one import job, one invitation job) though "Impor" reached both servers at
    # once; each whole (every row a person with one case and APL.01 with its BNSP codes); one invitation each.
    assert len(imported) == IMPORTS
    for pk, emails in imported.items():
        imp = CandidateImport.objects.get(pk=pk)
        assert (imp.status, imp.imported, imp.error_rows, imp.rows) == ("imported", IMPORT_ROWS, 0, []), imp.message
        for kind, ref in ((IMPORT_JOB, f"import:{pk}"), (INVITE_JOB, f"invite:{pk}")):
            started_jobs = list(Job.objects.filter(kind=kind, ref=ref))
            assert len(started_jobs) == 1, (kind, ref, started_jobs)
            assert (started_jobs[0].status, started_jobs[0].done) == (Job.Status.DONE, IMPORT_ROWS), \
                started_jobs[0].message
        assert imp.job_id == Job.objects.get(ref=f"import:{pk}").pk
        assert ActionLog.objects.filter(act="start_candidate_import", data__import=pk).count() == 1
        assert ActionLog.objects.filter(act="import_candidates", object_id=imp.event_id).count() == 1
        class_cases = Case.objects.filter(event_id=imp.event_id)
        assert sorted(class_cases.values_list("candidate__email", flat=True)) == sorted(emails)
        assert {(a.city_code, a.province_code, a.education_code, a.occupation_code, a.funding_code) for a in
                Application.objects.filter(case__in=class_cases)} == {("3273", "32", "3", "2", "3")}
    everyone = [e for emails in imported.values() for e in emails]
    assert User.objects.filter(email__in=everyone).count() == len(everyone) == IMPORTS * IMPORT_ROWS
    invited = sorted(r for rcpts, message in mail.received if str(message["Subject"]).startswith("Undangan")
                     for r in rcpts)
    assert invited == sorted(everyone), invited

    # Written tests: one attempt each though started on both servers at once; every answer as last sent.
    attempts = WrittenAttempt.objects.filter(case_id__in=[c for _, c in world["takers"]])
    assert attempts.count() == WRITTEN_CANDIDATES
    assert set(attempts.values_list("status", flat=True)) == {WrittenAttempt.Status.SUBMITTED}
    stored = {(a.attempt_id, a.item_id): a for a in WrittenAnswer.objects.filter(attempt__in=attempts)}
    assert set(stored) == set(sent) and len(sent) == sum(len(a.order) for a in attempts)
    for key, fields in sent.items():
        answer = stored[key]
        assert answer.saved_at is not None
        if "choice" in fields:
            assert answer.choice == int(fields["choice"]), key
        else:
            assert answer.text == fields["text"], key

    print(f"\ndata made and two servers up in {ready - started:.0f} s; {len(cases)} certificates, {len(sent)} answers, "
          f"{len(everyone)} imported people in {worked - ready:.0f} s; the double-pressed imports answered "
          f"{world.get('import_answers')}")
