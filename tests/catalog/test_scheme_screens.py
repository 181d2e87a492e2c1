"""The staff's scheme screens: list, create, edit (brochure texts, fee, requirements, status), the scheme-file
upload; refused to everyone but the Admin LSP (the Ketua LSP may view the list)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kompeten.catalog.models import Scheme
from kompeten.core.actions import history
from kompeten.core.models import Role
from tests.conftest import SCHEME_FILE, make_user

pytestmark = pytest.mark.django_db

NEW = {"number": "SKM/LSP-TDN/02/2026", "code": "operator-data", "title": "Operator Data", "type": "KKNI",
       "kkni_level": "3", "sector": "TIK", "validity_years": "3", "fee": "600000", "summary": "Skema baru.",
       "basic_requirements": "Lulusan SMK, atau;\nPengalaman kerja 1 tahun", "administrative_requirements": "KTP"}


@pytest.fixture
def admin(db):
    return make_user("admin", Role.ADMIN)


def test_admin_creates_a_scheme_then_loads_its_units_from_the_file(client, admin):
    client.force_login(admin)
    resp = client.post(reverse("catalog:create"), NEW)
    assert resp.status_code == 302
    scheme = Scheme.objects.get(number=NEW["number"])
    assert not scheme.is_active and scheme.kkni_level == 3 and scheme.fee == 600000
    assert [(r.kind, r.text) for r in scheme.requirements.order_by("order")] == [
        ("basic", "Lulusan SMK, atau;"), ("basic", "Pengalaman kerja 1 tahun"), ("administrative", "KTP")]
    entry = history(scheme).get()
    assert entry.act == "create_scheme" and entry.actor == admin and entry.data["changed"]["fee"] == "600000"

    # it cannot be opened to candidates before it has units
    resp = client.post(reverse("catalog:edit", args=["operator-data"]), {**NEW, "is_active": "on"})
    assert resp.status_code == 200 and "unggah berkas skema dulu" in resp.content.decode()
    assert not Scheme.objects.get(pk=scheme.pk).is_active

    raw = SCHEME_FILE.read_bytes().replace(b"SKM/LSP-TDN/01/2026", NEW["number"].encode()).replace(
        b'"junior-web-developer"', b'"operator-data"')
    resp = client.post(reverse("catalog:file", args=["operator-data"]), {"file": SimpleUploadedFile("s.json", raw)})
    assert resp.status_code == 302
    assert scheme.units.count() == 6
    assert history(scheme).first().act == "load_scheme_file"
    html = client.get(reverse("catalog:edit", args=["operator-data"])).content.decode()
    assert html.count("<details") == 6 and "J.620100.005.02" in html


def test_edit_logs_what_changed_and_the_brochure_shows_it(client, admin, scheme):
    client.force_login(admin)
    form = client.get(reverse("catalog:edit", args=[scheme.code])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(fee="800000", summary="Ringkasan yang diperbarui.", is_active="on", is_licensed="on")
    resp = client.post(reverse("catalog:edit", args=[scheme.code]), data)
    assert resp.status_code == 302, resp.context["form"].errors
    entry = history(scheme).get()
    assert entry.act == "update_scheme" and set(entry.data["changed"]) == {"fee", "summary"}
    html = client.get(scheme.get_absolute_url()).content.decode()
    assert "Rp 800.000" in html and "Ringkasan yang diperbarui." in html


def test_invalid_input_keeps_what_was_typed(client, admin, scheme):
    client.force_login(admin)
    resp = client.post(reverse("catalog:create"), {**NEW, "number": scheme.number, "kkni_level": "",
                                                   "summary": "Teks yang saya ketik"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Teks yang saya ketik" in html and "Lulusan SMK, atau;" in html
    errors = resp.context["form"].errors
    assert "number" in errors and "kkni_level" in errors
    assert Scheme.objects.count() == 1


def test_form_checks_as_one_types(client, admin):
    client.force_login(admin)
    html = client.get(reverse("catalog:create")).content.decode()
    import re

    inputs = {m.group(1): m.group(0) for m in re.finditer(r'<input[^>]*name="(\w+)"[^>]*>', html)}
    assert 'maxlength="255"' in inputs["title"] and "required" in inputs["title"]
    assert 'min="1"' in inputs["kkni_level"] and 'max="9"' in inputs["kkni_level"]
    assert 'pattern="[-a-zA-Z0-9_]+"' in inputs["code"] and 'min="0"' in inputs["fee"]


def test_requirements_are_frozen_once_candidates_applied(client, admin, scheme, candidate):
    from kompeten.cases import services

    services.create_case(candidate, scheme)
    client.force_login(admin)
    resp = client.get(reverse("catalog:edit", args=[scheme.code]))
    assert "dibekukan" in resp.content.decode()
    form = resp.context["form"]
    assert form.fields["basic_requirements"].disabled
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(basic_requirements="Diganti", fee="1000", is_active="on", is_licensed="on")
    assert client.post(reverse("catalog:edit", args=[scheme.code]), data).status_code == 302
    scheme.refresh_from_db()
    assert scheme.fee == 1000 and not scheme.requirements.filter(text="Diganti").exists()


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.ASSESSOR, Role.LSP_HEAD, Role.COMMITTEE])
def test_only_the_admin_edits(client, scheme, role):
    client.force_login(make_user("x", role))
    for url in [reverse("catalog:create"), reverse("catalog:edit", args=[scheme.code]), reverse("catalog:upload")]:
        assert client.get(url).status_code == 403
    assert client.post(reverse("catalog:create"), NEW).status_code == 403
    raw = SCHEME_FILE.read_bytes()
    assert client.post(reverse("catalog:upload"), {"file": SimpleUploadedFile("s.json", raw)}).status_code == 403
    assert not Scheme.objects.filter(number=NEW["number"]).exists()


def test_list_for_admin_and_lsp_head_with_search_filter_and_pages(client, scheme, django_assert_max_num_queries):
    for i in range(25):
        Scheme.objects.create(number=f"SKM/X/{i:03d}", code=f"x-{i}", title=f"Skema Uji {i:03d}", type="Okupasi",
                              is_active=False)
    client.force_login(make_user("ketua", Role.LSP_HEAD))
    with django_assert_max_num_queries(8):
        resp = client.get(reverse("catalog:manage"))
    assert resp.status_code == 200 and resp.context["page"].paginator.count == 26
    assert "Buat skema" not in resp.content.decode()
    assert client.get(reverse("catalog:manage"), {"status": "active"}).context["page"].paginator.count == 1
    assert client.get(reverse("catalog:manage"), {"q": "J.620100.005"}).context["page"].paginator.count == 1
    assert len(client.get(reverse("catalog:manage"), {"page": 2}).context["page"].object_list) == 6
    client.force_login(make_user("budi", Role.CANDIDATE))
    assert client.get(reverse("catalog:manage")).status_code == 403
