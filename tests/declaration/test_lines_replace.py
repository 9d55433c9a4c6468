"""services.lines_replace: a draft's 设备清单 written as a whole, line by line with its history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from renewal.declaration import services
from renewal.equipment.models import EquipmentLine
from renewal.lib.errors import Conflict, Invalid, NotFound, Refused
from tests.factories import project

pytestmark = pytest.mark.django_db

MILL = {
    "name": "数控铣床",
    "category": "数控机床",
    "acquisition": "购置",
    "unit_price": Decimal(800_000),
    "quantity": 2,
    "acquired_on": dt.date(2024, 5, 1),
}
LEASE = {"name": "AGV 小车", "category": "工业机器人", "acquisition": "租赁", "lease_fee": Decimal(120_000)}


@pytest.fixture
def draft(people):
    return project("NH-D", people["NH"].enterprise, status="草稿")


def test_it_writes_the_lines_with_their_history_and_bumps_the_version(people, draft):
    version = draft.version
    rows = services.lines_replace(
        user=people["enterprise"], project=draft, lines=[MILL, LEASE], version=version
    )
    assert [(r.number, r.name, r.amount) for r in rows] == [
        (1, "数控铣床", Decimal(1_600_000)),
        (2, "AGV 小车", Decimal(120_000)),
    ]
    assert rows[0].history.get().history_user == people["enterprise"]
    draft.refresh_from_db()
    assert draft.version == version + 1
    assert draft.history.first().history_change_reason == "申报：设备清单"


def test_it_changes_only_what_changed_and_brings_back_a_removed_line(people, draft):
    services.lines_replace(user=people["enterprise"], project=draft, lines=[MILL, LEASE])
    draft.refresh_from_db()
    v = draft.version
    # the same lines again: nothing written
    services.lines_replace(user=people["enterprise"], project=draft, lines=[MILL, LEASE], version=v)
    draft.refresh_from_db()
    assert draft.version == v
    # line 2 removed (soft), then back with another fee
    services.lines_replace(user=people["enterprise"], project=draft, lines=[MILL])
    second = EquipmentLine.all_objects.get(project=draft, number=2)
    assert second.is_deleted
    services.lines_replace(
        user=people["enterprise"], project=draft, lines=[MILL, LEASE | {"lease_fee": Decimal(1)}]
    )
    second.refresh_from_db()
    assert not second.is_deleted and second.lease_fee == Decimal(1)
    assert second.history.count() == 3  # added, deleted, brought back
    assert EquipmentLine.objects.get(project=draft, number=1).history.count() == 1


def test_it_names_the_line_and_the_field_of_each_problem_in_chinese(people, draft):
    bad = [MILL, MILL | {"unit_price": None, "quantity": 0}, LEASE | {"lease_fee": None, "name": ""}]
    with pytest.raises(Invalid) as caught:
        services.lines_replace(user=people["enterprise"], project=draft, lines=bad)
    errors = caught.value.errors
    assert errors["lines.2.unit_price"] == "第2行·单价：购置设备须填写单价"
    assert errors["lines.2.quantity"].startswith("第2行·数量：")
    assert errors["lines.3.lease_fee"] == "第3行·租赁费：租赁设备须填写租赁费"
    assert errors["lines.3.name"].startswith("第3行·设备名称：")
    assert "lines.1.unit_price" not in errors
    assert not EquipmentLine.objects.filter(project=draft).exists()


def test_it_refuses_a_repeated_number(people, draft):
    with pytest.raises(Invalid, match="第2行·序号：序号 1 重复"):
        services.lines_replace(
            user=people["enterprise"], project=draft, lines=[MILL | {"number": 1}, LEASE | {"number": 1}]
        )


def test_it_refuses_a_stale_version(people, draft):
    with pytest.raises(Conflict):
        services.lines_replace(
            user=people["enterprise"], project=draft, lines=[MILL], version=draft.version - 1 or 99
        )


@pytest.mark.parametrize("status", ["已申报", "区县审核通过", "已入库", "在建"])
def test_it_refuses_to_change_the_lines_once_declared(people, draft, status):
    draft.status = status
    draft.save()
    for who in ("enterprise", "op_nanhu", "city_admin"):
        with pytest.raises(Refused, match=f"当前状态为“{status}”"):
            services.lines_replace(user=people[who], project=draft, lines=[MILL])


def test_a_returned_project_may_be_changed(people, draft):
    draft.status = "退回"
    draft.save()
    assert len(services.lines_replace(user=people["enterprise"], project=draft, lines=[MILL])) == 1


def test_it_answers_not_found_outside_the_scope(people, draft):
    with pytest.raises(NotFound):
        services.lines_replace(user=people["op_haining"], project=draft, lines=[MILL])
    with pytest.raises(Refused):
        services.lines_replace(user=people["city_reviewer"], project=draft, lines=[MILL])
