"""Does the dashboard stay flat as the LSP's records pile up, and what do aggregate queries buy?

Measures the admin's dashboard (every chart) with 50 applications (baseline) and again with 5,000 (with their
decisions, AK.02 unit results and certificates), in the same run; then, on the 5,000, computes the same two figures
(candidates per stage, share K per scheme) as the dashboard does (GROUP BY in the database) against a Python loop
over every row. Target: dashboard_ratio small (the page runs the same number of queries whatever the rows; only the
database's own counting grows), aggregate faster than the loop.
"""

import datetime as dt

from _setup import django_in_tempdir, median_seconds

django_in_tempdir()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from kompeten.assessment.models import AssessmentRecord, UnitResult  # noqa: E402
from kompeten.cases.models import Case  # noqa: E402
from kompeten.catalog.loader import load_scheme, read_scheme_file  # noqa: E402
from kompeten.certification.models import Certificate, Decision  # noqa: E402
from kompeten.core.models import Role, RoleAssignment, User  # noqa: E402
from kompeten.demo.builder import FIXTURES  # noqa: E402
from kompeten.desk import figures  # noqa: E402

scheme = load_scheme(read_scheme_file(FIXTURES / "scheme-junior-web-developer.json"))
units = list(scheme.units.all())
admin = User.objects.create_user("admin", "admin@bench.id", "x")
RoleAssignment.objects.create(user=admin, role=Role.ADMIN)
client = Client()
client.force_login(admin)
STATUSES = ["submitted", "accepted", "in_assessment", "awaiting_decision", "not_competent", "certified"]


def add_cases(n, start):
    now, today = timezone.now(), timezone.localdate()
    users = User.objects.bulk_create([User(username=f"c{i}", email=f"c{i}@bench.id") for i in range(start, start + n)])
    cases = Case.objects.bulk_create([
        Case(number=f"PMH-B-{start + i:06d}", candidate=u, scheme=scheme, status=STATUSES[i % len(STATUSES)],
             submitted_at=now - dt.timedelta(days=60)) for i, u in enumerate(users)])
    finished = [c for c in cases if c.status in ("not_competent", "certified")]
    records = AssessmentRecord.objects.bulk_create([
        AssessmentRecord(case=c, started_on=today, finished_on=today, overall="K" if c.status == "certified" else "BK",
                         recorded_by=admin) for c in finished])
    UnitResult.objects.bulk_create([UnitResult(record=r, unit=u, result=r.overall) for r in records for u in units])
    Decision.objects.bulk_create([Decision(case=c, decided_by=admin, decision="K" if c.status == "certified" else "BK")
                                  for c in finished])
    Certificate.objects.bulk_create([
        Certificate(number=f"CERT/B/{c.pk}", case=c, holder_name=c.candidate.username, scheme=scheme, issued_on=today,
                    valid_until=today + dt.timedelta(days=1095), issued_by=admin)
        for c in finished if c.status == "certified"])


def measure():
    count = []

    def counter(execute, sql, params, many, context):
        count.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        assert client.get("/dasbor/").status_code == 200
    return median_seconds(lambda: client.get("/dasbor/"), repeat=7), len(count)


def each_figure(f):
    """Milliseconds of each figure, to see where the time goes."""
    out = {}
    for name in ("candidates_by_stage", "pass_rate_by_scheme", "pass_rate_by_unit", "time_to_certificate",
                 "assessor_workload", "tuk_use", "certificates_expiring", "surveillance_overdue", "headline"):
        fn = getattr(figures, name)
        out[name] = round(median_seconds(lambda fn=fn: fn(f), repeat=3) * 1000, 1)
    return out


def by_loop(f):
    """The baseline: the same two figures by reading every row into Python."""
    stages = {code: 0 for code, _l, _s in figures.STAGES}
    where = {s: code for code, _l, statuses in figures.STAGES for s in statuses}
    start, end = f["start"], f["end"]
    for case in Case.objects.all():
        if start <= timezone.localdate(case.created_at) <= end:
            stages[where[case.status]] += 1
    rates = {}
    for d in Decision.objects.select_related("case__scheme"):
        k, n = rates.get(d.case.scheme.title, (0, 0))
        rates[d.case.scheme.title] = (k + (d.decision == "K"), n + 1)
    return stages, rates


def by_aggregate(f):
    return figures.candidates_by_stage(f), figures.pass_rate_by_scheme(f)


add_cases(50, 0)
(t0, q0) = measure()
add_cases(4950, 50)
(t1, q1) = measure()
start, end = figures.default_period()
f = {"start": start, "end": end, "scheme": None}
loop, agg = by_loop(f), by_aggregate(f)
assert loop[0] == {s["code"]: s["value"] for s in agg[0]}, "the two ways disagree"
t_loop = median_seconds(lambda: by_loop(f), repeat=5)
t_agg = median_seconds(lambda: by_aggregate(f), repeat=5)
print(f"/dasbor/  50 cases: {t0 * 1000:6.1f} ms {q0} queries | 5,000 cases: {t1 * 1000:6.1f} ms {q1} queries")
print(f"stages + pass rate on 5,000 cases: aggregate {t_agg * 1000:.1f} ms, Python loop {t_loop * 1000:.1f} ms")
print("per figure (ms):", each_figure(f))
print(f"RESULT dashboard_ratio={t1 / t0:.2f} dashboard_queries={q1} queries_at_50={q0} "
      f"aggregate_vs_loop={t_loop / t_agg:.1f}")
