import datetime as dt

import pytest
from django.utils import timezone

from kompeten.cases.models import Case
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Notification, Role
from kompeten.events import services
from kompeten.events.models import (
    AssessmentEvent,
    ConflictDeclaration,
    EventAssessor,
    FeasibilityCheck,
    FeasibilityItem,
    ScheduleConfirmation,
)
from kompeten.people.models import Assessor
from tests.conftest import make_user
from tests.events.helpers import future, make_case, make_event, publish_ready
from tests.timetravel import on_event_day

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def event(scheme, site):
    return make_event(scheme, site)


@pytest.fixture
def published(event, assessor, admin_user):
    return publish_ready(event, assessor, admin_user)


# --- create_event ---------------------------------------------------------------------------------


def test_create_event_numbers_and_logs(scheme, site, admin_user):
    ev = services.create_event(admin_user, scheme=scheme, starts_at=future(10), ends_at=future(10, 15), quota=8,
                               title="Uji Batch 1", site=site)
    year = timezone.localdate(future(10)).year
    assert ev.number == f"JUK-{year}-001"
    assert ev.status == "draft" and ev.created_by == admin_user
    assert history(ev).get().act == "create_event"
    ev2 = services.create_event(admin_user, scheme=scheme, starts_at=future(11), ends_at=future(11, 15), quota=8)
    assert ev2.number == f"JUK-{year}-002"


def test_create_event_refusals(scheme, site, candidate, admin_user):
    with pytest.raises(NotAllowed):
        services.create_event(candidate, scheme=scheme, starts_at=future(10), ends_at=future(10, 15), quota=5)
    with pytest.raises(WorkflowError) as exc:
        services.create_event(admin_user, scheme=scheme, starts_at=future(10, 15), ends_at=future(10, 9), quota=5)
    assert "ends_at" in exc.value.field_errors
    with pytest.raises(WorkflowError) as exc:
        services.create_event(admin_user, scheme=scheme, starts_at=future(10), ends_at=future(10, 15), quota=0)
    assert "quota" in exc.value.field_errors
    assert AssessmentEvent.objects.count() == 0


# --- feasibility and publishing -------------------------------------------------------------------


def test_record_feasibility_stores_who_and_when(event, admin_user):
    services.record_feasibility(event, admin_user, item="scheme", ok=True, note="Lisensi aktif")
    check = FeasibilityCheck.objects.get(event=event, item="scheme")
    assert check.ok and check.checked_by == admin_user and check.checked_at and check.note == "Lisensi aktif"
    # re-recording replaces the finding but keeps every act in the log
    services.record_feasibility(event, admin_user, item="scheme", ok=False, note="Lisensi ditinjau ulang")
    assert FeasibilityCheck.objects.get(event=event, item="scheme").ok is False
    assert history(event).filter(act="record_feasibility").count() == 2


def test_record_feasibility_refuses_met_when_system_knows_otherwise(event, admin_user):
    # no assessor assigned yet
    with pytest.raises(WorkflowError) as exc:
        services.record_feasibility(event, admin_user, item="assessors", ok=True)
    assert "asesor" in str(exc.value.message).lower()
    assert not FeasibilityCheck.objects.exists()
    assert not history(event).exists()


def test_record_feasibility_bad_data_role_and_status(event, admin_user, candidate):
    with pytest.raises(WorkflowError):
        services.record_feasibility(event, admin_user, item="nonsense", ok=True)
    with pytest.raises(WorkflowError) as exc:
        services.record_feasibility(event, admin_user, item="scheme", ok=False, note="")
    assert "note" in exc.value.field_errors
    with pytest.raises(NotAllowed):
        services.record_feasibility(event, candidate, item="scheme", ok=True)
    AssessmentEvent.objects.filter(pk=event.pk).update(status="published")
    event.refresh_from_db()
    with pytest.raises(WorkflowError):
        services.record_feasibility(event, admin_user, item="scheme", ok=True)
    assert not FeasibilityCheck.objects.exists()


