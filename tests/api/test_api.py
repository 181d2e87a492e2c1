"""The REST API: tokens and scopes, who sees what, pagination and filters, problem details, acts."""

import datetime as dt
import json

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from kompeten.api import services as token_services
from kompeten.api.models import ApiToken
from kompeten.core.actions import history

from .conftest import bearer, token

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(PROBLEM)
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status and body["type"] == "about:blank" and body["detail"]
    return body


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


# --- authentication and scopes ------------------------------------------------------------------------


def test_no_token_wrong_token_and_revoked_token_are_401(world, client):
    body = assert_problem(client.get("/api/cases"), 401)
    assert "Bearer" in body["detail"]
    assert client.get("/api/cases")["WWW-Authenticate"].startswith("Bearer")
    assert_problem(client.get("/api/cases", HTTP_AUTHORIZATION="Bearer kpt_00000000_nope"), 401)
    assert_problem(client.get("/api/cases", HTTP_AUTHORIZATION="Basic YWRtaW46eA=="), 401)
    plain = token(world.budi)
    assert client.get("/api/cases", **bearer(plain)).status_code == 200
    t = ApiToken.objects.get(user=world.budi)
    token_services.revoke_token(t, world.budi)
    assert_problem(client.get("/api/cases", **bearer(plain)), 401)


def test_token_of_an_inactive_person_is_refused(world, client):
    plain = token(world.budi)
    world.budi.is_active = False
    world.budi.save()
    assert_problem(client.get("/api/cases", **bearer(plain)), 401)


def test_token_is_stored_hashed_and_last_use_noted(world, client):
    t, plain = token_services.create_token(world.budi, name="ERP", scope="read")
    assert plain.startswith("kpt_") and plain not in t.digest and t.digest == token_services.digest_of(plain)
    assert not ApiToken.objects.filter(digest=plain).exists() and t.last_used_at is None
    client.get("/api/schemes", **bearer(plain))
    t.refresh_from_db()
    assert t.last_used_at is not None


def test_read_only_token_is_refused_an_act_with_403_and_nothing_changes(world, client):
    case = world.budi_case
    before = history(case).count()
    body = assert_problem(client.post(f"/api/cases/{case.pk}/confirm-schedule", **bearer(token(world.budi))), 403)
    assert "hanya untuk membaca" in body["detail"]
    case.refresh_from_db()
    assert case.status == "scheduled" and history(case).count() == before


def test_write_token_cannot_do_what_the_person_could_not_on_a_screen(world, client):
    # The candidate may not review documents (Admin LSP only): the workflow's NotAllowed → 403.
    rina = token(world.rina, "write")
    case = world.rina_case
    body = assert_problem(client.post(f"/api/cases/{case.pk}/document-review", data={
        "outcome": "accepted", "items": []}, content_type="application/json", **bearer(rina)), 403)
    assert "Admin LSP" in body["detail"]
    case.refresh_from_db()
    assert case.status == "submitted"


# --- acts through the services ------------------------------------------------------------------------


def test_candidate_and_assessor_confirm_the_schedule(world, client):
    case = world.budi_case
    r = client.post(f"/api/cases/{case.pk}/confirm-schedule", **bearer(token(world.budi, "write")))
    assert r.status_code == 200, r.content
    acts = {a["code"]: a["label"] for a in r.json()["next_acts"]}
    assert r.json()["status"] == "scheduled" and "confirm_schedule" not in acts
    assert acts["request_reschedule"] == "Minta jadwal ulang"
    assert history(case).filter(act="confirm_schedule", actor=world.budi).exists()
    # Twice: refused with the service's message, nothing written.
    before = history(case).count()
    body = assert_problem(client.post(f"/api/cases/{case.pk}/confirm-schedule",
                                      **bearer(token(world.budi, "write"))), 409)
    assert body["detail"] == "Anda sudah mengonfirmasi jadwal ini."
    assert history(case).count() == before
    r = client.post(f"/api/cases/{case.pk}/confirm-schedule", **bearer(token(world.assessor.user, "write")))
    assert r.status_code == 200 and r.json()["status"] == "confirmed"


