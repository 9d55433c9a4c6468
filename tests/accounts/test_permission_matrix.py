"""The permission matrix: each role × each page and API operation × its own and another area's
(or enterprise's) record, asserting allowed or refused for every cell.

"own" is the 南湖 project NH-1 of the enterprise user's own credit code; "other" is the 海宁
project HN-1. For task reports "own" is the row of the unit reporter's unit (tax leads P13) and
"other" a row of another unit (econ-it leads T1). Refused means 401/403/404 or, for pages, the login
redirect; anything else (a 500, an unexpected 422) fails the test.

The viewer (领导/观察员) reads aggregated figures only — the cockpit, the area matrix, a target's
figures, the ranking, bulletins, the task matrix — and no record: every list, detail, export,
history, drill-down and API read of records refuses it (``accounts.scope.RECORD_ROLES``).

Figures are closed by default: the cockpit, target pages, ranking and bulletins (and their API)
answer only the roles that read figures (``accounts.scope.FIGURE_ROLES``) — not an enterprise user,
which sees its own records, the calculator and the public catalogues.
"""

import pytest
from django.urls import reverse

from renewal.accounts.tokens import token_create
from renewal.registry.models import Project
from tests.factories import USCC_HAINING, USCC_HAINING_NEW, USCC_NANHU, USCC_NANHU_NEW, reach, user

pytestmark = pytest.mark.django_db

ROLES = ["city_admin", "city_reviewer", "viewer", "op_nanhu", "enterprise", "unit", "outsider", "anonymous"]
FIGURES = ["city_admin", "city_reviewer", "viewer", "op_nanhu", "unit"]
CODE = {"own": "NH-1", "other": "HN-1"}
USCC = {"own": USCC_NANHU, "other": USCC_HAINING}
NEW_USCC = {"own": USCC_NANHU_NEW, "other": USCC_HAINING_NEW}
AREA = {"own": "330402", "other": "330481"}
AREA_NAME = {"own": "南湖区", "other": "海宁市"}
TASK = {"own": ("P13", "tax"), "other": ("T1", "econ-it")}
MONTH = "2024-08"
# the state each role's transition is tried from: one where the role has an action in the table
TRANSITION_FROM = {
    "city_admin": "已申报",
    "city_reviewer": "区县审核通过",
    "op_nanhu": "已申报",
    "enterprise": "草稿",
}

