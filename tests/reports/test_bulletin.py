"""The monthly bulletin: Word with the expected tables, xlsx annex whose numbers equal the
indicator engine's for the same month, generation as a background task."""

import datetime as dt
import re
from decimal import Decimal

import openpyxl
import pytest
from docx import Document

from renewal.accounts.models import Role
from renewal.assessment import selectors as assessment
from renewal.assessment.sources import indicator_rows
from renewal.lib import units
from renewal.reports import bulletin, services
from renewal.reports.models import Bulletin
from tests import factories

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def files(small_registry, tmp_path):
    out = bulletin.generate("2024-03", tmp_path, pdf=False, issued_on=dt.date(2024, 4, 8))
    return {p.suffix: p for p in out if p.suffix in (".docx", ".xlsx")}


def test_the_word_bulletin_opens_and_has_the_targets_and_ranking_tables(files):
    doc = Document(str(files[".docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于2024年1—3月全市制造业设备更新工作进展情况的通报" in text
    assert "嘉制高办〔2024〕" in text and "2024年4月8日" in text and "三、进度滞后情况" in text
    headers = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert headers[0] == ["序号", "条款", "指标", "目标", "实际完成", "完成率", "序时进度", "状态"]
    assert headers[1][:4] == ["排名", "区域", "得分", "上月排名"]
    city = bulletin.applicable(indicator_rows(2024, dt.date(2024, 3, 31), None))
    assert len(doc.tables[0].rows) == 1 + len(city) and len(doc.tables[1].rows) == 10
    assert len(doc.inline_shapes) == 2  # two charts


def test_every_number_in_the_bulletin_equals_the_indicator_engines(files):
    as_of = dt.date(2024, 3, 31)
    city = {r["name"]: r for r in bulletin.applicable(indicator_rows(2024, as_of, None))}
    book = openpyxl.load_workbook(files[".xlsx"])
    ws = book["表1 全市指标完成情况"]
    head = [c.value for c in ws[1]]
    col = {h: i for i, h in enumerate(head)}
    seen = 0
    for row in ws.iter_rows(min_row=2, values_only=True):
        r = city[row[col["指标"]]]
        for name, key in (
            ("目标（基本单位）", "target"),
            ("实际完成（基本单位）", "actual"),
            ("完成率(%)", "completion"),
            ("序时进度(%)", "expected"),
        ):
            expected = r[key]
            got = row[col[name]]
            assert (got is None and expected is None) or abs(
                Decimal(str(got)) - Decimal(str(expected))
            ) < Decimal("1e-9")
        # the display columns are the Word table's figures, as numbers in the 单位 column's unit
        scale = units.pick(r["unit"], [r["target"], r["actual"]])
        shown = units.shown(r["actual"], r["unit"], scale)
        assert row[col["单位"]] == scale.label
        assert row[col["实际完成（按单位列）"]] == (None if shown is None else float(shown.value))
        seen += 1
    assert seen == len(city)
    # the Word table shows the same numbers, formatted
    doc = Document(str(files[".docx"]))
    shown = [[c.text for c in row.cells] for row in doc.tables[0].rows[1:]]
    for cells, r in zip(shown, city.values(), strict=True):
        assert cells[3:7] == [
            bulletin.fmt(r["target"], r["unit"]),
            bulletin.fmt(r["actual"], r["unit"]),
            bulletin.share(r["completion"]),
            bulletin.share(r["expected"]),
        ]
    ranking = assessment.assessment(2024, as_of)["items"]
    ws2 = book["表2 考核排名"]
    rows = list(ws2.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[0], r[2]) for r in rows] == [
        (i["area_name"], i["rank"], float(units.rounded(Decimal(str(i["score"])), 2))) for i in ranking
    ]


def test_the_bulletin_equals_the_cockpits_indicator_answer(files):
    from renewal.indicators import selectors as cockpit
    from renewal.planning.selectors import active_plan_document

    plan = active_plan_document()
    answer = cockpit.indicators_answer(plan, cockpit.parse_query(plan, year=2024, as_of="2024-03-31"))
    ws = openpyxl.load_workbook(files[".xlsx"])["表1 全市指标完成情况"]
    head = [c.value for c in ws[1]]
    got = {
        row[head.index("指标")]: row[head.index("实际完成（基本单位）")]
        for row in ws.iter_rows(min_row=2, values_only=True)
    }
    expected = {i["name"]: i["actual"] for i in answer["items"] if i.get("period") is not None}
    assert got == expected


def test_a_bad_month_is_refused_in_chinese(small_registry, tmp_path):
    with pytest.raises(bulletin.BulletinError, match="月份应为 YYYY-MM"):
        bulletin.generate("2024-13", tmp_path, pdf=False)


def test_the_bulletin_is_generated_by_a_background_task(
    small_registry, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    settings.MEDIA_ROOT = tmp_path
    admin = factories.user("city-admin", Role.CITY_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        b = services.bulletin_request(month="2024-03", user=admin)
    b.refresh_from_db()
    assert b.status == Bulletin.Status.DONE, b.error
    assert "月度通报-2024-03.docx" in b.files and "月度通报-2024-03-附件.xlsx" in b.files


def test_the_command_writes_the_word_file_and_the_annex(small_registry, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("report", "monthly", "--month", "2024-03", "-o", str(tmp_path), "--no-pdf", stdout=out)
    names = {p.rsplit("/", 1)[-1] for p in out.getvalue().split()}
    assert {"月度通报-2024-03.docx", "月度通报-2024-03-附件.xlsx"} <= names
    assert (tmp_path / "月度通报-2024-03.docx").stat().st_size > 10_000


def test_the_annex_keeps_a_formula_inert_and_its_numbers_numeric(small_registry, tmp_path):
    data = bulletin.bulletin_data("2024-03")
    code = next(iter(data["area_names"]))
    data["area_names"][code] = '=HYPERLINK("http://x","点我")'
    book = openpyxl.load_workbook(bulletin.write_annex(data, tmp_path / "annex.xlsx"))
    assert book.sheetnames == ["表1 全市指标完成情况", "表2 考核排名", "表3 进度滞后区域", "表4 分区域指标"]
    cells = [c for ws in book for row in ws.iter_rows(min_row=2) for c in row]
    evil = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert evil and all(c.data_type == "s" and c.quotePrefix for c in evil)
    assert not any(c.data_type == "f" for c in cells)
    ws = book["表1 全市指标完成情况"]
    head = [c.value for c in ws[1]]
    targets = [row[head.index("目标（基本单位）")] for row in ws.iter_rows(min_row=2)]
    assert targets and all(c.data_type == "n" for c in targets if c.value is not None)
    assert any(isinstance(c.value, int | float) and c.value > 0 for c in targets)
    ranks = [row[0] for row in book["表2 考核排名"].iter_rows(min_row=2)]
    assert [c.value for c in ranks] == sorted(c.value for c in ranks) and ranks[0].data_type == "n"


# What a person reads carries names from the plan file, never an internal id: a target id
# (T1.projects), a snake_case code (mfg_investment), a responsible unit's id (econ-it), a unit
# code (CNY, ratio) or an area code (330400).
INTERNAL_IDS = re.compile(
    r"\b[TGPO]\d{1,2}\.[a-z_]+|\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z]+(?:-[a-z]+)+\b"
    r"|\b(?:CNY|ratio|tce|count|set)\b|(?<!\d)\d{6}(?!\d)"
)


def docx_text(path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_word_bulletin_and_its_charts_name_no_internal_id(files, small_registry):
    text = docx_text(files[".docx"])
    assert "省级重点技术改造项目" in text and "万元" in text
    assert not INTERNAL_IDS.findall(text)
    names, _, _ = bulletin.target_chart(bulletin.bulletin_data("2024-03"))
    assert names and not INTERNAL_IDS.findall("\n".join(names))
    assert any(n.startswith("T1 省级重点") for n in names)


def test_the_annex_holds_numbers_as_numbers_with_the_unit_in_the_header(files):
    book = openpyxl.load_workbook(files[".xlsx"])
    for ws in book:
        head = [c.value for c in ws[1]]
        text = [c.value for row in ws.iter_rows() for c in row if c.data_type == "s"]
        assert not INTERNAL_IDS.findall("\n".join(map(str, text))), ws.title
        if "单位" not in head:
            continue
        units_shown = {row[head.index("单位")] for row in ws.iter_rows(min_row=2, values_only=True)}
        assert units_shown <= {
            "亿元",
            "万元",
            "%",
            "个",
            "台",
            "吨标准煤",
            "万吨标准煤",
            "万元/人·年",
            "万元/亩",
        }
        for header in ("目标（按单位列）", "实际完成（按单位列）", "完成率(%)", "目标（基本单位）"):
            cells = [row[head.index(header)] for row in ws.iter_rows(min_row=2)]
            assert any(c.value is not None for c in cells), (ws.title, header)
            assert all(c.data_type == "n" for c in cells if c.value is not None), (ws.title, header)
    t1 = book["表1 全市指标完成情况"]
    head = [c.value for c in t1[1]]
    rows = {r[head.index("指标")]: r for r in t1.iter_rows(min_row=2, values_only=True)}
    g1 = rows["制造业投资"]  # 1,100亿元 and 40亿元 in the Word table: 1100 and 40 here
    assert (g1[head.index("单位")], g1[head.index("目标（按单位列）")]) == ("亿元", 1100)
    assert (
        g1[head.index("实际完成（按单位列）")] == 40
        and t1.cell(2, head.index("完成率(%)") + 1).number_format == "0.0%"
    )
    scores = [row[2] for row in book["表2 考核排名"].iter_rows(min_row=2)]
    assert scores and all(c.data_type == "n" for c in scores)


def _figures(data: dict) -> list[tuple]:
    rows = data["city_rows"] + [r for rows in data["area_rows"].values() for r in rows]
    return [(r["target_id"], r.get("actual"), r.get("completion"), r.get("status")) for r in rows]


def test_a_past_months_bulletin_keeps_its_numbers_when_the_registry_moves_on(small_registry):
    import datetime as dt
    from decimal import Decimal

    from renewal.registry.models import MonthlyProgress, Project
    from tests.factories import project, reach

    march = _figures(bulletin.bulletin_data("2024-03"))
    # April: 南湖's project is withdrawn, a new one is counted and reports progress
    reach(Project.objects.get(code="P-NH-1"), "撤销", since=dt.date(2024, 4, 8))
    new = project("P-NH-2", small_registry["nanhu"], provincial_key=True, since=dt.date(2024, 4, 2))
    MonthlyProgress.objects.create(
        project=new,
        month=dt.date(2024, 4, 1),
        investment=Decimal(9_000_000),
        equipment_investment=Decimal(9_000_000),
    )
    assert _figures(bulletin.bulletin_data("2024-03")) == march
    april = dict((t, a) for t, a, _, _ in _figures(bulletin.bulletin_data("2024-04"))[:30])
    assert april["T1.projects"] == 2  # P-HN-1 and P-NH-2; P-NH-1 no longer counts
    assert dict((t, a) for t, a, _, _ in march[:30])["T1.projects"] == 2  # P-NH-1 and P-HN-1
