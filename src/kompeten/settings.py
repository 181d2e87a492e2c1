"""Kompeten settings: one file, every option from the environment, safe defaults for a demo.

Environment variables (all optional):
  DATABASE_URL          e.g. postgres://user:pass@host:5432/kompeten (default: SQLite in var/)
  DJANGO_SECRET_KEY     otherwise generated once into var/.secret_key (git-ignored)
  DJANGO_DEBUG          "1" to turn debug on (off by default)
  DJANGO_ALLOWED_HOSTS  comma-separated (default: localhost,127.0.0.1)
  KOMPETEN_DATA_DIR     where the database, private files and the key live (default: ./var)
  EMAIL_BACKEND / EMAIL_HOST / EMAIL_PORT / EMAIL_HOST_USER / EMAIL_HOST_PASSWORD / EMAIL_USE_TLS
  DEFAULT_FROM_EMAIL    sender of notifications
  KOMPETEN_UPLOAD_MAX_MB  largest accepted upload in MB (default 10)
  KOMPETEN_SITE_URL     public base URL printed in QR codes (default http://127.0.0.1:8000)
  KOMPETEN_LSP_NAME     the LSP's name on screens and PDFs
  KOMPETEN_CREDENTIAL_KEY  PEM file (PKCS#8, unencrypted) of the LSP's Ed25519 key that signs the digital
                        credentials and status lists (default: made on first use into var/credential-ed25519.pem)
  KOMPETEN_PLENO_QUORUM (2) committee members present to decide in a plenary meeting
  KOMPETEN_ISSUE_PROCESSES  worker processes a meeting's issue job renders and signs its certificates in
                        (default: the CPUs the task worker may use, at most 4; 1 = in the task worker's own process)
  KOMPETEN_PDF_SIGNING_KEY / KOMPETEN_PDF_SIGNING_CERT  PEM files of the LSP's key (PKCS#8, unencrypted; EC or
                        RSA) and X.509 certificate (the chain may follow in the same file) that digitally sign the
                        certificate PDFs (default: a self-signed pair made on first use into var/pdf-signing-*.pem)
  KOMPETEN_APPEAL_WINDOW_DAYS (14) / KOMPETEN_GRIEVANCE_ACK_DAYS (3) / KOMPETEN_GRIEVANCE_RESOLVE_DAYS (30)
                        days to appeal after a BK result, to acknowledge and to decide an appeal or complaint
  KOMPETEN_COMPLAINT_RATE_LIMIT (3) / KOMPETEN_COMPLAINT_MIN_SECONDS (4)
                        public complaints per address per hour; least seconds to fill the form (spam guard)
  KOMPETEN_EXPIRY_REMINDER_DAYS (90,30,7) / KOMPETEN_SURVEILLANCE_REMINDER_DAYS (30,7)
                        days before expiry / a surveillance check when `send_reminders` reminds the holder
  KOMPETEN_REMINDER_MAX_PER_RUN (2000) / KOMPETEN_REMINDER_BATCH_SIZE (100) / KOMPETEN_REMINDER_BATCH_PAUSE (10)
                        spreading: notices per run, per batch, seconds between batches (the rest: next run)
  KOMPETEN_RECERT_WINDOW_DAYS (180)  days before expiry from which the holder may start recertification
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("KOMPETEN_DATA_DIR", PROJECT_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key():
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    key_file = DATA_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_tasks_db",
    # django-ninja serves the REST API (kompeten.api); listed so its Swagger UI comes from our static files,
    # never from a CDN.
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "kompeten.core",
    "kompeten.catalog",
    "kompeten.people",
    "kompeten.sites",
    "kompeten.cases",
    "kompeten.events",
    "kompeten.assessment",
    "kompeten.certification",
    "kompeten.appeals",
    "kompeten.desk",
    "kompeten.api",
    "kompeten.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Indonesian unless the person chose English (account, else cookie); not the browser's Accept-Language.
    "kompeten.core.middleware.LanguageMiddleware",
    # Staff (admin, committee, Ketua LSP, lead assessor) confirm each log-in with a second factor (core.mfa).
    "kompeten.core.mfa.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kompeten.core.middleware.FriendlyErrorsMiddleware",
    # Last, as django-axes asks: locks out repeated failed log-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kompeten.urls"

# The second factor for staff roles (core.mfa). Off only for the demo (`make demo` says so on every page).
KOMPETEN_MFA_REQUIRED = env_bool("KOMPETEN_MFA_REQUIRED", True)
OTP_TOTP_ISSUER = os.environ.get("KOMPETEN_LSP_NAME", "Kompeten")
WSGI_APPLICATION = "kompeten.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kompeten.core.context_processors.kompeten",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'kompeten.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout let the demo server and a worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "kompeten.core.auth.EmailOrUsernameBackend"]
# After 5 failed log-ins for the same account from the same address, wait an hour (or an admin resets it).
AXES_FAILURE_LIMIT = int(os.environ.get("KOMPETEN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Candidate documents never go to a public URL: they live here and are served by a view that checks
    # permission (core.views.private_file).
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "private", "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "private"
UPLOAD_MAX_BYTES = int(float(os.environ.get("KOMPETEN_UPLOAD_MAX_MB", "10")) * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600

_email_backend = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_email_options = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS"),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kompeten <no-reply@kompeten.local>")

# Background work goes through django.tasks; the immediate backend needs no worker for the demo.
# Long jobs a person starts and watches (core.jobs: issuing a meeting's certificates) always go to the
# database backend of django-tasks-db and run in `manage.py db_worker --backend background` (started beside
# the server by `scripts/kompeten demo`; in production a service of its own, see docs/deploy.md).
TASKS = {
    "default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Every asset is served by the app itself: no CDN, no inline script. Inline styles stay allowed for
# Bootstrap's width/height attributes and htmx's indicator style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SITE_URL = os.environ.get("KOMPETEN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
LSP_NAME = os.environ.get("KOMPETEN_LSP_NAME", "LSP Teknologi Digital Nusantara")
LSP_LICENSE = os.environ.get("KOMPETEN_LSP_LICENSE", "BNSP-LSP-1234-ID")
CREDENTIAL_KEY_FILE = os.environ.get("KOMPETEN_CREDENTIAL_KEY", "")
PDF_SIGNING_KEY_FILE = os.environ.get("KOMPETEN_PDF_SIGNING_KEY", "")
PDF_SIGNING_CERT_FILE = os.environ.get("KOMPETEN_PDF_SIGNING_CERT", "")
# Looks at the public verification page are kept in each process's memory and written in one INSERT after a
# response has been sent, at most every SCAN_FLUSH_EVERY looks or SCAN_FLUSH_SECONDS seconds.
SCAN_FLUSH_EVERY = int(os.environ.get("KOMPETEN_SCAN_FLUSH_EVERY", "50"))
SCAN_FLUSH_SECONDS = int(os.environ.get("KOMPETEN_SCAN_FLUSH_SECONDS", "10"))

# Appeals and complaints (appeals app): days to appeal after a BK decision or recommendation, to acknowledge
# receipt and to decide; complaints one address may lodge per hour; least seconds to fill the public form.
# S5.1: committee members who must be present at a plenary meeting (and free to decide a case) to decide.
PLENO_QUORUM = max(1, int(os.environ.get("KOMPETEN_PLENO_QUORUM", "2")))
# A meeting's issue job renders and signs its certificates (PDF/A, credential) in this many processes, while the
# job's own process numbers and writes them (certification.press).
ISSUE_PROCESSES = max(1, int(os.environ.get("KOMPETEN_ISSUE_PROCESSES", "0"))
                      or min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))
APPEAL_WINDOW_DAYS = int(os.environ.get("KOMPETEN_APPEAL_WINDOW_DAYS", "14"))
GRIEVANCE_ACK_DAYS = int(os.environ.get("KOMPETEN_GRIEVANCE_ACK_DAYS", "3"))
GRIEVANCE_RESOLVE_DAYS = int(os.environ.get("KOMPETEN_GRIEVANCE_RESOLVE_DAYS", "30"))
COMPLAINT_RATE_LIMIT = int(os.environ.get("KOMPETEN_COMPLAINT_RATE_LIMIT", "3"))
COMPLAINT_MIN_SECONDS = int(os.environ.get("KOMPETEN_COMPLAINT_MIN_SECONDS", "4"))

# Reminders (`manage.py send_reminders`, daily by cron): days before a certificate expires and before a
# surveillance check falls due; at most REMINDER_MAX_PER_RUN notices a run, sent in batches of
# REMINDER_BATCH_SIZE with REMINDER_BATCH_PAUSE seconds between batches (the rest go on the next run).
# A holder may start recertification RECERT_WINDOW_DAYS before the certificate expires.
def _days(name, default):
    return sorted({int(d) for d in os.environ.get(name, default).replace(" ", "").split(",") if d}, reverse=True)


EXPIRY_REMINDER_DAYS = _days("KOMPETEN_EXPIRY_REMINDER_DAYS", "90,30,7")
SURVEILLANCE_REMINDER_DAYS = _days("KOMPETEN_SURVEILLANCE_REMINDER_DAYS", "30,7")
REMINDER_MAX_PER_RUN = int(os.environ.get("KOMPETEN_REMINDER_MAX_PER_RUN", "2000"))
REMINDER_BATCH_SIZE = int(os.environ.get("KOMPETEN_REMINDER_BATCH_SIZE", "100"))
REMINDER_BATCH_PAUSE = float(os.environ.get("KOMPETEN_REMINDER_BATCH_PAUSE", "10"))
RECERT_WINDOW_DAYS = int(os.environ.get("KOMPETEN_RECERT_WINDOW_DAYS", "180"))

# ── Production (docs/deploy.md; checked by `manage.py check_production`) ─────────────────────────────────
# Every production value is reachable from the environment; the defaults above stay those of the demo.
#   DJANGO_SECURE=1            served over HTTPS behind a proxy: SSL redirect, HSTS, secure cookies, and the
#                              proxy's X-Forwarded-Proto header trusted (the proxy must set it, and overwrite it)
#   DJANGO_HSTS_SECONDS        HSTS max-age when DJANGO_SECURE=1 (default 31536000, one year)
#   DJANGO_HSTS_INCLUDE_SUBDOMAINS / DJANGO_HSTS_PRELOAD   "0" to leave out (default on with DJANGO_SECURE=1)
#   KOMPETEN_STATIC_MANIFEST=1 static files collected (collectstatic) with hashed names, compressed, cached
#                              for a year by the browser; served only from STATIC_ROOT
#   KOMPETEN_LOG_FORMAT        "json" (default: one JSON object per line) or "text"
#   EMAIL_TIMEOUT              seconds before an SMTP connection gives up (default 10)
from kompeten.core.observability import logging_config  # noqa: E402 - needs nothing from Django

SECRET_KEY_FROM_ENV = bool(os.environ.get("DJANGO_SECRET_KEY"))
MIDDLEWARE[:0] = ["kompeten.core.middleware.RequestIdMiddleware", "kompeten.core.middleware.HealthCheckMiddleware",
                  "kompeten.core.lanes.PublicLaneMiddleware"]
# The public lane (core.lanes): the certificate verification JSON and credential, asked for by every QR scan and
# verifier, pass only the middleware a public, anonymous, read-only answer needs — the security headers, the
# host check, the Content-Security-Policy, framing, the language from the cookie.
KOMPETEN_PUBLIC_LANES = [("/sertifikat/v/", "kompeten.certification.public_urls")]
# The fast lane (core.fastlane, in front of Django in kompeten/wsgi.py): the verification JSON alone, answered
# with the same headers before Django's request cycle. The regex is the URL of certification:verify_json.
KOMPETEN_FAST_LANES = [(r"/sertifikat/v/(?P<public_id>[^/]+)\.json", "kompeten.certification.views.verify_json_lane")]
KOMPETEN_LANE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kompeten.core.middleware.LanguageMiddleware",
]

if env_bool("DJANGO_SECURE"):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True

if env_bool("KOMPETEN_STATIC_MANIFEST"):
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    WHITENOISE_USE_FINDERS = False

if _email_backend.endswith("smtp.EmailBackend"):
    _email_options["timeout"] = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Private files on an S3-compatible object store (django-storages) instead of KOMPETEN_DATA_DIR/private, so
# several app servers share them without a shared mount (docs/deploy.md, section 8):
#   KOMPETEN_S3_BUCKET         the bucket (switches S3 on); made beforehand, private (no public ACL or policy)
#   KOMPETEN_S3_ENDPOINT_URL   the store's address (MinIO, Ceph, Wasabi, a provider's S3); unset for AWS
#   KOMPETEN_S3_REGION         e.g. ap-southeast-3 (AWS Jakarta); default us-east-1
#   KOMPETEN_S3_ACCESS_KEY / KOMPETEN_S3_SECRET_KEY   the key pair (unset: boto3's own, e.g. an instance role)
#   KOMPETEN_S3_PREFIX         a folder inside the bucket (default: none)
#   KOMPETEN_S3_ADDRESSING_STYLE  "path" or "virtual" (default: path with an endpoint URL, else virtual)
def s3_storage(environ):
    """STORAGES["default"] for the object store named by these KOMPETEN_S3_* variables (None without a bucket)."""
    if not environ.get("KOMPETEN_S3_BUCKET"):
        return None
    endpoint = environ.get("KOMPETEN_S3_ENDPOINT_URL") or None
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": environ["KOMPETEN_S3_BUCKET"],
        "endpoint_url": endpoint,
        "region_name": environ.get("KOMPETEN_S3_REGION", "us-east-1"),
        "access_key": environ.get("KOMPETEN_S3_ACCESS_KEY") or None,
        "secret_key": environ.get("KOMPETEN_S3_SECRET_KEY") or None,
        "location": environ.get("KOMPETEN_S3_PREFIX", "").strip("/"),
        "addressing_style": environ.get("KOMPETEN_S3_ADDRESSING_STYLE", "path" if endpoint else "virtual"),
        # Never a public object: no ACL of its own (the bucket's private default), every download through the
        # view that checks permission (the signed URLs django-storages can make are never handed out).
        "default_acl": None,
        "querystring_auth": True,
        # A stored name is never overwritten: a second file of the same name gets another (as on disk).
        "file_overwrite": False,
        "signature_version": "s3v4",
    }}


if _s3 := s3_storage(os.environ):
    STORAGES["default"] = _s3

LOGGING = logging_config(level=os.environ.get("LOG_LEVEL", "INFO"),
                         fmt=os.environ.get("KOMPETEN_LOG_FORMAT", "json"))
# ── end of production ─────────────────────────────────────────────────────────────────────────────────────
AXES_VERBOSE = False

# --- security (issue 12; what each line protects is in docs/security.md) ---------------------------------
# Every spelling of an account (capitals, spaces, e-mail or username) shares one lockout counter.
AXES_USERNAME_CALLABLE = "kompeten.core.auth.lockout_username"
# A session ends after KOMPETEN_SESSION_IDLE_MINUTES without a request (default 120), and in any case when
# the browser closes; a request renews it (core.middleware.IdleSessionMiddleware, at most one session write
# every SESSION_TOUCH_SECONDS). HSTS, the HTTPS redirect and Secure cookies: docs/deploy.md.
SESSION_COOKIE_AGE = int(os.environ.get("KOMPETEN_SESSION_IDLE_MINUTES", "120")) * 60
SESSION_TOUCH_SECONDS = 300
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Uploads: a request body larger than the limit is refused before it is read (core.uploads); small
# files stay in memory, larger ones go to a temporary file.
FILE_UPLOAD_HANDLERS = [
    "kompeten.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Public certificate look-ups by number: at most this many per address per hour (core.ratelimit).
KOMPETEN_LOOKUP_LIMIT = int(os.environ.get("KOMPETEN_LOOKUP_LIMIT", "30"))
CACHES = {"default": {"BACKEND": os.environ.get("KOMPETEN_CACHE_BACKEND",
                                                "django.core.cache.backends.locmem.LocMemCache"),
                      "LOCATION": os.environ.get("KOMPETEN_CACHE_LOCATION", "kompeten")}}
# Responses to a logged-in person are never cached (Cache-Control: no-store, private).
MIDDLEWARE.insert(MIDDLEWARE.index("kompeten.core.middleware.LanguageMiddleware"),
                  "kompeten.core.middleware.PrivatePagesMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("kompeten.core.middleware.LanguageMiddleware"),
                  "kompeten.core.middleware.IdleSessionMiddleware")
# --- end security --------------------------------------------------------------------------------------
