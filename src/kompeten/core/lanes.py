"""Public lanes: a few anonymous, read-only public URLs — the certificate verification JSON that every QR scan
and every verifier asks for — answered through a short middleware chain instead of the whole stack.

The whole stack (settings.MIDDLEWARE) is built for people who log in: static files, the session, CSRF, the
log-in, the second factor, messages, htmx, the lock-out of failed log-ins — each a step every request passes,
and half of the verification JSON's cost (bench/bench_verify.py). A request whose path starts with a lane's
prefix and resolves in the lane's own small URLconf is answered by the lane: the same Django middleware classes
that give every answer its security headers and its host check (settings.KOMPETEN_LANE_MIDDLEWARE), the
language from the cookie (core.middleware.LanguageMiddleware; no account is read), then the view. Anything else
under the prefix (the HTML verification page, which shows the menu of a logged-in person) goes on through the
whole stack, as does every request when no lane is set. The request id and the request log (RequestIdMiddleware)
stand before the lanes and serve both.

The lanes are named in settings (KOMPETEN_PUBLIC_LANES: [(path prefix, URLconf module)]): core knows no domain."""

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.urls import Resolver404, get_resolver
from django.utils.module_loading import import_string


def _view(request):
    match = request.resolver_match  # resolved by the lane when it took the request
    return match.func(request, *match.args, **match.kwargs)


class PublicLaneMiddleware:
    """Right after RequestIdMiddleware and HealthCheckMiddleware (settings.MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.lanes = []
        for prefix, urlconf in getattr(settings, "KOMPETEN_PUBLIC_LANES", ()):
            resolver = get_resolver(urlconf)
            handler = convert_exception_to_response(_view)
            for path in reversed(settings.KOMPETEN_LANE_MIDDLEWARE):
                handler = convert_exception_to_response(import_string(path)(handler))
            self.lanes.append((prefix, resolver, handler))

    def __call__(self, request):
        path = request.path_info
        for prefix, resolver, handler in self.lanes:
            if path.startswith(prefix):
                try:
                    request.resolver_match = resolver.resolve(path)
                except Resolver404:
                    break
                return handler(request)
        return self.get_response(request)