def test_act_in_the_wrong_status_is_409_with_the_indonesian_message_and_nothing_changes(world, client):
    case = world.siti_case  # accepted, not scheduled
    before = history(case).count()
    body = assert_problem(client.post(f"/api/cases/{case.pk}/confirm-schedule",
                                      **bearer(token(world.siti, "write"))), 409)
    assert "tidak dapat dilakukan karena status saat ini" in body["detail"]
    case.refresh_from_db()
    assert case.status == "accepted" and history(case).count() == before
    # The assessor's consultation before both confirmed the schedule: 409, no record.
    from kompeten.assessment.models import Consultation

    body = assert_problem(client.post(f"/api/cases/{world.budi_case.pk}/consultation", data={"notes": "Sudah"},
                                      content_type="application/json",
                                      **bearer(token(world.assessor.user, "write"))), 409)
    assert "status saat ini" in body["detail"]
    assert not Consultation.objects.filter(case=world.budi_case).exists()


def test_assessor_records_the_consultation(world, client):
    from kompeten.events import services as event_services

    case = world.budi_case
    event_services.confirm_schedule(case, world.budi)
    event_services.confirm_schedule(case, world.assessor.user)
    plain = token(world.assessor.user, "write")
    body = assert_problem(client.post(f"/api/cases/{case.pk}/consultation", data={"notes": "  "},
                                      content_type="application/json", **bearer(plain)), 409)
    assert body["errors"] == {"notes": ["Catatan wajib diisi."]}
    r = client.post(f"/api/cases/{case.pk}/consultation", data={"notes": "Metode dan bukti dijelaskan."},
                    content_type="application/json", **bearer(plain))
    assert r.status_code == 200, r.content
    assert history(case).filter(act="record_consultation", actor=world.assessor.user).exists()


def test_admin_reviews_documents(world, client):
    from tests.cases.helpers import review_items

    case = world.rina_case
    plain = token(world.admin, "write")
    items = review_items(world.scheme)
    # Returned without a note: 409 naming the field; nothing changed.
    body = assert_problem(client.post(f"/api/cases/{case.pk}/document-review", data={
        "outcome": "returned", "items": items}, content_type="application/json", **bearer(plain)), 409)
    assert "note" in body["errors"]
    case.refresh_from_db()
    assert case.status == "submitted" and not case.document_reviews.exists()
    r = client.post(f"/api/cases/{case.pk}/document-review", data={"outcome": "accepted", "items": items},
                    content_type="application/json", **bearer(plain))
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert history(case).filter(act="accept_application", actor=world.admin).exists()
    assert_problem(client.post(f"/api/cases/{case.pk}/document-review", data={"outcome": "accepted", "items": items},
                               content_type="application/json", **bearer(plain)), 409)


def test_bad_json_is_400_and_a_body_off_the_schema_is_422(world, client):
    plain = token(world.admin, "write")
    url = f"/api/cases/{world.rina_case.pk}/document-review"
    assert_problem(client.post(url, data="{not json", content_type="application/json", **bearer(plain)), 400)
    body = assert_problem(client.post(url, data={"outcome": "maybe", "items": []}, content_type="application/json",
                                      **bearer(plain)), 422)
    assert any(e["loc"][-1] == "outcome" for e in body["errors"])


# --- who sees what ---------------------------------------------------------------------------------------


def test_candidate_sees_only_their_own_cases(world, client):
    plain = token(world.budi)
    assert ids(client.get("/api/cases", **bearer(plain))) == {world.budi_case.pk}
    assert_problem(client.get(f"/api/cases/{world.siti_case.pk}", **bearer(plain)), 404)
    assert_problem(client.get(f"/api/cases/{world.siti_case.pk}/results", **bearer(plain)), 404)
    assert_problem(client.post(f"/api/cases/{world.siti_case.pk}/confirm-schedule",
                               **bearer(token(world.budi, "write"))), 404)
    acts = client.get(f"/api/cases/{world.budi_case.pk}", **bearer(plain)).json()["next_acts"]
    assert "confirm_schedule" in {a["code"] for a in acts}


