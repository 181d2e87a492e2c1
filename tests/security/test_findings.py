"""Issue 12: each finding of the security probe, reproduced as a test that failed before the fix."""

import io
import json
import zipfile

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from kompeten.cases import services
from kompeten.core.actions import history
from kompeten.core.inputs import clean_search, parse_int
from kompeten.core.models import ActionLog, Role, User
from tests.cases.helpers import JPEG, NIK_MALE, PDF, PNG, submitted_case
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


# --- log-in lockout ---------------------------------------------------------------------------------------


def test_every_spelling_of_an_email_shares_one_lockout_counter(client, candidate, settings):
    settings.AXES_ENABLED = True
    spellings = [candidate.email, candidate.email.upper(), f"  {candidate.email}  ", candidate.email.title(),
                 candidate.username.upper()]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        client.post(reverse("login"), {"username": spelling, "password": "salah"})
    resp = client.post(reverse("login"), {"username": " " + candidate.email.swapcase(), "password": "rahasia-123"})
    assert resp.status_code == 429
    assert "_auth_user_id" not in client.session


# --- the Django admin --------------------------------------------------------------------------------------


SOP_MODELS = ["cases.case", "cases.document", "cases.documentreview", "cases.selfassessmentanswer",
              "certification.decision", "certification.certificate", "certification.holderagreement",
              "certification.surveillance", "certification.verificationscan", "core.actionlog",
              "core.notification", "sites.siteverification"]


@pytest.fixture
def superadmin(db):
    user = make_user("superadmin", Role.ADMIN)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.mark.parametrize("label", SOP_MODELS)
def test_admin_is_read_only_for_records_of_the_sop(label, superadmin):
    model_admin = next(ma for m, ma in admin_site._registry.items() if m._meta.label_lower == label)
    request = RequestFactory().get("/admin/")
    request.user = superadmin
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, None)
    assert not model_admin.has_delete_permission(request, None)
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_add_permission(request, None) and not inline.has_delete_permission(request, None)


def test_admin_cannot_give_themselves_a_role(client, superadmin):
    client.force_login(superadmin)
    url = reverse("admin:core_user_change", args=[superadmin.pk])
    page = client.get(url).content.decode()
    assert "roles-0-role" not in page  # no role row to fill in on oneself
    data = {"username": superadmin.username, "email": superadmin.email, "first_name": "S", "last_name": "A",
            "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00", "phone": "",
            "language": "", "admin_reason": "uji", "roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0", "roles-MAX_NUM_FORMS": "1000", "roles-0-role": Role.COMMITTEE,
            "roles-0-site": "", "roles-0-user": superadmin.pk}
    client.post(url, data)
    assert not superadmin.roles.filter(role=Role.COMMITTEE).exists()


def test_a_non_superuser_cannot_change_roles_or_powers_in_the_admin(client, candidate):
    staff = make_user("staf", Role.ADMIN)
    staff.is_staff = True
    staff.save()
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    client.force_login(staff)
    page = client.get(reverse("admin:core_user_change", args=[candidate.pk])).content.decode()
    assert "roles-0-role" not in page and 'name="is_superuser"' not in page


def test_a_change_through_the_admin_is_logged_with_who_and_why(client, superadmin, candidate):
    client.force_login(superadmin)
    url = reverse("admin:core_user_change", args=[candidate.pk])
    data = {"username": candidate.username, "email": candidate.email, "first_name": "Budiman",
            "last_name": "Santoso", "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
            "phone": "", "language": "", "admin_reason": "Nama salah ketik",
            "roles-TOTAL_FORMS": "2", "roles-INITIAL_FORMS": "1", "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000", "roles-0-id": candidate.roles.get().pk, "roles-0-user": candidate.pk,
            "roles-0-role": Role.CANDIDATE, "roles-0-site": "", "roles-1-user": candidate.pk,
            "roles-1-role": Role.COMMITTEE, "roles-1-site": ""}
    resp = client.post(url, data)
    assert resp.status_code == 302, resp.content.decode()[:3000]
    entries = {e.act: e for e in history(candidate)}
    assert entries["admin_change"].actor == superadmin and entries["admin_change"].reason == "Nama salah ketik"
    assert "first_name" in entries["admin_change"].data["fields"]
    assert entries["admin_roles"].actor == superadmin and "Komite" in str(entries["admin_roles"].data)


def test_admin_change_without_a_reason_is_refused(client, superadmin, candidate):
    client.force_login(superadmin)
    url = reverse("admin:core_user_change", args=[candidate.pk])
    resp = client.post(url, {"username": candidate.username, "email": candidate.email, "first_name": "X",
                             "last_name": "", "is_active": "on", "date_joined_0": "2026-01-01",
                             "date_joined_1": "08:00:00", "roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0",
                             "roles-MIN_NUM_FORMS": "0", "roles-MAX_NUM_FORMS": "1000"})
    assert resp.status_code == 200
    candidate.refresh_from_db()
    assert candidate.first_name == "Budi"


# --- NIK ---------------------------------------------------------------------------------------------------


