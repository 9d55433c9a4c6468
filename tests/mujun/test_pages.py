"""The 亩均 pages (P14) as each role: the city's comparison, an area's class list and its ladder,
an enterprise's score card and objection, the answer page, the export and the public lists."""

import io

import openpyxl
import pytest
from django.utils import timezone

from renewal.accounts.models import Role
from renewal.mujun.models import Evaluation, Objection
from tests.factories import user

from . import cases as C

pytestmark = pytest.mark.django_db
NANHU = "330402"


@pytest.fixture
def world(area):
    area["r13"] = user("ent-r13", Role.ENTERPRISE, enterprise_uscc=C.uscc(20))
    return area


def as_(client, u):
    client.force_login(u)
    return client


def text(resp):
    return resp.content.decode()


def published(client, world):
    c = as_(client, world["op_nanhu"])
    c.post(f"/mujun/{NANHU}/2024/run/")
    c.post(f"/mujun/{NANHU}/2024/publish/", {"public_classes": ["A", "D"], "days": "7"})
    return Evaluation.objects.get(area_id=NANHU, year=2024, status="public")


def test_the_operator_runs_reviews_and_publishes_from_the_page(client, world):
    c = as_(client, world["op_nanhu"])
    page = text(c.get(f"/mujun/{NANHU}/2024/"))
    assert "本年度尚未运行评价" in page and "运行评价" in page
    c.post(f"/mujun/{NANHU}/2024/run/")
    page = text(c.get(f"/mujun/{NANHU}/2024/"))
    assert "第1版 · 审核中" in page and "审核通过，发布公示" in page
    # the hand-computed class list: P first with 114.00, R13 last in class D
    assert page.index(">P</a>") < page.index(">Q</a>") < page.index(">R13</a>")
    assert "114.00" in page and 'mj-D">D' in page
    only_d = text(c.get(f"/mujun/{NANHU}/2024/?class=D"))
    assert ">R13</a>" in only_d and ">P</a>" not in only_d
    c.post(f"/mujun/{NANHU}/2024/publish/", {"public_classes": ["A", "D"], "days": "7"})
    ev = Evaluation.objects.get(area_id=NANHU, year=2024)
    assert ev.status == "public" and (ev.window_end - ev.window_start).days == 6
    public = text(client.get("/mujun/public/?year=2024"))
    assert "A类（优先发展类，4 家）：</strong>P、Q、R01、R02" in public and "R13" in public
    assert "114" not in public and "B类" not in public


def test_who_is_refused(client, world):
    published(client, world)
    assert as_(client, world["op_haining"]).get(f"/mujun/{NANHU}/2024/").status_code == 403
    assert as_(client, world["r13"]).get(f"/mujun/{NANHU}/2024/").status_code == 403
    assert as_(client, world["viewer"]).get(f"/mujun/{NANHU}/2024/").status_code == 403
    viewer_index = as_(client, world["viewer"]).get("/mujun/?year=2024")
    assert viewer_index.status_code == 200 and f"/mujun/{NANHU}/2024/" not in text(viewer_index)
    # an enterprise user opens its own card only; another's is not found
    r13 = as_(client, world["r13"])
    assert r13.get(f"/mujun/card/{C.uscc(1)}/2024/").status_code == 404
    assert r13.post(f"/mujun/{NANHU}/2024/run/").status_code == 403


def test_the_enterprise_sees_its_card_objects_and_the_operator_accepts_with_a_corrected_row(client, world):
    published(client, world)
    r13 = as_(client, world["r13"])
    assert "2024年亩均效益综合评价" in text(r13.get("/mujun/mine/"))
    card = text(r13.get(f"/mujun/card/{C.uscc(20)}/2024/"))
    # 35万元 ÷ 100亩 = 0.35万元/亩 against 1万元/亩: 30 × 0.35 = 10.50 points; rank 20 of 20
    assert "0.4万元/亩" in card and "1.0万元/亩" in card and "10.50" in card and "/ 20 家" in card
    assert "提交异议" in card
    r13.post(f"/mujun/card/{C.uscc(20)}/2024/object/", {"reason": "税收少计 150万元"})
    obj = Objection.objects.get()
    assert "已有一件异议待答复" not in text(r13.get(f"/mujun/card/{C.uscc(20)}/2024/"))
    op = as_(client, world["op_nanhu"])
    form = text(op.get(f"/mujun/objections/{obj.pk}/"))
    assert 'name="tax" value="35"' in form
    figures = {"land_mu": "100", "tax": "185", "value_added": "1000", "revenue": "1000", "energy_tce": "1000",
               "emissions_t": "10", "rd_expense": "30", "employees": "100"}  # fmt: skip
    bad = op.post(
        f"/mujun/objections/{obj.pk}/", {**figures, "tax": "许多", "decision": "accept", "version": "1"}
    )
    assert "税收实际贡献：“许多”不是数字（万元）" in text(bad)
    op.post(
        f"/mujun/objections/{obj.pk}/",
        {**figures, "decision": "accept", "version": "1", "answer": "核实采纳"},
    )
    obj.refresh_from_db()
    assert obj.status == "accepted" and obj.result.version == 2
    card = text(as_(client, world["r13"]).get(f"/mujun/card/{C.uscc(20)}/2024/"))
    assert 'mj-A">A' in card and "第2版 · 公示中" in card and "已采纳" in card
    old = text(client.get(f"/mujun/card/{C.uscc(20)}/2024/?version=1"))
    assert 'mj-D">D' in old and "历史版本" in old


def test_the_city_confirms_after_the_window(client, world):
    ev = published(client, world)
    admin = as_(client, world["city_admin"])
    admin.post(f"/mujun/{NANHU}/2024/confirm/")
    ev.refresh_from_db()
    assert ev.status == "public"  # the window is still open
    Evaluation.objects.filter(pk=ev.pk).update(window_end=timezone.localdate().replace(year=2020))
    page = text(admin.get(f"/mujun/{NANHU}/2024/"))
    assert "确认评价结果" in page
    admin.post(f"/mujun/{NANHU}/2024/confirm/")
    ev.refresh_from_db()
    assert ev.status == "confirmed"
    index = text(admin.get("/mujun/?year=2024"))
    assert "第1版 · 已确认" in index and "20.0%" in index  # 4 A of 20


def test_the_export_lists_every_item_with_numbers(client, world):
    published(client, world)
    resp = as_(client, world["city_admin"]).get(f"/mujun/{NANHU}/2024/export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(resp.content))
    rows = list(book["分类名单"].values)
    assert rows[0][:5] == ("排名", "企业名称", "统一社会信用代码", "行业", "分类")
    assert len(rows) == 21 and rows[1][1] == "P" and rows[1][rows[0].index("总分(分)")] == 114
    assert rows[20][1] == "R13" and rows[20][4] == "D"


def test_absurd_years_and_versions_are_answered_not_sent_to_the_database(client, world):
    published(client, world)
    c = as_(client, world["city_admin"])
    assert c.get(f"/mujun/{NANHU}/99999999999/").status_code == 404
    assert c.get(f"/mujun/card/{C.uscc(20)}/99999999999/").status_code == 404
    page = c.get(f"/mujun/{NANHU}/2024/?version=99999999999999999999")
    assert page.status_code == 200 and "第1版 · 公示中" in text(page)
