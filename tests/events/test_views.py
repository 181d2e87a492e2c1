import pytest
from django.urls import reverse

from kompeten.cases.models import Case
from kompeten.core.models import Role
from kompeten.events import services
from kompeten.events.models import AssessmentEvent, ScheduleConfirmation
from tests.conftest import make_user
from tests.events.helpers import future, make_case, make_event, publish_ready


@pytest.fixture
def published(scheme, site, assessor, admin_user):
    return publish_ready(make_event(scheme, site), assessor, admin_user)


def test_list_query_count_is_fixed(client, admin_user, scheme, site, django_assert_max_num_queries):
    for _ in range(25):
        make_event(scheme, site)
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        resp = client.get(reverse("events:list"))
    assert resp.status_code == 200
    assert len(resp.context["page"].object_list) == 20


def test_list_filters_and_scopes(client, admin_user, scheme, site, assessor, published, candidate):
    other = make_event(scheme, site)
    client.force_login(admin_user)
    resp = client.get(reverse("events:list"), {"q": published.number})
    assert [e.pk for e in resp.context["page"].object_list] == [published.pk]
    resp = client.get(reverse("events:list"), {"status": "draft"})
    assert [e.pk for e in resp.context["page"].object_list] == [other.pk]
    client.force_login(assessor.user)  # sees only own events
    resp = client.get(reverse("events:list"))
    assert [e.pk for e in resp.context["page"].object_list] == [published.pk]
    client.force_login(candidate)
    assert client.get(reverse("events:list")).status_code == 403


