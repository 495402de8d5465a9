"""`campus-kiosk --demo`: the bundled sync server as a child process with a fresh demo database."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)


class DemoServerError(RuntimeError):
    pass


class DemoServer:
    """Seeds a temporary SQLite database, serves it on a free loopback port, and cleans up on stop()."""

    def __init__(self, workdir: Path | None = None) -> None:
        self._own_dir = workdir is None
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="campus-demo-"))
        self.db_url = f"sqlite:///{self.workdir / 'demo.db'}"
        self.process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None
        self.enrollment_code = ""  # the demo kiosk's one-time code (seed_and_start makes it)

    @property
    def url(self) -> str:
        if self.port is None:
            raise DemoServerError("the demo server is not running")
        return f"http://127.0.0.1:{self.port}"

    def _cmd(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "sync_server", *args, "--db", self.db_url]

    def seed(self) -> None:
        result = subprocess.run(self._cmd("seed-demo"), capture_output=True, timeout=120)
        if result.returncode != 0:
            raise DemoServerError("seed-demo failed: " + result.stderr.decode(errors="replace")[-2000:])

    def enroll(self, name: str = "演示自助机") -> str:
        """Enroll the demo's kiosk (the demo server requires enrolled kiosks, as a campus server does): the
        one-time code the kiosk exchanges once the server answers, so the demo needs no manual step."""
        result = subprocess.run(
            self._cmd("devices", "enroll", "--name", name, "--location", "演示", "--json"),
            capture_output=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise DemoServerError("devices enroll failed: " + result.stderr.decode(errors="replace")[-2000:])
        self.enrollment_code = str(json.loads(result.stdout)["code"])
        return self.enrollment_code

    def seed_and_start(self) -> str:
        self.seed()
        self.enroll()
        return self.start()

    def start(self, timeout: float = 30.0) -> str:
        """Start serving; returns once the port is known (the kiosk polls /healthz itself)."""
        port_file = self.workdir / "port"
        log_file = (self.workdir / "server.log").open("ab")
        self.process = subprocess.Popen(
            [*self._cmd("serve", "--port", "0", "--port-file", str(port_file))],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            # The 首页 counters come from the seeded figures, marked 演示数据 (docs/portal.md).
            env={
                **os.environ,
                "CAMPUS_SYNC_LOG_JSON": "1",
                "CAMPUS_SYNC_COUNTERS": "demo",
                "CAMPUS_SYNC_REQUIRE_ENROLLED_KIOSKS": "1",  # as on a campus: the demo kiosk enrolls itself
            },
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if port_file.exists():
                self.port = int(port_file.read_text())
                self._wait_healthy(deadline)
                return self.url
            if self.process.poll() is not None:
                raise DemoServerError(f"the demo server exited with {self.process.returncode}; see {log_file.name}")
            time.sleep(0.02)
        self.stop()
        raise DemoServerError("the demo server did not start in time")

    def _wait_healthy(self, deadline: float) -> None:
        import requests

        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            if self.process is not None and self.process.poll() is not None:
                raise DemoServerError(f"the demo server exited with {self.process.returncode}")
            time.sleep(0.05)
        raise DemoServerError("the demo server did not become healthy in time")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None
        if self._own_dir:
            shutil.rmtree(self.workdir, ignore_errors=True)
