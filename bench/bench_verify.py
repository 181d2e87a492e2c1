"""The public verification JSON with 1,000,000 certificates, under the production WSGI server, against a minimal
WSGI app doing the same indexed look-up on the same database.

A throwaway PostgreSQL cluster (tests/pg_plugin.py) gets the tables (migrate) and N certificates (default
1,000,000) in bulk SQL (generate_series: one holder's case per certificate). Then, one after the other, on the same
port, with the same gunicorn, configuration and worker count (2, as on this 2-core machine):

- the app: `kompeten.wsgi` exactly as `scripts/kompeten serve` starts it (src/kompeten/gunicorn_conf.py), with the
  production environment of docs/deploy.md (DEBUG off, DJANGO_SECURE=1 behind a proxy that says
  X-Forwarded-Proto: https, DATABASE_CONN_MAX_AGE=60, JSON request log), answering /sertifikat/v/<id>.json;
- the baseline: a WSGI function that reads the certificate and its scheme by public_id over one persistent psycopg
  connection (the same unique index) and returns them as JSON.

A load generator (CLIENTS processes, each one request at a time, a new connection per request as gunicorn's sync
workers close it) asks for random certificates for SECONDS seconds; every answer must be 200. Each side is measured
ROUNDS times, alternating; the best round of each is kept (the machine is shared). Target: ratio ≥ 0.5.

  .venv/bin/python bench/bench_verify.py [N]
"""

import json
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N = int(next((a for a in sys.argv[1:] if a.isdigit()), 1_000_000))
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "6"))
HOST = "bench.lsp-contoh.id"

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
from tests.pg_plugin import start_cluster  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


DATABASE_URL = start_cluster()
DATA_DIR = tempfile.mkdtemp(prefix="kompeten-bench-verify-")
ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DATABASE_CONN_MAX_AGE": "60",
    "DJANGO_SECRET_KEY": "bench-" + "x7Kq2" * 12,
    "DJANGO_ALLOWED_HOSTS": HOST,
    "DJANGO_SECURE": "1",
    "KOMPETEN_SITE_URL": f"https://{HOST}",
    "KOMPETEN_DATA_DIR": DATA_DIR,
    "WEB_CONCURRENCY": "2",
    "PYTHONPATH": str(ROOT / "src"),
    "DJANGO_SETTINGS_MODULE": "kompeten.settings",
}
ENV.pop("DJANGO_DEBUG", None)
os.environ.update(ENV)

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command("migrate", verbosity=0)

from kompeten.catalog.loader import load_scheme, read_scheme_file  # noqa: E402
from kompeten.core.models import Role, RoleAssignment, User  # noqa: E402
from kompeten.demo.builder import FIXTURES  # noqa: E402

scheme = load_scheme(read_scheme_file(FIXTURES / "scheme-junior-web-developer.json"))
head = User.objects.create_user("ketualsp", "ketua@bench.id", "x", first_name="Hendra", last_name="Gunawan")
RoleAssignment.objects.create(user=head, role=Role.LSP_HEAD)
holder = User.objects.create_user("asesi", "asesi@bench.id", "x", first_name="Budi", last_name="Santoso")


def public_id(i):
    return f"b{i:07d}x{(i * 2654435761) % 4294967296:08x}"  # as long as a real one; unique per i


