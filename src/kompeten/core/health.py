"""/health/ for a load balancer: 200 when this server can do its work, 503 when it cannot.

The answer is JSON and holds no personal data, no path and no error text (those go to the log, with the
request id):

    {"status": "ok", "checks": {"database": {"ok": true, "ms": 0.8}, "storage": {"ok": true, "ms": 0.4}}}

Each check is one entry of CHECKS: a name and a function that raises when the part does not work. A later
check (e.g. the task worker's heartbeat, {"worker": {"ok": …, "ms": …}}) is one more entry; "status" is "ok"
only when every check is.
"""

import logging
import time
import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger("kompeten.health")

PROBE_DIR = ".health"


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_storage():
    """Private files can be written and read back (a tiny file under .health/, removed at once)."""
    name = default_storage.save(f"{PROBE_DIR}/{uuid.uuid4().hex}", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as f:
            if f.read() != b"ok":
                raise OSError("private storage returned other bytes than written")
    finally:
        default_storage.delete(name)


CHECKS = [("database", check_database), ("storage", check_storage)]


def run_checks():
    results = {}
    for name, check in CHECKS:
        started = time.monotonic()
        try:
            check()
            ok = True
        except Exception:  # noqa: BLE001 - any failure means "not healthy"; the detail goes to the log
            log.exception("health check %s failed", name, extra={"check": name})
            ok = False
        results[name] = {"ok": ok, "ms": round((time.monotonic() - started) * 1000, 1)}
    return results


@login_not_required
@never_cache
@require_safe
def health(request):
    checks = run_checks()
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503)
