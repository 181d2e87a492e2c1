"""The assessor registry on screen: register a new person (invitation with a working set-password link) or an
existing account, edit, refusals (wrong role, duplicate MET number, invalid input keeps what was typed)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kompeten.core.actions import history
from kompeten.core.models import Notification, Role, User
from kompeten.people.models import Assessor
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _data(scheme, **over):
    return {"email": "dewi.baru@contoh.id", "full_name": "Dewi Baru Lestari", "met_number": "met.000.123456  2024",
            "schemes": [scheme.pk], "valid_until": (timezone.localdate() + dt.timedelta(days=900)).isoformat(),
            "employer": "PT Solusi Web", **over}


def test_new_person_is_invited_and_the_link_sets_a_password(client, admin_user, scheme, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("people:assessor_create"), _data(scheme))
    assessor = Assessor.objects.get()
    assert resp.status_code == 302 and resp.url == assessor.get_absolute_url()
    user = assessor.user
    assert assessor.met_number == "MET.000.123456 2024" and user.get_full_name() == "Dewi Baru Lestari"
    assert user.has_role(Role.ASSESSOR) and not user.has_usable_password()
    assert list(assessor.schemes.all()) == [scheme]
    entry = history(assessor).get()
    assert entry.act == "register_assessor" and entry.data["new_account"] and entry.data["met_number"] == assessor.met_number

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dewi.baru@contoh.id"] and "atur kata sandi" in message.subject.lower()
    link = re.search(r"https?://\S+/atur-sandi/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    resp = client.get("/" + path, follow=True)  # Django moves the token into the session, then shows the form
    assert resp.status_code == 200 and resp.context["validlink"]
    resp = client.post(resp.redirect_chain[-1][0], {"new_password1": "Sandi-baru-2026!", "new_password2": "Sandi-baru-2026!"})
    assert resp.status_code == 302
    assert client.login(username=user.username, password="Sandi-baru-2026!")
    # the link is spent once used
    assert not client.get("/" + path, follow=True).context["validlink"]


def test_existing_account_is_made_an_assessor_without_a_new_account(client, admin_user, scheme,
                                                                   django_capture_on_commit_callbacks):
    person = make_user("agus", Role.LEAD_ASSESSOR, first_name="Agus")
    accounts = User.objects.count()  # the admin, Agus, and the scheme fixture's MUK validator
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("people:assessor_create"), _data(scheme, email="AGUS@example.id", full_name=""))
    assert resp.status_code == 302
    assert User.objects.count() == accounts and Assessor.objects.get().user == person
    assert person.has_role(Role.ASSESSOR)
    assert not history(Assessor.objects.get()).get().data["new_account"]
    assert Notification.objects.filter(recipient=person, title__icontains="asesor").exists()
    assert not [m for m in mail.outbox if "atur-sandi" in m.body]  # has a password: no invitation


def test_duplicate_met_number_is_refused_clearly_and_keeps_what_was_typed(client, admin_user, assessor, scheme):
    client.force_login(admin_user)
    resp = client.post(reverse("people:assessor_create"), _data(scheme, met_number=assessor.met_number,
                                                               employer="Instansi yang saya ketik"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert f"Nomor MET {assessor.met_number} sudah terdaftar atas nama {assessor.name}" in html
    assert "Instansi yang saya ketik" in html and "dewi.baru@contoh.id" in html
    assert Assessor.objects.count() == 1 and not User.objects.filter(email="dewi.baru@contoh.id").exists()


def test_invalid_input_keeps_what_was_typed(client, admin_user, scheme):
    client.force_login(admin_user)
    resp = client.post(reverse("people:assessor_create"), _data(scheme, met_number="MET-123", full_name=""))
    html = resp.content.decode()
    assert resp.status_code == 200 and "MET.000.NNNNNN TTTT" in html and 'value="MET-123"' in html
    assert not Assessor.objects.exists()
    resp = client.post(reverse("people:assessor_create"), _data(scheme, full_name=""))
    assert "Isi nama lengkap" in resp.content.decode() and not User.objects.filter(email="dewi.baru@contoh.id").exists()


def test_form_checks_as_one_types(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("people:assessor_create")).content.decode()
    inputs = {m.group(1): m.group(0) for m in re.finditer(r'<input[^>]*name="(\w+)"[^>]*>', html)}
    assert 'type="email"' in inputs["email"] and "required" in inputs["email"]
    assert "pattern=" in inputs["met_number"] and "required" in inputs["met_number"]
    assert 'type="date"' in inputs["valid_until"] and "required" in inputs["valid_until"]


def test_person_already_on_the_registry_is_refused(client, admin_user, assessor, scheme):
    client.force_login(admin_user)
    resp = client.post(reverse("people:assessor_create"), _data(scheme, email=assessor.user.email))
    assert "sudah terdaftar sebagai asesor" in resp.content.decode()
    assert Assessor.objects.count() == 1


def test_edit_logs_what_changed(client, admin_user, assessor, scheme):
    client.force_login(admin_user)
    form = client.get(reverse("people:assessor_edit", args=[assessor.pk])).context["form"]
    resp = client.post(reverse("people:assessor_edit", args=[assessor.pk]), {
        "full_name": form.initial["full_name"], "met_number": assessor.met_number, "schemes": [],
        "valid_until": "2031-05-01", "employer": "PT Baru", "is_active": ""})
    assert resp.status_code == 302
    assessor.refresh_from_db()
    assert not assessor.is_active and assessor.employer == "PT Baru" and not assessor.schemes.exists()
    changed = history(assessor).get().data["changed"]
    assert set(changed) == {"valid_until", "employer", "is_active", "schemes"}


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.ASSESSOR, Role.LSP_HEAD, Role.TUK_HEAD])
def test_only_the_admin_registers(client, role, scheme, assessor):
    client.force_login(make_user("x", role))
    assert client.get(reverse("people:assessor_create")).status_code == 403
    assert client.post(reverse("people:assessor_create"), _data(scheme)).status_code == 403
    assert client.get(reverse("people:assessor_edit", args=[assessor.pk])).status_code == 403
    assert client.post(reverse("people:assessor_invite", args=[assessor.pk])).status_code == 403
    assert Assessor.objects.count() == 1


def test_lsp_head_views_the_registry_without_edit_buttons(client, lsp_head, assessor):
    client.force_login(lsp_head)
    html = client.get(reverse("people:assessor_detail", args=[assessor.pk])).content.decode()
    assert assessor.met_number in html and reverse("people:assessor_edit", args=[assessor.pk]) not in html


def test_invitation_can_be_sent_again(client, admin_user, scheme, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    client.post(reverse("people:assessor_create"), _data(scheme))
    assessor = Assessor.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("people:assessor_invite", args=[assessor.pk]))
    assert resp.status_code == 302 and len(mail.outbox) == 1 and "/atur-sandi/" in mail.outbox[0].body
    assert history(assessor).first().act == "invite_assessor"


def test_an_invited_person_can_ask_for_a_new_link_from_the_login_page(client, admin_user, scheme,
                                                                      django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    client.post(reverse("people:assessor_create"), _data(scheme))
    client.logout()
    mail.outbox.clear()
    client.post(reverse("password_reset"), {"email": "Dewi.Baru@contoh.id"})
    assert len(mail.outbox) == 1 and "/atur-sandi/" in mail.outbox[0].body  # Django alone skips password-less accounts
