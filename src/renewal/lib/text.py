"""Text a person typed, checked once for every path (issue 20): what PostgreSQL refuses (NUL),
what no field should hold (other control characters, lone surrogates, non-characters) and lengths
beyond the column. SQLite would store all of these, so that data could never move to PostgreSQL;
refusing them everywhere makes both databases answer alike.

``text_problem`` is the rule (pure); the importer's cell reader (``exchange/cells.py``), the
request guard (``lib/guard.py``) and the check before every save of a model (``model_text_check``,
connected in ``audit/apps.py``) all call it, so a value gets the same message on every path.
"""

from __future__ import annotations

import re

from django.db import models

from renewal.lib.errors import Invalid

# C0 and C1 control characters, UTF-16 surrogates (a lone one cannot be encoded) and the two
# non-characters U+FFFE/U+FFFF. A tab is allowed everywhere (a cell pasted from Excel often ends
# in one, and every database stores it); multi-line text (TextField) may also hold line feed and return.
_SINGLE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NAMES = {"\x00": "NUL", "\t": "制表符", "\n": "换行符", "\r": "回车符"}


def _named(char: str) -> str:
    return _NAMES.get(char, f"U+{ord(char):04X}")


def text_problem(value: str, *, max_length: int | None = None, multiline: bool = False) -> str | None:
    """The Chinese reason ``value`` cannot be stored, or None. The message names the first bad
    character by position (1-based) so that the person can find it in a long cell."""
    # ``isprintable`` (C speed) is False for every character the patterns match, and also for a
    # few harmless ones (U+3000 ideographic space, no-break space): only then the pattern runs.
    if not value.isprintable():
        bad = (_MULTI_LINE if multiline else _SINGLE_LINE).search(value)
        if bad is not None:
            return f"含有不允许的控制字符 {_named(bad.group())}（第 {bad.start() + 1} 个字符）"
    if max_length is not None and len(value) > max_length:
        return f"过长：{len(value)} 个字符（最多 {max_length} 个）"
    return None


def visible(value: str) -> str:
    """``value`` for a message or a stored report: each refused character becomes U+FFFD, so that
    quoting bad input never stores the bad input (PostgreSQL's jsonb refuses NUL too)."""
    return value if value.isprintable() else _SINGLE_LINE.sub("\ufffd", value)


_TEXT_FIELDS: dict[type, list[tuple[str, str, int | None, bool]]] = {}


def _text_fields(model: type[models.Model]) -> list[tuple[str, str, int | None, bool]]:
    fields = _TEXT_FIELDS.get(model)
    if fields is None:
        fields = [
            (f.attname, str(f.verbose_name), f.max_length, isinstance(f, models.TextField))
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        _TEXT_FIELDS[model] = fields
    return fields


def model_text_check(sender, instance, **kwargs) -> None:
    """Before every save of a project model (``pre_save``): refuse the text ``text_problem``
    refuses, with ``Invalid`` naming the field — the same on SQLite and PostgreSQL, for services,
    admin and tasks alike. Bulk writes do not send signals: the importer checks each cell itself."""
    if not sender.__module__.startswith("renewal."):
        return
    errors = {}
    for attname, _label, max_length, multiline in _text_fields(sender):
        value = getattr(instance, attname, None)
        if isinstance(value, str):
            problem = text_problem(value, max_length=max_length, multiline=multiline)
            if problem is not None:
                errors[attname] = problem
    if errors:
        labels = {a: label for a, label, _, _ in _text_fields(sender)}
        summary = "；".join(f"{labels[a]}：{m}" for a, m in errors.items())
        raise Invalid(f"数据有误：{summary}", errors=errors)
