"""Memory of reading an upload (issue 20): peak RSS of the process that reads each file of the
hostile corpus (tests/fixtures/hostile/, made by its make.py) and of a clean 100,000-row workbook.

Each file is read in a fresh process that sets Django up and reads the file as an import does
(``exchange.reader.read``, every sheet loaded and every row iterated, no database): the reading
itself happens in its child process (``exchange.safe_read``), whose peak RSS is the kernel's
high-water mark (``VmHWM`` of /proc/<pid>/status, polled every 2 ms until it ends); the peak RSS
of the parent (the worker's side: Django, the row batches) is its own ``ru_maxrss``.

``--before`` also reads each file with the reader of the commit before issue 20 (every parse in
the reading process itself), under an address-space limit of ``--before-cap`` MB so that a bomb
cannot take the machine: "≥ cap" means it hit the limit.

    .venv/bin/python bench/uploads.py [--rows 100000] [--before] [--before-cap 3072]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
BEFORE = "fa0bb2b"  # main before issue 20


def _hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def one(path: Path, before: bool, cap_mb: int) -> dict:
    """Runs in the measuring process: read ``path``, report the peaks (JSON on stdout)."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renewal.settings")
    import django

    django.setup()
    import psutil

    if before:
        import importlib.util

        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{BEFORE}:src/renewal/exchange/reader.py"],
            capture_output=True,
            check=True,
        ).stdout
        file = Path(tempfile.mkdtemp()) / "reader_before.py"
        file.write_bytes(source)
        spec = importlib.util.spec_from_file_location("renewal.exchange.reader_before", file)
        reader = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = reader  # its dataclasses look their module up
        spec.loader.exec_module(reader)
        cap = cap_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    else:
        from renewal.exchange import reader

    peaks: dict[int, int] = {}
    done = threading.Event()

    def watch() -> None:
        me = psutil.Process()
        while not done.is_set():
            for child in me.children():
                try:  # only once it runs safe_read (before its exec it is a copy of this process)
                    if not any("safe_read" in part for part in child.cmdline()):
                        continue
                except psutil.Error:
                    continue
                peaks[child.pid] = max(peaks.get(child.pid, 0), _hwm(child.pid))
            time.sleep(0.002)

    threading.Thread(target=watch, daemon=True).start()
    start = time.perf_counter()
    outcome, rows = "", 0
    try:
        book = reader.read(path, path.name)
        for data in book.sheets:
            data.load()
            rows += sum(1 for _ in data.rows)
        outcome = f"read: {rows:,} rows"
    except reader.FileProblem as exc:
        outcome = str(exc)
    except MemoryError:
        outcome = f"MemoryError (≥ {cap_mb} MB)"
    seconds = time.perf_counter() - start
    done.set()
    time.sleep(0.01)
    return {
        "outcome": outcome,
        "seconds": seconds,
        "child": max(peaks.values(), default=0),
        "self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }


def measure(path: Path, before: bool, cap_mb: int) -> dict:
    """Run ``one`` in a fresh process; its own peak comes from ``wait4`` when it dies."""
    args = [sys.executable, __file__, "--one", str(path), "--before-cap", str(cap_mb)]
    proc = subprocess.Popen(
        args + (["--before"] if before else []), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, _ = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:  # the measuring process itself died (the reader before: a Rust abort)
        return {"outcome": f"died (exit {proc.returncode}, address space ≤ {cap_mb} MB)", "seconds": 0,
                "child": 0, "self": usage.ru_maxrss * 1024}  # fmt: skip
    return json.loads(out.decode().strip().splitlines()[-1])


def clean_workbook(folder: Path, rows: int) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    import importlib

    path = folder / f"clean-{rows}.xlsx"
    importlib.import_module("import").make_file(path, rows, rows // 10)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--before", action="store_true")
    parser.add_argument("--before-cap", type=int, default=3072)
    parser.add_argument("--one")
    options = parser.parse_args()
    if options.one:
        print(json.dumps(one(Path(options.one), options.before, options.before_cap), ensure_ascii=False))
        return
    folder = Path(tempfile.mkdtemp())
    files = sorted(p for p in HOSTILE.iterdir() if p.suffix != ".py")
    files.append(clean_workbook(folder, options.rows))
    mb = 1024 * 1024
    print(
        "| file | size | outcome | s | reading process | parent |"
        + (" before (one process) |" if options.before else "")
    )
    print("|---|---:|---|---:|---:|---:|" + ("---:|" if options.before else ""))
    for path in files:
        now = measure(path, False, options.before_cap)
        row = (
            f"| {path.name} | {path.stat().st_size / 1024:,.0f} kB | {now['outcome']} | {now['seconds']:.2f} "
            f"| {now['child'] / mb:,.0f} MB | {now['self'] / mb:,.0f} MB |"
        )
        if options.before:
            then = measure(path, True, options.before_cap)
            row += f" {then['self'] / mb:,.0f} MB: {then['outcome'][:40]} |"
        print(row, flush=True)


if __name__ == "__main__":
    main()
