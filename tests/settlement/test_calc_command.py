"""`renewal calc` on a file it cannot calculate: one Chinese line on stderr, exit status 1, no traceback."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SRC = Path(__file__).resolve().parents[2] / "src"


def renewal(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """The console script (``renewal.cli:main``) of this checkout, on a throw-away database."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "renewal.settings",
    }
    return subprocess.run(
        [sys.executable, "-m", "renewal.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_malformed_json_is_one_chinese_line_and_exit_status_1(tmp_path):
    case = tmp_path / "case.json"
    case.write_text('{"date": "2024-09-30",\n "equipment": [}', encoding="utf-8")
    done = renewal("calc", str(case), tmp_path=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"{case}：请求数据有误，未计算：不是合法的 JSON：第2行第16列，此处应为一个值"
    ]


def test_an_invalid_request_is_one_chinese_line_naming_every_field(tmp_path):
    case = tmp_path / "case.json"
    body = {"date": "2024-09-30", "equipment": [{"name": "机床", "quantity": 0}, {"acquisition": "lease"}]}
    case.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    done = renewal("calc", str(case), tmp_path=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "Error" not in done.stderr
    assert done.stderr.splitlines() == [
        f"{case}：请求数据有误，未计算："
        "equipment[0].quantity（设备第1行·数量）：应为不小于 1 的整数（台/套数），实为 0；"
        "equipment[1].lease_fee（设备第2行·租赁费）：租赁设备须填写租赁费（元），未填写不按 0 计算"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{date: 1}", "不是合法的 JSON：第1行第2列，字段名应写在英文双引号内"),
        ('{"date": "2024-09-30"} x', "不是合法的 JSON：第1行第24列，JSON 结束后还有多余内容"),
        ('{"date": "2024-09-30", "x": "\\q"}', "不是合法的 JSON：第1行第30列，无效的转义字符"),
        ('{"date": "2024-09-30"', "不是合法的 JSON：第1行第22列，缺少英文逗号或结束的括号"),
        ("[1, 2]", "请求体应为 JSON 对象（{…}）"),
    ],
)
def test_called_from_python_the_command_raises_the_same_chinese_message(tmp_path, text, message):
    case = tmp_path / "case.json"
    case.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("calc", str(case))
    assert str(exc.value) == f"{case}：请求数据有误，未计算：{message}"


def test_a_missing_file_is_one_chinese_line(tmp_path):
    done = renewal("calc", str(tmp_path / "none.json"), tmp_path=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"文件不存在：{tmp_path / 'none.json'}"]