def test_assessor_sees_only_assigned_cases_and_staff_all(world, client):
    assert ids(client.get("/api/cases", **bearer(token(world.assessor.user)))) == {world.budi_case.pk}
    assert ids(client.get("/api/cases", **bearer(token(world.assessor2.user)))) == set()
    assert_problem(client.get(f"/api/cases/{world.budi_case.pk}", **bearer(token(world.assessor2.user))), 404)
    every = {world.budi_case.pk, world.siti_case.pk, world.rina_case.pk}
    assert ids(client.get("/api/cases", **bearer(token(world.admin)))) == every


def test_events_a_candidate_sees(world, client):
    # The published upcoming event (on the public brochure), not the one still in preparation.
    assert ids(client.get("/api/events", **bearer(token(world.siti)))) == {world.event.pk}
    assert_problem(client.get(f"/api/events/{world.draft_event.pk}", **bearer(token(world.siti))), 404)
    assert ids(client.get("/api/events", **bearer(token(world.admin)))) == {world.event.pk, world.draft_event.pk}
    assert ids(client.get("/api/events?status=draft", **bearer(token(world.admin)))) == {world.draft_event.pk}


def test_schemes_with_units_and_inactive_ones_for_staff_only(world, client):
    from kompeten.catalog.models import Scheme

    r = client.get("/api/schemes", **bearer(token(world.budi)))
    [item] = r.json()["items"]
    assert item["code"] == world.scheme.code and len(item["units"]) == world.scheme.units.count()
    Scheme.objects.filter(pk=world.scheme.pk).update(is_active=False)
    assert client.get("/api/schemes", **bearer(token(world.budi))).json()["count"] == 0
    assert_problem(client.get(f"/api/schemes/{world.scheme.code}", **bearer(token(world.budi))), 404)
    assert client.get(f"/api/schemes/{world.scheme.code}", **bearer(token(world.admin))).status_code == 200


def test_certificates_show_public_fields_to_those_who_see_the_case(world, client):
    from kompeten.certification.models import Certificate

    today = timezone.localdate()
    Certificate.objects.create(number="CERT-1", case=world.budi_case, holder_name="Budi Santoso",
                               scheme=world.scheme, issued_on=today - dt.timedelta(days=1200),
                               valid_until=today - dt.timedelta(days=100), issued_by=world.admin)
    Certificate.objects.create(number="CERT-2", case=world.siti_case, holder_name="Siti Aminah",
                               scheme=world.scheme, issued_on=today, valid_until=today + dt.timedelta(days=1000),
                               issued_by=world.admin)
    r = client.get("/api/certificates", **bearer(token(world.budi)))
    [cert] = r.json()["items"]
    assert cert["number"] == "CERT-1" and cert["status"] == "expired"
    assert set(cert) == {"number", "holder_name", "scheme", "issued_on", "valid_until", "status", "status_label",
                         "verification_url", "credential_url"}
    admin = token(world.admin)
    numbers = lambda q: [c["number"] for c in client.get(f"/api/certificates{q}", **bearer(admin)).json()["items"]]  # noqa: E731
    assert sorted(numbers("")) == ["CERT-1", "CERT-2"]
    assert numbers("?status=expired") == ["CERT-1"] and numbers("?status=active") == ["CERT-2"]
    assert numbers(f"?issued_from={today.isoformat()}") == ["CERT-2"]


# --- pagination and filters ---------------------------------------------------------------------------------


def test_pagination(world, client):
    admin = token(world.admin)
    first = client.get("/api/cases?limit=2", **bearer(admin)).json()
    assert first["count"] == 3 and len(first["items"]) == 2 and (first["limit"], first["offset"]) == (2, 0)
    rest = client.get("/api/cases?limit=2&offset=2", **bearer(admin)).json()
    assert len(rest["items"]) == 1
    assert {i["id"] for i in first["items"] + rest["items"]} == {world.budi_case.pk, world.siti_case.pk,
                                                                 world.rina_case.pk}
    for bad in ("limit=0", "limit=101", "offset=-1", "limit=x"):
        assert_problem(client.get(f"/api/cases?{bad}", **bearer(admin)), 422)