def load(n):
    """N cases and their certificates in two INSERT … SELECT generate_series statements."""
    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("""
            INSERT INTO cases_case (number, purpose, purpose_other, status, created_at, updated_at, candidate_id,
                                    scheme_id)
            SELECT 'PRM-B-' || lpad(i::text, 7, '0'), 'sertifikasi', '', 'certified', now(), now(), %s, %s
            FROM generate_series(1, %s) AS i""", [holder.pk, scheme.pk, n])
        cur.execute("""
            INSERT INTO certification_certificate (number, holder_name, issued_on, valid_until,
                bnsp_registration_number, blanko_number, status, public_id, issued_at, status_note, pdf,
                pdf_fingerprint, case_id, scheme_id, issued_by_id)
            SELECT 'CERT/LSP-TDN/JWD/' || (2020 + c.id %% 6) || '/' || lpad(c.id::text, 7, '0'),
                   'Pemegang ' || c.id, date '2026-01-01' - (c.id %% 1500)::int, date '2029-01-01' - (c.id %% 1500)::int,
                   '', '', CASE WHEN c.id %% 50 = 0 THEN 'suspended' ELSE 'active' END,
                   'b' || lpad(c.id::text, 7, '0') || 'x' || lpad(to_hex((c.id::bigint * 2654435761) %% 4294967296),
                                                                   8, '0'),
                   now(), '', '', '', c.id, c.scheme_id, %s
            FROM cases_case c WHERE c.number LIKE 'PRM-B-%%'""", [head.pk])
        cur.execute("ANALYZE")
        cur.execute("SELECT count(*), min(case_id) FROM certification_certificate")
        count, first_case = cur.fetchone()
    return count, first_case, time.perf_counter() - t


count, first_case, load_s = load(N)
assert count == N, count
print(f"{count:,} certificates loaded in {load_s:.1f} s")
connection.close()

BASELINE_APP = '''
import json, os
import psycopg

_conn = None
SQL = ("SELECT c.number, c.holder_name, c.issued_on, c.valid_until, c.status, c.status_note, s.number, s.title "
       "FROM certification_certificate c JOIN catalog_scheme s ON s.id = c.scheme_id WHERE c.public_id = %s")


def application(environ, start_response):
    global _conn
    if _conn is None:
        _conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    path = environ["PATH_INFO"]
    public_id = path.rsplit("/", 1)[-1].removesuffix(".json")
    row = _conn.execute(SQL, [public_id]).fetchone()
    if row is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b"{}"]
    body = json.dumps({"number": row[0], "holder_name": row[1], "issued_on": row[2].isoformat(),
                       "valid_until": row[3].isoformat(), "status": row[4], "status_note": row[5],
                       "scheme": {"number": row[6], "title": row[7]}}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
'''
baseline_dir = Path(DATA_DIR) / "baseline"
baseline_dir.mkdir()
(baseline_dir / "minimal_verify.py").write_text(BASELINE_APP)


def serve(app, extra_path=""):
    port = free_port()
    env = {**ENV, "KOMPETEN_BIND": f"127.0.0.1:{port}"}
    if extra_path:
        env["PYTHONPATH"] = f"{extra_path}:{env['PYTHONPATH']}"
    # The command of `scripts/kompeten serve` (its migrate/collectstatic/check steps are not the server).
    proc = subprocess.Popen([str(ROOT / ".venv/bin/python"), "-m", "gunicorn", "--config",
                             "python:kompeten.gunicorn_conf", app], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=open(Path(DATA_DIR) / f"{app}.log", "ab"),
                            start_new_session=True)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    return proc, port


def stop(proc):
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)


def get(port, path):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n"
                  "User-Agent: bench\r\n\r\n".encode())
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def client(port, until, out):
    rng = random.Random(os.getpid())
    done = errors = 0
    while time.time() < until:
        i = first_case + rng.randrange(N)
        reply = get(port, f"/sertifikat/v/{public_id(i)}.json")
        if reply.startswith(b"HTTP/1.1 200"):
            done += 1
        else:
            errors += 1
    out.put((done, errors))


TICKS = os.sysconf("SC_CLK_TCK")


def server_cpu(proc):
    """CPU seconds used so far by the gunicorn master and its workers (from /proc): what the server spent,
    whatever else the shared machine was doing. A worker replaced after max_requests is gone from the process
    list, its CPU then counts in the master's cutime/cstime (children it has waited for): without them a round
    in which workers were replaced measured less than before it, even below zero."""
    return tree_cpu(proc.pid)


