"""The approval page (审核确认) in a real browser: an area operator approves its month with the
button, and the page fits a phone (390×844: its tables scroll inside their ``table-scroll`` box).
``RENEWAL_SCREENSHOTS=<dir>`` saves the page at 1920×1080 and 1366×768 (issue 17's screenshots)."""

import datetime as dt
import os
from pathlib import Path

import pytest

from renewal.reporting import selectors
from renewal.reporting.services import month_approve, month_return

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
URL = "/reporting/approval/?month=2024-08"


def login(page, base, user):
    page.goto(base + "/accounts/login/?next=" + URL)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "x-test-pass-1")
    page.click("button:has-text('登录')")
    page.wait_for_url("**" + URL)


def test_the_operator_approves_its_month_and_the_page_fits_a_phone(live_server, browser, people):
    aug = dt.date(2024, 8, 1)
    # a step in the log: the city returned a first approval
    month_approve(user=people["op_nanhu"], area="330402", month=aug)
    month_return(user=people["city_reviewer"], area="330402", month=aug, reason="NH-1 投资额待核实")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        login(page, live_server.url, people["op_nanhu"])
        assert "退回" in page.inner_text("main") and "NH-1 投资额待核实" in page.inner_text("main")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        page.click("button:has-text('审核本月')")
        page.wait_for_url("**" + URL)
        assert "区县已审核" in page.inner_text("main")
        assert selectors.approval_state("330402", aug) == "区县已审核"
        shots = os.environ.get("RENEWAL_SCREENSHOTS")
        if shots:
            for w, h in ((1920, 1080), (1366, 768)):
                page.set_viewport_size({"width": w, "height": h})
                page.screenshot(path=str(Path(shots) / f"approval-area-{w}x{h}.png"), full_page=True)
            login_city = context.new_page()
            login(login_city, live_server.url, people["city_reviewer"])
            for w, h in ((1920, 1080), (1366, 768)):
                login_city.set_viewport_size({"width": w, "height": h})
                login_city.screenshot(path=str(Path(shots) / f"approval-city-{w}x{h}.png"), full_page=True)
    finally:
        context.close()
