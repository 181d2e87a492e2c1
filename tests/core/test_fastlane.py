"""The fast lane (core.fastlane): the verification JSON answered before Django's request cycle must be the answer
Django gives — status, every header, the body — and anything the lane cannot answer as Django would goes to Django.

The answers are asked of the WSGI application itself (a hand-built environ), as gunicorn asks them. The lane is
built inside each test, after the settings it reads have been changed, around a Django application built then too
(Django's middleware reads its settings once, when it is built)."""

import json
from io import BytesIO

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.urls import reverse

from kompeten.certification import scanlog
from kompeten.core.fastlane import FastLanes

from ..certification.conftest import case, cert, event  # noqa: F401 - the issued-certificate fixtures

pytestmark = pytest.mark.django_db


def ask(application, path, *, method="GET", secure=False, host="testserver", **extra):
    environ = {
        "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "443" if secure else "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host, "REMOTE_ADDR": "203.0.113.7", "wsgi.url_scheme": "https" if secure else "http",
        "wsgi.input": BytesIO(b""), "wsgi.errors": BytesIO(), "wsgi.version": (1, 0), "wsgi.multithread": False,
        "wsgi.multiprocess": True, "wsgi.run_once": False, **extra,
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers

    # As Django's test client does: the test's connection (inside its transaction) is not closed by the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = application(environ, start_response)
        try:
            answer["body"] = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return answer


def comparable(answer):
    """Headers as a dict without the request id's value, the JSON without the moment it was checked."""
    headers = dict(answer["headers"])
    assert headers.pop("X-Request-ID")
    data = json.loads(answer["body"])
    data.pop("checked_at", None)
    return answer["status"], headers, data


def fast(settings):
    lane = FastLanes(WSGIHandler())
    assert lane.lanes, "the fast lane is on with the project's settings"
    return lane


@pytest.fixture
def production_headers(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


@pytest.mark.parametrize("secure", [False, True])
@pytest.mark.parametrize("language", [None, "en"])
def test_the_answer_is_the_one_django_gives(cert, settings, production_headers, secure, language):  # noqa: F811
    url = reverse("certification:verify_json", args=[cert.public_id])
    cookie = {"HTTP_COOKIE": f"{settings.LANGUAGE_COOKIE_NAME}={language}"} if language else {}
    answered = ask(fast(settings), url, secure=secure, **cookie)
    settings.KOMPETEN_FAST_LANES = []
    through_django = ask(FastLanes(WSGIHandler()), url, secure=secure, **cookie)
    assert comparable(answered) == comparable(through_django)
    status, headers, data = comparable(answered)
    assert status == "200 OK" and data["number"] == cert.number
    assert data["status_label"] == ("Valid" if language == "en" else "Berlaku")
    assert ("Strict-Transport-Security" in headers) is secure
    assert int(headers["Content-Length"]) == len(answered["body"])


def test_the_lane_answers_without_django(cert, settings, monkeypatch):  # noqa: F811
    lane = fast(settings)
    monkeypatch.setattr(lane, "application", lambda environ, start_response: pytest.fail("Django was asked"))
    answer = ask(lane, reverse("certification:verify_json", args=[cert.public_id]), HTTP_X_REQUEST_ID="scan-42")
    assert answer["status"] == "200 OK" and dict(answer["headers"])["X-Request-ID"] == "scan-42"


def test_the_look_is_logged_and_the_request_ends(cert, settings):  # noqa: F811
    finished = []

    def on_finished(**kwargs):
        finished.append(True)

    signals.request_finished.connect(on_finished)
    try:
        before = scanlog.pending()
        ask(fast(settings), reverse("certification:verify_json", args=[cert.public_id]))
    finally:
        signals.request_finished.disconnect(on_finished)
    assert finished == [True]
    assert scanlog.pending() == before + 1 or scanlog.pending() == 0  # kept, or already flushed after the answer


def test_the_log_line_is_written(cert, settings, caplog):  # noqa: F811
    url = reverse("certification:verify_json", args=[cert.public_id])
    with caplog.at_level("INFO", logger="kompeten.request"):
        ask(fast(settings), url, HTTP_X_REQUEST_ID="log-1")
    [record] = [r for r in caplog.records if r.name == "kompeten.request"]
    assert (record.method, record.path, record.status) == ("GET", url, 200)


@pytest.mark.parametrize("what,expected", [
    ("unknown id", "404"), ("bad host", "400"), ("plain http", "301"), ("POST", "405"),
])
def test_what_the_lane_cannot_answer_django_does(cert, settings, what, expected):  # noqa: F811
    url = reverse("certification:verify_json", args=[cert.public_id])
    kwargs = {}
    if what == "unknown id":
        url = "/sertifikat/v/tidak-ada.json"
    elif what == "bad host":
        kwargs["host"] = "evil.example"
    elif what == "plain http":
        settings.SECURE_SSL_REDIRECT = True
    elif what == "POST":
        kwargs["method"] = "POST"
    assert ask(fast(settings), url, **kwargs)["status"].startswith(expected)


def test_other_lane_middleware_turns_the_lane_off(settings):
    settings.KOMPETEN_LANE_MIDDLEWARE = [*settings.KOMPETEN_LANE_MIDDLEWARE, "django.middleware.gzip.GZipMiddleware"]
    assert FastLanes(WSGIHandler()).lanes == []


def test_an_answer_that_fails_is_given_by_django_with_the_same_id(cert, settings, monkeypatch, caplog):  # noqa: F811
    lane = fast(settings)
    pattern, _ = lane.lanes[0]

    def broken(request, public_id):
        raise RuntimeError("broken")

    lane.lanes = [(pattern, broken)]
    answer = ask(lane, reverse("certification:verify_json", args=[cert.public_id]), HTTP_X_REQUEST_ID="fail-1")
    assert answer["status"] == "200 OK" and json.loads(answer["body"])["number"] == cert.number
    assert dict(answer["headers"])["X-Request-ID"] == "fail-1"
    assert any("fast lane failed" in r.getMessage() for r in caplog.records)


def test_log_records_skip_what_no_line_writes():
    """core.observability.logging_config: no stack walk for the caller, no thread or process look-up per record."""
    import logging

    from kompeten.core.observability import logging_config

    logging_config()
    record = logging.getLogger("kompeten.request").makeRecord("kompeten.request", logging.INFO, "(unknown file)",
                                                              0, "x", (), None)
    assert logging._srcfile is None and record.thread is None and record.process is None
