"""The dashboard's figures against a known data set, its sections per role, the filters, that its cost does not
grow with the rows (aggregate queries), and the exports (XLSX and CSV) with the NIK masked unless the role
needs it."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kompeten.cases.models import Application, Case
from kompeten.catalog.models import Scheme
from kompeten.certification.models import Certificate, Decision, Surveillance, SurveillanceCheck
from kompeten.core.models import Role
from kompeten.desk import figures
from tests.certification.helpers import make_case, make_event, recommend
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NIK = "3273011708900001"


@pytest.fixture
def world(scheme, site, assessor, committee, admin_user):
    """Known data: scheme A (the real one) and B; two events at one TUK; c1 A certified in 10 days, c2 A BK (unit 1
    K, the others BK), c3 A submitted, c4 B certified in 45 days (surveillance check overdue), c5 A two years old."""
    now = timezone.now()
    today = timezone.localdate()
    b = Scheme.objects.create(number="SKM/B/2026", code="skema-b", title="Skema B", type=Scheme.Type.OKUPASI)
    site.schemes.add(b)
    e1 = make_event(scheme, site)
    e2 = make_event(b, site)

    def case(name, sch, event, status, submitted_days_ago=None):
        c = make_case(make_user(name, Role.CANDIDATE, first_name=name.title()), sch, assessor if event else None,
                      event, status=status)
        if submitted_days_ago is not None:
            Case.objects.filter(pk=c.pk).update(submitted_at=now - dt.timedelta(days=submitted_days_ago))
        return c

    c1 = case("ani", scheme, e1, "certified", 40)
    c2 = case("bayu", scheme, e1, "not_competent", 30)
    case("citra", scheme, None, "submitted", 3)
    c4 = case("dodi", b, e2, "surveillance", 60)
    c5 = case("eka", scheme, None, "draft")
    Case.objects.filter(pk=c5.pk).update(created_at=now - dt.timedelta(days=730))
    Application.objects.create(case=c1, full_name="Ani Lestari", nik=NIK)
    units = list(scheme.units.order_by("order", "id"))
    recommend(c1, "K")
    recommend(c2, "BK", {units[0].code: "K"})
    recommend(c4, "K")
    for c, d in ((c1, "K"), (c2, "BK"), (c4, "K")):
        Decision.objects.create(case=c, decided_by=committee, decision=d, decided_at=now - dt.timedelta(days=5))

    def cert(c, took_days, valid_days):
        issued_at = Case.objects.get(pk=c.pk).submitted_at + dt.timedelta(days=took_days)
        return Certificate.objects.create(number=f"CERT/{c.pk}", case=c, holder_name=c.candidate.first_name,
                                          scheme=c.scheme, issued_on=timezone.localdate(issued_at),
                                          issued_at=issued_at, valid_until=today + dt.timedelta(days=valid_days),
                                          issued_by=admin_user)

    cert(c1, 10, 60)
    c4_cert = cert(c4, 45, 200)
    s = Surveillance.objects.create(certificate=c4_cert, enrolled_by=admin_user)
    SurveillanceCheck.objects.create(surveillance=s, order=1, due_on=today - dt.timedelta(days=5))
    SurveillanceCheck.objects.create(surveillance=s, order=2, due_on=today + dt.timedelta(days=300))
    return {"a": scheme, "b": b, "units": units, "assessor": assessor}


def _f(scheme=None):
    start, end = figures.default_period()
    return {"start": start, "end": end, "scheme": scheme.pk if scheme else None}


def test_figures_match_the_known_data(world):
    f = _f()
    stages = {s["code"]: s["value"] for s in figures.candidates_by_stage(f)}
    assert stages == {"application": 1, "scheduling": 0, "assessment": 0, "decision": 0, "certified": 2,
                      "stopped": 1}  # the two-year-old draft is outside the period
    assert [(r["label"], r["k"], r["total"], r["value"]) for r in figures.pass_rate_by_scheme(f)] == [
        (world["a"].title, 1, 2, 50.0), ("Skema B", 1, 1, 100.0)]
    units = {r["code"]: (r["k"], r["total"]) for r in figures.pass_rate_by_unit(f)}
    assert units[world["units"][0].code] == (2, 2)
    assert all(units[u.code] == (1, 2) for u in world["units"][1:])
    time = figures.time_to_certificate(f)
    assert (time["count"], time["mean_days"], time["min_days"], time["max_days"]) == (2, 27.5, 10.0, 45.0)
    assert [b["value"] for b in time["buckets"]] == [1, 1, 0, 0]
    [load] = figures.assessor_workload(f)
    assert (load["met"], load["cases"], load["assessed"], load["events"], load["days"]) == (
        world["assessor"].met_number, 3, 3, 2, 1)
    [tuk] = figures.tuk_use(f)
    assert (tuk["events"], tuk["candidates"]) == (2, 3)
    expiring = figures.certificates_expiring(f)
    assert (expiring["within_90"], expiring["total"]) == (1, 2)
    assert sum(m["value"] for m in expiring["months"]) == 2
    assert [(r["label"], r["value"]) for r in figures.surveillance_overdue(f)] == [("Skema B", 1)]
    head = figures.headline(f)
    assert (head["cases"], head["decided"], head["k"], head["pass_rate"], head["issued"]) == (4, 3, 2, 66.7, 2)


def test_the_scheme_and_period_filters(world):
    only_b = _f(world["b"])
    assert [r["label"] for r in figures.pass_rate_by_scheme(only_b)] == ["Skema B"]
    assert figures.pass_rate_by_unit(only_b) == []  # scheme B has no units
    assert figures.time_to_certificate(only_b)["count"] == 1
    long_ago = {"start": dt.date(2000, 1, 1), "end": dt.date(2000, 12, 31), "scheme": None}
    assert sum(s["value"] for s in figures.candidates_by_stage(long_ago)) == 0
    assert figures.pass_rate_by_scheme(long_ago) == [] and figures.assessor_workload(long_ago) == []


def test_the_dashboard_costs_the_same_queries_with_more_rows(client, world, admin_user, scheme, assessor, site):
    client.force_login(admin_user)
    url = reverse("dashboard")
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    event = make_event(scheme, site)
    for i in range(6):
        c = make_case(make_user(f"extra{i}", Role.CANDIDATE), scheme, assessor, event, status="not_competent")
        recommend(c, "BK")
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)


def test_sections_per_role_and_refusals(client, world, admin_user, committee, lead_assessor, lsp_head, assessor,
                                        candidate):
    url = reverse("dashboard")
    client.force_login(admin_user)
    page = client.get(url).content.decode()
    for section in ("stages", "pass-scheme", "pass-unit", "time", "workload", "tuk", "expiring", "surveillance"):
        assert f'data-testid="{section}"' in page
    assert "<svg" in page and "50%" in page
    client.force_login(lead_assessor)
    page = client.get(url).content.decode()
    assert 'data-testid="workload"' in page and 'data-testid="pass-unit"' in page
    assert 'data-testid="stages"' not in page and 'data-testid="tuk"' not in page
    client.force_login(committee)
    page = client.get(url).content.decode()
    assert 'data-testid="pass-scheme"' in page and 'data-testid="workload"' not in page
    assert 'data-testid="exports"' not in page
    for who in (assessor.user, candidate):
        client.force_login(who)
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    # wrong filters: a message, the default period, never a 500
    client.force_login(admin_user)
    r = client.get(url, {"start": "2026-13-45", "end": "kemarin", "scheme": "x"})
    assert r.status_code == 200
    r = client.get(url, {"start": "2026-06-01", "end": "2026-01-01"})
    assert r.status_code == 200 and "sesudah tanggal awal" in r.content.decode()


def _csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_exports_and_the_nik_masked_unless_needed(client, world, admin_user, lsp_head, lead_assessor, committee):
    url = reverse("dashboard_export", args=["candidates"])
    client.force_login(admin_user)
    rows = _csv(client.get(url, {"format": "csv"}))
    assert rows[0][:3] == ["Nomor permohonan", "Nama asesi", "NIK / paspor"]
    ani = next(r for r in rows if r[1] == "Ani Lestari")
    assert ani[2] == NIK and ani[12] == "K" and ani[13].startswith("CERT/")
    assert len(rows) == 1 + 4  # the two-year-old draft is outside the period
    client.force_login(lsp_head)
    xlsx = client.get(url, {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    ani = next(r for r in sheet if r[1] == "Ani Lestari")
    assert ani[2] != NIK and ani[2].startswith("3273") and ani[2].endswith("0001")
    only_b = _csv(client.get(url, {"format": "csv", "scheme": world["b"].pk}))
    assert [r[4] for r in only_b[1:]] == ["SKM/B/2026"]
    # workload and fee basis
    client.force_login(lead_assessor)
    work = _csv(client.get(reverse("dashboard_export", args=["workload"]), {"format": "csv"}))
    assert work[0] == ["Asesor", "Nomor registrasi (MET)", "Asesi ditugaskan", "Asesi diases (FR.AK.02)", "Jadwal",
                       "Hari uji"]
    assert work[1][1:] == [world["assessor"].met_number, "3", "3", "2", "1"]
    assert client.get(url).status_code == 403
    client.force_login(committee)
    assert client.get(reverse("dashboard_export", args=["workload"])).status_code == 403
    client.force_login(admin_user)
    assert client.get(reverse("dashboard_export", args=["nothing"])).status_code == 404


def test_the_certificate_register_also_exports_csv(client, world, admin_user):
    client.force_login(admin_user)
    rows = _csv(client.get(reverse("certification:register"), {"format": "csv"}))
    assert rows[0][0] == "Nomor sertifikat" and len(rows) == 3