def test_create_event_view_keeps_input_on_error(client, admin_user, scheme):
    client.force_login(admin_user)
    data = {"scheme": scheme.pk, "title": "Batch uji", "starts_at": future(5, 15).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": future(5, 9).strftime("%Y-%m-%dT%H:%M"), "quota": 5}
    resp = client.post(reverse("events:create"), data)
    assert resp.status_code == 200
    assert "Waktu selesai harus setelah waktu mulai" in resp.content.decode()
    assert 'value="Batch uji"' in resp.content.decode()
    assert not AssessmentEvent.objects.exists()
    data["ends_at"] = future(5, 17).strftime("%Y-%m-%dT%H:%M")
    resp = client.post(reverse("events:create"), data)
    ev = AssessmentEvent.objects.get()
    assert resp.status_code == 302 and resp.url == ev.get_absolute_url()


def test_detail_shows_checklist_buttons_and_unconfirmed(client, admin_user, published, candidate, scheme, assessor):
    case = make_case(candidate, scheme)
    services.schedule_case(case, admin_user, event=published, assessor=assessor)
    client.force_login(admin_user)
    resp = client.get(published.get_absolute_url())
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Kaji fisibilitas" in html and "Asesi belum" in html and "Asesor belum" in html
    assert reverse("events:assign_assessor", args=[published.pk]) in html
    assert reverse("events:letter", args=[published.assignments.get().pk]) in html
    client.force_login(candidate)
    assert client.get(published.get_absolute_url()).status_code == 403


def test_feasibility_and_publish_views(client, admin_user, scheme, site, assessor):
    ev = make_event(scheme, site)
    client.force_login(admin_user)
    resp = client.post(reverse("events:feasibility", args=[ev.pk]), {"ok_assessors": "1"})
    assert resp.status_code == 200 and "belum dapat dinyatakan memenuhi" in resp.content.decode()
    resp = client.post(reverse("events:assign_assessor", args=[ev.pk]), {"assessor": assessor.pk})
    assert resp.status_code == 302, resp.context["form"].errors
    for item in ["scheme", "tools", "assessors", "site", "quota"]:
        resp = client.post(reverse("events:feasibility", args=[ev.pk]), {f"ok_{item}": "1", f"note_{item}": ""})
        assert resp.status_code == 302
    resp = client.post(reverse("events:publish", args=[ev.pk]))
    assert resp.status_code == 302
    ev.refresh_from_db()
    assert ev.status == "published"


def test_letter_pdf(client, admin_user, published, assessor):
    a = published.assignments.get()
    client.force_login(assessor.user)
    resp = client.get(reverse("events:letter", args=[a.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF") and len(resp.content) > 1000
    client.force_login(make_user("lain", Role.CANDIDATE))
    assert client.get(reverse("events:letter", args=[a.pk])).status_code == 403


def test_schedule_case_view_shows_conflict_and_needs_reason(client, admin_user, published, assessor, candidate,
                                                             scheme):
    case = make_case(candidate, scheme)
    services.declare_conflict(published, assessor.user, case=case, kind="family", note="Adik ipar")
    client.force_login(admin_user)
    url = reverse("events:schedule_case", args=[case.pk])
    html = client.get(url).content.decode()
    assert "Hubungan keluarga" in html and "Adik ipar" in html
    resp = client.post(url, {"event": published.pk, "assessor": assessor.pk})
    assert resp.status_code == 200 and "konflik kepentingan" in resp.content.decode()
    assert Case.objects.get(pk=case.pk).status == "accepted"
    resp = client.post(url, {"event": published.pk, "assessor": assessor.pk, "override_reason": "Satu-satunya"})
    assert resp.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "scheduled"


def test_confirm_view(client, admin_user, published, assessor, candidate, scheme):
    case = make_case(candidate, scheme)
    services.schedule_case(case, admin_user, event=published, assessor=assessor)
    client.force_login(candidate)
    url = reverse("events:confirm", args=[case.pk])
    assert "Saya konfirmasi" in client.get(url).content.decode()
    client.post(url, {"action": "confirm"})
    assert ScheduleConfirmation.objects.filter(case=case, party="candidate").exists()
    client.force_login(assessor.user)
    resp = client.post(url, {"action": "reschedule", "reason": ""})
    assert resp.status_code == 200 and "alasan" in resp.content.decode().lower()
    client.post(url, {"action": "confirm"})
    assert Case.objects.get(pk=case.pk).status == "confirmed"


def test_declare_conflict_view(client, published, assessor, candidate, scheme):
    case = make_case(candidate, scheme)
    client.force_login(assessor.user)
    url = reverse("events:declare_conflict", args=[published.pk])
    assert candidate.display_name in client.get(url).content.decode()
    resp = client.post(url, {"case": case.pk, "kind": "trained", "has_conflict": "1", "note": "Bootcamp 2025"})
    assert resp.status_code == 302
    assert published.conflicts.get().kind == "trained"


def test_load_view(client, admin_user, published, django_assert_max_num_queries):
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        resp = client.get(reverse("events:load"))
    assert resp.status_code == 200
    assert resp.context["page"].object_list[0].n_events == 1


def test_designate_unfit_site_says_why(client, admin_user, scheme, site):
    """Found by the SOP walk: a TUK not fit for the scheme got Django's generic "pilihan yang valid" message."""
    from kompeten.sites.models import Site

    ev = make_event(scheme)
    unfit = Site.objects.create(code="TUK-X", name="TUK Belum Layak", type=Site.Type.SEWAKTU, address="x")
    client.force_login(admin_user)
    resp = client.post(reverse("events:designate_site", args=[ev.pk]), {"site": unfit.pk})
    assert resp.status_code == 200 and "belum dinyatakan layak untuk skema" in resp.content.decode()
    ev.refresh_from_db()
    assert ev.site_id is None
    resp = client.post(reverse("events:designate_site", args=[ev.pk]), {"site": site.pk})
    assert resp.status_code == 302
    ev.refresh_from_db()
    assert ev.site_id == site.pk


def test_assign_same_assessor_twice_says_why(client, admin_user, scheme, site, assessor):
    """Found by the SOP walk: assigning an assessor twice got Django's generic "pilihan yang valid" message."""
    ev = make_event(scheme, site)
    client.force_login(admin_user)
    url = reverse("events:assign_assessor", args=[ev.pk])
    assert client.post(url, {"assessor": assessor.pk}).status_code == 302
    resp = client.post(url, {"assessor": assessor.pk})
    assert resp.status_code == 200 and "sudah ditugaskan pada jadwal ini" in resp.content.decode()
    assert ev.assignments.count() == 1
