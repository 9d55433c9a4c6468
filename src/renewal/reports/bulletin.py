"""The monthly bulletin (月度通报): data, Word document, xlsx annex, charts, PDF.

Every number comes from ``assessment.sources.indicator_rows`` (the indicator engine) and
``assessment.selectors.assessment`` (scores and ranks) for the month's last day, so the bulletin
equals the cockpit for the same month. ``bulletin_data`` gathers; the writers only lay it out.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

from renewal.assessment import selectors as assessment
from renewal.assessment.sources import indicator_table
from renewal.lib import months, units
from renewal.lib.xlsx import INT, NUMBER, PERCENT, TEXT, ExportColumn, ExportSheet, write_xlsx
from renewal.planning.selectors import active_plan_document

STATUS_LABELS = {
    "green": "达到序时进度",
    "yellow": "略低于序时进度",
    "red": "明显滞后",
    "none": "未分解",
    None: "无数据",
}
CJK_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
CJK_FAMILIES = [
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
]
RED = (0xC0, 0x00, 0x00)


class BulletinError(ValueError):
    pass


def parse_month(month: str) -> tuple[int, int]:
    try:
        first = months.parse_month(month)
    except ValueError as exc:
        raise BulletinError(str(exc)) from None
    return first.year, first.month


def fmt(value, unit: str) -> str:
    """A value for people, as on every page (``renewal.lib.units``): 1,100.00亿元, 38.0万元/人·年."""
    return units.figure(value, unit)


def share(value) -> str:
    return units.percent(value)


def score(value) -> str:
    return units.number(value, 2)


def applicable(rows: list[dict]) -> list[dict]:
    """Rows of targets assessed in the year (the engine gives ``period: None`` for a target whose
    period does not cover the year, e.g. G3 in 2024)."""
    return [r for r in rows if r.get("period", True) is not None]


def bulletin_data(month: str) -> dict:
    year, m = parse_month(month)
    as_of = assessment.month_end(year, m)
    plan = active_plan_document()
    areas = assessment.areas()
    names = {a.code: a.name for a in areas}
    table = indicator_table(year, as_of)
    city = applicable(table[None])
    not_assessed = [r for r in table[None] if r not in city]
    by_area = {a.code: applicable(table[a.code]) for a in areas}
    ranking = assessment.assessment(year, as_of)
    behind = []
    for row in city:
        red, yellow = [], []
        for a in areas:
            r = next((x for x in by_area[a.code] if x["target_id"] == row["target_id"]), None)
            if r is None:
                continue
            if r["status"] == "red":
                red.append(names[a.code])
            elif r["status"] == "yellow":
                yellow.append(names[a.code])
        if red or yellow:
            behind.append(
                {
                    "target_id": row["target_id"],
                    "clause": row["clause"],
                    "name": row["name"],
                    "red": red,
                    "yellow": yellow,
                }
            )
    from renewal.registry.models import TypicalCase

    cases = list(TypicalCase.objects.filter(published=True, year=year).select_related("enterprise")[:5])
    return {
        "month": month,
        "year": year,
        "month_number": m,
        "as_of": as_of,
        "plan": plan,
        "city_rows": city,
        "not_assessed": not_assessed,
        "area_rows": by_area,
        "area_names": names,
        "ranking": ranking,
        "behind": behind,
        "cases": [{"title": c.title, "summary": c.summary} for c in cases],
    }


def target_table(data: dict) -> tuple[list[str], list[list]]:
    headers = ["序号", "条款", "指标", "目标", "实际完成", "完成率", "序时进度", "状态"]
    rows = []
    for i, r in enumerate(data["city_rows"], 1):
        rows.append(
            [
                i,
                r["clause"],
                r["name"],
                fmt(r["target"], r["unit"]),
                fmt(r["actual"], r["unit"]),
                share(r["completion"]),
                share(r["expected"]),
                STATUS_LABELS.get(r["status"], "—"),
            ]
        )
    return headers, rows


def ranking_table(data: dict) -> tuple[list[str], list[list]]:
    headers = ["排名", "区域", "得分", "上月排名", "名次变化", "天工鼎推荐"]
    rows = []
    for it in data["ranking"]["items"]:
        change = it["rank_change"]
        change_text = (
            "—"
            if change is None
            else ("持平" if change == 0 else (f"上升{change}位" if change > 0 else f"下降{-change}位"))
        )
        rows.append(
            [
                it["rank"],
                it["area_name"],
                score(it["score"]),
                it["previous_rank"] or "—",
                change_text,
                "推荐" if it["recommended"] else "",
            ]
        )
    return headers, rows


# --- charts -----------------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    for f in ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc"):
        path = CJK_FONT_DIR / f
        if path.exists():
            font_manager.fontManager.addfont(str(path))
    # the first CJK font the server has (Debian: fonts-noto-cjk or fonts-wqy-microhei; Windows, macOS)
    plt.rcParams["font.family"] = [*CJK_FAMILIES, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def charts(data: dict, out: Path) -> dict[str, Path]:
    plt = _pyplot()
    paths = {}
    items = data["ranking"]["items"]
    fig, ax = plt.subplots(figsize=(7.2, 3.2), dpi=150)
    labels = [it["area_name"].replace("嘉兴经济技术开发区", "经开区") for it in items]
    scores = [it["score"] for it in items]
    colours = ["#c00000" if it["recommended"] else "#2f5597" for it in items]
    bars = ax.bar(labels, scores, color=colours)
    ax.bar_label(bars, labels=[units.number(s, 1) for s in scores], fontsize=8)
    ax.set_ylabel("得分")
    ax.set_title(f"{data['year']}年1—{data['month_number']}月各区域设备更新工作考核得分", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    plt.setp(ax.get_xticklabels(), fontsize=8)
    fig.tight_layout()
    paths["scores"] = out / "chart-scores.png"
    fig.savefig(paths["scores"])
    plt.close(fig)

    names, comp, exp = target_chart(data)
    fig, ax = plt.subplots(figsize=(7.2, 1.2 + 0.3 * len(names)), dpi=150)
    y = range(len(names))
    ax.barh([i + 0.2 for i in y], comp, height=0.4, label="完成率", color="#2f5597")
    ax.barh([i - 0.2 for i in y], exp, height=0.4, label="序时进度", color="#bfbfbf")
    ax.set_yticks(list(y), names, fontsize=7)
    ax.set_xlabel("%")
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], fontsize=8, frameon=False, loc="lower right")
    ax.set_title("全市主要指标完成率与序时进度（完成率超过200%按200%显示）", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    paths["targets"] = out / "chart-targets.png"
    fig.savefig(paths["targets"])
    plt.close(fig)
    return paths


def target_chart(data: dict) -> tuple[list[str], list[float], list[float]]:
    """The targets chart's bars, bottom up: one pair per target, named as the plan names it
    (clause and name, shortened) on the vertical axis, completion capped at 200 %."""
    rows = [r for r in data["city_rows"] if r["completion"] is not None][::-1]
    names = [_short(f"{r['clause']} {r['name']}") for r in rows]
    comp = [min(float(r["completion"]) * 100, 200) for r in rows]
    exp = [float(r["expected"] or 0) * 100 for r in rows]
    return names, comp, exp


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Word -------------------------------------------------------------------------------------

BODY_FONT = "Noto Serif CJK SC"  # stands in for 仿宋_GB2312 where it is not installed
HEAD_FONT = "Noto Sans CJK SC"  # stands in for 黑体


def _run(paragraph, text: str, *, size: float = 16, bold: bool = False, font: str = BODY_FONT, colour=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    if colour:
        run.font.color.rgb = RGBColor(*colour)
    return run


def _para(
    doc, text: str = "", *, size: float = 16, bold=False, font=BODY_FONT, align=None, indent=True, colour=None
):
    from docx.shared import Pt

    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt_ = p.paragraph_format
    fmt_.space_after = Pt(0)
    fmt_.line_spacing = Pt(28)
    if indent:
        fmt_.first_line_indent = Pt(size * 2)
    if text:
        _run(p, text, size=size, bold=bold, font=font, colour=colour)
    return p


def _red_rule(paragraph) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in {"w:val": "single", "w:sz": "18", "w:space": "4", "w:color": "C00000"}.items():
        bottom.set(qn(k), v)
    border.append(bottom)
    ppr.append(border)


def _table(doc, headers: list[str], rows: list[list], widths: list[float] | None = None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for i, h in enumerate(headers):
        cell = table.rows[0].cells[i]
        cell.text = ""
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(p, h, size=9, bold=True, font=HEAD_FONT)
    for row in rows:
        cells = table.add_row().cells
        for i, v in enumerate(row):
            p = cells[i].paragraphs[0]
            p.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if i == 2 and len(headers) > 6 else WD_ALIGN_PARAGRAPH.CENTER
            )
            _run(p, str(v), size=9)
    if widths:
        # fixed layout: LibreOffice and Word both honour the column widths then
        table.autofit = False
        for i, w in enumerate(widths):
            table.columns[i].width = Cm(w)
        for row in table.rows:
            for i, w in enumerate(widths):
                row.cells[i].width = Cm(w)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _chinese_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def write_docx(data: dict, path: Path, chart_paths: dict[str, Path], issued_on: dt.date) -> Path:
    from docx import Document
    from docx.enum.section import WD_SECTION  # noqa: F401  (A4 page set below)
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    plan = data["plan"]
    year, m = data["year"], data["month_number"]
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)

    # 红头: the issuing office in red, the document number, a red rule (GB/T 9704 layout).
    issuer = plan.document.issuer.split("（")[0]
    _para(
        doc,
        issuer,
        size=22,
        font=BODY_FONT,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        colour=RED,
    )
    _para(doc, "", indent=False)
    prefix = plan.document.number.split("〔")[0]  # the office's number prefix, e.g. 嘉制高办
    p = _para(doc, f"{prefix}〔{year}〕　　号", size=16, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _red_rule(p)
    _para(doc, "", indent=False)
    title = f"关于{year}年1—{m}月全市制造业设备更新工作进展情况的通报"
    _para(doc, title, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, "", indent=False)
    _para(doc, "各县（市、区）人民政府，嘉兴经济技术开发区、嘉兴港区管委会，市级有关单位：", indent=False)

    rows = data["city_rows"]
    green = [r for r in rows if r["status"] == "green"]
    lagging = [r for r in rows if r["status"] in ("yellow", "red")]
    _para(
        doc,
        f"根据《{plan.document.title}》（{plan.document.number}）要求，现将截至{_chinese_date(data['as_of'])}"
        f"全市制造业设备更新工作进展情况通报如下：",
    )
    _para(doc, "一、总体进展", size=16, font=HEAD_FONT, bold=False)
    _para(
        doc,
        f"纳入监测的{len(rows)}项目标指标中，{len(green)}项达到序时进度，{len(lagging)}项低于序时进度。"
        + "".join(
            f"{r['name']}完成{fmt(r['actual'], r['unit'])}，完成目标的{share(r['completion'])}（序时进度{share(r['expected'])}）；"
            for r in [r for r in rows if r["actual"] is not None][:3]
        ).rstrip("；")
        + "。",
    )
    _para(
        doc,
        "表1  全市目标指标完成情况",
        size=12,
        font=HEAD_FONT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    h, r = target_table(data)
    _table(doc, h, r, [1.0, 1.1, 3.2, 2.8, 2.8, 1.5, 1.6, 2.3])  # a figure with its unit on one line
    if data["not_assessed"]:
        _para(
            doc,
            "注："
            + "；".join(
                f"{x['name']}（{x['clause']}）{x.get('reason') or '本年度不考核'}"
                for x in data["not_assessed"]
            )
            + "。",
            size=12,
        )
    if chart_paths.get("targets"):
        doc.add_picture(str(chart_paths["targets"]), width=Cm(15.5))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    _para(doc, "二、各地考核排名", size=16, font=HEAD_FONT)
    items = data["ranking"]["items"]
    rec = [it["area_name"] for it in items if it["recommended"]]
    example = "（评分方案为示例，待市里确定）" if data["ranking"]["example"] else ""
    _para(
        doc,
        f"按照设备更新工作考核评分办法{example}，{year}年1—{m}月各地得分排名如表2。"
        f"{'、'.join(items[i]['area_name'] for i in range(min(3, len(items))))}位列前三"
        + (f"，{'、'.join(rec)}列入天工鼎优先推荐名单" if rec else "")
        + "。",
    )
    _para(
        doc,
        "表2  各地设备更新工作考核得分排名",
        size=12,
        font=HEAD_FONT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    h, r = ranking_table(data)
    _table(doc, h, r, [1.4, 4.8, 2.0, 2.0, 2.4, 2.4])
    if chart_paths.get("scores"):
        doc.add_picture(str(chart_paths["scores"]), width=Cm(15.5))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    _para(doc, "三、进度滞后情况", size=16, font=HEAD_FONT)
    if not data["behind"]:
        _para(doc, "各地各项指标均达到序时进度。")
    for b in data["behind"]:
        parts = []
        if b["red"]:
            parts.append(f"明显滞后的有{'、'.join(b['red'])}")
        if b["yellow"]:
            parts.append(f"略低于序时进度的有{'、'.join(b['yellow'])}")
        _para(doc, f"{b['name']}（{b['clause']}）：{'；'.join(parts)}。")

    _para(doc, "四、工作亮点和典型案例", size=16, font=HEAD_FONT)
    up = [it for it in items if it["rank_change"] and it["rank_change"] > 0]
    if up:
        _para(doc, "、".join(f"{it['area_name']}排名上升{it['rank_change']}位" for it in up) + "。")
    if green:
        _para(doc, "达到序时进度的指标：" + "、".join(r["name"] for r in green) + "。")
    for c in data["cases"]:
        _para(doc, f"{c['title']}：{c['summary']}")

    _para(doc, "五、下步工作要求", size=16, font=HEAD_FONT)
    _para(doc, "进度滞后的地区要对照目标任务，逐项分析原因，倒排时间节点，确保完成年度目标任务。")
    _para(doc, "", indent=False)
    _para(doc, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(doc, _chinese_date(issued_on), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(doc, "附件：指标完成情况及考核排名明细表（xlsx）", size=14, indent=False)
    for p in doc.paragraphs:
        p.paragraph_format.space_after = Pt(0)
    doc.save(path)
    return path


def _column(header: str, key: str, kind: str = TEXT, width: int | None = None) -> ExportColumn:
    return ExportColumn(header, key, kind, width)


def _figures(rows: list[dict], scales: dict[str, units.Scale]) -> list[dict]:
    """Indicator rows for the annex: target and actual as numbers in the display unit of the
    单位 column (one per target, the city's, so that the areas compare), and in base units."""
    out = []
    for r in rows:
        s = scales.get(r["target_id"]) or units.pick(r["unit"], [r["target"], r["actual"]])
        out.append(
            {
                **r,
                "unit_label": s.label,
                "base_label": units.unit_of(r["unit"]).base,
                "target_shown": units.shown(r["target"], r["unit"], s),
                "actual_shown": units.shown(r["actual"], r["unit"], s),
                "status_label": STATUS_LABELS.get(r["status"], "—"),
            }
        )
    return out


FIGURE_COLUMNS = [
    _column("条款", "clause", width=7),
    _column("指标", "name", width=34),
    _column("单位", "unit_label", width=12),
    _column("目标（按单位列）", "target_shown", width=16),
    _column("实际完成（按单位列）", "actual_shown", width=16),
    _column("完成率(%)", "completion", PERCENT, width=11),
    _column("序时进度(%)", "expected", PERCENT, width=11),
    _column("状态", "status_label", width=14),
    _column("基本单位", "base_label", width=12),
    _column("目标（基本单位）", "target", NUMBER, width=18),
    _column("实际完成（基本单位）", "actual", NUMBER, width=18),
]


def write_annex(data: dict, path: Path) -> Path:
    """The xlsx annex: the bulletin's tables with numbers as numbers (units in the headers or in
    the 单位 column, percentages as percentages), names as in the plan, no internal codes."""
    scales = {r["target_id"]: units.pick(r["unit"], [r["target"], r["actual"]]) for r in data["city_rows"]}
    city = [{**r, "number": i} for i, r in enumerate(_figures(data["city_rows"], scales), 1)]
    ranking = [
        {
            **it,
            "score_shown": units.Shown(units.rounded(units.decimal(it["score"]), 2), 2, "分"),
            "change": row[4],
            "recommended_label": row[5],
        }
        for it, row in zip(data["ranking"]["items"], ranking_table(data)[1], strict=True)
    ]
    behind = [
        {**b, "red_text": "、".join(b["red"]), "yellow_text": "、".join(b["yellow"])} for b in data["behind"]
    ]
    areas = [
        {**r, "area_name": data["area_names"][code]}
        for code, rows in data["area_rows"].items()
        for r in _figures(rows, scales)
    ]
    write_xlsx(
        str(path),
        [
            ExportSheet("表1 全市指标完成情况", [_column("序号", "number", INT), *FIGURE_COLUMNS], city),
            ExportSheet(
                "表2 考核排名",
                [
                    _column("排名", "rank", INT),
                    _column("区域", "area_name", width=24),
                    _column("得分", "score_shown"),
                    _column("上月排名", "previous_rank", INT),
                    _column("名次变化", "change"),
                    _column("天工鼎推荐", "recommended_label"),
                ],
                ranking,
            ),
            ExportSheet(
                "表3 进度滞后区域",
                [
                    _column("条款", "clause", width=7),
                    _column("指标", "name", width=34),
                    _column("明显滞后", "red_text", width=30),
                    _column("略低于序时进度", "yellow_text", width=30),
                ],
                behind,
            ),
            ExportSheet("表4 分区域指标", [_column("区域", "area_name", width=20), *FIGURE_COLUMNS], areas),
        ],
    )
    return path


def to_pdf(docx_path: Path) -> Path | None:
    """A PDF beside the Word file when LibreOffice is installed (else None)."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        return None
    profile = docx_path.parent / ".lo-profile"
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(docx_path.parent),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.rmtree(profile, ignore_errors=True)
    pdf = docx_path.with_suffix(".pdf")
    return pdf if pdf.exists() else None


def generate(
    month: str, out_dir: Path, *, pdf: bool = True, progress=lambda msg: None, issued_on=None
) -> list[Path]:
    """Write the bulletin of ``month`` into ``out_dir``: docx, xlsx annex, charts, PDF."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    progress("汇总指标与考核数据")
    data = bulletin_data(month)
    progress("绘制图表")
    chart_paths = charts(data, out_dir)
    progress("生成 Word 通报")
    stem = f"月度通报-{month}"
    files = [write_docx(data, out_dir / f"{stem}.docx", chart_paths, issued_on or dt.date.today())]
    progress("生成 Excel 附件")
    files.append(write_annex(data, out_dir / f"{stem}-附件.xlsx"))
    if pdf:
        progress("转换 PDF")
        p = to_pdf(files[0])
        if p:
            files.append(p)
    files += list(chart_paths.values())
    return files
