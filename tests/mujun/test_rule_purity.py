"""The 亩均 rule is pure: only the standard library (no Django, no ORM, no other app)."""

import sys
from pathlib import Path

import renewal.mujun.fast
import renewal.mujun.rule
from tests.policy.test_purity import imported_modules


def test_the_rule_imports_only_the_standard_library():
    modules = imported_modules(Path(renewal.mujun.rule.__file__))
    assert modules and all(m.split(".")[0] in sys.stdlib_module_names for m in modules), modules


def test_the_columnwise_evaluation_imports_only_the_standard_library_and_numpy():
    modules = imported_modules(Path(renewal.mujun.fast.__file__))
    assert modules and all(m.split(".")[0] in sys.stdlib_module_names | {"numpy"} for m in modules), modules
