"""An installed kiosk updating itself (kiosk/services/updates.py, kiosk/views/updates.py) against a real server
that requires enrolled kiosks and a loopback HTTP server serving real .tar.gz bundles: the kiosk learns its
group's rollout from the heartbeat, refuses an archive whose SHA-256 is wrong (reported in the next heartbeat's
last_error, the old version kept), downloads, verifies and stages a good one beside the current install, switches
`current` at an idle moment, waits while its outbox holds operations, and switches at the next start instead."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import tarfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from packaging.version import Version

from kiosk.build_info import build_info
from kiosk.services.config import KioskConfig
from kiosk.services.device import CODE_FILE, outbox_snapshot
from kiosk.services.updates import Offer, UpdateError, Updater
from tests.helpers import ADMIN, ADMIN_PW, LiveServer, activated, bearer, copy_sqlite, run_server_cli


class FileServer:
    """Serves `files` (path -> bytes) on loopback, with Range requests answered 206 like a CDN's."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.ranges: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = outer.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                wanted = self.headers.get("Range", "")
                start = int(wanted[len("bytes=") : -1]) if wanted.startswith("bytes=") else 0
                if wanted:
                    outer.ranges.append(wanted)
                self.send_response(206 if wanted else 200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                self.wfile.write(body[start:])

            def log_message(self, *_args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def put(self, name: str, body: bytes) -> str:
        self.files["/" + name] = body
        return f"{self.url}/{name}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def bundle_archive(version: str, *, executable: bool = True) -> bytes:
    """A real .tar.gz of a stand-in bundle folder: campus-kiosk/{campus-kiosk, _internal/kiosk/build.json}."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:

        def add(name: str, data: bytes, mode: int) -> None:
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), mode
            tar.addfile(info, io.BytesIO(data))

        if executable:
            add("campus-kiosk/campus-kiosk", f"#!/bin/sh\necho {version}\n".encode(), 0o755)
        build = json.dumps({"version": version, "build_id": f"test.{version}"}).encode()
        add("campus-kiosk/_internal/kiosk/build.json", build, 0o644)
    return out.getvalue()


def installed(root: Path, version: str = "0.1.0") -> Path:
    """What install.sh lays out: <root>/releases/<version>/campus-kiosk and <root>/current -> releases/<version>."""
    release = root / "releases" / version
    release.mkdir(parents=True)
    (release / "campus-kiosk").write_text(f"#!/bin/sh\necho {version}\n")
    (release / "campus-kiosk").chmod(0o755)
    (root / "current").symlink_to(Path("releases") / version)
    return root


def runs(root: Path) -> str:
    return subprocess.run([str(root / "current" / "campus-kiosk")], capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def files() -> Iterator[FileServer]:
    served = FileServer()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    workdir = tmp_path_factory.mktemp("update-server")
    live = LiveServer(
        db_url=copy_sqlite(seeded_sqlite, workdir),
        workdir=workdir,
        extra_env={"CAMPUS_SYNC_REQUIRE_ENROLLED_KIOSKS": "1"},
    ).start()
    yield live
    live.stop()


def cli(server: LiveServer, *args: str) -> str:
    done = run_server_cli(*args, db_url=server.db_url, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def release(
    server: LiveServer, admin: dict[str, str], files: FileServer, version: str, body: bytes, *, sha_of: bytes = b""
) -> None:
    """Register `body` as `version` (its SHA-256, or that of `sha_of`: a corrupted upload) and roll it out, as IT
    does with `releases add` and `releases rollout` (the admin API: no CLI start-up per step)."""
    url = files.put(f"campus-kiosk-{version}.tar.gz", body)
    sha = hashlib.sha256(sha_of or body).hexdigest()
    api = server.url + "/api/v1/admin/releases"
    made = requests.post(api, json={"version": version, "url": url, "sha256": sha}, headers=admin, timeout=10)
    assert made.status_code == 200, made.text
    rolled = requests.post(f"{api}/{version}/rollout", json={"group": "图书馆"}, headers=admin, timeout=10)
    assert rolled.status_code == 200, rolled.text


def test_the_kiosk_stages_a_rollout_and_switches_when_idle_or_at_the_next_start(
    server: LiveServer, files: FileServer, qtbot: Any, tmp_path: Path
) -> None:
    from kiosk.backend import Backend

    assert Version("0.2.0") > Version(build_info()[0])  # what the kiosk reports is older than what is rolled out
    admin = bearer(activated(server, ADMIN, ADMIN_PW, kind="desk")["access_token"])
    made = json.loads(cli(server, "devices", "enroll", "--name", "图书馆一楼自助机", "--group", "图书馆", "--json"))
    data, root = tmp_path / "data", installed(tmp_path / "opt")
    data.mkdir()
    (data / CODE_FILE).write_text(made["code"])
    config = KioskConfig(server_url=server.url, data_dir=str(data), install_dir=str(root), device_name="t")

    def last_error() -> str:
        fleet = requests.get(server.url + "/api/v1/admin/devices", headers=admin, timeout=10).json()
        return str(next(d for d in fleet if d["id"] == made["id"])["last_error"] or "")

    def beat_until(done: Any) -> None:
        def check() -> bool:
            backend.enrollment.beat()
            qtbot.wait(100)
            return bool(done())

        qtbot.waitUntil(check, timeout=20_000)

    # A corrupted upload: the archive on the download server is not the one IT registered.
    good = bundle_archive("0.2.0")
    release(server, admin, files, "0.2.0", good[:-100] + b"x" * 100, sha_of=good)
    backend = Backend(config)
    updates = backend.updates
    assert updates is not None
    try:
        backend.start()
        qtbot.waitUntil(lambda: backend.enrollment.property("enrolled"), timeout=20_000)
        beat_until(lambda: "校验失败" in last_error())  # refused, and said so in the next heartbeat
        assert runs(root) == "0.1.0" and not (root / "releases" / "0.2.0").exists()

        # A good release: downloaded, verified, unpacked beside the current one, switched at once (nobody is
        # signed in and the outbox is empty); the app then quits for the unit to start it through `current`.
        release(server, admin, files, "0.2.1", bundle_archive("0.2.1"))
        beat_until(lambda: updates.switched_to == "0.2.1")
        assert runs(root) == "0.2.1" and (root / "releases" / "0.1.0").is_dir()  # the old one kept for a rollback
        beat_until(lambda: last_error() == "")  # solved: the heartbeat reports no problem any more

        # With operations queued it stages but waits: they are not to be cut off mid-way.
        qtbot.waitUntil(lambda: backend.state.store is not None, timeout=10_000)  # opened on a worker
        store = backend.state.store
        assert store is not None
        store.enqueue("2022010101", "favorite.set", {"process_code": "xj-diannao-weixiu", "on": True})
        release(server, admin, files, "0.2.2", bundle_archive("0.2.2"))
        beat_until(lambda: updates.updater.pending() == "0.2.2")
        qtbot.wait(500)
        assert runs(root) == "0.2.1" and updates.switched_to == "0.2.1"
    finally:
        backend.shutdown()

    # The next start switches to it; the queued operation is still there for the new version to deliver.
    again = Backend(config)
    try:
        again.start()
        qtbot.waitUntil(lambda: again.updates is not None and again.updates.switched_to == "0.2.2", timeout=20_000)
        assert runs(root) == "0.2.2"
        assert sorted(p.name for p in (root / "releases").iterdir()) == [".trial", "0.2.1", "0.2.2"]
        assert (root / "releases" / ".trial").read_text().split() == ["0.2.2", "0.2.1", "0"]  # start-guard.sh's
        qtbot.waitUntil(lambda: again.state.store is not None, timeout=10_000)
        assert again.state.store is not None and outbox_snapshot(again.state.store)[0] == 1
    finally:
        again.shutdown()


def test_archives_that_are_not_a_bundle_are_refused_and_a_cut_download_resumes(
    files: FileServer, tmp_path: Path
) -> None:
    root = installed(tmp_path / "opt")
    updater = Updater(root, "0.1.0")

    def offer(version: str, body: bytes) -> Offer:
        url = files.put(f"x-{version}.tar.gz", body)
        made = Offer.of({"version": version, "url": url, "sha256": hashlib.sha256(body).hexdigest()})
        assert made is not None
        return made

    for version, body, why in (
        ("0.3.0", b"not a gzip file at all", "安装包损坏"),
        ("0.3.1", bundle_archive("0.3.1", executable=False), "没有 campus-kiosk"),
    ):
        with pytest.raises(UpdateError, match=why) as refused:
            updater.stage(offer(version, body))
        assert not refused.value.retry and updater.pending() is None
        assert sorted(p.name for p in (root / "releases").iterdir() if not p.name.startswith(".")) == ["0.1.0"]
    with pytest.raises(UpdateError, match="版本或校验值无效"):
        Offer.of({"version": "../../etc", "url": "http://x/y", "sha256": "0" * 64})

    # Half of it came before the connection dropped: the rest is asked for with a Range request.
    body = bundle_archive("0.4.0")
    wanted = offer("0.4.0", body)
    part = root / "releases" / ".download" / f"0.4.0-{wanted.sha256[:16]}.tar.gz.part"
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(body[: len(body) // 2])
    files.ranges.clear()
    assert updater.stage(wanted) == "0.4.0" and files.ranges == [f"bytes={len(body) // 2}-"]
    assert updater.pending() == "0.4.0" and runs(root) == "0.1.0"  # staged, not switched
    assert updater.apply() == "0.4.0" and runs(root) == "0.4.0" and updater.pending() is None
    assert os.readlink(root / "current") == "releases/0.4.0"
