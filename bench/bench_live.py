"""Live changes at scale: N idle clients each holding a waiting pull (`GET /api/v1/sync/pull?cursor=C&wait=25`,
docs/sync.md "Live changes") on one server, then one change that concerns them all (an administrator publishes
a news item: a public change), and the time until every client has it.

Reported per backend (SQLite with 1 worker; PostgreSQL with 2 workers, `--backends`):
- what holding N waiters costs the server: its resident memory (RSS of the process group, /proc) before and
  while they wait, per client; its threads (no thread per waiter: the count must not grow with N); on SQLite
  its open descriptors on the database files (no connection per waiter);
- the time from sending the news item's POST to each client's answer: p50/p99/max over all clients and rounds,
  and how many answers held the change (must be all); and how long the POST itself took (its commit is
  somewhere inside it: the fan-out is what lies beyond), and the server's CPU time from the POST to the last
  answer (per client: what one change costs per waiting client, whatever the machine's load). The change is
  sent once the server's CPU has gone quiet, i.e. every waiter has made its first look.

With `--working N` (the campus morning), N kiosks push one ★ and pull, over and over, during the wait and the
change (`--working-s`, the change sent midway), as other users than the waiting ones: their requests/s, p50/p99
and errors are reported beside the fan-out (the server-CPU column then counts their work too).

The server is started afresh for each round, so that each round's memory figure is its own. The clients are one
asyncio loop of plain HTTP/1.1 connections in this process (pinned to the last CPU when there are two; a 1-worker
server to the first): a waiting client costs them nothing, and the figure to watch is the server's. The arrival
times include this loop's own work of reading N answers at once.

    .venv/bin/python bench/bench_live.py                        # 2,000 clients, SQLite and PostgreSQL, 3 rounds
    .venv/bin/python bench/bench_live.py --clients 500 --backends sqlite
    .venv/bin/python bench/bench_live.py --working 200 --rounds 1     # the campus morning
    .venv/bin/python bench/bench_live.py --working 200 --rounds 1 --users 2000 --extra-users 2000   # 2,000 users
    .venv/bin/python bench/bench_live.py --backends postgres --hosts 2 ...   # two hosts behind nginx
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for p in (str(REPO_ROOT), str(BENCH)):
    if p not in sys.path:
        sys.path.insert(0, p)

from bench_load import Server, catch_up, export_tree, issue_users, log  # noqa: E402

RESULTS = BENCH / "results" / "live.json"


class Hosts:
    """Several server processes ("hosts", `--workers` each) on one PostgreSQL behind one nginx that hands requests
    round-robin to them, as a campus runs them (docs/deploy.md, "Several hosts"): what `one_round` needs of a
    server. The CPU and memory figures are the servers' (nginx's own are not counted)."""

    def __init__(self, tree: Path, db_url: str, count: int, workers: int, workdir: Path) -> None:
        self.servers = [Server(f"host-{n}", tree, db_url, workers, workdir / f"host-{n}", None) for n in range(count)]
        self.db_url, self.workdir = db_url, workdir
        self.users: list[dict[str, Any]] = []
        self.port = 0
        self.nginx: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        import requests

        from tests.helpers import start_nginx

        for server in self.servers:
            server.users = self.users
            server.start()
        work = self.workdir / "nginx"
        work.mkdir(parents=True, exist_ok=True)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.nginx = start_nginx(work, self.port, [s.port for s in self.servers], connections=12000, keepalive=64)
        deadline = time.monotonic() + 15
        while True:
            try:
                if requests.get(self.url + "/healthz", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or self.nginx.poll() is not None:
                raise RuntimeError((work / "error.log").read_text())
            time.sleep(0.05)

    def stop(self) -> None:
        if self.nginx is not None:
            os.killpg(self.nginx.pid, signal.SIGTERM)
            self.nginx.wait(10)
            self.nginx = None
        for server in self.servers:
            server.stop()

    def cpu_s(self) -> float:
        return sum(server.cpu_s() for server in self.servers)


def group_status(server: Server | Hosts) -> dict[str, int]:
    """RSS (KiB), threads, and descriptors open on the database file, summed over the server's process group
    (over each host's)."""
    if isinstance(server, Hosts):
        each = [group_status(s) for s in server.servers]
        return {key: sum(status[key] for status in each) for key in ("rss_kib", "threads", "db_fds")}
    assert server.process is not None
    rss = threads = db_fds = 0
    db_file = server.db_url.removeprefix("sqlite:///") if server.db_url.startswith("sqlite") else None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != server.process.pid:
                continue
            status = dict(line.split(":", 1) for line in (entry / "status").read_text().splitlines() if ":" in line)
            rss += int(status["VmRSS"].split()[0])
            threads += int(status["Threads"])
            if db_file:
                for fd in (entry / "fd").iterdir():
                    try:
                        if os.readlink(fd).startswith(db_file):
                            db_fds += 1
                    except OSError:
                        pass
        except (OSError, IndexError, KeyError, ValueError):
            continue
    return {"rss_kib": rss, "threads": threads, "db_fds": db_fds}


async def _request(
    host: str, port: int, path: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        method = "POST" if body is not None else "GET"
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        writer.write(head.encode() + b"\r\n" + (body or b""))
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    status = int(raw.split(b" ", 2)[1])
    content = raw.split(b"\r\n\r\n", 1)[1]
    if b"transfer-encoding: chunked" in raw.split(b"\r\n\r\n", 1)[0].lower():
        content = _unchunk(content)
    return status, content


def _unchunk(data: bytes) -> bytes:
    out, rest = b"", data
    while rest:
        size_line, rest = rest.split(b"\r\n", 1)
        size = int(size_line, 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


async def one_round(
    server: Server | Hosts,
    clients: int,
    admin_token: str,
    settle_s: float,
    waiting_users: int,
    working_clients: int,
    working_s: float,
) -> dict[str, Any]:
    host, port = "127.0.0.1", server.port
    users, workers = server.users[:waiting_users], server.users[waiting_users:]
    arrivals: list[float] = []
    holding = [0]

    async def waiter(i: int) -> None:
        user = users[i % len(users)]
        path = f"/api/v1/sync/pull?cursor={user['cursor']}&wait=25"
        status, content = await _request(host, port, path, {"Authorization": f"Bearer {user['token']}"})
        arrivals.append(time.perf_counter())
        if status == 200 and any(c["entity"] == "news" for c in json.loads(content)["changes"]):
            holding[0] += 1

    idle = group_status(server)
    tasks = []
    for start in range(0, clients, 200):  # in batches: the listen backlog is 2,048
        tasks += [asyncio.create_task(waiter(i)) for i in range(start, min(clients, start + 200))]
        await asyncio.sleep(0.05)
    await asyncio.sleep(settle_s)
    # Every request has reached the server and made its first look: its CPU goes quiet (on PostgreSQL 2,000
    # first looks take several seconds; a change sent before they are done would measure them, not the wake).
    quiet_since = time.monotonic()
    cpu = server.cpu_s()
    while time.monotonic() - quiet_since < 60:
        await asyncio.sleep(0.5)
        now_cpu = server.cpu_s()
        if now_cpu - cpu < 0.05:
            break
        cpu = now_cpu
    early = len(arrivals)
    waiting = group_status(server)
    # The kiosks at work (the campus morning): each pushes one ★ and pulls to its newest cursor, over and over,
    # while the others wait and while the change goes out. Their users are none of the waiters', so their
    # changes wake nobody; the requests are timed one by one.
    stop = asyncio.Event()
    work_ms: list[float] = []
    work_errors = [0]

    async def kiosk(user: dict[str, Any], n: int) -> None:
        seq = 0
        headers = {"Authorization": f"Bearer {user['token']}"}
        while not stop.is_set():
            seq += 1
            op = {
                "id": str(uuid.uuid4()),
                "seq": seq,
                "type": "favorite.set",
                "payload": {"process_code": user["codes"][seq % len(user["codes"])], "on": seq % 2 == 0},
                "created_at": "2026-12-06T08:00:00+00:00",
            }
            for method, path, body in (
                ("POST", "/api/v1/sync/push", json.dumps({"device_id": f"{user['device']}-{n}", "ops": [op]})),
                ("GET", f"/api/v1/sync/pull?cursor={user.get('work_cursor', user['cursor'])}&limit=1000", None),
            ):
                started = time.perf_counter()
                try:
                    status, content = await _request(host, port, path, headers, body.encode() if body else None)
                except OSError:
                    status, content = 0, b""
                work_ms.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    work_errors[0] += 1
                elif method == "GET":
                    user["work_cursor"] = json.loads(content)["cursor"]

    working = [
        asyncio.create_task(kiosk(workers[i % len(workers)], i)) for i in range(working_clients if workers else 0)
    ]
    work_started = time.perf_counter()
    if working:
        await asyncio.sleep(working_s / 2)
    body = json.dumps({"category": "学校新闻", "title": f"实时推送测试 {time.time():.0f}", "body": "<p>测试</p>"})
    cpu_before = server.cpu_s()
    sent = time.perf_counter()
    status, content = await _request(
        host, port, "/api/v1/admin/content", {"Authorization": f"Bearer {admin_token}"}, body.encode()
    )
    answered = time.perf_counter()
    assert status == 201, content[:300]
    await asyncio.gather(*tasks)
    fan_out_cpu_s = server.cpu_s() - cpu_before
    if working:
        await asyncio.sleep(max(0.0, working_s - (time.perf_counter() - work_started)))
        stop.set()
        await asyncio.gather(*working)
    work_s = time.perf_counter() - work_started
    latencies = sorted((t - sent) * 1000 for t in arrivals[early:])
    return {
        "clients": clients,
        "answered_early": early,
        "with_change": holding[0],
        "latencies_ms": latencies,
        "post_ms": (answered - sent) * 1000,
        "fan_out_cpu_s": fan_out_cpu_s,
        "working": len(working),
        "work_requests_per_s": len(work_ms) / work_s if working else 0.0,
        "work_p50_ms": _pct(sorted(work_ms), 0.5),
        "work_p99_ms": _pct(sorted(work_ms), 0.99),
        "work_errors": work_errors[0],
        "idle": idle,
        "waiting": waiting,
    }


def _pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def bench_backend(backend: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any] | None:
    from tests.helpers import PG_URL, copy_sqlite, create_pg_database, seed_database

    two_cpus = (os.cpu_count() or 1) >= 2
    workers = 1 if backend == "sqlite" else 2
    created: list[str] = []
    if backend == "sqlite":
        template = workdir / "template.db"
        seed_database(f"sqlite:///{template}")
        url = copy_sqlite(template, workdir / "sqlite")
    else:
        if not PG_URL:
            log("postgresql: skipped (CAMPUS_TEST_PG_URL is unset)")
            return None
        url = create_pg_database()
        created.append(url)
        seed_database(url)
    if args.extra_users:
        add_users(url, args.extra_users)
    users = issue_users(url, args.users + (args.working_users if args.working else 0))
    waiter_ids = {u["user_id"] for u in users[: args.users]}
    if waiter_ids & {u["user_id"] for u in users[args.users :]}:
        raise SystemExit("not enough demo users for separate waiting and working users: lower --users")
    admin_token = _admin_token(url)
    server: Server | Hosts
    if backend == "postgres" and args.hosts > 1:
        server = Hosts(args.tree, url, args.hosts, args.host_workers, workdir / backend)
        workers = args.hosts * args.host_workers
    else:
        server = Server("live", args.tree, url, workers, workdir / backend, "0" if two_cpus and workers == 1 else None)
    server.users = users
    if two_cpus:
        os.sched_setaffinity(0, {(os.cpu_count() or 1) - 1})
    try:
        rounds = []
        for round_no in range(args.rounds):
            server.start()  # afresh each round: memory a process once took is not given back to measure again
            catch_up(server)  # type: ignore[arg-type]  # it needs only the users and the address
            result = asyncio.run(
                one_round(server, args.clients, admin_token, args.settle, args.users, args.working, args.working_s)
            )
            lat = result["latencies_ms"]
            per_client = (result["waiting"]["rss_kib"] - result["idle"]["rss_kib"]) / args.clients
            log(
                f"  {backend} round {round_no + 1}: {args.clients} waiting, early {result['answered_early']},"
                f" with the change {result['with_change']}; p50 {_pct(lat, 0.5):.0f} p99 {_pct(lat, 0.99):.0f}"
                f" max {lat[-1] if lat else float('nan'):.0f} ms (the POST {result['post_ms']:.0f} ms; server CPU"
                f" {result['fan_out_cpu_s']:.2f} s = {result['fan_out_cpu_s'] / args.clients * 1e6:.0f} µs/client);"
                f" RSS {result['idle']['rss_kib'] / 1024:.1f} →"
                f" {result['waiting']['rss_kib'] / 1024:.1f} MiB ({per_client:.1f} KiB/client); threads"
                f" {result['idle']['threads']} → {result['waiting']['threads']}; db fds"
                f" {result['idle']['db_fds']} → {result['waiting']['db_fds']}"
                + (
                    f"; {result['working']} kiosks at work: {result['work_requests_per_s']:.0f} req/s,"
                    f" p50 {result['work_p50_ms']:.0f} p99 {result['work_p99_ms']:.0f} ms,"
                    f" errors {result['work_errors']}"
                    if result["working"]
                    else ""
                )
            )
            rounds.append(result)
            server.stop()
    finally:
        server.stop()
        if two_cpus:
            os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
        for created_url in created:
            from bench_sync import drop_pg_database

            drop_pg_database(created_url)
    all_lat = sorted(x for r in rounds for x in r["latencies_ms"])
    return {
        "backend": backend if not isinstance(server, Hosts) else f"{backend}, {args.hosts} hosts",
        "workers": workers,
        "clients": args.clients,
        "rounds": len(rounds),
        "answered_early": sum(r["answered_early"] for r in rounds),
        "with_change": sum(r["with_change"] for r in rounds),
        "post_ms_median": statistics.median(r["post_ms"] for r in rounds),
        "fan_out_cpu_us_per_client_median": statistics.median(r["fan_out_cpu_s"] / args.clients * 1e6 for r in rounds),
        "p50_ms": _pct(all_lat, 0.5),
        "p99_ms": _pct(all_lat, 0.99),
        "max_ms": all_lat[-1] if all_lat else float("nan"),
        "kib_per_client_median": statistics.median(
            (r["waiting"]["rss_kib"] - r["idle"]["rss_kib"]) / args.clients for r in rounds
        ),
        "working": args.working,
        "work_requests_per_s_median": statistics.median(r["work_requests_per_s"] for r in rounds),
        "work_p99_ms_median": statistics.median(r["work_p99_ms"] for r in rounds) if args.working else None,
        "work_errors": sum(r["work_errors"] for r in rounds),
        "threads_idle": [r["idle"]["threads"] for r in rounds],
        "threads_waiting": [r["waiting"]["threads"] for r in rounds],
        "db_fds_idle": [r["idle"]["db_fds"] for r in rounds],
        "db_fds_waiting": [r["waiting"]["db_fds"] for r in rounds],
        "loadavg_1m": os.getloadavg()[0],
    }


def add_users(db_url: str, count: int) -> None:
    """`count` more staff users (工号 B00001…), so that as many clients can each be a user of their own (the demo
    has about 50). They never log in (their password hash matches nothing): their sessions are made in the
    database like the demo users' (bench_sync.issue_sessions), after them in user-id order."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from sync_server.db import Database
    from sync_server.models import User

    moment = datetime.now(UTC)
    db = Database(db_url)
    try:
        with db.transaction() as session:
            session.execute(
                insert(User),
                [
                    {
                        "user_id": f"B{i:05d}",
                        "name": f"教工{i}",
                        "role": "staff",
                        "password_hash": "!",
                        "must_change_password": False,
                        "created_at": moment,
                    }
                    for i in range(1, count + 1)
                ],
            )
    finally:
        db.dispose()


def _admin_token(db_url: str) -> str:
    from sync_server.core.auth import create_session
    from sync_server.db import Database
    from sync_server.models import User

    db = Database(db_url)
    try:
        with db.transaction() as session:
            admin = session.get(User, "ADMIN")
            assert admin is not None
            admin.must_change_password = False
            return create_session(session, admin, "desk", device_id="bench-admin", device_name="bench").access_token
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--users", type=int, default=20, help="signed-in demo users the clients are spread over")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds between the last request and the change")
    parser.add_argument("--working", type=int, default=0, help="kiosks pushing and pulling meanwhile (e.g. 200)")
    parser.add_argument("--working-users", type=int, default=20, help="demo users the working kiosks are")
    parser.add_argument(
        "--extra-users",
        type=int,
        default=0,
        help="add this many staff users first, so that up to as many waiting clients are each their own user "
        "(with --users 2000: 2,000 desk clients of 2,000 users)",
    )
    parser.add_argument("--working-s", type=float, default=6.0, help="seconds the kiosks work, the change midway")
    parser.add_argument("--rev", help="run the server of this git revision (git archive to a temp dir) instead")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    parser.add_argument(
        "--hosts",
        type=int,
        default=1,
        help="PostgreSQL: this many server processes behind one nginx (round-robin) instead of one server",
    )
    parser.add_argument("--host-workers", type=int, default=1, help="uvicorn workers per host with --hosts")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-live-") as tmp:
        args.tree = export_tree(args.rev, Path(tmp) / "tree") if args.rev else REPO_ROOT
        for backend in args.backends:
            result = bench_backend(backend, args, Path(tmp))
            if result is not None:
                results.append(result)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1))
    print(
        "| backend | workers | clients × rounds | with the change | the POST | p50 | p99 | max | CPU per client |"
        " RSS per waiting client | threads idle → waiting | db fds idle → waiting |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(
            f"| {r['backend']} | {r['workers']} | {r['clients']} × {r['rounds']} | {r['with_change']} |"
            f" {r['post_ms_median']:.0f} ms |"
            f" {r['p50_ms']:.0f} ms | {r['p99_ms']:.0f} ms | {r['max_ms']:.0f} ms |"
            f" {r['fan_out_cpu_us_per_client_median']:.0f} µs |"
            f" {r['kib_per_client_median']:.1f} KiB |"
            f" {r['threads_idle'][0]} → {r['threads_waiting'][0]} | {r['db_fds_idle'][0]} → {r['db_fds_waiting'][0]} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
