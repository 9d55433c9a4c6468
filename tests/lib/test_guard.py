"""The request guard (lib/guard.py, issue 20): a NUL or another control character in a path, a
query parameter or a form field answers 400 naming it, on pages and the API alike; a service's
refusal a view did not catch answers its own status; a unique race answers 409."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from renewal.accounts.tokens import token_create
from renewal.lib.errors import Conflict
from renewal.lib.races import created_once
from renewal.registry.models import Enterprise, MonthlyProgress
from renewal.reporting.services import progress_report

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_query_parameter_answers_400_naming_it_without_login(client, loaded_plan):
    response = client.get("/catalogue/", {"q": "机\x00床"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "请求有误：查询参数 q含有不允许的控制字符 NUL（第 2 个字符）" in text
    assert "\x00" not in text


def test_a_nul_in_an_api_query_parameter_answers_json_400(client, people):
    _, plain = token_create(user=people["op_nanhu"])
    response = client.get("/api/v1/projects?status=%00", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求有误：查询参数 status含有不允许的控制字符 NUL（第 1 个字符）"}


def test_a_nul_in_a_path_segment_answers_400(client, people):
    client.force_login(people["city_admin"])
    response = client.get("/mujun/card/%00/2024/")
    assert response.status_code == 400
    assert "地址含有不允许的控制字符 NUL" in response.content.decode()


def test_a_nul_in_a_form_field_answers_400_and_writes_nothing(client, people):
    client.force_login(people["op_nanhu"])
    before = MonthlyProgress.objects.count()
    response = client.post("/reporting/projects/NH-1/progress", {"month": "2024-03", "investment": "1\x00"})
    assert response.status_code == 400
    assert "字段 investment含有不允许的控制字符 NUL（第 2 个字符）" in response.content.decode()
    assert MonthlyProgress.objects.count() == before


def test_line_breaks_in_a_form_field_pass_the_guard(client, people):
    client.force_login(people["op_nanhu"])
    response = client.post(
        "/reporting/projects/NH-1/progress", {"month": "2024-03", "note": "第一行\r\n第二行"}
    )
    assert response.status_code != 400


def test_a_unique_race_becomes_a_conflict_and_the_transaction_stays_usable(people):
    nanhu = Enterprise.objects.get(uscc=people["NH"].enterprise.uscc)
    with transaction.atomic():
        with pytest.raises(Conflict) as caught:
            with created_once("保存冲突：测试"):
                Enterprise.objects.create(
                    uscc=nanhu.uscc, name="重复", area_id=nanhu.area_id, industry_code="34"
                )
        assert caught.value.status == 409 and caught.value.message == "保存冲突：测试"
        assert Enterprise.objects.filter(uscc=nanhu.uscc).count() == 1  # still usable after the refusal


def test_two_people_filing_the_same_new_month_at_once_get_409_not_500(people, monkeypatch):
    """The second request's look-up ran before the first committed: it saw no row and inserts too."""
    month = dt.date(2024, 3, 1)
    progress_report(
        user=people["op_nanhu"], project=people["NH"], month=month, data={"investment": Decimal(1)}
    )
    real = MonthlyProgress.all_objects.select_for_update

    class Missed:
        def filter(self, **kwargs):
            return self

        def first(self):
            return None

    monkeypatch.setattr(MonthlyProgress.all_objects, "select_for_update", lambda: Missed())
    with pytest.raises(Conflict) as caught:
        progress_report(
            user=people["op_nanhu"], project=people["NH"], month=month, data={"investment": Decimal(2)}
        )
    monkeypatch.setattr(MonthlyProgress.all_objects, "select_for_update", real)
    assert caught.value.message == (
        "保存冲突：项目 NH-1 2024-03 的进度刚由他人同时填报，请刷新后在最新内容上修改，未保存任何内容。"
    )
    assert list(
        MonthlyProgress.objects.filter(project=people["NH"]).values_list("investment", flat=True)
    ) == [1]


def test_an_uncaught_service_refusal_answers_its_own_status_on_a_page(rf, people):
    from django.contrib.messages.storage.fallback import FallbackStorage

    from renewal.lib.errors import NotFound
    from renewal.lib.guard import InputGuardMiddleware

    request = rf.get("/registry/")
    request.user, request.session = people["viewer"], {}
    request._messages = FallbackStorage(request)
    response = InputGuardMiddleware(lambda r: None).process_exception(request, NotFound("未找到项目 X-1"))
    assert response.status_code == 404
    assert "未找到项目 X-1" in response.content.decode()
