"""The public look-up of a certificate by its public_id, shared by the verification page, the verification JSON
and the credential, and what anyone may see about it (verification).

The verification URL is the busiest public one (every QR code scanned), so the look-up is a single query: the
certificate's public columns, its scheme's, the number of the certificate it renews and the scheme's units
(LEFT JOINs, one row per unit, in the units' order). The ORM writes that query once per process and database
connection: building SQL from a queryset costs far more CPU than running it, and this SQL only changes with
its parameter. Every call runs it: a status the LSP changes shows on the next answer, in every worker (nothing
of the answer is kept between requests).
"""

import functools
import weakref

from django.conf import settings
from django.db import connections
from django.utils import timezone

from .models import Certificate


def _in_model_order(model, names):
    """Model.from_db() takes the loaded columns in the model's field order."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


_Scheme = Certificate._meta.get_field("scheme").related_model
# What a visitor's page, JSON and credential read (none of the rest: each column is work for every answer).
CERTIFICATE_COLUMNS = _in_model_order(Certificate, {
    "id", "number", "holder_name", "issued_on", "valid_until", "status", "status_note", "status_changed_at",
    "bnsp_registration_number", "public_id", "case_id", "scheme_id", "renews_id"})
SCHEME_COLUMNS = _in_model_order(_Scheme, {"id", "number", "title"})
RENEWS_COLUMNS = _in_model_order(Certificate, {"id", "number", "public_id"})
UNIT_COLUMNS = ("code", "title")

_MARK = "\x00public_id\x00"  # where the public_id goes among the compiled query's parameters
_compiled = weakref.WeakKeyDictionary()  # database connection → (sql, params, index of the public_id, converters)


def _queryset(using):
    return (Certificate.objects.using(using).filter(public_id=_MARK)
            .values_list(*CERTIFICATE_COLUMNS, *(f"scheme__{c}" for c in SCHEME_COLUMNS),
                         *(f"renews__{c}" for c in RENEWS_COLUMNS), *(f"scheme__units__{c}" for c in UNIT_COLUMNS))
            .order_by("scheme__units__order", "scheme__units__id"))


def _compile(connection, using):
    compiler = _queryset(using).query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    converters = compiler.get_converters([col for col, _alias, _ann in compiler.select])
    return sql, tuple(params), params.index(_MARK), converters, compiler


NEVER_BY_ITSELF = 2**31


@functools.cache
def _prepared_cursor_class():
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(query, params, prepare=prepare, binary=binary)

    return PreparedCursor


def _cursor(connection):
    """Django's cursor (logged like any other); on PostgreSQL one binding the parameter on the server and running
    the look-up as a prepared statement (psycopg prepares it on the first run and keeps it for the connection's
    life): the server then parses and plans the four-table query once per connection, not once per look. A
    connection pooler in front of PostgreSQL must keep prepared statements (PgBouncer ≥ 1.21 in transaction
    mode: max_prepared_statements; docs/deploy.md)."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    driver = connection.connection
    if driver.prepare_threshold is None:
        # Django opens connections with prepared statements off (prepare_threshold=None), which psycopg reads as
        # "never, even when asked". A threshold no query reaches turns asking back on without preparing any
        # other query by itself (Django's own cursors bind on the client and are never prepared anyway).
        driver.prepare_threshold = NEVER_BY_ITSELF
    with connection.wrap_database_errors:
        return connection._prepare_cursor(_prepared_cursor_class()(driver))


def _rows(public_id, using):
    connection = connections[using]
    entry = _compiled.get(connection)
    if entry is None:
        entry = _compiled[connection] = _compile(connection, using)
    sql, params, at, converters, compiler = entry
    params = list(params)
    params[at] = public_id
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return list(compiler.apply_converters(rows, converters)) if converters and rows else rows


def _look(public_id, using):
    """The look-up's rows split into (certificate, scheme, renews) column tuples and the units, or None."""
    if not public_id:
        return None
    rows = _rows(public_id, using)
    if not rows:
        return None
    first, n_cert, n_scheme, n_renews = rows[0], len(CERTIFICATE_COLUMNS), len(SCHEME_COLUMNS), len(RENEWS_COLUMNS)
    unit_at = n_cert + n_scheme + n_renews
    units = [dict(zip(UNIT_COLUMNS, row[unit_at:], strict=True)) for row in rows if row[unit_at] is not None]
    return (first[:n_cert], first[n_cert:n_cert + n_scheme], first[n_cert + n_scheme:unit_at], units)


def public_certificate(public_id, using="default"):
    """The certificate with this public_id, or None: its public columns only (others load on first use), with
    its scheme, the certificate it renews (number and public_id) and `public_units` (code and title of each of
    the scheme's units, in order) — one query."""
    if (look := _look(public_id, using)) is None:
        return None
    certificate, scheme, renews, units = look
    cert = Certificate.from_db(using, CERTIFICATE_COLUMNS, certificate)
    cert.scheme = _Scheme.from_db(using, SCHEME_COLUMNS, scheme)
    if cert.renews_id is not None:
        cert.renews = Certificate.from_db(using, RENEWS_COLUMNS, renews)
    cert.public_units = units
    return cert


def verification(public_id, using="default"):
    """(id of the certificate, what anyone may see about it) for the certificate with this public_id, or None:
    the verification JSON, read with public_certificate()'s query but without model instances — building them
    (two, with their pre_init/post_init signals) cost a tenth of the JSON's CPU. No NIK, no address."""
    if (look := _look(public_id, using)) is None:
        return None
    certificate, scheme, renews, units = look
    cert = dict(zip(CERTIFICATE_COLUMNS, certificate, strict=True))
    scheme = dict(zip(SCHEME_COLUMNS, scheme, strict=True))
    status_changed_at = cert["status_changed_at"]
    status = Certificate.status_on(cert["status"], cert["valid_until"])
    return cert["id"], {
        "number": cert["number"],
        "holder_name": cert["holder_name"],
        "scheme": {"number": scheme["number"], "title": scheme["title"]},
        "issued_on": cert["issued_on"].isoformat(),
        "valid_until": cert["valid_until"].isoformat(),
        "status": status,
        "status_label": str(Certificate.Status(status).label),
        "status_note": cert["status_note"],
        "status_changed_at": status_changed_at.isoformat(timespec="seconds") if status_changed_at else None,
        "units": units,
        "issuer": {"name": settings.LSP_NAME, "license": settings.LSP_LICENSE},
        "renews": dict(zip(RENEWS_COLUMNS, renews, strict=True))["number"] if cert["renews_id"] is not None else None,
        "credential": settings.SITE_URL + Certificate.credential_url_of(cert["public_id"]),
        "checked_at": timezone.now().isoformat(timespec="seconds"),
    }
