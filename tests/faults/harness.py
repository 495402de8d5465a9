"""The fault harness: seeded scenarios of kiosk processes, a fault proxy and a real server, then the checks.

A *lane* is one real sync server (`LiveServer`, its own copy of a demo SQLite file whose users have changed
their initial password) with a fork server for kiosk processes; it runs scenarios one after another. A
*scenario* is made from its seed alone (`make_plan`): 2–4 kiosks, each with a fresh device id and its own
people (demo users, reused from scenario to scenario), a plan of logins, ★/☆ writes and logouts, a fault
profile for the proxy, SIGKILLs of kiosks at chosen moments (each restarted on the same files), and perhaps
a stop or a crash of the server. What the seed cannot fix is the operating system's timing: the same seed
makes the same plan, not necessarily the same interleaving.

After the fault phase (every kill and restart done, every plan finished) the harness heals: the proxy passes
everything, the server is up, every kiosk runs. Then it checks, from the server's database and the kiosks'
files:

- lost: an acknowledged operation without exactly one applied record for its user and device and a change;
- duplicated: an operation whose effect is in the change log more than once;
- reordered: a (device, user) stream whose effects are not in the order of the kiosk's outbox sequence;
- stuck: operations still waiting on a kiosk that has sat 2 × the (scaled) backoff cap outside a sync cycle since
  healing (or FINAL_TIMEOUT_S after healing), or a kiosk whose final sync never succeeded;
- diverged: a kiosk whose logged-in person's local ★ differ from the server's after a final pull, or that holds
  ★ of someone who is not logged in;
- phantom: an effect that no kiosk enqueued (or not for that person);
- errors: the harness's own trouble (a kiosk that died by itself, a leaked thread or file descriptor, …).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sync_server.core.security import default_password
from sync_server.core.sync import payload_hash
from sync_server.seed import load_seed
from tests.faults import kiosk_proc
from tests.faults.proxy import FaultProfile, FaultProxy
from tests.helpers import ROOT, LiveServer, activated, copy_sqlite

NEW_PW = "Campus2026ok"  # tests/server/test_auth.py NEW_PW: every demo user's password after activation
BACKOFF_CAP_S = 0.5  # the scaled cap (the app's is 60 s): every backoff delay × 1/120
SERVER_RESTART_P = 0.3  # share of scenarios in which the server is stopped or killed and started again
FAULT_PHASE_LIMIT_S = 30.0  # a fault phase that has not ended by then is reported, not waited for
FINAL_TIMEOUT_S = 15.0
SERVER_MUTANT_DIR = Path(__file__).with_name("server_mutant")
# How the server matches a role to a process's audience (sync_server/core/sync.py): only fitting ★ are made,
# so every acknowledged operation must end applied.
ROLE_AUDIENCE = {"student": "学生", "staff": "教工", "approver": "教工", "external": "校外人员"}
BLACKOUT_P = 0.7
BLACKOUTS = (
    FaultProfile(cut=1.0),
    FaultProfile(unavailable=1.0),
    FaultProfile(drop=1.0),  # the server commits everything and no kiosk hears of it
    FaultProfile(drop=0.4, cut=0.3, unavailable=0.3),
)
COUNTS = ("lost", "duplicated", "reordered", "stuck", "diverged", "phantom", "errors")


# -- users and plans ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoUser:
    user_id: str
    role: str
    initial_password: str
    codes: tuple[str, ...]  # processes whose audience fits the role


def demo_users() -> list[DemoUser]:
    processes = load_seed("processes.json")
    users = []
    for u in load_seed("demo_content.json")["users"]:
        group = ROLE_AUDIENCE.get(u["role"])
        codes = tuple(p["code"] for p in processes if u["role"] == "admin" or group in p["audience"])
        users.append(DemoUser(u["user_id"], u["role"], default_password(u["national_id"]), codes))
    return users


@dataclass
class Kill:
    at_s: float
    kiosk: int
    restart_after_s: float


@dataclass
class ScenarioPlan:
    seed: int
    kiosks: list[list[dict[str, Any]]]  # each kiosk's steps
    profile: FaultProfile
    window_s: float
    kills: list[Kill]
    server_restart: tuple[float, str, float] | None  # (at, "graceful" | "crash", extra downtime)
    # Just before healing, every request fails for a while (the last writes are made then), so the kiosks'
    # backoff has grown when the network comes back: what the drain check measures.
    blackout: tuple[FaultProfile, float] | None
    relogin_p: float


def make_plan(seed: int, users: list[DemoUser]) -> ScenarioPlan:
    rng = random.Random(f"fault-plan/{seed}")
    n_kiosks = rng.randint(2, 4)
    people = rng.sample(users, 2 * n_kiosks)  # nobody is on two kiosks of one scenario
    kiosks = []
    for i in range(n_kiosks):
        first, second = people[2 * i], people[2 * i + 1]
        steps: list[dict[str, Any]] = []

        def favs(steps: list[dict[str, Any]], user: DemoUser, count: int) -> None:
            # A few codes per person, so ★ and ☆ of one process follow each other: order decides the outcome.
            codes = rng.sample(user.codes, min(3, len(user.codes)))
            for _ in range(count):
                if rng.random() < 0.2:  # quick taps whose saves overlap, as on the app's two-thread pool
                    taps = [{"code": rng.choice(codes), "on": rng.random() < 0.6} for _ in range(rng.randint(2, 3))]
                    steps.append({"do": "taps", "user": user.user_id, "taps": taps})
                else:
                    steps.append(
                        {"do": "fav", "user": user.user_id, "code": rng.choice(codes), "on": rng.random() < 0.6}
                    )

        steps.append({"do": "login", "user": first.user_id})
        favs(steps, first, rng.randint(2, 5))
        variant = rng.choices(["stay", "leave", "next", "back"], weights=[3, 3, 2, 2])[0]
        if variant != "stay":
            steps.append({"do": "logout"})
        if variant == "next":
            steps.append({"do": "login", "user": second.user_id})
            favs(steps, second, rng.randint(1, 4))
            if rng.random() < 0.3:
                steps.append({"do": "logout"})
        elif variant == "back":
            steps.append({"do": "login", "user": first.user_id})
            favs(steps, first, rng.randint(1, 3))
        # The barrier: the steps after it (the last writes, a last logout) are made during the blackout.
        last_login = max(n for n, step in enumerate(steps) if step["do"] == "login")
        steps.insert(rng.randint(last_login + 1, len(steps)), {"do": "barrier"})
        for step in steps:
            step["gap"] = round(rng.uniform(0.0, 0.04), 4)
        kiosks.append(steps)
    profile = FaultProfile(
        drop=rng.uniform(0, 0.2),
        cut=rng.uniform(0, 0.12),
        delay=rng.uniform(0, 0.3),
        unavailable=rng.uniform(0, 0.12),
        max_delay_s=rng.uniform(0.02, 0.2),
    )
    window_s = rng.uniform(0.4, 1.0)
    kills = [
        Kill(rng.uniform(0, window_s), rng.randrange(n_kiosks), rng.uniform(0, 0.15))
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3]))
    ]
    server_restart = None
    if rng.random() < SERVER_RESTART_P:
        server_restart = (rng.uniform(0, window_s), rng.choice(["graceful", "crash"]), rng.uniform(0, 0.3))
    blackout = None
    if rng.random() < BLACKOUT_P:
        blackout = (rng.choice(BLACKOUTS), rng.uniform(0.1, 0.9))
    return ScenarioPlan(
        seed, kiosks, profile, window_s, sorted(kills, key=lambda k: k.at_s), server_restart, blackout, 0.5
    )


# -- results ----------------------------------------------------------------------------------------------------
@dataclass
class ScenarioResult:
    seed: int
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    problems: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(self.counts.values())

    def flag(self, count: str, problem: str) -> None:
        self.counts[count] += 1
        self.problems.append(f"{count}: {problem}")

    def report(self) -> str:
        lines = [f"seed {self.seed}: " + ", ".join(f"{k}={v}" for k, v in self.counts.items())]
        lines += [f"  {p}" for p in self.problems[:40]]
        lines.append(f"  stats: {json.dumps(self.stats, ensure_ascii=False)}")
        lines.append(f"  re-run alone: .venv/bin/python -m tests.faults.run --seeds {self.seed}")
        return "\n".join(lines)


# -- kiosk processes ----------------------------------------------------------------------------------------
class KioskProcess:
    """One kiosk terminal: forked from a preloaded fork server (fast) or a fresh interpreter (``exec``)."""

    def __init__(self, config_path: Path, spawn: str, ctx: Any) -> None:
        self.config_path = config_path
        self.spawn = spawn
        self.ctx = ctx
        self.proc: Any = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        if self.spawn == "exec":
            log = (self.config_path.parent / "kiosk.log").open("ab")
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.faults.kiosk_proc", str(self.config_path)],
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            log.close()
        else:
            self.proc = self.ctx.Process(target=kiosk_proc.main, args=(str(self.config_path),), daemon=True)
            self.proc.start()

    @property
    def pid(self) -> int:
        return int(self.proc.pid)

    def exitcode(self) -> int | None:
        if self.proc is None:
            return None
        return self.proc.poll() if self.spawn == "exec" else self.proc.exitcode

    def alive(self) -> bool:
        return self.proc is not None and self.exitcode() is None

    def wait(self, timeout: float) -> int | None:
        if self.spawn == "exec":
            try:
                return int(self.proc.wait(timeout))
            except subprocess.TimeoutExpired:
                return None
        self.proc.join(timeout)
        code = self.proc.exitcode
        return None if code is None else int(code)

    def signal(self, signum: int) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):  # it may have just exited
                os.kill(self.pid, signum)

    def kill(self) -> None:
        """SIGKILL and reap; the process object is released (no file descriptor left behind)."""
        if self.proc is None:
            return
        self.signal(signal.SIGKILL)
        self.wait(10)
        if self.spawn != "exec":
            self.proc.close()
        self.proc = None


# -- a lane: one server, many scenarios ---------------------------------------------------------------------
def build_template(seeded_db: Path, workdir: Path) -> Path:
    """A copy of a demo-seeded database in which every demo user has changed the initial password (through
    the real server, as tests/server/test_auth.py `activated` does)."""

    workdir.mkdir(parents=True, exist_ok=True)
    server = LiveServer(db_url=copy_sqlite(seeded_db, workdir), workdir=workdir).start()
    try:
        # One at a time: each is three argon2 hashes (64 MiB, 4 lanes), and on a busy 2-CPU machine two
        # at once outlasted activated()'s 10 s request timeout.
        for user in demo_users():
            activated(server, user.user_id, user.initial_password, NEW_PW)
    finally:
        server.stop()
    path = workdir / "server.db"
    with sqlite3.connect(path) as conn:  # fold the WAL in: a copy of the main file alone must be complete
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


class Lane:
    def __init__(
        self,
        template: Path,
        workdir: Path,
        *,
        backoff_cap_s: float = BACKOFF_CAP_S,
        spawn: str = "fork",
        server_mutant: str = "",
        keep: bool = False,
        session_lock: bool = True,
    ) -> None:
        self.template = template
        self.workdir = workdir
        self.backoff_cap_s = backoff_cap_s
        self.spawn = spawn
        self.keep = keep
        self.session_lock = session_lock
        self.users = demo_users()
        self.runs = 0
        env = {"CAMPUS_SYNC_LOG_LEVEL": "WARNING"}  # no access log line per request: less CPU, same server
        if server_mutant:
            env["CAMPUS_FAULT_SERVER_MUTANT"] = server_mutant
            env["PYTHONPATH"] = os.pathsep.join([str(SERVER_MUTANT_DIR), str(ROOT)])
        workdir.mkdir(parents=True, exist_ok=True)
        self.server = LiveServer(db_url=copy_sqlite(template, workdir / "db"), workdir=workdir, extra_env=env)
        self.db_path = workdir / "db" / "server.db"
        self.ctx: Any = None
        if spawn == "fork":
            self.ctx = multiprocessing.get_context("forkserver")
            # Imported once in the fork server; every kiosk is a fork of it (a fresh process, no shared state:
            # nothing is opened before the fork).
            self.ctx.set_forkserver_preload(
                ["tests.faults.harness", "tests.faults.kiosk_proc", "requests", "sqlalchemy.dialects.sqlite"]
            )

    def __enter__(self) -> Lane:
        self.server.start()
        if self.ctx is not None:
            from multiprocessing import forkserver

            forkserver.ensure_running()  # its pipe and socket are the lane's, not a scenario's leak
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.stop()

    # -- one scenario -----------------------------------------------------------------------------------------
    def run(
        self, seed: int, *, mutant: str = "", profile: FaultProfile | None = None, spawn: str | None = None
    ) -> ScenarioResult:
        """One scenario. `mutant`, `profile` and `spawn` are for the harness's own tests (a deliberate bug, a
        fault profile instead of the seed's, kiosks as fresh interpreters)."""
        plan = make_plan(seed, self.users)
        self.runs += 1
        if profile is not None:
            plan.profile = profile
        spawn = spawn or self.spawn
        result = ScenarioResult(seed)
        sdir = self.workdir / f"seed-{seed}-r{self.runs}"
        shutil.rmtree(sdir, ignore_errors=True)
        threads_before, fds_before = threading.active_count(), _open_fds()
        log_from = self.server.log_path.stat().st_size if self.server.log_path.exists() else 0
        started = time.monotonic()
        try:
            self._run(plan, sdir, mutant, spawn, result)
        except Exception as exc:  # the harness's own failure is a finding too, with its seed
            result.flag("errors", f"harness: {type(exc).__name__}: {exc}")
        # A 500 (or any error the server logged) under faults is a server bug, whatever the kiosks made of it.
        with self.server.log_path.open("rb") as log:
            log.seek(log_from)
            for line in log.read().decode(errors="replace").splitlines():
                if '"level": "error"' in line or '"level": "critical"' in line:
                    result.flag("errors", f"server logged: {line[:600]}")
        result.stats["duration_s"] = round(time.monotonic() - started, 2)
        leaked_threads = threading.active_count() - threads_before
        leaked_fds = _open_fds() - fds_before
        if leaked_threads > 0:
            result.flag("errors", f"{leaked_threads} thread(s) left behind: {threading.enumerate()}")
        if leaked_fds > 0:
            result.flag("errors", f"{leaked_fds} file descriptor(s) left behind")
        if result.ok and not self.keep:
            shutil.rmtree(sdir, ignore_errors=True)
        else:
            result.stats["workdir"] = str(sdir)
        return result

    def _run(self, plan: ScenarioPlan, sdir: Path, mutant: str, spawn: str, result: ScenarioResult) -> None:
        if not (self.server.process and self.server.process.poll() is None):
            self.server.start(port=self.server.port)  # an earlier scenario's restart failed: start clean
        proxy = FaultProxy(self.server.port, f"fault-proxy/{plan.seed}", plan.profile).start()
        kiosks: list[KioskProcess] = []
        dirs: list[Path] = []
        try:
            for i, steps in enumerate(plan.kiosks):
                kdir = sdir / f"kiosk-{i}"
                kdir.mkdir(parents=True)
                config = kiosk_proc.Config(
                    name=f"k{i}",
                    device_id=self._device(plan, i),
                    server_url=proxy.url,
                    workdir=str(kdir),
                    seed=str(plan.seed),
                    steps=steps,
                    password=NEW_PW,
                    backoff_cap_s=self.backoff_cap_s,
                    relogin_p=plan.relogin_p,
                    mutant=mutant,
                    session_lock=self.session_lock,
                )
                config.save(kdir / "config.json")
                kiosks.append(KioskProcess(kdir / "config.json", spawn, self.ctx))
                dirs.append(kdir)
            start_seq = self._max_change_seq()
            self._fault_phase(plan, proxy, kiosks, dirs, result)
            healed = time.monotonic()
            result.stats["drain_s"] = self._drain(dirs, healed, result)
            finals = self._final(kiosks, dirs, result)
            result.stats["proxy"] = dict(proxy.stats)
            self._check(plan, dirs, finals, start_seq, result)
        finally:
            for kiosk in kiosks:
                kiosk.kill()
            proxy.stop()

    def _fault_phase(
        self,
        plan: ScenarioPlan,
        proxy: FaultProxy,
        kiosks: list[KioskProcess],
        dirs: list[Path],
        result: ScenarioResult,
    ) -> None:
        t0 = time.monotonic()
        for kiosk in kiosks:
            kiosk.start()
        kills = list(plan.kills)
        restarts: list[tuple[float, int]] = []
        server_thread: threading.Thread | None = None
        server_errors: list[BaseException] = []
        killed = 0
        next_done_check = 0.0
        blackout_from: float | None = None
        blackout_over = False
        while True:
            now = time.monotonic() - t0
            while kills and kills[0].at_s <= now:
                kill = kills.pop(0)
                if kiosks[kill.kiosk].alive():
                    kiosks[kill.kiosk].kill()
                    killed += 1
                    restarts.append((now + kill.restart_after_s, kill.kiosk))
            for due in [r for r in restarts if r[0] <= now]:
                restarts.remove(due)
                kiosks[due[1]].start()
            if plan.server_restart and server_thread is None and plan.server_restart[0] <= now:
                _, mode, down_s = plan.server_restart
                server_thread = threading.Thread(
                    target=self._restart_server, args=(mode, down_s, server_errors), name="server-restart"
                )
                server_thread.start()
            for i, kiosk in enumerate(kiosks):
                code = kiosk.exitcode()
                if code is not None and kiosk.proc is not None:
                    raise RuntimeError(f"kiosk {i} exited by itself with code {code}: see {dirs[i] / 'kiosk.log'}")
            if now >= next_done_check:
                next_done_check = now + 0.05
                everything_fired = not kills and not restarts and (not plan.server_restart or server_thread)
                if (
                    blackout_from is None
                    and everything_fired
                    and all(_at_barrier(d, k.pid) for d, k in zip(dirs, kiosks, strict=True))
                ):
                    blackout_from = now
                    if plan.blackout is not None:
                        proxy.set_profile(plan.blackout[0])
                    for d in dirs:
                        kiosk_proc.go_path(d).touch()
                blackout_s = plan.blackout[1] if plan.blackout else 0.0
                if blackout_from is not None and not blackout_over and now >= blackout_from + blackout_s:
                    blackout_over = True
                    if not all(_plan_done(d) for d in dirs):
                        # A kiosk restarted at the barrier must log in again: give it the network back (with
                        # the scenario's faults), or the blackout could never end.
                        proxy.set_profile(plan.profile)
                if blackout_over and all(_plan_done(d) for d in dirs):
                    break
            if now > FAULT_PHASE_LIMIT_S:
                raise RuntimeError("fault phase did not end (a plan could not finish)")
            time.sleep(0.01)
        # Heal: no more faults, the server up, every kiosk running.
        proxy.heal()
        if server_thread is not None:
            server_thread.join()
        if server_errors:
            raise RuntimeError(f"server restart failed: {server_errors[0]!r}")
        result.stats.update(
            kiosks=len(kiosks),
            kills=killed,
            blackout=round(plan.blackout[1], 2) if plan.blackout else 0,
            server=plan.server_restart[1] if plan.server_restart else "",
            fault_phase_s=round(time.monotonic() - t0, 2),
        )

    def _device(self, plan: ScenarioPlan, kiosk: int) -> str:
        # Fresh terminals for every run: the same seed run twice on one server must not see the first run's.
        return f"fault-{plan.seed}-r{self.runs}-k{kiosk}"

    def _restart_server(self, mode: str, down_s: float, errors: list[BaseException]) -> None:
        try:
            port = self.server.port
            process = self.server.process
            if mode == "crash" and process is not None:
                os.killpg(process.pid, signal.SIGKILL)  # no graceful shutdown: requests die mid-way
                process.wait()
                self.server.process = None
            else:
                self.server.stop()
            time.sleep(down_s)
            self.server.start(port=port)
        except BaseException as exc:
            errors.append(exc)

    def _max_change_seq(self) -> int:
        with _ro(self.db_path) as conn:
            return int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM change_log").fetchone()[0])

    def _drain(self, dirs: list[Path], healed: float, result: ScenarioResult) -> float:
        """Poll the kiosks' outboxes until nothing waits. A kiosk whose operations still wait is stuck once it has
        sat 2 × cap outside a sync cycle since healing (its backoff is capped at cap, so after healing it must
        try within that), or at FINAL_TIMEOUT_S after healing whatever it does. A cycle it is in counts as
        trying: on a busy machine one request may take longer than the slack (seed 0 under the suite's parallel
        workers: a cycle begun 0.85 s before healing took 1.9 s), and that is the machine's time, not the kiosk's
        schedule. A request that hangs is still stuck at FINAL_TIMEOUT_S."""
        limit = healed + FINAL_TIMEOUT_S
        while True:
            waiting = [_pending(kiosk_proc.store_path(d)) for d in dirs]
            now = time.monotonic()
            if not any(waiting):
                return round(now - healed, 3)
            idle = [
                n > 0 and now - self._idle_since(d, healed) > 2 * self.backoff_cap_s
                for d, n in zip(dirs, waiting, strict=True)
            ]
            if any(idle) or now > limit:
                for i, n in enumerate(waiting):
                    if n and (idle[i] or now > limit):
                        result.counts["stuck"] += n
                        why = "2 × cap out of a sync cycle" if idle[i] else f"{FINAL_TIMEOUT_S:g} s"
                        result.problems.append(f"stuck: kiosk {i} still has {n} operation(s) waiting after {why}")
                return round(now - healed, 3)
            time.sleep(0.02)

    @staticmethod
    def _idle_since(kdir: Path, healed: float) -> float:
        """Since when the kiosk has been out of a sync cycle, counted from healing at the earliest; +inf while it
        is in one."""
        last = kiosk_proc.last_cycle(kdir)
        if last is None:
            return healed
        kind, at = last
        if kind == "start":
            return float("inf")
        return max(healed, at)

    def _final(self, kiosks: list[KioskProcess], dirs: list[Path], result: ScenarioResult) -> list[str | None]:
        """One more sync cycle on every kiosk (faults off), then it writes who is logged in and exits."""
        for kiosk in kiosks:
            kiosk.signal(signal.SIGUSR1)
        users: list[str | None] = []
        for i, (kiosk, kdir) in enumerate(zip(kiosks, dirs, strict=True)):
            code = kiosk.wait(FINAL_TIMEOUT_S)
            final = kiosk_proc.final_path(kdir)
            if code != 0 or not final.exists():
                result.flag("stuck", f"kiosk {i}: no successful final sync (exit code {code})")
                users.append(None)
                continue
            users.append(json.loads(final.read_text())["user"])
        return users

    # -- the checks -------------------------------------------------------------------------------------------
    def _check(
        self, plan: ScenarioPlan, dirs: list[Path], finals: list[str | None], start_seq: int, result: ScenarioResult
    ) -> None:
        devices = [self._device(plan, i) for i in range(len(dirs))]
        acked: dict[str, dict[str, Any]] = {}
        unacked: list[dict[str, Any]] = []  # intents whose enqueue may or may not have committed
        for i, kdir in enumerate(dirs):
            entries = kiosk_proc.read_journal(kiosk_proc.journal_path(kdir))
            acks = {(e["k"], e["i"]): e for e in entries if e["e"] == "ack"}
            for e in entries:
                if e["e"] == "intent" and (e["k"], e["i"]) not in acks:
                    digest = payload_hash("favorite.set", e["payload"])
                    unacked.append({"device": devices[i], "user": e["user"], "hash": digest})
            for ack in acks.values():
                acked[ack["id"]] = {"device": devices[i], "user": ack["user"], "seq": ack["seq"], "k": ack["k"]}
            self._check_outbox_order(i, list(acks.values()), result)
        with _ro(self.db_path) as conn:
            marks = ",".join("?" * len(devices))
            applied = {
                row[0]: {"user": row[1], "device": row[2], "seq": row[3], "status": row[4], "hash": row[5]}
                for row in conn.execute(
                    "SELECT op_id, user_id, device_id, seq, status, payload_hash FROM applied_ops "
                    f"WHERE device_id IN ({marks})",
                    devices,
                )
            }
            effects: dict[str | None, list[int]] = defaultdict(list)
            for seq, op_id in conn.execute(
                "SELECT seq, op_id FROM change_log WHERE seq > ? AND scope LIKE 'user:%' ORDER BY seq", (start_seq,)
            ):
                effects[op_id].append(seq)
            # Effects of these operations before the scenario began would be a bug of a kind of its own.
            for op_id in list(acked) + list(applied):
                earlier = conn.execute("SELECT seq FROM change_log WHERE op_id = ? AND seq <= ?", (op_id, start_seq))
                effects[op_id] += [seq for (seq,) in earlier]
            favorites: dict[str, list[str]] = {}
            for user in {u for u in finals if u}:
                favorites[user] = [
                    r[0]
                    for r in conn.execute(
                        "SELECT process_code FROM favorites WHERE user_id = ? ORDER BY process_code", (user,)
                    )
                ]
        # lost: every acknowledged operation applied, for its person, from its kiosk, with one effect.
        for op_id, ack in acked.items():
            row = applied.get(op_id)
            mine = row is not None and (row["user"], row["device"]) == (ack["user"], ack["device"])
            if row is None or row["status"] != "applied" or not mine:
                result.flag("lost", f"acknowledged op {op_id} ({ack}) has applied record {row}")
            elif not effects.get(op_id):
                result.flag("lost", f"acknowledged op {op_id} ({ack}) applied without an effect in the change log")
            elif row["seq"] != ack["seq"]:
                result.flag("reordered", f"op {op_id}: the server recorded seq {row['seq']}, the kiosk {ack['seq']}")
        # duplicated: no operation's effect twice.
        for op_id in set(acked) | set(applied):
            if len(effects.get(op_id, [])) > 1:
                result.flag("duplicated", f"op {op_id} has {len(effects[op_id])} effects: seqs {effects[op_id]}")
        # phantom: nothing applied that was not enqueued by that person on that kiosk.
        for op_id, row in applied.items():
            if op_id in acked:
                continue
            key = (row["device"], row["user"], row["hash"])
            match = next((u for u in unacked if (u["device"], u["user"], u["hash"]) == key), None)
            if match is None:
                result.flag("phantom", f"op {op_id} applied ({row}) but never enqueued there")
            else:
                unacked.remove(match)  # one intent explains one operation at most
        for op_id, seqs in effects.items():
            if op_id not in applied and op_id not in acked and any(s > start_seq for s in seqs):
                result.flag("phantom", f"change log seqs {seqs} tagged {op_id!r}: no operation of this scenario")
        # reordered: per (device, user), effects in the order of the kiosk's outbox sequence.
        streams: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
        for op_id, row in applied.items():
            if effects.get(op_id):
                seq = acked[op_id]["seq"] if op_id in acked else row["seq"]
                streams[(row["device"], row["user"])].append((min(effects[op_id]), seq, op_id))
        for stream, ops in streams.items():
            highest = -1
            for _, seq, op_id in sorted(ops):
                if seq < highest:
                    result.flag("reordered", f"{stream}: op {op_id} (outbox seq {seq}) took effect after seq {highest}")
                highest = max(highest, seq)
        # diverged: the logged-in person's ★ as the server has them; nobody else's ★ left on the kiosk.
        for i, (kdir, user) in enumerate(zip(dirs, finals, strict=True)):
            local = _local_favorites(kiosk_proc.store_path(kdir))
            if user is not None and local.get(user, []) != favorites.get(user, []):
                result.flag(
                    "diverged", f"kiosk {i} ({user}): local {local.get(user, [])} != server {favorites.get(user)}"
                )
            residue = {u: codes for u, codes in local.items() if u != user}
            if residue:
                result.flag("diverged", f"kiosk {i}: holds ★ of people not logged in: {residue}")
        result.stats.update(
            acknowledged=len(acked),
            applied=sum(1 for r in applied.values() if r["status"] == "applied"),
            unacknowledged_applied=sum(1 for op_id in applied if op_id not in acked),
            # Kiosk runs that got as far as their plan again after a SIGKILL (a kill during start-up does not).
            resumed=sum(_starts(d) for d in dirs) - len(dirs),
        )

    @staticmethod
    def _check_outbox_order(kiosk: int, acks: list[dict[str, Any]], result: ScenarioResult) -> None:
        """The terminal's outbox order is the order of its writes: one sequence number per operation, and a
        write made after another finished (a later plan step) has a higher one. Overlapping taps may go in
        either order, but never share a number (the server could then apply them either way)."""
        seqs = Counter(a["seq"] for a in acks)
        for seq, n in seqs.items():
            if n > 1:
                result.flag("reordered", f"kiosk {kiosk}: {n} operations share outbox seq {seq}")
        by_step: dict[int, list[int]] = defaultdict(list)
        for a in acks:
            by_step[a["k"]].append(a["seq"])
        steps = sorted(by_step)
        for before, after in itertools.pairwise(steps):
            if max(by_step[before]) >= min(by_step[after]):
                result.flag(
                    "reordered",
                    f"kiosk {kiosk}: step {after} got seq {min(by_step[after])}, not above step {before}'s "
                    f"{max(by_step[before])}",
                )