Y, N = True, False
# operation → role → (own, other)
EXPECTED = {
    # pages
    "page_project_list": {
        "city_admin": (Y, Y),
        "city_reviewer": (Y, Y),
        "op_nanhu": (Y, N),
        "enterprise": (Y, N),
    },
    "page_project_detail": {
        "city_admin": (Y, Y),
        "city_reviewer": (Y, Y),
        "op_nanhu": (Y, N),
        "enterprise": (Y, N),
    },
    "page_transition": {
        "city_admin": (Y, Y),
        "city_reviewer": (Y, Y),
        "op_nanhu": (Y, N),
        "enterprise": (Y, N),
    },
    "page_progress": {"city_admin": (Y, Y), "op_nanhu": (Y, N), "enterprise": (Y, N)},
    "page_delete": {"city_admin": (Y, Y), "op_nanhu": (Y, N)},
    "page_history": {"city_admin": (Y, Y), "city_reviewer": (Y, Y), "op_nanhu": (Y, N), "enterprise": (Y, N)},
    "page_overdue": {"city_admin": (Y, Y), "city_reviewer": (Y, Y), "op_nanhu": (Y, N)},
    # the approval ladder (reporting/approval.py): the area approves its own month, the city confirms
    "page_approve": {"city_admin": (Y, Y), "op_nanhu": (Y, N)},
    "page_confirm": {"city_admin": (Y, Y), "city_reviewer": (Y, Y)},
    "page_tasks": {"city_admin": (Y, Y), "city_reviewer": (Y, Y), "viewer": (Y, Y), "unit": (Y, N)},
    "page_task_report": {"city_admin": (Y, Y), "unit": (Y, N)},
    "page_audit_export": {"city_admin": (Y, Y)},
    "page_trash": {"city_admin": (Y, Y)},
    "page_enterprise_list": {
        "city_admin": (Y, Y),
        "city_reviewer": (Y, Y),
        "op_nanhu": (Y, N),
        "enterprise": (Y, N),
    },
    "page_export_projects": {
        "city_admin": (Y, Y),
        "city_reviewer": (Y, Y),
        "op_nanhu": (Y, N),
        "enterprise": (Y, N),
    },
    # the cockpit's drill-down to the records behind a number (own area: 南湖, other: 海宁)
    "page_records": {"city_admin": (Y, Y), "city_reviewer": (Y, Y), "op_nanhu": (Y, N)},
    # aggregated figures: every role that reads figures (the viewer first of all), not an enterprise
    # user, a user without a role or a visitor (closed by default; scope.FIGURE_ROLES)
    "page_cockpit": {role: (Y, Y) for role in FIGURES},
    "page_target": {role: (Y, Y) for role in FIGURES},
    "page_ranking": {role: (Y, Y) for role in FIGURES},
    "page_bulletins": {role: (Y, Y) for role in FIGURES},
    # API
    "api_project_list": {
        "city_admin": (Y, Y),
        "city_reviewer": (Y, Y),
        "op_nanhu": (Y, N),
        "enterprise": (Y, N),
    },
    "api_project_get": {
        "city_admin": (Y, Y),
        "city_reviewer": (Y, Y),
        "op_nanhu": (Y, N),
        "enterprise": (Y, N),
    },
    "api_enterprise_get": {
        "city_admin": (Y, Y),
        "city_reviewer": (Y, Y),
        "op_nanhu": (Y, N),
        "enterprise": (Y, N),
    },
    "api_progress_list": {
        "city_admin": (Y, Y),
        "city_reviewer": (Y, Y),
        "op_nanhu": (Y, N),
        "enterprise": (Y, N),
    },
    "api_enterprise_list": {
        "city_admin": (Y, Y),
        "city_reviewer": (Y, Y),
        "op_nanhu": (Y, N),
        "enterprise": (Y, N),
    },
    "api_indicators": {role: (Y, Y) for role in FIGURES},
    "api_assessment": {role: (Y, Y) for role in FIGURES},
    "api_enterprise_create": {"city_admin": (Y, Y), "op_nanhu": (Y, N)},
    "api_enterprise_update": {"city_admin": (Y, Y), "op_nanhu": (Y, N)},
    "api_project_create": {"city_admin": (Y, Y), "op_nanhu": (Y, N), "enterprise": (Y, N)},
    "api_project_update": {"city_admin": (Y, Y), "op_nanhu": (Y, N), "enterprise": (Y, N)},
    "api_progress_report": {"city_admin": (Y, Y), "op_nanhu": (Y, N), "enterprise": (Y, N)},
    "api_transition": {
        "city_admin": (Y, Y),
        "city_reviewer": (Y, Y),
        "op_nanhu": (Y, N),
        "enterprise": (Y, N),
    },
}


class Caller:
    def __init__(self, client, who, people):
        self.client, self.who, self.people = client, who, people
        self.headers = {}
        if who != "anonymous":
            u = people[who]
            client.force_login(u)
            self.headers = {"Authorization": f"Bearer {token_create(user=u)[1]}"}

    def page(self, method, url, data=None):
        r = getattr(self.client, method)(url, data or {})
        login = r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))
        return r, login

    def api(self, method, url, body=None):
        kw = {"headers": self.headers}
        if body is not None:
            kw.update(data=body, content_type="application/json")
        return getattr(self.client, method)(url, **kw)


def page_allowed(response, login, ok=(200,)) -> bool:
    if login or response.status_code in (403, 404):
        return False
    assert response.status_code in (*ok, 302), (response.status_code, response.content[:300])
    return True


def api_allowed(response, ok=(200, 201)) -> bool:
    if response.status_code in (401, 403, 404):
        return False
    assert response.status_code in ok, (response.status_code, response.content[:300])
    return True


def xlsx_codes(response) -> set[str]:
    """The values of the first column (项目编号) of an export."""
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).active
    return {str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True)}


def project(code):
    return Project.objects.get(code=code)


def set_status(code, status):
    Project.objects.filter(code=code).update(status=status)


