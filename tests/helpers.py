"""Test helpers: a real sync server on a free loopback port, and PostgreSQL databases for it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SCREENS = ARTIFACTS / "screens"
PG_URL = os.environ.get("CAMPUS_TEST_PG_URL", "")


def server_cmd(*args: str, db_url: str) -> list[str]:
    return [sys.executable, "-m", "sync_server", *args, "--db", db_url]


def seed_database(db_url: str) -> None:
    result = subprocess.run(server_cmd("seed-demo", db_url=db_url), capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]


@dataclass
class LiveServer:
    db_url: str
    workdir: Path
    workers: int = 1
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
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
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, **self.extra_env},
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
