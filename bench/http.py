# ruff: noqa: E402
"""Benchmark: the platform's cached answers over HTTP, side by side with a bare Django JSON view,
in one run (issue 19, item 3; docs/decisions/0025-data-version-cache.md).

Starts, on loopback, the project's server (gunicorn, 2 sync workers) on the demo data (``renewal
demo``) and a bare Django JSON view (``bench/bare_site.py``, same gunicorn settings), then drives
each with a bounded client: wrk when installed, else the asyncio HTTP/1.1 keep-alive client below
(32 connections × 10 s; each connection sends its next request when the answer is in). Reports:

* the cached indicator API (``GET /api/v1/indicators?year=2024``, bearer token): req/s as a % of
  the bare view (goal ≥ 30 %) and its p99 (goal < 100 ms);
* ``/cockpit/`` as a signed-in user: p99 (goal < 300 ms);
* the first answer after a write (a registry row changed, so the version moved: a cache miss)
  relative to today's uncached answer (the same server with ``CACHE_URL=dummy://``; goal ≤ 1.5×).

    .venv/bin/python bench/http.py                       # SQLite (var/bench/http.sqlite3)
    .venv/bin/python bench/http.py --postgres URL        # the same on PostgreSQL
    .venv/bin/python bench/http.py --seconds 5 --connections 16
"""

from __future__ import annotations

import sys

# this file is named like the standard library's ``http``: keep its folder off the import path
sys.path[:] = [p for p in sys.path if p not in ("", __file__.rpartition("/")[0])]

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench" / "http.sqlite3"
PYTHON = sys.executable
API = "/api/v1/indicators?year=2024"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str, cache_url: str) -> dict:
    return os.environ | {
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "DJANGO_SETTINGS_MODULE": "renewal.settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "SECURE_COOKIES": "0",
        "AXES_ENABLED": "0",
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "ERROR",
    }


class Server:
    def __init__(self, app: str, env: dict, workers: int = 2):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                app,
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "error",
                "--timeout",
                "60",
            ],
            env=env,
            cwd=ROOT,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"{app} did not start")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


# -- The bounded client ------------------------------------------------------------------------------


async def _connection(port: int, request: bytes, until: float, latencies: list, errors: list) -> None:
    """One client connection: keep-alive when the server keeps it, else a new connection per
    request (gunicorn's sync workers close after each answer; the time to connect is counted)."""
    reader = writer = None
    try:
        while time.perf_counter() < until:
            start = time.perf_counter()
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length, close = None, False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            if length is not None:
                await reader.readexactly(length)
            else:
                await reader.read()  # to the end: the server closes
                close = True
            latencies.append(time.perf_counter() - start)
            status = int(head.split(b" ", 2)[1])
            if status not in (200, 304):
                errors.append(status)
            if close:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


def drive(port: int, path: str, headers: dict, *, connections: int, seconds: float) -> dict:
    """``connections`` keep-alive connections asking ``path`` for ``seconds``: req/s and latency."""
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", *[f"{k}: {v}" for k, v in headers.items()]]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    latencies: list[float] = []
    errors: list[int] = []

    async def main():
        until = time.perf_counter() + seconds
        await asyncio.gather(
            *[_connection(port, request, until, latencies, errors) for _ in range(connections)]
        )

    start = time.perf_counter()
    asyncio.run(main())
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[int(len(latencies) * 0.99) - 1],
        "errors": len(errors),
    }