def do(op, c: Caller, side):
    code = CODE[side]
    if op == "page_project_list":
        r, login = c.page("get", reverse("lists:project_list"))
        return page_allowed(r, login) and code in r.content.decode()
    if op == "page_project_detail":
        return page_allowed(*c.page("get", reverse("registry:project_detail", args=[code])))
    if op == "page_transition":
        from renewal.registry import workflow

        state = TRANSITION_FROM.get(c.who, "已申报")
        set_status(code, state)
        role = c.people[c.who].profile.role if c.who not in ("anonymous", "outsider") else None
        steps = workflow.transitions_from(state, role) or workflow.transitions_from(state)
        url = reverse("registry:project_transition", args=[code])
        r, login = c.page("post", url, {"to": steps[0].target, "comment": "测试理由"})
        return page_allowed(r, login) and project(code).status == steps[0].target
    if op == "page_progress":
        set_status(code, "在建")
        url = reverse("reporting:progress_report", args=[code])
        r, login = c.page("post", url, {"month": MONTH, "investment": "12.5"})
        return page_allowed(r, login) and project(code).progress.filter(month__month=8).exists()
    if op == "page_delete":
        set_status(code, "草稿")
        r, login = c.page("post", reverse("registry:project_delete", args=[code]), {"reason": "重复登记"})
        return page_allowed(r, login) and not Project.objects.filter(code=code).exists()
    if op == "page_history":
        p = project(code)
        return page_allowed(*c.page("get", reverse("audit:history", args=["registry.project", p.pk])))
    if op == "page_overdue":
        r, login = c.page("get", reverse("reporting:overdue") + f"?month={MONTH}")
        return page_allowed(r, login) and AREA_NAME[side] in r.content.decode()
    if op in ("page_approve", "page_confirm"):
        from renewal.reporting.models import MonthApproval

        if op == "page_confirm":
            MonthApproval.objects.create(area_id=AREA[side], month="2024-07-01", state="区县已审核")
        action, wanted = {
            "page_approve": ("approve", "区县已审核"),
            "page_confirm": ("confirm", "市级已确认"),
        }[op]
        data = {"month": "2024-07", "area": AREA[side], "action": action}
        r, login = c.page("post", reverse("reporting:approval_step"), data)
        state = MonthApproval.objects.filter(area_id=AREA[side]).values_list("state", flat=True).first()
        return page_allowed(r, login) and state == wanted
    if op == "page_tasks":
        r, login = c.page("get", reverse("reporting:tasks") + f"?month={MONTH}&n=1")
        clause, unit = TASK[side]
        link = reverse("reporting:task_report", args=[clause, unit, MONTH])
        return page_allowed(r, login) and link in r.content.decode()
    if op == "page_task_report":
        clause, unit = TASK[side]
        url = reverse("reporting:task_report", args=[clause, unit, MONTH])
        r, login = c.page("post", url, {"status": "按计划推进", "text": "已完成年度计划的 60%"})
        from renewal.reporting.models import TaskReport

        return page_allowed(r, login) and TaskReport.objects.filter(clause=clause, unit_id=unit).exists()
    if op == "page_audit_export":
        return page_allowed(*c.page("get", reverse("audit:export")))
    if op == "page_trash":
        return page_allowed(*c.page("get", reverse("audit:trash")))
    if op == "page_enterprise_list":
        r, login = c.page("get", reverse("lists:enterprise_list"))
        return page_allowed(r, login) and USCC[side] in r.content.decode()
    if op == "page_export_projects":
        r, login = c.page("get", reverse("exchange:export", args=["projects"]))
        return page_allowed(r, login) and code in xlsx_codes(r)
    if op == "page_records":
        Project.objects.filter(code=code).update(provincial_key=True)  # counted by T1.projects
        reach(Project.objects.get(code=code))  # … once it has reached its status (a transition)
        url = reverse("indicators:records", args=["T1.projects"])
        r, login = c.page("get", url, {"year": 2024, "as_of": "2024-12-31", "area": AREA[side]})
        return page_allowed(r, login) and code in r.content.decode()
    if op == "page_cockpit":
        r, login = c.page("get", reverse("indicators:cockpit"), {"year": 2024, "area": AREA[side]})
        return page_allowed(r, login) and AREA_NAME[side] in r.content.decode()
    if op == "page_target":
        url = reverse("indicators:target", args=["T1.equipment"])
        r, login = c.page("get", url, {"year": 2024, "area": AREA[side]})
        return page_allowed(r, login) and AREA_NAME[side] in r.content.decode()
    if op == "page_ranking":
        # the ranking names every area: the same page for "own" and "other"
        r, login = c.page("get", reverse("assessment:ranking"), {"month": MONTH})
        return page_allowed(r, login) and AREA_NAME[side][:2] in r.content.decode()
    if op == "page_bulletins":
        r, login = c.page("get", reverse("reports:bulletins"))
        return page_allowed(r, login) and "月度通报" in r.content.decode()
    if op == "api_assessment":
        r = c.api("get", "/api/v1/assessment?year=2024&as_of=2024-08-31")
        return api_allowed(r) and AREA[side] in [i["area"] for i in r.json()["items"]]
    if op == "api_enterprise_list":
        r = c.api("get", "/api/v1/enterprises")
        return api_allowed(r) and USCC[side] in [e["uscc"] for e in r.json()["items"]]
    if op == "api_indicators":
        r = c.api("get", f"/api/v1/indicators?year=2024&area={AREA[side]}")
        return api_allowed(r) and r.json()["area"] == AREA[side] and bool(r.json()["items"])
    if op == "api_project_list":
        r = c.api("get", "/api/v1/projects")
        return api_allowed(r) and code in [p["code"] for p in r.json()["items"]]
    if op == "api_project_get":
        return api_allowed(c.api("get", f"/api/v1/projects/{code}"))
    if op == "api_enterprise_get":
        return api_allowed(c.api("get", f"/api/v1/enterprises/{USCC[side]}"))
    if op == "api_progress_list":
        return api_allowed(c.api("get", f"/api/v1/projects/{code}/progress"))
    if op == "api_enterprise_create":
        body = {"uscc": NEW_USCC[side], "name": "新登记企业", "area": AREA[side], "industry_code": "34"}
        return api_allowed(c.api("post", "/api/v1/enterprises", body))
    if op == "api_enterprise_update":
        return api_allowed(
            c.api("patch", f"/api/v1/enterprises/{USCC[side]}", {"version": 1, "employees": 120})
        )
    if op == "api_project_create":
        body = {
            "code": f"NEW-{side}",
            "name": "新项目",
            "uscc": USCC[side],
            "year": 2024,
            "types": ["设备更新"],
        }
        return api_allowed(c.api("post", "/api/v1/projects", body))
    if op == "api_project_update":
        set_status(code, "草稿")
        return api_allowed(c.api("patch", f"/api/v1/projects/{code}", {"version": 1, "new_robots": 3}))
    if op == "api_progress_report":
        set_status(code, "在建")
        return api_allowed(
            c.api("post", f"/api/v1/projects/{code}/progress", {"month": MONTH, "investment": 1000})
        )
    if op == "api_transition":
        from renewal.registry import workflow

        state = TRANSITION_FROM.get(c.who, "已申报")
        set_status(code, state)
        role = c.people[c.who].profile.role if c.who not in ("anonymous", "outsider") else None
        steps = workflow.transitions_from(state, role) or workflow.transitions_from(state)
        body = {"to": steps[0].target, "comment": "测试理由"}
        return api_allowed(c.api("post", f"/api/v1/projects/{code}/transitions", body))
    raise AssertionError(op)


