"""Sync benchmark: first pull, enqueue latency, draining the outbox, and the server under 500 kiosks.

Four figures, each against the real code over a real server process on loopback (`campus-sync-server serve`,
started by tests/helpers.LiveServer):

1. First pull: the server's SQLite database gets N `favorite` upserts in one student's scope (bulk-inserted into
   change_log before the server starts); then `SyncEngine.pull()` of the kiosk, with that student's token, into
   a fresh `LocalStore` file, end to end (HTTP, JSON, one SQLite transaction per page with its cursor). Every
   round starts from an empty store; the rows really land in the kiosk's `favorites` table (checked).
2. Enqueue latency: `LocalStore.enqueue(user, "favorite.set", payload, apply_local)` on a real file (WAL,
   synchronous=FULL), each call timed alone.
3. Drain: M `favorite.set` operations enqueued for the demo student, then `SyncEngine.push()` until the outbox
   is empty, against the same live server as the pull (SQLite, one worker): ops/s and seconds.
4. Load: K simulated kiosks (asyncio + httpx, one connection each) with sessions issued before the timed phase,
   each doing R rounds of "pull with its cursor, push 2 operations", on SQLite with 1 worker and on PostgreSQL
   with 2 workers (a fresh database on the CAMPUS_TEST_PG_URL cluster, dropped afterwards; `./run bench` starts
   a throwaway cluster): requests/s and latency, first with at most `--in-flight` requests under way, then
   with every kiosk at once, each run cut off at its deadline.

A Markdown table goes to stdout, progress to stderr, everything measured to bench/results/sync.json.
Targets (from the issue) are printed as PASS/MISS; a miss does not change the exit status: this is a report.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import functools
import io
import json
import math
import os
import platform
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

# The server writes one JSON access-log line per request; the bench reads their "ms" for the server's share.
os.environ.setdefault("CAMPUS_SYNC_LOG_JSON", "1")

PARTS = ("pull", "enqueue", "drain", "load")
RESULTS = Path(__file__).resolve().parent / "results" / "sync.json"
PROCESSES = REPO_ROOT / "sync_server" / "seed" / "processes.json"

# Targets set in the issue. PowerSync publishes 27.6k rows/s for a desktop first sync.
TARGET_PULL_ROWS_S = 35_000.0
TARGET_ENQUEUE_P99_MS = 20.0

# Demo accounts (campus-sync-server seed-demo --print-users table) and the password they are changed to.
STUDENT, STUDENT_PW = "2022010101", "150311"
NEW_PW = "Campus2026ok"
AUDIENCE_OF_ROLE = {"student": "学生", "staff": "教工", "approver": "教工", "external": "校外人员"}


@dataclass(frozen=True)
class Sizes:
    rows: int
    rounds: int
    enqueues: int
    drain_ops: int
    kiosks: int
    load_rounds: int
    in_flight: int
    paced_deadline_s: float
    burst_deadline_s: float


# Below anyio's 40 worker threads per server process: see "the server under load" in bench/README.md.
IN_FLIGHT = 32
FULL = Sizes(
    rows=100_000,
    rounds=3,
    enqueues=2_000,
    drain_ops=10_000,
    kiosks=500,
    load_rounds=3,
    in_flight=IN_FLIGHT,
    paced_deadline_s=90,
    burst_deadline_s=30,
)
QUICK = Sizes(
    rows=3_000,
    rounds=1,
    enqueues=100,
    drain_ops=300,
    kiosks=20,
    load_rounds=2,
    in_flight=IN_FLIGHT,
    paced_deadline_s=20,
    burst_deadline_s=5,
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100): a value that was actually measured."""
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    start = time.perf_counter()
    end: float | None = None

    def elapsed() -> float:
        return (end if end is not None else time.perf_counter()) - start

    try:
        yield elapsed
    finally:
        end = time.perf_counter()


# -- server set-up -------------------------------------------------------------------------------------------------
@functools.cache
def processes_for(role: str) -> list[str]:
    """Process codes a user of `role` may favourite (the server checks the process's audience)."""
    group = AUDIENCE_OF_ROLE.get(role)
    return [p["code"] for p in json.loads(PROCESSES.read_text()) if role == "admin" or group in p["audience"]]


