"""What stands between these settings and production, in plain words (`manage.py check_production`).

Each check reads the running settings and returns sentences naming what is wrong and the environment
variable that fixes it (docs/deploy.md lists them all). Django's own deployment checks (`check --deploy`)
are added, except those this module already words itself.
"""

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks as django_checks
from django.core.files.storage import default_storage, storages
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "testserver", "0.0.0.0", ""}
DEV_MAIL_BACKENDS = ("console", "locmem", "dummy", "filebased")
DEMO_LSP_NAME = "LSP Teknologi Digital Nusantara"
DEMO_LSP_LICENSE = "BNSP-LSP-1234-ID"
# Django's deployment checks that the checks below already say in their own words.
COVERED_DJANGO_CHECKS = {"security.W004", "security.W008", "security.W009", "security.W012", "security.W016",
                         "security.W018", "security.W020", "mail.E001"}


def _is_local(host):
    host = (host or "").strip().lower().strip("[]")
    if host in LOCAL_HOSTS or host.endswith(".localhost") or host.endswith(".local"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def check_debug():
    if settings.DEBUG:
        return ["DEBUG is on: an error page would show the code, the settings and the data of the request to "
                "anyone. Remove DJANGO_DEBUG (or set it to 0)."]
    return []


def check_secret_key():
    key = settings.SECRET_KEY or ""
    found = []
    if not getattr(settings, "SECRET_KEY_FROM_ENV", False):
        found.append("The secret key was generated on this server into the data directory (var/.secret_key): "
                     "set DJANGO_SECRET_KEY, the same on every app server, and keep it out of the code.")
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
        found.append("The secret key is weak (fewer than 50 characters, too few different characters, or "
                     "Django's insecure example): make a new one with "
                     "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` and set DJANGO_SECRET_KEY.")
    return found


def check_hosts():
    hosts = [h.strip() for h in settings.ALLOWED_HOSTS if h.strip()]
    if "*" in hosts:
        return ["ALLOWED_HOSTS accepts any host name (*): list the site's own name(s) in DJANGO_ALLOWED_HOSTS."]
    if not [h for h in hosts if not _is_local(h.lstrip("."))]:
        return ["ALLOWED_HOSTS holds only local names (localhost, 127.0.0.1 …): set DJANGO_ALLOWED_HOSTS to the "
                "site's host name, e.g. DJANGO_ALLOWED_HOSTS=sertifikasi.lsp-contoh.id."]
    return []


def check_https():
    found = []
    if not settings.SECURE_SSL_REDIRECT:
        found.append("Plain HTTP is not redirected to HTTPS: set DJANGO_SECURE=1.")
    elif not settings.SECURE_PROXY_SSL_HEADER:
        found.append("HTTPS redirect is on but Django cannot tell an HTTPS request from the proxy: set "
                     "DJANGO_SECURE=1, which trusts the proxy's X-Forwarded-Proto header.")
    if (settings.SECURE_HSTS_SECONDS or 0) < 86400:
        found.append("Browsers are not told to keep to HTTPS (HSTS is off or shorter than a day): set "
                     "DJANGO_SECURE=1 (DJANGO_HSTS_SECONDS to change its length).")
    if not settings.SESSION_COOKIE_SECURE:
        found.append("The log-in cookie may travel over plain HTTP: set DJANGO_SECURE=1.")
    if not settings.CSRF_COOKIE_SECURE:
        found.append("The CSRF cookie may travel over plain HTTP: set DJANGO_SECURE=1.")
    return found


def check_email():
    mailer = getattr(settings, "MAILERS", {}).get("default", {})
    backend = mailer.get("BACKEND", getattr(settings, "EMAIL_BACKEND", ""))
    found = []
    if any(f".{name}." in backend for name in DEV_MAIL_BACKENDS):
        found.append(f"E-mail is not sent ({backend.rsplit('.', 2)[-2]} backend): candidates, assessors and the "
                     "committee would never get their notices. Set EMAIL_BACKEND="
                     "django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, "
                     "EMAIL_HOST_PASSWORD, EMAIL_USE_TLS.")
    sender = settings.DEFAULT_FROM_EMAIL or ""
    if ".local>" in sender or sender.endswith(".local") or "@" not in sender:
        found.append(f"Notices would be sent from {sender!r}, an address nobody can answer: set "
                     "DEFAULT_FROM_EMAIL, e.g. \"LSP Contoh <no-reply@lsp-contoh.id>\".")
    return found


def check_database():
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite":
        return ["The database is SQLite, made for the demo and a single server: set DATABASE_URL="
                "postgres://user:password@host:5432/kompeten."]
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001 - any failure to reach it is the answer
        return [f"The database in DATABASE_URL cannot be reached: {exc.__class__.__name__}: {exc}".strip()]
    if pending:
        return [f"The database lacks {len(pending)} migration(s): run `manage.py migrate` "
                "(scripts/kompeten serve does)."]
    return []


def check_storage():
    found = []
    location = getattr(default_storage, "location", None)
    if location is not None:
        location = Path(location)
        static_root = Path(settings.STATIC_ROOT).resolve() if settings.STATIC_ROOT else None
        if static_root and (location.resolve() == static_root or static_root in location.resolve().parents):
            found.append(f"Private files are stored inside STATIC_ROOT ({location}), where anyone can download "
                         "them: keep them apart (KOMPETEN_DATA_DIR/private).")
        probe = location if location.exists() else location.parent
        if not os.access(probe, os.W_OK):
            found.append(f"Private files cannot be written to {location}: give the server's user write access "
                         "to it.")
    options = settings.STORAGES["default"].get("OPTIONS", {})
    if settings.STORAGES["default"].get("BACKEND", "").startswith("storages.backends.s3"):
        found.extend(_check_object_store(options))
    if options.get("base_url"):
        found.append("Private files have a public URL (base_url): they must be served only by the view that "
                     "checks permission.")
    static = storages["staticfiles"]
    if "Manifest" not in type(static).__name__:
        found.append("Static files are not served with hashed names, so browsers cannot cache them for long: set "
                     "KOMPETEN_STATIC_MANIFEST=1 and run `manage.py collectstatic` (scripts/kompeten serve does).")
    elif not (Path(settings.STATIC_ROOT) / static.manifest_name).exists():
        found.append("Static files have not been collected: run `manage.py collectstatic` "
                     "(scripts/kompeten serve does).")
    return found


def _check_object_store(options):
    """Private files on S3-compatible storage (KOMPETEN_S3_*): reachable, writable, and not made public."""
    found = []
    acl = options.get("default_acl") or ""
    if "public" in acl or options.get("custom_domain") or options.get("querystring_auth") is False:
        found.append("Private files on the object store would be readable by URL without a log-in (a public ACL, "
                     "a custom domain or unsigned URLs): keep the bucket private and the settings as "
                     "docs/deploy.md gives them.")
    from kompeten.core.health import check_storage as probe

    try:
        probe()
    except Exception as exc:  # noqa: BLE001 - any failure to use it is the answer
        found.append(f"The object store of KOMPETEN_S3_BUCKET ({options.get('bucket_name')}) cannot be written and "
                     f"read back: {exc.__class__.__name__}: {exc}. Check the bucket, KOMPETEN_S3_ENDPOINT_URL and "
                     "the key pair (KOMPETEN_S3_ACCESS_KEY, KOMPETEN_S3_SECRET_KEY).")
    return found


def check_site():
    url = urlsplit(settings.SITE_URL)
    found = []
    if url.scheme != "https":
        found.append(f"KOMPETEN_SITE_URL ({settings.SITE_URL}) is not https: the QR code on every certificate "
                     "prints it. Set it to the public https address, e.g. https://sertifikasi.lsp-contoh.id.")
    if _is_local(url.hostname):
        found.append(f"KOMPETEN_SITE_URL ({settings.SITE_URL}) points at this machine: nobody who scans a "
                     "certificate's QR code could open it.")
    elif not _allowed(url.hostname):
        found.append(f"KOMPETEN_SITE_URL's host ({url.hostname}) is not in DJANGO_ALLOWED_HOSTS: the pages the QR "
                     "codes open would be refused.")
    if settings.LSP_NAME == DEMO_LSP_NAME:
        found.append(f"KOMPETEN_LSP_NAME is the demo's ({DEMO_LSP_NAME}): set your LSP's name, printed on every "
                     "screen and certificate.")
    if settings.LSP_LICENSE == DEMO_LSP_LICENSE:
        found.append(f"KOMPETEN_LSP_LICENSE is the demo's ({DEMO_LSP_LICENSE}): set your BNSP licence number.")
    return found


def _allowed(host):
    from django.http.request import validate_host

    return validate_host(host or "", settings.ALLOWED_HOSTS)


def server_processes():
    """How many processes may serve this installation at once: gunicorn's WEB_CONCURRENCY workers (default 3,
    as src/kompeten/gunicorn_conf.py), and more than one whenever this is a second app server
    (KOMPETEN_MIGRATE=0, docs/deploy.md section 13)."""
    try:
        workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
    except ValueError:
        workers = 3
    if os.environ.get("KOMPETEN_MIGRATE", "1").strip() == "0":
        workers = max(workers, 2)
    return workers


def check_cache():
    """The cache must be one for every process: the public look-up's rate limit (core.ratelimit) counts in
    it, and the LSP profile shown on every page (core.lsp) is forgotten there when it is edited. Log-in
    sessions live in the database (Django's default session engine), never in this cache."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    shared = ("Set KOMPETEN_CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache and "
              "KOMPETEN_CACHE_LOCATION=kompeten_cache (a table in the same PostgreSQL, made by "
              "`manage.py createcachetable`, which scripts/kompeten serve runs), the same on every app server.")
    if backend.endswith(".DummyCache"):
        return ["The cache keeps nothing (DummyCache): the limit on public certificate look-ups never counts. "
                + shared]
    if backend.endswith(".LocMemCache") and (n := server_processes()) > 1:
        return [f"The cache is each process's own memory (LocMemCache) while {n} server processes run "
                "(WEB_CONCURRENCY, or a second app server): the limit on public certificate look-ups would "
                "count per process, so a visitor gets that many times more, and an edit of the LSP profile "
                "shows late on the other processes. " + shared]
    try:
        from django.core.cache import caches

        probe = caches["default"]
        probe.set("kompeten:check-production", "ok", 30)
        if probe.get("kompeten:check-production") != "ok":
            raise OSError("the cache returned another value than written")
    except Exception as exc:  # noqa: BLE001 - any failure to use it is the answer
        return [f"The cache ({backend.rsplit('.', 1)[-1]}) cannot be used: {exc.__class__.__name__}: {exc} — "
                "for DatabaseCache run `manage.py createcachetable` (scripts/kompeten serve does)."]
    return []


def check_second_factor():
    if not getattr(settings, "KOMPETEN_MFA_REQUIRED", True):
        return ["The second factor for staff is off (KOMPETEN_MFA_REQUIRED=0, the demo's setting): the admin, "
                "committee, Ketua LSP and lead assessors would log in with a password alone, and a stolen "
                "password would be enough to decide and issue certificates. Remove KOMPETEN_MFA_REQUIRED (or set "
                "it to 1)."]
    return []


def check_django_deploy():
    messages = django_checks.run_checks(include_deployment_checks=True)
    return [f"Django's deployment check: {m.msg}" + (f" ({m.hint})" if m.hint else "") + f" [{m.id}]"
            for m in messages
            if m.level >= django_checks.WARNING and m.id not in COVERED_DJANGO_CHECKS
            and not m.is_silenced()]


CHECKS = [check_debug, check_secret_key, check_hosts, check_https, check_second_factor, check_email,
          check_database, check_cache, check_storage, check_site, check_django_deploy]


def problems():
    found = []
    for check in CHECKS:
        found.extend(check())
    return found
