"""The text rule of every path (lib/text.py, issue 20): control characters, surrogates, lengths."""

import pytest

from renewal.lib.text import text_problem, visible


@pytest.mark.parametrize(
    ("value", "multiline", "problem"),
    [
        ("南湖测试机械有限公司", False, None),
        ("嘉兴\u3000南湖", False, None),  # an ideographic space is text, not a control character
        ("a\u00a0b", False, None),  # nor is a no-break space
        ("A\x00B", False, "含有不允许的控制字符 NUL（第 2 个字符）"),
        ("A\x00B", True, "含有不允许的控制字符 NUL（第 2 个字符）"),
        ("EXM-132 \t", False, None),  # a tab pasted from Excel is whitespace, not a control
        ("第一行\n第二行", False, "含有不允许的控制字符 换行符（第 4 个字符）"),
        ("第一行\n第二行\t完", True, None),  # multi-line text may break lines and hold tabs
        ("x\x1b[31m", True, "含有不允许的控制字符 U+001B（第 2 个字符）"),
        ("x\x85", True, "含有不允许的控制字符 U+0085（第 2 个字符）"),
        ("x\ud800", False, "含有不允许的控制字符 U+D800（第 2 个字符）"),
        ("x\uffff", False, "含有不允许的控制字符 U+FFFF（第 2 个字符）"),
    ],
)
def test_it_names_the_first_refused_character_by_position(value, multiline, problem):
    assert text_problem(value, multiline=multiline) == problem


def test_it_refuses_text_beyond_the_column_and_accepts_the_column_exactly():
    assert text_problem("字" * 200, max_length=200) is None
    assert text_problem("字" * 10_000, max_length=200) == "过长：10000 个字符（最多 200 个）"


def test_a_quoted_value_never_carries_the_refused_characters():
    assert visible("A\x00B\nC") == "A\ufffdB\ufffdC"
    assert visible("嘉兴\u3000南湖") == "嘉兴\u3000南湖"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("南湖\x00机械", "数据有误：企业名称：含有不允许的控制字符 NUL（第 3 个字符）"),
        ("字" * 10_000, "数据有误：企业名称：过长：10000 个字符（最多 200 个）"),
    ],
)
def test_a_service_refuses_what_postgresql_would_refuse_on_both_databases(people, name, message):
    from renewal.lib.errors import Invalid
    from renewal.registry.models import Enterprise
    from renewal.registry.services import enterprise_create

    data = {"uscc": "91330402MA2EKAMP1N", "name": name, "area": "330402", "industry_code": "34"}
    with pytest.raises(Invalid) as caught:
        enterprise_create(user=people["city_admin"], data=data)
    assert caught.value.message == message
    assert not Enterprise.objects.filter(uscc=data["uscc"]).exists()


@pytest.mark.django_db
def test_a_save_outside_the_services_is_checked_too(people):
    from renewal.lib.errors import Invalid

    project = people["NH"]
    project.name = "涂装\x1b线"
    with pytest.raises(Invalid, match="项目名称：含有不允许的控制字符 U\\+001B"):
        project.save()
