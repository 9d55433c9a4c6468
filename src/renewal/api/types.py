"""The value types of the API's inputs, each with a schema that tells the truth (issue 20): what
the OpenAPI schema allows, the parser accepts, and what it refuses, the schema refuses too. Rules
across fields or records (a lease needs a fee, a drawdown within the contract's term) stay with
the services, which answer 422 with ``type: "invalid"`` naming the field.

- ``Text``: one line of text — no control character but tab (``lib/text.text_problem``, the rule
  of every path); ``Note``: text that may break lines. Both document that rule as a ``pattern``.
- ``Key``: a code in a path, a body or a filter (project code, credit code, contract number).
- ``Money``: yuan with at most 2 decimals within its column (``Area`` 亩, ``Quantity`` 吨标准煤
  alike); ``Rate``: a fraction with 6 decimals. A JSON number, or a plain decimal text.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from renewal.lib.text import text_problem

# The characters ``text_problem`` refuses, as an ECMA-262 character class for the schema. Lone
# surrogates are refused too but not listed: no UTF-8 request can carry one, and a class naming
# them is one that schema tools cannot translate (they would drop the whole pattern).
_REFUSED = r"\u0000-\u0008\u000a-\u001f\u007f-\u009f\ufffe\uffff"
_REFUSED_MULTI = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff"
LINE = f"^[^{_REFUSED}]*$"
LINES = f"^[^{_REFUSED_MULTI}]*$"


def _line(value: str) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _lines(value: str) -> str:
    problem = text_problem(value, multiline=True)
    if problem is not None:
        raise ValueError(problem)
    return value


Text = Annotated[str, AfterValidator(_line), Field(json_schema_extra={"pattern": LINE})]
Note = Annotated[str, AfterValidator(_lines), Field(json_schema_extra={"pattern": LINES})]
# a code in a path or a filter: one line, not empty (the registry sets no format for codes)
Key = Annotated[Text, Field(min_length=1, max_length=60)]


def decimal_number(*, digits: int, places: int, fraction: bool = False):
    """A Decimal below 10**digits with at most ``places`` decimals, from a JSON number or from a
    plain decimal text ("1234.5", as older clients send it) — and the schema says exactly that, so
    a text the pattern allows is one the parser takes."""
    whole = "0" if fraction else f"[0-9]{{1,{digits}}}"  # a fraction is below 1
    text = f"^{whole}(\\.[0-9]{{1,{places}}})?$"
    bound = 1 if fraction else 10**digits
    step = float(Decimal(1).scaleb(-places))
    number = {"type": "number", "minimum": 0, "exclusiveMaximum": bound, "multipleOf": step}
    schema = {"anyOf": [number, {"type": "string", "pattern": text}]}

    def check(value):
        if isinstance(value, bool) or (isinstance(value, str) and not re.fullmatch(text, value)):
            raise PydanticCustomError("decimal_parsing", "应为数字")
        return value

    return Annotated[
        Decimal,
        BeforeValidator(check),
        Field(ge=0, lt=Decimal(bound), decimal_places=places),
        WithJsonSchema(schema),
    ]


Money = decimal_number(digits=14, places=2)  # the columns' max_digits 16
Area = decimal_number(digits=10, places=2)  # 亩: max_digits 12
Quantity = decimal_number(digits=12, places=2)  # 吨标准煤: max_digits 14
Rate = decimal_number(digits=1, places=6, fraction=True)
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Number = Annotated[int, Field(ge=1, le=1_000_000)]  # a line's 序号 in a path
Version = Annotated[int, Field(ge=1, le=2_147_483_647)]

# Query values the selectors read as text, to answer a bad one with their own Chinese 400 naming
# the parameter (tests/indicators/test_api.py): the schema documents the form, the selector checks.
# Empty is allowed and means "not given", as a form sends it.
YearText = Annotated[str, Field(json_schema_extra={"pattern": r"^(20[0-9]{2}|2100)?$"})]
DateText = Annotated[str, Field(json_schema_extra={"pattern": r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"})]
