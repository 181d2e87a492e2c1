"""The permission matrix (issue 12, Access): every URL of the app × every role and relation, as written in
tests/security/matrix.py, tested with GET — and, where a GET passes, with a POST without data that must change
nothing and cause no server error. A URL without a row fails `test_every_url_has_a_row`.

The world (tests/security/world.py) is built once for the module; each URL's test runs in its own rolled-back
transaction. Set KOMPETEN_MATRIX_RECORD=<file> to write what the app answers instead of asserting (used to draft
rows; every row is then read and judged by hand before it goes into matrix.py).
"""

import io
import json
import os
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfWriter

from kompeten.core import pdf as pdf_module
from kompeten.core.models import ActionLog
from tests.conftest import verified_login_session

from . import world as world_mod
from .matrix import ACT_BY_POST, ACT_WITHOUT_FIELDS, ROWS, UNNAMED

pytestmark = pytest.mark.django_db

# The REST API (/api/) authenticates by bearer token, not by the session this matrix logs in with; its anonymous
# 401 and what each role sees are tested in tests/api (test_api.py). The token page (apitokens:*) has rows here.
SKIPPED_NAMESPACES = ("admin", "api")
SKIPPED_NAMES = ("set_language",)
RECORD = os.environ.get("KOMPETEN_MATRIX_RECORD")


def url_names():
    """(name, route) of every URL pattern, recursively; unnamed patterns as (None, route)."""
    found = []

    def walk(resolver, prefix, ns):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                if p.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = ":".join(x for x in (ns, p.namespace) if x)
                walk(p, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                name = ":".join(x for x in (ns, p.name) if x) if p.name else None
                if name in SKIPPED_NAMES or str(p.pattern).startswith(("static/", "^static")):
                    continue
                found.append((name, prefix + str(p.pattern)))

    walk(get_resolver(), "", "")
    return found


def test_every_url_has_a_row():
    names = {n for n, _ in url_names() if n}
    missing = sorted(names - set(ROWS))
    assert not missing, f"URLs without a row in tests/security/matrix.py: {missing}"
    assert not sorted(set(ROWS) - names), "rows for URLs that no longer exist"
    unnamed = sorted(r for n, r in url_names() if not n)
    assert unnamed == sorted(UNNAMED), f"unnamed URLs without a row: {sorted(set(unnamed) - set(UNNAMED))}"


def test_every_row_names_every_column():
    for name, (_obj, expected) in ROWS.items():
        assert set(expected) - {"*"} <= set(world_mod.COLUMNS), name
        assert "*" in expected or set(expected) == set(world_mod.COLUMNS), name


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    private = tmp_path_factory.mktemp("matrix-private")
    storages = {**django_settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                        "OPTIONS": {"location": private, "base_url": None}}}
    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=private, STORAGES=storages, AXES_ENABLED=False,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        with transaction.atomic():
            from django.core.cache import cache

            cache.clear()
            # The matrix tests who may reach a page, not how Typst draws it: the PDF's data is still gathered.
            with pytest.MonkeyPatch.context() as mp:
                # A real one-page PDF: the certificate is signed (pyHanko reads it) before it is sent.
                blank = io.BytesIO()
                writer = PdfWriter()
                writer.add_blank_page(width=595, height=842)
                writer.write(blank)
                fake_compile = lambda *a, **kw: blank.getvalue()  # noqa: E731
                # Compiler: the one-session renderer (core.pdf.PdfSession) that issuing certificates uses.
                mp.setattr(pdf_module, "typst", SimpleNamespace(
                    compile=fake_compile, Compiler=lambda *a, **kw: SimpleNamespace(compile=fake_compile)))
                with pytest.MonkeyPatch.context() as now:
                    # Notices go out on commit; the world is built in one transaction that is never committed.
                    now.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())
                    w = world_mod.build()
                w.private = private
                # One client per column for the module (a new client builds the whole middleware stack again).
                w.clients = {column: login(Client(raise_request_exception=bool(os.environ.get("MTX_RAISE"))), getattr(w.users, column))
                             for column in world_mod.COLUMNS}
                yield w
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _private_storage(world, settings):
    """The world's files live in its own storage (the shared fixture would give each test an empty one)."""
    settings.MEDIA_ROOT = world.private
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": world.private, "base_url": None}}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False


def _record_id(model, case):
    """The newest version's id of an assessment record of the case (0 when there is none: the page says so)."""
    from django.apps import apps

    found = apps.get_model("assessment", model).all_versions.filter(case=case).order_by("-pk").first()
    return found.pk if found else 0


