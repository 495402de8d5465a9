"""One kiosk terminal of the fault harness, as its own process: a real LocalStore file, a real AuthService and
SyncEngine pointed at the fault proxy.

Two threads, as in the app, where writes and sync run on different workers:

- the *user* thread follows the scenario's plan: log in, ★/☆ processes (each a `favorite.set` operation made
  with `LocalStore.enqueue`, signed with the session's operation key), log out (tokens forgotten, personal rows
  wiped; what is still queued must then travel by `deliver_departed`);
- the *sync* loop (main thread): push, deliver_departed, pull; after a failure it waits `backoff_delay(attempt)`
  of the app, scaled (see `Config.backoff_cap_s`); a write, a login or a logout wakes it, as `Sync.syncNow` does.
  Between cycles, most kiosks (a seeded 70 %) wait on the live channel, as the app does: a waiting pull through
  the proxy that ends the wait when the server reports a change (`Kiosk.wait_live`).

A cycle and a login or logout never overlap (one lock): the operations of user A are only ever sent with A's
token or A's signatures, as the app intends.

The journal (JSON lines, each fsync'd) is the harness's view of what the person at the screen was told:
``intent`` before `enqueue`, ``ack`` only after it returned (the UI would now say 已保存，待同步). After a
SIGKILL the harness starts the process again on the same files: it wipes personal rows as the app does after a
crash, has no token or operation key any more, resumes the plan after the last journalled step and, by a seeded
coin, logs the same person in again or leaves their queue to `deliver_departed`.

SIGUSR1 asks for a final cycle: once one succeeds, the process writes ``final.json`` (who is logged in) and exits.

Run alone: ``.venv/bin/python -m tests.faults.kiosk_proc CONFIG.json`` (the harness usually forks it from a
preloaded forkserver instead, to save the ~0.4 s of imports per start).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sys
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kiosk.models.store import LocalStore
from kiosk.models.tables import LocalFavorite
from kiosk.services.api_client import ApiClient
from kiosk.services.auth import AuthError, AuthService, UserSession
from kiosk.services.live_pull import LiveSchedule, LiveWait, wait_for_changes
from kiosk.services.sync import BACKOFF_CAP_S, SyncEngine, backoff_delay, op_signer

LIVE_WAIT_S = 25.0  # what the server offers (GET /healthz live_wait), scaled like the backoff
PERIODIC_S = 60.0  # the app's periodic sync (kiosk/views/sync_status.py PERIODIC_MS), scaled like the backoff
SIGNED_OUT_S = 1.0  # the app syncs 1 s after a logout, so the next person does not inherit a backlog
FATAL_LOGIN = frozenset({"invalid_credentials", "account_locked", "validation_error", "empty"})


@dataclass
class Config:
    name: str
    device_id: str
    server_url: str
    workdir: str
    seed: str
    steps: list[dict[str, Any]]
    password: str
    # The real schedule is 1 s doubling to 60 s; the harness compresses time: every delay is multiplied by
    # backoff_cap_s / 60, so the shape of the schedule is the app's and the cap is backoff_cap_s.
    backoff_cap_s: float = BACKOFF_CAP_S
    relogin_p: float = 0.5
    # False models the app's views as they are (kiosk/views/sync_status.py runs a sync on the task pool while
    # logout wipes on another thread): `python -m tests.faults.run --no-session-lock` shows what that costs.
    session_lock: bool = True
    # Deliberate bugs, only for the harness's own tests (tests/faults/mutants.py): proof each check can fail.
    mutant: str = ""
    timeout_s: float = 5.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def scale(self) -> float:
        return self.backoff_cap_s / BACKOFF_CAP_S

    @property
    def dir(self) -> Path:
        return Path(self.workdir)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Config:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def store_path(workdir: Path) -> Path:
    return workdir / "kiosk.db"


def journal_path(workdir: Path) -> Path:
    return workdir / "journal.jsonl"


def cycles_path(workdir: Path) -> Path:
    """`start T` and `end T` lines (T: time.monotonic(), one clock for every process): when the sync loop was in
    a cycle. The harness's drain tells a kiosk that is slow (a busy machine) from one that stopped trying."""
    return workdir / "cycles"


