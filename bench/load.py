"""Load on loopback: the production server (`scripts/kompeten serve`, gunicorn, the settings of docs/deploy.md)
with the demo data (`load_demo` on a throwaway PostgreSQL), and at once —

  candidates filling FR.APL.01 (page, then save) and taking the written test (start, answer after answer),
  assessors recording the observation on the assessment day (page, then K/BK item after item),
  the public verifying certificates (the verification page and its JSON, by QR-code link) —

for a bounded time (--seconds, default 60), each virtual person one thread with its own session, one request
after another without pause (a closed loop: the throughput is what the server gives). Prints throughput and
latency per path and the errors (any 5xx, a refused form, an unexpected status or a connection failure), and
ends with `RESULT errors=<n> …`.

Baseline, in the same run: the same number of threads asking `/health/` (one `SELECT 1` and a tiny file written
and read back) for the same time first — what the machine, gunicorn and the client cost without the app's
work. The RESULT line gives both throughputs and their ratio.

    .venv/bin/python bench/load.py [--seconds 60] [--users 12] [--workers 3]

Not part of the test suite. Needs PostgreSQL's binaries (as `make test`), starts and removes its own cluster.
Only 127.0.0.1 is ever asked.
"""

import argparse
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "sertifikasi.lsp-beban.id"
PASSWORD = "kompeten-demo"  # every demo login's; the load's own people get it too
LOAD_PREFIX = "beban"


# ── inside the installation: the load's own people, beside the demo's ────────────────────────────────────

def prepare(n_forms, n_written, n_assessed):
    """Run by `manage.py shell` in the installation after load_demo: candidates with a draft application (to
    fill APL.01), candidates at the written test and candidates whose observation the demo's assessor records,
    all on the demo's events: the written test on today's assessment day, the observation on last week's event
    (its plan holds IA.01). Prints JSON."""
    from django.contrib.auth.hashers import make_password

    from kompeten.cases import services as cases
    from kompeten.cases.models import Case
    from kompeten.catalog.models import Scheme
    from kompeten.certification.models import Certificate
    from kompeten.core.models import Role, RoleAssignment, User
    from kompeten.demo.today import OPEN_TEST

    template = Case.objects.filter(candidate__email="rizky@contoh.id", status="in_assessment").select_related(
        "event", "assessor__user", "scheme").get()
    # The written test is in the plan of today's assessment day (demo/today.py), not of last week's event.
    today = Case.objects.filter(candidate__email=OPEN_TEST.email, status="in_assessment").select_related(
        "event", "assessor").get()
    scheme = Scheme.objects.get(pk=template.scheme_id)
    password = make_password(PASSWORD)

    def person(kind, n):
        user = User.objects.create(username=f"{LOAD_PREFIX}-{kind}-{n}", email=f"{LOAD_PREFIX}.{kind}.{n}@contoh.id",
                                   first_name=f"Beban {kind}", last_name=str(n), password=password)
        RoleAssignment.objects.create(user=user, role=Role.CANDIDATE)
        return user

    forms = []
    for n in range(n_forms):
        user = person("apl", n)
        forms.append([user.email, cases.create_case(user, scheme).pk])
    numbers = iter(range(900000, 999999))

    def at_assessment(kind, n, like):
        user = person(kind, n)
        case = Case.objects.create(number=f"PMH-BEBAN-{next(numbers)}", candidate=user, scheme=scheme,
                                   event=like.event, assessor=like.assessor, status="in_assessment")
        return [user.email, case.pk]

    written = [at_assessment("tes", n, today) for n in range(n_written)]
    assessed = [at_assessment("obs", n, template)[1] for n in range(n_assessed)]
    print(json.dumps({
        "forms": forms, "written": written, "assessed": assessed,
        "assessor": template.assessor.user.email,
        "certificates": list(Certificate.objects.values_list("public_id", flat=True)),
    }))


# ── the client ───────────────────────────────────────────────────────────────────────────────────────────

class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.errors = defaultdict(int)
        self.samples = []

    def add(self, label, seconds, ok, detail=""):
        with self.lock:
            self.times[label].append(seconds)
            if not ok:
                self.errors[label] += 1
                if len(self.samples) < 8:
                    self.samples.append(f"{label}: {detail}")


