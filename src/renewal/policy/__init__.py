"""Rules as code for P11 (subsidies, first-set bonus, stacking cap) and P13 (tax preferences).

PURE code: plain data in, plain data out, with an explanation trace citing the clause of every
number. Nothing here imports Django or the rest of the project (``tests/policy/test_purity.py``
enforces it); ``renewal.settlement`` adapts the active plan and the registry to these inputs.

- ``parameters``: dated parameters (OpenFisca's shape) and subsidy programmes, built from the
  plan file's data (``policy_data_from_plan``).
- ``contract``: the request of ``POST /api/v1/policy/calculate`` / ``renewal calc`` (pydantic),
  with Chinese error messages naming the field.
- ``rules``: the calculators for one case (exact decimals, with a trace).
- ``batch``: the same rules on columns (numpy) for settlement batches and simulation.
"""