def test_publish_refused_until_feasibility_passes(event, admin_user, assessor):
    with pytest.raises(WorkflowError) as exc:
        services.publish_event(event, admin_user)
    assert "belum diperiksa" in str(exc.value.message)
    event.refresh_from_db()
    assert event.status == "draft"
    services.assign_assessor(event, admin_user, assessor)
    for item in FeasibilityItem.values:
        services.record_feasibility(event, admin_user, item=item, ok=True)
    services.publish_event(event, admin_user)
    event.refresh_from_db()
    assert event.status == "published"


def test_publish_refused_when_a_checked_item_is_no_longer_true(event, admin_user, assessor, site):
    services.assign_assessor(event, admin_user, assessor)
    for item in FeasibilityItem.values:
        services.record_feasibility(event, admin_user, item=item, ok=True)
    site.verified_until = timezone.localdate() + dt.timedelta(days=1)  # expires before the event
    site.save()
    with pytest.raises(WorkflowError) as exc:
        services.publish_event(event, admin_user)
    assert "tidak lagi terpenuhi" in str(exc.value.message)
    event.refresh_from_db()
    assert event.status == "draft"


def test_publish_wrong_role(event, candidate):
    with pytest.raises(NotAllowed):
        services.publish_event(event, candidate)


# --- TUK ------------------------------------------------------------------------------------------


def test_designate_site_happy(scheme, site, admin_user, tuk_head):
    ev = make_event(scheme)
    services.designate_site(ev, admin_user, site)
    ev.refresh_from_db()
    assert ev.site == site
    assert history(ev).get().data == {"site": "TUK-001"}


@pytest.mark.parametrize("problem", ["unverified", "expired", "unfit"])
def test_designate_site_refuses_unverified_expired_or_unfit(scheme, site, admin_user, problem):
    ev = make_event(scheme)
    if problem == "unverified":
        site.verified_until = None
        site.save()
    elif problem == "expired":
        site.verified_until = timezone.localdate() + dt.timedelta(days=3)  # event is in 14 days
        site.save()
    else:
        site.schemes.clear()
    with pytest.raises(WorkflowError):
        services.designate_site(ev, admin_user, site)
    ev.refresh_from_db()
    assert ev.site is None and not history(ev).exists()


def test_designate_site_wrong_role(scheme, site, assessor):
    ev = make_event(scheme)
    with pytest.raises(NotAllowed):
        services.designate_site(ev, assessor.user, site)


# --- assessors ------------------------------------------------------------------------------------


def test_assign_assessor_numbers_letter_and_notifies(event, admin_user, assessor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = services.assign_assessor(event, admin_user, assessor)
    today = timezone.localdate()
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][today.month - 1]
    assert a.letter_number == f"001/ST/LSP-TDN/{roman}/{today.year}"
    assert Notification.objects.filter(recipient=assessor.user, title__contains=a.letter_number).exists()
    with pytest.raises(WorkflowError):  # twice
        services.assign_assessor(event, admin_user, assessor)
    assert EventAssessor.objects.count() == 1


def test_assign_assessor_refuses_unregistered_or_expired(event, admin_user, assessor, scheme):
    assessor.schemes.clear()
    with pytest.raises(WorkflowError) as exc:
        services.assign_assessor(event, admin_user, assessor)
    assert "tidak terdaftar" in str(exc.value.message)
    assessor.schemes.add(scheme)
    assessor.registration_valid_until = timezone.localdate() + dt.timedelta(days=5)  # lapses before the event
    assessor.save()
    with pytest.raises(WorkflowError) as exc:
        services.assign_assessor(event, admin_user, assessor)
    assert "MET" in str(exc.value.message)
    assert not EventAssessor.objects.exists() and not history(event).exists()


