"""Request ids, JSON log lines, the 500 page, and /health/."""

import json
import logging

import pytest
from django.test import Client

from kompeten.core import health as health_module
from kompeten.core.observability import JsonFormatter, RequestIdFilter, logging_config


@pytest.fixture
def log_lines():
    """Every record written during the test, formatted as the production handler formats it."""
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(self.format(record)))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lines
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.mark.django_db
def test_every_request_gets_an_id_in_its_header_and_log_line(client, log_lines):
    given = client.get("/", headers={"X-Request-ID": "lb-1234.abc"})
    assert given["X-Request-ID"] == "lb-1234.abc"
    made = client.get("/")
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"] != given["X-Request-ID"]
    # A header that is not a plain short token is not echoed: a new id replaces it.
    odd = client.get("/", headers={"X-Request-ID": "<script>" + "x" * 80})
    assert "<" not in odd["X-Request-ID"] and len(odd["X-Request-ID"]) == 32

    requests = [line for line in log_lines if line["logger"] == "kompeten.request"]
    assert [line["request_id"] for line in requests] == ["lb-1234.abc", made["X-Request-ID"], odd["X-Request-ID"]]
    assert requests[0] | {"duration_ms": 0} == {
        "time": requests[0]["time"], "level": "INFO", "logger": "kompeten.request", "message": "GET / 200",
        "request_id": "lb-1234.abc", "method": "GET", "path": "/", "status": 200, "duration_ms": 0,
        "user_id": None}


@pytest.mark.django_db
def test_the_request_line_never_holds_the_query_string(client, log_lines, candidate):
    client.force_login(candidate)
    client.get("/skema/?q=Budi+Santoso")
    (line,) = [line for line in log_lines if line["logger"] == "kompeten.request"]
    assert line["path"] == "/skema/" and "Budi" not in json.dumps(line) and line["user_id"] == candidate.pk


@pytest.mark.django_db
def test_an_error_shows_its_request_id_to_the_person_and_logs_it(settings, log_lines):
    settings.ROOT_URLCONF = "tests.ops.boom_urls"
    client = Client(raise_request_exception=False)
    resp = client.get("/boom/", headers={"X-Request-ID": "req-500-test"})
    assert resp.status_code == 500 and resp["X-Request-ID"] == "req-500-test"
    body = resp.content.decode()
    assert "sebutkan kode ini kepada admin LSP" in body and "req-500-test" in body
    assert "boom" not in body and "Traceback" not in body
    ours = [line for line in log_lines if line["request_id"] == "req-500-test"]
    assert {line["logger"] for line in ours} >= {"kompeten.test", "django.request", "kompeten.request"}
    error = next(line for line in ours if line["logger"] == "django.request")
    assert error["level"] == "ERROR" and "RuntimeError: boom" in error["exception"]


@pytest.mark.django_db
def test_the_500_page_speaks_english_to_who_chose_it(settings, client):
    settings.ROOT_URLCONF = "tests.ops.boom_urls"
    client.raise_request_exception = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get("/boom/", headers={"X-Request-ID": "req-en"}).content.decode()
    assert "give this code to the LSP admin" in body and "req-en" in body


def test_json_lines_carry_extra_fields_and_are_one_line():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "two\nlines %s", ("ok",), None)
    record.case_id = 7
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line) | {"time": ""} == {"time": "", "level": "ERROR", "logger": "x",
                                                "message": "two\nlines ok", "request_id": "", "case_id": 7}


def test_text_format_can_be_chosen():
    config = logging_config(fmt="text")
    assert "request_id" in config["formatters"]["kompeten"]["format"]
    assert logging_config()["formatters"]["kompeten"] == {"()": "kompeten.core.observability.JsonFormatter"}


# ── /health/ ─────────────────────────────────────────────────────────────────────────────────────────────

@pytest.mark.django_db
def test_health_says_ok_without_login_or_personal_data(client, settings):
    resp = client.get("/health/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/json"
    assert "no-store" in resp["Cache-Control"]
    data = resp.json()
    assert data["status"] == "ok" and set(data) == {"status", "checks"}
    assert set(data["checks"]) == {"database", "storage"}
    assert all(set(c) == {"ok", "ms"} and c["ok"] is True for c in data["checks"].values())
    assert client.head("/health/").status_code == 200
    assert not list((settings.MEDIA_ROOT / ".health").iterdir())  # the probe file is gone


@pytest.mark.django_db
def test_health_answers_before_host_check_https_redirect_and_language(client, settings):
    settings.ALLOWED_HOSTS = ["sertifikasi.lsp-contoh.id"]
    settings.SECURE_SSL_REDIRECT = True
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    resp = client.get("/health/", HTTP_HOST="10.0.3.17:8000")
    assert resp.status_code == 200 and resp.json()["status"] == "ok"
    assert "Set-Cookie" not in resp.headers and resp["X-Request-ID"]
    # Everything else still has the host check and the redirect.
    assert client.get("/", HTTP_HOST="10.0.3.17:8000").status_code == 400
    assert client.get("/", HTTP_HOST="sertifikasi.lsp-contoh.id").status_code == 301


@pytest.mark.django_db
def test_health_is_503_when_private_files_cannot_be_written(client, settings, tmp_path, log_lines):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": blocker / "private", "base_url": None}}}
    resp = client.get("/health/", headers={"X-Request-ID": "hc-1"})
    assert resp.status_code == 503
    assert resp.json() == {"status": "fail", "checks": {
        "database": {"ok": True, "ms": resp.json()["checks"]["database"]["ms"]},
        "storage": {"ok": False, "ms": resp.json()["checks"]["storage"]["ms"]}}}
    assert str(blocker) not in resp.content.decode()  # the detail is in the log, not the answer
    (logged,) = [line for line in log_lines if line["logger"] == "kompeten.health"]
    assert logged["request_id"] == "hc-1" and logged["check"] == "storage" and "exception" in logged


@pytest.mark.django_db
def test_health_is_503_when_the_database_cannot_be_reached(client, monkeypatch):
    from django.db import OperationalError

    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health_module, "CHECKS", [("database", unreachable), ("storage", health_module.check_storage)])
    resp = client.get("/health/")
    assert resp.status_code == 503 and resp.json()["checks"]["database"]["ok"] is False
    assert resp.json()["checks"]["storage"]["ok"] is True


@pytest.mark.django_db
def test_favicon_redirect_names_the_static_file(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 301 and resp["Location"].endswith("/static/favicon.svg")
