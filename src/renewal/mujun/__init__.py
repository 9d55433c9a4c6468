"""亩均效益综合评价 (P14, issue 16): enterprises' annual 亩均 data, the scheme of the plan file, the
exact evaluation (``rule.py``, pure) and its answers (``selectors.py``, ``api.py``, ``renewal mujun``).
The semantics: docs/decisions/0018-mujun-evaluation.md."""
