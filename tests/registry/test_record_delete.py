"""Soft-deleting an enterprise takes its projects (with their progress and funds), honours, first-set
products and catalogue entries with it; restoring it brings back exactly those (issue 13, item 4)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from renewal.indicators import selectors
from renewal.indicators.models import ProgressRollup, ProjectRollup
from renewal.lib.errors import Refused
from renewal.registry.models import (
    CatalogueEntry,
    Enterprise,
    FirstSetProduct,
    Fund,
    Honour,
    MonthlyProgress,
    Project,
)
from renewal.registry.services import record_delete, record_restore
from tests.indicators import factories as f

pytestmark = pytest.mark.django_db

CHILDREN = (Project, MonthlyProgress, Honour, FirstSetProduct, CatalogueEntry, Fund)


@pytest.fixture
def firm(people):
    """A 南湖 enterprise with two counted provincial key projects with progress, an honour, a
    first-set product, a catalogue entry and a provincial fund allocated to one of the projects."""
    ent = f.enterprise(area="330402")
    p, q = f.project(ent), f.project(ent)
    f.progress(p, "2024-01", equipment=100, robots=2)
    f.progress(p, "2024-02", equipment=50)
    f.progress(q, "2024-02", equipment=30, robots=1)
    f.honour(ent, "绿色工厂", "省级", 2024)
    f.first_set(ent, "首台套", "省级", 2024)
    CatalogueEntry.objects.create(enterprise=ent, brand="示例", model="X1", category="家电")
    Fund.objects.create(
        year=2024,
        level="省级",
        purpose="设备更新项目补助",
        amount=Decimal(500_000),
        area_id="330402",
        project=p,
    )
    return {"enterprise": ent, "p": p, "q": q}


def figures() -> dict:
    result = selectors.indicators(selectors.active_plan(), 2024, dt.date(2024, 3, 31))
    city = {i["target_id"]: i["actual"] for i in result.for_area(None)}
    return {t: city[t] for t in ("T1.projects", "T1.equipment", "T2.green", "T3", "T5", "P11.funds")}


def rollups() -> tuple:
    return (
        ProjectRollup.objects.aggregate(n=Sum("project_count"))["n"] or 0,
        ProgressRollup.objects.aggregate(n=Sum("row_count"))["n"] or 0,
    )


def live(ent) -> dict:
    return {
        m.__name__: m.all_objects.filter(is_deleted=False).filter(**owner(m, ent)).count() for m in CHILDREN
    }


def owner(model, ent) -> dict:
    if model is MonthlyProgress:
        return {"project__enterprise": ent}
    if model is Fund:
        return {"project__enterprise": ent}
    return {"enterprise": ent}


def reasons(model, ent) -> set:
    rows = model.history.filter(**owner(model, ent)) if model is not Fund else model.history.all()
    return {h.history_change_reason for h in rows if h.history_type == "~"}


def test_deleting_an_enterprise_deletes_what_belongs_to_it_and_restoring_brings_it_back(people, firm):
    ent, admin = firm["enterprise"], people["city_admin"]
    full = figures()
    assert full == {
        "T1.projects": 2,
        "T1.equipment": 180,
        "T2.green": 1,
        "T3": 1,
        "T5": 3,
        "P11.funds": 500_000,
    }
    assert rollups() == (4, 3)  # with people's NH-1 and HN-1 (no progress)
    everything = live(ent)
    assert everything == {
        "Project": 2,
        "MonthlyProgress": 3,
        "Honour": 1,
        "FirstSetProduct": 1,
        "CatalogueEntry": 1,
        "Fund": 1,
    }

    record_delete(user=admin, obj=ent, reason="重复登记")

    assert Enterprise.all_objects.get(pk=ent.pk).is_deleted
    assert live(ent) == dict.fromkeys(everything, 0)
    stamps = {r.deleted_at for m in CHILDREN for r in m.all_objects.filter(**owner(m, ent))}
    assert stamps == {Enterprise.all_objects.get(pk=ent.pk).deleted_at}
    for model in CHILDREN:
        assert reasons(model, ent) == {"随企业删除：重复登记"}, model
    assert Project.history.filter(code=firm["p"].code).first().history_user == admin
    assert figures() == dict.fromkeys(full, 0)
    assert rollups() == (2, 0)

    record_restore(user=admin, obj=Enterprise.all_objects.get(pk=ent.pk))

    assert live(ent) == everything
    assert figures() == full
    assert rollups() == (4, 3)
    assert all(r.deleted_at is None for m in CHILDREN for r in m.all_objects.filter(**owner(m, ent)))
    for model in CHILDREN:
        assert reasons(model, ent) == {"随企业删除：重复登记", "随企业恢复"}, model
    assert Enterprise.history.first().history_change_reason == "恢复"


def test_a_project_deleted_on_its_own_before_stays_deleted_when_its_enterprise_is_restored(people, firm):
    ent, admin, q = firm["enterprise"], people["city_admin"], firm["q"]
    record_delete(user=admin, obj=q, reason="录入错误")
    assert MonthlyProgress.objects.filter(project=q).count() == 0  # its progress went with it
    record_delete(user=admin, obj=Enterprise.objects.get(pk=ent.pk))
    assert Project.history.filter(code=q.code, history_change_reason__startswith="随企业").count() == 0

    record_restore(user=admin, obj=Enterprise.all_objects.get(pk=ent.pk))

    assert Project.all_objects.get(pk=q.pk).is_deleted
    assert MonthlyProgress.all_objects.filter(project=q, is_deleted=False).count() == 0
    assert Project.objects.get(pk=firm["p"].pk).status == "在建"
    assert figures()["T1.projects"] == 1 and figures()["T1.equipment"] == 150

    record_restore(user=admin, obj=Project.all_objects.get(pk=q.pk))  # now by itself
    assert MonthlyProgress.objects.filter(project=q).count() == 1
    assert figures()["T1.projects"] == 2


def test_a_record_of_a_deleted_enterprise_is_neither_restored_nor_deleted_by_itself(people, firm):
    ent, admin = firm["enterprise"], people["city_admin"]
    record_delete(user=admin, obj=ent)
    with pytest.raises(Refused) as refused:
        record_restore(user=admin, obj=Project.all_objects.get(pk=firm["p"].pk))
    assert str(refused.value) == (
        f"项目“{firm['p']}”所属的企业“{ent.name}”已删除：请先恢复该企业，不能单独恢复"
    )
    with pytest.raises(Refused, match="所属的企业.*已删除：请先恢复该企业"):
        record_restore(user=admin, obj=MonthlyProgress.all_objects.filter(project=firm["p"]).first())
    assert Project.all_objects.get(pk=firm["p"].pk).is_deleted
    stray = Honour.objects.create(
        enterprise=Enterprise.all_objects.get(pk=ent.pk), kind="智能工厂", level="市级", year=2023
    )
    with pytest.raises(Refused, match="不能单独删除"):
        record_delete(user=admin, obj=stray)


def test_an_area_operator_deletes_an_enterprise_only_while_its_projects_are_drafts(people, firm):
    ent, op = firm["enterprise"], people["op_nanhu"]
    with pytest.raises(Refused) as refused:
        record_delete(user=op, obj=ent)
    assert "已进入流程，只有市级管理员可以删除" in str(refused.value)
    assert live(ent)["Project"] == 2
    Project.objects.filter(enterprise=ent).update(status="草稿")
    record_delete(user=op, obj=Enterprise.objects.get(pk=ent.pk))
    assert live(ent)["Project"] == 0 and live(ent)["MonthlyProgress"] == 0
    with pytest.raises(Refused):
        record_delete(user=people["op_haining"], obj=people["NH"].enterprise)  # another area's


def test_the_admin_lists_and_deletes_an_enterprise_with_what_belongs_to_it(client, admin_staff, firm):
    ent = firm["enterprise"]
    url = reverse("admin:registry_enterprise_delete", args=[ent.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert f"项目：{firm['p']}" in text and "月度进度" in text and "补助资金" in text
    client.post(url, {"post": "yes"})
    assert Enterprise.all_objects.get(pk=ent.pk).is_deleted
    assert live(ent) == dict.fromkeys(live(ent), 0)
    assert reasons(Honour, ent) == {"随企业删除：管理后台删除"}
