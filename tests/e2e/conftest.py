"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Screenshots go to test-artifacts/ (git-ignored) so a person can look at what the test saw.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium")


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module: Playwright's sync API keeps an event loop running in this thread while it
    is open, which would break the asyncio-using code (PDF signing, async views) of tests collected after it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _password_only(settings):
    """Browser tests log staff in through the form as the demo does (second factor off, as in `make demo`);
    the second factor has its own tests (tests/security/test_mfa.py)."""
    settings.KOMPETEN_MFA_REQUIRED = False


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID",
                                  base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def desktop_page(browser, live_server):
    """A second, desktop-sized browser (1280×900) for staff screens; its own cookies."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID",
                                  base_url=live_server.url)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def shot(request):
    """shot(page, "name") saves a full-page screenshot under test-artifacts/<test name>/ and checks that
    the page does not overflow the screen sideways."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    count = {"n": 0}

    def take(pg, name):
        count["n"] += 1
        path = folder / f"{count['n']:02d}-{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        # Nothing may stick out sideways (wide tables scroll inside .table-responsive instead).
        wide = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 1, f"{name}: the page is {wide}px wider than the screen ({pg.url})"
        return path

    return take


def login(page, email, password="rahasia-123"):
    page.goto("/masuk/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("form button.btn-primary")
    page.wait_for_load_state("networkidle")
