"""docs/deploy.md, followed as written, on PostgreSQL: its environment file (with each <…> filled in), a new
empty database, `scripts/kompeten serve`, then /health/ and the home page as the proxy would ask for them,
the settings check, and a clean stop."""

import http.client
import json
import re
import shlex
import signal
import subprocess
import time

import pytest

from .conftest import REPO, free_port, fresh_database

# It installs and serves on a PostgreSQL database of its own whichever pass runs it: once is enough.
pytestmark = pytest.mark.postgres_pass

DOCS = REPO / "docs" / "deploy.md"
HOST = "sertifikasi.lsp-uji.id"
# What the reader is told to fill in.
FILL = {
    "db-password": "unused-with-trust-auth",
    "secret-key": "h7Gq2xV9pLm4Rt8Wk3Nz6Yc1Bf5Jd0Sa-Ue_Io7Pl2Kj9Mh4Ng1Bv6Cx3Zq8Wr5Et0Yu",
    "host": HOST,
    "lsp-name": "LSP Uji Coba",
    "lsp-licence": "BNSP-LSP-0999-ID",
    "smtp-host": "smtp.lsp-uji.id",
    "smtp-user": "no-reply@lsp-uji.id",
    "smtp-password": "rahasia",
    "sender": '"LSP Uji Coba <no-reply@lsp-uji.id>"',
}


def documented_env_file():
    """The lines of the environment-file block of docs/deploy.md, with each placeholder filled in."""
    block = re.search(r"```sh\n(# /etc/kompeten/kompeten\.env.*?)```", DOCS.read_text(), re.S)
    assert block, "docs/deploy.md lost its environment file block"
    lines = block.group(1).splitlines()
    placeholders = set(re.findall(r"<([a-z-]+)>", block.group(1)))
    assert placeholders == set(FILL), f"placeholders changed: {placeholders ^ set(FILL)}"
    return [re.sub(r"<([a-z-]+)>", lambda m: FILL[m.group(1)], line) for line in lines]


def parse(lines):
    env = {}
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            (assignment,) = shlex.split(line)
            key, _, value = assignment.partition("=")
            env[key] = value
    return env


def _get(port, path, **headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def _wait_until_up(port, proc, log, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"scripts/kompeten serve ended ({proc.returncode}):\n{log.read_text()}")
        try:
            return _get(port, "/health/")
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"no answer on /health/ after {seconds} s:\n{log.read_text()}")


def _workers_once_up(proc, want, log, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        workers = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        if len(workers) == want or time.monotonic() > deadline:
            return workers
        if proc.poll() is not None:
            pytest.fail(f"scripts/kompeten serve ended ({proc.returncode}):\n{log.read_text()}")
        time.sleep(0.3)


@pytest.fixture
def documented_install(tmp_path, pg_cluster_url):
    """The environment file of the docs, written where section 4 says (here: tmp), pointing at a new empty
    database, a new data directory and a free port — the three things a test machine must choose itself."""
    port = free_port()
    lines = documented_env_file() + [
        "# the test machine's own:",
        f"DATABASE_URL={fresh_database(pg_cluster_url)}",
        f"KOMPETEN_DATA_DIR={tmp_path / 'var'}",
        f"KOMPETEN_BIND=127.0.0.1:{port}",
    ]
    env_file = tmp_path / "kompeten.env"
    env_file.write_text("\n".join(lines) + "\n")
    (tmp_path / "var").mkdir()
    base = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    return port, env_file, {**base, "KOMPETEN_ENV_FILE": str(env_file)}


def test_documented_environment_is_complete():
    env = parse(documented_env_file())
    assert env["DJANGO_SECURE"] == "1" and env["KOMPETEN_STATIC_MANIFEST"] == "1"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert int(env["WEB_CONCURRENCY"]) >= 2
    assert env["DEFAULT_FROM_EMAIL"] == "LSP Uji Coba <no-reply@lsp-uji.id>"
    documented = DOCS.read_text()
    for name in env:
        assert f"`{name}`" in documented, f"{name} is set but not described in the variables table"


def test_deploy_md_followed_literally_serves_pages(documented_install, tmp_path):
    port, env_file, env = documented_install
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(REPO / "scripts" / "kompeten"), "serve"], cwd=REPO, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # The load balancer asks by address (not the site's name), over plain HTTP.
        status, headers, body = _wait_until_up(port, proc, log)
        assert status == 200, body
        assert json.loads(body) == {"status": "ok", "checks": {
            "database": {"ok": True, "ms": json.loads(body)["checks"]["database"]["ms"]},
            "storage": {"ok": True, "ms": json.loads(body)["checks"]["storage"]["ms"]}}}

        # The proxy: the site's name, X-Forwarded-Proto, its request id.
        status, headers, body = _get(port, "/", Host=HOST, **{"X-Forwarded-Proto": "https",
                                                              "X-Request-ID": "deploy-test-1"})
        page = body.decode()
        assert status == 200 and "LSP Uji Coba" in page
        assert headers["X-Request-ID"] == "deploy-test-1"
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"

        # Plain HTTP to the site is sent to HTTPS; an unknown host name is refused.
        status, headers, _ = _get(port, "/", Host=HOST)
        assert status == 301 and headers["Location"] == f"https://{HOST}/"
        assert _get(port, "/", Host="evil.example", **{"X-Forwarded-Proto": "https"})[0] == 400

        # Static files: hashed names, compressed, cached for long.
        css = re.search(r'href="(/static/css/kompeten\.[0-9a-f]{12}\.css)"', page)
        assert css, "the page does not link the hashed stylesheet"
        status, headers, _ = _get(port, css.group(1), Host=HOST, **{"X-Forwarded-Proto": "https",
                                                                      "Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("Content-Encoding") == "gzip"
        assert "immutable" in headers["Cache-Control"]

        # Several workers. The master forks them one after another (and replaces one that was slow to boot on a
        # busy machine): counted once they are all up, not at the first answer.
        want = int(parse(documented_env_file())["WEB_CONCURRENCY"])
        assert len(_workers_once_up(proc, want, log)) == want
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0, log.read_text()

    # The server's own lines are JSON, one per line, and the page request's carries its id.
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert any(line["logger"] == "gunicorn.error" and "Listening at" in line["message"] for line in lines)
    (request_line,) = [line for line in lines if line.get("request_id") == "deploy-test-1"]
    assert request_line["status"] == 200 and request_line["path"] == "/"

    # The settings check of section 4 passed (serve runs it and stops if it fails), and Django's own is clean.
    assert "Ready for production" in log.read_text()
    deploy = subprocess.run([str(REPO / "scripts" / "kompeten"), "manage", "check", "--deploy", "--fail-level",
                             "WARNING"], cwd=REPO, env=env, capture_output=True, text=True)
    assert deploy.returncode == 0 and "no issues" in deploy.stdout, deploy.stdout + deploy.stderr


def test_serve_refuses_unfit_settings(documented_install, tmp_path):
    port, env_file, env = documented_install
    env_file.write_text(env_file.read_text() + "DJANGO_DEBUG=1\nKOMPETEN_MIGRATE=0\n")
    result = subprocess.run([str(REPO / "scripts" / "kompeten"), "serve"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 1
    assert "DEBUG is on" in result.stdout
    with pytest.raises(OSError):
        _get(port, "/health/")
