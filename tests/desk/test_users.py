"""The admin's accounts-and-roles screens (issue 12's role changes, done from the app): list searched, filtered
and paged; a role given and removed with a reason through core.roles; refusals shown at the field, nothing
changed; nobody changes their own roles; only the admin opens the screens."""

import pytest
from django.urls import reverse

from kompeten.core.actions import history
from kompeten.core.models import Notification, Role, RoleAssignment
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _deliver_at_once(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def test_list_searches_filters_and_pages(client, admin_user, assessor, candidate, committee):
    for n in range(25):
        make_user(f"peserta{n:02d}", Role.CANDIDATE, first_name="Peserta", last_name=f"{n:02d}")
    client.force_login(admin_user)
    url = reverse("users")
    page = client.get(url).content.decode()
    assert "Menampilkan" in page or "page=2" in page
    found = client.get(url, {"q": "lestari"}).content.decode()
    assert "Dewi Lestari" in found and "Budi Santoso" not in found
    by_role = client.get(url, {"role": Role.COMMITTEE}).content.decode()
    assert "Ani Wijaya" in by_role and "Dewi Lestari" not in by_role
    nothing = client.get(url, {"q": "tidak-ada-orang-ini"}).content.decode()
    assert "Tidak ada akun yang cocok" in nothing
    assert client.get(url, {"role": "bukan-peran", "page": "x"}).status_code == 200  # bad filter: all, page 1


def test_admin_gives_a_tuk_head_role_and_removes_it_from_the_screen(client, admin_user, site, assessor):
    person = assessor.user
    client.force_login(admin_user)
    url = reverse("user_roles", args=[person.pk])
    assert "Beri peran" in client.get(url).content.decode()
    resp = client.post(url, {"act": "grant", "grant-role": Role.TUK_HEAD, "grant-site": site.pk,
                             "grant-reason": "SK Ketua LSP No. 7/2026"})
    assert resp.status_code == 302
    held = RoleAssignment.objects.get(user=person, role=Role.TUK_HEAD)
    assert held.site == site
    assert history(person).get(act="grant_role").reason == "SK Ketua LSP No. 7/2026"
    assert Notification.objects.filter(recipient=person, title__icontains="peran").exists()
    page = client.get(url).content.decode()
    assert "SK Ketua LSP No. 7/2026" in page and site.name in page

    resp = client.post(url, {"act": "revoke", "assignment": held.pk, "revoke-reason": "Masa tugas berakhir"})
    assert resp.status_code == 302
    assert not RoleAssignment.objects.filter(user=person, role=Role.TUK_HEAD).exists()
    assert history(person).get(act="revoke_role").reason == "Masa tugas berakhir"


def test_refusals_are_shown_at_the_field_and_change_nothing(client, admin_user, assessor):
    person = assessor.user
    client.force_login(admin_user)
    url = reverse("user_roles", args=[person.pk])
    before = set(RoleAssignment.objects.values_list("pk", flat=True))
    no_site = client.post(url, {"act": "grant", "grant-role": Role.TUK_HEAD, "grant-reason": "Ketua baru"})
    assert no_site.status_code == 400 and "Pilih TUK" in no_site.content.decode()
    no_reason = client.post(url, {"act": "grant", "grant-role": Role.COMMITTEE, "grant-reason": ""})
    assert no_reason.status_code == 400 and "Ketua baru" not in no_reason.content.decode()
    twice = client.post(url, {"act": "grant", "grant-role": Role.ASSESSOR, "grant-reason": "Lagi"})
    assert twice.status_code == 400 and "sudah memegang peran" in twice.content.decode()
    held = RoleAssignment.objects.get(user=person, role=Role.ASSESSOR)
    blank = client.post(url, {"act": "revoke", "assignment": held.pk, "revoke-reason": " "})
    assert blank.status_code == 400
    other = client.post(url, {"act": "revoke", "assignment": admin_user.roles.first().pk, "revoke-reason": "x"})
    assert other.status_code == 404  # an assignment of someone else is not this page's
    assert set(RoleAssignment.objects.values_list("pk", flat=True)) == before
    assert not history(person).filter(act__in=("grant_role", "revoke_role")).exists()


def test_own_roles_cannot_be_changed_and_the_page_says_why(client, admin_user):
    client.force_login(admin_user)
    url = reverse("user_roles", args=[admin_user.pk])
    page = client.get(url).content.decode()
    assert "peran Anda hanya dapat diubah oleh Admin LSP lain" in page and 'value="grant"' not in page
    resp = client.post(url, {"act": "revoke", "assignment": admin_user.roles.first().pk, "revoke-reason": "Berhenti"})
    assert resp.status_code == 403
    assert admin_user.roles.filter(role=Role.ADMIN).exists()


@pytest.mark.parametrize("who", ["lsp_head", "committee", "candidate"])
def test_only_the_admin_opens_or_posts(client, request, who, assessor):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("users")).status_code == 403
    url = reverse("user_roles", args=[assessor.user.pk])
    resp = client.post(url, {"act": "grant", "grant-role": Role.ADMIN, "grant-reason": "Saya mau"})
    assert resp.status_code == 403
    assert not RoleAssignment.objects.filter(user=assessor.user, role=Role.ADMIN).exists()
