"""Every main page of every role, on a phone and on a desktop, with the demo LSP loaded once for the module:
nothing scrolls sideways, and axe-core (bundled in axe-playwright-python, nothing fetched) finds no serious or
critical accessibility violation. Screenshots go to test-artifacts/pages/<viewport>/<role>-<page>.png.

To cover another page, add one line to PAGES.
"""

import io
from collections import namedtuple

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from kompeten.cases.models import Case
from kompeten.cases.selectors import cases_in_reach
from kompeten.catalog.models import Scheme
from kompeten.certification.models import Certificate
from kompeten.core.models import Role, User
from kompeten.events.selectors import events_in_reach
from kompeten.people.models import Assessor
from kompeten.sites.models import Site
from tests.e2e.conftest import ARTIFACTS

# Each test runs in a transaction that is rolled back; the demo loaded by the module fixture stays.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

VIEWPORTS = {"ponsel": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}

# Who looks: a demo login and the role whose reach picks "a case" / "an event" for them.
ROLES = {
    "anonim": None,
    "asesi": ("budi@contoh.id", Role.CANDIDATE),
    "asesor": ("asesor@lsp-tdn.id", Role.ASSESSOR),
    "lead": ("lead@lsp-tdn.id", Role.LEAD_ASSESSOR),
    "ketuatuk": ("ketuatuk@lsp-tdn.id", Role.TUK_HEAD),
    "admin": ("admin@lsp-tdn.id", Role.ADMIN),
    "komite": ("komite@lsp-tdn.id", Role.COMMITTEE),
    "ketualsp": ("ketualsp@lsp-tdn.id", Role.LSP_HEAD),
}
STAFF = ["asesor", "lead", "ketuatuk", "admin", "komite", "ketualsp"]
REGISTRY = ["lead", "admin", "ketualsp"]  # the assessor registry and every TUK

Page = namedtuple("Page", "roles name url_name arg")
# arg: None, "scheme", "certificate", "site", "assessor", "case" (any case in the role's reach), "case:<status>",
# "event" (any event in reach), "event:<status>".
PAGES = [
    Page(["anonim"], "landing", "home", None),
    Page(["anonim"], "katalog", "catalog:list", None),
    Page(["anonim"], "brosur", "catalog:scheme", "scheme"),
    Page(["anonim"], "masuk", "login", None),
    Page(["anonim"], "daftar", "register", None),
    Page(["anonim"], "cek-sertifikat", "certification:verify_form", None),
    Page(["anonim"], "verifikasi-sertifikat", "certification:verify", "certificate"),
    Page(["asesi", *STAFF], "beranda", "home", None),
    Page(["asesi", *STAFF], "kotak-masuk", "inbox", None),
    Page(["asesi"], "permohonan-saya", "cases:mine", None),
    Page(["asesi", *STAFF], "permohonan", "cases:detail", "case"),
    Page(["asesi"], "apl-01", "cases:apl01", "case"),
    Page(["asesi"], "apl-02", "cases:apl02", "case"),
    Page(["asesi"], "dokumen", "cases:documents", "case"),
    Page(STAFF, "daftar-permohonan", "cases:list", None),
    Page(STAFF, "daftar-jadwal", "events:list", None),
    Page(STAFF, "jadwal", "events:detail", "event"),
    Page(STAFF, "laporan-asesmen", "assessment:reports", None),
    Page(REGISTRY, "registri-asesor", "people:assessors", None),
    Page(REGISTRY, "asesor", "people:assessor_detail", "assessor"),
    Page([*REGISTRY, "ketuatuk"], "daftar-tuk", "sites:list", None),
    Page([*REGISTRY, "ketuatuk"], "tuk", "sites:detail", "site"),
    # the acts each role has in the demo data
    Page(["admin"], "kaji-dokumen", "cases:review", "case:submitted"),
    Page(["admin"], "jadwalkan", "events:schedule_case", "case:accepted"),
    Page(["admin"], "jadwal-baru", "events:create", None),
    Page(["admin"], "fisibilitas", "events:feasibility", "event:draft"),
    Page(["admin"], "tetapkan-tuk", "events:designate_site", "event:draft"),
    Page(["admin"], "tugaskan-asesor", "events:assign_assessor", "event:draft"),
    Page(["admin", "ketuatuk"], "impor-asesi", "events:import", "event:coming"),
    Page(["admin"], "verifikasi-tuk", "sites:verify", "site"),
    Page(["admin"], "beban-asesor", "events:load", None),
    Page(["admin"], "surveilan", "certification:surveillance", None),
    Page(["admin"], "daftarkan-surveilan", "certification:enrol", "case:certified"),
    Page(["admin"], "profil-lsp", "lsp_profile", None),
    Page(["admin"], "pengguna", "users", None),
    Page(["admin"], "peran-pengguna", "user_roles", "assessor_user"),
    Page(["asesor"], "konfirmasi-jadwal", "events:confirm", "case:scheduled"),
    Page(["asesor"], "kaji-apl-02", "assessment:apl02_review", "case:agreed"),
    Page(["asesor"], "ak-07", "assessment:adjustment", "case:agreed"),
    Page(["asesor"], "ak-02", "assessment:record_assessment", "case:in_assessment"),
    Page(["asesor"], "ak-05", "assessment:report", "case:reviewed"),
    Page(["asesor"], "konflik", "events:declare_conflict", "event:published"),
    Page(["lead"], "tinjau-mapa", "assessment:plan_review", "event:draft"),
    Page(["lead"], "ak-06", "assessment:review", "case:assessed"),
    Page(["ketuatuk"], "kehadiran", "assessment:check_in", "case:ready"),
    Page(["ketuatuk"], "kesiapan", "assessment:check_resources", "event:published"),
    Page(["ketuatuk"], "teruskan-laporan", "assessment:forward_report", "case:reported"),
    Page(["komite"], "keputusan", "certification:decide", "case:awaiting_decision"),
    Page(["ketualsp"], "terbitkan", "certification:issue", "case:competent"),
]
ALL_CASE_STATUSES = set(Case.Status.values)


