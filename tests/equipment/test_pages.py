"""The equipment pages (issue 14, items 3–5): the ledger and catalogue lists, the T9 candidates page
and its 督办 sheet — 200 for the city administrator, an area operator's own area only, an enterprise
its own, nothing for the viewer (it reads aggregates only)."""

import io

import pytest
from python_calamine import CalamineWorkbook

from renewal.equipment import services

from .conftest import D_DAY

pytestmark = pytest.mark.django_db

CANDIDATES = "/equipment/candidates/"
EXPORT = "/equipment/candidates.xlsx"


def page(client, user, url, params=None, status=200) -> str:
    client.force_login(user)
    response = client.get(url, params or {})
    assert response.status_code == status, url
    return response.content.decode()


def test_the_ledger_list_shows_each_role_its_own_records(client, ledger):
    text = page(client, ledger["city_admin"], "/registry/ledger/")
    assert "企业设备台账" in text and "EXM-700" in text and "ｅｘｍ－２００" in text
    assert 'class="active">设备台账</a>' in text
    text = page(client, ledger["op_haining"], "/registry/ledger/")
    assert "EXM-700" in text and "EXM-100" not in text
    text = page(client, ledger["city_admin"], "/registry/ledger/", {"status": "已淘汰", "area": "330402"})
    assert "EXM-300" in text and "EXM-100" not in text and "NH-2" in text
    page(client, ledger["viewer"], "/registry/ledger/", status=403)


def test_the_catalogue_list_shows_the_sample_with_its_badge_to_every_record_role(client, ledger):
    services.sample_catalogue_load()
    text = page(client, ledger["op_nanhu"], "/registry/elimination/")
    assert "示例淘汰目录（演示用，非真实目录）" in text and ">示例</span>" in text and "测试淘汰目录" in text
    text = page(client, ledger["enterprise"], "/registry/elimination/", {"q": "锅炉"})
    assert "示例燃煤工业锅炉" in text and "测试淘汰设备1" not in text


def test_the_candidates_page_gives_the_city_every_area_and_says_t9_sets_no_target(client, ledger):
    text = page(client, ledger["city_admin"], CANDIDATES, {"date": D_DAY.isoformat()})
    assert "T9 未设定量目标，本页为信息性指标" in text
    assert "南湖区" in text and "海宁市" in text and "20.0%" in text and "50.0%" in text
    assert "EXM-100" in text and "EXM-700" in text and "EXM-300" not in text  # renewed: not listed
    assert "共 5 台，原值合计 55.00 万元" in text  # A, D, I 10万 each, B 25万, H none


def test_an_area_operator_sees_its_own_area_whatever_it_asks(client, ledger):
    text = page(client, ledger["op_haining"], CANDIDATES, {"date": D_DAY.isoformat(), "area": "330402"})
    assert "EXM-700" in text and "EXM-100" not in text
    assert "海宁市" in text and "南湖区" not in text


def test_an_enterprise_sees_its_own_items_and_no_area_rate(client, ledger):
    text = page(client, ledger["enterprise"], CANDIDATES, {"date": D_DAY.isoformat()})
    assert "EXM-100" in text and "EXM-700" not in text
    assert "更新率（T9，未设目标）" not in text


def test_the_viewer_reads_no_records(client, ledger):
    page(client, ledger["viewer"], CANDIDATES, status=403)
    page(client, ledger["viewer"], EXPORT, status=403)
    page(client, ledger["viewer"], "/equipment/lines/", status=403)


def test_a_bad_date_is_said_in_chinese(client, ledger):
    text = page(client, ledger["city_admin"], CANDIDATES, {"date": "昨天"}, status=400)
    assert "无法识别" in text


def download(client, user, params) -> tuple[str, list[list]]:
    client.force_login(user)
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return response["Content-Disposition"], book.get_sheet_by_name("待更新淘汰设备").to_python()


def test_the_supervision_sheet_of_an_area_lists_its_candidates_in_wan(client, ledger):
    disposition, rows = download(client, ledger["city_admin"], {"area": "330402", "date": D_DAY.isoformat()})
    assert "filename*=UTF-8''" in disposition
    assert rows[0][:9] == ["区域", "企业名称", "统一社会信用代码", "设备编号", "设备名称", "规格型号", "设备类别", "状态", "原值(万元)"]  # fmt: skip
    assert [r[3] for r in rows[1:]] == ["A", "B", "D", "H"]
    b = rows[2]
    assert (b[0], b[7], b[8], b[14]) == ("南湖区", "停用", 25.0, "测试文号")
    _, rows = download(client, ledger["op_nanhu"], {"area": "330481", "date": D_DAY.isoformat()})
    assert [r[3] for r in rows[1:]] == ["A", "B", "D", "H"]  # its own area, not 海宁's
