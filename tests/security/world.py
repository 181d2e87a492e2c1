"""A compact world for the permission matrix (tests/security/matrix.py), built once per module through the
services and builders the other tests use: two candidates, two assessors, two TUK with their heads, the staff
roles, events at each status, one case of candidate A at each status the acts start from, a certificate and
an appeal.

Relations, all measured against candidate A's cases:
    cand / cand_other       the candidate of the case / another candidate (with a case of their own)
    asr / asr_other         the assessor assigned to the case and its event / a registered assessor who is not
    tuk / tuk_other         the head of the TUK where the case is assessed / the head of another TUK
    com / com_asr           a committee member / a committee member who assessed the case (DOMAIN §4)
"""

import datetime as dt
import itertools
from types import SimpleNamespace

from django.utils import timezone

from kompeten.core.models import Role, RoleAssignment, User

COLUMNS = ("anon", "cand", "cand_other", "asr", "asr_other", "lead", "admin", "tuk", "tuk_other", "com",
           "com_asr", "head")

CASE_STATUSES = ("draft", "submitted", "accepted", "scheduled", "confirmed", "agreed", "ready", "in_assessment",
                 "assessed", "reviewed", "reported", "awaiting_decision", "competent", "certified",
                 "not_competent")
EVENT_STATUSES = ("draft", "published", "held")

_n = itertools.count(1)


def _user(username, *roles, site=None, first="", last=""):
    user = User.objects.create_user(username=username, email=f"{username}@example.id", password="rahasia-123",
                                    first_name=first or username.capitalize(), last_name=last)
    for role in roles:
        RoleAssignment.objects.create(user=user, role=role, site=site if role == Role.TUK_HEAD else None)
    return user


def _assessor(user, scheme, met):
    from kompeten.people.models import Assessor

    a = Assessor.objects.create(user=user, met_number=met, employer="PT Uji",
                                registration_valid_until=timezone.localdate() + dt.timedelta(days=700))
    a.schemes.add(scheme)
    return a


def _site(code, scheme):
    from kompeten.sites.models import Site

    s = Site.objects.create(code=code, name=f"TUK {code}", type=Site.Type.SEWAKTU, address="Jl. Uji 1",
                            city="Bandung", verified_until=timezone.localdate() + dt.timedelta(days=365))
    s.schemes.add(scheme)
    return s


def build():
    from kompeten.appeals import services as appeal_services
    from kompeten.cases.models import Case
    from kompeten.catalog.loader import load_scheme, read_scheme_file
    from kompeten.certification import services as cert_services
    from kompeten.core.actions import log_action
    from kompeten.core.notify import notify
    from kompeten.events.models import AssessmentEvent, EventAssessor
    from tests.cases.helpers import fill_case, pdf_file, submitted_case
    from tests.certification.helpers import recommend
    from tests.conftest import SCHEME_FILE

    scheme = load_scheme(read_scheme_file(SCHEME_FILE))
    site_a, site_b = _site("TUK-A", scheme), _site("TUK-B", scheme)
    u = SimpleNamespace(
        anon=None,
        cand=_user("cand", Role.CANDIDATE, first="Budi", last="Santoso"),
        cand_other=_user("cand2", Role.CANDIDATE, first="Siti"),
        asr=_user("asr", Role.ASSESSOR, first="Dewi"),
        asr_other=_user("asr2", Role.ASSESSOR, first="Agus"),
        lead=_user("lead", Role.LEAD_ASSESSOR),
        admin=_user("admin", Role.ADMIN),
        tuk=_user("tuk", Role.TUK_HEAD, site=site_a),
        tuk_other=_user("tuk2", Role.TUK_HEAD, site=site_b),
        com=_user("com", Role.COMMITTEE),
        com_asr=_user("com2", Role.COMMITTEE, Role.ASSESSOR),
        head=_user("head", Role.LSP_HEAD),
    )
    assessor = _assessor(u.asr, scheme, "MET.000.000001 2020")
    other_assessor = _assessor(u.asr_other, scheme, "MET.000.000002 2020")
    _assessor(u.com_asr, scheme, "MET.000.000003 2020")

    now = timezone.now()
    events = {}
    for status in EVENT_STATUSES:
        start = now + (dt.timedelta(days=14) if status != "held" else -dt.timedelta(days=7))
        ev = AssessmentEvent.objects.create(number=f"MTX-{status}", scheme=scheme, site=site_a, starts_at=start,
                                            ends_at=start + dt.timedelta(hours=8), status=status,
                                            created_by=u.admin)
        EventAssessor.objects.create(event=ev, assessor=assessor, letter_number=f"ST/{status}", assigned_by=u.admin)
        events[status] = ev

    cases = {}
    for status in CASE_STATUSES:
        # One running case per candidate and scheme is the rule of create_case: build the row, fill it through
        # the services, then put it at its status.
        case = Case.objects.create(number=f"MTX-{next(_n):04d}", candidate=u.cand, scheme=scheme)
        fill_case(case, u.cand)
        if True:
            early = status in ("draft", "accepted")
            event = events["published"] if status in ("scheduled", "confirmed", "agreed", "ready") else events["held"]
            Case.objects.filter(pk=case.pk).update(
                status=status, assessor=None if early else assessor, event=None if early else event)
            case.refresh_from_db()
        # The committee member com_asr was this case's assessor once (then replaced): they may not decide.
        log_action(u.admin, "schedule_case", case, data={"assessor_user_id": u.com_asr.pk})
        cases[status] = case
    for status in ("assessed", "reviewed", "reported", "awaiting_decision", "competent", "certified",
                   "not_competent"):
        recommend(cases[status], "BK" if status == "not_competent" else "K")
    certified = cases["certified"]
    type(certified).objects.filter(pk=certified.pk).update(status="awaiting_decision")
    certified.refresh_from_db()
    cert_services.decide_competent(certified, u.com)
    cert_services.sign_holder_agreement(certified, u.cand)
    cert_services.issue_certificate(certified, u.head)
    certified.refresh_from_db()
    nc = cases["not_competent"]
    type(nc).objects.filter(pk=nc.pk).update(status="awaiting_decision")
    cert_services.decide_not_competent(nc, u.com, reason="Unit belum kompeten.")
    nc.refresh_from_db()

    other_case = submitted_case(scheme, u.cand_other)

    appeal = appeal_services.lodge_appeal(nc, u.cand, explained=True, discussed=True, involve_other=False,
                                          reasons="Saya keberatan dengan hasilnya.", consent=True)
    appeal_services.acknowledge(appeal, u.admin)
    appeal_services.assign_handler(appeal, u.admin, u.head)
    appeal_services.add_document(appeal, u.head, file=pdf_file("bukti-banding.pdf"), title="Bukti")
    notify([u.cand], "Uji matriks", url=cases["draft"].get_absolute_url())
    extra = _later_objects(u, scheme, assessor, events, cases)

    return SimpleNamespace(users=u, scheme=scheme, site=site_a, other_site=site_b, assessor=assessor,
                           other_assessor=other_assessor, events=events, cases=cases, other_case=other_case,
                           certificate=certified.certificate, appeal=appeal,
                           notification=u.cand.notifications.first(), **extra)


