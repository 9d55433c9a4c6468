"""An enterprise user sees its own records, the policy calculator and the public catalogues — not the
internal monthly bulletin, the ranking of the areas or the figures of the cockpit (closed by
default: ``accounts.scope.FIGURE_ROLES``). Refusals are 403 with the reason in Chinese, and no
header link, tab or button leads to a page that would refuse it."""

import pytest
from django.urls import reverse

from renewal.accounts.tokens import token_create
from renewal.reports.models import Bulletin

pytestmark = pytest.mark.django_db

MONTH = "2024-08"


@pytest.fixture
def enterprise(client, people):
    client.force_login(people["enterprise"])
    return client


def refused(response, reason: str) -> None:
    assert response.status_code == 403, (response.status_code, response.content[:300])
    assert f"您的角色（企业用户）{reason}" in response.content.decode()


def header(client, url="/") -> str:
    return client.get(url).content.decode().split('<nav class="topnav">')[1].split("</nav>")[0]


def test_an_enterprise_user_gets_403_on_the_bulletin_list(enterprise):
    refused(enterprise.get(reverse("reports:bulletins")), "不查看内部月度通报")


def test_an_enterprise_user_gets_403_on_a_bulletin_file(enterprise, people):
    b = Bulletin.objects.create(month=MONTH, status=Bulletin.Status.DONE, files=["月度通报-2024-08.docx"])
    refused(enterprise.get(reverse("reports:bulletin_file", args=[b.pk, b.files[0]])), "不查看内部月度通报")


def test_an_enterprise_user_gets_403_on_the_ranking_and_its_export(enterprise):
    refused(enterprise.get(reverse("assessment:ranking"), {"month": MONTH}), "不查看考核排名")
    refused(enterprise.get(reverse("assessment:export"), {"month": MONTH}), "不查看考核排名")


def test_an_enterprise_user_gets_403_json_in_chinese_from_the_ranking_and_indicator_api(client, people):
    headers = {"Authorization": f"Bearer {token_create(user=people['enterprise'])[1]}"}
    for url, reason in [
        ("/api/v1/assessment?year=2024&as_of=2024-08-31", "不查看考核排名"),
        ("/api/v1/indicators?year=2024", "不查看驾驶舱和各区域的汇总指标"),
    ]:
        r = client.get(url, headers=headers)
        assert r.status_code == 403, (url, r.status_code)
        assert r.json()["detail"] == f"您的角色（企业用户）{reason}"


def test_an_enterprise_user_reads_its_own_records_the_calculator_and_the_catalogues(enterprise):
    page = enterprise.get(reverse("lists:project_list"))
    assert page.status_code == 200 and "NH-1" in page.content.decode() and "HN-1" not in page.content.decode()
    for url in [reverse("settlement:calculator"), reverse("reports:products"), reverse("reports:providers")]:
        assert enterprise.get(url).status_code == 200, url


def test_the_header_of_an_enterprise_user_links_only_what_it_may_open(enterprise):
    nav = header(enterprise)
    for label in ("项目流程", "公开目录", "政策计算器", "数据导入导出"):
        assert label in nav
    for label in ("驾驶舱", "考核排名", "方案起草", "报送督办", "任务报送"):
        assert label not in nav


def test_the_calculator_shows_an_enterprise_user_no_simulation_or_settlement_tab(enterprise, client, people):
    text = enterprise.get(reverse("settlement:calculator")).content.decode()
    assert "企业政策计算器" in text and "政策模拟测算" not in text and "补助核定与兑现" not in text
    client.force_login(people["city_reviewer"])
    text = client.get(reverse("settlement:calculator")).content.decode()
    assert "政策模拟测算" in text and "补助核定与兑现" in text


def test_only_a_role_that_may_generate_a_bulletin_sees_the_button(client, people):
    for who, shown in [("city_admin", True), ("city_reviewer", True), ("viewer", False), ("op_nanhu", False)]:
        client.force_login(people[who])
        text = client.get(reverse("assessment:ranking"), {"month": MONTH}).content.decode()
        assert ("月度通报（Word / Excel / PDF）" in text) is shown, who
        assert client.get(reverse("reports:bulletins")).status_code == 200
        assert (
            'action="/reports/bulletins/new/"' in client.get(reverse("reports:bulletins")).content.decode()
        ) is shown
        assert client.post(reverse("reports:bulletin_request"), {"month": "bad"}).status_code == (
            302 if shown else 403
        ), who


def test_only_the_city_administrator_sees_plan_drafting_in_the_header(client, people):
    for who in ("city_admin", "city_reviewer", "viewer", "op_nanhu", "unit"):
        client.force_login(people[who])
        assert ("方案起草" in header(client)) is (who == "city_admin"), who
        assert client.get(reverse("drafting:index")).status_code == (200 if who == "city_admin" else 403)
