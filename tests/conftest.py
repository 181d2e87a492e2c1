"""Shared fixtures: people in every role, a loaded scheme, a verified TUK, a registered assessor."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from kompeten.core.models import Role, RoleAssignment, User

SCHEME_FILE = Path(__file__).resolve().parent.parent / "src/kompeten/catalog/fixtures/scheme-junior-web-developer.json"


# The longest files start first: with two processes taking one file at a time (`--dist loadfile`), a long file
# collected last (the stateful walk, alphabetically last) would run alone while the other process idles.
LONG_FIRST = ("tests/test_workflow_stateful.py", "tests/demo/", "tests/ops/", "tests/security/",
              "tests/events/test_import.py")


def _long_first(item):
    path = item.nodeid.split("::")[0]
    path = path if path.startswith("tests/") else f"tests/{path}"
    return next((n for n, prefix in enumerate(LONG_FIRST) if path.startswith(prefix)), len(LONG_FIRST))


def pytest_collection_modifyitems(config, items):
    items.sort(key=_long_first)  # stable: the order inside a file and among the rest stays as collected
    # Each pass skips what the other one runs: browser tests and the demo's story (`sqlite_pass`) run once, on
    # SQLite; what drives a PostgreSQL deployment of its own (`postgres_pass`) runs once, in the PostgreSQL pass.
    postgres = os.environ.get("KOMPETEN_TEST_DB") == "postgres"
    for item in items:
        if postgres and ("e2e" in item.keywords or "sqlite_pass" in item.keywords):
            item.add_marker(pytest.mark.skip(reason="runs in the SQLite pass"))
        elif not postgres and "postgres_pass" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="runs in the PostgreSQL pass"))


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Indonesian: a request in English leaves its language active in the thread."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.deactivate()


@pytest.fixture
def private_storage_kind():
    """Where a test's private files go: "disk" (a folder of its own); the private-file tests also run with
    "s3" (a bucket of their own on the local S3 emulator, tests/s3.py) by `pytestmark = ON_DISK_AND_S3`."""
    return "disk"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path, private_storage_kind):
    settings.MEDIA_ROOT = tmp_path / "private"
    if private_storage_kind == "s3":
        from tests import s3

        settings.S3_TEST_BUCKET = s3.new_bucket()
        settings.STORAGES = {**settings.STORAGES, "default": s3.storage_setting(settings.S3_TEST_BUCKET)}
    else:
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        }}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # django-axes needs the request in authenticate(), which client.login() does not pass; the lockout has
    # its own test (tests/core/test_core.py) with it switched on.
    settings.AXES_ENABLED = False
    # Rate-limit counters (core.ratelimit) live in the cache: each test starts with none.
    from django.core.cache import cache

    cache.clear()
    # Looks at verification pages wait in memory for one bulk write (certification.scanlog): none carried over.
    from kompeten.certification import scanlog

    scanlog.discard()
    yield
    if private_storage_kind == "s3":
        from tests import s3

        # The files went to the object store, and none to the disk.
        assert s3.keys(settings.S3_TEST_BUCKET), "an S3 test stored no file in its bucket"
        assert not (tmp_path / "private").exists(), "an S3 test wrote private files to the disk"


@pytest.fixture(autouse=True)
def _second_factor_done(monkeypatch):
    """`client.force_login(user)` stands for a finished log-in: for staff that includes the second factor
    (core.mfa), which stays required. Pass `mfa_verified=False` to log in with the password step only."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None, *, mfa_verified=True):
        original(self, user, backend)
        if mfa_verified:
            verified_login_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


def verified_login_session(client, user):
    """Marks the client's session as having passed the second factor for `user`."""
    from kompeten.core.mfa import mark_verified

    session = client.session
    mark_verified(session, user)
    session.save()


def make_user(username, role=None, site=None, first_name="", last_name="", password="rahasia-123"):
    user = User.objects.create_user(username=username, email=f"{username}@example.id", password=password,
                                    first_name=first_name or username.capitalize(), last_name=last_name)
    if role:
        RoleAssignment.objects.create(user=user, role=role, site=site)
    return user


@pytest.fixture
def raw_scheme(db):
    """The real scheme as the file loads it: its instruments (MUK) are drafts, not validated yet."""
    from kompeten.catalog.loader import load_scheme, read_scheme_file

    return load_scheme(read_scheme_file(SCHEME_FILE))


@pytest.fixture
def scheme(raw_scheme):
    """The real scheme, its MUK validated (FR.VA) by a validator who wrote none of it, as an LSP runs it."""
    from kompeten.core.models import ActionLog

    validate_muk(raw_scheme, make_user("validator", Role.LEAD_ASSESSOR, first_name="Vina", last_name="Validator"))
    ActionLog.objects.filter(act="validate_instrument").delete()  # set-up, not the act a test looks at
    return raw_scheme


@pytest.fixture
def site(db, scheme):
    from kompeten.sites.models import Site

    s = Site.objects.create(code="TUK-001", name="TUK Politeknik Digital", type=Site.Type.SEWAKTU,
                            address="Jl. Merdeka No. 1, Bandung", city="Bandung",
                            verified_until=timezone.localdate() + dt.timedelta(days=365))
    s.schemes.add(scheme)
    return s


@pytest.fixture
def admin_user(db):
    return make_user("admin", Role.ADMIN, first_name="Sari", last_name="Admin")


@pytest.fixture
def candidate(db):
    return make_user("budi", Role.CANDIDATE, first_name="Budi", last_name="Santoso")


@pytest.fixture
def assessor(db, scheme):
    from kompeten.people.models import Assessor

    user = make_user("asesor", Role.ASSESSOR, first_name="Dewi", last_name="Lestari")
    a = Assessor.objects.create(user=user, met_number="MET.000.004512 2019",
                                registration_valid_until=timezone.localdate() + dt.timedelta(days=700),
                                employer="PT Solusi Web")
    a.schemes.add(scheme)
    return a


@pytest.fixture
def tuk_head(db, site):
    return make_user("ketuatuk", Role.TUK_HEAD, site=site, first_name="Rudi", last_name="Hartono")


@pytest.fixture
def committee(db):
    return make_user("komite", Role.COMMITTEE, first_name="Ani", last_name="Wijaya")


@pytest.fixture
def lsp_head(db):
    return make_user("ketualsp", Role.LSP_HEAD, first_name="Hendra", last_name="Gunawan")


@pytest.fixture
def lead_assessor(db):
    return make_user("leadasesor", Role.LEAD_ASSESSOR, first_name="Maya", last_name="Sari")


VALIDATION = {"period": "sebelum", "date": "2026-01-15", "place": "Ruang rapat LSP TDN",
              "matrix": {"Rencana asesmen": {"rules": ["V", "A", "T", "M"], "principles": ["V", "R", "F1", "F2"]}},
              "team": [{"name": "Maya Sari", "met": "MET.000.001187 2017"}]}


def validate_muk(scheme, validator):
    """Validate (FR.VA) the newest version of every instrument the scheme file loaded; returns the versions."""
    from kompeten.assessment import instruments as I

    out = []
    for inst in I.instruments_of(scheme):
        version = I.latest_version(inst)
        if version.status != "validated":
            I.validate_version(version, validator, data=VALIDATION)
        out.append(version)
    return out


@pytest.fixture
def muk(scheme):
    """The newest version of each of the scheme's instruments (MUK), validated."""
    from kompeten.assessment import instruments as I

    return [I.latest_version(i) for i in I.instruments_of(scheme)]
