"""The viewer (领导/观察员, 只读用户) reads aggregated figures only: the cockpit, the area matrix, a
target's figures, the ranking, bulletins, the public catalogues and the calculator — never a record
(lists, details, exports of records, history, the import page, settlement records, the cockpit's
drill-down to records, the registry API). Refusals are 403 with the reason in Chinese."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from renewal.accounts.scope import scope_for
from renewal.accounts.tokens import token_create
from renewal.registry.models import Enterprise, MonthlyProgress, Project

pytestmark = pytest.mark.django_db

REASON = "只查看汇总数据"
Q = {"year": 2024, "as_of": "2024-12-31"}


@pytest.fixture
def viewer(client, people):
    client.force_login(people["viewer"])
    return client


def bearer(people, who="viewer") -> dict:
    return {"Authorization": f"Bearer {token_create(user=people[who])[1]}"}


def refused(response) -> str:
    assert response.status_code == 403, (response.status_code, response.content[:300])
    text = response.content.decode()
    assert REASON in text and "只读用户" in text
    return text


def test_a_viewer_gets_403_on_the_project_list(viewer):
    refused(viewer.get(reverse("lists:project_list")))


def test_a_viewer_gets_403_on_every_record_page(viewer, people):
    nh = Project.objects.get(code="NH-1")
    for url in [
        reverse("lists:enterprise_list"),
        reverse("lists:honour_list"),
        reverse("lists:first_set_list"),
        reverse("lists:statistic_list"),
        reverse("registry:project_detail", args=["NH-1"]),
        reverse("audit:history", args=["registry.project", nh.pk]),
        reverse("exchange:upload"),
        reverse("indicators:records_export", args=["T1.projects"]) + "?year=2024",
    ]:
        refused(viewer.get(url))


def test_a_viewer_cannot_post_to_a_project(viewer):
    for name, data in [
        ("registry:project_transition", {"to": "竣工"}),
        ("reporting:progress_report", {"month": "2024-08", "investment": "1"}),
        ("registry:project_delete", {"reason": "重复"}),
    ]:
        refused(viewer.post(reverse(name, args=["NH-1"]), data))
    assert Project.objects.get(code="NH-1").status == "在建"
    assert not MonthlyProgress.objects.exists()


def test_a_viewer_gets_403_json_in_chinese_from_the_registry_api(client, people):
    headers = bearer(people)
    for url in [
        "/api/v1/projects",
        "/api/v1/projects/NH-1",
        "/api/v1/projects/NH-1/progress",
        "/api/v1/projects/NH-1/transitions",
        "/api/v1/enterprises",
        f"/api/v1/enterprises/{Enterprise.objects.get(area_id='330402').uscc}",
    ]:
        r = client.get(url, headers=headers)
        assert r.status_code == 403, (url, r.status_code)
        assert REASON in r.json()["detail"]
    # the figures stay open to it
    r = client.get("/api/v1/indicators?year=2024", headers=headers)
    assert r.status_code == 200 and r.json()["items"]
    assert client.get("/api/v1/workflow", headers=headers).status_code == 200


def test_a_viewer_gets_403_on_the_export_of_projects_and_every_other_list(viewer):
    for kind in ["projects", "progress", "enterprises", "honours", "first-sets", "statistics"]:
        r = viewer.get(reverse("exchange:export", args=[kind]))
        refused(r)
        assert "Content-Disposition" not in r


def test_a_viewer_gets_403_on_the_cockpit_records_page(viewer):
    for area in ("", "330402"):
        url = reverse("indicators:records", args=["T1.projects"])
        text = refused(viewer.get(url, {**Q, "area": area}))
        assert "NH-1" not in text


def test_a_viewer_gets_403_on_the_overdue_list_and_settlement_records(viewer):
    for url in [
        reverse("reporting:overdue") + "?month=2024-08",
        reverse("reporting:overdue_export") + "?month=2024-08",
    ]:
        assert viewer.get(url).status_code == 403
    for url in [reverse("settlement:home"), reverse("settlement:records_export") + "?year=2024"]:
        r = viewer.get(url)
        assert r.status_code == 403 and "仅市级管理员或审核员可使用此功能" in r.content.decode()


def test_a_viewer_reads_the_cockpit_and_every_aggregate_page(viewer):
    assert viewer.get(reverse("indicators:cockpit"), Q).status_code == 200
    for url in [
        reverse("indicators:matrix"),
        reverse("indicators:target", args=["T1.projects"]),
        reverse("indicators:export"),
        reverse("assessment:ranking"),
        reverse("reports:bulletins"),
        reverse("reports:products"),
        reverse("settlement:calculator"),
        reverse("reporting:tasks") + "?month=2024-08&n=1",
    ]:
        r = viewer.get(url, Q)
        assert r.status_code == 200, (url, r.status_code)


def records_links(text: str) -> list[str]:
    return re.findall(r'href="(/cockpit/targets/[^/"]+/records/[^"]*)"', text)


def test_the_cockpit_links_records_only_where_the_user_may_open_them(client, people):
    target = reverse("indicators:target", args=["T1.projects"])
    matrix = reverse("indicators:matrix")
    client.force_login(people["viewer"])
    for url in (target, matrix):
        text = client.get(url, Q).content.decode()
        assert "完成率" in text and records_links(text) == [] and "查看明细" not in text
    client.force_login(people["city_reviewer"])
    links = records_links(client.get(target, Q).content.decode())
    assert len(links) == 1 + 9 + 1  # the city row, every area, and 全市明细 in the title
    for link in links[:2]:
        assert client.get(link.replace("&amp;", "&")).status_code == 200
    client.force_login(people["op_nanhu"])
    for url in (target, matrix):
        links = records_links(client.get(url, Q).content.decode())
        assert links and all(link.endswith("area=330402") for link in links)
        assert client.get(links[0].replace("&amp;", "&")).status_code == 200


def test_the_header_of_a_viewer_links_no_record_page(viewer, client, people):
    text = viewer.get(reverse("indicators:cockpit"), Q).content.decode()
    nav = text.split('<nav class="topnav">')[1].split("</nav>")[0]
    assert "驾驶舱" in nav and "考核排名" in nav and "任务报送" in nav
    for label in ("项目流程", "登记库", "数据导入导出", "报送督办"):
        assert label not in nav
    client.force_login(people["op_nanhu"])
    nav = client.get(reverse("indicators:cockpit"), Q).content.decode().split('<nav class="topnav">')[1]
    assert all(
        label in nav.split("</nav>")[0] for label in ("项目流程", "登记库", "数据导入导出", "报送督办")
    )


def test_the_viewers_scope_holds_no_record_but_the_citys_breadth(people):
    scope = scope_for(people["viewer"])
    assert Project.objects.count() == 2
    assert scope.is_city and not scope.sees_records and not scope.sees_all_records
    assert not scope.filter_records(Project.objects.all()).exists()
    assert not scope.filter_by_enterprise(Enterprise.objects.all(), "uscc", "area_id").exists()
    assert not any(scope.can_see(p) for p in Project.objects.all())
    assert not scope.covers(area="330402")
    reviewer = scope_for(people["city_reviewer"])
    assert reviewer.sees_all_records and reviewer.filter_records(Project.objects.all()).count() == 2


def test_the_export_command_refuses_a_viewer(people, tmp_path):
    with pytest.raises(CommandError, match=REASON):
        call_command("export", "projects", "-o", str(tmp_path / "p.xlsx"), "--user", "viewer")
    assert not (tmp_path / "p.xlsx").exists()


def test_a_staff_viewer_sees_no_registry_record_in_the_admin(client, people):
    v = people["viewer"]
    v.is_staff = True
    v.save()
    assert not v.has_perm("registry.view_project")
    client.force_login(v)
    assert client.get("/admin/registry/project/").status_code == 403
