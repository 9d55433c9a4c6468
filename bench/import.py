"""Import speed: a 100,000-row project sheet (with its enterprises), in one run:

1. a bare python-calamine read of the file (every cell of both sheets) — the limit;
2. our import (``renewal.exchange``) into an empty SQLite database: validated, committed,
   with history rows;
3. django-import-export importing the same rows into the same models (ModelResource with
   natural-key ids, its xlsx reader, transactions on — what a Django team would pick).

Each phase runs in its own process on a fresh copy of a migrated database with the plan loaded,
with production settings (DEBUG off), and reports wall and CPU seconds and peak RSS. The bare read
and our import alternate ``--rounds`` times (medians reported), so both see the same machine.
Memory flatness: the bare read and our import also run on a tenth of the rows, and our peak RSS
minus the bare read's is compared at both sizes.

    .venv/bin/python bench/import.py [--rows 100000] [--enterprises 10000] [--diie-rows N] [--rounds 3]
                                     [--lines N]

``--lines N`` adds a 设备清单 sheet of N equipment lines over the projects (issue 14: 300,000 lines,
``--rows 30000 --lines 300000 --diie-rows 0``); the bare read then reads its cells too, and
``--diie-rows 0`` leaves django-import-export out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_file(path: Path, rows: int, enterprises: int, seed: int = 7, lines: int = 0) -> None:
    import xlsxwriter
    from stdnum.cn import uscc

    sys.path.insert(0, str(ROOT / "src"))
    import django

    # the headers come from the sheet kinds, which name their models: Django must be set up
    # (no database is opened here)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renewal.settings")
    django.setup()
    from renewal.exchange import sheets as S

    rng = random.Random(seed)
    areas = ["南湖区", "秀洲区", "嘉善县", "平湖市", "海盐县", "海宁市", "桐乡市", "330482", "嘉兴港区"]
    codes = []
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("企业")
    ws.write_row(0, 0, S.BY_KIND["enterprises"].headers)
    for i in range(enterprises):
        base = f"9133040{i % 10}MA{i:08d}"[:17]
        base = base.replace("I", "1").replace("O", "0")
        code = base + uscc.calc_check_digit(base)
        codes.append(code)
        ws.write_row(i + 1, 0, [code, f"测试企业{i:06d}有限公司", areas[i % len(areas)], str(13 + i % 31),
                                "是" if i % 3 else "否", 10 + i % 90, 50 + i % 900, "否", "否", "是" if i % 17 == 0 else "否"])  # fmt: skip
    ws = wb.add_worksheet("项目")
    ws.write_row(0, 0, S.BY_KIND["projects"].headers)
    types = ["技术改造", "设备更新", "智能化改造、设备更新", "绿色化改造", "数字化改造"]
    statuses = ["已申报", "已入库", "在建", "竣工", "验收通过"]
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for i in range(rows):
        total = rng.randint(100, 50_000)
        equipment = rng.randint(0, total)
        start = dt.datetime(2024, 1, 1) + dt.timedelta(days=i % 300)
        r = i + 1
        ws.write_row(r, 0, [f"B-{i:06d}", f"技改项目{i:06d}", codes[i % enterprises], 2024, types[i % 5],
                            "是" if i % 4 == 0 else "否", total, equipment, 0, i % 7, i % 3, i % 500, "否"])  # fmt: skip
        ws.write_datetime(r, 13, start, date)
        if i % 2:
            ws.write_datetime(r, 14, start + dt.timedelta(days=90), date)
        ws.write_string(r, 15, statuses[i % 5])
        ws.write_datetime(r, 16, start, date)  # 状态日期: the city's legacy data
    if lines:
        # 设备清单: ``lines`` lines spread over the projects (purchases and a lease in twenty)
        ws = wb.add_worksheet("设备清单")
        ws.write_row(0, 0, S.BY_KIND["equipment-lines"].headers)
        categories = ["通用设备", "工业机器人", "数控机床", "检测检验设备", "环境保护专用设备"]
        acquired = dt.datetime(2024, 3, 1)
        for i in range(lines):
            r, project = i + 1, i % rows
            number = i // rows + 1
            if i % 20 == 0:
                ws.write_row(r, 0, [f"B-{project:06d}", number, f"租赁设备{i}", f"ZL-{i % 97}", "检测检验设备", "租赁",
                                    None, None, 5, "国产"])  # fmt: skip
                continue
            ws.write_row(r, 0, [f"B-{project:06d}", number, f"设备{i}", f"XH-{i % 997}", categories[i % 5], "购置",
                                rng.randint(1, 500) / 10, 1 + i % 4, None, "进口" if i % 7 == 0 else "国产", "无", None,
                                "示例供应商有限公司", f"FP{i:08d}"])  # fmt: skip
            ws.write_datetime(r, 14, acquired, date)
            ws.write_string(r, 15, "机器设备")
    wb.close()


def setup_django(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    # production settings: with DEBUG on, Django also records (and renders) every query
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renewal.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def phase_template(db: Path) -> None:
    setup_django(db)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command(
        "plan", "load", str(ROOT / "src/renewal/plans/jiaxing-2024.yaml"), stdout=open(os.devnull, "w")
    )


def phase_baseline(db: Path) -> dict:
    """What a Django process with the import code loaded takes before reading anything."""
    setup_django(db)
    from renewal.exchange.services import workbook_import  # noqa: F401

    return {}


def phase_calamine(file: Path) -> dict:
    import python_calamine as pc

    t, cpu = time.perf_counter(), time.process_time()
    wb = pc.CalamineWorkbook.from_path(str(file))
    cells = 0
    for name in wb.sheet_names:
        for row in wb.get_sheet_by_name(name).iter_rows():
            cells += len(row)
    return {"seconds": time.perf_counter() - t, "cpu_seconds": time.process_time() - cpu, "cells": cells}


def phase_ours(file: Path, db: Path) -> dict:
    setup_django(db)
    from renewal.accounts.models import Role
    from renewal.accounts.scope import Scope
    from renewal.equipment.models import EquipmentLine
    from renewal.exchange.services import workbook_import
    from renewal.registry.models import Project

    t, cpu = time.perf_counter(), time.process_time()
    report = workbook_import(
        path=file, filename=file.name, user=None, scope=Scope(role=Role.CITY_ADMIN), dry_run=False
    )
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    assert report.committed, [i.line() for i in report.errors[:5]] or report.fatal
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "projects": Project.objects.count(),
        "history": Project.history.count(),
        "lines": EquipmentLine.objects.count(),
    }


def phase_diie(file: Path, db: Path) -> dict:
    setup_django(db)
    from decimal import Decimal

    from import_export import fields, resources, widgets
    from import_export.formats.base_formats import XLSX

    from renewal.planning.models import Area
    from renewal.registry.models import Enterprise, Project

    areas = {a.name: a for a in Area.objects.all()} | {a.code: a for a in Area.objects.all()}

    class AreaWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return areas[str(value).strip()]

    class YesNo(widgets.BooleanWidget):
        TRUE_VALUES = ["是", "Y", "1", 1, True]
        FALSE_VALUES = ["否", "N", "0", 0, False]

    class Wan(widgets.DecimalWidget):
        def clean(self, value, row=None, **kwargs):
            value = super().clean(value, row, **kwargs)
            return None if value is None else (value * 10000).quantize(Decimal("0.01"))

    class Text(widgets.CharWidget):
        def clean(self, value, row=None, **kwargs):
            return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value or "")

    def f(attr, header, widget=None):
        return fields.Field(attribute=attr, column_name=header, widget=widget or widgets.Widget())

    class EnterpriseResource(resources.ModelResource):
        uscc = f("uscc", "统一社会信用代码", Text())
        name = f("name", "企业名称", Text())
        area = f("area", "所属区域", AreaWidget())
        industry_code = f("industry_code", "行业代码", Text())
        above_scale = f("above_scale", "是否规上", YesNo())
        land_mu = f("land_mu", "用地面积(亩)", widgets.DecimalWidget())
        employees = f("employees", "从业人员(人)", widgets.IntegerWidget())
        high_tech = f("high_tech", "高新技术企业", YesNo())
        ic_enterprise = f("ic_enterprise", "集成电路企业", YesNo())
        machine_tool_enterprise = f("machine_tool_enterprise", "工业母机企业", YesNo())

        class Meta:
            model = Enterprise
            import_id_fields = ("uscc",)
            fields = ("uscc", "name", "area", "industry_code", "above_scale", "land_mu", "employees",
                      "high_tech", "ic_enterprise", "machine_tool_enterprise")  # fmt: skip

    class ProjectResource(resources.ModelResource):
        code = f("code", "项目编号", Text())
        name = f("name", "项目名称", Text())
        enterprise = f("enterprise", "统一社会信用代码", widgets.ForeignKeyWidget(Enterprise, field="uscc"))
        year = f("year", "年度", widgets.IntegerWidget())
        types = f("types", "项目类型", Text())
        provincial_key = f("provincial_key", "省级重点技改", YesNo())
        total_investment = f("total_investment", "总投资(万元)", Wan())
        equipment_investment = f("equipment_investment", "设备投资(万元)", Wan())
        first_set_purchase = f("first_set_purchase", "首台套购置额(万元)", Wan())
        new_robots = f("new_robots", "新增工业机器人(台)", widgets.IntegerWidget())
        new_cnc = f("new_cnc", "新增数控机床(台)", widgets.IntegerWidget())
        energy_saving = f("energy_saving", "节能量(吨标准煤)", widgets.DecimalWidget())
        new_land = f("new_land", "是否新增用地", YesNo())
        start_date = f("start_date", "开工日期", widgets.DateWidget())
        end_date = f("end_date", "竣工日期", widgets.DateWidget())
        status = f("status", "状态", Text())

        class Meta:
            model = Project
            import_id_fields = ("code",)
            fields = ("code", "name", "enterprise", "year", "types", "provincial_key", "total_investment",
                      "equipment_investment", "first_set_purchase", "new_robots", "new_cnc", "energy_saving",
                      "new_land", "start_date", "end_date", "status")  # fmt: skip

        def before_save_instance(self, instance, row, **kwargs):
            instance.area_id = instance.enterprise.area_id

    t = time.perf_counter()
    import openpyxl

    content = file.read_bytes()
    book = openpyxl.load_workbook(__import__("io").BytesIO(content), read_only=True, data_only=True)
    names = book.sheetnames
    book.close()
    read = 0.0
    results = {}
    for sheet, resource_class in (("企业", EnterpriseResource), ("项目", ProjectResource)):
        r0 = time.perf_counter()
        dataset = XLSX().create_dataset(_sheet_bytes(content, names.index(sheet)))
        read += time.perf_counter() - r0
        result = resource_class().import_data(
            dataset, dry_run=False, raise_errors=True, use_transactions=True
        )
        results[sheet] = result.totals
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "read_seconds": read, "projects": Project.objects.count(),
            "history": Project.history.count()}  # fmt: skip


def _sheet_bytes(content: bytes, index: int) -> bytes:
    """django-import-export's XLSX format reads the active sheet: make sheet ``index`` active."""
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(content))
    wb.active = index
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_phase(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(out.returncode)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--enterprises", type=int, default=10_000)
    parser.add_argument(
        "--diie-rows", type=int, default=None, help="rows for django-import-export (default: --rows)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="bare read / our import alternations")
    parser.add_argument(
        "--lines", type=int, default=0, help="also a 设备清单 sheet of this many equipment lines (issue 14)"
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        result = {"template": lambda: phase_template(Path(args.db)) or {},
                  "baseline": lambda: phase_baseline(Path(args.db)),
                  "calamine": lambda: phase_calamine(Path(args.file)),
                  "ours": lambda: phase_ours(Path(args.file), Path(args.db)),
                  "diie": lambda: phase_diie(Path(args.file), Path(args.db))}[args.phase]()  # fmt: skip
        result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        template = tmp / "template.sqlite3"
        run_phase(["--phase", "template", "--db", str(template)])

        def fresh(name: str) -> Path:
            db = tmp / f"{name}.sqlite3"
            shutil.copy(template, db)
            return db

        files = {}
        for n in sorted(
            {args.rows, args.rows // 10, args.rows if args.diie_rows is None else args.diie_rows} - {0}
        ):
            t = time.perf_counter()
            files[n] = tmp / f"projects-{n}.xlsx"
            make_file(files[n], n, min(args.enterprises, max(n // 10, 1)), lines=args.lines * n // args.rows)
            print(
                f"made {files[n].name} ({files[n].stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f} s",
                flush=True,
            )
        big = files[args.rows]
        small_file = files[args.rows // 10]
        base = run_phase(["--phase", "baseline", "--db", str(template)])
        print(f"Django process, set up and imported: peak RSS {base['maxrss_mb']:.0f} MB", flush=True)
        # the bare read and our import alternate, so that both see the same machine
        bares, ourses = [], []
        for round_ in range(1, args.rounds + 1):
            bare = run_phase(["--phase", "calamine", "--file", str(big)])
            ours = run_phase(["--phase", "ours", "--file", str(big), "--db", str(fresh("ours"))])
            bares.append(bare)
            ourses.append(ours)
            print(
                f"round {round_}: bare calamine read {bare['seconds']:.2f} s (CPU {bare['cpu_seconds']:.2f} s,"
                f" {bare['cells']:,} cells, peak RSS {bare['maxrss_mb']:.0f} MB); our import {ours['seconds']:.2f} s"
                f" (CPU {ours['cpu_seconds']:.2f} s, {ours['projects']:,} projects, {ours['lines']:,} equipment lines,"
                f" {ours['history']:,} project history rows,"
                f" peak RSS {ours['maxrss_mb']:.0f} MB) = {ours['seconds'] / bare['seconds']:.1f}x",
                flush=True,
            )
        bare_small = run_phase(["--phase", "calamine", "--file", str(small_file)])
        small = run_phase(["--phase", "ours", "--file", str(small_file), "--db", str(fresh("small"))])
        print(
            f"{args.rows // 10:,} rows: bare read {bare_small['seconds']:.2f} s, peak RSS {bare_small['maxrss_mb']:.0f} MB;"
            f" our import {small['seconds']:.2f} s, peak RSS {small['maxrss_mb']:.0f} MB",
            flush=True,
        )
        n = args.rows if args.diie_rows is None else args.diie_rows
        diie = (
            None
            if n == 0
            else run_phase(["--phase", "diie", "--file", str(files[n]), "--db", str(fresh("diie"))])
        )
        per_row = diie["seconds"] / n if diie else None
        if diie:
            print(
                f"django-import-export, {n:,} rows: {diie['seconds']:.2f} s (of which xlsx reading {diie['read_seconds']:.2f} s; {diie['projects']:,} projects), peak RSS {diie['maxrss_mb']:.0f} MB",
                flush=True,
            )
        bare_s = statistics.median(r["seconds"] for r in bares)
        ours_s = statistics.median(r["seconds"] for r in ourses)
        bare_cpu = statistics.median(r["cpu_seconds"] for r in bares)
        ours_cpu = statistics.median(r["cpu_seconds"] for r in ourses)
        print()
        print(
            f"ours / bare read            = {ours_s / bare_s:.1f}x   (medians of {args.rounds}; goal: <= 5x)"
        )
        print(f"  in CPU seconds            = {ours_cpu / bare_cpu:.1f}x")
        if diie:
            print(
                f"django-import-export / ours = {per_row * args.rows / ours_s:.1f}x   (goal: >= 10x{'' if n == args.rows else f'; extrapolated from {n:,} rows'})"
            )
        big_extra = ourses[-1]["maxrss_mb"] - bares[-1]["maxrss_mb"]
        small_extra = small["maxrss_mb"] - bare_small["maxrss_mb"]
        print(
            f"peak RSS, ours minus the bare read: {small_extra:.0f} MB at {args.rows // 10:,} rows,"
            f" {big_extra:.0f} MB at {args.rows:,} rows (Django process alone: {base['maxrss_mb']:.0f} MB)"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
