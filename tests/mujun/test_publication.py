"""The publication ladder of the 亩均 evaluation (P14): run (审核中) → publish (公示中, a window) →
objections (an enterprise objects; the area rejects with a reason or accepts with a corrected row,
which makes a new version) → the city confirms after the window (frozen). Each refusal in Chinese,
each step in the history, both versions kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renewal.accounts.models import Role
from renewal.lib.errors import Conflict, Invalid, Refused
from renewal.mujun import results, services
from renewal.mujun.models import AnnualData, Evaluation, FrozenEvaluationError, Objection
from tests.factories import user

from . import cases as C

pytestmark = pytest.mark.django_db
NANHU = "330402"
DAY = dt.date(2025, 3, 3)


@pytest.fixture
def world(area):
    """The hand-computed area, with an enterprise user of R13 (ranked last: class D)."""
    area["r13"] = user("ent-r13", Role.ENTERPRISE, enterprise_uscc=C.uscc(20))
    return area


def classes(ev):
    return {i["name"]: i["class"] for i in ev.answer["items"]}


def published(world):
    ev = services.evaluation_run(user=world["op_nanhu"], area=NANHU, year=2024)
    return services.evaluation_publish(
        user=world["op_nanhu"], evaluation=ev, public_classes=["A", "D"], today=DAY
    )


def test_run_stores_the_answer_its_inputs_and_scheme_as_version_1(world):
    ev = services.evaluation_run(user=world["op_nanhu"], area=NANHU, year=2024)
    assert (ev.version, ev.status, ev.evaluated, ev.class_sizes) == (
        1,
        "draft",
        20,
        {"A": 4, "B": 10, "C": 5, "D": 1},
    )
    assert classes(ev) == {n: k for n, (_, k, *_) in C.EXPECTED.items()}
    assert ev.inputs[C.uscc(20)]["tax"] == 350_000 and ev.inputs[C.uscc(20)]["version"] == 1
    assert ev.scheme["cap"] == 1.5 and ev.answer["benchmarks"]["亩均税收"] == 10000
    # a second run replaces the draft; the first stays, marked as replaced
    again = services.evaluation_run(user=world["city_admin"], area=NANHU, year=2024)
    assert again.version == 2 and again.previous_id == ev.pk
    ev.refresh_from_db()
    assert ev.status == "superseded"


def test_who_may_run_publish_and_confirm(world):
    with pytest.raises(Refused, match="只能运行本区域"):
        services.evaluation_run(user=world["op_haining"], area=NANHU, year=2024)
    for who in ("city_reviewer", "enterprise", "viewer"):
        with pytest.raises(Refused):
            services.evaluation_run(user=world[who], area=NANHU, year=2024)
    with pytest.raises(Invalid, match="没有用地面积大于 0 的亩均数据"):
        services.evaluation_run(user=world["city_admin"], area="330481", year=2023)
    ev = published(world)
    assert (ev.status, ev.window_start, ev.window_end, ev.public_classes) == (
        "public",
        DAY,
        dt.date(2025, 3, 9),
        ["A", "D"],
    )
    with pytest.raises(Conflict, match="正在公示"):
        services.evaluation_run(user=world["op_nanhu"], area=NANHU, year=2024)
    with pytest.raises(Refused, match="只有市级用户"):
        services.evaluation_confirm(user=world["op_nanhu"], evaluation=ev, today=dt.date(2025, 3, 10))
    with pytest.raises(Conflict, match="公示期至 2025-03-09 结束"):
        services.evaluation_confirm(user=world["city_reviewer"], evaluation=ev, today=dt.date(2025, 3, 9))


def test_an_objection_rejected_keeps_the_result(world):
    ev = published(world)
    with pytest.raises(Refused, match="不在该评价结果中"):  # 南湖测试机械 has no 亩均 row
        services.objection_file(user=world["enterprise"], evaluation=ev, reason="数据有误", today=DAY)
    with pytest.raises(Invalid, match="请填写异议理由"):
        services.objection_file(user=world["r13"], evaluation=ev, reason="  ", today=DAY)
    with pytest.raises(Conflict, match="公示期已于 2025-03-09 结束"):
        services.objection_file(
            user=world["r13"], evaluation=ev, reason="税收漏报", today=dt.date(2025, 3, 10)
        )
    pdf = SimpleUploadedFile("完税证明.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    obj = services.objection_file(
        user=world["r13"], evaluation=ev, reason="税收漏报", attachment=pdf, today=DAY
    )
    assert obj.status == "pending" and obj.attachment.name.endswith(".pdf")
    with pytest.raises(Conflict, match="已有一件异议待答复"):
        services.objection_file(user=world["r13"], evaluation=ev, reason="再次", today=DAY)
    with pytest.raises(Conflict, match="尚有 1 件异议未答复"):
        services.evaluation_confirm(user=world["city_admin"], evaluation=ev, today=dt.date(2025, 3, 10))
    with pytest.raises(Refused, match="只能答复本区域"):
        services.objection_answer(user=world["op_haining"], objection=obj, accept=False, answer="否")
    with pytest.raises(Invalid, match="请填写答复"):
        services.objection_answer(user=world["op_nanhu"], objection=obj, accept=False, answer="")
    obj = services.objection_answer(
        user=world["op_nanhu"], objection=obj, accept=False, answer="完税证明所列税款属 2025 年"
    )
    assert obj.status == "rejected" and obj.result is None
    assert Evaluation.objects.filter(area_id=NANHU, year=2024).count() == 1
    final = services.evaluation_confirm(user=world["city_admin"], evaluation=ev, today=dt.date(2025, 3, 10))
    assert final.status == "confirmed"


def test_an_objection_accepted_corrects_the_row_and_makes_version_2_and_the_class_changes(world):
    ev = published(world)
    obj = services.objection_file(user=world["r13"], evaluation=ev, reason="税收少计 150万元", today=DAY)
    row = AnnualData.objects.get(enterprise__uscc=C.uscc(20), year=2024)
    with pytest.raises(Invalid, match="至少一项"):
        services.objection_answer(
            user=world["op_nanhu"], objection=obj, accept=True, data={"tax": row.tax}, version=1
        )
    # R13: 35万元 → 185万元 of tax: Σ tax 2,150万元, the benchmark 1.075万元/亩; R13 now second by tax
    obj = services.objection_answer(
        user=world["op_nanhu"],
        objection=obj,
        accept=True,
        answer="经核实采纳",
        data={"tax": Decimal(1_850_000)},
        version=1,
    )
    new = obj.result
    assert (obj.status, new.version, new.status, new.previous_id) == ("accepted", 2, "public", ev.pk)
    assert (new.window_end, new.public_classes) == (ev.window_end, ["A", "D"])
    ev.refresh_from_db()
    assert ev.status == "superseded" and classes(ev)["R13"] == "D"
    assert classes(new)["R13"] == "A" and classes(new)["R12"] == "D"
    assert new.answer["benchmarks"]["亩均税收"] == 10750
    assert (
        new.inputs[C.uscc(20)] | {} == new.inputs[C.uscc(20)] and new.inputs[C.uscc(20)]["tax"] == 1_850_000
    )
    assert new.inputs[C.uscc(20)]["version"] == 2 and ev.inputs[C.uscc(20)]["tax"] == 350_000
    row.refresh_from_db()
    assert (row.tax, row.version) == (Decimal(1_850_000), 2)
    final = services.evaluation_confirm(
        user=world["city_reviewer"], evaluation=new, today=dt.date(2025, 3, 10)
    )
    # frozen: both versions are kept and neither changes any more
    assert [(e.version, e.status) for e in Evaluation.objects.order_by("version")] == [
        (1, "superseded"),
        (2, "confirmed"),
    ]
    final.status = "public"
    with pytest.raises(FrozenEvaluationError):
        final.save(update_fields=["status"])
    with pytest.raises(FrozenEvaluationError):
        final.delete()
    with pytest.raises(Conflict, match="已确认，结果已冻结"):
        services.evaluation_run(user=world["op_nanhu"], area=NANHU, year=2024)
    # every step has its history row, with who and why
    reasons = [h.history_change_reason for h in Evaluation.history.filter(id=new.pk).order_by("history_id")]
    assert reasons == ["采纳 R13 的异议，更正亩均数据", "确认评价结果"]
    assert [h.history_change_reason for h in Objection.history.filter(id=obj.pk).order_by("history_id")] == [
        "提出异议",
        "采纳异议",
    ]


def test_an_answer_cannot_change_the_stored_answer(world):
    ev = services.evaluation_run(user=world["op_nanhu"], area=NANHU, year=2024)
    ev.answer = {"items": []}
    with pytest.raises(FrozenEvaluationError):
        ev.save()
    with pytest.raises(FrozenEvaluationError):
        ev.save(update_fields=["answer"])


def test_what_each_reader_sees(world):
    from renewal.accounts.scope import scope_for

    draft = services.evaluation_run(user=world["op_nanhu"], area=NANHU, year=2024)
    r13 = scope_for(world["r13"])
    assert results.version_get(scope=r13, area=NANHU, year=2024) is None  # not yet published
    assert results.public_lists(year=2024) == []
    services.evaluation_publish(
        user=world["op_nanhu"], evaluation=draft, public_classes=["A", "D"], today=DAY
    )
    ev = results.version_get(scope=r13, area=NANHU, year=2024)
    assert [i["name"] for i in results.items_for(ev, scope=r13)] == ["R13"]
    assert len(results.items_for(ev, scope=scope_for(world["op_nanhu"]))) == 20
    assert results.version_get(scope=scope_for(world["op_haining"]), area=NANHU, year=2024) is None
    (public,) = results.public_lists(year=2024)
    assert [(c["class"], c["names"]) for c in public["classes"]] == [
        ("A", ["P", "Q", "R01", "R02"]),
        ("D", ["R13"]),
    ]
