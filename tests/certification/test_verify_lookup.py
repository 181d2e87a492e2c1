"""The public verification look-up (certification.public): one query for the certificate, its scheme, the
certificate it renews and the scheme's units; nothing of the answer kept between requests; the JSON keeps its
headers; the looks are written after the response."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kompeten.certification import public, scanlog
from kompeten.certification.models import Certificate, VerificationScan

pytestmark = pytest.mark.django_db


def test_json_answer_is_one_query_and_no_write(client, cert, settings):
    settings.SCAN_FLUSH_EVERY, settings.SCAN_FLUSH_SECONDS = 1000, 3600
    url = reverse("certification:verify_json", args=[cert.public_id])
    client.get(url)  # the first look on this connection compiles (and on PostgreSQL prepares) the query
    with CaptureQueriesContext(connection) as queries:
        data = client.get(url).json()
    assert len(queries) == 1, [q["sql"] for q in queries]
    units = list(cert.scheme.units.order_by("order", "id").values("code", "title"))
    assert len(units) > 1 and data["units"] == units
    assert data["scheme"] == {"number": cert.scheme.number, "title": cert.scheme.title}
    assert data["renews"] is None and data["status"] == "active" and scanlog.pending() == 2


def test_status_change_shows_on_the_next_answer(client, cert):
    url = reverse("certification:verify_json", args=[cert.public_id])
    assert client.get(url).json()["status"] == "active"
    # As another worker (another process) would: straight in the database, nothing told to this process.
    Certificate.objects.filter(pk=cert.pk).update(status="suspended", status_note="Menunggu surveilan",
                                                  status_changed_at=timezone.now())
    data = client.get(url).json()
    assert data["status"] == "suspended" and data["status_note"] == "Menunggu surveilan"
    assert data["status_label"] == "Dibekukan" and data["status_changed_at"]
    Certificate.objects.filter(pk=cert.pk).update(status="active", valid_until=timezone.localdate() - dt.timedelta(1))
    assert client.get(url).json()["status"] == "expired"
    assert "KEDALUWARSA" in client.get(reverse("certification:verify", args=[cert.public_id])).content.decode()


def test_json_headers(client, cert, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("certification:verify_json", args=[cert.public_id]), secure=True,
                          HTTP_X_REQUEST_ID="verify-lookup-1")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*" and response["Cache-Control"] == "no-store"
    assert response["X-Request-ID"] == "verify-lookup-1"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin" and response["Content-Language"] == "id"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_english_cookie_gives_english_label(client, cert, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = client.get(reverse("certification:verify_json", args=[cert.public_id])).json()
    assert data["status_label"] == "Valid"


def test_lookup_with_renewed_certificate_compiled_afresh(cert, django_assert_num_queries):
    found = public.public_certificate(cert.public_id)
    assert found.renews is None and found.renews_id is None
    # The certificate it renews (a real renewal: test_recertification.py); here the join is what is checked.
    Certificate.objects.filter(pk=cert.pk).update(renews=cert.pk)
    public._compiled.clear()  # as in a new process: the query compiled again, and answered in one query
    with django_assert_num_queries(1):
        again = public.public_certificate(cert.public_id)
        assert again.renews.number == cert.number and again.renews.get_absolute_url().endswith(cert.public_id + "/")
        assert again.scheme.title == cert.scheme.title and again.public_units
    with django_assert_num_queries(1):
        certificate_id, payload = public.verification(cert.public_id)
    assert certificate_id == cert.pk and payload["renews"] == cert.number and payload["number"] == cert.number
    assert payload["units"] == again.public_units and payload["scheme"]["title"] == cert.scheme.title
    assert public.public_certificate("") is None and public.public_certificate("tidak-ada") is None
    assert public.verification("") is None and public.verification("tidak-ada") is None


def test_looks_written_in_one_insert_with_their_time(client, cert, settings):
    settings.SCAN_FLUSH_EVERY, settings.SCAN_FLUSH_SECONDS = 1000, 3600
    before = timezone.now()
    client.get(reverse("certification:verify_json", args=[cert.public_id]), HTTP_USER_AGENT="Pemindai/3",
               REMOTE_ADDR="203.0.113.9")
    with CaptureQueriesContext(connection) as queries:
        assert scanlog.flush() == 1
    assert len(queries) == 1
    scan = VerificationScan.objects.get()
    assert scan.certificate_id == cert.pk and scan.channel == "json" and scan.user_agent == "Pemindai/3"
    assert scan.ip_hash == scanlog.ip_hash("203.0.113.9") and before <= scan.at <= timezone.now()


def test_public_urls_as_reverse_gives_them(cert):
    from django.urls import reverse

    assert cert.get_absolute_url() == reverse("certification:verify", args=[cert.public_id])
    assert cert.get_credential_url() == reverse("certification:credential", args=[cert.public_id])
    odd = Certificate(public_id="a b~ç")  # never made by new_public_id: reverse() itself then (it quotes)
    assert odd.get_absolute_url() == reverse("certification:verify", args=["a b~ç"]) == "/sertifikat/v/a%20b~%C3%A7/"
