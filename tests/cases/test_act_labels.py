"""Acts have two names: an imperative one for buttons and next steps, a past-tense one for the action log."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kompeten.cases.models import DocumentReview
from kompeten.cases.workflow import ACTS
from kompeten.core.actions import ACT_LABELS, act_label

from .helpers import review_items, submitted_case

SRC = Path(settings.BASE_DIR)


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _card(body, heading):
    """The text of the card under `heading` (the "next step" card, the history column …)."""
    start = body.index(heading)
    return body[start:start + 3000]


@pytest.mark.parametrize("code", sorted(ACTS))
def test_every_act_has_a_button_and_a_log_label_in_both_languages(code):
    act = ACTS[code]
    with translation.override("id"):
        button_id, label_id = str(act.button), str(act.label)
    with translation.override("en"):
        button_en, label_en = str(act.button), str(act.label)
    assert button_id and label_id and button_id != label_id
    assert button_en != label_en, code
    assert button_en != button_id and label_en != label_id, f"{code}: untranslated"
    # A button says what to do: its verb is not in the past tense.
    assert not re.match(r"^\w+ed\b", button_en), button_en
    # The log reads the past-tense label, never the button.
    assert ACT_LABELS[code] is act.label


def test_every_logged_act_reads_in_the_past_in_english():
    """Codes written by log_action outside the workflow table are registered with register_act_labels."""
    codes = set()
    for path in SRC.rglob("*.py"):
        codes |= set(re.findall(r'log_action\(\s*\w+,\s*"(\w+)"', path.read_text(encoding="utf-8")))
    assert codes, "the search found no log_action call"
    for code in sorted(codes):
        assert code in ACT_LABELS, f"{code} has no label for the action log"
        with translation.override("en"):
            english = str(act_label(code))
        with translation.override("id"):
            assert english != str(act_label(code)), code
        assert re.search(r"\b\w+ed\b", english), f"{code}: “{english}” is not in the past"


def test_next_step_is_imperative_and_log_is_past(client, scheme, candidate, admin_user):
    case = submitted_case(scheme, candidate)
    client.force_login(admin_user)
    body = client.get(case.get_absolute_url()).content.decode()
    steps = _card(body, "Langkah berikutnya")
    assert "Terima dokumen" in steps and "Dokumen diterima" not in steps
    assert "Tolak dokumen" in steps and "Kembalikan dokumen untuk perbaikan" in steps

    from kompeten.cases import services

    services.review_documents(case, admin_user, items=review_items(scheme), outcome=DocumentReview.Outcome.ACCEPTED)
    body = client.get(case.get_absolute_url()).content.decode()
    log = _card(body, "Riwayat")
    assert "Dokumen diterima" in log and "Terima dokumen" not in log
    assert "Mengajukan permohonan (APL.01 &amp; APL.02)" in log

    english(client)
    body = client.get(case.get_absolute_url()).content.decode()
    log = _card(body, "History")
    assert "Documents accepted" in log and "Submitted the application" in log
    assert "Schedule the candidate and assign an assessor" in _card(body, "Next step")


def test_english_buttons_on_the_holders_case_page(client, scheme, site, assessor, candidate, committee):
    from kompeten.certification import services
    from tests.certification.helpers import make_case, make_event, recommend

    case = make_case(candidate, scheme, assessor, make_event(scheme, site))
    recommend(case, "K")
    services.decide_competent(case, committee)
    client.force_login(candidate)
    english(client)
    body = client.get(case.get_absolute_url()).content.decode()
    buttons = re.findall(r'<a class="btn[^"]*" href="[^"]*">([^<]+)</a>', _card(body, "Next step"))
    assert "Sign the certificate use agreement" in buttons, buttons
    assert "Signed the certificate use agreement" not in body
    assert "Decision: Competent" in _card(body, "History")


def test_home_page_offers_the_work_in_the_imperative(client, scheme, candidate, admin_user):
    submitted_case(scheme, candidate)
    client.force_login(admin_user)
    english(client)
    body = client.get(reverse("home")).content.decode()
    assert "Accept the documents" in body and "Documents accepted" not in body
