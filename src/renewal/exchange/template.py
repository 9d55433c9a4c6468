"""Blank import templates: one sheet per kind, the DESIGN.md headers (units in the header), a
comment on every header, drop-down lists for every enumerated column and an example row.

The lists come from ``registry.reference`` (enumerations) and the plan's areas; they live on a
hidden sheet 选项 so that lists of any length work (Excel caps inline lists at 255 characters).
"""

from __future__ import annotations

from typing import IO, Any

import xlsxwriter

from renewal.planning.models import Area
from renewal.registry import reference

from . import sheets as S

DATA_ROWS = 100_000  # drop-downs cover this many rows


def dropdown_values(
    column: S.Column, areas: list[str], cities: list[str], indicators: list[str]
) -> list[str] | None:
    if column.kind == S.BOOL:
        return ["是", "否"]
    if column.kind in (S.ENUM, S.ENUMS):
        return reference.values(column.enum)
    if column.kind == S.AREA:
        return areas + (cities if column.field == "area_code" else [])
    if column.field == "indicator":
        return indicators or None
    return None


def example_row(spec: S.Sheet, areas: list[str], indicators: list[str]) -> list[Any]:
    row = []
    for c in spec.columns:
        if c.kind == S.AREA:
            row.append(areas[0] if areas else "")
        elif c.field == "indicator":
            row.append(indicators[0] if indicators else "")
        else:
            row.append(c.example)
    return row


def _plan_lists() -> tuple[list[str], list[str], list[str]]:
    areas = [a.name for a in Area.objects.filter(is_active=True)]
    cities: list[str] = []
    indicators: list[str] = []
    try:
        from renewal.planning.selectors import active_plan, active_plan_document

        plan = active_plan()
        cities = [plan.city_name]
        indicators = sorted(
            {
                code
                for t in active_plan_document().targets
                for code in (t.source.statistics, t.source.denominator)
                if code
            }
        )
    except Exception:  # no plan loaded yet: templates still work, with fewer lists
        pass
    return areas, cities, indicators


def write_template(target: str | IO[bytes], kinds: list[str] | None = None) -> list[str]:
    """Write the template of the given kinds (default: every kind); returns the sheet names."""
    specs = [S.BY_KIND[k] for k in kinds] if kinds else list(S.SHEETS)
    areas, cities, indicators = _plan_lists()
    wb = xlsxwriter.Workbook(target, {"strings_to_numbers": False, "strings_to_formulas": False})
    head = wb.add_format(
        {
            "bold": True,
            "bg_color": "#1B4F9C",
            "font_color": "#FFFFFF",
            "border": 1,
            "text_wrap": True,
            "valign": "vcenter",
            "align": "center",
        }
    )
    head_required = wb.add_format(
        {
            "bold": True,
            "bg_color": "#C8161D",
            "font_color": "#FFFFFF",
            "border": 1,
            "text_wrap": True,
            "valign": "vcenter",
            "align": "center",
        }
    )
    example = wb.add_format({"italic": True, "font_color": "#6B7280"})
    example_date = wb.add_format({"italic": True, "font_color": "#6B7280", "num_format": "yyyy-mm-dd"})
    text_format = wb.add_format({"num_format": "@"})
    sheets = [wb.add_worksheet(spec.name) for spec in specs]
    options = wb.add_worksheet("选项")
    options.hide()
    option_col = 0
    for ws, spec in zip(sheets, specs, strict=True):
        ws.freeze_panes(1, 0)
        ws.set_row(0, 32)
        for c, column in enumerate(spec.columns):
            keep_text = column.kind in (S.USCC, S.CODE, S.INDUSTRY, S.TEXT, S.MONTH, S.PERIOD)
            ws.set_column(c, c, column.width, text_format if keep_text else None)
            ws.write_string(0, c, column.header, head_required if column.required else head)
            note = [column.header + ("（必填）" if column.required else "（选填）")]
            if column.comment:
                note.append(column.comment)
            values = dropdown_values(column, areas, cities, indicators)
            if values:
                note.append("可选：" + "、".join(values[:12]) + ("……" if len(values) > 12 else ""))
                options.write_column(0, option_col, values)
                letter = xlsxwriter.utility.xl_col_to_name(option_col)
                ws.data_validation(
                    1,
                    c,
                    DATA_ROWS,
                    c,
                    {
                        "validate": "list",
                        "source": f"=选项!${letter}$1:${letter}${len(values)}",
                        # 项目类型 takes several values joined by 、: the list only suggests
                        "show_error": column.kind != S.ENUMS,
                        "error_title": "不是可选值",
                        "error_message": "请从下拉列表中选择",
                    },
                )
                option_col += 1
            ws.write_comment(0, c, "\n".join(note), {"x_scale": 2, "y_scale": 1.6})
        for c, value in enumerate(example_row(spec, areas, indicators)):
            if value is None:
                continue
            if isinstance(value, int | float):
                ws.write_number(1, c, value, example)
            else:
                ws.write_string(1, c, str(value), example_date if spec.columns[c].kind == S.DATE else example)
        ws.write_comment(1, 0, "第 2 行为示例，导入时自动跳过；可直接覆盖或删除。", {"x_scale": 2})
    wb.close()
    return [spec.name for spec in specs]