def _arg(arg, user, role):
    if arg is None:
        return []
    kind, _sep, status = arg.partition(":")
    if kind == "case":
        found = cases_in_reach(user, role, {status} if status else ALL_CASE_STATUSES, 1)
    elif kind == "event" and status == "coming":  # published and not yet begun (a class can still be imported)
        found = [e for e in events_in_reach(user, role, {"published"}, 50) if e.starts_at > timezone.now()]
    elif kind == "event":
        found = events_in_reach(user, role, {status} if status else {"draft", "published", "held", "closed"}, 1)
    else:
        found = {"scheme": Scheme.objects.filter(is_active=True), "certificate": Certificate.objects.all(),
                 "site": Site.objects.order_by("code"), "assessor": Assessor.objects.order_by("pk"),
                 "assessor_user": User.objects.filter(assessor__isnull=False).order_by("pk")}[kind]
    obj = next(iter(found), None)
    assert obj is not None, f"the demo has no {arg} for {user or 'anonymous'}"
    return [obj.public_id if kind == "certificate" else obj.code if kind == "scheme" else obj.pk]


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo LSP, loaded once, served by one live server; the URLs each role visits, and a session cookie
    per role. The database is emptied again afterwards for the other tests."""
    private = tmp_path_factory.mktemp("private")
    storages = {**django_settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                        "OPTIONS": {"location": private, "base_url": None}}}
    with django_db_blocker.unblock(), override_settings(
            STORAGES=storages, MEDIA_ROOT=private, AXES_ENABLED=False,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_demo", stdout=io.StringIO())
        visits, cookies = {}, {}
        for key, who in ROLES.items():
            user, role = (User.objects.get(email=who[0]), who[1]) if who else (None, None)
            visits[key] = [(p.name, reverse(p.url_name, args=_arg(p.arg, user, role)))
                           for p in PAGES if key in p.roles]
            if user:
                client = Client()
                client.force_login(user)
                cookies[key] = client.cookies["sessionid"].value
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server.url, visits, cookies, storages
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def axe():
    return Axe()


def _problems(pg, axe):
    found = []
    wide = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if wide > 1:
        found.append(f"scrolls sideways by {wide}px")
    results = axe.run(pg, options={"resultTypes": ["violations"]})
    for v in results.response["violations"]:
        if v["impact"] in ("serious", "critical"):
            where = "; ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            found.append(f"{v['impact']} {v['id']} ({v['help']}) ×{len(v['nodes'])}: {where}")
    return found


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_and_passes_axe(browser, demo_site, axe, settings, role, viewport):
    url, visits, cookies, storages = demo_site
    settings.STORAGES = storages  # the demo's files (the LSP logo), not the empty folder each test gets
    settings.MEDIA_ROOT = storages["default"]["OPTIONS"]["location"]
    assert visits[role], f"no page listed for {role}"
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="id-ID", base_url=url)
    if role in cookies:
        context.add_cookies([{"name": "sessionid", "value": cookies[role], "url": url}])
    folder = ARTIFACTS / "pages" / viewport
    folder.mkdir(parents=True, exist_ok=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    report = []
    try:
        for name, path in visits[role]:
            response = pg.goto(path)
            pg.screenshot(path=str(folder / f"{role}-{name}.png"), full_page=True)
            if response.status != 200:
                report.append(f"{name} {path}: HTTP {response.status}")
                continue
            report += [f"{name} {path}: {p}" for p in _problems(pg, axe)]
    finally:
        context.close()
    assert not report, f"{role} on a {viewport}:\n" + "\n".join(report)
