"""Test helpers: a real sync server on a free loopback port, and PostgreSQL databases for it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SCREENS = ARTIFACTS / "screens"
PG_URL = os.environ.get("CAMPUS_TEST_PG_URL", "")


def server_cmd(*args: str, db_url: str) -> list[str]:
    return [sys.executable, "-m", "sync_server", *args, "--db", db_url]


def run_server_cli(
    *args: str, db_url: str, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`campus-sync-server ARGS --db URL` to its end, like subprocess.run(..., capture_output=True, text=True), but
    forked from the pre-imported fork server (tests/server_fork.py): the same entry point without 2–3 s of imports.
    (test_seed runs the real `python -m sync_server` once.)"""
    argv = [*args, "--db", db_url]
    with tempfile.TemporaryDirectory(prefix="campus-cli-") as tmp:
        out, err, code = Path(tmp, "out"), Path(tmp, "err"), Path(tmp, "code")
        if not _forkable(env or {}):
            return subprocess.run(
                server_cmd(*args, db_url=db_url),
                capture_output=True,
                text=True,
                timeout=timeout,
                env={**os.environ, **(env or {})},
            )
        process = _fork_server().start(argv, {**os.environ, **(env or {})}, out, err, code)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        returncode = int(code.read_text()) if code.exists() else -1
        stdout = out.read_text(encoding="utf-8") if out.exists() else ""
        stderr = err.read_text(encoding="utf-8") if err.exists() else ""
    return subprocess.CompletedProcess([*server_cmd(*args, db_url=db_url)], returncode, stdout, stderr)


def seed_database(db_url: str) -> None:
    result = run_server_cli("seed-demo", db_url=db_url, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]


