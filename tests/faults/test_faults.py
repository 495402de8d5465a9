"""The sync guarantees under faults: 20 seeded scenarios of kiosk processes (SIGKILLed and restarted), a fault
proxy (dropped answers after commit, cut connections, delays, 503s, blackouts) and a real server (stopped or
killed and restarted), each checked for lost, duplicated, reordered, stuck, diverged and phantom operations.

Then the harness's own tests: each check must fail on a deliberate bug (mutants.py), the proxy does what it
says, kiosks also run as fresh interpreters, and regression tests of the two store bugs the harness found.

A failing seed prints its re-run command: `.venv/bin/python -m tests.faults.run --keep --seeds N`.
"""

from __future__ import annotations

import http.server
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.faults.harness import Lane, ScenarioPlan, ScenarioResult, build_template, demo_users, make_plan
from tests.faults.proxy import FaultProfile, FaultProxy
from tests.faults.run import run_lanes
from tests.helpers import ROOT

# 20 here keeps the suite inside its time budget; bench/bench_faults.py runs 1000 of the same scenarios.
SEEDS = range(20)


@pytest.fixture(scope="module")
def fault_template(seeded_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(seeded_sqlite, tmp_path_factory.mktemp("fault-template"))


@pytest.fixture(scope="module")
def lane(fault_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lane]:
    with Lane(fault_template, tmp_path_factory.mktemp("fault-lane")) as lane:
        yield lane


@pytest.fixture(scope="module")
def scenario_results(fault_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[int, ScenarioResult]:
    """All the seeds at once, over two lanes (worker processes, each with its own server): on 2 CPUs this
    halves the wall time, since a lane spends much of a scenario waiting (delays, backoff, restarts)."""
    results, lane_errors = run_lanes(list(SEEDS), fault_template, tmp_path_factory.mktemp("fault-lanes"), lanes=2)
    assert not lane_errors, lane_errors
    return {r.seed: r for r in results}


@pytest.mark.parametrize("seed", SEEDS)
def test_scenario(scenario_results: dict[int, ScenarioResult], seed: int) -> None:
    result = scenario_results[seed]
    assert result.ok, result.report()
    assert result.stats["acknowledged"] > 0 and result.stats["applied"] >= result.stats["acknowledged"]


# -- every check can fail ---------------------------------------------------------------------------------------
def first_seed(predicate: Callable[[ScenarioPlan], bool]) -> int:
    """The first seed whose plan has what a mutant needs to show (plans depend on the seed alone)."""
    users = demo_users()
    return next(seed for seed in range(10_000, 20_000) if predicate(make_plan(seed, users)))


def calm(plan: ScenarioPlan) -> bool:
    """No kiosk killed and no server restart: a mutant that needs neither shows on a short run (a restarted
    server's downtime and the kiosks' backoff after it cost seconds per run, and show these mutants nothing)."""
    return not plan.kills and plan.server_restart is None


def tail_writes(plan: ScenarioPlan) -> bool:
    """A blackout, no kills, and a kiosk with two or more writes after its barrier (made during the blackout)."""
    if plan.blackout is None or plan.blackout[1] < 0.6 or plan.kills:
        return False
    for steps in plan.kiosks:
        barrier = next(n for n, s in enumerate(steps) if s["do"] == "barrier")
        after = steps[barrier + 1 :]
        if sum(1 if s["do"] == "fav" else len(s.get("taps", [])) for s in after) >= 2:
            return True
    return False


def star_then_unstar_then_back(plan: ScenarioPlan) -> bool:
    """Calm, and a person who ★ then ☆ one process, logs out and back in (so the kiosk pulls from zero)."""
    if not calm(plan):
        return False
    for steps in plan.kiosks:
        logins = [s["user"] for s in steps if s["do"] == "login"]
        if len(logins) == 2 and logins[0] == logins[1]:
            first = steps[: next(n for n, s in enumerate(steps) if s["do"] == "logout")]
            last: dict[str, bool] = {}
            for s in first:
                for tap in [s] if s["do"] == "fav" else s.get("taps", []):
                    if last.get(tap["code"]) and not tap["on"]:
                        return True
                    last[tap["code"]] = tap["on"]
    return False


@pytest.mark.parametrize(
    ("mutant", "count", "predicate"),
    [
        ("lose", "lost", calm),
        ("reorder", "reordered", tail_writes),
        ("no_retry", "stuck", tail_writes),
        ("ignore_deletes", "diverged", star_then_unstar_then_back),
        ("phantom", "phantom", calm),
    ],
)
def test_each_check_catches_its_bug(lane: Lane, mutant: str, count: str, predicate: Callable[..., bool]) -> None:
    result = lane.run(first_seed(predicate), mutant=mutant)
    assert result.counts[count] > 0, result.report()


def test_duplicates_are_caught_when_the_server_forgets_idempotency(fault_template: Path, tmp_path: Path) -> None:
    # A server that ignores its idempotency records, and half of all answers lost after the commit.
    with Lane(fault_template, tmp_path, server_mutant="no_idempotency") as broken:
        result = broken.run(first_seed(calm), profile=FaultProfile(drop=0.5))
    assert result.counts["duplicated"] > 0, result.report()


def test_kiosks_as_fresh_interpreters(lane: Lane) -> None:
    """The standalone entry point (`python -m tests.faults.kiosk_proc CONFIG`), not a fork of the fork server."""
    result = lane.run(7, spawn="exec")
    assert result.ok, result.report()


# -- the proxy ----------------------------------------------------------------------------------------------------
class _Upstream(http.server.ThreadingHTTPServer):
    seen: int = 0


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.seen += 1  # type: ignore[attr-defined]
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: Any) -> None:
        pass


def test_proxy_actions_and_no_leaks() -> None:
    upstream = _Upstream(("127.0.0.1", 0), _Handler)
    serving = threading.Thread(target=upstream.serve_forever, daemon=True)
    serving.start()
    threads_before = threading.active_count()
    proxy = FaultProxy(upstream.server_address[1], "proxy-test").start()
    url = proxy.url + "/x"
    try:
        assert requests.post(url, json={}, timeout=5).json() == {"ok": True} and upstream.seen == 1

        proxy.set_profile(FaultProfile(drop=1.0))  # the server answers, the client never hears it
        with pytest.raises(requests.ConnectionError):
            requests.post(url, json={}, timeout=5)
        assert upstream.seen == 2

        proxy.set_profile(FaultProfile(cut=1.0))  # never forwarded
        with pytest.raises(requests.ConnectionError):
            requests.post(url, json={}, timeout=5)
        assert upstream.seen == 2

        proxy.set_profile(FaultProfile(unavailable=1.0))
        assert requests.post(url, json={}, timeout=5).status_code == 503 and upstream.seen == 2

        proxy.set_profile(FaultProfile(delay=1.0, max_delay_s=0.3))
        started = time.monotonic()
        for _ in range(4):
            assert requests.post(url, json={}, timeout=5).ok
        assert time.monotonic() - started > 0.15 and upstream.seen == 6

        proxy.heal()
        upstream.shutdown()
        upstream.server_close()
        with pytest.raises(requests.ConnectionError):  # server down: the connection is dropped, not hung
            requests.post(url, json={}, timeout=5)
        assert proxy.stats["upstream_down"] == 1
    finally:
        proxy.stop()
        upstream.server_close()
    serving.join(5)
    assert threading.active_count() <= threads_before - 1  # the proxy's thread and the upstream's are gone


def test_plans_and_proxy_draws_depend_on_the_seed_alone() -> None:
    users = demo_users()
    assert make_plan(42, users) == make_plan(42, users) != make_plan(43, users)
    profile = FaultProfile(drop=0.2, cut=0.2, delay=0.2, unavailable=0.2)
    rng_a, rng_b = random.Random("fault-proxy/42"), random.Random("fault-proxy/42")
    draws = [profile.draw(rng_a) for _ in range(500)]
    assert draws == [profile.draw(rng_b) for _ in range(500)]
    assert {d[0] for d in draws} == {"pass", "drop", "cut", "delay", "503"}


# -- what the harness found: regression tests of the fixes in kiosk/models/store.py ---------------------------------
def test_a_kiosk_killed_during_its_first_migration_opens_its_store_again(tmp_path: Path) -> None:
    """Python's sqlite3 ran the migrations' DDL outside a transaction: killed between a CREATE TABLE and the
    user_version, the store could never be opened again ("table meta already exists")."""
    child = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from kiosk.models import store\n"
        "class PowerCut:  # the connection as migration 1 sees it: the power goes after its first statement\n"
        "    def __init__(self, conn):\n"
        "        self.conn = conn\n"
        "    def execute(self, *args):\n"
        "        self.conn.execute(*args)\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "first = store.MIGRATIONS[0]\n"
        "store.MIGRATIONS[0] = lambda conn: first(PowerCut(conn))\n"
        "store.LocalStore(Path(sys.argv[1]))\n"
    )
    db = tmp_path / "kiosk.db"
    killed = subprocess.run([sys.executable, "-c", child, str(db)], cwd=ROOT, timeout=60)
    assert killed.returncode == -signal.SIGKILL
    opener = (
        "import sys; from pathlib import Path; from kiosk.models.store import LocalStore; LocalStore(Path(sys.argv[1]))"
    )
    reopen = subprocess.run(
        [sys.executable, "-c", opener, str(db)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert reopen.returncode == 0, reopen.stderr[-2000:]


def test_overlapping_saves_get_distinct_increasing_seqs(tmp_path: Path) -> None:
    """The app saves on a two-thread pool: two saves used to read the same outbox.last_seq and share a seq."""
    from kiosk.models.store import LocalStore

    store = LocalStore(tmp_path / "kiosk.db")
    barrier = threading.Barrier(3)

    def taps() -> None:
        barrier.wait()
        for _ in range(40):
            store.enqueue("2022010101", "favorite.set", {"process_code": "jw-xiuxue", "on": True})

    workers = [threading.Thread(target=taps) for _ in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    store.close()
    with sqlite3.connect(tmp_path / "kiosk.db") as conn:
        seqs = [row[0] for row in conn.execute("SELECT seq FROM outbox")]
    conn.close()
    assert sorted(seqs) == list(range(1, 121))


def test_a_seed_can_be_rerun_alone(fault_template: Path, tmp_path: Path) -> None:
    """The command a failure prints works: `python -m tests.faults.run --seeds N` (given our template, to skip
    seeding another database), and prints the table."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.faults.run",
            "--seeds",
            "3",
            "--template",
            str(fault_template),
            "--workdir",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "scenarios  lost  duplicated  reordered  stuck  diverged  phantom  errors" in out.stdout
