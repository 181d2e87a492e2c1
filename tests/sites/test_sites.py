import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.sites.models import FacilityItem, Site, SiteVerification
from kompeten.sites.services import verify_site


def all_ok():
    return {code: (True, "") for code in FacilityItem.values}


@pytest.fixture
def new_site(db):
    return Site.objects.create(code="TUK-009", name="TUK Baru", type=Site.Type.TEMPAT_KERJA, address="Jl. Baru 9")


def test_verify_site_happy(new_site, admin_user, scheme):
    until = timezone.localdate() + dt.timedelta(days=365)
    v = verify_site(new_site, admin_user, items=all_ok(), verified_until=until, scheme_ids=[scheme.pk], note="Kunjungan")
    new_site.refresh_from_db()
    assert v.passed and new_site.verified_until == until and list(new_site.schemes.all()) == [scheme]
    assert new_site.fit_for(scheme, timezone.localdate() + dt.timedelta(days=30)) is None
    assert history(new_site).get().act == "verify_site"


def test_failed_verification_unverifies_site(site, admin_user, scheme):
    items = all_ok()
    items["safety"] = (False, "APAR kedaluwarsa")
    v = verify_site(site, admin_user, items=items, verified_until=None, scheme_ids=[])
    site.refresh_from_db()
    assert not v.passed and site.verified_until is None and not site.schemes.exists()
    assert site.fit_for(scheme) is not None
    assert SiteVerification.objects.count() == 1


@pytest.mark.parametrize("change", ["missing_item", "no_note", "past_date", "no_scheme"])
def test_verify_site_bad_data_changes_nothing(site, admin_user, scheme, change):
    before = site.verified_until
    items, until, schemes = all_ok(), timezone.localdate() + dt.timedelta(days=100), [scheme.pk]
    if change == "missing_item":
        items.pop("internet")
    elif change == "no_note":
        items["room"] = (False, "")
    elif change == "past_date":
        until = timezone.localdate()
    else:
        schemes = []
    with pytest.raises(WorkflowError):
        verify_site(site, admin_user, items=items, verified_until=until, scheme_ids=schemes)
    site.refresh_from_db()
    assert site.verified_until == before and not SiteVerification.objects.exists()


def test_verify_site_wrong_role(site, tuk_head):
    with pytest.raises(NotAllowed):
        verify_site(site, tuk_head, items=all_ok(), verified_until=None, scheme_ids=[])
    assert not SiteVerification.objects.exists()


def test_site_views(client, admin_user, site, scheme, django_assert_max_num_queries):
    for i in range(25):
        Site.objects.create(code=f"T{i:02d}", name=f"TUK {i:02d}", type="sewaktu", address="x")
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        resp = client.get(reverse("sites:list"))
    assert resp.status_code == 200 and len(resp.context["page"].object_list) == 20
    assert client.get(reverse("sites:list"), {"q": "Politeknik"}).context["page"].object_list[0] == site
    assert client.get(site.get_absolute_url()).status_code == 200
    url = reverse("sites:verify", args=[site.pk])
    data = {f"ok_{c}": "1" for c in FacilityItem.values}
    data["ok_internet"] = "0"  # no note → error kept next to the field
    data["note_room"] = "Ruang lab 2"
    resp = client.post(url, data)
    html = resp.content.decode()
    assert resp.status_code == 200 and "Jelaskan mengapa butir ini tidak memenuhi" in html and "Ruang lab 2" in html
    data.update({"ok_internet": "1", "verified_until": (timezone.localdate() + dt.timedelta(days=200)).isoformat(),
                 "schemes": [scheme.pk]})
    resp = client.post(url, data)
    assert resp.status_code == 302
    site.refresh_from_db()
    assert site.verified_until == timezone.localdate() + dt.timedelta(days=200)


def test_tuk_head_sees_only_own_site(client, tuk_head, site, candidate):
    other = Site.objects.create(code="TUK-X", name="TUK Lain", type="sewaktu", address="y")
    client.force_login(tuk_head)
    assert list(client.get(reverse("sites:list")).context["page"].object_list) == [site]
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(reverse("sites:verify", args=[site.pk])).status_code == 403
    client.force_login(candidate)
    assert client.get(reverse("sites:list")).status_code == 403
