"""The project workflow: every (state, role) pair either moves along the table, with a record of
who, when, from, to and comment, or is refused in Chinese and changes nothing."""

import pytest

from renewal.accounts.models import Role
from renewal.lib.errors import Invalid, NotFound, Refused
from renewal.registry import workflow
from renewal.registry.models import Project, ProjectTransition
from renewal.registry.services import project_actions, project_transition

pytestmark = pytest.mark.django_db

ROLE_USER = {
    Role.CITY_ADMIN: "city_admin",
    Role.CITY_REVIEWER: "city_reviewer",
    Role.AREA_OPERATOR: "op_nanhu",
    Role.ENTERPRISE: "enterprise",
    Role.VIEWER: "viewer",
    Role.UNIT_REPORTER: "unit",
}
PAIRS = [(state, role) for state in workflow.STATES for role in ROLE_USER]


def test_the_table_reaches_every_state_from_draft_and_final_states_have_no_exit():
    reached, todo = {"草稿"}, ["草稿"]
    while todo:
        for t in workflow.transitions_from(todo.pop()):
            if t.target not in reached:
                reached.add(t.target)
                todo.append(t.target)
    assert reached == set(workflow.STATES)
    assert all(not workflow.transitions_from(s) for s in workflow.FINAL_STATES)


def test_the_main_path_runs_from_draft_to_paid():
    path = ["草稿", "已申报", "区县审核通过", "已入库", "在建", "竣工", "验收通过", "已兑现"]
    assert all(workflow.find(a, b) is not None for a, b in zip(path, path[1:], strict=False))


def test_returning_and_withdrawing_need_a_reason():
    assert workflow.find("已申报", "退回").needs_comment
    assert workflow.find("已申报", "撤销").needs_comment
    assert workflow.find("退回", "草稿").target == "草稿"


@pytest.mark.parametrize(("state", "role"), PAIRS, ids=[f"{s}-{r}" for s, r in PAIRS])
def test_every_state_and_role_pair_moves_only_as_the_table_says(people, state, role):
    user = people[ROLE_USER[role]]
    Project.objects.filter(pk=people["NH"].pk).update(status=state)
    project = Project.objects.get(pk=people["NH"].pk)
    allowed = {t.target for t in workflow.transitions_from(state, role)}
    assert {t.target for t in project_actions(project=project, user=user)} == allowed
    for target in workflow.STATES:
        project = Project.objects.get(pk=people["NH"].pk)
        if target in allowed:
            record = project_transition(project=project, to=target, user=user, comment="理由：测试")
            assert (record.from_status, record.to_status, record.user, record.comment) == (
                state,
                target,
                user,
                "理由：测试",
            )
            project.refresh_from_db()
            assert project.status == target and project.version == 2
            Project.objects.filter(pk=project.pk).update(status=state, version=1)
        else:
            with pytest.raises((Refused, NotFound)) as refused:
                project_transition(project=project, to=target, user=user, comment="理由")
            # a unit reporter does not even see the project (404); the others are told why not
            assert any(w in refused.value.message for w in ("不能转为", "只能由", "未找到"))
            assert Project.objects.get(pk=project.pk).status == state
    assert ProjectTransition.objects.count() == len(allowed)


def test_an_operator_cannot_move_a_project_of_another_area(people):
    Project.objects.filter(code="HN-1").update(status="已申报")
    with pytest.raises(NotFound) as exc:
        project_transition(project=people["HN"], to="区县审核通过", user=people["op_nanhu"])
    assert "未找到项目 HN-1" in exc.value.message


def test_returning_without_a_reason_is_refused_and_nothing_changes(people):
    Project.objects.filter(code="NH-1").update(status="已申报")
    with pytest.raises(Invalid) as exc:
        project_transition(project=people["NH"], to="退回", user=people["op_nanhu"], comment="  ")
    assert exc.value.message == "意见：“退回”须填写理由"
    assert not ProjectTransition.objects.exists()


def test_a_returned_project_goes_back_to_draft_and_can_be_declared_again(people):
    Project.objects.filter(code="NH-1").update(status="已申报")
    op, ent = people["op_nanhu"], people["enterprise"]
    project_transition(project=people["NH"], to="退回", user=op, comment="设备清单不全")
    project_transition(project=people["NH"], to="草稿", user=ent)
    project_transition(project=people["NH"], to="已申报", user=ent)
    steps = list(
        ProjectTransition.objects.values_list("from_status", "to_status", "user__username", "comment")
    )
    assert steps == [
        ("已申报", "退回", "op-330402", "设备清单不全"),
        ("退回", "草稿", f"ent-{ent.profile.enterprise_uscc}", ""),
        ("草稿", "已申报", f"ent-{ent.profile.enterprise_uscc}", ""),
    ]