def _starts(kdir: Path) -> int:
    return sum(1 for e in kiosk_proc.read_journal(kiosk_proc.journal_path(kdir)) if e["e"] == "start")


def _plan_done(kdir: Path) -> bool:
    return any(e["e"] == "done" for e in kiosk_proc.read_journal(kiosk_proc.journal_path(kdir)))


def _at_barrier(kdir: Path, pid: int) -> bool:
    """Past the barrier, or waiting at it now: the last word of the process running now (`pid`; a kiosk just
    restarted has not spoken yet, and its predecessor's "at_barrier" does not count)."""
    entries = kiosk_proc.read_journal(kiosk_proc.journal_path(kdir))
    if any(e["e"] in ("barrier", "done") for e in entries):
        return True
    starts = [e for e in entries if e["e"] == "start"]
    return bool(starts) and starts[-1]["pid"] == pid and entries[-1]["e"] == "at_barrier"


class _ro:
    """A short-lived read connection to a SQLite file another process writes (WAL)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, timeout=10)

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *_exc: object) -> None:
        self.conn.close()


def _pending(store: Path) -> int:
    if not store.exists():
        return 0
    with _ro(store) as conn:
        try:
            return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()[0])
        except sqlite3.OperationalError:
            return 0  # not migrated yet: nothing enqueued


def _local_favorites(store: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    with _ro(store) as conn:
        for user, code in conn.execute("SELECT user_id, process_code FROM favorites ORDER BY process_code"):
            out[user].append(code)
    return dict(out)


# -- many scenarios ---------------------------------------------------------------------------------------------
def run_seeds(
    lane: Lane, seeds: Iterable[int], on_result: Callable[[ScenarioResult], None] | None = None
) -> list[ScenarioResult]:
    results = []
    for seed in seeds:
        result = lane.run(seed)
        results.append(result)
        if on_result is not None:
            on_result(result)
    return results


def totals(results: list[ScenarioResult]) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    for r in results:
        counts.update(r.counts)
    proxy: Counter[str] = Counter()
    for r in results:
        proxy.update(r.stats.get("proxy", {}))
    drains = [r.stats["drain_s"] for r in results if "drain_s" in r.stats]
    return {
        "scenarios": len(results),
        **{k: counts.get(k, 0) for k in COUNTS},
        "acknowledged": sum(r.stats.get("acknowledged", 0) for r in results),
        "unacknowledged_applied": sum(r.stats.get("unacknowledged_applied", 0) for r in results),
        "kiosks": sum(r.stats.get("kiosks", 0) for r in results),
        "kills": sum(r.stats.get("kills", 0) for r in results),
        "server_restarts": Counter(r.stats.get("server") for r in results if r.stats.get("server")),
        "proxy": dict(proxy),
        "max_drain_s": max(drains, default=0.0),
        "failing_seeds": [r.seed for r in results if not r.ok],
    }


def result_to_json(result: ScenarioResult) -> str:
    return json.dumps(asdict(result), ensure_ascii=False)


def result_from_json(line: str) -> ScenarioResult:
    return ScenarioResult(**json.loads(line))