class Person:
    """A browser behind nginx: its own cookies, every request as the proxy forwards an HTTPS one."""

    def __init__(self, port, stats):
        self.port, self.stats = port, stats
        self.cookies = {}
        self.conn = None

    def request(self, label, method, path, data=None, expect=(200,), htmx=False, extra_headers=None):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Origin": f"https://{HOST}", **(extra_headers or {})}
        if htmx:
            headers["HX-Request"] = "true"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            content = resp.read()
            status = resp.status
            cookies = resp.msg.get_all("Set-Cookie") or []
            location = resp.getheader("Location", "")
            if resp.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException) as exc:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            self.stats.add(label, time.perf_counter() - started, False, f"{method} {path}: {exc!r}")
            return None, "", b""
        elapsed = time.perf_counter() - started
        for raw in cookies:
            for key, morsel in SimpleCookie(raw).items():
                if morsel.value:
                    self.cookies[key] = morsel.value
                else:
                    self.cookies.pop(key, None)
        ok = status in expect
        self.stats.add(label, elapsed, ok, f"{method} {path}: {status}")
        return status, location, content

    def log_in(self, email):
        self.request("GET /masuk/", "GET", "/masuk/")
        status, location, _ = self.request("POST /masuk/", "POST", "/masuk/",
                                           {"username": email, "password": PASSWORD}, expect=(302,))
        if status != 302 or "/masuk/" in location:
            raise RuntimeError(f"log-in of {email} refused ({status} {location})")


APL01 = {"full_name": "Beban Uji", "nik": "3273015203010007", "birth_place": "Bandung", "birth_date": "2001-03-12",
         "sex": "P", "nationality": "Indonesia", "address": "Jl. Merdeka No. 12, Bandung", "postcode": "40115",
         "phone": "081234567890", "education": "D3 Teknik Informatika", "employer": "PT Beban Digital",
         "position": "Programmer", "office_address": "Jl. Asia Afrika No. 2, Bandung", "office_postcode": "40111",
         "purpose": "sertifikasi"}


class Start:
    """Every person first logs in, finds its way and does its step once (warming the workers; counted apart);
    then all start together and go on for the same `seconds`, counted."""

    def __init__(self, people, seconds, measured):
        self.measured, self.until = measured, None
        self.barrier = threading.Barrier(people, action=lambda: setattr(self, "until", time.monotonic() + seconds))

    def loop(self, p, step):
        step(0)
        try:
            self.barrier.wait(timeout=600)
        except threading.BrokenBarrierError:
            return
        p.stats = self.measured
        n = 1
        while time.monotonic() < self.until:
            step(n)
            n += 1

    def give_up(self):
        self.barrier.abort()


def candidate_filling_forms(p, start, email, case_pk):
    p.log_in(email)

    def step(n):
        p.request("GET /permohonan/<id>/apl-01/", "GET", f"/permohonan/{case_pk}/apl-01/")
        data = {**APL01, "email": email, "address": f"Jl. Merdeka No. {n % 90 + 10}, Bandung"}
        p.request("POST /permohonan/<id>/apl-01/", "POST", f"/permohonan/{case_pk}/apl-01/", data, expect=(302,))
        p.request("GET /permohonan/<id>/", "GET", f"/permohonan/{case_pk}/")

    start.loop(p, step)


def candidate_taking_written_test(p, start, email, case_pk):
    p.log_in(email)
    take = f"/asesmen/{case_pk}/tes-tertulis/"
    p.request("POST /asesmen/<id>/tes-tertulis/ (start)", "POST", take, {}, expect=(302,))
    _, _, page = p.request("GET /asesmen/<id>/tes-tertulis/", "GET", take)
    html = page.decode("utf-8", "replace")
    items = [int(i) for i in re.findall(r'data-item="(\d+)"', html)]
    essays = {int(i) for i in re.findall(r'<textarea[^>]*name="q(\d+)"', html)}
    options = {i: len(re.findall(rf'type="radio" name="q{i}"', html)) for i in items if i not in essays}
    # The page's script saves with the token the page carries (X-Attempt-Token), new at each opening of the page.
    token = {"now": (re.findall(r'data-token="([^"]*)"', html) or [""])[0]}
    if not items:
        p.stats.add("GET /asesmen/<id>/tes-tertulis/", 0, False, "no question found on the test page")
        start.give_up()
        return

    def step(n):
        item = items[n % len(items)]
        fields = {"text": f"Jawaban {n}"} if item in essays else {"choice": str(n % max(1, options[item]))}
        status, _, body = p.request("POST /asesmen/<id>/tes-tertulis/jawab/", "POST", f"{take}jawab/",
                                    {"item": str(item), **fields}, extra_headers={"X-Attempt-Token": token["now"]})
        if status == 200 and not json.loads(body).get("ok"):
            p.stats.add("POST /asesmen/<id>/tes-tertulis/jawab/", 0, False, body[:120].decode())
        if n % 20 == 0:  # a reload now and then: the server's clock, the saved answers, a new token
            _, _, again = p.request("GET /asesmen/<id>/tes-tertulis/", "GET", take)
            token["now"] = (re.findall(r'data-token="([^"]*)"', again.decode("utf-8", "replace")) or [""])[0]

    start.loop(p, step)


