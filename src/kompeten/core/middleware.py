from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from kompeten.core.errors import NotAllowed, WorkflowError


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
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in dict(settings.LANGUAGES):
        return cookie
    return settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activates chosen_language() (in place of Django's LocaleMiddleware, which follows the browser); after
    AuthenticationMiddleware. A logged-in person's browser gets their account's choice in its cookie, so
    the pages keep their language after logging out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
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


class PrivatePagesMiddleware:
    """Every response to a logged-in person may carry personal data: no shared cache and no browser cache
    keeps it (`Cache-Control: no-store, private`), so the back button after logging out shows nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
            response.headers.pop("Expires", None)
            patch_vary_headers(response, ("Cookie",))
        return response