def last_cycle(workdir: Path) -> tuple[str, float] | None:
    """The last `start`/`end` line of the kiosk's sync loop, or None before its first cycle."""
    try:
        lines = cycles_path(workdir).read_text().split("\n")
    except FileNotFoundError:
        return None
    for line in reversed(lines):
        kind, _, at = line.partition(" ")
        if kind in ("start", "end") and at:
            return kind, float(at)
    return None


def final_path(workdir: Path) -> Path:
    return workdir / "final.json"


def go_path(workdir: Path) -> Path:
    return workdir / "go"


def read_journal(path: Path) -> list[dict[str, Any]]:
    entries = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                entries.append(json.loads(line))
            except ValueError:
                continue  # a line torn by SIGKILL in mid-write was never acknowledged
    return entries


class Journal:
    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def write(self, **entry: Any) -> None:
        # One write of a whole line, then fsync: what the journal says survives the process (and the machine).
        entry["t"] = round(time.time(), 4)  # for reading a failing seed's timeline
        os.write(self.fd, (json.dumps(entry, ensure_ascii=False) + "\n").encode())
        os.fsync(self.fd)


class Kiosk:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.client = ApiClient(config.server_url, timeout=config.timeout_s)
        self.auth = AuthService(self.client, mode="kiosk", device_id=config.device_id, device_name=config.name)
        self.store = LocalStore(store_path(config.dir))
        self.engine = SyncEngine(self.client, self.store, config.device_id)
        # A sync cycle, a login and a logout never overlap: the operations of one person are only ever sent
        # with that person's token, and no pull writes a person's ★ after their logout wiped them.
        self.lock: Any = threading.Lock() if config.session_lock else contextlib.nullcontext()
        self.wake = threading.Event()
        self.final = threading.Event()
        self.journal_entries = read_journal(journal_path(config.dir))
        self.journal = Journal(journal_path(config.dir))
        starts = sum(1 for e in self.journal_entries if e["e"] == "start")
        self.rng = random.Random(f"{config.seed}/{config.name}/start{starts}")
        # Most kiosks wait on the live channel between cycles, as the app does against a server that offers it;
        # the others poll. Drawn apart from `rng`, so that the seeds' other draws are what they were.
        self.live = bool(config.extra.get("live", random.Random(f"{config.seed}/{config.name}/live").random() < 0.7))
        self.live_schedule = LiveSchedule()
        _apply_mutant(self, config.mutant)

    # -- the person at the screen -----------------------------------------------------------------------------
    def user_thread(self) -> None:
        try:
            self._follow_plan()
        except BaseException:
            traceback.print_exc()
            os._exit(3)  # a broken kiosk must show, not hang the scenario

    def _follow_plan(self) -> None:
        # Where the last run stopped, and who was logged in when it was killed.
        logged_in, last_step = None, -1
        for entry in self.journal_entries:
            if entry["e"] == "start":
                logged_in = None
            elif entry["e"] in ("login", "relogin"):
                logged_in = entry["user"]
            elif entry["e"] == "logout":
                logged_in = None
            if "k" in entry:
                last_step = max(last_step, entry["k"])
        done = any(e["e"] == "done" for e in self.journal_entries)
        self.journal.write(e="start", pid=os.getpid())
        if done:
            return
        if logged_in is not None and self.rng.random() < self.config.relogin_p:
            self._login(logged_in, relogin=True)
        for k in range(last_step + 1, len(self.config.steps)):
            step = self.config.steps[k]
            current = self.auth.current
            uid = current.user["user_id"] if current else None
            if step["do"] == "login":
                if uid is not None:
                    self._logout(k=None)  # the plan moves to the next person; the previous one leaves first
                self._login(step["user"], k=k)
            elif step["do"] in ("fav", "taps"):
                if uid != step["user"]:
                    self.journal.write(e="skip", k=k)  # that person left (a kill logged them out)
                elif step["do"] == "fav":
                    assert current is not None
                    self._favorite(current, k, 0, step["code"], step["on"])
                else:
                    # Quick taps: the app saves each on its task pool (2 threads), so writes can overlap.
                    assert current is not None
                    taps = [
                        threading.Thread(target=self._tap, args=(current, k, i, tap["code"], tap["on"]))
                        for i, tap in enumerate(step["taps"])
                    ]
                    for tap in taps:
                        tap.start()
                    for tap in taps:
                        tap.join()
            elif step["do"] == "barrier":
                # The harness's cue: the steps after this one are made while every request fails (a blackout).
                self.journal.write(e="at_barrier")
                while not go_path(self.config.dir).exists():
                    self.final.wait(0.01)
                self.journal.write(e="barrier", k=k)
            elif step["do"] == "logout":
                if uid is None:
                    self.journal.write(e="skip", k=k)
                else:
                    self._logout(k=k)
            self.final.wait(step.get("gap", 0.0))
        self.journal.write(e="done")

    def _login(self, user_id: str, *, k: int | None = None, relogin: bool = False) -> None:
        attempt = 0
        while True:
            with self.lock:
                try:
                    session = self.auth.login(user_id, self.config.password)
                    break
                except AuthError as exc:
                    print(f"login failed: {exc.code}: {exc.message}", flush=True)
                    if exc.code in FATAL_LOGIN:
                        raise
            self.final.wait(backoff_delay(attempt, self.rng) * self.config.scale)
            attempt += 1
        entry: dict[str, Any] = {"user": user_id, "session": session.session_id}
        if k is not None:
            entry["k"] = k
        self.journal.write(e="relogin" if relogin else "login", **entry)
        self.wake.set()  # the app syncs at login

    def _logout(self, *, k: int | None) -> None:
        with self.lock:
            current = self.auth.current
            assert current is not None
            token = current.access_token
            self.auth.forget_locally()
            self.store.wipe_personal()
        entry: dict[str, Any] = {"user": current.user["user_id"]}
        if k is not None:
            entry["k"] = k
        self.journal.write(e="logout", **entry)
        threading.Timer(SIGNED_OUT_S * self.config.scale, self.wake.set).start()
        self.auth.revoke_on_server(token)  # best effort, as in the app; a fault just leaves it to expire

    def _tap(self, session: UserSession, k: int, i: int, code: str, on: bool) -> None:
        try:
            self._favorite(session, k, i, code, on)
        except BaseException:
            traceback.print_exc()
            os._exit(3)  # as in user_thread: a save that fails is a finding, not something to wait out

    def _favorite(self, session: UserSession, k: int, i: int, code: str, on: bool) -> None:
        uid = session.user["user_id"]
        assert session.op_key
        payload = {"process_code": code, "on": on}

        def local(db: Any) -> None:
            if on:
                db.merge(LocalFavorite(user_id=uid, process_code=code))
            else:
                db.query(LocalFavorite).filter_by(user_id=uid, process_code=code).delete()

        self.journal.write(e="intent", k=k, i=i, user=uid, payload=payload)
        op = self.store.enqueue(
            uid,
            "favorite.set",
            payload,
            local,
            entity=f"favorite:{code}",
            session_id=session.session_id,
            signer=op_signer(session.op_key, session.session_id, self.config.device_id),
        )
        # Only now would the UI say 已保存，待同步: the op is durably in the outbox.
        self.journal.write(e="ack", k=k, i=i, user=uid, id=op["id"], seq=op["seq"], session=session.session_id)
        self.wake.set()

    # -- the sync loop (main thread) ----------------------------------------------------------------------------
    def cycle(self) -> tuple[bool, str | None]:
        cycles = os.open(cycles_path(self.config.dir), os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(cycles, f"start {time.monotonic()}\n".encode())
            return self._cycle()
        finally:
            os.write(cycles, f"end {time.monotonic()}\n".encode())
            os.close(cycles)

    def _cycle(self) -> tuple[bool, str | None]:
        with self.lock:
            current = self.auth.current
            user = current.user["user_id"] if current and not current.must_change_password else None
            try:
                if user is not None:
                    self.engine.push(user)
                self.engine.deliver_departed(user)
                if user is not None:
                    self.engine.pull(user)
            except Exception as exc:  # as Sync._failed: any failure waits for the backoff and tries again
                print(f"sync failed: {type(exc).__name__}: {exc}", flush=True)
                return False, user
        return True, user

    def failure_delay(self, attempt: int) -> float:
        """The app's retry schedule (Sync._failed), in the harness's compressed time."""
        return backoff_delay(attempt, self.rng) * self.config.scale

    def sync_loop(self) -> None:
        attempt = 0
        while True:
            final = self.final.is_set()
            ok, user = self.cycle()
            if final and ok:
                tmp = final_path(self.config.dir).with_suffix(".tmp")
                tmp.write_text(json.dumps({"user": user}), encoding="utf-8")
                os.replace(tmp, final_path(self.config.dir))
                return
            if ok:
                attempt, delay = 0, PERIODIC_S * self.config.scale
            else:
                delay = self.failure_delay(attempt)
                attempt += 1
            if ok and user is not None and self.live and not final:
                self.wait_live(user, delay)
            else:
                self.wake.wait(delay)
            self.wake.clear()

    def wait_live(self, user: str, delay: float) -> None:
        """The app's live channel (kiosk/views/live_channel.py) in the harness's time: a waiting pull through the
        proxy (cut, dropped, delayed like any request) until the server reports a change or the wait ends; a
        write, a login, a logout or the end wakes the loop, which cancels it (its socket shut down). A failed
        wait is followed by a cycle after the channel's backoff; after three in a row the kiosk only polls for
        a while (LiveSchedule)."""
        current = self.auth.current
        if current is None or not self.live_schedule.enabled(time.monotonic()):
            self.wake.wait(delay)
            return
        waiter = LiveWait(self.client.with_token(current.access_token), max(0.5, LIVE_WAIT_S * self.config.scale))
        ended = threading.Event()
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["found"] = wait_for_changes(waiter, self.store, user)
            except Exception as exc:  # as LiveChannel: a failed wait is followed by a cycle after a backoff
                outcome["error"] = exc
            finally:
                ended.set()
                self.wake.set()

        threading.Thread(target=run, name="live", daemon=True).start()
        self.wake.wait(delay)
        waiter.cancel()
        ended.wait()  # at once: the cancel shut its socket down
        if "error" in outcome and not waiter.cancelled:
            print(f"live wait failed: {outcome['error']}", flush=True)
            self.wake.clear()
            self.wake.wait(self.live_schedule.failed(time.monotonic()) * self.config.scale)
        elif "found" in outcome:
            self.live_schedule.succeeded()


def _apply_mutant(kiosk: Kiosk, mutant: str) -> None:
    if mutant:
        from tests.faults import mutants

        mutants.apply_to_kiosk(kiosk, mutant)


def main(config_path: str) -> None:
    config = Config.load(Path(config_path))
    # Forked from the harness's forkserver, stdout/stderr are the harness's: keep each kiosk's own log.
    log = os.open(config.dir / "kiosk.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    sys.stdout = os.fdopen(1, "w", buffering=1, closefd=False)
    sys.stderr = os.fdopen(2, "w", buffering=1, closefd=False)
    kiosk = Kiosk(config)

    def ask_final() -> None:
        kiosk.final.set()
        kiosk.wake.set()

    def final(_signum: int, _frame: Any) -> None:
        # Not Event.set() here: the handler runs on the main thread, which may hold that event's lock.
        threading.Thread(target=ask_final, daemon=True).start()

    signal.signal(signal.SIGUSR1, final)
    # The app wipes at start what a crash (or a kill) left of the person who was logged in.
    kiosk.store.wipe_personal()
    threading.Thread(target=kiosk.user_thread, name="user", daemon=True).start()
    kiosk.sync_loop()
    sys.stdout.flush()
    os._exit(0)  # daemon timers and the user thread need no orderly shutdown


if __name__ == "__main__":
    main(sys.argv[1])
