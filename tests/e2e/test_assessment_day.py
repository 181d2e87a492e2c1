"""Issue 7 in a browser, on a phone (390×844): the assessment day.

The candidate opens the written test (FR.IA.05/IA.06) from the case page, answers part of it, and — 35 minutes
later by the server's clock — reloads the page: the answers are still there and the countdown starts from the time
the server keeps (85 minutes left of 120, not 120 again). The candidate carries on and submits. Then the assessor,
on the same phone, ticks the observation checklist (FR.IA.01: a BK changed to K, a note, a reload that loses
nothing), marks the essays beside the model answers (one BK), sees the roll-up KUK → unit, confirms K/BK per unit
in FR.AK.02 as the evidence fills it in, and signs it. Screenshots go to test-artifacts/."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from kompeten.assessment import observation, rollup
from kompeten.assessment import written_test as WT
from kompeten.assessment.models import AssessmentPlan, WrittenAnswer, WrittenAttempt
from kompeten.assessment.selectors import assessment_record
from kompeten.cases.models import Case
from kompeten.events.models import AssessmentEvent, EventAssessor
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ESSAY = "HTML memberi struktur halaman, CSS mengatur tampilan, dan JavaScript menambah perilaku interaktif."
NOTE = "Asesi menyiapkan lingkungan kerja sesuai instruksi."
ESSAY_NOTE = "Belum menyebut validasi di sisi server."


@pytest.fixture
def day_case(scheme, site, admin_user, assessor, candidate, muk):
    """The candidate, checked in, on the day of an event whose approved plan holds the observation checklist
    (IA.01) and the written test (IA.05 multiple choice, IA.06 essays) — as tests/assessment builds it."""
    start = timezone.now() - dt.timedelta(hours=1)
    event = AssessmentEvent.objects.create(number="JUK-E2E-001", scheme=scheme, site=site, starts_at=start,
                                           ends_at=start + dt.timedelta(hours=8), status="published",
                                           created_by=admin_user)
    EventAssessor.objects.create(event=event, assessor=assessor, letter_number="ST/001/2026", assigned_by=admin_user)
    plan = AssessmentPlan.objects.create(event=event, version=1, status="approved", submitted_by=assessor.user)
    plan.instrument_versions.set([v for v in muk if v.instrument.form in ("IA.01", "IA.05", "IA.06")])
    return Case.objects.create(number="PMH-2026-0701", candidate=candidate, scheme=scheme, event=event,
                               assessor=assessor, status="in_assessment")


def answer_choices(page, boxes, keys):
    """Tap the right option of each multiple-choice question and wait until each says it is saved."""
    for box in boxes:
        item = box.get_attribute("data-item")
        page.locator(f"label[for=q{item}_{keys[int(item)]}]").click()
    for box in boxes:
        expect(box.locator(".wt-saved")).to_have_text("tersimpan")


def test_written_test_observation_marking_and_ak02_on_a_phone(page, shot, day_case, candidate, assessor):
    case = day_case
    versions = {v.instrument.form: v for v in WT.written_versions(case)}
    keys = {i.pk: i.payload["key"] for i in versions["IA.05"].items.all()}
    essays = list(versions["IA.06"].items.all())
    clock = None
    try:
        # --- the candidate: from the case page to the written test -----------------------------------------
        login(page, candidate.email)
        page.goto(case.get_absolute_url())
        shot(page, "asesi-permohonan")
        page.get_by_role("link", name="Kerjakan tes tertulis").first.click()
        expect(page.locator("h1")).to_contain_text("Tes tertulis")
        expect(page.locator("main")).to_contain_text("120 menit")
        shot(page, "asesi-mulai-tes")
        page.get_by_role("button", name="Mulai tes tertulis").click()
        root = page.locator("#written-test")
        expect(root).to_be_visible()
        attempt = WrittenAttempt.objects.get(case=case)
        assert 119 * 60 <= int(root.get_attribute("data-seconds-left")) <= 120 * 60
        expect(page.locator("#wt-clock")).to_have_text(re.compile(r"^(2:00:00|1:59:\d\d)$"))
        # Nothing a candidate is sent carries a key or a model answer.
        html = page.content()
        assert '"key"' not in html and all(e.payload.get("answer", "")[:40] not in html for e in essays)

        mc = page.locator("fieldset.wt-question")
        expect(mc).to_have_count(len(keys))
        first_half = [mc.nth(i) for i in range(15)]
        answer_choices(page, first_half, keys)
        essay_box = page.locator(f"#q{essays[0].pk}")
        essay_box.fill(ESSAY)
        essay_box.press("Tab")  # leaving the field saves at once
        expect(page.locator(f".wt-question[data-item='{essays[0].pk}'] .wt-saved")).to_have_text("tersimpan")
        shot(page, "asesi-tes-berjalan")
        assert WrittenAnswer.objects.filter(attempt=attempt).exclude(saved_at=None).count() == 16

        # --- 35 minutes later by the server's clock, the page is reloaded ----------------------------------
        clock = time_machine.travel(timezone.now() + dt.timedelta(minutes=35), tick=True)
        clock.start()
        page.reload()
        left = int(page.locator("#written-test").get_attribute("data-seconds-left"))
        assert 85 * 60 - 180 <= left <= 85 * 60, left  # the server's deadline, not a fresh 120 minutes
        shown = page.locator("#wt-clock")
        expect(shown).to_have_text(re.compile(r"^1:2[2-5]:\d\d$"))
        before = shown.inner_text()
        expect(shown).not_to_have_text(before, timeout=5000)  # and it counts down
        # What was answered is still there.
        for box in first_half:
            item = box.get_attribute("data-item")
            expect(page.locator(f"#q{item}_{keys[int(item)]}")).to_be_checked()
        expect(page.locator(f"#q{essays[0].pk}")).to_have_value(ESSAY)
        folder = shot(page, "asesi-tes-setelah-muat-ulang").parent
        # On the phone the time left stays in sight while the candidate scrolls through the questions.
        mc.nth(20).scroll_into_view_if_needed()
        expect(shown).to_be_in_viewport()
        page.screenshot(path=str(folder / "04b-asesi-tes-digulir-layar.png"))

        # --- the test opened again in a second tab: the first tab's page no longer saves, and says so ------
        other = page.context.new_page()
        other.goto(page.url)
        expect(other.locator("#written-test")).to_be_visible()
        other.close()
        box = mc.nth(15)
        item = box.get_attribute("data-item")
        page.locator(f"label[for=q{item}_{(keys[int(item)] + 1) % 3}]").click()
        warning = page.locator("#wt-reload")
        expect(warning).to_be_visible()
        expect(warning).to_contain_text("Muat ulang halaman")
        expect(warning).to_contain_text("tidak berlaku")
        expect(box.locator(".wt-saved")).to_have_text("belum tersimpan — muat ulang halaman")
        assert WrittenAnswer.objects.get(attempt=attempt, item_id=int(item)).saved_at is None  # nothing saved
        shot(page, "asesi-tes-halaman-lama")
        expect(warning).to_be_in_viewport()  # on top, where the candidate is
        page.screenshot(path=str(folder / "05b-asesi-tes-halaman-lama-layar.png"))
        warning.get_by_role("button", name="Muat ulang halaman").click()
        expect(page.locator("#wt-reload")).to_be_hidden()
        mc = page.locator("fieldset.wt-question")

        # --- the candidate carries on and submits ----------------------------------------------------------
        answer_choices(page, [mc.nth(i) for i in range(15, len(keys))], keys)
        for e in essays[1:]:
            page.locator(f"#q{e.pk}").fill(f"{ESSAY} (soal {e.order})")
            page.locator(f"#q{e.pk}").press("Tab")
            expect(page.locator(f".wt-question[data-item='{e.pk}'] .wt-saved")).to_have_text("tersimpan")
        page.get_by_role("button", name="Kumpulkan tes tertulis").click()
        expect(page.locator(".alert-success").first).to_contain_text("Tes tertulis dikumpulkan")
        expect(page.locator("main")).to_contain_text("sudah dikumpulkan")
        attempt.refresh_from_db()
        assert attempt.status == "submitted" and not attempt.auto_submitted
        assert (attempt.mc_correct, attempt.mc_total) == (len(keys), len(keys))
        shot(page, "asesi-tes-dikumpulkan")

        # --- the assessor, on the same phone: the candidate's page of the day ------------------------------
        page.context.clear_cookies()
        login(page, assessor.user.email)
        page.goto(case.get_absolute_url())
        page.get_by_role("link", name=re.compile("Isi perangkat asesmen")).first.click()
        expect(page.locator("h1")).to_contain_text("Asesmen hari ini")
        expect(page.locator("li[data-state]", has_text="FR.IA.05")).to_have_attribute("data-state", "done")
        expect(page.locator("li[data-state]", has_text="FR.IA.06")).to_have_attribute("data-state", "not_started")
        shot(page, "asesor-asesmen-hari-ini")

        # FR.IA.01: one tap per item, saved at once; a BK changed to K; a note.
        page.locator("li[data-state]", has_text="FR.IA.01").get_by_role("link", name="Isi").click()
        ia01 = next(v for v in observation.plan_versions(case) if v.instrument.form == "IA.01")
        items = list(ia01.items.order_by("order", "id"))
        first = items[0]
        kbk = page.locator(f"#kbk-{first.pk}")
        kbk.get_by_role("button", name="BK", exact=True).click()
        expect(page.locator(f"#kbk-{first.pk}")).to_have_attribute("data-result", "BK")
        page.locator(f"#kbk-{first.pk}").get_by_role("button", name="K", exact=True).click()
        expect(page.locator(f"#kbk-{first.pk}")).to_have_attribute("data-result", "K")
        page.fill(f"#note-{first.pk}", NOTE)
        expect(page.locator(f"#saved-{first.pk}")).to_contain_text("Tersimpan")
        with page.expect_response(re.compile(r"/asesmen/simpan/$")):  # leaving the note saves it once more
            page.locator(f"#note-{first.pk}").blur()
        for item in items[1:4]:
            page.locator(f"#kbk-{item.pk}").get_by_role("button", name="K", exact=True).click()
            expect(page.locator(f"#kbk-{item.pk}")).to_have_attribute("data-result", "K")
        shot(page, "asesor-ia01-dicentang")
        page.reload()  # nothing is lost
        for item in items[:4]:
            expect(page.locator(f"#kbk-{item.pk}")).to_have_attribute("data-result", "K")
        expect(page.locator(f"#note-{first.pk}")).to_have_value(NOTE)
        # The rest of the checklist, one tap each, as the assessor goes through the day.
        for item in items[4:]:
            page.locator(f"#kbk-{item.pk}").get_by_role("button", name="K", exact=True).click()
            expect(page.locator(f"#kbk-{item.pk}")).to_have_attribute("data-result", "K")
        assert observation.state_of(case, ia01)["done"] == len(items)

        # FR.IA.06: each essay beside its model answer; the first marked BK with a note, the others K.
        page.goto(f"/asesmen/{case.pk}/asesmen/")
        page.locator("li[data-state]", has_text="FR.IA.06").get_by_role("link", name="Nilai jawaban esai").click()
        expect(page.locator("h1")).to_contain_text("Penilaian tes tertulis")
        answers = {a.item_id: a for a in WrittenAnswer.objects.filter(attempt=attempt, item__in=essays)}
        card = page.locator(f"#a{answers[essays[0].pk].pk}")
        expect(card).to_contain_text(ESSAY)
        expect(card).to_contain_text(essays[0].payload["answer"][:40])
        shot(page, "asesor-esai-berdampingan")
        for n, e in enumerate(essays):
            card = page.locator(f"#a{answers[e.pk].pk}")
            card.locator(f"label[for={'bk' if n == 0 else 'k'}{answers[e.pk].pk}]").click()
            if n == 0:
                card.locator("input[name=note]").fill(ESSAY_NOTE)
            card.get_by_role("button", name="Simpan").click()
            expect(page.locator(".alert-success").first).to_contain_text("Penilaian esai tersimpan")
        marks = dict(WrittenAnswer.objects.filter(attempt=attempt, item__in=essays).values_list("item_id", "mark"))
        assert marks == {e.pk: "BK" if n == 0 else "K" for n, e in enumerate(essays)}
        expect(page.locator(f"#a{answers[essays[0].pk].pk} input[name=note]")).to_have_value(ESSAY_NOTE)
        shot(page, "asesor-esai-dinilai")

        # The roll-up: every KUK has evidence; the units covered by the BK essay are BK.
        rolled = rollup.rollup(case)
        expected = {row["unit"].pk: row["result"] for row in rolled["units"]}
        assert set(expected.values()) == {"K", "BK"} and rolled["overall"] == "BK"
        page.goto(f"/asesmen/{case.pk}/asesmen/")
        for uid, result in expected.items():
            expect(page.locator(f"#unit-{uid} .badge").first).to_have_text(result)
        shot(page, "asesor-rekap-per-unit")

        # --- FR.AK.02: filled from the evidence, confirmed per unit, signed ---------------------------------
        page.get_by_role("link", name="Konfirmasi K/BK per unit (FR.AK.02)").click()
        expect(page.locator("h1")).to_contain_text("FR.AK.02")
        for uid, result in expected.items():
            expect(page.locator(f"input[name=u{uid}_result][value={result}]")).to_be_checked()
            # The methods are those the evidence came from: the observation, and the written test.
            expect(page.locator(f"input[name=u{uid}_methods][value=observasi]")).to_be_checked()
            expect(page.locator(f"input[name=u{uid}_methods][value=tertulis]")).to_be_checked()
            expect(page.locator(f"[data-unit-evidence='{uid}']")).to_contain_text(result)
        page.fill("textarea[name=comments]", "Unit pemrograman berbasis teks perlu diulang; unit lain kompeten.")
        shot(page, "asesor-ak02")
        # A BK unit needs the follow-up written down: refused next to the field, nothing recorded.
        page.get_by_role("button", name="Tandatangani dan simpan FR.AK.02").click()
        expect(page.locator("[name=follow_up]")).to_have_class(re.compile("is-invalid"))
        expect(page.locator(".invalid-feedback", has_text="tindak lanjut")).to_be_visible()
        assert assessment_record(case) is None
        page.fill("[name=follow_up]", "Asesmen ulang unit yang BK dengan tugas praktik dan tanya jawab.")
        page.get_by_role("button", name="Tandatangani dan simpan FR.AK.02").click()
        expect(page.locator(".alert-success").first).to_contain_text("FR.AK.02 tersimpan")
        case.refresh_from_db()
        assert case.status == "assessed"
        record = assessment_record(case)
        assert record.overall == "BK"
        assert {r.unit_id: r.result for r in record.units.all()} == expected
        shot(page, "asesor-ak02-ditandatangani")
    finally:
        if clock is not None:
            clock.stop()