def kwargs_for(w, obj):
    """The URL arguments of the object a row names."""
    if obj is None:
        return {}
    kind, _, status = obj.partition(":")
    if kind == "case":
        return {"pk": w.cases[status].pk}
    if kind == "event":
        return {"pk": w.events[status].pk}
    return {
        "notification": lambda: {"pk": w.notification.pk},
        "scheme": lambda: {"code": w.scheme.code},
        "reset_token": lambda: {"uidb64": "MQ", "token": "set-password"},
        "document": lambda: {"pk": w.cases["submitted"].documents.first().pk},
        "document_draft": lambda: {"pk": w.cases["draft"].documents.first().pk},
        "assignment": lambda: {"pk": w.events["published"].assignments.first().pk},
        "event_ak05": lambda: {"pk": w.events["held"].pk, "assessor_pk": w.assessor.pk},
        "certificate": lambda: {"pk": w.certificate.pk},
        "public_id": lambda: {"public_id": w.certificate.public_id},
        "status_list": lambda: {"purpose": "revocation", "number": 0},
        "appeal": lambda: {"pk": w.appeal.pk},
        "appeal_act": lambda: {"pk": w.appeal.pk, "action": "acknowledge"},
        "appeal_document": lambda: {"pk": w.appeal.documents.first().pk},
        "assessor": lambda: {"pk": w.assessor.pk},
        "assessor_user": lambda: {"pk": w.assessor.user_id},
        "site": lambda: {"pk": w.site.pk},
        "scheme_pk": lambda: {"pk": w.scheme.pk},
        "blanko_scheme": lambda: {"scheme_pk": w.scheme.pk},
        "instrument_version": lambda: {"pk": w.instrument_version.pk},
        "instrument_item": lambda: {"pk": w.instrument_version.pk,
                                    "item_pk": w.instrument_version.items.first().pk},
        "meeting": lambda: {"pk": w.meeting.pk},
        "closed_meeting": lambda: {"pk": w.closed_meeting.pk},
        "export_candidates": lambda: {"kind": "candidates"},
        "meeting_case": lambda: {"pk": w.meeting.pk, "case_pk": w.cases["awaiting_decision"].pk},
        "holder_cert": lambda: {"pk": w.holder_cert.pk},
        "cert_suspend": lambda: {"pk": w.certificate.pk, "code": "suspend_certificate"},
        "surveillance_check": lambda: {"pk": w.surveillance_check.pk},
        "surveillance_file": lambda: {"pk": w.surveillance_check.evidence.first().pk},
        "job": lambda: {"pk": w.job.pk},
        "candidate_import": lambda: {"pk": w.candidate_import.pk},
        "import_format": lambda: {"fmt": "csv"},
        "fill_instrument": lambda: {"pk": w.cases["in_assessment"].pk, "version_pk": w.observation_version.pk},
        "case_instrument": lambda: {"pk": w.cases["in_assessment"].pk, "version_pk": w.instrument_version.pk,
                                    "round": 1},
        # The record's own id (ids are not reset between tests on PostgreSQL).
        "ak02_version": lambda: {"pk": w.cases["assessed"].pk, "version": _record_id(
            "AssessmentRecord", w.cases["assessed"])},
        "ak07_version": lambda: {"pk": w.cases["ready"].pk, "version": _record_id("Adjustment", w.cases["ready"])},
        "api_token": lambda: {"pk": w.api_token.pk},
    }[kind]()


def outcome(resp):
    if resp.status_code in (301, 302):
        login = reverse("login")
        return "login" if resp["Location"].split("?")[0] == login else 302
    return resp.status_code


def _statuses(objects):
    """{world key: status now} of the world's cases (or events), in one query."""
    model = type(next(iter(objects.values())))
    now = dict(model.objects.filter(pk__in=[o.pk for o in objects.values()]).values_list("pk", "status"))
    return {k: now[o.pk] for k, o in objects.items()}


def snapshot(w):
    cases, events = _statuses(w.cases), _statuses(w.events)
    # Looking at a personal file is logged (cases.privacy): a record of the look, not a change.
    return ActionLog.objects.exclude(act="view_personal_data").count(), cases, events


def login(client, user):
    if user is not None:
        client.force_login(user)
        verified_login_session(client, user)  # staff passed the second factor (tests/security/test_mfa.py)
    return client


@pytest.mark.parametrize("name", sorted(ROWS))
def test_matrix(world, name):
    obj, expected = ROWS[name]
    url = reverse(name, kwargs=kwargs_for(world, obj))
    got, problems = {}, []
    for column in world_mod.COLUMNS:
        want = expected.get(column, expected.get("*"))
        resp = world.clients[column].get(url)
        got[column] = outcome(resp)
        if got[column] != want:
            problems.append(f"GET {column}: expected {want}, got {got[column]}")
        # A page that passes a GET, or a URL that takes POST only: a POST without data changes nothing.
        if (got[column] in (200, 405) and name not in ACT_WITHOUT_FIELDS | {"logout"}
                and column not in ACT_BY_POST.get(name, ())):
            before = snapshot(world)
            post = world.clients[column].post(url, {})
            if post.status_code >= 500:
                problems.append(f"POST {column}: server error {post.status_code}")
            if snapshot(world) != before:
                problems.append(f"POST {column}: a POST without data changed something")
    if RECORD:
        with open(RECORD, "a") as f:
            f.write(json.dumps({"name": name, "got": got, "problems": problems}) + "\n")
        return
    assert not problems, f"{name} ({url}):\n" + "\n".join(problems)
