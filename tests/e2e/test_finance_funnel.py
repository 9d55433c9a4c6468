"""The funnel (融资对接, P12) in a real browser: a city reviewer opens it, the trend chart draws,
a figure's link opens the records it sums; at 390×844 the finance pages do not overflow (wide
tables scroll inside their panel)."""

import pytest

from tests.finance import batch_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
world = batch_data.world
funnel_world = batch_data.funnel_world


def _login(page, url, username):
    page.goto(url + "/accounts/login/?next=/finance/%3Fas_of%3D2024-10-15")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x-test-pass-1")
    page.click("button:has-text('登录')")


def test_the_funnel_draws_and_drills_down(live_server, page, funnel_world):
    _login(page, live_server.url, funnel_world["city_reviewer"].username)
    page.wait_for_selector("#fin-trend canvas")
    main = page.inner_text("main")
    assert "数据日期：2024-09-30" in main and "1,800.00" in main
    page.locator(".fin-kpi", has_text="贴息测算").locator("a").click()
    page.wait_for_url("**/finance/records/subsidy/**")
    assert "GH-1" in page.inner_text("main") and "合计 2.16万元" in page.inner_text("main")


def test_the_funnel_fits_a_phone(live_server, browser, funnel_world):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        _login(page, live_server.url, funnel_world["city_admin"].username)
        page.wait_for_selector("#fin-trend canvas")
        for url in (
            "/finance/",
            "/finance/records/signed/",
            "/finance/batches/",
            "/finance/loans/",
            "/finance/loans/GH-1/",
        ):
            page.goto(live_server.url + url + "?as_of=2024-10-15")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (url, width)
    finally:
        context.close()
