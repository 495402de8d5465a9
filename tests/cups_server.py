"""A private CUPS scheduler for the 打印证明 tests: its own configuration, spool and state under a temporary
directory, a free loopback port, no system service. Its queues are raw (the PDF reaches the backend as sent)
and use backends of its own: `capture` writes each job to a directory (the printed file is compared with the
certificate byte for byte), `slow` does so after two seconds, `nopaper` reports media-empty-error and never
finishes, `fail` fails the job.

cupsd refuses to run its backends as root: run as root (CI), it runs them as the `lp` user, so the capture
directory is world-writable."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

BACKENDS = {
    "capture": """#!/bin/sh
if [ $# -eq 0 ]; then echo 'direct capture "Unknown" "Capture to a directory"'; exit 0; fi
dir="${DEVICE_URI#capture:}"
if [ $# -ge 6 ]; then cat "$6" > "$dir/job-$1.part"; else cat > "$dir/job-$1.part"; fi
mv "$dir/job-$1.part" "$dir/job-$1.pdf"
""",
    "slow": """#!/bin/sh
if [ $# -eq 0 ]; then echo 'direct slow "Unknown" "Capture after a while"'; exit 0; fi
sleep 2
dir="${DEVICE_URI#slow:}"
if [ $# -ge 6 ]; then cat "$6" > "$dir/job-$1.part"; else cat > "$dir/job-$1.part"; fi
mv "$dir/job-$1.part" "$dir/job-$1.pdf"
""",
    "nopaper": """#!/bin/sh
if [ $# -eq 0 ]; then echo 'direct nopaper "Unknown" "Out of paper"'; exit 0; fi
echo "STATE: +media-empty-error" >&2
echo "ERROR: out of paper" >&2
sleep 120
exit 1
""",
    "fail": """#!/bin/sh
if [ $# -eq 0 ]; then echo 'direct fail "Unknown" "Fails every job"'; exit 0; fi
echo "ERROR: the device failed" >&2
exit 1
""",
}
HAVE_CUPS = bool(shutil.which("cupsd") and shutil.which("lpadmin"))
needs_cups = pytest.mark.skipif(not HAVE_CUPS, reason="cups-daemon and cups-client not installed: ./run")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateCups:
    def __init__(self, root: Path) -> None:
        self.root, self.port = root, _free_port()
        self.out = root / "out"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def server(self) -> str:
        return f"127.0.0.1:{self.port}"

    def uri(self, queue: str) -> str:
        return f"ipp://{self.server}/printers/{queue}"

    def start(self) -> PrivateCups:
        conf, binary = self.root / "conf", self.root / "bin"
        for d in (conf, binary / "backend", self.root / "spool", self.root / "cache", self.root / "state",
                  self.root / "log", self.out):  # fmt: skip
            d.mkdir(parents=True, exist_ok=True)
        self.out.chmod(0o777)
        for name in ("cgi-bin", "daemon", "filter", "monitor", "notifier", "driver"):
            if Path("/usr/lib/cups", name).exists():
                (binary / name).symlink_to(Path("/usr/lib/cups", name))
        for name, script in BACKENDS.items():
            (binary / "backend" / name).write_text(script)
            (binary / "backend" / name).chmod(0o755)
        (conf / "cupsd.conf").write_text(
            f"Listen 127.0.0.1:{self.port}\nLogLevel info\nWebInterface No\nBrowsing No\nDefaultAuthType None\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
        )
        user = "User lp\nGroup lp\n" if os.geteuid() == 0 else ""
        (conf / "cups-files.conf").write_text(
            f"ServerRoot {conf}\nRequestRoot {self.root / 'spool'}\nCacheDir {self.root / 'cache'}\n"
            f"StateDir {self.root / 'state'}\nServerBin {binary}\nDataDir /usr/share/cups\n"
            f"AccessLog {self.root / 'log/access_log'}\nErrorLog {self.root / 'log/error_log'}\n"
            f"PageLog {self.root / 'log/page_log'}\nPrintcap {self.root / 'state/printcap'}\n{user}Sandboxing Relaxed\n"
        )
        self.process = subprocess.Popen(
            ["cupsd", "-f", "-c", str(conf / "cupsd.conf"), "-s", str(conf / "cups-files.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"cupsd did not start: {self.log()}") from None
                time.sleep(0.1)
        for queue, device in (("hall", f"capture:{self.out}"), ("nopaper", "nopaper:/"), ("broken", "fail:/")):
            self.admin("lpadmin", "-p", queue, "-E", "-v", device, "-m", "raw", "-o", "printer-error-policy=abort-job")
        return self

    def admin(self, command: str, *args: str) -> None:
        """lpadmin / cupsenable / cupsdisable against this scheduler."""
        subprocess.run([command, "-h", self.server, *args], check=True, capture_output=True, timeout=30)

    def printed(self) -> list[Path]:
        """The files the capture queue received, oldest first."""
        return sorted(self.out.glob("job-*.pdf"), key=lambda p: int(p.stem.split("-")[1]))

    def log(self) -> str:
        path = self.root / "log" / "error_log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@pytest.fixture(scope="session")
def cups() -> Iterator[PrivateCups]:
    """One private cupsd for the session (tests/conftest.py loads this module as a plugin)."""
    if not HAVE_CUPS:
        pytest.skip("cups-daemon and cups-client not installed: ./run")
    # Not under pytest's basetemp: its /tmp/pytest-of-<user> is 0700, and the backends, run as lp, must reach
    # the capture directory.
    root = Path(tempfile.mkdtemp(prefix="campus-cups-"))
    root.chmod(0o755)
    scheduler = PrivateCups(root).start()
    try:
        yield scheduler
    finally:
        scheduler.stop()
        shutil.rmtree(root, ignore_errors=True)
