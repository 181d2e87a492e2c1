"""Accounts, home pages, inbox, notifications, number sequences."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from kompeten.core.models import Notification, Role, User
from kompeten.core.notify import notify
from kompeten.core.sequences import next_number


def test_candidate_registers_and_lands_on_the_catalogue(client, db):
    resp = client.post(reverse("register"), {
        "full_name": "Siti Nurhaliza", "email": "Siti@Example.id", "phone": "0812",
        "password": "kuat-sekali-2026", "password2": "kuat-sekali-2026"})
    assert resp.status_code == 302 and resp.url == reverse("catalog:list")
    user = User.objects.get(email="siti@example.id")
    assert user.first_name == "Siti" and user.has_role(Role.CANDIDATE)
    assert client.get(reverse("home")).status_code == 200


def test_registration_keeps_what_was_typed_on_error(client, db):
    resp = client.post(reverse("register"), {"full_name": "Siti", "email": "siti@example.id",
                                             "password": "kuat-sekali-2026", "password2": "lain"})
    assert resp.status_code == 200
    assert "Kedua kata sandi tidak sama." in resp.content.decode()
    assert 'value="siti@example.id"' in resp.content.decode()
    assert not User.objects.exists()


def test_duplicate_email_is_refused(client, candidate):
    resp = client.post(reverse("register"), {"full_name": "X", "email": candidate.email.upper(),
                                             "password": "kuat-sekali-2026", "password2": "kuat-sekali-2026"})
    assert "sudah terdaftar" in resp.content.decode()


def test_login_with_email_or_username(client, candidate):
    assert client.login(username=candidate.email, password="rahasia-123")
    client.logout()
    assert client.login(username="budi", password="rahasia-123")


def test_password_reset_sends_mail(client, candidate):
    resp = client.post(reverse("password_reset"), {"email": candidate.email})
    assert resp.status_code == 302
    assert len(mail.outbox) == 1 and candidate.email in mail.outbox[0].to


def test_home_lists_work_per_role(client, admin_user, candidate, scheme):
    from kompeten.cases.models import Case

    case = Case.objects.create(number="PMH-2026-00042", candidate=candidate, scheme=scheme, status="submitted")
    client.force_login(admin_user)
    body = client.get(reverse("home")).content.decode()
    assert "Sebagai Admin LSP" in body and case.number in body and "Terima dokumen" in body
    client.force_login(candidate)
    body = client.get(reverse("home")).content.decode()
    assert "Permohonan saya" in body and case.number in body


def test_landing_page_for_visitors(client, scheme):
    body = client.get(reverse("home")).content.decode()
    assert scheme.title in body


@pytest.mark.django_db(transaction=True)
def test_notifications_are_delivered_only_after_commit(candidate):
    with transaction.atomic():
        notify([candidate, None], "Jadwal Anda", body="Silakan konfirmasi", url="/x/")
        assert not Notification.objects.exists()
    n = Notification.objects.get()
    assert (n.recipient, n.title, n.url) == (candidate, "Jadwal Anda", "/x/")
    assert mail.outbox[-1].subject == "Jadwal Anda"


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_act_fails(candidate):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            notify([candidate], "Tidak jadi")
            raise RuntimeError
    assert not Notification.objects.exists() and not mail.outbox


def test_inbox_marks_read(client, candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify([candidate], "Halo", url="/")
    client.force_login(candidate)
    assert "Halo" in client.get(reverse("inbox")).content.decode()
    n = Notification.objects.get()
    assert client.get(reverse("open_notification", args=[n.pk])).status_code == 302
    n.refresh_from_db()
    assert n.read_at is not None


def test_sequences_count_per_name_and_year(db):
    assert [next_number("case", 2026) for _ in range(3)] == [1, 2, 3]
    assert next_number("case", 2027) == 1
    assert next_number("certificate", 2026) == 1


def test_language_can_be_switched_to_english(client, db):
    resp = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert resp.status_code == 302
    body = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in body


def test_pages_carry_a_content_security_policy(client, db):
    csp = client.get(reverse("login")).headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp


def test_repeated_failed_logins_lock_the_account(client, candidate, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": candidate.email, "password": "salah"})
    resp = client.post(reverse("login"), {"username": candidate.email, "password": "rahasia-123"})
    assert resp.status_code == 429
    assert "Terlalu banyak percobaan masuk" in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_candidate_home_does_not_say_the_account_has_no_role(client, candidate, scheme):
    from kompeten.cases.models import Case

    Case.objects.create(number="PMH-2026-00043", candidate=candidate, scheme=scheme, status="awaiting_decision")
    client.force_login(candidate)
    body = client.get(reverse("home")).content.decode()
    assert "Permohonan saya" in body and "belum memiliki peran" not in body