def assessor_recording(p, start, email, case_pks):
    p.log_in(email)
    items = {}
    for case_pk in case_pks:
        _, _, page = p.request("GET /asesmen/<id>/asesmen/", "GET", f"/asesmen/{case_pk}/asesmen/")
        versions = re.findall(rf'/asesmen/{case_pk}/asesmen/perangkat/(\d+)/', page.decode("utf-8", "replace"))
        found = []
        for version in sorted(set(versions)):
            _, _, fill = p.request("GET /asesmen/<id>/asesmen/perangkat/<v>/", "GET",
                                   f"/asesmen/{case_pk}/asesmen/perangkat/{version}/")
            found += re.findall(r'name="item" value="(\d+)"', fill.decode("utf-8", "replace"))
        items[case_pk] = sorted(set(found), key=int)
    if not all(items.values()):
        p.stats.add("GET /asesmen/<id>/asesmen/", 0, False, "no instrument item found on the assessment day")
        start.give_up()
        return

    def step(n):
        case_pk = case_pks[n % len(case_pks)]
        item = items[case_pk][(n // len(case_pks)) % len(items[case_pk])]
        p.request("POST /asesmen/<id>/asesmen/simpan/ (htmx)", "POST", f"/asesmen/{case_pk}/asesmen/simpan/",
                  {"item": item, "result": "K" if n % 7 else "BK"}, htmx=True)
        if n % 25 == 0:  # back to the day's overview now and then
            p.request("GET /asesmen/<id>/asesmen/", "GET", f"/asesmen/{case_pk}/asesmen/")

    start.loop(p, step)


def public_verifying(p, start, public_ids, offset):
    def step(n):
        public_id = public_ids[(n + offset) % len(public_ids)]
        p.request("GET /sertifikat/v/<id>/", "GET", f"/sertifikat/v/{public_id}/")
        p.request("GET /sertifikat/v/<id>.json", "GET", f"/sertifikat/v/{public_id}.json")

    start.loop(p, step)


def health_only(p, start):
    start.loop(p, lambda n: p.request("GET /health/ (baseline)", "GET", "/health/"))


# ── the installation ─────────────────────────────────────────────────────────────────────────────────────

def environment(data_dir, database_url, port, smtp_port, workers):
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(data_dir), "LANG": "C.UTF-8",
        "DATABASE_URL": database_url, "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_SECRET_KEY": "Lq8vT3mZp6Rk1Wx9Nc4Hb7Yd2Gf5Sa0Ue_Io3Pl8Kj1Mh6Ng4Bv9Cx2Zq7Wr0Et5Yu",
        "DJANGO_ALLOWED_HOSTS": HOST, "DJANGO_SECURE": "1", "KOMPETEN_SITE_URL": f"https://{HOST}",
        "KOMPETEN_DATA_DIR": str(data_dir), "KOMPETEN_STATIC_MANIFEST": "1",
        "KOMPETEN_LSP_NAME": "LSP Uji Beban", "KOMPETEN_LSP_LICENSE": "BNSP-LSP-0998-ID",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port), "DEFAULT_FROM_EMAIL": "LSP Uji Beban <no-reply@lsp-beban.id>",
        "KOMPETEN_CACHE_BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "KOMPETEN_CACHE_LOCATION": "kompeten_cache",
        "KOMPETEN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers), "LOG_LEVEL": "WARNING",
    }