def test_filters(world, client):
    admin = token(world.admin)
    get = lambda q: ids(client.get(f"/api/cases?{q}", **bearer(admin)))  # noqa: E731
    assert get("status=accepted") == {world.siti_case.pk}
    assert get(f"scheme={world.scheme.code}") == {world.budi_case.pk, world.siti_case.pk, world.rina_case.pk}
    assert get("scheme=tidak-ada") == set()
    assert get(f"event={world.event.pk}") == {world.budi_case.pk}
    today = timezone.localdate()
    assert get(f"submitted_from={today.isoformat()}") == {world.rina_case.pk}
    assert get(f"submitted_to={(today - dt.timedelta(days=1)).isoformat()}") == set()
    body = assert_problem(client.get("/api/cases?status=bogus", **bearer(admin)), 422)
    assert body["errors"][0]["loc"] == ["query", "status"]
    assert_problem(client.get("/api/cases?submitted_from=kemarin", **bearer(admin)), 422)


# --- problem details, documents ----------------------------------------------------------------------------


def test_unknown_address_and_huge_id_are_problems_not_500(world, client):
    assert_problem(client.get("/api/tidak-ada", **bearer(token(world.admin))), 404)
    assert_problem(client.get(f"/api/cases/{2**63}", **bearer(token(world.admin))), 422)
    assert_problem(client.get("/api/cases/999999", **bearer(token(world.admin))), 404)


def test_openapi_document_and_docs_page_served_locally(client):
    doc = client.get("/api/openapi.json").json()
    assert {"/api/cases", "/api/cases/{case_id}/confirm-schedule", "/api/schemes", "/api/events",
            "/api/certificates", "/api/cases/{case_id}/results"} <= set(doc["paths"])
    responses = doc["paths"]["/api/cases/{case_id}/confirm-schedule"]["post"]["responses"]
    assert set(responses["409"]["content"]) == {PROBLEM} and set(responses["200"]["content"]) == {"application/json"}
    assert doc["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    page = client.get("/api/docs")
    html = page.content.decode()
    assert page.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "http" not in html.split("<body")[0].replace("http-equiv", "")
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert finders.find("ninja/swagger-ui-bundle.js") and finders.find("ninja/swagger-ui.css")


# --- the token page ------------------------------------------------------------------------------------------


def test_token_page_creates_shows_once_and_revokes(world, client):
    client.force_login(world.budi)
    page = client.get("/akun/token-api/")
    assert page.status_code == 200 and "Anda belum memiliki token API." in page.content.decode()
    r = client.post("/akun/token-api/", {"name": "Aplikasi HR", "scope": "read"})
    html = r.content.decode()
    t = ApiToken.objects.get(user=world.budi)
    start = html.index("kpt_" + t.prefix + "_")
    plain = html[start:html.index('"', start)]
    assert token_services.digest_of(plain) == t.digest and t.scope == "read"
    assert "hanya ditampilkan sekali" in html
    entry = history(t).get()
    assert entry.act == "api_token_created" and entry.actor == world.budi and "plain" not in json.dumps(entry.data)
    assert plain not in json.dumps(entry.data)
    again = client.get("/akun/token-api/").content.decode()
    assert plain not in again and "Aplikasi HR" in again and "belum pernah dipakai" in again
    assert client.get("/api/cases", **bearer(plain)).status_code == 200
    # Someone else cannot revoke it.
    client.force_login(world.siti)
    assert client.post(f"/akun/token-api/{t.pk}/cabut/").status_code == 404
    client.force_login(world.budi)
    r = client.post(f"/akun/token-api/{t.pk}/cabut/", follow=True)
    assert "dicabut" in r.content.decode()
    t.refresh_from_db()
    assert t.revoked_at is not None and history(t).filter(act="api_token_revoked", actor=world.budi).exists()
    assert client.get("/api/cases", **bearer(plain)).status_code == 401


def test_token_page_refuses_a_token_without_name(world, client):
    client.force_login(world.budi)
    r = client.post("/akun/token-api/", {"name": "", "scope": "write"})
    assert r.status_code == 400 and not ApiToken.objects.exists()
    assert client.get("/akun/token-api/").status_code == 200
    client.logout()
    assert client.get("/akun/token-api/").status_code == 302


def test_user_menu_links_to_the_token_page(world, client):
    client.force_login(world.budi)
    assert 'href="/akun/token-api/"' in client.get("/").content.decode()
