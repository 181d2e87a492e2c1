"""Erasure of personal data on request (UU PDP, issue 12): the candidate asks (logged), an admin decides with a
reason (logged), and exactly the erasable data goes — applications that never reached a decision — while
certification records (decided cases, certificates, decisions) are kept, as the page says."""

import pytest
from django.urls import reverse

from kompeten.cases import privacy
from kompeten.cases import services as C
from kompeten.cases.models import Application, Document, ErasureRequest
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from tests.cases.helpers import APPLICATION, fill_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(scheme, candidate, assessor, admin_user, committee):
    """A withdrawn application with files, and a decided (certified) case of the same candidate."""
    from tests.certification.helpers import make_case, make_event, make_holder

    dropped = C.create_case(candidate, scheme)
    fill_case(dropped, candidate)
    C.withdraw(dropped, candidate, reason="Pindah kerja")
    event = make_event(scheme, None)
    cert = make_holder(candidate, scheme, assessor, event, admin_user)
    kept = cert.case
    Application.objects.create(case=kept, **{k: v for k, v in APPLICATION.items() if k not in ("purpose", "purpose_other")})
    assert make_case  # the helpers build the decided case directly (its SOP is tested elsewhere)
    return dropped, kept, cert


def test_candidate_asks_admin_erases_exactly_the_erasable(client, candidate, admin_user, cases):
    dropped, kept, cert = cases
    client.force_login(candidate)
    page = client.get(reverse("cases:erasure"))
    body = page.content.decode()
    assert page.status_code == 200 and dropped.number in body and kept.number in body
    assert "ISO/IEC 17024" in body  # the page says what is kept and why
    assert client.post(reverse("cases:erasure"), {"reason": "x"}).status_code == 302  # without the tick: nothing
    assert not ErasureRequest.objects.exists()
    client.post(reverse("cases:erasure"), {"reason": "Tidak jadi", "confirm": "on"})
    req = ErasureRequest.objects.get()
    assert [e.act for e in history(req)] == ["request_erasure"]
    with pytest.raises(WorkflowError):  # one open request at a time
        privacy.request_erasure(candidate)
    files = [d.file.name for d in Document.objects.filter(case=dropped)]
    storage = Document.objects.filter(case=dropped).first().file.storage
    assert files and all(storage.exists(f) for f in files)

    client.force_login(admin_user)
    assert dropped.number in client.get(reverse("cases:erasure_requests")).content.decode()
    resp = client.post(reverse("cases:erasure_requests"), {"request": req.pk, "action": "approve", "reason": ""})
    req.refresh_from_db()
    assert resp.status_code == 302 and req.status == "requested"  # a decision needs a reason
    client.post(reverse("cases:erasure_requests"), {"request": req.pk, "action": "approve",
                                                   "reason": "Permohonan tidak pernah diputuskan"})
    req.refresh_from_db()
    assert req.status == "done" and req.decided_by == admin_user

    gone = Application.objects.get(case=dropped)
    assert gone.nik == "" and gone.address == "" and gone.email == "" and gone.full_name == privacy.ERASED
    assert not any(storage.exists(f) for f in files)
    assert all(d.original_name == privacy.ERASED for d in Document.objects.filter(case=dropped))
    assert "erase_personal_data" in [e.act for e in history(dropped)]
    # Kept: the decided case's application, its certificate, and the rows themselves (nothing deleted).
    still = Application.objects.get(case=kept)
    assert still.nik == APPLICATION["nik"] and still.address == APPLICATION["address"]
    cert.refresh_from_db()
    assert cert.holder_name and cert.number
    assert dropped.__class__.objects.filter(pk__in=[dropped.pk, kept.pk]).count() == 2


def test_refusal_and_who_decides(candidate, admin_user, committee, cases):
    dropped, _kept, _cert = cases
    req = privacy.request_erasure(candidate, reason="")
    with pytest.raises(NotAllowed):
        privacy.decide_erasure(req, committee, approve=True, reason="x")
    privacy.decide_erasure(req, admin_user, approve=False, reason="Masih dalam masa banding")
    req.refresh_from_db()
    assert req.status == "refused" and [e.act for e in history(req)][0] == "refuse_erasure"
    assert Application.objects.get(case=dropped).nik == APPLICATION["nik"]
    with pytest.raises(WorkflowError):
        privacy.decide_erasure(req, admin_user, approve=True, reason="lagi")


def test_a_running_case_is_kept(candidate, scheme):
    case = C.create_case(candidate, scheme)
    fill_case(case, candidate)
    C.submit_application(case, candidate)
    plan = privacy.erasure_plan(candidate)
    assert plan["erase"] == [] and [c for c, _why in plan["keep"]] == [case]
