"""The backup drill (issue 20, part 6): back up during a write load, restore into a new database, and
find every committed row, every file and the indicator figures again. Runs on SQLite and on
PostgreSQL; every step is the `renewal` command in a process of its own, as an operator runs it.

Under load the source moves on while the backup runs, so what the restored database must hold is a
state the source really had: every enterprise the load committed before the backup started, the
load's enterprises as an unbroken run 1..k (a consistent snapshot has no gaps: each one committed
after the one before), each with its history row, and the row counts the manifest took from that
same snapshot. Once the load has stopped, a second backup must restore to exactly the source:
every table's rows, every file's bytes and the indicator JSON."""

from __future__ import annotations

import json
import time

import pytest

from .write_load import NAME

pytestmark = pytest.mark.django_db(transaction=True)

INDICATORS = ("indicators", "--year", "2024", "--as-of", "2024-08-31", "--json")


def committed(log) -> list[int]:
    """The numbers the load has committed so far (a line is written whole after each commit)."""
    text = log.read_text(encoding="utf-8") if log.exists() else ""
    return [int(line) for line in text.split("\n")[:-1]]


def wait_for(predicate, what: str, seconds: float = 120) -> None:
    end = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.05)


def load_numbers(db) -> list[int]:
    rows = db.query("SELECT name FROM registry_enterprise WHERE name LIKE ?", ("负载企业%",))
    return sorted(int(name.removeprefix("负载企业")) for (name,) in rows)


def test_a_backup_taken_under_write_load_restores_a_consistent_state_and_a_quiet_one_restores_exactly(
    source, new_db, tmp_path
):
    log, stop = tmp_path / "load.log", tmp_path / "load.stop"
    load = source.start("-m", "tests.ops.write_load", "--log", str(log), "--stop", str(stop))
    try:
        wait_for(lambda: len(committed(log)) >= 20, "the write load to start")
        before = committed(log)[-1]  # committed before the backup started
        source.run("backup", str(tmp_path / "under-load"))
        after = committed(log)[-1]
        stop.touch()
        assert load.wait(timeout=120) == 0, load.stderr.read()
    finally:
        if load.poll() is None:
            load.kill()
    assert after > before, "the load wrote nothing while the backup ran: the drill proved nothing"
    total = committed(log)[-1]
    assert load_numbers(source) == list(range(1, total + 1))

    # 1. under load: a state the source had
    restored = new_db("restored-under-load")
    out = restored.run("restore", str(tmp_path / "under-load")).stdout
    assert "恢复完成" in out
    numbers = load_numbers(restored)
    k = numbers[-1]
    assert numbers == list(range(1, k + 1)) and before <= k <= after
    history = restored.query(
        "SELECT h.id, h.uscc, h.name, h.history_type FROM registry_historicalenterprise h"
        " JOIN registry_enterprise e ON e.id = h.id AND e.uscc = h.uscc AND e.name = h.name"
        " WHERE h.name LIKE ?",
        ("负载企业%",),
    )
    assert sorted(int(name.removeprefix("负载企业")) for _, _, name, _ in history) == numbers
    assert {kind for *_, kind in history} == {"+"}
    manifest = json.loads((tmp_path / "under-load" / "manifest.json").read_text(encoding="utf-8"))
    counts = {t: restored.query(f'SELECT COUNT(*) FROM "{t}"')[0][0] for t in restored.tables()}
    assert counts == manifest["database"]["tables"]
    assert counts["registry_enterprise"] == source.query("SELECT COUNT(*) FROM registry_enterprise")[0][0] - (
        total - k
    )
    if restored.engine == "sqlite":
        assert restored.query("PRAGMA integrity_check") == [("ok",)]
    assert restored.files() == source.files()
    # the restored database takes new writes (PostgreSQL: its sequences came along)
    write = restored.start(
        "-m",
        "tests.ops.write_load",
        "--log",
        str(tmp_path / "after.log"),
        "--first",
        str(k + 1),
        "--count",
        "1",
    )
    assert write.wait(timeout=120) == 0, write.stderr.read()
    assert load_numbers(restored) == list(range(1, k + 2))

    # 2. load stopped: exactly the source
    source.run("backup", str(tmp_path / "quiet"))
    copy = new_db("restored-quiet")
    copy.run("restore", str(tmp_path / "quiet"))
    assert copy.tables() == source.tables() and len(source.tables()) > 50
    source_rows, copy_rows = source.rows(), copy.rows()
    for table, rows in source_rows.items():
        assert copy_rows[table] == rows, table
    assert len(source_rows["registry_historicalenterprise"]) >= total + 2
    files = source.files()
    assert copy.files() == files
    assert {path.split("/")[1] for path in files if path.startswith("media/")} == {
        "bulletins",
        "imports",
        "task-reports",
    }
    assert any(path.startswith("attachments/") for path in files)
    figures = source.run(*INDICATORS).stdout
    assert copy.run(*INDICATORS).stdout.encode() == figures.encode()
    actual = {it["target_id"]: it["actual"] for it in json.loads(figures)["items"]}
    # the figures compared are the world's, not empty ones: 2 key projects, 2 × (6+7+8) robots,
    # 4,000,000,000 yuan of manufacturing investment for the city
    assert (actual["T1.projects"], actual["T5"], actual["G1"]) == (2, 42, 4_000_000_000)
    assert NAME.format(1) in {r[0] for r in copy.query("SELECT name FROM registry_enterprise")}
