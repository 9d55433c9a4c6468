"""Whole documents: Jiaxing's plan end to end against its reviewed plan file, other formats, a
document with no numbers, a scan with no text layer, the command line."""

import ast
import json
from io import StringIO
from pathlib import Path

import docx
import numpy as np
import pytest
from django.core.management import CommandError, call_command

from renewal.drafting import output, quality
from renewal.drafting.build import draft_text
from renewal.drafting.reader import DraftError, read_bytes

JIAXING_TEXT = Path("/work/shared/mission/jiaxing-equipment-renewal-plan-2024.zh.txt")
if not JIAXING_TEXT.exists():  # the mission folder beside the checkout
    JIAXING_TEXT = Path(__file__).resolve().parents[3] / "shared" / "mission" / JIAXING_TEXT.name
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def jiaxing_draft():
    return output.draft_file(JIAXING_TEXT)


def test_the_jiaxing_draft_has_every_target_of_the_plan_with_value_unit_and_period(jiaxing_draft, jiaxing):
    score = quality.score_targets(jiaxing_draft, jiaxing)
    print("targets", score.line, score.missed, score.false)
    assert score.missed == [] and score.false == []
    assert len(score.found) == len(jiaxing.targets) == 24


def test_the_jiaxing_draft_has_every_lead_unit_of_every_clause(jiaxing_draft, jiaxing):
    score = quality.score_lead_units(jiaxing_draft, jiaxing)
    print("lead units", score.line, score.missed, score.false)
    assert score.missed == [] and score.false == []
    assert [c["id"] for c in jiaxing_draft["clauses"]] == [c.id for c in jiaxing.clauses]


def test_the_jiaxing_draft_has_the_parameters_the_document_states(jiaxing_draft, jiaxing):
    score = quality.score_parameters(jiaxing_draft, jiaxing, jiaxing.document.number)
    print("parameters", score.line, score.missed)
    # the 10% special-equipment credit comes from national rules, not from the document's text
    assert score.missed == ["P13.special_equipment_credit_rate = 0.1"]


def test_the_jiaxing_draft_reads_the_cover_letter(jiaxing_draft):
    d = jiaxing_draft
    assert d["document"]["number"] == "嘉制高办〔2024〕5号"
    assert d["document"]["issued_on"] == "2024-04-25"
    assert d["document"]["title"] == "嘉兴市推进制造业领域大规模设备更新专项行动实施方案"
    assert (d["city"]["name"], d["start_year"], d["end_year"]) == ("嘉兴市", 2024, 2027)
    assert [(a["name"], a["kind"]) for a in d["areas"]] == [
        ("嘉兴经济技术开发区", "zone"),
        ("嘉兴港区", "zone"),
    ]
    assert d["areas"][1]["aliases"] == ["浙江乍浦经济开发区（嘉兴港区）"]
    assert any("各县（市、区）" in w for w in d["draft"]["warnings"])


def test_every_drafted_item_points_at_its_sentence(jiaxing_draft):
    raw = JIAXING_TEXT.read_text(encoding="utf-8")
    for t in jiaxing_draft["targets"]:
        pos = t["position"]
        original = raw[pos["offset"] : pos["offset"] + pos["length"]]
        assert original.replace(" ", "").replace("\n", "") in t["source_text"], t["id"]
        assert raw.count("\n", 0, pos["offset"]) + 1 == pos["line"]


def test_a_reviewed_jiaxing_draft_validates_against_the_plan_schema(jiaxing_draft):
    d = json.loads(json.dumps(jiaxing_draft))
    d["city"]["code"] = "330400"
    for i, a in enumerate(d["areas"]):
        a["code"] = f"zone{i}"
    plan = output.plan_from_draft(d)
    assert len(plan.targets) == 24 and plan.parameters[0].id == "P11.cap"


def test_an_unreviewed_draft_names_what_is_missing():
    d = draft_text(JIAXING_TEXT.read_text(encoding="utf-8"))
    with pytest.raises(Exception) as exc:
        output.plan_from_draft(d)
    assert "city.code" in str(exc.value) and "areas[0].code" in str(exc.value)