def _later_objects(u, scheme, assessor, events, cases):
    """The objects of the screens merged after the matrix was first written: the scheme's instruments validated
    (FR.VA) by a validator who is no column, the held event's approved plan with them and candidate A's written
    attempt in the in-assessment case, a plenary meeting, a holder in surveillance with a check that has an
    evidence file, a job owned by admin, the scheme's blanko layout and an API token of candidate A."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import override_settings

    from kompeten.api import services as token_services
    from kompeten.assessment import written_test
    from kompeten.assessment.models import AssessmentPlan
    from kompeten.certification import pleno, surveillance
    from kompeten.certification.models import BlankoLayout, Meeting
    from kompeten.core.models import Job
    from tests.cases.helpers import PNG
    from tests.certification.helpers import make_holder
    from tests.conftest import validate_muk

    versions = validate_muk(scheme, _user("validator", Role.LEAD_ASSESSOR))
    plan = AssessmentPlan.objects.create(event=events["held"], version=1, status="approved", submitted_by=u.asr)
    plan.instrument_versions.set(versions)
    attempt = written_test.start_test(cases["in_assessment"], u.cand)
    version = next(v for v in versions if v.instrument.form == "IA.05")  # has an answer key (FR.IA.05B)

    with override_settings(PLENO_QUORUM=2):
        meeting = pleno.open_meeting(u.com, held_on=timezone.localdate(), members=[u.com, u.com_asr],
                                     place="Ruang Rapat")

    holder_cert = make_holder(u.cand, scheme, assessor, events["held"], u.admin, dues=(20,))
    check = holder_cert.surveillance.checks.get()
    surveillance.submit_evidence(check, u.cand, logbook="Membangun situs klien",
                                 files=[SimpleUploadedFile("bukti.png", PNG, content_type="image/png")])

    # A closed plenary meeting for the BNSP blanko pages (closed as pleno.close_meeting leaves it).
    closed_meeting = Meeting.objects.create(reference="PLENO/MATRIKS/001", held_on=timezone.localdate(),
                                            opened_by=u.com, status=Meeting.Status.CLOSED, closed_by=u.com,
                                            closed_at=timezone.now(), sk_number="SK/MATRIKS/001",
                                            minutes_number="BA/MATRIKS/001")
    closed_meeting.members.set([u.com, u.com_asr])
    job = Job.objects.create(kind=pleno.ISSUE_JOB, title="Uji matriks", owner=u.admin)
    BlankoLayout.objects.create(scheme=scheme)
    api_token = token_services.create_token(u.cand, name="Integrasi", scope="read")[0]
    observation = next(v for v in versions if v.instrument.form not in ("IA.05", "IA.06"))
    from kompeten.events.models import CandidateImport

    candidate_import = CandidateImport.objects.create(
        event=events["draft"], created_by=u.admin, file_name="kelas.xlsx", file_kind="xlsx", total_rows=2, error_rows=1,
        rows=[{"row": 2, "data": {"full_name": "Asesi Matriks", "email": "matriks@kelas.id"}}],
        problems=[[3, "NIK", "123", "NIK harus terdiri dari 16 angka."]])
    return {"instrument_version": version, "observation_version": observation, "written_attempt": attempt, "meeting": meeting,
            "closed_meeting": closed_meeting, "holder_cert": holder_cert, "surveillance_check": check, "job": job,
            "api_token": api_token, "candidate_import": candidate_import}
