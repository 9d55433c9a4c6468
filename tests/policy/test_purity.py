"""The policy package is pure: no Django, no ORM, no other app of the project inside it."""

import ast
import sys
from pathlib import Path

import renewal.policy

PACKAGE = Path(renewal.policy.__file__).parent
# pydantic_core is pydantic's own engine (its custom errors live there), not another dependency.
ALLOWED_THIRD_PARTY = {"numpy", "pydantic", "pydantic_core"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_the_policy_package_imports_only_the_standard_library_numpy_and_pydantic():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) >= 5
    for path in files:
        for module in imported_modules(path):
            top = module.split(".")[0]
            assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, (
                f"{path.name} imports {module}"
            )


def test_the_scanner_would_catch_an_orm_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from django.db import models\nimport renewal.registry.models\n")
    assert imported_modules(bad) == {"django.db", "renewal.registry.models"}
