"""Real files for the import tests: xlsx written with xlsxwriter, CSV in UTF-8 or GBK. Files that
need LibreOffice or an encryption tool are committed under tests/fixtures/exchange/ (see its README)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from renewal.exchange import sheets as S

# The projects are legacy data of a city administrator (any state, with its 状态日期).
# Valid credit codes (GB 32100-2015 check character)
USCC_A = "91330402MA29P4Q6R7"  # 南湖 enterprise of the shared sample
USCC_B = "91330481MA28K7L3XB"  # 海宁 enterprise of the shared sample

ENTERPRISE_A = [USCC_A, "南湖测试汽配有限公司", "南湖区", "36", "是", 120, 900, "否", "否", "否"]
ENTERPRISE_B = [USCC_B, "海宁测试经编有限公司", "330481", "17", "Y", 80, 450, "N", "否", "否"]
PROJECT_A = ["T-001", "涂装线改造", USCC_A, 2024, "绿色化改造、设备更新", "是", 3000, 1800, 0, 6, 2, 950, "否",
             dt.date(2024, 1, 5), "2024/2/28", "在建", dt.date(2024, 1, 5)]  # fmt: skip
PROJECT_B = ["T-002", "经编车间智能化", USCC_B, 2024, "智能化改造", "否", 1500, 900, 0, 4, 0, 0, "否",
             "2024-03-01", "", "已入库", "2024-02-20"]  # fmt: skip
PROGRESS_A = ["T-001", "2024-02", 1000, 600, 3, 1]
# The same projects as an area operator declares them (已申报, no 状态日期)
DECLARED_A = [*PROJECT_A[:15], "已申报", None]
DECLARED_B = [*PROJECT_B[:15], "已申报", None]


def xlsx(path: Path, sheets: dict[str, list[list]], headers: dict[str, list] | None = None) -> Path:
    """A workbook with the DESIGN.md headers (or ``headers``) and the given data rows."""
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        head = (headers or {}).get(name) or S.BY_NAME[name].headers
        for c, h in enumerate(head):
            ws.write_string(0, c, h)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
                elif value is None:
                    continue
                else:
                    ws.write(r, c, value)
    wb.close()
    return path


def clean_workbook(path: Path) -> Path:
    return xlsx(
        path,
        {"企业": [ENTERPRISE_A, ENTERPRISE_B], "项目": [PROJECT_A, PROJECT_B], "月度进度": [PROGRESS_A]},
    )


def csv_file(path: Path, sheet: str, rows: list[list], encoding: str) -> Path:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(S.BY_NAME[sheet].headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def merged_cells(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("企业")
    for c, h in enumerate(S.BY_KIND["enterprises"].headers):
        ws.write_string(0, c, h)
    for r, row in enumerate([ENTERPRISE_A, ENTERPRISE_B], start=1):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    ws.merge_range("C2:C3", "南湖区")  # one area for two rows: a merge inside the data
    wb.close()
    return path


SAMPLE = Path("/work/shared/examples/registry-sample.xlsx")
SAMPLE_COPY = Path(__file__).resolve().parents[1] / "fixtures" / "exchange" / "registry-sample.xlsx"


def sample(path: Path) -> Path:
    """A copy of the shared sample workbook (its projects are in every state, without 状态日期)."""
    import shutil

    shutil.copy(SAMPLE if SAMPLE.exists() else SAMPLE_COPY, path)
    return path


def legacy_sample(path: Path) -> Path:
    """The shared sample as a city administrator's legacy data: the 项目 sheet gets the column
    状态日期, each project's 开工日期 (2024-01-01 where it has none)."""
    import openpyxl

    wb = openpyxl.load_workbook(sample(path))
    ws = wb["项目"]
    headers = [c.value for c in ws[1]]
    start, column = headers.index("开工日期") + 1, len(headers) + 1
    ws.cell(1, column, "状态日期")
    for row in range(2, ws.max_row + 1):
        value = ws.cell(row, start).value
        if isinstance(value, str) and value.strip():
            value = dt.date.fromisoformat(value.strip().replace("/", "-"))
        ws.cell(row, column, value or dt.date(2024, 1, 1))
    wb.save(path)
    return path