@pytest.fixture
def case_with_nik(scheme, candidate):
    return submitted_case(scheme, candidate)


def test_nik_cannot_be_rebuilt_by_substring_search(client, case_with_nik, admin_user, lead_assessor):
    client.force_login(admin_user)
    assert case_with_nik.number in client.get(reverse("cases:list"), {"q": NIK_MALE}).content.decode()
    assert case_with_nik.number not in client.get(reverse("cases:list"), {"q": NIK_MALE[:6]}).content.decode()
    # A lead assessor sees the case list but not the documents: no NIK search at all.
    client.force_login(lead_assessor)
    assert case_with_nik.number not in client.get(reverse("cases:list"), {"q": NIK_MALE}).content.decode()
    assert case_with_nik.number in client.get(reverse("cases:list")).content.decode()


def test_nik_is_masked_in_the_case_list(client, case_with_nik, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("cases:list")).content.decode()
    assert NIK_MALE not in html and "3273••••••••0001" in html


# --- access to personal data --------------------------------------------------------------------------------


def test_staff_views_of_personal_data_are_logged_and_shown_to_admin(client, case_with_nik, admin_user, candidate):
    doc = case_with_nik.documents.first()
    client.force_login(admin_user)
    client.get(reverse("cases:apl01_pdf", args=[case_with_nik.pk]))
    client.get(reverse("cases:document_file", args=[doc.pk]))
    client.get(reverse("cases:review", args=[case_with_nik.pk]))
    views = ActionLog.objects.filter(act="view_personal_data", actor=admin_user, object_id=case_with_nik.pk)
    assert sorted(v.data["what"] for v in views) == ["apl01_pdf", "document", "review"]
    html = client.get(case_with_nik.get_absolute_url()).content.decode()
    assert "Akses data pribadi" in html and "Halaman kaji dokumen" in html
    # The candidate's own look is not a staff access; the candidate's page does not show the access list.
    client.force_login(candidate)
    client.get(reverse("cases:document_file", args=[doc.pk]))
    assert views.count() == 3
    assert "Akses data pribadi" not in client.get(case_with_nik.get_absolute_url()).content.decode()


def test_candidate_downloads_their_own_data(client, case_with_nik, candidate, admin_user):
    client.force_login(candidate)
    data = json.loads(client.get(reverse("cases:my_data_json")).content)
    assert data["account"]["email"] == candidate.email
    [case] = data["cases"]
    assert case["number"] == case_with_nik.number and case["application"]["nik"] == NIK_MALE
    assert case["documents"] and case["history"]
    resp = client.get(reverse("cases:my_data_zip"))
    zf = zipfile.ZipFile(io.BytesIO(b"".join(resp.streaming_content) if resp.streaming else resp.content))
    names = zf.namelist()
    assert "data.json" in names and len(names) == 1 + len(case["documents"])
    assert all(n == "data.json" or n.endswith(".pdf") for n in names)
    # Someone else gets only their own (empty) data.
    client.force_login(admin_user)
    assert json.loads(client.get(reverse("cases:my_data_json")).content)["cases"] == []


# --- sessions and caching ------------------------------------------------------------------------------------