def test_assign_assessor_wrong_role(event, tuk_head, assessor):
    with pytest.raises(NotAllowed):
        services.assign_assessor(event, tuk_head, assessor)


# --- conflicts and scheduling -----------------------------------------------------------------------


def test_declare_conflict_by_assigned_assessor(published, assessor, candidate, scheme):
    case = make_case(candidate, scheme)
    d = services.declare_conflict(published, assessor.user, case=case, kind="family", note="Sepupu")
    assert d.assessor == assessor and d.has_conflict
    assert services.conflicts_between(assessor, case)[0]["source"] == "declared"
    # a later "no conflict" statement of the same kind replaces it
    services.declare_conflict(published, assessor.user, case=case, kind="family", has_conflict=False)
    assert services.conflicts_between(assessor, case) == []


def test_declare_conflict_refusals(published, scheme, candidate, admin_user):
    other = Assessor.objects.create(user=make_user("lain", Role.ASSESSOR), met_number="MET.000.000001 2020",
                                    registration_valid_until=timezone.localdate() + dt.timedelta(days=900))
    other.schemes.add(scheme)
    case = make_case(candidate, scheme)
    with pytest.raises(NotAllowed):  # not assigned to the event
        services.declare_conflict(published, other.user, case=case, kind="family")
    with pytest.raises(NotAllowed):
        services.declare_conflict(published, admin_user, case=case, kind="family")
    assert not ConflictDeclaration.objects.exists()


def test_declare_conflict_other_needs_note(published, assessor, candidate, scheme):
    case = make_case(candidate, scheme)
    with pytest.raises(WorkflowError) as exc:
        services.declare_conflict(published, assessor.user, case=case, kind="other")
    assert "note" in exc.value.field_errors
    assert not ConflictDeclaration.objects.exists()


def test_schedule_case_happy(published, assessor, candidate, scheme, admin_user, django_capture_on_commit_callbacks):
    case = make_case(candidate, scheme)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_case(case, admin_user, event=published, assessor=assessor)
    case.refresh_from_db()
    assert case.status == "scheduled" and case.event == published and case.assessor == assessor
    log = history(case).get(act="schedule_case")
    assert log.data == {"event": published.number, "assessor_user_id": assessor.user_id, "conflicts": [],
                        "override_reason": ""}
    notes = Notification.objects.filter(title__contains=case.number)
    assert {n.recipient for n in notes} == {candidate, assessor.user}
    assert all(n.due for n in notes)
    assert "Jl. Merdeka" in notes.first().body


def _unchanged(case):
    case.refresh_from_db()
    assert case.status == "accepted" and case.event_id is None and case.assessor_id is None
    assert not history(case).exists()


def test_schedule_case_refuses_declared_conflict_and_logs_override(published, assessor, candidate, scheme,
                                                                     admin_user):
    case = make_case(candidate, scheme)
    services.declare_conflict(published, assessor.user, case=case, kind="trained", note="Pelatihan 2025")
    with pytest.raises(WorkflowError) as exc:
        services.schedule_case(case, admin_user, event=published, assessor=assessor)
    assert "konflik" in str(exc.value.message).lower()
    _unchanged(case)
    services.schedule_case(case, admin_user, event=published, assessor=assessor,
                           override_reason="Tidak ada asesor lain; diawasi lead asesor")
    log = history(case).get(act="schedule_case")
    assert log.data["override_reason"] == "Tidak ada asesor lain; diawasi lead asesor"
    assert log.data["conflicts"][0]["kind"] == "trained" and log.data["conflicts"][0]["source"] == "declared"


def test_schedule_case_refuses_detected_same_employer(published, assessor, candidate, scheme, admin_user,
                                                      monkeypatch):
    case = make_case(candidate, scheme)
    monkeypatch.setattr(services, "_candidate_employer", lambda c: "pt. SOLUSI  web, Tbk")
    with pytest.raises(WorkflowError):
        services.schedule_case(case, admin_user, event=published, assessor=assessor)
    _unchanged(case)
    services.schedule_case(case, admin_user, event=published, assessor=assessor, override_reason="Disetujui")
    assert history(case).get(act="schedule_case").data["conflicts"][0]["source"] == "detected"


