"""Who sees and imports which park records: an area operator of 南湖 cannot see or name 海宁's park
(404 on its page, the same row error as an unknown code in a sheet), an enterprise user reads its
own membership and rating and imports nothing."""

import io

import pytest

from renewal.accounts.scope import scope_for
from renewal.exchange.registry_exports import registry_export
from renewal.parks.models import Park, SmartParkItem
from tests.exchange import files as F
from tests.factories import USCC_HAINING, USCC_NANHU

from . import data as D
from .conftest import NANHU, lines

pytestmark = pytest.mark.django_db


def test_an_area_operator_imports_only_its_areas_parks(people, run_import, tmp_path):
    op = people["op_nanhu"]
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"园区": [D.PARK_NH, D.PARK_HN]}), user=op, scope=NANHU)
    assert lines(report) == [
        "园区, 第3行, 所属区域: 该行属于海宁市，超出您的权限范围（您只能导入南湖区的数据）"
    ]
    assert Park.objects.count() == 0
    report = run_import(F.xlsx(tmp_path / "b.xlsx", {"园区": [D.PARK_NH]}), user=op, scope=NANHU)
    assert report.committed, lines(report)
    assert Park.objects.get().history.first().history_user == op


def test_another_areas_park_reads_as_unknown_to_an_area_operator(parks, run_import, tmp_path):
    op = parks["op_nanhu"]
    claimed = {"园区": [["HN-P1", "改名", "南湖区", "省级", "其他", None]]}  # 海宁's code, for 南湖
    report = run_import(F.xlsx(tmp_path / "claimed.xlsx", claimed), user=op, scope=NANHU)
    assert lines(report) == [
        "园区, 第2行, 园区代码: 园区 HN-P1 无权操作（园区代码已被使用，请核对，或联系市级管理员）"
    ]
    sheets = {
        "园区企业": [["HN-P1", USCC_NANHU]],
        "智慧园区建设": [["HN-P1", "视频监控", "计划", None, None, None]],
        "绿色园区": [["HN-P1", "低碳园区", "申报", 2024]],
        "企业环保绩效评级": [[USCC_HAINING, "B级", 2024]],
    }
    report = run_import(F.xlsx(tmp_path / "a.xlsx", sheets), user=op, scope=NANHU)
    assert lines(report) == [
        "园区企业, 第2行, 园区代码: 园区 HN-P1 未登记或无权操作，且不在本文件的“园区”表中",
        "智慧园区建设, 第2行, 园区代码: 园区 HN-P1 未登记或无权操作，且不在本文件的“园区”表中",
        "绿色园区, 第2行, 园区代码: 园区 HN-P1 未登记或无权操作，且不在本文件的“园区”表中",
        "企业环保绩效评级, 第2行, 统一社会信用代码: 企业 "
        + USCC_HAINING
        + " 未登记或无权操作，且不在本文件的“企业”表中",
    ]
    assert Park.objects.get(code="HN-P1").name == "海宁高新区"
    assert SmartParkItem.objects.filter(park__code="HN-P1").count() == 1


def test_an_area_operator_opens_its_own_park_and_not_another_areas(parks, client):
    client.force_login(parks["op_nanhu"])
    assert client.get("/parks/NH-P1/").status_code == 200
    assert client.get("/parks/HN-P1/").status_code == 404
    assert client.get("/parks/NONE/").status_code == 404
    page = client.get("/parks/").content.decode()
    assert "南湖经济开发区" in page and "海宁高新区" not in page
    listed = client.get("/registry/parks/").content.decode()
    assert "NH-P1" in listed and "HN-P1" not in listed
    client.force_login(parks["op_haining"])
    assert client.get("/parks/HN-P1/").status_code == 200


def test_exports_hold_the_callers_records_only(parks):
    nanhu = scope_for(parks["op_nanhu"])
    assert registry_export(io.BytesIO(), kind="parks", scope=nanhu) == 2
    assert registry_export(io.BytesIO(), kind="smart-park-items", scope=nanhu) == 2
    enterprise = scope_for(parks["enterprise"])
    assert registry_export(io.BytesIO(), kind="parks", scope=enterprise) == 0
    assert registry_export(io.BytesIO(), kind="enterprise-ratings", scope=enterprise) == 1
    assert registry_export(io.BytesIO(), kind="park-members", scope=enterprise) == 1


def test_an_enterprise_user_reads_its_own_membership_and_rating_and_imports_nothing(
    parks, client, run_import, tmp_path
):
    user = parks["enterprise"]
    client.force_login(user)
    ratings = client.get("/registry/ratings/").content.decode()
    assert USCC_NANHU in ratings and USCC_HAINING not in ratings
    members = client.get("/registry/park-members/").content.decode()
    assert "南湖化工园区" in members and "海宁高新区" not in members
    report = run_import(
        F.xlsx(tmp_path / "a.xlsx", {"企业环保绩效评级": [[USCC_NANHU, "A级", 2024]]}),
        user=user,
        scope=scope_for(user),
    )
    assert not report.committed
    assert report.fatal.startswith("当前用户无权导入数据")
