"""Views that do not need the session: marked with `@sessionless`, as Django marks a view with `csrf_exempt` or
`login_not_required`.

Every request otherwise costs the session, the user and the user's roles (three queries) before its view runs:
the middlewares that look at the person — the language of their account (LanguageMiddleware), the staff second
factor (mfa.StaffSecondFactorMiddleware), the idle-session touch (IdleSessionMiddleware) and the no-store header
for logged-in people (PrivatePagesMiddleware) — do that in `process_view` and skip it for a view so marked: its
language comes from the language cookie only, and its response is always `Cache-Control: no-store, private`.

A sessionless view authenticates the request by its own means — the written test's answer endpoint by the
attempt's own token (assessment/written_test.py, docs/security.md) — and may still read `request.user` (lazy, as
ever) on a path that needs it. The CSRF check (cookie and header, no query) is kept."""


def sessionless(view_func):
    """Marks `view_func` as a view that authenticates its requests itself (see the module's docstring)."""
    view_func.sessionless = True
    return view_func


def is_sessionless(request):
    """True when the request was resolved to a view marked @sessionless (False before resolving, e.g. a 404)."""
    match = getattr(request, "resolver_match", None)
    return bool(match is not None and getattr(match.func, "sessionless", False))