def test_pages_of_a_logged_in_person_are_not_cached(client, candidate):
    client.force_login(candidate)
    cache_control = client.get(reverse("cases:mine"))["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_sessions_end_after_idle_time(client, candidate, settings):
    import datetime as dt

    import time_machine

    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(candidate)
        assert client.get(reverse("cases:mine")).status_code == 200
    # Active: a request shortly before the idle limit keeps the person logged in for another period …
    with time_machine.travel(start + idle - dt.timedelta(minutes=10), tick=False):
        assert client.get(reverse("cases:mine")).status_code == 200
    with time_machine.travel(start + idle + dt.timedelta(minutes=30), tick=False):
        assert client.get(reverse("cases:mine")).status_code == 200
    # … idle for longer than the limit: logged out.
    with time_machine.travel(start + 2 * idle + dt.timedelta(minutes=40), tick=False):
        assert client.get(reverse("cases:mine")).status_code == 302


# --- malformed input ------------------------------------------------------------------------------------------


def test_parse_int_accepts_only_ascii_digits_within_64_bits():
    assert parse_int("12") == 12 and parse_int(" 7 ") == 7
    for bad in ["١٢", "²", "٣", "-1", "1e3", "", None, "9" * 30, str(2**63)]:
        assert parse_int(bad) is None


def test_clean_search_removes_nul_and_limits_length():
    assert clean_search("ab\x00cd") == "ab cd"
    assert len(clean_search("a" * 100_000)) == 100


MALFORMED = ["?page=%C2%B2", "?scheme=%C2%B2", "?scheme=%D9%A3", "?scheme=99999999999999999999999",
             "?q=%00abc", "?q=" + "a" * 60_000, "?page=99999999999999999999999999"]


@pytest.mark.parametrize("query", MALFORMED)
@pytest.mark.parametrize("path", ["/permohonan/", "/skema/", "/sertifikat/surveilan/", "/asesmen/laporan/"])
def test_malformed_query_parameters_are_no_server_error(client, admin_user, path, query):
    client.force_login(admin_user)
    client.raise_request_exception = False
    assert client.get(path + query.replace("scheme=", "level=") if path == "/skema/" else path + query
                      ).status_code < 500


def test_integers_beyond_64_bits_in_urls(client, admin_user):
    client.force_login(admin_user)
    client.raise_request_exception = False
    for url in ["/permohonan/99999999999999999999999/", "/permohonan/dokumen/99999999999999999999999/",
                "/sertifikat/99999999999999999999999/pdf/"]:
        assert client.get(url).status_code == 404


def test_registering_the_same_email_twice_at_once_gives_a_form_error(client, monkeypatch, db):
    from kompeten.core import forms as core_forms

    make_user("ani", Role.CANDIDATE)  # ani@example.id already exists …
    # … but the form's own check ran before it did (two requests at the same moment).
    monkeypatch.setattr(core_forms.RegisterForm, "clean_email", lambda self: self.cleaned_data["email"].lower())
    resp = client.post(reverse("register"), {"full_name": "Ani Baru", "email": "ANI@example.id", "phone": "",
                                             "password": "Sertifikasi-2026!", "password2": "Sertifikasi-2026!"})
    assert resp.status_code == 200 and "sudah terdaftar" in resp.content.decode()


def test_register_email_longer_than_the_username_column_is_a_form_error(client, db):
    email = "a" * 140 + "@example.id"
    resp = client.post(reverse("register"), {"full_name": "Ani", "email": email, "phone": "",
                                             "password": "Sertifikasi-2026!", "password2": "Sertifikasi-2026!"})
    assert resp.status_code == 200 and not User.objects.filter(email=email).exists()


# --- uploads ------------------------------------------------------------------------------------------------------


def test_polyglot_files_are_refused(scheme, candidate):
    from kompeten.core.errors import WorkflowError

    case = services.create_case(candidate, scheme)
    for content in [b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF",
                    b"%PDF-1.4\n<html><script>alert(1)</script></html>",
                    b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>",
                    b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"]:
        with pytest.raises(WorkflowError):
            services.upload_document(case, candidate, file=SimpleUploadedFile("x.html", content))
    for content in (PDF, PNG, JPEG):
        assert services.upload_document(case, candidate, file=SimpleUploadedFile("y.html", content))


def test_private_files_are_served_under_a_safe_name(client, scheme, candidate):
    case = services.create_case(candidate, scheme)
    doc = services.upload_document(case, candidate, file=SimpleUploadedFile("evil.html", PNG))
    client.force_login(candidate)
    resp = client.get(reverse("cases:document_file", args=[doc.pk]))
    disposition = resp["Content-Disposition"]
    assert ".html" not in disposition and disposition.endswith('.png"') and resp["Content-Type"] == "image/png"
    assert resp["X-Content-Type-Options"] == "nosniff"


def test_an_upload_over_the_limit_is_refused_before_the_body_is_read(settings, rf):
    from django.core.handlers.wsgi import WSGIRequest

    settings.UPLOAD_MAX_BYTES = 100_000
    body = (b"--B\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\nabc\r\n"
            b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
            b"Content-Type: application/pdf\r\n\r\n" + b"%PDF-" + b"0" * 5_000_000 + b"\r\n--B--\r\n")

    class Counting(io.BytesIO):
        consumed = 0

        def read(self, size=-1):
            chunk = super().read(size)
            Counting.consumed += len(chunk)
            return chunk

    stream = Counting(body)
    request = WSGIRequest({"REQUEST_METHOD": "POST", "PATH_INFO": "/", "wsgi.input": stream,
                           "CONTENT_TYPE": "multipart/form-data; boundary=B", "CONTENT_LENGTH": str(len(body)),
                           "SERVER_NAME": "testserver", "SERVER_PORT": "80", "wsgi.url_scheme": "http"})
    assert request.POST["csrfmiddlewaretoken"] == "abc" and "file" not in request.FILES
    assert request.upload_refused and Counting.consumed < 1_000_000


def test_an_upload_over_the_limit_says_so_on_the_page(client, scheme, candidate, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    case = services.create_case(candidate, scheme)
    client.force_login(candidate)
    resp = client.post(reverse("cases:documents", args=[case.pk]),
                       {"title": "x", "file": SimpleUploadedFile("a.pdf", PDF + b"0" * 200_000)})
    assert resp.status_code == 200 and "terlalu besar" in resp.content.decode()
    assert not case.documents.exists()


# --- public certificate look-up ---------------------------------------------------------------------------------


def test_certificate_lookup_by_number_is_rate_limited_per_address(client, settings, db):
    settings.KOMPETEN_LOOKUP_LIMIT = 3
    url = reverse("certification:verify_form")
    codes = [client.get(url, {"number": f"CERT/X/{n:05d}"}, REMOTE_ADDR="10.0.0.1").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(url, {"number": "CERT/X/1"}, REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_public_id_is_not_the_number(client, db):
    from kompeten.certification.models import new_public_id

    ids = {new_public_id() for _ in range(50)}
    assert len(ids) == 50 and all(len(i) >= 20 for i in ids)

