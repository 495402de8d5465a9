"""Fixtures for the installer tests: the client bundle (built once, reused while the sources are unchanged)."""

from __future__ import annotations

import fcntl
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

BUILD = ROOT / "installer" / "bundle" / "build.py"


@pytest.fixture(scope="session")
def bundle() -> Path:
    """dist/campus-kiosk/, the same folder `./run package` makes. build.py skips the build when the source hash
    recorded in the bundle matches (about a second); a cold build takes about 30 s on 2 cores."""
    if importlib.util.find_spec("PyInstaller") is None or shutil.which("readelf") is None:
        pytest.skip("PyInstaller or readelf missing (./run test installs the package extra and binutils)")
    # Under pytest-xdist each worker has its own session: the first to get here builds, the others wait for the
    # lock and then find the bundle current.
    lock_path = ROOT / "dist" / ".bundle-build.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = subprocess.run([sys.executable, str(BUILD)], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    path = Path(report["bundle"])
    assert (path / "campus-kiosk").is_file()
    return path
