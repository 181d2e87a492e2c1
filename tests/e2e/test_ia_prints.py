"""The IA prints on a phone: after an upheld appeal reopened the assessment, the assessor's page shows the current
round's instruments with their prints and the earlier round read-only with its own; the candidate's case page
offers their answer sheets. Each print opens as a PDF. Screenshots in test-artifacts/."""

import pytest
from playwright.sync_api import expect

from tests.assessment.conftest import event, make_case  # noqa: F401 (fixtures)
from tests.assessment.test_rounds import plan, reopened  # noqa: F401 (fixtures)
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _opens_as_pdf(pg, href):
    r = pg.request.get(href)
    assert r.status == 200 and r.headers["content-type"] == "application/pdf", href
    assert r.body()[:5] == b"%PDF-"


def test_rounds_and_prints_on_a_phone(page, shot, reopened, assessor, candidate):  # noqa: F811
    case = reopened
    login(page, assessor.user.email)
    page.goto(f"/asesmen/{case.pk}/asesmen/")
    expect(page.get_by_text("putaran asesmen 2")).to_be_visible()
    earlier = page.locator('section[data-round="1"]')
    expect(earlier).to_be_visible()
    shot(page, "asesor-putaran-2")
    current = page.locator('a[href$="/putaran-2.pdf"]')
    assert current.count() >= 3
    _opens_as_pdf(page, current.first.get_attribute("href"))
    old = earlier.locator('a[href$="/putaran-1.pdf"]')
    assert old.count() == current.count()
    _opens_as_pdf(page, old.first.get_attribute("href"))

    page.context.clear_cookies()
    login(page, candidate.email)
    page.goto(case.get_absolute_url())
    mine = page.locator('[data-round] a[href$=".pdf"]')
    expect(mine.first).to_be_visible()
    shot(page, "asesi-lembar-jawaban")
    hrefs = [mine.nth(i).get_attribute("href") for i in range(mine.count())]
    assert hrefs and all("putaran-1.pdf" in h for h in hrefs)  # round 1's answer sheets (round 2 not taken yet)
    for href in hrefs:
        _opens_as_pdf(page, href)
