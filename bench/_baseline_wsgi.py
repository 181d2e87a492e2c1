"""The baseline of bench_written_test.py: the smallest Django app that does the same job — one view, no
middleware, no session, no login — saving one answer with one UPDATE on the same database and table.

Served by gunicorn with the production configuration (kompeten.gunicorn_conf), like the app itself, and reads
the same DATABASE_URL / DATABASE_CONN_MAX_AGE.
"""

import os

import dj_database_url
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-baseline"),
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    USE_TZ=True,
    DATABASES={"default": dj_database_url.config(
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")))},
)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpResponseBadRequest, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402


def save(request):
    """POST attempt, item, choice → one UPDATE of that answer row; JSON like the app's answer endpoint."""
    try:
        attempt, item, choice = (int(request.POST[k]) for k in ("attempt", "item", "choice"))
    except (KeyError, ValueError):
        return HttpResponseBadRequest("attempt, item, choice")
    now = timezone.now()
    with connection.cursor() as cur:
        cur.execute("UPDATE assessment_writtenanswer SET choice = %s, saved_at = %s "
                    "WHERE attempt_id = %s AND item_id = %s", [choice, now, attempt, item])
        updated = cur.rowcount
    return JsonResponse({"ok": bool(updated), "saved_at": now.isoformat()})


urlpatterns = [path("save/", save)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
