"""The park pages per role: city and area users open /parks/ (the viewer: the figures only, no
park record), a park's page and the drill-downs are for the roles that read records; every table
scrolls inside ``table-scroll`` (the page must not overflow at 390 px)."""

import re
from decimal import Decimal

import pytest

from tests.equipment import data as E

pytestmark = pytest.mark.django_db

INDEX = {
    "city_admin": 200,
    "city_reviewer": 200,
    "viewer": 200,
    "op_nanhu": 200,
    "op_haining": 200,
    "enterprise": 403,
    "unit": 403,
    "outsider": 403,
}
RECORDS = {**INDEX, "viewer": 403}


@pytest.mark.parametrize(("who", "status"), INDEX.items())
def test_the_park_index_per_role(parks, client, who, status):
    client.force_login(parks[who])
    response = client.get("/parks/")
    assert response.status_code == status
    page = response.content.decode()
    if status == 200:
        assert "未设定量目标" in page and "暂无亩均数据" in page
        assert ('href="/parks/"' in page) is True  # the header's link 园区
        assert ("园区名录" in page) is (who != "viewer")
        assert ("南湖经济开发区" in page) is (who in ("city_admin", "city_reviewer", "op_nanhu"))
    else:
        assert 'href="/parks/"' not in page


@pytest.mark.parametrize(("who", "status"), RECORDS.items())
def test_a_parks_page_and_a_drill_down_per_role(parks, client, who, status):
    client.force_login(parks[who])
    code = "HN-P1" if who == "op_haining" else "NH-P1"
    assert client.get(f"/parks/{code}/").status_code == status
    assert client.get("/parks/figures/brain/?as_of=2024-06-30").status_code == status


def test_a_visitor_not_signed_in_goes_to_the_login_page(parks, client):
    assert client.get("/parks/").status_code == 302


def test_the_park_page_shows_members_items_and_no_mujun(parks, client):
    client.force_login(parks["city_admin"])
    page = client.get("/parks/NH-P1/?as_of=2024-06-30").content.decode()
    assert "园区智慧大脑" in page and "低碳园区" in page and "暂无亩均数据" in page
    chem = client.get("/parks/NH-P2/").content.decode()
    assert "南湖测试机械有限公司" in chem and "待更新淘汰设备" in chem


def test_the_chemical_parks_list_their_members_renewal_candidates(parks, client):
    import datetime as dt

    from renewal.registry.models import Enterprise

    E.entry("1", "EXM-", effective_on=dt.date(2020, 1, 1))
    nanhu = Enterprise.objects.get(uscc=parks["NH"].enterprise.uscc)
    E.item(nanhu, "SB-9", "EXM-100")  # a member of the chemical park NH-P2
    E.item(
        Enterprise.objects.get(uscc=parks["HN"].enterprise.uscc), "SB-8", "EXM-200"
    )  # 海宁: no chemical park
    E.item(nanhu, "SB-10", "EXM-300", original_value=Decimal(250_000))
    client.force_login(parks["city_admin"])
    page = client.get("/parks/").content.decode()
    # the index: per chemical park, its enterprises, items and 原值 (10万 + 25万 = 35.00万元)
    row = re.search(r"南湖化工园区</a></td>(.*?)</tr>", page).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["1", "2", "35.00"]
    assert "SB-9" not in page  # item by item on the park's page
    chem = client.get("/parks/NH-P2/").content.decode()
    assert "SB-9" in chem and "SB-10" in chem and "SB-8" not in chem
    # an operator of 海宁 sees no chemical park of 南湖
    client.force_login(parks["op_haining"])
    assert "南湖化工园区" not in client.get("/parks/").content.decode()


def test_bad_dates_are_said_in_chinese(parks, client):
    client.force_login(parks["city_admin"])
    response = client.get("/parks/?as_of=2024-13-01")
    assert response.status_code == 400 and "无法识别" in response.content.decode()


@pytest.mark.parametrize("url", ["/parks/", "/parks/NH-P2/", "/parks/figures/a_level/", "/registry/parks/",
                                 "/registry/park-members/", "/registry/smart-parks/", "/registry/green-parks/",
                                 "/registry/ratings/"])  # fmt: skip
def test_every_table_scrolls_inside_its_box(parks, client, url):
    client.force_login(parks["city_admin"])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    tables = page.count("<table")
    assert tables and len(re.findall(r'<div class="table-scroll">\s*<table', page)) == tables