CELLS = [(op, role) for op in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("op", "role"), CELLS, ids=[f"{op}-{role}" for op, role in CELLS])
def test_each_role_may_do_exactly_what_the_matrix_says(client, people, op, role):
    expected = EXPECTED[op].get(role, (N, N))
    caller = Caller(client, role, people)
    actual = (do(op, caller, "own"), do(op, caller, "other"))
    assert actual == expected


def test_the_operator_of_nanhu_cannot_reach_a_haining_record_through_any_path(client, people, settings):
    """Done-when of issue 5: read, list, change, export (audit log) and admin, for 海宁's records."""
    op = people["op_nanhu"]
    c = Caller(client, "op_nanhu", people)
    assert [p["code"] for p in c.api("get", "/api/v1/projects?area=330481").json()["items"]] == []
    assert c.api("get", "/api/v1/projects/HN-1").status_code == 404
    assert c.api("patch", "/api/v1/projects/HN-1", {"version": 1, "name": "改名"}).status_code == 404
    assert client.get(reverse("registry:project_detail", args=["HN-1"])).status_code == 404
    assert client.get(reverse("audit:export")).status_code == 403
    # the audit log in its scope never names a 海宁 record
    from renewal.accounts.scope import scope_for
    from renewal.audit.selectors import audit_log

    records = {e.record for e in audit_log(scope=scope_for(op))}
    assert any("NH-1" in r for r in records) and not any("HN-1" in r or "海宁" in r for r in records)
    # the admin, even for a staff operator with its group's permissions
    op.is_staff = True
    op.save()
    client.force_login(op)
    listing = client.get("/admin/registry/project/")
    assert listing.status_code == 200
    assert "NH-1" in listing.content.decode() and "HN-1" not in listing.content.decode()
    hn = project("HN-1")
    assert client.get(f"/admin/registry/project/{hn.pk}/change/").status_code in (302, 403, 404)
    assert client.post(f"/admin/registry/project/{hn.pk}/delete/", {"post": "yes"}).status_code in (
        302,
        403,
        404,
    )
    assert Project.objects.filter(code="HN-1").exists()
    assert client.get(f"/admin/registry/project/{hn.pk}/history/").status_code in (302, 403, 404)


def test_an_enterprise_user_reaches_only_its_own_records(client, people):
    c = Caller(client, "enterprise", people)
    assert [e["uscc"] for e in c.api("get", "/api/v1/enterprises").json()["items"]] == [USCC_NANHU]
    other = user("ent-other", None)
    assert c.api("get", f"/api/v1/enterprises/{USCC_HAINING}").status_code == 404
    assert client.get(reverse("registry:project_detail", args=["HN-1"])).status_code == 404
    assert other.pk  # a second account exists and changes nothing for this one
