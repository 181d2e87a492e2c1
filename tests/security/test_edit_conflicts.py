"""Two staff editing the same record: the second save is refused with a clear message, never a lost update
(issue 12, Reliability). One mechanism in core (`core.concurrency`: a version carried in the form, checked by the
service on the locked row) for every record staff edit in a form: scheme master data, TUK, assessor registry, the
LSP profile, instrument (MUK) items."""

import pytest
from django.test import Client
from django.urls import reverse

from kompeten.core.actions import history
from kompeten.core.concurrency import EditConflict, claim
from kompeten.core.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CONFLICT = "sudah diubah oleh"


def form_data(form):
    """What the browser sends back for a form as it was rendered (every field's current value)."""
    data = {}
    for bf in form:
        value = bf.value()
        if value is None or value is False:
            continue
        if value is True:
            data[bf.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bf.html_name] = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "isoformat"):
            data[bf.html_name] = value.isoformat()
        else:
            data[bf.html_name] = getattr(value, "pk", value)
    return data


def two_staff(first):
    second = make_user("admin2", Role.ADMIN, first_name="Rini", last_name="Kedua")
    a, b = Client(), Client()
    a.force_login(first)
    b.force_login(second)
    return a, b


def race(url, a, b, field, value_a, value_b):
    """A and B open the page; A saves, then B saves from the page they opened. Returns B's answer."""
    page_a, page_b = a.get(url), b.get(url)
    assert page_a.status_code == page_b.status_code == 200
    data_a, data_b = form_data(page_a.context["form"]), form_data(page_b.context["form"])
    assert "edit_version" in data_a and 'name="edit_version"' in page_a.content.decode()
    resp = a.post(url, {**data_a, field: value_a})
    assert resp.status_code == 302, resp.context["form"].errors if resp.context else resp
    resp = b.post(url, {**data_b, field: value_b})
    assert resp.status_code == 200 and CONFLICT in resp.content.decode(), resp.context["form"].errors
    assert value_b in resp.content.decode(), "what B typed is kept on the page"
    # B reloads the page and saves again: now it is B's change on top of A's.
    again = form_data(b.get(url).context["form"])
    assert again[field] == value_a
    assert b.post(url, {**again, field: value_b}).status_code == 302
    return resp


def test_scheme_master_data(admin_user, scheme):
    a, b = two_staff(admin_user)
    url = reverse("catalog:edit", args=[scheme.code])
    race(url, a, b, "title", "Judul dari Admin A", "Judul dari Admin B")
    scheme.refresh_from_db()
    assert scheme.title == "Judul dari Admin B"
    titles = [e.data["changed"].get("title") for e in history(scheme) if e.act == "update_scheme"]
    assert titles == ["Judul dari Admin B", "Judul dari Admin A"], "both saves logged, nothing lost"


def test_tuk(admin_user, site):
    a, b = two_staff(admin_user)
    url = reverse("sites:edit", args=[site.pk])
    race(url, a, b, "address", "Jl. Admin A 1", "Jl. Admin B 2")
    site.refresh_from_db()
    assert site.address == "Jl. Admin B 2" and site.edit_version == 2


def test_assessor_registry(admin_user, assessor):
    a, b = two_staff(admin_user)
    url = reverse("people:assessor_edit", args=[assessor.pk])
    race(url, a, b, "employer", "PT Pilihan A", "PT Pilihan B")
    assessor.refresh_from_db()
    assert assessor.employer == "PT Pilihan B"


def test_lsp_profile(admin_user):
    from kompeten.core.services import update_lsp_profile

    update_lsp_profile(admin_user, name="LSP Teknologi Digital Nusantara")
    a, b = two_staff(admin_user)
    race(reverse("lsp_profile"), a, b, "phone", "022-111", "022-222")
    from kompeten.core.lsp import lsp_profile

    assert lsp_profile(fresh=True).phone == "022-222"


def test_instrument_draft_item(admin_user, raw_scheme):
    from kompeten.assessment import instruments as I

    version = I.latest_version(I.instruments_of(raw_scheme)[0])
    assert version.status != "validated"
    item = version.items.first()
    a, b = two_staff(admin_user)
    url = reverse("assessment:instrument_item", args=[version.pk, item.pk])
    race(url, a, b, "text", "Butir menurut Admin A", "Butir menurut Admin B")
    item.refresh_from_db()
    assert item.text == "Butir menurut Admin B"


def test_the_service_refuses_a_stale_version_and_names_who_changed_it(admin_user, site):
    from kompeten.sites import services

    services.save_site(admin_user, site, address="Jl. Baru 3", version=0)
    with pytest.raises(EditConflict) as exc:
        services.save_site(admin_user, site, address="Jl. Lama", version=0)
    assert "Sari Admin" in str(exc.value.message)
    site.refresh_from_db()
    assert site.address == "Jl. Baru 3" and site.edit_version == 1
    # Without a version (the demo builder, the loader) nothing is checked, but the version still moves on.
    services.save_site(admin_user, site, address="Jl. Loader")
    site.refresh_from_db()
    assert site.edit_version == 2


def test_claim_compares_and_raises_the_counter(site):
    site.edit_version = 4
    with pytest.raises(EditConflict):
        claim(site, 3)
    assert claim(site, "4").edit_version == 5
    assert claim(site, None).edit_version == 6