class ForkedProcess:
    """A server forked by tests/server_fork.py: not our child, so watched through /proc, with Popen's few methods
    the tests use (pid, poll, wait)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (FileNotFoundError, ProcessLookupError, IndexError):
                state = "gone"
            if state in ("gone", "Z", "X"):
                self.returncode = -1  # its code went to the fork server, which let the kernel reap it
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"server {self.pid}", timeout or 0)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]


class _ForkServer:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process: subprocess.Popen[str] | None = None

    def start(
        self, argv: list[str], env: dict[str, str], stdout: Path, stderr: Path | None = None, result: Path | None = None
    ) -> ForkedProcess:
        fields = {"stdout": str(stdout), "stderr": str(stderr or stdout), "result": str(result) if result else None}
        request = json.dumps({"argv": argv, "env": env, "cwd": str(ROOT), **fields}) + "\n"
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "tests.server_fork"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    cwd=ROOT,
                    text=True,
                )
            assert self.process.stdin is not None and self.process.stdout is not None
            self.process.stdin.write(request)
            self.process.stdin.flush()
            answer = self.process.stdout.readline()
        if not answer:
            raise RuntimeError("the fork server ended (see stderr)")
        return ForkedProcess(int(json.loads(answer)["pid"]))


_FORK_SERVER: _ForkServer | None = None
# What takes effect when the interpreter starts or a module is imported, not when the server starts: a fork of the
# pre-imported server would keep the fork server's values, so a test that sets one gets a fresh interpreter.
# (PYTHONPATH: the fault harness's server mutants are a sitecustomize.)
IMPORT_TIME_SETTINGS = frozenset({"CAMPUS_SYNC_CAMPUS_TZ", "CAMPUS_SYNC_ARGON2_PROFILE", "PYTHONPATH"})


def _forkable(extra_env: dict[str, str]) -> bool:
    return os.environ.get("CAMPUS_TEST_SERVER_FORK", "1") != "0" and not IMPORT_TIME_SETTINGS & extra_env.keys()


def _fork_server() -> _ForkServer:
    """One per test process, started at its first server (a fault lane's process gets its own)."""
    global _FORK_SERVER
    if _FORK_SERVER is None:
        _FORK_SERVER = _ForkServer()
    return _FORK_SERVER


@dataclass
class LiveServer:
    db_url: str
    workdir: Path
    workers: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | ForkedProcess | None = None
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "server.log"

    def start(self, port: int = 0, timeout: float = 30.0) -> LiveServer:
        port_file = self.workdir / f"port-{uuid.uuid4().hex}"
        cmd = server_cmd(
            "serve",
            "--port",
            str(port),
            "--port-file",
            str(port_file),
            "--workers",
            str(self.workers),
            db_url=self.db_url,
        )
        # Enrolled kiosks are not required unless a test asks (extra_env): the tests' kiosks are not enrolled.
        env = {**os.environ, "CAMPUS_SYNC_REQUIRE_ENROLLED_KIOSKS": "0", **self.extra_env}
        if self.workers == 1 and _forkable(self.extra_env):
            self.process = _fork_server().start(cmd[3:], env, self.log_path)
        else:  # uvicorn's own worker processes are spawned: nothing to gain from the fork server
            with self.log_path.open("ab") as log:
                self.process = subprocess.Popen(
                    cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=env
                )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            if port_file.exists():
                self.port = int(port_file.read_text())
                try:
                    if requests.get(self.url + "/healthz", timeout=2).ok:
                        return self
                except requests.RequestException:
                    pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("server did not become healthy")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        port = self.port
        self.stop()
        self.start(port=port)


def copy_sqlite(template: Path, target_dir: Path) -> str:
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / "server.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def create_pg_database(template: str | None = None) -> str:
    """A fresh database on the throwaway cluster (optionally a copy of `template`); returns its URL."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    base = PG_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(base, autocommit=True) as conn:
        clause = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{clause}')
    return PG_URL.rsplit("/", 1)[0] + "/" + name


def save_screenshot(window: object, name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    image = window.grabWindow()  # type: ignore[attr-defined]
    assert not image.isNull(), "grabWindow returned nothing"
    assert image.save(str(path)), f"could not save {path}"
    return path


class FailingProxy:
    """A loopback HTTP proxy in front of a real server that answers 500, as a server with a bug would, to every
    push carrying an operation of `fail_type`; everything else is relayed as it is."""

    def __init__(self, upstream: str, fail_type: str) -> None:
        import http.client
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import urlsplit

        target = urlsplit(upstream)
        proxy = self
        self.fail_type = fail_type
        self.failed = 0

        class Handler(BaseHTTPRequestHandler):
            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.startswith("/api/v1/sync/push") and proxy.fail_type:
                    ops = json.loads(body or b"{}").get("ops") or []
                    if any(op.get("type") == proxy.fail_type for op in ops):
                        proxy.failed += 1
                        answer = b'{"error": {"code": "internal_error", "message": "internal error"}}'
                        self.send_response(500)
                        self.send_header("Content-Type", "application/json")
                        self.send_header("Content-Length", str(len(answer)))
                        self.end_headers()
                        self.wfile.write(answer)
                        return
                conn = http.client.HTTPConnection(target.hostname or "127.0.0.1", target.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                response = conn.getresponse()
                data = response.read()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length", "date", "server"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = _relay

            def log_message(self, *_args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


# -- the demo users the tests sign in as, and signing in -------------------------------------------------------
STUDENT, STUDENT_PW = "2022010101", "150311"


LETTER_STUDENT, LETTER_PW = "Z2023030107", "09078X"


LIU, LIU_PW = "101203", "120239"


ADMIN, ADMIN_PW = "ADMIN", "150291"


NEW_PW = "Campus2026ok"


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def start_nginx(
    work: Path, port: int, upstream_ports: list[int], *, connections: int = 256, keepalive: int = 16
) -> subprocess.Popen[bytes]:
    """A private nginx (in `work`, as the current user) handing requests on `port` round-robin to the servers on
    `upstream_ports`, as a campus's in front of several hosts (docs/deploy.md, "Several hosts"). The caller waits
    for it to answer and stops it (SIGTERM to its process group)."""
    assert NGINX is not None, "nginx missing (./run test installs nginx-light)"
    temp = work / "temp"
    temp.mkdir(parents=True, exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""
    upstreams = "".join(f"        server 127.0.0.1:{upstream};\n" for upstream in upstream_ports)
    # Round-robin (nginx's default) over them, one nginx worker: consecutive requests alternate. A waiting pull
    # takes two connections (the client's, the upstream's); its 25 s stay under the read timeout.
    (work / "nginx.conf").write_text(
        f"""{user}worker_processes 1;
worker_rlimit_nofile {max(1024, 3 * connections)};
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections {connections}; }}
http {{
    access_log {work}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream campus_sync {{
{upstreams}        keepalive {keepalive};
    }}
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        proxy_read_timeout 60s;
        location / {{
            proxy_pass http://campus_sync;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""
    )
    command = [NGINX, "-p", str(work), "-c", str(work / "nginx.conf"), "-e", str(work / "error.log")]
    return subprocess.Popen([*command, "-g", "daemon off;"], start_new_session=True)


def login(server: LiveServer, user_id: str, password: str, **extra: Any) -> requests.Response:
    return requests.post(
        server.url + "/api/v1/auth/login", json={"user_id": user_id, "password": password, **extra}, timeout=10
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def activated(server: LiveServer, user_id: str, initial: str, new: str = NEW_PW, **extra: Any) -> dict[str, Any]:
    """Log in with the initial password, change it, log in again: the tokens of a normal session. `extra` goes
    into both logins (kind="desk" where the server requires enrolled kiosks)."""
    first = login(server, user_id, initial, **extra).json()
    changed = requests.post(
        server.url + "/api/v1/auth/password",
        json={"old_password": initial, "new_password": new},
        headers=bearer(first["access_token"]),
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    response = login(server, user_id, new, **extra)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["must_change_password"] is False
    return body


@contextmanager
def store_of_release(path: Path, version: int) -> Iterator[sqlite3.Connection]:
    """A kiosk store file as the release with schema `version` left it (its migrations and no later ones),
    open for the test to put rows in; committed and closed on exit."""
    from kiosk.models.migrations import MIGRATIONS

    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN")
        for number, migration in enumerate(MIGRATIONS[:version], start=1):
            migration(conn)
            conn.execute(f"PRAGMA user_version={number}")
        yield conn
        conn.execute("COMMIT")


def new_applications(changes: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    """The pulled applications of process `code` that are still open, oldest first: what a test submitted. The demo's
    own history (the seed's past 办结 applications, which reach their applicants too) is left out."""
    return [
        c["data"]
        for c in changes
        if c["entity"] == "application"
        and c["data"]["process_code"] == code
        and c["data"]["status"] not in ("completed", "rejected", "terminated")
    ]
