import logging
import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.observability import bind_request_id, new_request_id, unbind_request_id
from kompeten.core.sessionless import is_sessionless

request_log = logging.getLogger("kompeten.request")


def name_in_log(request, user_id):
    """A view that knows who acts without loading the person (a @sessionless view authenticated otherwise)
    names them for the request's log line."""
    request.log_user_id = user_id


def _user_id(request):
    """The person's id: named by the view (name_in_log), or the logged-in person if the request already
    looked them up (never a query of its own)."""
    from django.utils.functional import empty

    named = getattr(request, "log_user_id", None)
    if named is not None:
        return named
    user = getattr(request, "user", None)
    user = getattr(user, "_wrapped", user)
    if user is None or user is empty:
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


class RequestIdMiddleware:
    """First in MIDDLEWARE: every request gets an id (the proxy's X-Request-ID when it sends a plain one,
    else a new one). It is on every log line written while the request runs, in the X-Request-ID response
    header and on the 500 page; one line per request records method, path (never the query string, which
    may hold a name), status, duration and the user's id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # META, not request.headers: the same header, without building the dict of every header on each request.
        request.request_id = new_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        token = bind_request_id(request.request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            log_request(request, response.status_code, started)
            return response
        finally:
            unbind_request_id(token)


def log_request(request, status, started):
    """The one line a request leaves in the log (also written by core.fastlane for the answers it gives)."""
    level = logging.DEBUG if request.path == "/health/" and status == 200 else logging.INFO
    request_log.log(level, "%s %s %s", request.method, request.path, status, extra={
        "method": request.method, "path": request.path, "status": status,
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
        "user_id": _user_id(request),
    })


class HealthCheckMiddleware:
    """Second in MIDDLEWARE, right after RequestIdMiddleware: answers /health/ (core.health) before anything
    else runs — no host check (a load balancer asks by the server's address, not the site's name), no HTTPS
    redirect, no session, no language, no login. The URL is in urls.py too, for reverse() and for a set-up
    that lists its middleware otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/health/":
            from kompeten.core.health import health

            return health(request)
        return self.get_response(request)


class FriendlyErrorsMiddleware:
    """A refused act becomes a clear message on the page the person came from; nothing was changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotAllowed):
            return render(request, "403.html", {"message": exception.message}, status=403)
        if isinstance(exception, WorkflowError):
            back = request.META.get("HTTP_REFERER")
            if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
                messages.error(request, exception.message)
                return redirect(back)
            # The 409 page shows the message itself; a flash message too would say it twice.
            return render(request, "409.html", {"message": exception.message}, status=409)
        return None


def chosen_language(request):
    """Indonesian, the LSP's language, unless the person chose otherwise: on their account when logged in,
    else in the language cookie set by the switcher. The browser's Accept-Language is not consulted."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language:
        return user.language
    return cookie_language(request)


def cookie_language(request):
    """The language chosen in the cookie (set by the switcher, and to the account's choice on every page a
    logged-in person gets), else the LSP's language; reads no account."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in dict(settings.LANGUAGES):
        return cookie
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates chosen_language() (in place of Django's LocaleMiddleware, which follows the browser); after
    AuthenticationMiddleware. A logged-in person's browser gets their account's choice in its cookie, so
    the pages keep their language after logging out.

    The cookie's language is active from the start (a page that is not found, too); the account's replaces it
    once the view is known (`process_view`), except for a @sessionless view (core.sessionless), which keeps
    the cookie's and never loads the account."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(cookie_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        if is_sessionless(request):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language \
                and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != user.language \
                and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, user.language, max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        use_chosen_language(request)
        return None


def use_chosen_language(request):
    """The account's language (chosen_language) from here on, except for a @sessionless view, which keeps the
    cookie's and loads no one. Also core.views.not_found: an address that names no page never reaches
    process_view."""
    if not is_sessionless(request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()


class PrivatePagesMiddleware:
    """Every response to a logged-in person may carry personal data: no shared cache and no browser cache
    keeps it (`Cache-Control: no-store, private`), so the back button after logging out shows nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # A @sessionless view (core.sessionless) answers a person without loading them: private all the same.
        if is_sessionless(request) or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
            response.headers.pop("Expires", None)
            patch_vary_headers(response, ("Cookie",))
        return response


class IdleSessionMiddleware:
    """A session ends after SESSION_COOKIE_AGE without a request. Instead of writing the session on every
    request (one UPDATE per page), its expiry is pushed forward at most once every SESSION_TOUCH_SECONDS.
    Done once the view is known (`process_view`): not for a @sessionless view (core.sessionless), which
    calls touch_session itself when it needs to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = getattr(request, "session", None)
        if session is not None and session.session_key and getattr(request, "user", None) is not None \
                and not is_sessionless(request) and request.user.is_authenticated:
            touch_session(request)
        return None


def touch_session(request):
    """Pushes the session's expiry forward (the session is saved with the response), at most once every
    SESSION_TOUCH_SECONDS. The caller knows the session is a logged-in person's."""
    now = int(time.time())
    if now - request.session.get("_touched", 0) >= settings.SESSION_TOUCH_SECONDS:
        request.session["_touched"] = now  # marks the session modified: saved with a new expiry


def touched_at_login(sender, request, user, **kwargs):
    """Logging in writes the session anyway: count it as the first touch (no second write on the next page)."""
    if getattr(request, "session", None) is not None:
        request.session["_touched"] = int(time.time())
