"""S1.3 the feasibility review is one form for the whole checklist: meets / does not meet / not yet decided per
item with a note, nothing chosen that was not decided, what was saved shown as saved, one submit, one log
entry listing the items changed; publishing still waits until every item is met."""

import re

import pytest
from django.urls import reverse

from kompeten.core.actions import history
from kompeten.core.errors import WorkflowError
from kompeten.events import services
from kompeten.events.models import FeasibilityCheck, FeasibilityItem
from tests.events.helpers import make_event
from tests.walk_helpers import ACT_FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(scheme, site):
    return make_event(scheme, site)


def _checked(html, name):
    return re.findall(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"[^>]*checked', html)


def test_one_form_nothing_chosen_that_was_not_decided(client, event, admin_user):
    services.record_feasibility(event, admin_user, {"tools": (False, "MUK belum divalidasi ulang")})
    client.force_login(admin_user)
    html = client.get(reverse("events:feasibility", args=[event.pk])).content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert len(ACT_FORM.findall(main)) == 1 and main.count("<button") == 1
    # the scheme item is met according to the system, but nobody decided it: "not yet decided" is chosen
    assert services.computed_feasibility(event)["scheme"][0] is True
    for code in ("scheme", "assessors", "site", "quota"):
        assert _checked(html, f"ok_{code}") == [""], code
    assert _checked(html, "ok_tools") == ["0"] and "MUK belum divalidasi ulang" in html
    assert "Tersimpan:" in html and "Belum diperiksa" in html


def test_whole_checklist_saved_with_one_submit_and_one_log_entry(client, event, admin_user):
    client.force_login(admin_user)
    url = reverse("events:feasibility", args=[event.pk])
    post = {"ok_scheme": "1", "note_scheme": "", "ok_tools": "0", "note_tools": "", "ok_quota": "",
            "note_quota": "", "ok_site": "", "ok_assessors": ""}
    resp = client.post(url, post)  # "does not meet" without a note: refused next to it, nothing saved
    assert resp.status_code == 200
    assert resp.context["form"].errors["note_tools"] == ["Jelaskan mengapa butir ini tidak memenuhi."]
    assert _checked(resp.content.decode(), "ok_tools") == ["0"]  # what was typed is kept
    assert not FeasibilityCheck.objects.exists() and not history(event).exists()
    post["note_tools"] = "Perangkat IA.05 belum divalidasi"
    resp = client.post(url, post)
    assert resp.status_code == 302
    assert {c.item: c.ok for c in FeasibilityCheck.objects.filter(event=event)} == {"scheme": True, "tools": False}
    entry = history(event).get(act="record_feasibility")
    assert entry.data["items"] == [{"item": "scheme", "ok": True, "note": ""},
                                   {"item": "tools", "ok": False, "note": "Perangkat IA.05 belum divalidasi"}]
    assert "Skema masuk ruang lingkup lisensi dan aktif: memenuhi" in entry.reason
    assert "tidak memenuhi — Perangkat IA.05 belum divalidasi" in entry.reason
    html = client.get(url).content.decode()
    assert _checked(html, "ok_scheme") == ["1"] and _checked(html, "ok_quota") == [""]
    # the same form sent again changes nothing and logs nothing
    resp = client.post(url, post)
    assert resp.status_code == 200 and "Tidak ada perubahan" in resp.content.decode()
    assert history(event).count() == 1


def test_met_refused_when_the_system_knows_otherwise_shown_at_the_item(client, event, admin_user):
    client.force_login(admin_user)
    resp = client.post(reverse("events:feasibility", args=[event.pk]), {"ok_scheme": "1", "ok_assessors": "1"})
    assert resp.status_code == 200 and "belum dapat dinyatakan memenuhi" in str(resp.context["form"].errors[
        "ok_assessors"])
    assert not FeasibilityCheck.objects.exists()


def test_not_yet_decided_withdraws_and_publishing_waits_for_every_item(event, admin_user, assessor):
    services.assign_assessor(event, admin_user, assessor)
    every = {code: (True, "") for code in FeasibilityItem.values}
    services.record_feasibility(event, admin_user, {**every, "quota": (False, "Ruang hanya 6 komputer")})
    with pytest.raises(WorkflowError, match="dinyatakan tidak memenuhi"):
        services.publish_event(event, admin_user)
    services.record_feasibility(event, admin_user, {"quota": (None, "")})
    assert not FeasibilityCheck.objects.filter(event=event, item="quota").exists()
    assert history(event).filter(act="record_feasibility").first().data["items"] == [
        {"item": "quota", "ok": None, "note": ""}]
    with pytest.raises(WorkflowError, match="belum diperiksa"):
        services.publish_event(event, admin_user)
    with pytest.raises(WorkflowError, match="Pilih Memenuhi atau Tidak memenuhi"):
        services.record_feasibility(event, admin_user, {"quota": (None, "catatan tanpa hasil")})
    services.record_feasibility(event, admin_user, {"quota": (True, "")})
    services.publish_event(event, admin_user)
    event.refresh_from_db()
    assert event.status == "published"
