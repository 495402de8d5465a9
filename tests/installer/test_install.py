"""installer/linux/install.sh into a staging root (DESTDIR): the files, `systemd-analyze verify` on the units,
uninstall, and — with the real bundle — the kiosk session under cage on a headless wlroots backend."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from kiosk.services.api_client import ApiClient
from kiosk.services.config import load_config
from tests.helpers import ROOT

INSTALL = ROOT / "installer" / "linux" / "install.sh"
UNIT = "etc/systemd/system/campus-kiosk.service"


def install(destdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(INSTALL), *args], env={**os.environ, "DESTDIR": str(destdir)}, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def fake_bundle(tmp_path: Path) -> Path:
    """A stand-in for dist/campus-kiosk/ (the file checks need no real 190 MB copy)."""
    bundle = tmp_path / "bundle"
    (bundle / "_internal").mkdir(parents=True)
    exe = bundle / "campus-kiosk"
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    return bundle


def files_under(root: Path) -> set[str]:
    return {"/" + str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def unit_settings(text: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


def test_desk_install_writes_bundle_entry_autostart_and_config(tmp_path: Path, fake_bundle: Path) -> None:
    root = tmp_path / "root"
    done = install(
        root, "--mode", "desk", "--autostart", "--server", "https://hall.example.edu", "--bundle", str(fake_bundle)
    )
    assert done.returncode == 0, done.stderr
    assert {
        "/opt/campus-kiosk/releases/installed/campus-kiosk",
        "/opt/campus-kiosk/current",
        "/usr/local/bin/campus-kiosk",
        "/usr/share/applications/campus-kiosk.desktop",
        "/etc/xdg/autostart/campus-kiosk.desktop",
        "/etc/campus-kiosk/config.toml",
    } <= files_under(root)
    assert not (root / UNIT).exists()
    entry = (root / "usr/share/applications/campus-kiosk.desktop").read_text()
    assert "Exec=/opt/campus-kiosk/current/campus-kiosk --config /etc/campus-kiosk/config.toml --mode desk" in entry
    config = load_config(root / "etc/campus-kiosk/config.toml")  # the app's own reader accepts it
    assert (config.mode, config.server_url) == ("desk", "https://hall.example.edu")


def test_kiosk_install_writes_a_locked_down_session(tmp_path: Path, fake_bundle: Path) -> None:
    root = tmp_path / "root"
    done = install(root, "--mode", "kiosk", "--server", "http://10.0.0.5:8765", "--bundle", str(fake_bundle))
    assert done.returncode == 0, done.stderr
    config = load_config(root / "etc/campus-kiosk/config.toml")
    assert (config.mode, config.server_url, config.data_dir) == (
        "kiosk",
        "http://10.0.0.5:8765",
        "/var/lib/campus-kiosk",
    )
    unit = unit_settings((root / UNIT).read_text())
    exec_start = shlex.split(unit["ExecStart"][0])
    assert exec_start[:3] == ["/usr/bin/cage", "-d", "--"] and "-s" not in exec_start  # no VT switching
    assert exec_start[3] == "/opt/campus-kiosk/current/campus-kiosk" and exec_start[-2:] == ["--mode", "kiosk"]
    assert unit["Restart"] == ["always"] and unit["User"] == ["campus-kiosk"] and unit["TTYPath"] == ["/dev/tty1"]
    assert unit["Conflicts"] == ["getty@tty1.service"]
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
        "ProtectHome": "yes",
        "RuntimeDirectory": "campus-kiosk-home",
    }.items():
        assert unit[key] == [value], key
    assert "HOME=/run/campus-kiosk-home" in unit["Environment"]
    # Self-update: releases/<version>/ beside each other, `current` the one started (docs/deploy.md, "Updates").
    assert config.install_dir == "/opt/campus-kiosk" and unit["ReadWritePaths"] == ["/opt/campus-kiosk"]
    assert (root / "opt/campus-kiosk/current").resolve() == root / "opt/campus-kiosk/releases/installed"
    # …and a self-update that does not start goes back (tests/installer/test_rollback.py runs the guard).
    assert "-/opt/campus-kiosk/start-guard.sh /opt/campus-kiosk" in unit["ExecStartPre"]
    guard = root / "opt/campus-kiosk/start-guard.sh"
    assert guard.read_bytes() == (ROOT / "installer/linux/start-guard.sh").read_bytes() and os.access(guard, os.X_OK)
    assert (root / "etc/systemd/system/ctrl-alt-del.target").resolve() == Path("/dev/null")
    assert "kernel.sysrq = 0" in (root / "etc/sysctl.d/90-campus-kiosk.conf").read_text()
    assert "pam_systemd.so" in (root / "etc/pam.d/campus-kiosk").read_text()


def test_kiosk_install_leaves_the_enrollment_code_for_the_first_start(tmp_path: Path, fake_bundle: Path) -> None:
    from kiosk.services.device import DeviceService

    root = tmp_path / "root"
    done = install(root, "--mode", "kiosk", "--enroll", "MCWZ-8LE4-F5U7", "--bundle", str(fake_bundle))
    assert done.returncode == 0, done.stderr
    code_file = root / "var/lib/campus-kiosk/enrollment_code"
    assert code_file.read_text() == "MCWZ-8LE4-F5U7\n"
    assert stat.S_IMODE(code_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(code_file.parent.stat().st_mode) == 0o700
    assert "MCWZ" not in (root / "etc/campus-kiosk/config.toml").read_text()  # every local user may read that
    # The first start finds it where the config's data_dir says (staged here under the DESTDIR).
    config = load_config(root / "etc/campus-kiosk/config.toml")
    staged = root / config.data_dir.lstrip("/")
    assert DeviceService(ApiClient(config.server_url), staged).pending_code() == "MCWZ-8LE4-F5U7"

    shown = install(root, "--dry-run", "--mode", "kiosk", "--enroll", "MCWZ-8LE4-F5U7", "--bundle", str(fake_bundle))
    assert "var/lib/campus-kiosk/enrollment_code (mode 0600, owner campus-kiosk): MCWZ-…" in shown.stdout
    assert "8LE4" not in shown.stdout  # the code itself is not printed into a log
    # Not for a staff PC, and nothing that is not a code.
    assert install(root, "--mode", "desk", "--enroll", "MCWZ-8LE4-F5U7", "--bundle", str(fake_bundle)).returncode == 2
    assert install(root, "--mode", "kiosk", "--enroll", "x; rm -rf /", "--bundle", str(fake_bundle)).returncode == 2
    # An unused code goes with the uninstall.
    assert install(root, "--uninstall").returncode == 0
    assert not code_file.exists()


def test_uninstall_removes_every_file_it_added(tmp_path: Path, fake_bundle: Path) -> None:
    root = tmp_path / "root"
    (root / "etc/systemd/system").mkdir(parents=True)
    (root / "etc/systemd/system/other.service").write_text("[Service]\nExecStart=/bin/true\n")  # not ours
    before = files_under(root)
    assert install(root, "--mode", "kiosk", "--bundle", str(fake_bundle)).returncode == 0
    assert install(root, "--mode", "desk", "--autostart", "--bundle", str(fake_bundle)).returncode == 0
    assert len(files_under(root)) > len(before) + 8
    done = install(root, "--uninstall")
    assert done.returncode == 0, done.stderr
    assert files_under(root) == before


def test_dry_run_changes_nothing(tmp_path: Path, fake_bundle: Path) -> None:
    root = tmp_path / "root"
    done = install(root, "--dry-run", "--mode", "kiosk", "--bundle", str(fake_bundle))
    assert done.returncode == 0, done.stderr
    assert f"+ write {root}/{UNIT}" in done.stdout
    assert not root.exists() or not files_under(root)


def test_bad_arguments_are_refused(tmp_path: Path, fake_bundle: Path) -> None:
    assert install(tmp_path, "--mode", "tablet", "--bundle", str(fake_bundle)).returncode == 2
    assert install(tmp_path, "--mode", "desk", "--server", "ftp://x", "--bundle", str(fake_bundle)).returncode == 2
    assert install(tmp_path, "--mode", "desk", "--bundle", str(tmp_path / "none")).returncode == 2


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None or shutil.which("cage") is None,
    reason="systemd-analyze or cage missing (./run test installs systemd and cage)",
)
def test_kiosk_unit_passes_systemd_analyze_verify(tmp_path: Path, fake_bundle: Path) -> None:
    root = tmp_path / "root"
    assert install(root, "--mode", "kiosk", "--bundle", str(fake_bundle)).returncode == 0
    # Offline: verify parses the unit and checks its commands and dependencies against this host's units.
    done = subprocess.run(
        ["systemd-analyze", "verify", str(root / UNIT)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    # The check can fail: the same unit with a bad setting does not pass.
    broken = tmp_path / "broken" / "campus-kiosk.service"
    broken.parent.mkdir()
    broken.write_text((root / UNIT).read_text().replace("/usr/bin/cage", "/usr/bin/no-such-cage"))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(broken)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode != 0 and "no-such-cage" in done.stderr


# -- the kiosk session under cage ----------------------------------------------------------------------------

NOBODY = 65534


class EmulatedUnit:
    """Runs campus-kiosk.service's ExecStart the way systemd would, minus systemd: as an unprivileged uid,
    with the unit's Environment=, a fresh HOME per start (RuntimeDirectory=), and Restart=always with its
    RestartSec= — cage on the headless wlroots backend instead of tty1. `extra_args[i]` is appended to the
    app's command line on start i (a --screenshot, so the test can see the screen)."""

    def __init__(self, unit_text: str, root: Path, work: Path, extra_args: list[list[str]]) -> None:
        unit = unit_settings(unit_text)
        assert unit["Restart"] == ["always"]
        self.restart_sec = float(unit["RestartSec"][0])
        self.exec_start = [
            arg.replace("/opt/", f"{root}/opt/").replace("/etc/", f"{root}/etc/")
            for arg in shlex.split(unit["ExecStart"][0])
        ]
        self.env = dict(e.split("=", 1) for e in unit["Environment"])
        self.work, self.extra_args = work, extra_args
        self.starts: list[subprocess.Popen[bytes]] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._supervise, daemon=True)

    def _supervise(self) -> None:
        for i, extra in enumerate(self.extra_args):
            if self.stopping.is_set():
                return
            run_dir, home = self.work / f"run{i}", self.work / f"home{i}"
            for d in (run_dir, home):
                d.mkdir(mode=0o700)
                os.chown(d, NOBODY, NOBODY)
            env = {
                **self.env,
                "HOME": str(home),
                "XDG_RUNTIME_DIR": str(run_dir),
                "PATH": "/usr/bin:/bin",
                "WLR_BACKENDS": "headless",
                "WLR_LIBINPUT_NO_DEVICES": "1",
                "WLR_RENDERER": "pixman",
            }
            cmd = [
                "setpriv",
                f"--reuid={NOBODY}",
                f"--regid={NOBODY}",
                "--clear-groups",
                "env",
                "-i",
                *(f"{k}={v}" for k, v in env.items()),
                *self.exec_start,
                # StateDirectory= (/var/lib/campus-kiosk) stands in as a dir the uid may write.
                "--data-dir",
                str(home / "data"),
                *extra,
            ]
            log = (self.work / f"start{i}.log").open("wb")
            self.starts.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd="/"))
            self.starts[-1].wait()
            shutil.rmtree(home, ignore_errors=True)  # RuntimeDirectory= is removed when the service stops
            if self.stopping.wait(self.restart_sec):
                return

    def app_pid(self, start: int, timeout: float = 60) -> int:
        """The app's pid under cage on start `start` (cage forks it)."""
        deadline = time.monotonic() + timeout
        exe = self.exec_start[self.exec_start.index("--") + 1]
        while time.monotonic() < deadline:
            if len(self.starts) > start:
                for pid in _children(self.starts[start].pid):
                    try:
                        if os.readlink(f"/proc/{pid}/exe") == os.path.realpath(exe):
                            return pid
                    except OSError:
                        pass
            time.sleep(0.1)
        raise AssertionError(f"no app process on start {start}")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _wait_for(path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and path.stat().st_size > 0:
            time.sleep(0.2)  # the app writes, then exits
            return
        time.sleep(0.1)
    raise AssertionError(f"{path} never appeared")


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    # pytest's tmp_path is 0700 root: the unprivileged session user could not reach the installed bundle.
    path = Path(tempfile.mkdtemp(prefix="campus-kiosk-cage-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("cage") is None or shutil.which("Xwayland") is None or os.geteuid() != 0,
    reason="needs cage, Xwayland (./run test installs them) and root to switch to a session uid",
)
def test_kiosk_session_under_cage_shows_login_and_restarts_after_kill(bundle: Path, world_readable_dir: Path) -> None:
    root, work = world_readable_dir / "root", world_readable_dir / "work"
    work.mkdir()
    work.chmod(0o777)
    done = install(root, "--mode", "kiosk", "--server", "http://127.0.0.1:9", "--bundle", str(bundle))
    assert done.returncode == 0, done.stderr
    shots = [work / "shot0.png", work / "shot2.png"]
    session = EmulatedUnit(
        (root / UNIT).read_text(), root, work, [["--screenshot", str(shots[0])], [], ["--screenshot", str(shots[1])]]
    )
    session.thread.start()
    try:
        _wait_for(shots[0], 90)  # start 0: the login screen, then the app exits — and is started again
        victim = session.app_pid(1)
        time.sleep(1.5)  # let it come up
        os.kill(victim, signal.SIGKILL)  # start 1 dies; Restart=always brings start 2
        _wait_for(shots[1], 90)
        session.thread.join(30)
    finally:
        session.stopping.set()
        for proc in session.starts:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert len(session.starts) == 3
    for shot in shots:
        image = Image.open(shot).convert("RGB")
        assert image.width >= 1024 and image.height >= 600, image.size
        assert len(image.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 100, f"{shot.name} is blank"
    if (ROOT / "test-artifacts").is_dir():
        shutil.copy(shots[1], ROOT / "test-artifacts" / "kiosk-under-cage.png")
