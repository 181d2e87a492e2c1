"""Do the staff case list and the admin home stay flat as applications pile up?

Measures both pages with 20 applications (baseline) and again with 2,000, in the same run, and prints
time and query ratios. Target: ratio ≈ 1 (pages are paginated and run a fixed number of queries).
"""

from _setup import django_in_tempdir, median_seconds

django_in_tempdir()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kompeten.cases.models import Case  # noqa: E402
from kompeten.catalog.loader import load_scheme, read_scheme_file  # noqa: E402
from kompeten.core.models import Role, RoleAssignment, User  # noqa: E402
from kompeten.demo.builder import FIXTURES  # noqa: E402

scheme = load_scheme(read_scheme_file(FIXTURES / "scheme-junior-web-developer.json"))
admin = User.objects.create_user("admin", "admin@bench.id", "x")
RoleAssignment.objects.create(user=admin, role=Role.ADMIN)
client = Client()
client.force_login(admin)
STATUSES = ["submitted", "accepted", "revision", "draft"]


def add_cases(n, start):
    users = User.objects.bulk_create([User(username=f"c{i}", email=f"c{i}@bench.id") for i in range(start, start + n)])
    Case.objects.bulk_create([Case(number=f"PMH-B-{start + i:06d}", candidate=u, scheme=scheme,
                                   status=STATUSES[i % len(STATUSES)]) for i, u in enumerate(users)])


def measure(path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    queries = len(ctx.captured_queries)  # read now: every request clears Django's query log
    return median_seconds(lambda: client.get(path)), queries


add_cases(20, 0)
base = {path: measure(path) for path in ("/permohonan/", "/")}
add_cases(1980, 20)
grown = {path: measure(path) for path in ("/permohonan/", "/")}
for path in base:
    (t0, q0), (t1, q1) = base[path], grown[path]
    print(f"{path:<14} 20 cases: {t0 * 1000:6.1f} ms {q0:3d} queries | 2,000 cases: {t1 * 1000:6.1f} ms "
          f"{q1:3d} queries | time ratio {t1 / t0:4.2f}, query ratio {q1 / q0:4.2f}")
# One line for the record: the list's time and queries with 2,000 cases against the same list with 20.
(t0, q0), (t1, q1) = base["/permohonan/"], grown["/permohonan/"]
(h0, hq0), (h1, hq1) = base["/"], grown["/"]
print(f"RESULT case_list_ratio={t1 / t0:.2f} case_list_queries={q1} home_ratio={h1 / h0:.2f} home_queries={hq1}")
