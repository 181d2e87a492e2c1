"""S5.3 after enrolment: the holder's evidence, the result, the suspension proposal, the staff's list."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kompeten.certification import surveillance
from kompeten.certification.models import SurveillanceCheck
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role
from tests.cases.helpers import PDF, PNG
from tests.conftest import make_user
from tests.s3 import ON_DISK_AND_S3

from .helpers import make_holder

S = SurveillanceCheck.Status


@pytest.fixture
def holder_cert(candidate, scheme, assessor, event, admin_user):
    return make_holder(candidate, scheme, assessor, event, admin_user, dues=(20, -10, 365))


def _checks(cert):
    return list(cert.surveillance.checks.order_by("order"))


def _png(name="bukti.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@ON_DISK_AND_S3
def test_holder_submits_evidence_with_files(holder_cert, candidate):
    chk = _checks(holder_cert)[0]
    surveillance.submit_evidence(chk, candidate, logbook="Membangun 3 situs web klien", employer_statement="OK",
                                 files=[_png(), SimpleUploadedFile("surat.pdf", PDF)])
    chk.refresh_from_db()
    assert chk.status == S.SUBMITTED and chk.submitted_at
    assert sorted(e.content_type for e in chk.evidence.all()) == ["application/pdf", "image/png"]
    assert history(holder_cert.case).filter(act="submit_surveillance_evidence").count() == 1


def test_only_the_holder_submits_and_nothing_changes(holder_cert, db):
    other = make_user("lain", Role.CANDIDATE)
    chk = _checks(holder_cert)[0]
    with pytest.raises(NotAllowed):
        surveillance.submit_evidence(chk, other, logbook="bukan milik saya", files=[_png()])
    chk.refresh_from_db()
    assert chk.status == S.DUE and chk.logbook == "" and not chk.evidence.exists()


def test_evidence_refused_without_logbook_or_with_a_fake_file(holder_cert, candidate):
    chk = _checks(holder_cert)[0]
    with pytest.raises(WorkflowError):
        surveillance.submit_evidence(chk, candidate, logbook="  ")
    fake = SimpleUploadedFile("x.pdf", b"%PDF-1.4 <html><script>alert(1)</script>", content_type="application/pdf")
    with pytest.raises(WorkflowError) as err:
        surveillance.submit_evidence(chk, candidate, logbook="kerja", files=[fake])
    assert "files" in err.value.field_errors
    chk.refresh_from_db()
    assert chk.status == S.DUE and not chk.evidence.exists()


def test_result_recording_with_refusals(holder_cert, candidate, assessor, admin_user, committee, scheme):
    chk = _checks(holder_cert)[0]
    with pytest.raises(WorkflowError):  # no evidence yet
        surveillance.record_result(chk, admin_user, satisfactory=True)
    surveillance.submit_evidence(chk, candidate, logbook="kerja")
    outsider = make_user("asesor2", Role.ASSESSOR)  # an assessor, but not registered for the scheme
    for who in (candidate, committee, outsider):
        with pytest.raises(NotAllowed):
            surveillance.record_result(chk, who, satisfactory=True)
    with pytest.raises(WorkflowError):  # unsatisfactory needs notes
        surveillance.record_result(chk, assessor.user, satisfactory=False, notes="")
    chk.refresh_from_db()
    assert chk.status == S.SUBMITTED and chk.recorded_by is None
    surveillance.record_result(chk, assessor.user, satisfactory=False, notes="Tidak ada bukti pekerjaan web")
    chk.refresh_from_db()
    assert chk.status == S.UNSATISFACTORY and chk.recorded_by == assessor.user and chk.done_on
    with pytest.raises(WorkflowError):  # recorded once
        surveillance.record_result(chk, admin_user, satisfactory=True)


def test_unsatisfactory_or_missed_leads_to_a_suspension_proposal(holder_cert, candidate, admin_user):
    soon, missed, later = _checks(holder_cert)
    with pytest.raises(WorkflowError):  # not missed yet
        surveillance.propose_suspension(soon, admin_user, reason="belum")
    with pytest.raises(WorkflowError):  # a reason is required
        surveillance.propose_suspension(missed, admin_user, reason=" ")
    with pytest.raises(NotAllowed):
        surveillance.propose_suspension(missed, candidate, reason="x")
    assert not surveillance.awaiting_suspension().exists()
    surveillance.propose_suspension(missed, admin_user, reason="Tidak mengirim bukti sampai jatuh tempo")
    surveillance.submit_evidence(soon, candidate, logbook="kerja")
    surveillance.record_result(soon, admin_user, satisfactory=False, notes="kurang")
    surveillance.propose_suspension(soon, admin_user, reason="Tidak memenuhi")
    waiting = list(surveillance.awaiting_suspension())
    assert {c.pk for c in waiting} == {soon.pk, missed.pk}
    missed.refresh_from_db()
    assert missed.status == S.SUSPENSION_PROPOSED and missed.suspension_reason.startswith("Tidak mengirim")
    assert not surveillance.clean_record(holder_cert)
    # The suspension act's hook takes them off the waiting list.
    assert surveillance.settle_suspension_proposals(holder_cert, admin_user) == 2
    assert not surveillance.awaiting_suspension().exists()


def test_holder_page_and_private_file(client, holder_cert, candidate, admin_user):
    chk = _checks(holder_cert)[0]
    client.force_login(candidate)
    url = reverse("certification:surveillance_check", args=[chk.pk])
    r = client.post(url, {"action": "evidence", "logbook": "Situs toko daring", "employer_statement": "",
                          "files": [_png()]})
    assert r.status_code == 302
    ev = chk.evidence.get()
    r = client.get(reverse("certification:surveillance_file", args=[ev.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and r["X-Content-Type-Options"] == "nosniff"
    other = make_user("lain", Role.CANDIDATE)
    client.force_login(other)
    assert client.get(reverse("certification:surveillance_file", args=[ev.pk])).status_code == 403
    assert client.get(url).status_code == 403
    r = client.post(url, {"action": "evidence", "logbook": "palsu"})
    assert r.status_code == 403
    chk.refresh_from_db()
    assert chk.logbook == "Situs toko daring"
    client.force_login(admin_user)
    r = client.post(url, {"action": "result", "result": "unsatisfactory", "notes": ""})
    assert r.status_code == 200 and "Tuliskan catatan" in r.content.decode()
    r = client.post(url, {"action": "result", "result": "satisfactory", "notes": ""})
    assert r.status_code == 302
    chk.refresh_from_db()
    assert chk.status == S.SATISFACTORY


def test_staff_list_due_and_overdue(client, holder_cert, admin_user, candidate):
    client.force_login(admin_user)
    url = reverse("certification:surveillance_checks")
    body = client.get(url).content.decode()
    assert body.count("data-overdue") == 1 and body.count("CERT/T/") == 3
    body = client.get(url, {"state": "overdue"}).content.decode()
    assert body.count("CERT/T/") == 1 and "data-overdue" in body
    body = client.get(url, {"state": "soon"}).content.decode()
    assert body.count("CERT/T/") == 1 and "data-overdue" not in body
    assert client.get(url, {"q": "tidak-ada"}).content.decode().count("CERT/T/") == 0
    assert client.get(url, {"state": "bogus", "scheme": "x", "page": "zz"}).status_code == 200
    client.force_login(candidate)
    assert client.get(url).status_code == 403


def test_case_panel_shows_checks_to_the_holder(client, holder_cert, candidate):
    client.force_login(candidate)
    body = client.get(holder_cert.case.get_absolute_url()).content.decode()
    chk = _checks(holder_cert)[1]
    assert reverse("certification:surveillance_check", args=[chk.pk]) in body and "data-overdue" in body


def test_a_suspension_proposal_leads_to_the_suspension_act_prefilled(client, holder_cert, candidate, admin_user,
                                                                      assessor):
    """Issue 9: a missed check proposed for suspension links, from the check's page, to the certificate's
    suspension act with the reason filled in from the proposal; suspending settles the proposal."""
    _soon, missed, _later = _checks(holder_cert)
    surveillance.propose_suspension(missed, admin_user, reason="Tidak mengirim bukti sampai jatuh tempo")
    act_url = reverse("certification:change_status", args=[holder_cert.pk, "suspend_certificate"])
    check_url = reverse("certification:surveillance_check", args=[missed.pk])
    # The assessor who may propose does not decide: no link for them, a sentence instead.
    client.force_login(assessor.user)
    page = client.get(check_url).content.decode()
    assert "data-suspension-proposed" in page and act_url not in page
    client.force_login(admin_user)
    page = client.get(check_url).content.decode()
    assert f"{act_url}?check={missed.pk}" in page
    form = client.get(act_url, {"check": missed.pk}).content.decode()
    assert f'data-proposal="{missed.pk}"' in form and "Tidak mengirim bukti sampai jatuh tempo" in form
    assert "Surveilan ke-2" in form and "terlewat tanpa bukti" in form
    # A check not proposed for suspension, or a bad id, fills nothing.
    assert "data-proposal" not in client.get(act_url, {"check": _soon.pk}).content.decode()
    assert "data-proposal" not in client.get(act_url, {"check": "x"}).content.decode()
    # An empty reason is refused and nothing changes.
    r = client.post(act_url, {"check": missed.pk, "reason": " ", "public_note": ""})
    assert r.status_code == 200
    holder_cert.refresh_from_db()
    missed.refresh_from_db()
    assert holder_cert.status == "active" and missed.status == S.SUSPENSION_PROPOSED
    r = client.post(act_url, {"check": missed.pk, "reason": "Surveilan ke-2 terlewat tanpa bukti.",
                              "public_note": "Dibekukan karena hasil surveilan tidak memenuhi persyaratan."})
    assert r.status_code == 302 and r.url == check_url
    holder_cert.refresh_from_db()
    missed.refresh_from_db()
    assert holder_cert.status == "suspended" and missed.status == S.SUSPENSION_DECIDED
    assert not surveillance.awaiting_suspension().exists()
    acts = list(history(holder_cert.case).values_list("act", flat=True))
    assert "suspend_certificate" in acts and "settle_suspension_proposal" in acts
    page = client.get(check_url).content.decode()
    assert "data-suspension-proposed" not in page


# --- the decision not to suspend (keep the certificate valid) --------------------------------------------------


def _proposed(cert, admin_user):
    _soon, missed, _later = _checks(cert)
    surveillance.propose_suspension(missed, admin_user, reason="Tidak mengirim bukti sampai jatuh tempo")
    missed.refresh_from_db()
    return missed


def test_keep_certificate_settles_the_proposal_logs_and_tells_the_holder(
        holder_cert, candidate, admin_user, assessor, django_capture_on_commit_callbacks):
    from kompeten.core.models import Notification

    missed = surveillance.propose_suspension(_checks(holder_cert)[1], assessor.user, reason="Terlewat")
    with django_capture_on_commit_callbacks(execute=True):
        surveillance.keep_certificate(missed, admin_user, reason="  Bukti diserahkan terlambat dan memenuhi  ")
    missed.refresh_from_db()
    holder_cert.refresh_from_db()
    assert missed.status == S.KEPT and missed.decision_reason == "Bukti diserahkan terlambat dan memenuhi"
    assert missed.decided_by == admin_user and missed.decided_at
    assert holder_cert.status == "active" and not missed.follow_ups.exists()
    assert not surveillance.awaiting_suspension().filter(pk=missed.pk).exists()
    entry = history(holder_cert.case).get(act="keep_certificate")
    assert entry.actor == admin_user and entry.reason == "Bukti diserahkan terlambat dan memenuhi"
    assert entry.status_before == S.SUSPENSION_PROPOSED and entry.status_after == S.KEPT
    assert entry.data["check"] == missed.pk and "follow_up_check" not in entry.data
    note = Notification.objects.get(recipient=candidate, title="Sertifikat Anda tetap berlaku")
    assert "Bukti diserahkan terlambat" in note.body and note.url.endswith(f"/{missed.pk}/")
    # The assessor who proposed it hears the outcome too.
    assert Notification.objects.filter(recipient=assessor.user, title__contains="tidak dibekukan").exists()
    # A kept check does not count as a clean record (for the shorter recertification path).
    assert not surveillance.clean_record(holder_cert)


def test_keep_certificate_schedules_a_follow_up_check(holder_cert, candidate, lsp_head,
                                                      django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    from kompeten.core.models import Notification

    missed = _proposed(holder_cert, lsp_head)
    due = timezone.localdate() + dt.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        surveillance.keep_certificate(missed, lsp_head, reason="Surveilan lanjutan dijadwalkan", follow_up_on=due)
    missed.refresh_from_db()
    follow_up = missed.follow_ups.get()
    assert missed.status == S.KEPT and missed.decided_by == lsp_head
    assert follow_up.status == S.DUE and follow_up.due_on == due and follow_up.order == 4
    assert follow_up.surveillance_id == missed.surveillance_id
    entry = history(holder_cert.case).get(act="keep_certificate")
    assert entry.data["follow_up_check"] == follow_up.pk and entry.data["follow_up_on"] == due.isoformat()
    note = Notification.objects.get(recipient=candidate, title__contains="surveilan lanjutan dijadwalkan")
    assert note.due == due and note.url.endswith(f"/{follow_up.pk}/") and "ke-4" in note.body
    # The holder can send evidence for the follow-up.
    surveillance.submit_evidence(follow_up, candidate, logbook="Bukti lanjutan")
    follow_up.refresh_from_db()
    assert follow_up.status == S.SUBMITTED


@pytest.mark.parametrize("days", [0, -1, 401])
def test_follow_up_date_must_be_in_the_future_and_within_validity(holder_cert, admin_user, days):
    import datetime as dt

    from django.utils import timezone

    missed = _proposed(holder_cert, admin_user)
    with pytest.raises(WorkflowError) as err:
        surveillance.keep_certificate(missed, admin_user, reason="x",
                                      follow_up_on=timezone.localdate() + dt.timedelta(days=days))
    assert "follow_up_on" in err.value.field_errors
    missed.refresh_from_db()
    assert missed.status == S.SUSPENSION_PROPOSED and not missed.follow_ups.exists()
    assert not history(holder_cert.case).filter(act="keep_certificate").exists()


def test_keep_certificate_refused_for_other_roles_and_without_a_proposal(holder_cert, candidate, admin_user,
                                                                         assessor, committee, lead_assessor):
    soon, missed, _later = _checks(holder_cert)
    with pytest.raises(WorkflowError) as err:  # no proposal open
        surveillance.keep_certificate(soon, admin_user, reason="tetap berlaku")
    assert "Tidak ada usulan pembekuan" in str(err.value)
    surveillance.propose_suspension(missed, assessor.user, reason="Terlewat")
    # The assessor may propose, but not decide; nor the holder, the committee or a lead assessor.
    for who in (assessor.user, candidate, committee, lead_assessor):
        with pytest.raises(NotAllowed):
            surveillance.keep_certificate(missed, who, reason="tetap berlaku")
    with pytest.raises(WorkflowError) as err:  # a reason is required
        surveillance.keep_certificate(missed, admin_user, reason="  ")
    assert "reason" in err.value.field_errors
    missed.refresh_from_db()
    assert missed.status == S.SUSPENSION_PROPOSED and missed.decided_by is None and missed.decision_reason == ""
    assert not history(holder_cert.case).filter(act="keep_certificate").exists()
    surveillance.keep_certificate(missed, admin_user, reason="Bukti diserahkan")
    with pytest.raises(WorkflowError):  # decided once
        surveillance.keep_certificate(missed, admin_user, reason="lagi")
    assert history(holder_cert.case).filter(act="keep_certificate").count() == 1


def test_keep_refused_once_the_certificate_is_suspended(holder_cert, admin_user):
    from kompeten.certification import status

    missed = _proposed(holder_cert, admin_user)
    status.suspend_certificate(holder_cert.case, admin_user, reason="Dibekukan")
    missed.refresh_from_db()
    assert missed.status == S.SUSPENSION_DECIDED
    with pytest.raises(WorkflowError):
        surveillance.keep_certificate(missed, admin_user, reason="tetap")
    holder_cert.refresh_from_db()
    assert holder_cert.status == "suspended"


def test_keep_page_form_decision_and_list(client, holder_cert, admin_user, assessor, candidate):
    import datetime as dt

    from django.utils import timezone

    missed = _proposed(holder_cert, admin_user)
    url = reverse("certification:surveillance_check", args=[missed.pk])
    # The assessor sees the proposal but no decision form; a forged POST is refused and changes nothing.
    client.force_login(assessor.user)
    page = client.get(url).content.decode()
    assert "data-suspension-proposed" in page and "data-keep-form" not in page
    assert client.post(url, {"action": "keep", "reason": "tetap"}).status_code == 403
    missed.refresh_from_db()
    assert missed.status == S.SUSPENSION_PROPOSED
    client.force_login(admin_user)
    page = client.get(url).content.decode()
    assert "data-keep-form" in page and 'name="follow_up_on"' in page
    # An empty reason and a past date: the form comes back with the messages, nothing changed.
    r = client.post(url, {"action": "keep", "reason": " ", "follow_up_on": ""})
    assert r.status_code == 200 and "data-keep-form" in r.content.decode()
    r = client.post(url, {"action": "keep", "reason": "ok", "follow_up_on": "2000-01-01"})
    assert r.status_code == 200 and "Tanggal surveilan lanjutan harus setelah hari ini" in r.content.decode()
    r = client.post(url, {"action": "keep", "reason": "ok", "follow_up_on": "bukan-tanggal"})
    assert r.status_code == 200
    missed.refresh_from_db()
    assert missed.status == S.SUSPENSION_PROPOSED
    due = timezone.localdate() + dt.timedelta(days=21)
    r = client.post(url, {"action": "keep", "reason": "Bukti diserahkan terlambat; surveilan lanjutan",
                          "follow_up_on": due.isoformat()})
    assert r.status_code == 302 and r.url == url
    missed.refresh_from_db()
    follow_up = missed.follow_ups.get()
    page = client.get(url).content.decode()
    assert "data-kept" in page and "Bukti diserahkan terlambat" in page and f'data-follow-up="{follow_up.pk}"' in page
    assert "data-keep-form" not in page and "data-suspension-proposed" not in page
    # Posting again: no open proposal, a clear message, nothing changed.
    r = client.post(url, {"action": "keep", "reason": "lagi"})
    assert r.status_code == 200 and "Tidak ada usulan pembekuan" in r.content.decode()
    assert missed.follow_ups.count() == 1
    # The staff list: no longer among the proposals; listed as kept; the follow-up is marked.
    lst = reverse("certification:surveillance_checks")
    assert client.get(lst, {"state": "proposed"}).content.decode().count("CERT/T/") == 0
    body = client.get(lst, {"state": "kept"}).content.decode()
    assert body.count("CERT/T/") == 1 and 'data-status="kept"' in body
    assert "(lanjutan)" in client.get(lst, {"state": "open"}).content.decode()
    # The holder sees the decision on the check's page.
    client.force_login(candidate)
    page = client.get(url).content.decode()
    assert "data-kept" in page and "data-keep-form" not in page


def test_keep_page_in_english(client, holder_cert, admin_user):
    missed = _proposed(holder_cert, admin_user)
    admin_user.language = "en"
    admin_user.save()
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("certification:surveillance_check", args=[missed.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Decide not to suspend" in page
