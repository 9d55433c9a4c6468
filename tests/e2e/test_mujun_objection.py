"""The 亩均 objection flow in a real browser (P14): the area operator runs and publishes the
evaluation, an enterprise (R13, class D) objects on its score card, the operator accepts with a
corrected row, the enterprise's class changes to A, the city confirms after the window, and the
frozen result keeps both versions."""

import pytest
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.mujun.models import Evaluation, Objection
from tests.factories import user
from tests.mujun import cases as C
from tests.mujun.conftest import area, row  # noqa: F401 - the hand-computed area

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NANHU = "330402"


def login(browser, live_server, username, next_url, landing=None):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "x-test-pass-1")
    page.click("button:has-text('登录')")
    page.wait_for_url(f"**{landing or next_url}")
    return context, page


def test_an_objection_accepted_changes_the_class_and_both_versions_are_kept(live_server, browser, area):  # noqa: F811
    user("ent-r13", Role.ENTERPRISE, enterprise_uscc=C.uscc(20))
    url = f"/mujun/{NANHU}/2024/"
    ctx, op = login(browser, live_server, "op-330402", url)
    try:
        op.click("button:has-text('运行评价')")
        op.wait_for_selector("text=第1版 · 审核中")
        op.uncheck("input[name=public_classes][value=B]")
        op.uncheck("input[name=public_classes][value=C]")
        op.click("button:has-text('审核通过，发布公示')")
        op.wait_for_selector("text=已发布公示")
        assert "mj-D" in op.inner_html("tr:has-text('R13')")

        ectx, ent = login(browser, live_server, "ent-r13", "/mujun/mine/")
        try:
            ent.wait_for_selector("text=区域内排名")
            assert "20" in ent.inner_text(".mj-kpis") and "倒逼淘汰类" in ent.inner_text(".mj-kpis")
            ent.fill("textarea[name=reason]", "2024 年税收少计 150 万元，附完税证明")
            ent.click("button:has-text('提交异议')")
            ent.wait_for_selector("text=异议已提交")
            assert "待答复" in ent.inner_text("main")

            op.goto(live_server.url + url)
            op.click("a:has-text('答复')")
            op.fill("input[name=tax]", "185")
            op.fill("textarea[name=answer]", "经核实完税证明，采纳")
            op.click("button:has-text('采纳并更正数据')")
            op.wait_for_selector("text=已采纳异议")
            assert "mj-A" in op.inner_html("tr:has-text('R13')")
            assert "第2版 · 公示中" in op.inner_text("main")

            ent.reload()
            assert "优先发展类" in ent.inner_text(".mj-kpis") and "已采纳" in ent.inner_text("main")
        finally:
            ectx.close()

        # the 公示 window passes
        Evaluation.objects.filter(status="public").update(window_end=timezone.localdate().replace(year=2020))
        cctx, city = login(browser, live_server, "city-reviewer", url)
        try:
            city.click("button:has-text('确认评价结果')")
            city.wait_for_selector("text=已确认，结果已冻结")
            versions = city.inner_text("section:has-text('每次运行评价或采纳异议生成一个版本')")
            assert "第2版\t已确认" in versions and "第1版\t已被新版本替代" in versions
        finally:
            cctx.close()
    finally:
        ctx.close()
    v1, v2 = Evaluation.objects.order_by("version")
    assert (v1.status, v2.status) == ("superseded", "confirmed")
    assert v1.item(C.uscc(20))["class"] == "D" and v2.item(C.uscc(20))["class"] == "A"
    assert Objection.objects.get().result_id == v2.pk
