"""淘汰目录: the elimination catalogue (issue 14, item 4): reference data only the city administrator
imports; a clean sheet writes its entries, every bad row says why with sheet, row and column, the
optional 示例 column, export → import is a no-op; the demonstration sample loads idempotently, every
entry marked 示例, with its history."""

import datetime as dt
import io

import pytest

from renewal.accounts.models import Role
from renewal.accounts.scope import Scope
from renewal.equipment import services
from renewal.equipment.models import EliminationEntry
from renewal.exchange.registry_exports import registry_export
from renewal.lib.errors import Refused
from tests.factories import named_users

from . import files as F

pytestmark = pytest.mark.django_db

CATALOGUE = "测试淘汰目录（测试用）"
# 目录, 批次, 序号, 设备名称, 设备类别, 型号前缀, 淘汰原因, 文号, 生效日期, 示例
MOTOR = [CATALOGUE, "第一批", 1, "低效电动机", "通用设备", "EXM-、ＪＯ２", "能效不达标", "测试文号", dt.date(2024, 1, 1), "否"]  # fmt: skip
BOILER = [CATALOGUE, None, "2", "燃煤锅炉", "通用设备", "EXB-", None, None, "2024-07-01", "是"]
HEADERS = [
    "目录",
    "批次",
    "序号",
    "设备名称",
    "设备类别",
    "型号前缀",
    "淘汰原因",
    "文号",
    "生效日期",
]  # no 示例
NANHU = Scope(role=Role.AREA_OPERATOR, area="330402")


def lines(report) -> list[str]:
    return [i.line() for i in report.errors]


def test_a_clean_sheet_writes_the_entries(run_import, tmp_path):
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"淘汰目录": [MOTOR, BOILER]}))
    assert report.committed, lines(report)
    assert [(s.name, s.new) for s in report.sheets] == [("淘汰目录", 2)]
    motor = EliminationEntry.objects.get(number="1")
    assert (motor.catalogue, motor.batch, motor.prefixes, motor.effective_on, motor.example) == (
        CATALOGUE,
        "第一批",
        "EXM-、ＪＯ２",
        dt.date(2024, 1, 1),
        False,
    )
    boiler = EliminationEntry.objects.get(number="2")
    assert (boiler.batch, boiler.reason, boiler.document_no, boiler.example) == ("", "", "", True)
    assert boiler.history.first().history_change_reason == "Excel 导入：a.xlsx"


def test_a_file_without_the_example_column_keeps_what_the_entry_holds(run_import, tmp_path):
    run_import(F.xlsx(tmp_path / "a.xlsx", {"淘汰目录": [MOTOR, BOILER]}))
    renamed = [*BOILER[:3], "燃煤工业锅炉", *BOILER[4:9]]
    report = run_import(
        F.xlsx(tmp_path / "b.xlsx", {"淘汰目录": [MOTOR[:9], renamed]}, {"淘汰目录": HEADERS})
    )
    assert [(s.new, s.changed, s.unchanged) for s in report.sheets] == [(0, 1, 1)]
    boiler = EliminationEntry.objects.get(number="2")
    assert (boiler.name, boiler.example, boiler.version) == ("燃煤工业锅炉", True, 2)


def test_every_bad_row_is_refused_with_sheet_row_column_and_a_chinese_message(run_import, tmp_path):
    rows = [
        [*MOTOR[:5], "、 ，", *MOTOR[6:]],
        [*MOTOR[:2], "3", *MOTOR[3:8], None, "否"],
        [*MOTOR[:2], "4", *MOTOR[3:4], "机器", *MOTOR[5:]],
        [*MOTOR[:2], "5", *MOTOR[3:8], "2024-13-01", "否"],
        [None, *MOTOR[1:]],
        MOTOR,
        MOTOR,
    ]
    report = run_import(F.xlsx(tmp_path / "bad.xlsx", {"淘汰目录": rows}))
    assert not report.committed
    assert lines(report)[:5] == [
        "淘汰目录, 第2行, 型号前缀: 型号前缀不能为空（多个以“、”分隔）",
        "淘汰目录, 第3行, 生效日期: 不能为空",
        lines(report)[2],
        lines(report)[3],
        "淘汰目录, 第6行, 目录: 不能为空",
    ]
    assert lines(report)[2].startswith("淘汰目录, 第4行, 设备类别: “机器”不是可选值")
    assert lines(report)[3].startswith("淘汰目录, 第5行, 生效日期: ")
    assert lines(report)[5:] == [f"淘汰目录, 第8行, -: 与第 7 行重复（{CATALOGUE} / 第一批 / 1）"]
    assert EliminationEntry.objects.count() == 0


def test_only_the_city_administrator_imports_the_catalogue(run_import, tmp_path):
    op = named_users()["op_nanhu"]
    report = run_import(F.xlsx(tmp_path / "a.xlsx", {"淘汰目录": [MOTOR]}), user=op, scope=NANHU)
    assert not report.committed
    assert lines(report) == ["淘汰目录, 第2行, -: 淘汰目录为全市统一的参考数据，只有市级管理员可以导入"]
    assert EliminationEntry.objects.count() == 0


def test_export_then_import_changes_nothing(run_import, tmp_path):
    assert run_import(F.xlsx(tmp_path / "a.xlsx", {"淘汰目录": [MOTOR, BOILER]})).committed
    services.sample_catalogue_load()
    buffer = io.BytesIO()
    count = registry_export(buffer, kind="elimination", scope=NANHU)  # reference data: every area reads it
    assert count == 2 + len(services.sample_catalogue_read())
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(buffer.getvalue())
    report = run_import(exported)
    assert report.committed, lines(report)
    assert [(s.new, s.changed, s.unchanged) for s in report.sheets] == [(0, 0, count)]


def test_the_sample_loads_once_every_entry_an_example_with_its_history(loaded_plan):
    entries = services.sample_catalogue_read()
    assert 5 <= len(entries) <= 8
    assert {e["catalogue"] for e in entries} == {"示例淘汰目录（演示用，非真实目录）"}
    assert {e["document_no"] for e in entries} == {"示例文号"}
    first = services.sample_catalogue_load()
    assert first == {"new": len(entries), "changed": 0, "unchanged": 0, "deleted": 0}
    assert services.sample_catalogue_load() == {
        "new": 0,
        "changed": 0,
        "unchanged": len(entries),
        "deleted": 0,
    }
    assert all(e.example for e in EliminationEntry.objects.all())
    entry = EliminationEntry.objects.get(number="1")
    assert (
        entry.history.count() == 1 and entry.history.first().history_change_reason == services.SAMPLE_REASON
    )
    EliminationEntry.objects.filter(pk=entry.pk).update(name="改过的名称")
    again = services.sample_catalogue_load(user=named_users()["city_admin"])
    assert again["changed"] == 1
    entry.refresh_from_db()
    assert (entry.name, entry.version) == (entries[0]["name"], 2)
    assert entry.history.first().history_user.username == "city-admin"


def test_only_the_city_administrator_loads_the_sample(loaded_plan):
    users = named_users()
    with pytest.raises(Refused, match="只有市级管理员可以载入"):
        services.sample_catalogue_load(user=users["op_nanhu"])
    assert EliminationEntry.objects.count() == 0


def test_the_sample_file_says_it_is_no_national_catalogue():
    text = services.SAMPLE_CATALOGUE.read_text(encoding="utf-8")
    assert "NOT a transcription" in text and "《产业结构调整指导目录》" in text
    assert text.count("\n    example: true\n") == len(services.sample_catalogue_read())
