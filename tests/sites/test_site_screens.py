"""TUK on screen: create and edit (code, name, type, address, head), linked to its verification; refusals."""

import pytest
from django.core import mail
from django.urls import reverse

from kompeten.core.actions import history
from kompeten.core.models import Notification, Role, RoleAssignment
from kompeten.sites.models import Site
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NEW = {"code": "TUK-SBY-04", "name": "TUK Surabaya", "type": "sewaktu", "address": "Jl. Pemuda 1, Surabaya",
       "city": "Surabaya", "is_active": "on"}


def test_admin_creates_a_tuk_with_its_head(client, admin_user, django_capture_on_commit_callbacks):
    head = make_user("rudi", first_name="Rudi")
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("sites:create"), {**NEW, "head_email": "RUDI@example.id"})
    site = Site.objects.get(code="TUK-SBY-04")
    assert resp.status_code == 302 and resp.url == site.get_absolute_url()
    assert site.head == head and head.has_role(Role.TUK_HEAD, site=site)
    assert site.verified_until is None  # only a verification sets it
    entry = history(site).get()
    assert entry.act == "create_site" and entry.data["changed"]["head"] == head.email
    assert Notification.objects.filter(recipient=head, title__icontains="Ketua TUK").exists()
    html = client.get(site.get_absolute_url()).content.decode()
    assert reverse("sites:edit", args=[site.pk]) in html and reverse("sites:verify", args=[site.pk]) in html


def test_new_head_is_invited(client, admin_user, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("sites:create"), {**NEW, "head_email": "baru@tuk.id", "head_name": "Sinta Dewi"})
    site = Site.objects.get()
    assert site.head.email == "baru@tuk.id" and not site.head.has_usable_password()
    assert len(mail.outbox) == 1 and "/atur-sandi/" in mail.outbox[0].body and "TUK Surabaya" in mail.outbox[0].body


def test_changing_the_head_moves_the_role(client, admin_user, site, tuk_head):
    Site.objects.filter(pk=site.pk).update(head=tuk_head)
    other = make_user("lain", first_name="Lain")
    client.force_login(admin_user)
    form = client.get(reverse("sites:edit", args=[site.pk])).context["form"]
    assert form.initial["head_email"] == tuk_head.email
    resp = client.post(reverse("sites:edit", args=[site.pk]), {
        "code": site.code, "name": "Nama baru", "type": site.type, "address": site.address, "city": site.city,
        "is_active": "on", "head_email": other.email})
    assert resp.status_code == 302
    site.refresh_from_db()
    assert site.name == "Nama baru" and site.head == other
    assert not RoleAssignment.objects.filter(user=tuk_head, role=Role.TUK_HEAD, site=site).exists()
    assert RoleAssignment.objects.filter(user=other, role=Role.TUK_HEAD, site=site).exists()
    assert set(history(site).get().data["changed"]) == {"name", "head"}
    assert site.verified_until is not None and site.schemes.exists()  # verification untouched


def test_invalid_input_keeps_what_was_typed(client, admin_user, site):
    client.force_login(admin_user)
    resp = client.post(reverse("sites:create"), {**NEW, "code": site.code.lower(), "name": "Nama yang diketik"})
    html = resp.content.decode()
    assert resp.status_code == 200 and "sudah dipakai TUK lain" in html and "Nama yang diketik" in html
    resp = client.post(reverse("sites:create"), {**NEW, "head_email": "belum@ada.id"})
    assert "isi juga nama ketua TUK" in resp.content.decode()
    resp = client.post(reverse("sites:create"), {**NEW, "head_email": make_user("budi", Role.CANDIDATE).email})
    assert "hanya terdaftar sebagai asesi" in resp.content.decode()
    assert Site.objects.count() == 1


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.ASSESSOR, Role.LSP_HEAD, Role.TUK_HEAD])
def test_only_the_admin_edits(client, role, site):
    client.force_login(make_user("x", role, site=site if role == Role.TUK_HEAD else None))
    assert client.get(reverse("sites:create")).status_code == 403
    assert client.post(reverse("sites:create"), NEW).status_code == 403
    assert client.post(reverse("sites:edit", args=[site.pk]), {**NEW, "code": site.code}).status_code == 403
    assert Site.objects.count() == 1 and Site.objects.get().name != "TUK Surabaya"
