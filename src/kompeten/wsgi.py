import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
application = get_wsgi_application()


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
