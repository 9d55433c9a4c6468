"""Rules as code for P11 (subsidies, first-set bonus, stacking cap) and P13 (tax preferences).

PURE code: plain data in, plain data out, with an explanation trace citing the clause of every
number. Nothing here imports Django or the rest of the project (``tests/policy/test_purity.py``
enforces it); ``renewal.settlement`` adapts the active plan and the registry to these inputs.

- ``parameters``: dated parameters (OpenFisca's shape) and subsidy programmes, built from the
  plan file's data (``policy_data_from_plan``).
- ``contract``: the request of ``POST /api/v1/policy/calculate`` / ``renewal calc`` (pydantic),
  with Chinese error messages naming the field.
- ``batch``: the rules, each written once, on columns (numpy): float64 for settlement batches and
  simulation, exact decimals for one case.
- ``rules``: one case as a one-row exact batch, explained (the answer and its trace).
"""
