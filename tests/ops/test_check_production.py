"""manage.py check_production: each thing unfit for production is named in plain words; the demo's settings
fail, production values pass (the documented environment as a whole: test_deploy.py)."""

import subprocess
import sys

import pytest
from django.core.management import call_command

from kompeten.core import production

from .conftest import REPO, install_env

STRONG_KEY = "Jq3x9vT2mLp8Rk4Wz7Nc1Hb6Yd5Gf0Sa-Ue_Io2Pl3Kj4Mh5Ng6Bv7Cx8Zq9Wr0Et1Yu2"


@pytest.fixture
def production_settings(settings, tmp_path, monkeypatch):
    import kompeten.urls  # noqa: F401 - imported (static() resolved) before the storage below is set

    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # set by the browser tests' set-up
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    settings.SECRET_KEY_FROM_ENV = True
    settings.ALLOWED_HOSTS = ["sertifikasi.lsp-contoh.id"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {}}}
    settings.DEFAULT_FROM_EMAIL = "LSP Contoh <no-reply@lsp-contoh.id>"
    settings.SITE_URL = "https://sertifikasi.lsp-contoh.id"
    settings.LSP_NAME = "LSP Contoh"
    settings.LSP_LICENSE = "BNSP-LSP-0001-ID"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    (settings.STATIC_ROOT / "staticfiles.json").write_text('{"paths": {}, "version": "1.1"}')
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    # The documented shared cache (docs/deploy.md): a table in the database, made as serve makes it.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "kompeten_cache_test"}}
    call_command("createcachetable", verbosity=0)
    settings.KOMPETEN_MFA_REQUIRED = True
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.delenv("KOMPETEN_MIGRATE", raising=False)
    return settings


def _all_but_database():
    return [p for check in production.CHECKS if check is not production.check_database for p in check()]


@pytest.mark.django_db
def test_production_values_pass(production_settings):
    assert _all_but_database() == []


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "says"), [
    ({"DEBUG": True}, "DEBUG is on"),
    ({"SECRET_KEY_FROM_ENV": False}, "generated on this server"),
    ({"SECRET_KEY": "django-insecure-" + "x1" * 30}, "secret key is weak"),
    ({"SECRET_KEY": "short-key"}, "secret key is weak"),
    ({"ALLOWED_HOSTS": ["*"]}, "accepts any host name"),
    ({"ALLOWED_HOSTS": ["localhost", "127.0.0.1", "testserver"]}, "only local names"),
    ({"SECURE_SSL_REDIRECT": False}, "not redirected to HTTPS"),
    ({"SECURE_PROXY_SSL_HEADER": None}, "cannot tell an HTTPS request from the proxy"),
    ({"SECURE_HSTS_SECONDS": 0}, "HSTS is off"),
    ({"SESSION_COOKIE_SECURE": False}, "log-in cookie may travel over plain HTTP"),
    ({"CSRF_COOKIE_SECURE": False}, "CSRF cookie may travel over plain HTTP"),
    ({"MAILERS": {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}},
     "E-mail is not sent (console backend)"),
    ({"MAILERS": {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}},
     "E-mail is not sent (dummy backend)"),
    ({"DEFAULT_FROM_EMAIL": "Kompeten <no-reply@kompeten.local>"}, "an address nobody can answer"),
    ({"SITE_URL": "http://sertifikasi.lsp-contoh.id"}, "is not https"),
    ({"SITE_URL": "https://localhost:8000"}, "points at this machine"),
    ({"SITE_URL": "https://lain.example.id"}, "is not in DJANGO_ALLOWED_HOSTS"),
    ({"LSP_NAME": production.DEMO_LSP_NAME}, "KOMPETEN_LSP_NAME is the demo's"),
    ({"LSP_LICENSE": production.DEMO_LSP_LICENSE}, "KOMPETEN_LSP_LICENSE is the demo's"),
    ({"KOMPETEN_MFA_REQUIRED": False}, "The second factor for staff is off (KOMPETEN_MFA_REQUIRED=0"),
    ({"CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}},
     "The cache keeps nothing (DummyCache)"),
])
def test_each_unfit_setting_is_named(production_settings, change, says):
    for name, value in change.items():
        setattr(production_settings, name, value)
    found = _all_but_database()
    assert len([p for p in found if says in p]) == 1, found


