"""After the holder signs the certificate-use agreement, the case page no longer asks for it (no red
deadline); the certificate can be issued only after the signature, and the precondition is one hook in the
workflow table that buttons, next steps, the LSP head's queue and the service all use."""

import pytest
from django.urls import reverse

from kompeten.cases.workflow import allowed_acts, blocker, next_steps
from kompeten.certification import services
from kompeten.core.errors import WorkflowError

from .helpers import recommend

pytestmark = pytest.mark.django_db


@pytest.fixture
def competent(case, committee, monkeypatch):
    recommend(case, "K", monkeypatch=monkeypatch)
    services.decide_competent(case, committee)
    case.refresh_from_db()
    return case


def _steps(case):
    return {s.act.code: s for s in next_steps(case)}


def test_next_steps_before_signing_waits_for_the_holder(competent):
    steps = _steps(competent)
    assert [str(r) for r in steps["sign_holder_agreement"].who] == ["Asesi"]
    assert steps["sign_holder_agreement"].waiting is None
    assert "belum menandatangani" in str(steps["issue_certificate"].waiting)
    assert "belum menandatangani" in str(blocker(competent, "issue_certificate"))


def test_signed_agreement_is_no_longer_next_and_issue_is(competent, candidate):
    services.sign_holder_agreement(competent, candidate)
    steps = _steps(competent)
    assert "sign_holder_agreement" not in steps
    assert steps["issue_certificate"].waiting is None
    assert blocker(competent, "issue_certificate") is None


def test_case_page_drops_the_signed_step_and_its_red_deadline(client, competent, candidate):
    client.force_login(candidate)
    url = reverse("cases:detail", args=[competent.pk])
    before = client.get(url)
    labels = [s[0].code for s in before.context["next_steps"]]
    assert "sign_holder_agreement" in labels
    assert next(by for act, _w, by, _x in before.context["next_steps"] if act.code == "sign_holder_agreement")
    html = before.content.decode()
    assert "text-bg-danger" in html and "Menunggu:" in html  # the deadline, and issuing waits for the signature
    services.sign_holder_agreement(competent, candidate)
    after = client.get(url)
    steps = after.context["next_steps"]
    assert [act.code for act, *_rest in steps] == ["issue_certificate"]
    assert all(by is None for _a, _w, by, _x in steps)
    html = after.content.decode()
    assert "Menandatangani persetujuan penggunaan sertifikat" not in html.split("Langkah berikutnya")[1].split(
        "</ul>")[0]
    assert "badge text-bg-danger" not in html


def test_issue_button_and_service_wait_for_the_signature(client, competent, candidate, lsp_head):
    assert "issue_certificate" not in {a.code for a in allowed_acts(lsp_head, competent)}
    with pytest.raises(WorkflowError, match="belum menandatangani"):
        services.issue_certificate(competent, lsp_head)
    client.force_login(lsp_head)
    page = client.get(reverse("cases:detail", args=[competent.pk])).content.decode()
    assert reverse("certification:issue", args=[competent.pk]) not in page
    services.sign_holder_agreement(competent, candidate)
    assert "issue_certificate" in {a.code for a in allowed_acts(lsp_head, competent)}
    page = client.get(reverse("cases:detail", args=[competent.pk])).content.decode()
    assert reverse("certification:issue", args=[competent.pk]) in page
    services.issue_certificate(competent, lsp_head)
    competent.refresh_from_db()
    assert competent.status == "certified"
