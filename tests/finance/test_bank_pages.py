"""A bank user's page and the per-bank files of a batch (P12): a bank sees what was pushed to it,
never another bank's list; the city sees every bank's file."""

import io

import openpyxl
import pytest

from renewal.finance import batches as B

from . import batch_data

pytestmark = pytest.mark.django_db
world = batch_data.world

HEADERS = [
    "批次",
    "推送日期",
    "项目编号",
    "项目名称",
    "企业名称",
    "统一社会信用代码",
    "所属区域",
    "联系人",
    "联系电话",
    "总投资(万元)",
    "设备投资(万元)",
    "贷款需求(万元)",
    "项目状态",
]


@pytest.fixture
def batches(world):
    """第一批: NH-E1 to icbc (bank A) and abc (bank B); 第二批: HN-E2 to abc (bank B) only; both pushed."""
    first = batch_data.pushed(world, "第一批", ["NH-E1"])
    second = batch_data.pushed(world, "第二批", ["HN-E2"])
    return {"first": first, "second": second}


def sheet(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["推送项目清单"]
    return [list(r) for r in book["推送项目清单"].iter_rows(values_only=True)]


def url(batch, bank):
    return f"/finance/batches/{batch.pk}/banks/{bank}.xlsx"


def test_the_bank_file_is_in_a_shape_a_bank_reads(client, world, batches):
    client.force_login(world["bank_a"])
    response = client.get(url(batches["first"], "icbc"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = sheet(response)
    assert rows[0] == HEADERS
    row = dict(zip(HEADERS, rows[1], strict=True))
    assert row["批次"] == "第一批" and row["推送日期"].date() == batches["first"].pushed_on
    assert row["项目编号"] == "NH-E1" and row["企业名称"] == "南湖测试机械有限公司"
    assert row["统一社会信用代码"] == "913304007429141869" and row["所属区域"] == "南湖区"
    assert row["联系人"] == "张三" and row["联系电话"] == "0573-8200001"
    assert (row["总投资(万元)"], row["设备投资(万元)"], row["贷款需求(万元)"]) == (3000, 1800, 1000)
    assert row["项目状态"] == "在建"
    assert len(rows) == 2


# who → (bank file of A in 第一批, of B in 第一批, of B in 第二批)
MATRIX = {
    "city_admin": (200, 200, 200),
    "city_reviewer": (200, 200, 200),
    "bank_a": (200, 404, 404),
    "bank_b": (404, 200, 200),
    "viewer": (403, 403, 403),
    "op_nanhu": (403, 403, 403),
    "enterprise": (403, 403, 403),
}


@pytest.mark.parametrize(("who", "expected"), MATRIX.items())
def test_a_bank_file_is_the_citys_or_that_banks(client, world, batches, who, expected):
    client.force_login(world[who])
    got = tuple(
        client.get(url(b, bank)).status_code
        for b, bank in ((batches["first"], "icbc"), (batches["first"], "abc"), (batches["second"], "abc"))
    )
    assert got == expected


def test_bank_a_learns_nothing_of_bank_bs_list(client, world, batches):
    client.force_login(world["bank_a"])
    # 第二批 has no icbc item: the same 404 as another bank's file
    assert client.get(url(batches["second"], "icbc")).status_code == 404
    assert client.get(url(batches["second"], "abc")).status_code == 404
    page = client.get("/finance/bank/").content.decode()
    assert "NH-E1" in page and "HN-E2" not in page and "第二批" not in page


def test_a_bank_does_not_read_a_draft(client, world):
    draft = B.batch_compile(name="草稿", project_codes=["NH-E1"], user=world["city_admin"]).batch
    client.force_login(world["bank_a"])
    assert client.get(url(draft, "icbc")).status_code == 404
    assert "NH-E1" not in client.get("/finance/bank/").content.decode()
    client.force_login(world["city_reviewer"])
    assert client.get(url(draft, "icbc")).status_code == 200


def test_a_visitor_signs_in_for_a_file(client, batches):
    response = client.get(url(batches["first"], "icbc"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("who", "status"),
    [("bank_a", 200), ("bank_b", 200)]
    + [(w, 403) for w in ("city_admin", "city_reviewer", "viewer", "op_nanhu", "enterprise", "outsider")],
)
def test_the_bank_page_is_a_bank_users(client, world, who, status):
    client.force_login(world[who])
    response = client.get("/finance/bank/")
    assert response.status_code == status
    if status == 403:
        assert "仅银行用户可使用此功能" in response.content.decode()


def test_the_bank_page_shows_the_pushed_projects_with_the_current_contact(client, world, batches):
    ent = world["E1"].enterprise
    ent.contact_person, ent.contact_phone = "李四", "0573-8200002"
    ent.save()
    client.force_login(world["bank_b"])
    page = client.get("/finance/bank/").content.decode()
    assert "中国农业银行" in page
    assert "NH-E1" in page and "HN-E2" in page
    assert "李四" in page and "0573-8200002" in page and "张三" not in page
    assert "第一批" in page and "第二批" in page
    assert "/finance/loans/new/?project=NH-E1" in page
    assert url(batches["first"], "abc") in page and url(batches["second"], "abc") in page
    assert url(batches["first"], "icbc") not in page


def test_bank_projects_is_the_check_other_code_uses(world, batches):
    from renewal.accounts.scope import scope_for

    assert not B.bank_projects(scope_for(world["bank_a"])).filter(pk=world["E2"].pk).exists()
    assert B.bank_projects(scope_for(world["bank_b"])).filter(pk=world["E2"].pk).exists()
