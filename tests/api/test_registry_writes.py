"""Registry writes through the API: create and update with optimistic locking (a stale edit is a
409 with a Chinese message, never a silent overwrite), workflow transitions, Chinese refusals."""

import pytest

from renewal.accounts.tokens import token_create
from renewal.registry.models import Enterprise, Project
from tests.factories import USCC_HAINING, USCC_NANHU_NEW

pytestmark = pytest.mark.django_db


def call(client, user, method, url, body=None):
    headers = {"Authorization": f"Bearer {token_create(user=user)[1]}"}
    if body is None:
        return getattr(client, method)(url, headers=headers)
    return getattr(client, method)(url, data=body, content_type="application/json", headers=headers)


def test_an_operator_registers_an_enterprise_and_a_draft_project_in_its_area(client, people):
    op = people["op_nanhu"]
    body = {"uscc": USCC_NANHU_NEW, "name": "南湖新登记有限公司", "area": "330402", "industry_code": "34"}
    created = call(client, op, "post", "/api/v1/enterprises", body)
    assert created.status_code == 201
    assert created.json()["area"] == "330402" and created.json()["version"] == 1
    project = {
        "code": "NH-NEW",
        "name": "数控化改造",
        "uscc": USCC_NANHU_NEW,
        "year": 2024,
        "types": ["数字化改造", "设备更新"],
        "total_investment": "5000000",
        "equipment_investment": "3000000",
    }
    answer = call(client, op, "post", "/api/v1/projects", project)
    assert answer.status_code == 201
    data = answer.json()
    assert (data["status"], data["area"], data["types"]) == ("草稿", "330402", ["设备更新", "数字化改造"])


def test_a_stale_edit_is_a_409_with_a_conflict_message_and_changes_nothing(client, people):
    admin, op = people["city_admin"], people["op_nanhu"]
    first = call(client, op, "patch", "/api/v1/projects/NH-1", {"version": 1, "new_robots": 4})
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = call(client, admin, "patch", "/api/v1/projects/NH-1", {"version": 1, "new_robots": 9})
    assert stale.status_code == 409
    assert stale.json()["detail"] == (
        "保存冲突：项目 NH-1 已被他人修改（当前版本 2，您编辑的是版本 1）。请刷新后在最新内容上重新修改，未保存任何内容。"
    )
    assert Project.objects.get(code="NH-1").new_robots == 4


def test_a_stale_enterprise_edit_and_a_stale_progress_edit_conflict_too(client, people):
    op = people["op_nanhu"]
    assert (
        call(
            client,
            op,
            "patch",
            f"/api/v1/enterprises/{people['NH'].enterprise.uscc}",
            {"version": 1, "employees": 5},
        ).status_code
        == 200
    )
    again = call(
        client,
        op,
        "patch",
        f"/api/v1/enterprises/{people['NH'].enterprise.uscc}",
        {"version": 1, "employees": 6},
    )
    assert again.status_code == 409 and "保存冲突" in again.json()["detail"]
    url = "/api/v1/projects/NH-1/progress"
    assert call(client, op, "post", url, {"month": "2024-08", "investment": 100}).json()["version"] == 1
    twice = call(client, op, "post", url, {"month": "2024-08", "investment": 200})
    assert twice.status_code == 409 and "已由他人填报" in twice.json()["detail"]
    fixed = call(client, op, "post", url, {"month": "2024-08", "investment": 200, "version": 1})
    assert fixed.json()["version"] == 2 and fixed.json()["investment"] == 200


def test_the_status_cannot_be_changed_by_an_edit(client, people):
    Project.objects.filter(code="NH-1").update(status="草稿")
    answer = call(
        client, people["op_nanhu"], "patch", "/api/v1/projects/NH-1", {"version": 1, "status": "已兑现"}
    )
    # 'status' is not a field of the patch schema: ignored, the project stays a draft
    assert answer.status_code == 200 and answer.json()["status"] == "草稿"


def test_a_transition_through_the_api_is_recorded_and_listed(client, people):
    Project.objects.filter(code="NH-1").update(status="已申报")
    op = people["op_nanhu"]
    answer = call(
        client, op, "post", "/api/v1/projects/NH-1/transitions", {"to": "区县审核通过", "comment": "材料齐全"}
    )
    assert answer.status_code == 201
    listed = call(client, op, "get", "/api/v1/projects/NH-1/transitions").json()
    assert [(t["from_status"], t["to_status"], t["user"], t["comment"]) for t in listed["items"]] == [
        ("已申报", "区县审核通过", "op-330402", "材料齐全")
    ]


def test_a_transition_the_table_does_not_allow_is_refused_in_chinese(client, people):
    Project.objects.filter(code="NH-1").update(status="已申报")
    skip = call(client, people["op_nanhu"], "post", "/api/v1/projects/NH-1/transitions", {"to": "已兑现"})
    assert skip.status_code == 403
    assert (
        skip.json()["detail"]
        == "项目 NH-1 当前状态为“已申报”，不能转为“已兑现”（可转为：区县审核通过、退回、撤销）"
    )
    wrong_role = call(
        client, people["enterprise"], "post", "/api/v1/projects/NH-1/transitions", {"to": "区县审核通过"}
    )
    assert wrong_role.status_code == 403
    assert (
        wrong_role.json()["detail"]
        == "“区县审核通过”（已申报→区县审核通过）只能由区域操作员、市级管理员操作，您是企业用户"
    )


def test_an_invalid_record_is_a_422_naming_the_field_in_chinese(client, people):
    body = {
        "code": "NH-BAD",
        "name": "坏数据",
        "uscc": people["NH"].enterprise.uscc,
        "year": 2024,
        "types": ["造飞机"],
    }
    answer = call(client, people["op_nanhu"], "post", "/api/v1/projects", body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "types"
    assert "未知的项目类型 造飞机" in answer.json()["detail"]


def test_an_operator_cannot_move_an_enterprise_into_another_area(client, people):
    uscc = people["NH"].enterprise.uscc
    answer = call(
        client, people["op_nanhu"], "patch", f"/api/v1/enterprises/{uscc}", {"version": 1, "area": "330481"}
    )
    assert answer.status_code == 403
    assert Enterprise.objects.get(uscc=uscc).area_id == "330402"
    assert call(client, people["op_nanhu"], "get", f"/api/v1/enterprises/{USCC_HAINING}").status_code == 404


def test_the_workflow_table_is_published(client, people):
    rows = call(client, people["viewer"], "get", "/api/v1/workflow").json()
    assert {"from_status": "区县审核通过", "to": "已入库"}.items() <= next(
        r for r in rows if r["action"] == "市级审核入库"
    ).items()
