"""The park pages in a real browser at 390×844: nothing overflows the viewport (wide tables scroll
inside their ``table-scroll`` box)."""

import pytest

from tests.parks.conftest import parks, run_import  # noqa: F401 - the parks' data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_park_pages_fit_a_phone(live_server, browser, parks):  # noqa: F811 - fixtures
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/accounts/login/?next=/parks/")
        page.fill("input[name=username]", parks["city_admin"].username)
        page.fill("input[name=password]", "x-test-pass-1")
        page.click("button:has-text('登录')")
        page.wait_for_url("**/parks/")
        for url in ("/parks/", "/parks/NH-P1/", "/parks/figures/brain/", "/registry/smart-parks/"):
            page.goto(live_server.url + url + "?as_of=2024-06-30")
            assert "园区" in page.inner_text("main")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (url, width)
    finally:
        context.close()