def test_schedule_case_refuses_full_event(scheme, site, assessor, admin_user, candidate):
    ev = publish_ready(make_event(scheme, site, quota=1), assessor, admin_user)
    services.schedule_case(make_case(candidate, scheme), admin_user, event=ev, assessor=assessor)
    second = make_case(make_user("citra", Role.CANDIDATE), scheme)
    with pytest.raises(WorkflowError) as exc:
        services.schedule_case(second, admin_user, event=ev, assessor=assessor)
    assert "penuh" in str(exc.value.message)
    _unchanged(second)


def test_schedule_case_withdrawn_case_frees_seat(scheme, site, assessor, admin_user, candidate):
    ev = publish_ready(make_event(scheme, site, quota=1), assessor, admin_user)
    make_case(candidate, scheme, status="withdrawn", event=ev)
    second = make_case(make_user("citra", Role.CANDIDATE), scheme)
    services.schedule_case(second, admin_user, event=ev, assessor=assessor)
    second.refresh_from_db()
    assert second.status == "scheduled"


def test_schedule_case_refuses_unpublished_or_unassigned(event, scheme, assessor, admin_user, candidate, published):
    case = make_case(candidate, scheme)
    draft = make_event(scheme)
    with pytest.raises(WorkflowError):
        services.schedule_case(case, admin_user, event=draft, assessor=assessor)
    other = Assessor.objects.create(user=make_user("lain", Role.ASSESSOR), met_number="MET.000.000001 2020",
                                    registration_valid_until=timezone.localdate() + dt.timedelta(days=900))
    other.schemes.add(scheme)
    with pytest.raises(WorkflowError):
        services.schedule_case(case, admin_user, event=published, assessor=other)
    _unchanged(case)


def test_schedule_case_wrong_role_and_status(published, assessor, scheme, admin_user, candidate):
    case = make_case(candidate, scheme)
    with pytest.raises(NotAllowed):
        services.schedule_case(case, candidate, event=published, assessor=assessor)
    submitted = make_case(make_user("dodi", Role.CANDIDATE), scheme, status="submitted")
    with pytest.raises(WorkflowError):
        services.schedule_case(submitted, admin_user, event=published, assessor=assessor)
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.event_id is None
    _unchanged(case)


# --- confirmation ---------------------------------------------------------------------------------


@pytest.fixture
def scheduled(published, assessor, candidate, scheme, admin_user):
    case = make_case(candidate, scheme)
    services.schedule_case(case, admin_user, event=published, assessor=assessor)
    case.refresh_from_db()
    return case


def test_confirm_both_parties_completes(scheduled, candidate, assessor, django_capture_on_commit_callbacks):
    from kompeten.cases.workflow import allowed_acts

    services.confirm_schedule(scheduled, candidate)
    scheduled.refresh_from_db()
    assert scheduled.status == "scheduled"
    assert "confirm_schedule" not in [a.code for a in allowed_acts(candidate, scheduled)]  # done-check
    assert "confirm_schedule" in [a.code for a in allowed_acts(assessor.user, scheduled)]
    with pytest.raises(WorkflowError):  # twice
        services.confirm_schedule(scheduled, candidate)
    assert ScheduleConfirmation.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_schedule(scheduled, assessor.user)
    scheduled.refresh_from_db()
    assert scheduled.status == "confirmed"
    assert list(history(scheduled).values_list("act", flat=True)[:3]) == [
        "complete_confirmation", "confirm_schedule", "confirm_schedule"]
    assert Notification.objects.filter(title__contains="dikonfirmasi").count() == 2