def test_a_document_without_numbers_gives_a_clean_empty_draft():
    d = draft_text(
        "各区人民政府：\n\n一、总体要求\n\n坚持创新驱动，推动设备更新。\n\n二、保障措施\n\n加强组织领导。"
    )
    assert (d["targets"], d["parameters"], d["clauses"]) == ([], [], [])
    assert "文中未找到带单位的数量目标或政策参数" in d["draft"]["warnings"]
    assert output.draft_to_yaml(d).startswith("# 方案草稿")


def test_a_word_document_is_read_paragraph_by_paragraph(tmp_path):
    document = docx.Document()
    for line in ("一、工作目标", "到2026年，工业投资年均增长8%，数控化率超过75%。"):
        document.add_paragraph(line)
    path = tmp_path / "plan.docx"
    document.save(path)
    d = output.draft_file(path)
    assert [(t["kind"], t["value"]) for t in d["targets"]] == [("average_growth", 0.08), ("level", 0.75)]


def test_a_pdf_with_a_text_layer_is_read_with_radicals_fixed():
    d = output.draft_file(
        FIXTURES / "other-city.pdf"
    )  # printed by Chromium; its text layer has ⼈⺠ radicals
    assert d["document"]["title"] == "某市推动工业领域设备更新实施方案"
    assert [(t["value"], t["period"]) for t in d["targets"]] == [
        (0.08, {"each_year": "2024-2026"}),
        (0.75, {"by": 2026}),
        (300, {"each_year": "2024-2026"}),
    ]


def test_a_scanned_pdf_without_a_text_layer_gets_a_clear_message(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 2))
    fig.figimage(np.random.default_rng(1).random((50, 50)))  # an image only, like a scan
    path = tmp_path / "scan.pdf"
    fig.savefig(path)
    plt.close(fig)
    with pytest.raises(DraftError, match="PDF 没有文字层（可能是扫描件或图片）"):
        output.draft_file(path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.xls", b"abc", "不支持的文件类型 .xls"),
        ("plan.pdf", b"not a pdf", "不是有效的 PDF 文件"),
        ("plan.docx", b"not a zip", "不是有效的 Word（.docx）文件"),
        ("plan.txt", b"  ", "文件为空"),
    ],
)
def test_unreadable_files_get_a_chinese_message(name, data, message):
    with pytest.raises(DraftError, match=message):
        read_bytes(name, data)


def test_a_gb18030_text_file_is_read():
    assert "增长" in read_bytes("a.txt", "工业投资增长8%".encode("gb18030"))


def test_the_command_writes_a_yaml_draft_and_prints_a_summary(tmp_path):
    out = StringIO()
    target = tmp_path / "draft.yaml"
    call_command("plan", "draft", str(JIAXING_TEXT), "-o", str(target), stdout=out)
    assert "24 个目标指标" in out.getvalue() and "人工审核" in out.getvalue()
    assert "source_text:" in target.read_text(encoding="utf-8")


def test_the_command_prints_json_in_the_shape_of_plan_show():
    out = StringIO()
    call_command("plan", "draft", str(JIAXING_TEXT), "--json", stdout=out)
    data = json.loads(out.getvalue())
    g1 = data["targets"][0]
    assert {k: g1[k] for k in ("id", "clause", "comparator", "value", "unit", "display")} == {
        "id": "G1",
        "clause": "G1",
        "comparator": "≥",
        "value": 110000000000,
        "unit": "CNY",
        "display": "1100亿元以上",
    }
    assert g1["period"]["kind"] == "year" and g1["confidence"] > 0.5 and g1["position"]["line"] == 48
    assert [t["id"] for t in data["tasks"]] == [f"T{i}" for i in range(1, 11)]


def test_the_command_explains_a_scan(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF")
    with pytest.raises(CommandError, match="empty.pdf：PDF 没有文字层|empty.pdf：不是有效的 PDF"):
        call_command("plan", "draft", str(path), stdout=StringIO())


def test_the_extraction_modules_use_no_orm():
    src = Path(output.__file__).parent
    for name in ("reader.py", "extract.py", "build.py", "output.py", "quality.py"):
        tree = ast.parse((src / name).read_text(encoding="utf-8"))
        imported = {
            n.module if isinstance(n, ast.ImportFrom) else a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.Import | ast.ImportFrom)
            for a in n.names
        }
        assert not any(m and (m.startswith("django") or m.endswith("models")) for m in imported), name