def insert_favorite_changes(db_url: str, user_id: str, rows: int) -> float:
    """N `favorite` upserts in `user_id`'s scope, bulk-inserted straight into the change log; returns seconds."""
    from sqlalchemy import insert

    from sync_server.core.sync import user_scope
    from sync_server.db import Database
    from sync_server.models import ChangeLog

    db = Database(db_url)
    created = dt.datetime.now(dt.UTC)
    scope = user_scope(user_id)
    with stopwatch() as took:
        for start in range(0, rows, 10_000):
            batch = []
            for i in range(start, min(rows, start + 10_000)):
                code = f"bench-proc-{i:06d}"
                batch.append(
                    {
                        "scope": scope,
                        "entity": "favorite",
                        "entity_id": code,
                        "op": "upsert",
                        "data": {"process_code": code},
                        "created_at": created,
                    }
                )
            with db.transaction() as session:
                session.execute(insert(ChangeLog), batch)
    db.dispose()
    return took()


def visible_changes(db_url: str, user_id: str) -> int:
    """How many changes `user_id`'s first pull gets: the public ones (the seed's forms), the signed-in users'
    (post holders) and their own."""
    from sqlalchemy import func, select

    from sync_server.core.sync import pulled_scopes
    from sync_server.db import Database
    from sync_server.models import ChangeLog

    db = Database(db_url)
    try:
        with db.session() as session:
            query = select(func.count()).where(ChangeLog.scope.in_(pulled_scopes(user_id)))
            return int(session.scalar(query) or 0)
    finally:
        db.dispose()


def activate(url: str, user_id: str, initial: str) -> str:
    """What a demo user does at first login (tests/server/test_auth.py `activated`): log in with the initial
    password, change it, log in again. Returns the access token of that last, unrestricted session."""
    import requests

    def login(password: str) -> dict[str, Any]:
        response = requests.post(
            url + "/api/v1/auth/login",
            json={"user_id": user_id, "password": password, "kind": "kiosk", "device_id": "bench-kiosk"},
            timeout=30,
        )
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    first = login(initial)
    changed = requests.post(
        url + "/api/v1/auth/password",
        json={"old_password": initial, "new_password": NEW_PW},
        headers={"Authorization": f"Bearer {first['access_token']}"},
        timeout=30,
    )
    changed.raise_for_status()
    token: str = login(NEW_PW)["access_token"]
    return token


def issue_sessions(db_url: str, count: int) -> list[dict[str, Any]]:
    """`count` kiosk sessions spread round-robin over the demo users, created in the database with the
    server's own `create_session` (what a login does after the password check). Logging in 500 times would
    cost 500 argon2 verifications (~50–100 ms each) before the timed phase and measure nothing of sync. The
    users are marked as having changed their initial password, which a real first login requires."""
    from sqlalchemy import select

    from sync_server.core.auth import create_session
    from sync_server.db import Database
    from sync_server.models import User

    db = Database(db_url)
    kiosks = []
    try:
        with db.transaction() as session:
            users = [u for u in session.scalars(select(User).order_by(User.user_id)) if processes_for(u.role)]
            for user in users:
                user.must_change_password = False
            for i in range(count):
                user = users[i % len(users)]
                device = f"bench-kiosk-{i:04d}"
                issued = create_session(session, user, "kiosk", device_id=device, device_name=device)
                kiosks.append(
                    {
                        "user_id": user.user_id,
                        "device_id": device,
                        "token": issued.access_token,
                        "codes": processes_for(user.role),
                    }
                )
    finally:
        db.dispose()
    return kiosks


def server_ms(log_path: Path, offset: int, path: str) -> list[float]:
    """The server's own handling time (access log "ms") of requests to `path` logged after byte `offset`."""
    out = []
    with log_path.open("rb") as fh:
        fh.seek(offset)
        for line in fh:
            if b'"path"' not in line:
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("path") == path and "ms" in entry:
                out.append(float(entry["ms"]))
    return out