@pytest.mark.django_db
def test_storage_problems_are_named(production_settings, tmp_path):
    (production_settings.STATIC_ROOT / "staticfiles.json").unlink()
    assert any("have not been collected" in p for p in production.check_storage())
    production_settings.STORAGES = {**production_settings.STORAGES,
                                    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
                                    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                "OPTIONS": {"location": production_settings.STATIC_ROOT / "private",
                                                            "base_url": "/media/"}}}
    found = production.check_storage()
    assert any("not served with hashed names" in p for p in found)
    assert any("inside STATIC_ROOT" in p for p in found)
    assert any("have a public URL" in p for p in found)


@pytest.mark.django_db
def test_sqlite_is_named(settings):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL side is checked by test_deploy.py")
    assert production.check_database() == [
        "The database is SQLite, made for the demo and a single server: set DATABASE_URL="
        "postgres://user:password@host:5432/kompeten."]


def test_the_demo_settings_fail(tmp_path):
    """`manage.py check_production` with the demo's environment (nothing set) exits 1 and says why."""
    result = subprocess.run([sys.executable, "manage.py", "check_production"], cwd=REPO, capture_output=True,
                            text=True, env=install_env(tmp_path / "var"), timeout=120)
    assert result.returncode == 1
    for words in ("generated on this server", "only local names", "DJANGO_SECURE=1", "E-mail is not sent",
                  "The database is SQLite", "KOMPETEN_SITE_URL (http://127.0.0.1:8000) is not https",
                  "KOMPETEN_LSP_NAME is the demo's", "not served with hashed names"):
        assert words in result.stdout, words
    assert "Not ready for production" in result.stdout


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kompeten"}}


@pytest.mark.django_db
@pytest.mark.parametrize(("environment", "flagged"), [
    ({"WEB_CONCURRENCY": "3"}, True),                          # one server, gunicorn's three workers
    ({}, True),                                                # WEB_CONCURRENCY unset: gunicorn_conf's 3
    ({"WEB_CONCURRENCY": "1", "KOMPETEN_MIGRATE": "0"}, True),  # one worker, but a second app server
    ({"WEB_CONCURRENCY": "1"}, False),                         # one process: its memory is the only one
])
def test_a_per_process_cache_is_named_when_several_processes_serve(production_settings, monkeypatch,
                                                                   environment, flagged):
    production_settings.CACHES = LOCMEM
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    found = [p for p in _all_but_database() if "LocMemCache" in p]
    if not flagged:
        assert found == []
        return
    (text,) = found
    # What to set, in the words of the variables table.
    assert "KOMPETEN_CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache" in text
    assert "KOMPETEN_CACHE_LOCATION=kompeten_cache" in text and "createcachetable" in text


@pytest.mark.django_db
def test_a_shared_cache_without_its_table_is_named(production_settings):
    production_settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                              "LOCATION": "kompeten_cache_never_made"}}
    found = production.check_cache()
    assert len(found) == 1 and "cannot be used" in found[0] and "createcachetable" in found[0], found


def test_the_demo_with_the_second_factor_off_fails(tmp_path):
    """`make demo`'s own switch (KOMPETEN_MFA_REQUIRED=0) is named by the command, with what to do."""
    env = install_env(tmp_path / "var", KOMPETEN_MFA_REQUIRED="0", WEB_CONCURRENCY="2")
    result = subprocess.run([sys.executable, "manage.py", "check_production"], cwd=REPO, capture_output=True,
                            text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert "The second factor for staff is off (KOMPETEN_MFA_REQUIRED=0" in result.stdout
    assert "LocMemCache) while 2 server processes run" in result.stdout


@pytest.mark.django_db
def test_private_files_on_the_object_store(production_settings):
    """KOMPETEN_S3_* (tests/s3.py's emulator): a usable private bucket passes; a bucket that does not exist and
    settings that would make the files public are named."""
    from tests import s3

    good = s3.storage_setting(s3.new_bucket())
    production_settings.STORAGES = {**production_settings.STORAGES, "default": good}
    assert production.check_storage() == []

    missing = {**good, "OPTIONS": {**good["OPTIONS"], "bucket_name": "kompeten-never-made"}}
    production_settings.STORAGES = {**production_settings.STORAGES, "default": missing}
    (text,) = production.check_storage()
    assert "KOMPETEN_S3_BUCKET (kompeten-never-made) cannot be written and read back" in text

    public = {**good, "OPTIONS": {**good["OPTIONS"], "default_acl": "public-read"}}
    production_settings.STORAGES = {**production_settings.STORAGES, "default": public}
    (text,) = production.check_storage()
    assert "readable by URL without a log-in" in text
