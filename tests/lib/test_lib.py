"""renewal.lib is what every app uses and no app owns: it imports no app of the project, and its
number and month modules need no Django at all."""

import ast
from pathlib import Path

import pytest

import renewal.lib

ROOT = Path(renewal.lib.__file__).parent
MODULES = sorted(p.name for p in ROOT.glob("*.py"))


def imports(name: str) -> set[str]:
    tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            out.add(("." * node.level) + (node.module or ""))
    return out


@pytest.mark.parametrize("name", MODULES)
def test_a_lib_module_imports_no_app_of_the_project(name):
    assert not [m for m in imports(name) if m.startswith("renewal.") and not m.startswith("renewal.lib")]


@pytest.mark.parametrize("name", ["units.py", "months.py", "errors.py"])
def test_the_number_month_and_error_modules_need_no_django(name):
    assert not [m for m in imports(name) if m.startswith("django")]


def test_a_month_is_its_first_day_and_a_bad_one_says_so_in_chinese():
    from renewal.lib.months import next_month, parse_month

    assert parse_month(" 2024-03 ").isoformat() == "2024-03-01"
    assert next_month(parse_month("2024-12")).isoformat() == "2025-01-01"
    with pytest.raises(ValueError, match="月份应为 YYYY-MM，实为 '2024-13'"):
        parse_month("2024-13")
