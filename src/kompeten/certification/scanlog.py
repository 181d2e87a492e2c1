"""Every look at the public verification page or JSON is logged without a write on the hot path.

The view only appends a tuple to this process's in-memory buffer (no database, no cache round trip). The
buffer is written as one bulk INSERT after a response has been sent (Django's request_finished signal fires
when the WSGI server closes the response, i.e. after the bytes went to the client) once it holds
SCAN_FLUSH_EVERY looks or its oldest look is SCAN_FLUSH_SECONDS old — on any request of the process, not only
verification ones — and when the process exits. Each gunicorn worker keeps its own buffer. What a crash
(kill -9) of a worker can lose is at most that buffer: acceptable for a visit log, never for a record of the SOP.
"""

import atexit
import hashlib
import threading
import time

from django.conf import settings
from django.core.signals import request_finished
from django.db import DatabaseError, connection
from django.utils import timezone

_lock = threading.Lock()
_buffer = []
_oldest = [0.0]


def ip_hash(ip):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest() if ip else ""


def enqueue(certificate_id, *, ip="", user_agent="", channel="html"):
    """Remember one look (in memory only)."""
    entry = (certificate_id, timezone.now(), ip_hash(ip), (user_agent or "")[:300], channel)
    with _lock:
        if not _buffer:
            _oldest[0] = time.monotonic()
        _buffer.append(entry)


def pending():
    with _lock:
        return len(_buffer)


def flush():
    """Write the buffered looks in one INSERT; returns how many."""
    with _lock:
        entries = _buffer[:]
        _buffer.clear()
    if not entries:
        return 0
    try:
        for start in range(0, len(entries), BATCH):
            _insert(entries[start:start + BATCH])
    except DatabaseError:  # e.g. a certificate gone in a test database; the looks are dropped, never the page
        return 0
    return len(entries)


BATCH = 500
COLUMNS = ("certificate", "at", "ip_hash", "user_agent", "channel")


def _insert(entries):
    """One INSERT written from the model's table and columns (what bulk_create would send, without building a
    model instance and compiling SQL for each look: the flush runs in the web workers). On PostgreSQL the rows
    go as one array per column (unnest): the statement's text is the same for every flush, so psycopg converts
    it once, where a VALUES list of 50 rows was a new 250-parameter text to parse on every flush."""
    from .models import VerificationScan

    meta, qn = VerificationScan._meta, connection.ops.quote_name
    fields = [meta.get_field(name) for name in COLUMNS]
    columns = ", ".join(qn(field.column) for field in fields)
    adapt = connection.ops.adapt_datetimefield_value
    rows = [(c, adapt(at), h, ua, ch) for c, at, h, ua, ch in entries]
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
        sql, params = f"INSERT INTO {qn(meta.db_table)} ({columns}) SELECT * FROM unnest({arrays})", [
            list(column) for column in zip(*rows, strict=True)]
    else:
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
        sql, params = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {values}", [v for row in rows for v in row]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def flush_due():
    with _lock:
        n, oldest = len(_buffer), _oldest[0]
    return n and (n >= settings.SCAN_FLUSH_EVERY or time.monotonic() - oldest >= settings.SCAN_FLUSH_SECONDS)


def _after_response(sender, **kwargs):
    if flush_due():
        flush()


def connect():
    """Called once from apps.py."""
    request_finished.connect(_after_response, dispatch_uid="kompeten-scanlog-flush")
    atexit.register(_flush_at_exit)


def _flush_at_exit():
    try:
        flush()
    except Exception:  # noqa: BLE001 — the interpreter is going away; nothing better to do
        pass


def discard():
    """Forget the buffered looks (tests start with none)."""
    with _lock:
        _buffer.clear()
