"""How fast does the written test save answers when a whole room takes it at once? (issue 7)

50 candidates, each logged in with their own session and an open written test, save multiple-choice answers
as fast as they can, all at the same time, against the app's answer endpoint (assessment:written_answer)
served by gunicorn with the production configuration (kompeten.gunicorn_conf, WEB_CONCURRENCY workers,
DATABASE_CONN_MAX_AGE=60 as docs/deploy.md sets it) on a throwaway PostgreSQL cluster.

Each candidate's browser first gets their test page (assessment:written_take) once, as the real page does: its
script saves every answer with the page's token (X-Attempt-Token, bound to the session cookie; the endpoint is
@sessionless — written_test.py) and the CSRF cookie and header, and asks every SESSION_TOUCH_SECONDS that the
session be kept alive.

The baseline, in the same run, on the same database and the same gunicorn configuration: the smallest Django
app doing the same UPDATE of the same answer row (bench/_baseline_wsgi.py: one view, no middleware, no
session). The two are loaded in turns (baseline, app, baseline, app, …) and the median of the rounds is kept.

Prints req/s and p50/p95 latency of both and, last, `RESULT ratio=<app req/s ÷ baseline req/s> …`
(target ≥ 0.5). Knobs: BENCH_CANDIDATES (50), BENCH_SECONDS per round (6), BENCH_ROUNDS (3),
WEB_CONCURRENCY (2).
"""

import asyncio
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pg_plugin import start_cluster  # noqa: E402 - a throwaway cluster, stopped at exit

CANDIDATES = int(os.environ.get("BENCH_CANDIDATES", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = os.environ.get("WEB_CONCURRENCY", "2")

# One environment for the set-up here and for both servers.
SERVER_ENV = {
    "DATABASE_URL": start_cluster(),
    "DATABASE_CONN_MAX_AGE": "60",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "KOMPETEN_MFA_REQUIRED": "1",  # as in production (each request checks whether the person is staff)
    "WEB_CONCURRENCY": WORKERS,
    "LOG_LEVEL": "WARNING",
}
os.environ.update(SERVER_ENV)

from _setup import django_in_tempdir  # noqa: E402

django_in_tempdir()  # a temporary KOMPETEN_DATA_DIR, migrated
SERVER_ENV["KOMPETEN_DATA_DIR"] = os.environ["KOMPETEN_DATA_DIR"]

import datetime as dt  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from kompeten.assessment import written_test as WT  # noqa: E402
from kompeten.assessment.models import AssessmentPlan, WrittenAnswer  # noqa: E402
from kompeten.cases.models import Case  # noqa: E402
from kompeten.catalog.loader import load_scheme, read_scheme_file  # noqa: E402
from kompeten.core.models import Role  # noqa: E402
from kompeten.events.models import AssessmentEvent, EventAssessor  # noqa: E402
from kompeten.people.models import Assessor  # noqa: E402
from kompeten.sites.models import Site  # noqa: E402
from tests.conftest import SCHEME_FILE, make_user, validate_muk  # noqa: E402


def build():
    """The scheme with its validated MUK, an event on today with an approved plan holding IA.05/IA.06, and
    CANDIDATES checked-in candidates who have each started the test. Returns [(case, attempt, session, [mc item
    ids])]."""
    scheme = load_scheme(read_scheme_file(SCHEME_FILE))
    versions = validate_muk(scheme, make_user("validator", Role.LEAD_ASSESSOR))
    admin = make_user("admin", Role.ADMIN)
    site = Site.objects.create(code="TUK-B", name="TUK Bench", type=Site.Type.SEWAKTU, address="Jl. Uji 1",
                               verified_until=timezone.localdate() + dt.timedelta(days=365))
    site.schemes.add(scheme)
    user = make_user("asesor", Role.ASSESSOR)
    assessor = Assessor.objects.create(user=user, met_number="MET.000.000001 2020",
                                       registration_valid_until=timezone.localdate() + dt.timedelta(days=700))
    assessor.schemes.add(scheme)
    start = timezone.now() - dt.timedelta(hours=1)
    event = AssessmentEvent.objects.create(number="JUK-BENCH-1", scheme=scheme, site=site, starts_at=start,
                                           ends_at=start + dt.timedelta(hours=8), status="published",
                                           created_by=admin)
    EventAssessor.objects.create(event=event, assessor=assessor, letter_number="ST/B/1", assigned_by=admin)
    plan = AssessmentPlan.objects.create(event=event, version=1, status="approved", submitted_by=user)
    plan.instrument_versions.set(versions)
    out = []
    for i in range(CANDIDATES):
        candidate = make_user(f"asesi{i:03d}", Role.CANDIDATE, password=None)  # logged in below
        case = Case.objects.create(number=f"PMH-B-{i:04d}", candidate=candidate, scheme=scheme, event=event,
                                   assessor=assessor, status="in_assessment")
        attempt = WT.start_test(case, candidate)  # the candidate pressed "Mulai": 120 minutes from now
        client = Client()
        client.force_login(candidate)
        # The candidate's test page, as the browser gets it: its script saves with the token it carries.
        page = client.get(reverse("assessment:written_take", args=[case.pk]))
        assert page.status_code == 200, page.status_code
        token = re.search(r'data-token="([^"]+)"', page.content.decode()).group(1)
        mc = [q["item"]["id"] for q in WT.candidate_questions(attempt) if q["form"] == "IA.05"]
        out.append((case, attempt, (client.cookies[settings.SESSION_COOKIE_NAME].value, token), mc))
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app, port, pythonpath):
    """gunicorn as `scripts/kompeten serve` starts it (same config module), on `port`."""
    env = {**os.environ, **SERVER_ENV, "KOMPETEN_BIND": f"127.0.0.1:{port}",
           "PYTHONPATH": os.pathsep.join(pythonpath)}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "python:kompeten.gunicorn_conf", app],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn {app} exited with {proc.returncode}") from None
            time.sleep(0.1)
    raise SystemExit(f"gunicorn {app} did not start")


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


