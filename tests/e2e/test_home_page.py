import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_home_page_shows_the_plan_in_a_real_browser(live_server, page, loaded_plan):
    page.goto(live_server.url + "/")
    assert page.title().startswith("嘉兴市推进制造业领域大规模设备更新专项行动实施方案")
    assert page.locator("h1").inner_text() == "嘉兴市推进制造业领域大规模设备更新专项行动实施方案"
    # every clause that has targets shows them: 24 target rows in the clause tables
    assert page.locator("table.grid tbody tr td.num").count() >= 24
    # the stylesheet is served locally and applied (the header bar is dark blue, not default white)
    colour = page.eval_on_selector("header.topbar", "el => getComputedStyle(el).backgroundImage")
    assert "linear-gradient" in colour
