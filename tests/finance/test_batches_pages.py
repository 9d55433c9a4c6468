"""The batch pages (P12): list, compile, review and push, per role."""

import pytest
from django.utils import timezone

from renewal.finance import batches as B
from renewal.finance.models import LoanBatch

from . import batch_data

pytestmark = pytest.mark.django_db
world = batch_data.world

CITY = ["city_admin", "city_reviewer"]
OTHERS = ["viewer", "op_nanhu", "enterprise", "unit", "bank_a", "outsider"]


@pytest.fixture
def draft(world):
    return B.batch_compile(name="第一批", project_codes=["NH-E1", "HN-E2"], user=world["city_admin"]).batch


@pytest.mark.parametrize(("who", "status"), [(w, 200) for w in CITY] + [(w, 403) for w in OTHERS])
def test_the_list_and_the_batch_are_the_citys(client, world, draft, who, status):
    client.force_login(world[who])
    for url in ("/finance/batches/", f"/finance/batches/{draft.pk}/"):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 403:
            assert "推送批次" in response.content.decode()


def test_a_visitor_signs_in_first(client, draft):
    response = client.get("/finance/batches/")
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize(("who", "status"), [("city_admin", 200), ("city_reviewer", 403), ("bank_a", 403)])
def test_only_the_administrator_opens_the_compile_form(client, world, who, status):
    client.force_login(world[who])
    assert client.get("/finance/batches/new/").status_code == status


def test_the_compile_form_lists_the_eligible_and_on_demand_the_reasons_of_the_others(client, world):
    client.force_login(world["city_admin"])
    page = client.get("/finance/batches/new/").content.decode()
    assert 'value="NH-E1"' in page and 'value="HN-E2"' in page and 'value="NH-X1"' not in page
    assert "总投资不低于2,000.00万元（示例值）" in page and "NH-X1" not in page
    page = client.get("/finance/batches/new/?ineligible=1").content.decode()
    assert "NH-X1" in page and "低于 2,000.00万元（示例值）" in page


def test_the_administrator_compiles_from_the_checked_projects(client, world):
    client.force_login(world["city_admin"])
    response = client.post("/finance/batches/new/", {"name": "第一批", "all": "0", "projects": ["HN-E2"]})
    batch = LoanBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/finance/batches/{batch.pk}/"
    assert [i.project.code for i in batch.items.all()] == ["HN-E2"]


def test_or_from_all_eligible_projects(client, world):
    client.force_login(world["city_admin"])
    client.post("/finance/batches/new/", {"name": "全部", "all": "1"})
    assert LoanBatch.objects.get().items.count() == 3


def test_a_compile_without_projects_says_why(client, world):
    client.force_login(world["city_admin"])
    response = client.post("/finance/batches/new/", {"name": "第一批", "all": "0"})
    assert response.status_code == 422
    assert "请选择项目" in response.content.decode() and not LoanBatch.objects.exists()


def test_the_batch_page_groups_by_bank_with_totals_in_wan_yuan(client, world, draft):
    client.force_login(world["city_reviewer"])
    page = client.get(f"/finance/batches/{draft.pk}/").content.decode()
    assert "中国工商银行" in page and "中国农业银行" in page
    assert "3,000.00" in page  # abc: 1,000万 + 2,000万
    assert "审核通过" in page and "推送</button>" not in page and "移除" not in page
    assert f"/finance/batches/{draft.pk}/banks/icbc.xlsx" in page


def test_buttons_follow_the_role_and_the_state(client, world, draft):
    client.force_login(world["city_admin"])
    page = client.get(f"/finance/batches/{draft.pk}/").content.decode()
    assert "审核通过" in page and "移除" in page
    client.force_login(world["city_reviewer"])
    assert client.post(f"/finance/batches/{draft.pk}/review/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == LoanBatch.Status.REVIEWED and draft.reviewed_by == world["city_reviewer"]
    page = client.get(f"/finance/batches/{draft.pk}/").content.decode()
    assert "审核通过</button>" not in page and "推送</button>" not in page
    assert client.post(f"/finance/batches/{draft.pk}/push/").status_code == 403
    client.force_login(world["city_admin"])
    assert "推送</button>" in client.get(f"/finance/batches/{draft.pk}/").content.decode()
    client.post(f"/finance/batches/{draft.pk}/push/", {"pushed_on": "2024-05-06"})
    draft.refresh_from_db()
    assert draft.status == LoanBatch.Status.PUSHED and str(draft.pushed_on) == "2024-05-06"
    page = client.get(f"/finance/batches/{draft.pk}/").content.decode()
    assert "已推送的批次不可修改" in page and "移除" not in page


def test_a_future_push_is_refused_with_a_message(client, world, draft):
    B.batch_review(batch=draft, user=world["city_admin"])
    client.force_login(world["city_admin"])
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    response = client.post(f"/finance/batches/{draft.pk}/push/", {"pushed_on": tomorrow}, follow=True)
    assert "晚于今天" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == LoanBatch.Status.REVIEWED


def test_a_pushed_batch_refuses_edits_on_the_page(client, world, draft):
    admin = world["city_admin"]
    B.batch_review(batch=draft, user=admin)
    B.batch_push(batch=draft, user=admin)
    client.force_login(admin)
    item = draft.items.first()
    response = client.post(f"/finance/batches/{draft.pk}/items/{item.pk}/remove/", follow=True)
    assert "批次已推送，不可修改或删除" in response.content.decode()
    response = client.post(f"/finance/batches/{draft.pk}/delete/", follow=True)
    assert "批次已推送，不可修改或删除" in response.content.decode()
    assert draft.items.count() == 3


def test_the_administrator_removes_an_item_of_a_draft(client, world, draft):
    client.force_login(world["city_admin"])
    item = draft.items.get(project__code="HN-E2")
    client.post(f"/finance/batches/{draft.pk}/items/{item.pk}/remove/")
    assert not draft.items.filter(pk=item.pk).exists()


def test_an_unknown_batch_is_not_found(client, world):
    client.force_login(world["city_admin"])
    assert client.get("/finance/batches/999/").status_code == 404