async def load(requests, seconds):
    """Each of the len(requests) candidates posts its next answer as soon as the previous one is answered,
    for `seconds`. requests[i]() gives (url, data, headers). Returns (req/s, latencies, Counter of failures)."""
    import aiohttp

    loop = asyncio.get_running_loop()
    latencies, failures = [], Counter()
    connector = aiohttp.TCPConnector(limit=0, force_close=True)  # gunicorn's sync workers close each time
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as session:
        began = loop.time()
        until = began + seconds

        async def one(next_request):
            while loop.time() < until:
                url, data, headers = next_request()
                t = time.perf_counter()
                try:
                    async with session.post(url, data=data, headers=headers) as r:
                        body = await r.json(content_type=None)
                        if r.status != 200 or not body.get("ok"):
                            failures[f"{r.status} {body.get('error', '')}"[:80]] += 1
                except (aiohttp.ClientError, ValueError) as exc:
                    failures[type(exc).__name__] += 1
                latencies.append(time.perf_counter() - t)

        await asyncio.gather(*(one(r) for r in requests))
        elapsed = loop.time() - began
    return len(latencies) / elapsed, latencies, failures


def p(latencies, q):
    return statistics.quantiles(latencies, n=100)[q - 1] * 1000


def app_requests(port, rows):
    csrf = secrets.token_hex(16)  # a 32-character CSRF secret: cookie and header alike, as Django accepts

    def maker(case, page, items):
        session, token = page
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
        headers = {"Cookie": cookie, "X-CSRFToken": csrf, "X-Requested-With": "fetch", WT.TOKEN_HEADER: token}
        url = f"http://127.0.0.1:{port}" + reverse("assessment:written_answer", args=[case.pk])
        state = {"n": 0, "touched": time.monotonic()}  # the page's GET kept the session alive

        def next_request():
            state["n"] += 1
            data = {"item": str(items[state["n"] % len(items)]), "choice": str(state["n"] % 4)}
            if time.monotonic() - state["touched"] >= settings.SESSION_TOUCH_SECONDS:  # as written-test.js does
                data["touch"], state["touched"] = "1", time.monotonic()
            return url, data, headers

        return next_request

    return [maker(case, session, items) for case, _, session, items in rows]


def baseline_requests(port, rows):
    def maker(attempt, items):
        url = f"http://127.0.0.1:{port}/save/"
        state = {"n": 0}

        def next_request():
            state["n"] += 1
            return url, {"attempt": str(attempt.pk), "item": str(items[state["n"] % len(items)]),
                         "choice": str(state["n"] % 4)}, {}

        return next_request

    return [maker(attempt, items) for _, attempt, _, items in rows]


def main():
    began = time.perf_counter()
    rows = build()
    print(f"set-up: {time.perf_counter() - began:.0f} s", flush=True)

    connections.close_all()
    app_port, base_port = free_port(), free_port()
    src = str(ROOT / "src")
    servers = [serve("kompeten.wsgi", app_port, [src]), serve("_baseline_wsgi:application", base_port,
                                                                [src, str(ROOT / "bench")])]
    try:
        # Both answer before timing starts (the app's first request imports and connects).
        with urllib.request.urlopen(f"http://127.0.0.1:{app_port}/health/", timeout=30) as r:
            assert r.status == 200
        app_load, base_load = app_requests(app_port, rows), baseline_requests(base_port, rows)
        asyncio.run(load(app_load, 1.5))
        asyncio.run(load(base_load, 1.5))
        WrittenAnswer.objects.update(saved_at=None, choice=None)
        results = {"app": [], "baseline": []}
        for _ in range(ROUNDS):
            results["baseline"].append(asyncio.run(load(base_load, SECONDS)))
            results["app"].append(asyncio.run(load(app_load, SECONDS)))
    finally:
        for proc in servers:
            stop(proc)
    summary = {}
    for name in ("baseline", "app"):
        runs = results[name]
        failures = sum((r[2] for r in runs), Counter())
        lat = [x for r in runs for x in r[1]]
        rps = statistics.median(r[0] for r in runs)
        summary[name] = (rps, p(lat, 50), p(lat, 95), sum(failures.values()))
        print(f"{name:<9} {rps:7.1f} req/s (rounds: {', '.join(f'{r[0]:.0f}' for r in runs)})  "
              f"p50 {p(lat, 50):6.1f} ms  p95 {p(lat, 95):6.1f} ms  {len(lat)} requests, "
              f"{sum(failures.values())} failed")
        for what, n in failures.most_common(5):
            print(f"          failed {n}×: {what}")
    saved = WrittenAnswer.objects.exclude(saved_at=None).values("attempt").distinct().count()
    print(f"answers saved by {saved} of {len(rows)} candidates; {CANDIDATES} concurrent, {WORKERS} gunicorn "
          f"workers, PostgreSQL, {ROUNDS} rounds of {SECONDS:g} s each")
    (brps, _, bp95, bfail), (arps, _, ap95, afail) = summary["baseline"], summary["app"]
    print(f"RESULT ratio={arps / brps:.2f} app_rps={arps:.0f} app_p95_ms={ap95:.0f} baseline_rps={brps:.0f} "
          f"baseline_p95_ms={bp95:.0f} failed={afail + bfail}")


if __name__ == "__main__":
    main()