def run(cmd, env, **kw):
    result = subprocess.run([str(ROOT / "scripts" / "kompeten"), *cmd], cwd=ROOT, env=env, capture_output=True,
                            text=True, **kw)
    if result.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def wait_for(port, proc, log, seconds=240):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server ended ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"no answer on /health/ after {seconds} s")


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(stats, seconds):
    print(f"{'path':58} {'req':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'err':>4}")
    total = errors = 0
    for label in sorted(stats.times):
        t = stats.times[label]
        total += len(t)
        errors += stats.errors[label]
        print(f"{label:58} {len(t):6d} {len(t) / seconds:7.1f} {statistics.median(t) * 1000:7.1f} "
              f"{percentile(t, 0.95) * 1000:7.1f} {max(t) * 1000:7.1f} {stats.errors[label]:4d}")
    every = [x for t in stats.times.values() for x in t]
    return total, errors, every


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=12, help="virtual people at once (a multiple of 4 is even)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (WEB_CONCURRENCY)")
    args = parser.parse_args()
    from tests.ops.smtp_sink import SmtpSink
    from tests.pg_plugin import _free_port, start_cluster

    quarter = max(1, args.users // 4)
    tmp = Path(tempfile.mkdtemp(prefix="kompeten-load-"))
    cluster = start_cluster()
    import psycopg

    with psycopg.connect(cluster, autocommit=True) as conn:
        conn.execute("CREATE DATABASE kompeten_load")
    database_url = cluster.rsplit("/", 1)[0] + "/kompeten_load"
    mail = SmtpSink()
    port = _free_port()
    env = environment(tmp / "var", database_url, port, mail.port, args.workers)
    (tmp / "var").mkdir()

    t = time.monotonic()
    run(["manage", "migrate", "--noinput", "-v0"], env)
    run(["manage", "createcachetable"], env)
    run(["manage", "load_demo"], env, timeout=1800)
    load = json.loads(run(["manage", "shell", "-c",
                           f"from bench.load import prepare; prepare({quarter}, {quarter}, {quarter})"],
                          {**env, "PYTHONPATH": str(ROOT)}).strip().splitlines()[-1])
    print(f"demo data loaded into PostgreSQL in {time.monotonic() - t:.0f} s: {len(load['certificates'])} "
          f"certificates; the load's own {quarter} + {quarter} + {quarter} candidates added")

    log = tmp / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen([str(ROOT / "scripts" / "kompeten"), "serve"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(port, server, log)
        print(f"scripts/kompeten serve: gunicorn, {args.workers} workers, on 127.0.0.1:{port}; "
              f"{args.users} people at once for {args.seconds:.0f} s (baseline: /health/ alone, as long)")

        def go(threads):
            for th in threads:
                th.start()
            for th in threads:
                th.join()

        warm = Stats()
        baseline = Stats()
        start = Start(args.users, args.seconds, baseline)
        go([threading.Thread(target=health_only, args=(Person(port, warm), start)) for _ in range(args.users)])

        stats = Stats()
        start = Start(4 * quarter, args.seconds, stats)
        threads = []
        for n in range(quarter):
            email, case_pk = load["forms"][n]
            threads.append(threading.Thread(target=candidate_filling_forms,
                                            args=(Person(port, warm), start, email, case_pk)))
            email, case_pk = load["written"][n]
            threads.append(threading.Thread(target=candidate_taking_written_test,
                                            args=(Person(port, warm), start, email, case_pk)))
            threads.append(threading.Thread(target=assessor_recording,
                                            args=(Person(port, warm), start, load["assessor"],
                                                  load["assessed"][n::quarter])))
            threads.append(threading.Thread(target=public_verifying,
                                            args=(Person(port, warm), start, load["certificates"], n)))
        go(threads)
        seconds = args.seconds
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()

    print("-- warming up: log-in, finding the way, each step once (not in the figures below) --")
    _, warm_errors, _ = report(warm, args.seconds)
    print("\n-- baseline: /health/ --")
    base_total, base_errors, base_all = report(baseline, args.seconds)
    print("\n-- the mixed load --")
    total, errors, every = report(stats, seconds)
    for sample in warm.samples + stats.samples + baseline.samples:
        print("  error:", sample)
    server_errors = [line for line in log.read_text().splitlines() if '"level": "ERROR"' in line]
    print(f"\nserver log: {len(server_errors)} ERROR line(s); notices received by SMTP: {len(mail.received)}")
    errors += warm_errors + base_errors + len(server_errors)
    rps, base_rps = total / seconds, base_total / args.seconds
    print(f"RESULT errors={errors} requests={total} rps={rps:.1f} p50_ms={statistics.median(every) * 1000:.1f} "
          f"p95_ms={percentile(every, 0.95) * 1000:.1f} baseline_health_rps={base_rps:.1f} "
          f"ratio_rps={rps / base_rps:.2f} users={args.users} workers={args.workers} seconds={seconds:.0f}")


if __name__ == "__main__":
    os.environ.pop("DATABASE_URL", None)
    main()
