"""An enterprise declares a project in a real browser: the form, one equipment line (the table's
rows added and removed by the page's script), an attachment, 提交申报 → 已申报."""

import pytest

from renewal.declaration.demo import sample_pdf
from renewal.registry.models import Project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_enterprise_declares_a_project_with_one_line(live_server, page, people, settings, tmp_path):
    settings.ATTACHMENTS_DIR = tmp_path / "attachments"
    page.goto(live_server.url + "/accounts/login/?next=/declaration/")
    page.fill("input[name=username]", people["enterprise"].username)
    page.fill("input[name=password]", "x-test-pass-1")
    page.click("button:has-text('登录')")
    page.click("text=新建项目申报")
    assert "南湖测试机械有限公司" in page.inner_text("main")

    page.fill("input[name=name]", "浏览器申报的数控化改造项目")
    page.check("input[name=types][value=技术改造]")
    page.fill("input[name=total_investment]", "1000")
    page.fill("input[name=equipment_investment]", "600")
    # the script adds a row and removes it again, keeping one
    page.click("#add-row")
    assert page.locator("#equipment tbody tr.eq-row").count() == 2
    page.locator("#equipment tbody tr.eq-row").nth(1).locator(".remove-row").click()
    assert page.locator("#equipment tbody tr.eq-row").count() == 1
    page.fill("input[name=eq-0-name]", "五轴数控机床")
    page.select_option("select[name=eq-0-category]", "数控机床")
    page.fill("input[name=eq-0-unit_price]", "150")
    page.fill("input[name=eq-0-quantity]", "2")
    page.fill("input[name=eq-0-acquired_on]", "2024-05-10")
    page.set_input_files(
        "input[name=file-0]",
        files=[
            {
                "name": "备案证明.pdf",
                "mimeType": "application/pdf",
                "buffer": sample_pdf("示例附件", ["示例附件"]),
            }
        ],
    )
    page.click("#submit")

    page.wait_for_url(live_server.url + "/declaration/")
    row = page.locator("tr", has_text="浏览器申报的数控化改造项目")
    assert "已申报" in row.inner_text()
    assert "已申报，等待区县审核" in page.inner_text("main")
    p = Project.objects.get(name="浏览器申报的数控化改造项目")
    assert p.status == "已申报" and p.equipment_lines.count() == 1 and p.attachments.count() == 1
