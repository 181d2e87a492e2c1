"""The public lane (core.lanes): the verification JSON and the credential pass only the middleware a public,
anonymous, read-only answer needs — with the same security headers and host check as every page — while the
rest of /sertifikat/v/ (the HTML page) goes through the whole stack."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_json_skips_the_log_in_stack_and_the_html_page_does_not(client, cert, committee, settings):
    settings.KOMPETEN_MFA_REQUIRED = True
    client.force_login(committee, mfa_verified=False)  # staff who has not passed the second factor yet
    json_answer = client.get(reverse("certification:verify_json", args=[cert.public_id]))
    assert json_answer.status_code == 200 and json_answer.json()["number"] == cert.number
    assert "sessionid" not in json_answer.cookies  # no session read, none written
    assert client.get(reverse("certification:credential", args=[cert.public_id])).status_code == 200
    # The HTML page shows the person's menu: whole stack, so the second factor is asked for first.
    page = client.get(reverse("certification:verify", args=[cert.public_id]))
    assert page.status_code == 302 and "faktor-kedua" in page["Location"]


def test_the_lane_keeps_headers_host_check_and_language(cert, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    url = reverse("certification:verify_json", args=[cert.public_id])
    answer = Client().get(url, secure=True, HTTP_X_REQUEST_ID="lane-1")
    for header in ("Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy",
                   "Cross-Origin-Opener-Policy", "Content-Security-Policy", "X-Frame-Options"):
        assert header in answer, header
    assert answer["X-Request-ID"] == "lane-1" and answer["Access-Control-Allow-Origin"] == "*"
    assert answer["Cache-Control"] == "no-store"
    assert Client().get(url, HTTP_HOST="evil.example").status_code == 400  # ALLOWED_HOSTS, as everywhere
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert english.get(url).json()["status_label"] == "Valid"
    assert Client().get(url).json()["status_label"] == "Berlaku"


def test_unknown_ids_and_other_paths_under_the_prefix(client, cert):
    assert client.get("/sertifikat/v/tidak-ada.json").status_code == 404
    assert client.get(reverse("certification:verify", args=[cert.public_id])).status_code == 200


def test_without_lanes_the_same_answer_comes_through_the_whole_stack(client, cert, settings):
    url = reverse("certification:verify_json", args=[cert.public_id])
    through_lane = client.get(url).json()
    settings.KOMPETEN_PUBLIC_LANES = []
    through_stack = Client().get(url).json()
    # The moment of the check is the one field that may differ: the two answers can fall in two seconds.
    assert through_lane.pop("checked_at") and through_stack.pop("checked_at")
    assert through_stack == through_lane