def tree_cpu(pid):
    """CPU seconds of a process and its children, live (utime + stime) and reaped (cutime + cstime)."""
    def stat(pid):
        return [int(v) for v in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[11:15]]

    utime, stime, cutime, cstime = stat(pid)
    total = utime + stime + cutime + cstime
    for task in Path(f"/proc/{pid}/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                total += sum(stat(pid)[:2])  # a live worker: utime + stime
            except OSError:
                continue  # exited between the listing and the read; its CPU is in the master's cutime
    return total / TICKS


with connection.cursor() as cur:
    cur.execute("SHOW data_directory")
    POSTMASTER = int((Path(cur.fetchone()[0]) / "postmaster.pid").read_text().split()[0])
connection.close()


def measure(port, proc):
    """Requests a second, the server's CPU a request and PostgreSQL's (every backend, the postmaster's reaped
    children included: the database's share of the same two cores), both in ms."""
    cpu, db = server_cpu(proc), tree_cpu(POSTMASTER)
    until = time.time() + SECONDS
    out = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=client, args=(port, until, out)) for _ in range(CLIENTS)]
    for p in procs:
        p.start()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    done, errors = sum(r[0] for r in results), sum(r[1] for r in results)
    if errors:
        raise SystemExit(f"{errors} answers were not 200")
    return (done / SECONDS, (server_cpu(proc) - cpu) * 1000 / max(done, 1),
            (tree_cpu(POSTMASTER) - db) * 1000 / max(done, 1))


def check_app(port):
    """The app's answer is the verification JSON, with the security headers."""
    reply = get(port, f"/sertifikat/v/{public_id(first_case + 49)}.json")
    head_part, _, body = reply.partition(b"\r\n\r\n")
    assert head_part.startswith(b"HTTP/1.1 200"), head_part[:300]
    data = json.loads(body)
    assert data["status"] == "suspended" and data["scheme"]["number"] == scheme.number, data
    for header in (b"Strict-Transport-Security", b"X-Content-Type-Options", b"Referrer-Policy",
                   b"Cross-Origin-Opener-Policy"):
        assert header.lower() in head_part.lower(), header


rates = {"app": [], "baseline": []}
cpu_ms = {"app": [], "baseline": []}
db_ms = {"app": [], "baseline": []}
for _ in range(ROUNDS):
    for name, app, extra in (("baseline", "minimal_verify:application", str(baseline_dir)),
                             ("app", "kompeten.wsgi", "")):
        proc, port = serve(app, extra)
        try:
            for i in range(40):  # both workers up, their imports done and their database connections open
                get(port, f"/sertifikat/v/{public_id(first_case + i)}.json")
            if name == "app":
                check_app(port)
            rate, ms, db = measure(port, proc)
            rates[name].append(rate)
            cpu_ms[name].append(ms)
            db_ms[name].append(db)
        finally:
            stop(proc)
        print(f"{name:8} {rate:7.0f} requests/s, server CPU {ms:5.2f} ms a request, PostgreSQL CPU {db:5.2f} ms")

app_rps, base_rps = max(rates["app"]), max(rates["baseline"])
app_ms, base_ms = min(cpu_ms["app"]), min(cpu_ms["baseline"])
app_db, base_db = min(db_ms["app"]), min(db_ms["baseline"])
print(f"verification JSON with {N:,} certificates: app {app_rps:.0f}/s, minimal WSGI app {base_rps:.0f}/s, "
      f"ratio {app_rps / base_rps:.2f}; server CPU a request: app {app_ms:.2f} ms, minimal {base_ms:.2f} ms "
      f"(CPU ratio {base_ms / app_ms:.2f})")
print(f"RESULT ratio={app_rps / base_rps:.2f} app_rps={app_rps:.0f} baseline_rps={base_rps:.0f} "
      f"cpu_ratio={base_ms / app_ms:.2f} app_cpu_ms={app_ms:.2f} baseline_cpu_ms={base_ms:.2f} "
      f"app_db_cpu_ms={app_db:.2f} baseline_db_cpu_ms={base_db:.2f} n={N} "
      f"clients={CLIENTS} workers=2")
