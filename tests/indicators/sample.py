"""A minimal reader of the shared example workbook (registry-sample.xlsx) for tests only: the full
Excel import belongs to the exchange app. Reads with python-calamine; money from 万元 to yuan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineWorkbook

from renewal.planning.models import Area
from renewal.registry import models
from tests.factories import reach

SAMPLE = Path("/work/shared/examples/registry-sample.xlsx")
EXPECTED = SAMPLE.with_name("registry-sample.expected.json")
# Fall back to a copy in the repository when the shared folder is not there (CI).
if not SAMPLE.exists():
    SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "registry-sample.xlsx"
    EXPECTED = SAMPLE.with_name("registry-sample.expected.json")
WAN = Decimal(10_000)


def _rows(wb: CalamineWorkbook, sheet: str) -> list[dict]:
    data = wb.get_sheet_by_name(sheet).to_python()
    header = [str(h).strip() for h in data[0]]
    return [dict(zip(header, row, strict=False)) for row in data[1:] if any(c not in ("", None) for c in row)]


def _yes(value) -> bool:
    return str(value).strip() == "是"


def _date(value) -> dt.date | None:
    if value in ("", None):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def _area(text: str) -> Area:
    text = str(text).strip()
    return Area.objects.get(code=text) if text[:1].isdigit() else Area.objects.get(name=text)


def load_sample(path: Path = SAMPLE) -> None:
    wb = CalamineWorkbook.from_path(str(path))
    enterprises = {}
    for r in _rows(wb, "企业"):
        e = models.Enterprise.objects.create(
            uscc=r["统一社会信用代码"],
            name=r["企业名称"],
            area=_area(r["所属区域"]),
            industry_code=str(r["行业代码"]).split(".")[0],
            above_scale=_yes(r["是否规上"]),
        )
        enterprises[e.uscc] = e
    projects = {}
    for r in _rows(wb, "项目"):
        e = enterprises[r["统一社会信用代码"]]
        p = models.Project.objects.create(
            code=r["项目编号"],
            name=r["项目名称"],
            enterprise=e,
            area=e.area,
            year=int(r["年度"]),
            types=r["项目类型"],
            provincial_key=_yes(r["省级重点技改"]),
            total_investment=Decimal(str(r["总投资(万元)"])) * WAN,
            equipment_investment=Decimal(str(r["设备投资(万元)"])) * WAN,
            new_robots=int(r["新增工业机器人(台)"]),
            energy_saving=Decimal(str(r["节能量(吨标准煤)"])),
            start_date=_date(r["开工日期"]),
            end_date=_date(r["竣工日期"]),
            status=r["状态"],
        )
        projects[p.code] = reach(p)
    for r in _rows(wb, "月度进度"):
        models.MonthlyProgress.objects.create(
            project=projects[r["项目编号"]],
            month=dt.date.fromisoformat(str(r["月份(YYYY-MM)"]).strip() + "-01"),
            investment=Decimal(str(r["完成投资(万元)"])) * WAN,
            equipment_investment=Decimal(str(r["完成设备投资(万元)"])) * WAN,
            robots=int(r["机器人到位(台)"]),
            cnc=int(r["数控机床到位(台)"]),
        )
    for r in _rows(wb, "试点示范"):
        models.Honour.objects.create(
            enterprise=enterprises[r["统一社会信用代码"]],
            kind=r["类型"],
            level=r["级别"],
            year=int(r["年度"]),
        )
    for r in _rows(wb, "首台套"):
        models.FirstSetProduct.objects.create(
            enterprise=enterprises[r["统一社会信用代码"]],
            product_name=r["产品名称"],
            category=r["类别"],
            level=r["级别"],
            year=int(r["年度"]),
        )