def test_confirm_wrong_person_and_status(scheduled, admin_user, candidate, assessor):
    stranger = make_user("orang", Role.CANDIDATE)
    with pytest.raises(NotAllowed):
        services.confirm_schedule(scheduled, stranger)
    with pytest.raises(NotAllowed):
        services.confirm_schedule(scheduled, admin_user)
    Case.objects.filter(pk=scheduled.pk).update(status="accepted")
    scheduled.refresh_from_db()
    with pytest.raises(WorkflowError):
        services.confirm_schedule(scheduled, candidate)
    assert not ScheduleConfirmation.objects.exists()


def test_request_reschedule(scheduled, candidate, admin_user, assessor, django_capture_on_commit_callbacks):
    services.confirm_schedule(scheduled, candidate)
    with pytest.raises(WorkflowError) as exc:
        services.request_reschedule(scheduled, candidate, reason="  ")
    assert "reason" in exc.value.field_errors
    scheduled.refresh_from_db()
    assert scheduled.status == "scheduled"
    with django_capture_on_commit_callbacks(execute=True):
        services.request_reschedule(scheduled, candidate, reason="Bentrok dengan ujian kampus")
    scheduled.refresh_from_db()
    assert scheduled.status == "accepted" and scheduled.event_id is None and scheduled.assessor_id is None
    assert ScheduleConfirmation.objects.get().superseded
    assert {n.recipient for n in Notification.objects.filter(title__contains="jadwal ulang")} == {
        admin_user, assessor.user}


def test_request_reschedule_wrong_role(scheduled, admin_user):
    with pytest.raises(NotAllowed):
        services.request_reschedule(scheduled, admin_user, reason="x")
    scheduled.refresh_from_db()
    assert scheduled.status == "scheduled"


# --- lifecycle --------------------------------------------------------------------------------------


def test_hold_and_close(published, admin_user, tuk_head, candidate):
    with pytest.raises(NotAllowed):
        services.hold_event(published, candidate)
    with pytest.raises(WorkflowError):
        services.close_event(published, admin_user)
    with on_event_day(published):  # an event is held on its day, not before (set-up: travel there)
        services.hold_event(published, tuk_head)
    published.refresh_from_db()
    assert published.status == "held"
    with pytest.raises(NotAllowed):
        services.close_event(published, tuk_head)
    services.close_event(published, admin_user)
    published.refresh_from_db()
    assert published.status == "closed"


def test_cancel_event_returns_cases(scheduled, published, admin_user):
    with pytest.raises(WorkflowError):
        services.cancel_event(published, admin_user, reason="")
    services.cancel_event(published, admin_user, reason="TUK banjir")
    published.refresh_from_db()
    scheduled.refresh_from_db()
    assert published.status == "cancelled"
    assert scheduled.status == "accepted" and scheduled.event_id is None
    assert history(scheduled).filter(act="unschedule_case").exists()


def test_cancel_event_refused_after_check_in(scheduled, published, admin_user):
    Case.objects.filter(pk=scheduled.pk).update(status="in_assessment")
    with pytest.raises(WorkflowError):
        services.cancel_event(published, admin_user, reason="TUK banjir")
    published.refresh_from_db()
    assert published.status == "published"
    assert Case.objects.get(pk=scheduled.pk).event_id == published.pk


def test_detected_conflict_reads_the_apl01_employer(published, assessor, candidate, scheme, admin_user):
    models = pytest.importorskip("kompeten.cases.models")
    if not hasattr(models, "Application"):
        pytest.skip("APL.01 model not available yet")
    case = make_case(candidate, scheme)
    models.Application.objects.create(case=case, full_name="Budi Santoso", employer="PT. SOLUSI WEB Tbk")
    case = Case.objects.get(pk=case.pk)
    assert [c["source"] for c in services.conflicts_between(assessor, case)] == ["detected"]
    with pytest.raises(WorkflowError):
        services.schedule_case(case, admin_user, event=published, assessor=assessor)
    _unchanged(case)
