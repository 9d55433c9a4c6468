"""End-to-end tests drive a real headless Chromium (Debian's /usr/bin/chromium) with Playwright.

They are skipped — with the reason shown — only when that browser is not installed; Playwright
never downloads a browser of its own.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = os.path.exists(CHROMIUM)


@pytest.fixture(scope="session")
def browser():
    if not HAVE_CHROMIUM:
        pytest.skip("headless Chromium is not installed (Debian package chromium)")
    # Playwright runs an event loop in this thread; the ORM calls of the test itself are safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    p = context.new_page()
    yield p
    context.close()
