"""The fast lane: the one public answer asked for far more than any other — the certificate verification JSON
behind every QR code scanned — answered by the WSGI application itself, before Django's request cycle.

The public lane (core.lanes) already spares that answer the log-in stack; what is left of Django's cycle (the
handler, the middleware chain, the response object, the JSON encoder class) still cost more CPU than the
look-up itself (bench/bench_verify.py, bench/README.md). Here a GET whose path matches a fast lane
(settings.KOMPETEN_FAST_LANES: [(regex, dotted path of the answer function)]) is answered with:

- the same request object (WSGIRequest) and the same host check (ALLOWED_HOSTS through request.get_host());
- the headers the public lane's middleware (settings.KOMPETEN_LANE_MIDDLEWARE) gives every answer, built
  from the same settings the same way (`lane_headers`; tests/core/test_fastlane.py compares both answers
  header by header), and the language of the cookie, as core.middleware.LanguageMiddleware does;
- the request id and the one log line of core.middleware.RequestIdMiddleware, and Django's request_started
  and request_finished signals (database connections kept or closed as by Django, the scan log's flush);

Anything else goes to Django unchanged, which is always correct: another method or path, a host not allowed,
plain HTTP when HTTPS is required, a configuration the lane cannot reproduce (other lane middleware, a
disallowed user agent, PREPEND_WWW), an answer function that returns None (e.g. no such certificate: the view
answers the 404) or raises (logged, then the view answers, with the same request id).

core knows no domain: the lanes and their answer functions are named in the settings. An answer function
takes the request and the regex's named groups and returns (body bytes, [(header, value), …]) or None.
"""

import logging
import re
import time

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.utils import translation
from django.utils.csp import CSP, build_policy
from django.utils.module_loading import import_string

from kompeten.core.middleware import cookie_language, log_request
from kompeten.core.observability import bind_request_id, new_request_id, unbind_request_id

log = logging.getLogger(__name__)

# The public lane's middleware whose headers lane_headers() writes; with any other list the fast lane is off.
REPRODUCED_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kompeten.core.middleware.LanguageMiddleware",
]


def lane_headers(secure, language):
    """The headers KOMPETEN_LANE_MIDDLEWARE adds to an answer that has none of its own (a view's JSON):
    LanguageMiddleware, XFrameOptionsMiddleware, ContentSecurityPolicyMiddleware (no nonce: nothing in a JSON
    answer asks for one), SecurityMiddleware — in the order they add them."""
    headers = [("Vary", "Cookie"), ("Content-Language", language)]
    headers.append(("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()))
    for header, config in ((CSP.HEADER_ENFORCE, settings.SECURE_CSP),
                           (CSP.HEADER_REPORT_ONLY, settings.SECURE_CSP_REPORT_ONLY)):
        if config:
            headers.append((str(header), build_policy(config)))
    if settings.SECURE_HSTS_SECONDS and secure:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append(("Strict-Transport-Security", hsts))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if policy := settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", ",".join(
            [v.strip() for v in policy.split(",")] if isinstance(policy, str) else policy)))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    return headers


class FastLanes:
    """Wraps Django's WSGI application (kompeten/wsgi.py)."""

    def __init__(self, application):
        self.application = application
        self.lanes = []
        if list(settings.KOMPETEN_LANE_MIDDLEWARE) == REPRODUCED_MIDDLEWARE:
            self.lanes = [(re.compile(pattern), import_string(answer))
                          for pattern, answer in getattr(settings, "KOMPETEN_FAST_LANES", ())]
        self._headers = {}  # (secure, language) → lane_headers(): the settings do not change while serving

    def __call__(self, environ, start_response):
        if self.lanes and environ.get("REQUEST_METHOD") == "GET":
            path = environ.get("PATH_INFO", "")
            for pattern, answer in self.lanes:
                if match := pattern.fullmatch(path):
                    response = self._answer(environ, start_response, answer, match.groupdict())
                    if response is not None:
                        return response
                    break
        return self.application(environ, start_response)

    def _takes(self, request, secure):
        """Whether the lane may answer this request as Django would (else Django answers it)."""
        if settings.DISALLOWED_USER_AGENTS or settings.PREPEND_WWW:
            return False
        try:
            request.get_host()  # ALLOWED_HOSTS
        except DisallowedHost:
            return False
        return secure or not settings.SECURE_SSL_REDIRECT

    def _answer(self, environ, start_response, answer, kwargs):
        started = time.monotonic()
        request = WSGIRequest(environ)
        secure = request.is_secure()
        if not self._takes(request, secure):
            return None
        request.request_id = new_request_id(environ.get("HTTP_X_REQUEST_ID"))
        token = bind_request_id(request.request_id)
        try:
            language = cookie_language(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
            signals.request_started.send(sender=self.__class__, environ=environ)
            try:
                result = answer(request, **kwargs)
            except Exception:
                log.exception("The fast lane failed on %s; Django answers it.", request.path)
                environ["HTTP_X_REQUEST_ID"] = request.request_id  # the same id on the view's answer
                result = None
            if result is None:
                return None
            body, own_headers = result
            key = (secure, language)
            if (headers := self._headers.get(key)) is None:
                headers = self._headers[key] = lane_headers(*key)
            start_response("200 OK", [*own_headers, *headers, ("Content-Length", str(len(body))),
                                      ("X-Request-ID", request.request_id)])
            log_request(request, 200, started)
            return _Body(body)
        finally:
            unbind_request_id(token)


class _Body(list):
    """The answer's bytes; closing it (the WSGI server does, once they are sent) is the end of the request, as
    for a Django response: request_finished."""

    def __init__(self, body):
        super().__init__((body,))

    def close(self):
        signals.request_finished.send(sender=FastLanes)
