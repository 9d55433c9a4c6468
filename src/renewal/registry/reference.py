"""Reference data shipped as data files with their sources (data/): industries, enumerations."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data"


@cache
def industries() -> dict[str, str]:
    """GB/T 4754-2017 manufacturing codes → names (divisions 13–43)."""
    with (DATA / "industries.csv").open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {row["code"]: row["name"] for row in rows}


def industry_name(code: str) -> str | None:
    """Name of a manufacturing industry code; a longer code (e.g. 3481) resolves by its division."""
    table = industries()
    if code in table:
        return table[code]
    if code.isdigit() and len(code) in (3, 4) and code[:2] in table:
        return table[code[:2]]
    return None


@cache
def _enumerations() -> dict:
    return yaml.safe_load((DATA / "enumerations.yaml").read_text(encoding="utf-8"))


def values(name: str) -> list[str]:
    return list(_enumerations()[name]["values"])


def choices(name: str) -> list[tuple[str, str]]:
    return [(v, v) for v in values(name)]


def counted_statuses() -> list[str]:
    return list(_enumerations()["project_statuses"]["counted"])


def completed_statuses() -> list[str]:
    return list(_enumerations()["project_statuses"]["completed"])


def special_equipment_categories() -> list[str]:
    """设备类别 that are P13 catalogue special equipment (节能节水、环境保护、安全生产专用设备)."""
    return list(_enumerations()["equipment_categories"]["special"])
