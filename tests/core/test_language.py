"""The screens are in Indonesian, the LSP's language, unless the person chooses English; a logged-in
person's choice is kept on their account and follows them to any device."""

from django.test import Client
from django.urls import reverse

from kompeten.core.models import User

ID_TEXT, EN_TEXT = "Skema sertifikasi", "Certification schemes"


def catalogue(client, **headers):
    return client.get(reverse("catalog:list"), **headers).content.decode()


def test_an_english_browser_gets_indonesian(client, db):
    resp = client.get(reverse("catalog:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = resp.content.decode()
    assert ID_TEXT in body and EN_TEXT not in body
    assert resp.headers["Content-Language"] == "id"


def test_an_anonymous_visitors_choice_is_kept_in_the_cookie(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.cookies["django_language"].value == "en"
    assert EN_TEXT in catalogue(client, HTTP_ACCEPT_LANGUAGE="id")


def test_choice_while_logged_in_is_kept_on_the_account_and_follows_to_a_fresh_login(client, candidate):
    client.login(username=candidate.email, password="rahasia-123")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    candidate.refresh_from_db()
    assert candidate.language == "en"
    # Another device: no cookie, an Indonesian browser.
    fresh = Client(HTTP_ACCEPT_LANGUAGE="id")
    assert ID_TEXT in catalogue(fresh)
    resp = fresh.post(reverse("login"), {"username": candidate.email, "password": "rahasia-123"})
    assert resp.status_code == 302
    assert EN_TEXT in catalogue(fresh)
    assert fresh.cookies["django_language"].value == "en"  # stays English after logging out there too
    fresh.post(reverse("logout"))
    assert EN_TEXT in catalogue(fresh)


def test_account_choice_wins_over_a_stale_cookie(client, candidate):
    User.objects.filter(pk=candidate.pk).update(language="id")
    client.cookies["django_language"] = "en"
    client.force_login(candidate)
    assert ID_TEXT in catalogue(client)
    assert client.cookies["django_language"].value == "id"


def test_choice_while_anonymous_does_not_touch_any_account(client, candidate):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    candidate.refresh_from_db()
    assert candidate.language == ""


def test_a_page_not_found_speaks_the_accounts_language(client, candidate):
    """An address that names no page is answered in the person's own language, not the cookie's."""
    User.objects.filter(pk=candidate.pk).update(language="en")
    client.cookies["django_language"] = "id"
    client.force_login(candidate)
    resp = client.get("/tidak-ada-halaman-ini/")
    assert resp.status_code == 404 and "Page not found" in resp.content.decode()
    assert resp.headers["Content-Language"] == "en"
    anonymous = Client()
    anonymous.cookies["django_language"] = "en"
    assert "Page not found" in anonymous.get("/tidak-ada-halaman-ini/").content.decode()
    assert "Halaman tidak ditemukan" in Client().get("/tidak-ada-halaman-ini/").content.decode()
