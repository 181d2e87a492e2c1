import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kompeten.cases import services
from kompeten.cases.models import Case
from kompeten.catalog.models import Scheme, Unit
from kompeten.core.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def make_schemes(n, **kwargs):
    for i in range(n):
        s = Scheme.objects.create(number=f"SKM/X/{i:03d}", code=f"skema-{i}", title=f"Skema Uji {i:03d}",
                                  type=kwargs.get("type", "KKNI"), kkni_level=kwargs.get("level", 3),
                                  sector=kwargs.get("sector", "Pariwisata"), fee=500000)
        Unit.objects.create(scheme=s, code=f"P.85{i:04d}", title=f"Melayani tamu {i}")


def test_list_pages_and_query_count(client, scheme, django_assert_max_num_queries):
    make_schemes(25)
    Scheme.objects.create(number="SKM/OFF", code="off", title="Skema Nonaktif", type="KKNI", is_active=False)
    with django_assert_max_num_queries(6):
        resp = client.get(reverse("catalog:list"))
    assert resp.status_code == 200
    page = resp.context["page"]
    assert page.paginator.count == 26 and len(page.object_list) == 20
    html = resp.content.decode()
    assert "Rp 750.000" in html or "Rp 500.000" in html
    assert "Skema Nonaktif" not in html
    assert len(client.get(reverse("catalog:list"), {"page": 2}).context["page"].object_list) == 6


@pytest.mark.parametrize("params, expected", [
    ({"q": "Junior Web"}, 1),
    ({"q": "SKM/LSP-TDN"}, 1),
    ({"q": "J.620100.005.02"}, 1),  # unit code
    ({"q": "Mengimplementasikan User Interface"}, 1),  # unit title
    ({"q": "Melayani tamu"}, 3),
    ({"type": "Okupasi"}, 1),
    ({"type": "KKNI"}, 3),
    ({"level": "3"}, 3),
    ({"sector": "Pariwisata"}, 3),
    ({"sector": "Teknologi Informasi dan Komunikasi", "type": "KKNI"}, 0),
])
def test_search_and_filters(client, scheme, params, expected):
    make_schemes(3)
    resp = client.get(reverse("catalog:list"), params)
    assert resp.context["page"].paginator.count == expected


def test_empty_states(client, db):
    html = client.get(reverse("catalog:list")).content.decode()
    assert "Belum ada skema yang dibuka" in html
    html = client.get(reverse("catalog:list"), {"q": "tidak ada"}).content.decode()
    assert "Tidak ada skema yang cocok" in html


def test_brochure(client, scheme, site, candidate, django_assert_max_num_queries):
    from kompeten.events.models import AssessmentEvent

    start = timezone.now() + dt.timedelta(days=14)
    ev = AssessmentEvent.objects.create(number="JDW-2026-001", scheme=scheme, site=site, starts_at=start,
                                        ends_at=start + dt.timedelta(hours=8), quota=3, status="published")
    AssessmentEvent.objects.create(number="JDW-DRAFT", scheme=scheme, site=site, starts_at=start,
                                   ends_at=start, status="draft")
    AssessmentEvent.objects.create(number="JDW-PAST", scheme=scheme, site=site,
                                   starts_at=timezone.now() - dt.timedelta(days=1), ends_at=timezone.now(),
                                   status="published")
    placed = services.create_case(candidate, scheme)
    gone = services.create_case(make_user("siti", Role.CANDIDATE), scheme)
    services.withdraw(gone, gone.candidate, reason="batal")
    Case.objects.filter(pk__in=[placed.pk, gone.pk]).update(event=ev)
    with django_assert_max_num_queries(10):
        resp = client.get(scheme.get_absolute_url())
    html = resp.content.decode()
    assert resp.status_code == 200
    for text in ["Pengembang Web Pratama", "SKKNI Nomor 282", "J.620100.005.02", "Rancangan user interface diidentifikasi",
                 "Persyaratan dasar", "Pas foto berwarna", "Rp 750.000", "3 tahun", "Hak asesi", "Bukti langsung"]:
        assert text in html, text
    events = list(resp.context["events"])
    assert [e.number for e in events] == ["JDW-2026-001"]
    assert events[0].seats_left == 2  # quota 3, one placed, the withdrawn one does not count
    start_url = reverse("cases:start", args=[scheme.code])
    assert f"{reverse('register')}?next={start_url}" in html.replace("%2F", "/")


def test_brochure_for_logged_in_candidate(client, scheme, candidate):
    client.force_login(candidate)
    html = client.get(scheme.get_absolute_url()).content.decode()
    assert reverse("cases:start", args=[scheme.code]) in html
    case = services.create_case(candidate, scheme)
    html = client.get(scheme.get_absolute_url()).content.decode()
    assert case.number in html


def test_inactive_scheme_404(client, scheme):
    Scheme.objects.filter(pk=scheme.pk).update(is_active=False)
    assert client.get(scheme.get_absolute_url()).status_code == 404


def test_admin_pages(client, scheme, candidate, db):
    from kompeten.core.models import User

    su = User.objects.create_superuser("root", "root@example.id", "x")
    client.force_login(su)
    for name in ["admin:catalog_scheme_change", "admin:catalog_unit_change", "admin:catalog_element_change"]:
        obj = {"admin:catalog_scheme_change": scheme, "admin:catalog_unit_change": scheme.units.first(),
               "admin:catalog_element_change": scheme.units.first().elements.first()}[name]
        assert client.get(reverse(name, args=[obj.pk])).status_code == 200
    case = services.create_case(candidate, scheme)
    assert client.get(reverse("admin:cases_case_change", args=[case.pk])).status_code == 200
    assert client.get(reverse("admin:cases_case_delete", args=[case.pk])).status_code == 403
