import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
django_application = get_wsgi_application()

from kompeten.core.fastlane import FastLanes  # noqa: E402 - after Django is set up

# The verification JSON, asked for on every QR code scanned, is answered before Django's request cycle.
application = FastLanes(django_application)


def _warm_up():
    """Import what Django otherwise imports on a process's first request: the URL configuration, with every
    app's views (about 0.2 s of CPU), and the reverse() tables. gunicorn imports this module once in its master
    (gunicorn_conf.preload_app), so every worker, also one replacing another after max_requests, is forked with
    them loaded. Opens no database connection (tests/ops/test_gunicorn_preload.py)."""
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports ROOT_URLCONF and every include
    resolver.reverse_dict  # noqa: B018 - builds the tables reverse() reads


_warm_up()
