"""The indicator arithmetic is pure: no Django, no ORM in the rule modules."""

import ast
from pathlib import Path

import pytest

import renewal.indicators

PURE = ["periods.py", "rules.py", "engine.py", "measures.py"]
ROOT = Path(renewal.indicators.__file__).parent


@pytest.mark.parametrize("name", PURE)
def test_the_rule_module_imports_no_django(name):
    tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(("." * node.level) + (node.module or ""))
    assert not [m for m in imported if m.startswith("django") or m.endswith("models") or "selectors" in m]