# -- 1. first pull -------------------------------------------------------------------------------------------------
class Timed:
    """Wraps one method of an object and adds up the seconds spent in it."""

    def __init__(self, obj: Any, name: str) -> None:
        self.seconds = 0.0
        self.calls = 0
        inner = getattr(obj, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
                self.calls += 1

        setattr(obj, name, timed)


def pull_round(url: str, token: str, workdir: Path, expected: int, favorites: int, server_log: Path) -> dict[str, Any]:
    from kiosk.models.store import LocalStore
    from kiosk.services.api_client import ApiClient
    from kiosk.services.sync import PULL_PAGE, SyncEngine

    shutil.rmtree(workdir, ignore_errors=True)
    store = LocalStore(workdir / "kiosk.db")
    client = ApiClient(url, timeout=60)
    client.access_token = token
    engine = SyncEngine(client, store, "bench-pull")
    http = Timed(client, "pull")
    apply = Timed(store, "apply_changes")
    log_offset = server_log.stat().st_size
    with stopwatch() as took:
        applied = engine.pull(STUDENT)
    seconds = took()
    landed = len(store.favorites(STUDENT))
    store.close()
    client.close()
    if applied != expected or landed != favorites:
        raise RuntimeError(
            f"pull applied {applied} changes and stored {landed} favourites; expected {expected} and {favorites}"
        )
    server = server_ms(server_log, log_offset, "/api/v1/sync/pull")
    return {
        "rows": applied,
        "seconds": seconds,
        "rows_per_s": applied / seconds,
        "pages": http.calls,
        "page_size": PULL_PAGE,
        "http_s": http.seconds,  # request sent → JSON decoded, server time included
        "server_s": sum(server) / 1000,  # the server's handling time, from its access log
        "apply_s": apply.seconds,  # LocalStore.apply_changes: the SQLite transactions
    }


def profile_pull(url: str, token: str, workdir: Path, top: int = 18) -> str:
    """One more (untimed) round under cProfile, client side; the top functions by internal time."""
    from kiosk.models.store import LocalStore
    from kiosk.services.api_client import ApiClient
    from kiosk.services.sync import SyncEngine

    shutil.rmtree(workdir, ignore_errors=True)
    store = LocalStore(workdir / "kiosk.db")
    client = ApiClient(url, timeout=60)
    client.access_token = token
    engine = SyncEngine(client, store, "bench-pull")
    profiler = cProfile.Profile()
    profiler.enable()
    engine.pull(STUDENT)
    profiler.disable()
    store.close()
    client.close()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return text.getvalue()


@contextmanager
def student_server(template: Path, tmp: Path, rows: int) -> Iterator[tuple[Any, str]]:
    """A server (SQLite, 1 worker) over a copy of the demo database with `rows` favourite changes in the demo
    student's scope, and that student's token after their first login. The pull and then the drain use it."""
    from tests.helpers import LiveServer, copy_sqlite

    workdir = tmp / "student-server"
    db_url = copy_sqlite(template, workdir / "db")
    if rows:
        insert_s = insert_favorite_changes(db_url, STUDENT, rows)
        log(f"{rows:,} favourite changes inserted into the server's change log in {insert_s:.2f} s")
    server = LiveServer(db_url=db_url, workdir=workdir).start()
    try:
        yield server, activate(server.url, STUDENT, STUDENT_PW)
    finally:
        server.stop()


def bench_pull(server: Any, token: str, tmp: Path, sizes: Sizes, profile: bool) -> dict[str, Any]:
    from kiosk.services.api_client import ApiClient

    expected = visible_changes(server.db_url, STUDENT)
    seeded = expected - sizes.rows
    log(f"pull: the first pull gets {expected:,} changes ({seeded} from the demo seed: forms, workflows, post holders)")
    warm = ApiClient(server.url)  # one small page first: the server's first request pays its lazy imports
    warm.access_token = token
    warm.pull(0, 10)
    warm.close()
    rounds = []
    for i in range(sizes.rounds):
        r = pull_round(server.url, token, tmp / "pull-kiosk", expected, sizes.rows, server.log_path)
        rounds.append(r)
        log(
            f"  pull round {i + 1}: {r['rows']:,} rows in {r['seconds']:.2f} s = {r['rows_per_s']:,.0f} rows/s "
            f"(HTTP {r['http_s']:.2f} s of which server {r['server_s']:.2f} s; apply {r['apply_s']:.2f} s; "
            f"{r['pages']} pages)"
        )
    profile_text = profile_pull(server.url, token, tmp / "pull-kiosk") if profile else None
    rates = [r["rows_per_s"] for r in rounds]
    result = {
        "rows": expected,
        "favorites": sizes.rows,
        "public_changes": expected - sizes.rows,
        "rounds": rounds,
        "rows_per_s_median": statistics.median(rates),
        "rows_per_s_min": min(rates),
        "rows_per_s_max": max(rates),
        "seconds_median": statistics.median(r["seconds"] for r in rounds),
        "http_s_median": statistics.median(r["http_s"] for r in rounds),
        "server_s_median": statistics.median(r["server_s"] for r in rounds),
        "apply_s_median": statistics.median(r["apply_s"] for r in rounds),
        "pages": rounds[0]["pages"],
        "page_size": rounds[0]["page_size"],
    }
    if profile_text is not None:
        result["profile"] = profile_text
    return result


# -- 2. enqueue latency and 3. drain ----------------------------------------------------------------------------------
def favorite_ops(codes: list[str], count: int) -> Iterator[tuple[str, bool]]:
    """(code, on) pairs that each change something: the codes in turn, ★ on in the first pass, off in the next."""
    for i in range(count):
        yield codes[i % len(codes)], (i // len(codes)) % 2 == 0


def enqueue_favorites(store: Any, user_id: str, codes: list[str], count: int) -> list[float]:
    """Enqueue `count` favorite.set operations the way the app does (local effect + outbox in one transaction);
    returns each call's seconds."""
    from sqlalchemy import delete

    from kiosk.models.tables import LocalFavorite

    samples = []
    for code, on in favorite_ops(codes, count):

        def apply_local(session: Any, code: str = code, on: bool = on) -> None:
            if on:
                session.merge(LocalFavorite(user_id=user_id, process_code=code))
            else:
                session.execute(
                    delete(LocalFavorite).where(LocalFavorite.user_id == user_id, LocalFavorite.process_code == code)
                )

        start = time.perf_counter()
        store.enqueue(user_id, "favorite.set", {"process_code": code, "on": on}, apply_local)
        samples.append(time.perf_counter() - start)
    return samples


def latency_summary(samples_s: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples_s]
    return {
        "p50_ms": percentile(ms, 50),
        "p99_ms": percentile(ms, 99),
        "max_ms": max(ms),
        "mean_ms": statistics.mean(ms),
    }


def bench_enqueue(tmp: Path, sizes: Sizes) -> dict[str, Any]:
    from kiosk.models.store import LocalStore

    path = tmp / "enqueue" / "kiosk.db"
    store = LocalStore(path)
    with store.engine.connect() as conn:
        pragmas = {
            "journal_mode": conn.exec_driver_sql("PRAGMA journal_mode").scalar_one(),
            "synchronous": conn.exec_driver_sql("PRAGMA synchronous").scalar_one(),  # 2 = FULL
        }
    samples = enqueue_favorites(store, STUDENT, processes_for("student"), sizes.enqueues)
    store.close()
    summary = latency_summary(samples)
    log(
        f"enqueue: {len(samples):,} calls, p50 {summary['p50_ms']:.2f} ms, p99 {summary['p99_ms']:.2f} ms, "
        f"max {summary['max_ms']:.2f} ms ({pragmas})"
    )
    return {"count": len(samples), **summary, "pragmas": pragmas, "filesystem": filesystem_of(path)}


def bench_drain(server: Any, token: str, tmp: Path, sizes: Sizes) -> dict[str, Any]:
    from kiosk.models.store import LocalStore
    from kiosk.services.api_client import ApiClient
    from kiosk.services.sync import PUSH_BATCH, SyncEngine

    store = LocalStore(tmp / "drain-kiosk" / "kiosk.db")
    with stopwatch() as took:
        enqueue_samples = enqueue_favorites(store, STUDENT, processes_for("student"), sizes.drain_ops)
    enqueue_s = took()
    log(f"drain: {sizes.drain_ops:,} operations enqueued in {enqueue_s:.2f} s")
    client = ApiClient(server.url, timeout=60)
    client.access_token = token
    engine = SyncEngine(client, store, "bench-drain")
    parts = {name: Timed(store, name) for name in ("pending_ops", "record_results")}
    http = Timed(client, "push_ops")
    log_offset = server.log_path.stat().st_size
    with stopwatch() as took:
        report = engine.push(STUDENT)
    seconds = took()
    server_push = server_ms(server.log_path, log_offset, "/api/v1/sync/push")
    client.close()
    counts = store.outbox_counts(STUDENT)
    store.close()
    if counts["pending"] or report.applied != sizes.drain_ops:
        raise RuntimeError(f"drain left {counts} after {report}; expected {sizes.drain_ops} applied")
    result = {
        "ops": sizes.drain_ops,
        "seconds": seconds,
        "ops_per_s": sizes.drain_ops / seconds,
        "batches": len(server_push),
        "batch_size": PUSH_BATCH,
        "server_s": sum(server_push) / 1000,
        "http_s": http.seconds,  # request sent → JSON decoded, server time included
        "store_s": {name: t.seconds for name, t in parts.items()},  # the kiosk's outbox bookkeeping
        "applied": report.applied,
        "rejected": report.rejected,
        "enqueue_total_s": enqueue_s,
        "enqueue_latency": latency_summary(enqueue_samples),
    }
    store_s = ", ".join(f"{name} {t:.2f} s" for name, t in result["store_s"].items())
    log(
        f"  drained {report.applied:,} ops in {seconds:.2f} s = {result['ops_per_s']:,.0f} ops/s "
        f"({result['batches']} pushes of ≤ {PUSH_BATCH}; HTTP {http.seconds:.2f} s of which server"
        f" {result['server_s']:.2f} s; kiosk store: {store_s})"
    )
    return result


# -- 4. load ---------------------------------------------------------------------------------------------------------
async def run_kiosks(
    url: str, kiosks: list[dict[str, Any]], rounds: int, deadline_s: float, in_flight: int | None
) -> dict[str, Any]:
    """Each kiosk on its own connection does R × (pull with its cursor, push 2 operations). `in_flight` caps
    the requests under way at once (None: every kiosk at once). Whatever is still under way at the deadline
    is cancelled and counted as unfinished."""
    import ssl
    from collections import Counter

    import httpx

    from kiosk.services.sync import PULL_PAGE

    samples: dict[str, list[float]] = {"pull": [], "push": []}
    errors: Counter[str] = Counter()
    count = Counter[str]()  # "ok": answered 200; "done": answered or failed (not cut off by the deadline)
    rejected = 0
    gate = asyncio.Semaphore(in_flight or len(kiosks))

    async def timed(kind: str, send: Callable[[], Any]) -> Any:
        async with gate:
            t0 = time.perf_counter()
            try:
                response = await send()
            except httpx.HTTPError as exc:
                count["done"] += 1
                errors[f"{kind}: {type(exc).__name__}"] += 1
                return None
            samples[kind].append(time.perf_counter() - t0)
        count["done"] += 1
        if response.status_code != 200:
            errors[f"{kind}: HTTP {response.status_code}"] += 1
            return None
        count["ok"] += 1
        return response.json()

    async def kiosk(k: dict[str, Any], http: httpx.AsyncClient, rng: random.Random) -> None:
        nonlocal rejected
        cursor, seq = 0, 0
        for _ in range(rounds):
            params = {"cursor": cursor, "limit": PULL_PAGE}
            page = await timed("pull", lambda params=params: http.get("/api/v1/sync/pull", params=params))
            if page is not None:
                cursor = page["cursor"]
            ops = []
            for _ in range(2):
                seq += 1
                ops.append(
                    {
                        "id": str(uuid.uuid4()),
                        "seq": seq,
                        "type": "favorite.set",
                        "payload": {"process_code": rng.choice(k["codes"]), "on": rng.random() < 0.5},
                        "created_at": dt.datetime.now(dt.UTC).isoformat(),
                    }
                )
            body = {"device_id": k["device_id"], "ops": ops}
            answer = await timed("push", lambda body=body: http.post("/api/v1/sync/push", json=body))
            if answer is not None:
                rejected += sum(1 for r in answer["results"] if r["status"] == "rejected")

    # Clients are made before the clock starts: each builds a transport, and 500 TLS contexts (unused on
    # http://) would cost seconds of CPU, so they share one. A pool of one connection each: one kiosk each.
    tls = ssl.create_default_context()
    clients = [
        httpx.AsyncClient(
            base_url=url,
            headers={"Authorization": f"Bearer {k['token']}"},
            # Below the server's 30 s keep-alive (sync_server/cli.py): otherwise a kiosk that waited its turn can
            # send on a connection the server is closing that very moment (a client-side race).
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1, keepalive_expiry=25.0),
            timeout=httpx.Timeout(deadline_s),
            verify=tls,
        )
        for k in kiosks
    ]
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    tasks = [
        asyncio.create_task(kiosk(k, c, random.Random(i))) for i, (k, c) in enumerate(zip(kiosks, clients, strict=True))
    ]
    _done, pending = await asyncio.wait(tasks, timeout=deadline_s)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    wall = time.perf_counter() - started
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.gather(*(c.aclose() for c in clients))
    every = samples["pull"] + samples["push"]
    planned = len(kiosks) * rounds * 2
    return {
        "kiosks": len(kiosks),
        "rounds": rounds,
        "in_flight": in_flight,
        "deadline_s": deadline_s,
        "planned": planned,
        "ok": count["ok"],
        "failed": sum(errors.values()),
        "unfinished": planned - count["done"],
        "errors": dict(errors),
        "rejected_ops": rejected,
        "wall_s": wall,
        "requests_per_s": count["ok"] / wall,
        # Latency of the requests that got an answer (an error answer included), in ms.
        "all": latency_summary(every) if every else None,
        "pull": latency_summary(samples["pull"]) if samples["pull"] else None,
        "push": latency_summary(samples["push"]) if samples["push"] else None,
        # The load generator shares the 2 CPUs with the server: how much of them it took.
        "client_cpu_s": (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime),
    }


def bench_load(backend: str, db_url: str, workdir: Path, workers: int, sizes: Sizes) -> dict[str, Any]:
    """Two runs over the same sessions and server: at most `in_flight` requests under way (what the server
    sustains), then every kiosk at once (a burst, as when the network comes back for all of them). The burst
    goes last because it can leave the server stuck until its timeouts fire."""
    from tests.helpers import LiveServer

    workdir.mkdir(parents=True, exist_ok=True)
    with stopwatch() as took:
        kiosks = issue_sessions(db_url, sizes.kiosks)
    log(f"load {backend}: {len(kiosks)} sessions issued in {took():.2f} s")
    runs = {}
    server = LiveServer(db_url=db_url, workdir=workdir, workers=workers).start()
    try:
        for name, in_flight, deadline in (
            ("paced", sizes.in_flight, sizes.paced_deadline_s),
            ("burst", None, sizes.burst_deadline_s),
        ):
            r = asyncio.run(run_kiosks(server.url, kiosks, sizes.load_rounds, deadline, in_flight))
            runs[name] = r
            how = f"≤ {in_flight} in flight" if in_flight else "all at once"
            failed = f"{r['failed']} failed {r['errors']}" if r["errors"] else "0 failed"
            log(
                f"  {name} ({how}): {r['ok']:,} of {r['planned']:,} requests answered 200 in {r['wall_s']:.1f} s"
                f" = {r['requests_per_s']:,.0f} req/s, p50 {ms(r['all'], 'p50_ms')}, p99 {ms(r['all'], 'p99_ms')},"
                f" {failed}, {r['unfinished']} unfinished, client CPU {r['client_cpu_s']:.1f} s"
            )
    finally:
        server.stop()
    return {"backend": backend, "workers": workers, **runs}


def drop_pg_database(url: str) -> None:
    import psycopg

    from tests.helpers import PG_URL

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_load_pg(tmp: Path, sizes: Sizes, seeded_pg: str | None = None) -> dict[str, Any]:
    from tests.helpers import PG_URL, create_pg_database, seed_database

    if not PG_URL:
        return {"skipped": "CAMPUS_TEST_PG_URL is unset (./run bench starts a throwaway PostgreSQL cluster)"}
    url = create_pg_database(template=seeded_pg)
    try:
        if seeded_pg is None:
            seed_database(url)
        return bench_load("postgresql", url, tmp / "load-pg", workers=2, sizes=sizes)
    finally:
        drop_pg_database(url)


# -- report --------------------------------------------------------------------------------------------------------
def filesystem_of(path: Path) -> str:
    """The file system type the store was measured on (fsync on tmpfs would be free and the figure a lie)."""
    best, kind = "", "?"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            fields = line.split()
            mount = fields[1]
            if str(path.resolve()).startswith(mount.rstrip("/") + "/") and len(mount) > len(best):
                best, kind = mount, fields[2]
    except OSError:
        pass
    return kind


def source_state() -> dict[str, Any]:
    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=all").splitlines()]
    return {
        "commit": git("rev-parse", "--short", "HEAD").strip() or None,
        "uncommitted": [p for p in changed if p.startswith(("kiosk/", "sync_server/")) and p.endswith(".py")],
    }


def machine() -> dict[str, Any]:
    import sqlalchemy

    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlalchemy": sqlalchemy.__version__,
        "sqlite": __import__("sqlite3").sqlite_version,
        "platform": platform.platform(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "source": source_state(),
    }


def uncommitted_note(paths: list[str]) -> str:
    if not paths:
        return ", no uncommitted changes to Python files in kiosk/ or sync_server/"
    shown = ", ".join(paths[:6]) + (f" and {len(paths) - 6} more (listed in the JSON)" if len(paths) > 6 else "")
    return f", plus uncommitted changes in {shown}"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def ms(summary: dict[str, float] | None, key: str) -> str:
    return f"{summary[key]:,.0f} ms" if summary else "—"


def load_rows(label: str, r: dict[str, Any] | None) -> list[str]:
    if r is None:
        return []
    if "skipped" in r:
        return [f"| {label} | — | — | — | — | — | — | — | — | skipped: {r['skipped']} |"]
    rows = []
    for name in ("paced", "burst"):
        run = r[name]
        how = f"≤ {run['in_flight']} in flight" if run["in_flight"] else "all at once"
        errors = ", ".join(f"{n} × {kind}" for kind, n in sorted(run["errors"].items())) or "none"
        rows.append(
            f"| {label}, {how} | {run['kiosks']} × {run['rounds']} | {run['ok']:,} / {run['planned']:,}"
            f" | {run['requests_per_s']:,.0f} | {ms(run['all'], 'p50_ms')} | {ms(run['all'], 'p99_ms')}"
            f" | {ms(run['pull'], 'p99_ms')} / {ms(run['push'], 'p99_ms')}"
            f" | {run['client_cpu_s']:.1f} s in {run['wall_s']:.1f} s"
            f" | {run['unfinished']:,} unfinished at {run['deadline_s']:.0f} s | errors: {errors};"
            f" {run['rejected_ops']} ops rejected |"
        )
    return rows


def report(info: dict[str, Any], res: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    checks: list[dict[str, Any]] = []
    rows: list[str] = []
    pull = res.get("pull")
    if pull is not None:
        ok = pull["rows_per_s_median"] >= TARGET_PULL_ROWS_S
        checks.append(
            {
                "name": f"first pull ≥ {TARGET_PULL_ROWS_S:,.0f} rows/s (median)",
                "pass": ok,
                "detail": f"{pull['rows_per_s_median']:,.0f} rows/s",
            }
        )
        rows.append(
            f"| first pull of {pull['rows']:,} changes ({pull['favorites']:,} favourites),"
            f" {len(pull['rounds'])} round(s)"
            f" | {pull['rows_per_s_median']:,.0f} rows/s (median)"
            f" | worst {pull['rows_per_s_min']:,.0f}, best {pull['rows_per_s_max']:,.0f} rows/s;"
            f" {pull['seconds_median']:.2f} s = HTTP {pull['http_s_median']:.2f} s"
            f" (server {pull['server_s_median']:.2f} s) + local apply {pull['apply_s_median']:.2f} s;"
            f" {pull['pages']} pages of {pull['page_size']} | ≥ {TARGET_PULL_ROWS_S:,.0f} rows/s: {verdict(ok)} |"
        )
    enq = res.get("enqueue")
    if enq is not None:
        ok = enq["p99_ms"] <= TARGET_ENQUEUE_P99_MS
        checks.append(
            {"name": f"enqueue p99 ≤ {TARGET_ENQUEUE_P99_MS:.0f} ms", "pass": ok, "detail": f"{enq['p99_ms']:.2f} ms"}
        )
        rows.append(
            f"| enqueue latency, {enq['count']:,} calls | {enq['p99_ms']:.2f} ms (p99)"
            f" | p50 {enq['p50_ms']:.2f} ms, max {enq['max_ms']:.2f} ms; WAL, synchronous=FULL, {enq['filesystem']}"
            f" | p99 ≤ {TARGET_ENQUEUE_P99_MS:.0f} ms: {verdict(ok)} |"
        )
    drain = res.get("drain")
    if drain is not None:
        rows.append(
            f"| drain {drain['ops']:,} queued ops (SQLite server) | {drain['ops_per_s']:,.0f} ops/s"
            f" | {drain['seconds']:.2f} s = HTTP {drain['http_s']:.2f} s (server {drain['server_s']:.2f} s)"
            f" + kiosk outbox bookkeeping {sum(drain['store_s'].values()):.2f} s; {drain['batches']} pushes of"
            f" ≤ {drain['batch_size']}; {drain['applied']:,} applied, {drain['rejected']} rejected | — |"
        )
    load = info["loadavg_at_start"][0], info["loadavg_at_end"][0]
    src = info["source"]
    lines = [
        f"Sync benchmark ({info['date'][:16]}, {info['cpus']} CPUs, Python {info['python']}, SQLAlchemy"
        f" {info['sqlalchemy']}, SQLite {info['sqlite']}, load average {load[0]} → {load[1]}, {info['total_s']:.0f} s)",
        f"Code: commit {src['commit']}" + uncommitted_note(src["uncommitted"]),
        "",
    ]
    if rows:
        lines += ["| figure | result | detail | target |", "|---|---:|---|---|", *rows, ""]
    if "load_sqlite" in res:
        lines += [
            "| server (loopback), kiosks | kiosks × rounds | 200 OK / planned | req/s | p50 | p99"
            " | p99 pull / push | load generator CPU | cut off | notes |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
            *load_rows("SQLite, 1 worker", res.get("load_sqlite")),
            *load_rows("PostgreSQL, 2 workers", res.get("load_pg")),
            "",
        ]
    lines += [f"- {verdict(c['pass'])} {c['name']}: {c['detail']}" for c in checks]
    return "\n".join(lines), checks


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="small sizes for a smoke run (a few seconds each)")
    p.add_argument("--rounds", type=int, help="first-pull rounds (default 3; quick 1)")
    p.add_argument("--rows", type=int, help="change-log rows for the first pull (default 100000)")
    p.add_argument("--enqueues", type=int, help="timed enqueues (default 2000)")
    p.add_argument("--drain-ops", type=int, help="operations to drain (default 10000)")
    p.add_argument("--kiosks", type=int, help="simulated kiosks (default 500)")
    p.add_argument("--load-rounds", type=int, help="pull+push rounds per simulated kiosk (default 3)")
    p.add_argument("--in-flight", type=int, help=f"requests under way at once in the paced run (default {IN_FLIGHT})")
    p.add_argument("--burst-deadline", type=float, help="seconds before the all-at-once run is cut off (default 30)")
    p.add_argument(
        "--only",
        default=",".join(PARTS),
        help=f"comma-separated parts to run, of {','.join(PARTS)} (default: all)",
    )
    p.add_argument("--profile", action="store_true", help="one more pull round under cProfile; print where time goes")
    p.add_argument(
        "--seeded-sqlite", type=Path, help="a demo-seeded SQLite file to copy instead of seeding one (the tests' own)"
    )
    p.add_argument("--seeded-pg", help="a demo-seeded PostgreSQL database to copy (CREATE DATABASE … TEMPLATE)")
    p.add_argument("--out", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS.relative_to(REPO_ROOT)})")
    args, _unknown = p.parse_known_args(argv)  # `./run bench ARGS` hands the same args to every benchmark
    base = QUICK if args.quick else FULL
    sizes = Sizes(
        rows=args.rows or base.rows,
        rounds=args.rounds or base.rounds,
        enqueues=args.enqueues or base.enqueues,
        drain_ops=args.drain_ops or base.drain_ops,
        kiosks=args.kiosks or base.kiosks,
        load_rounds=args.load_rounds or base.load_rounds,
        in_flight=args.in_flight or base.in_flight,
        paced_deadline_s=base.paced_deadline_s,
        burst_deadline_s=args.burst_deadline or base.burst_deadline_s,
    )
    parts = {part.strip() for part in args.only.split(",") if part.strip()}
    if not parts or parts - set(PARTS):
        p.error(f"--only takes some of {','.join(PARTS)}")
    if min(v for v in vars(sizes).values()) <= 0:
        p.error("sizes must be ≥ 1")

    info = machine()
    log(f"sync benchmark: {sizes}, {info['cpus']} CPUs, load {info['loadavg_at_start']}")
    from tests.helpers import copy_sqlite, seed_database

    started = time.perf_counter()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="campus-bench-sync-") as tmp_name:
        tmp = Path(tmp_name)
        template = tmp / "template.db"
        if args.seeded_sqlite is not None:
            shutil.copyfile(args.seeded_sqlite, template)
            log(f"demo database copied from {args.seeded_sqlite}")
        else:
            with stopwatch() as took:
                seed_database(f"sqlite:///{template}")
            log(f"demo database seeded in {took():.2f} s")
        if "enqueue" in parts:
            results["enqueue"] = bench_enqueue(tmp, sizes)
        if parts & {"pull", "drain"}:
            with student_server(template, tmp, sizes.rows if "pull" in parts else 0) as (server, token):
                if "pull" in parts:
                    results["pull"] = bench_pull(server, token, tmp, sizes, args.profile)
                if "drain" in parts:
                    results["drain"] = bench_drain(server, token, tmp, sizes)
        if "load" in parts:
            sqlite_url = copy_sqlite(template, tmp / "load-sqlite")
            results["load_sqlite"] = bench_load("sqlite", sqlite_url, tmp / "load-sqlite", 1, sizes)
            results["load_pg"] = bench_load_pg(tmp, sizes, args.seeded_pg)
            if "skipped" in results["load_pg"]:
                log(f"load postgresql: skipped: {results['load_pg']['skipped']}")
    info["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    info["total_s"] = time.perf_counter() - started

    text, checks = report(info, results)
    print(text)
    if args.profile and "pull" in results:
        print("\nClient-side profile of one more first pull (cProfile):\n")
        print(results["pull"]["profile"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    out = {
        "benchmark": "sync: first pull, enqueue latency, drain, server under load",
        "machine": info,
        "sizes": sizes.__dict__,
        "targets": checks,
        **results,
    }
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    log(f"\nresults written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