def drive_wrk(port: int, path: str, headers: dict, *, connections: int, seconds: float) -> dict:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{int(seconds)}s", "--latency"]
    for k, v in headers.items():
        args += ["-H", f"{k}: {v}"]
    out = subprocess.run(args + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True).stdout

    def ms(text: str) -> float:
        value = float(text.rstrip("msu"))
        return (
            value / 1000
            if text.endswith("us")
            else value * 1000
            if text.endswith("s") and not text.endswith("ms")
            else value
        )

    rps = float(next(line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")))
    p50 = ms(next(line.split()[1] for line in out.splitlines() if line.strip().startswith("50%")))
    p99 = ms(next(line.split()[1] for line in out.splitlines() if line.strip().startswith("99%")))
    return {"requests": None, "rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": None}


def get(port: int, path: str, headers: dict) -> tuple[int, float, bytes]:
    """One request on a new connection: status, seconds, body."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    return response.status, elapsed, body


# -- The data and the users --------------------------------------------------------------------------


def prepare(env: dict) -> dict:
    """Migrate, load the demo data and make a viewer with an API token and a session."""
    manage = [PYTHON, "-m", "django"]
    subprocess.run(manage + ["migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    # DEBUG=0 serves the hashed static manifest (whitenoise)
    subprocess.run(manage + ["collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(manage + ["demo"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    script = """
import json
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from renewal.accounts.models import Profile, Role
from renewal.accounts.tokens import token_create
User = get_user_model()
u, _ = User.objects.get_or_create(username="bench-viewer")
Profile.objects.get_or_create(user=u, defaults={"role": Role.VIEWER})
s = SessionStore()
s["_auth_user_id"] = str(u.pk)
s["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
s["_auth_user_hash"] = u.get_session_auth_hash()
s.create()
print(json.dumps({"token": token_create(user=u)[1], "session": s.session_key}))
"""
    out = subprocess.run(
        manage + ["shell", "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


WRITE = """
from django.db.models import F
from renewal.registry.models import Project
p = Project.objects.filter(is_deleted=False).order_by("id").first()
Project.objects.filter(pk=p.pk).update(energy_saving=F("energy_saving") + 1)
"""


def write(env: dict) -> None:
    """A registry write (any changed column bumps the data version)."""
    subprocess.run(
        [PYTHON, "-m", "django", "shell", "-c", WRITE], env=env, cwd=ROOT, check=True, capture_output=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database URL (emptied and loaded)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--writes", type=int, default=5, help="writes timed for the first answer after one")
    args = parser.parse_args()

    if args.postgres:
        database_url = args.postgres
    else:
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{SQLITE_PATH}"
    env = server_env(database_url, "locmem://")
    if args.postgres:
        subprocess.run(
            [PYTHON, "-m", "django", "flush", "--noinput"],
            env=env,
            cwd=ROOT,
            check=False,
            capture_output=True,
        )
    users = prepare(env)
    api_headers = {"Authorization": f"Bearer {users['token']}"}
    page_headers = {"Cookie": f"sessionid={users['session']}"}
    client = drive_wrk if shutil.which("wrk") else drive
    load = {"connections": args.connections, "seconds": args.seconds}
    figures: dict = {"client": "wrk" if client is drive_wrk else "asyncio (bench/http.py)", **load}

    bare = Server(
        "bench.bare_site:application", server_env(database_url, "locmem://") | {"PYTHONPATH": str(ROOT)}
    )
    try:
        get(bare.port, "/", {})
        figures["bare"] = client(bare.port, "/", {}, **load)
    finally:
        bare.stop()

    # today's uncached answer: the same server computing every answer (no cache)
    plain = Server("renewal.wsgi:application", server_env(database_url, "dummy://"))
    try:
        get(plain.port, API, api_headers)
        uncached = [get(plain.port, API, api_headers)[1] for _ in range(args.writes)]
        figures["uncached_ms"] = 1000 * statistics.median(uncached)
    finally:
        plain.stop()

    server = Server("renewal.wsgi:application", env)
    try:
        status, _, body = get(server.port, API, api_headers)
        assert status == 200 and "data_version" in json.loads(body), body[:200]
        for _ in range(4):  # both workers warm: the answer and the cockpit cached in each
            get(server.port, API, api_headers)
            page_status = get(server.port, "/cockpit/", page_headers)[0]
        figures["cockpit_status"] = page_status
        figures["api"] = client(server.port, API, api_headers, **load)
        figures["cockpit"] = client(server.port, "/cockpit/", page_headers, **load)
        after = []
        for _ in range(args.writes):
            write(env)
            status, seconds, body = get(server.port, API, api_headers)
            assert status == 200
            after.append(seconds)
        figures["after_write_ms"] = 1000 * statistics.median(after)
    finally:
        server.stop()

    api, bare_f, cockpit = figures["api"], figures["bare"], figures["cockpit"]
    share = api["rps"] / bare_f["rps"]
    ratio = figures["after_write_ms"] / figures["uncached_ms"]
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"bench/http.py — {database}, demo data, gunicorn 2 workers, {figures['client']} client, "
        f"{args.connections} connections × {args.seconds:g} s"
    )
    print(
        f"  bare Django JSON view     {bare_f['rps']:8.0f} req/s  p50 {bare_f['p50_ms']:6.1f} ms  p99 {bare_f['p99_ms']:6.1f} ms"
    )
    print(
        f"  indicator API (cached)    {api['rps']:8.0f} req/s  p50 {api['p50_ms']:6.1f} ms  p99 {api['p99_ms']:6.1f} ms"
        f"   = {100 * share:.1f} % of bare (goal ≥ 30 %, p99 < 100 ms)"
    )
    print(
        f"  /cockpit/ (signed in)     {cockpit['rps']:8.0f} req/s  p50 {cockpit['p50_ms']:6.1f} ms  p99 {cockpit['p99_ms']:6.1f} ms"
        f"   (goal p99 < 300 ms)"
    )
    print(
        f"  first answer after a write {figures['after_write_ms']:.0f} ms vs uncached {figures['uncached_ms']:.0f} ms"
        f" = {ratio:.2f}× (goal ≤ 1.5×)"
    )
    figures |= {"api_share_of_bare": share, "after_write_ratio": ratio, "database": database}
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
