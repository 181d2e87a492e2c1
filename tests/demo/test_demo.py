"""The demo LSP loads through the services and leaves real work on every role's home page."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from kompeten.cases.models import Case
from kompeten.core.models import User
from kompeten.demo.builder import CANDIDATES, LOGINS, PASSWORD


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))


def test_demo_has_a_case_at_every_stage(demo):
    statuses = set(Case.objects.values_list("status", flat=True))
    expected = set(Case.Status.values) - {"withdrawn", "not_continued"}
    assert expected <= statuses, expected - statuses
    assert Case.objects.count() == len(CANDIDATES)
    holder = Case.objects.get(status="surveillance")
    assert holder.certificate.number.startswith("CERT/")


def test_every_demo_login_works_and_staff_see_work(demo, client):
    for email, _who in LOGINS:
        assert client.login(username=email, password=PASSWORD), email
        body = client.get(reverse("home")).content.decode()
        assert any(text in body for text in ("Langkah berikutnya", "Giliran Anda", "Tidak ada")), email
        client.logout()
    for email in ("admin@lsp-tdn.id", "asesor@lsp-tdn.id", "lead@lsp-tdn.id", "ketuatuk@lsp-tdn.id",
                  "komite@lsp-tdn.id", "ketualsp@lsp-tdn.id", "budi@contoh.id"):
        client.force_login(User.objects.get(email=email))
        assert "Langkah berikutnya" in client.get(reverse("home")).content.decode(), email
    client.force_login(User.objects.get(email="siti@contoh.id"))
    assert "Giliran Anda" in client.get(reverse("home")).content.decode()  # she must confirm her schedule


def test_loading_twice_keeps_the_data(demo, capsys):
    call_command("load_demo")
    assert "already loaded" in capsys.readouterr().out
    assert Case.objects.count() == len(CANDIDATES)
