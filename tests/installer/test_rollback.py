"""Automatic rollback of a self-update that does not start: kiosk/services/updates.py (apply writes the trial,
confirm ends it, wanted refuses a rolled-back version) with the unit's real installer/linux/start-guard.sh, run
the way systemd runs it (ExecStartPre before every start) in front of releases that are real executables."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from kiosk.services.updates import MAX_TRIAL_STARTS, Offer, Updater
from tests.helpers import ROOT

GUARD = ROOT / "installer" / "linux" / "start-guard.sh"


def release(prefix: Path, version: str, *, starts: bool) -> None:
    """releases/<version>/campus-kiosk: appends its version to runs.log, then exits 0 (runs) or 1 (crashes)."""
    folder = prefix / "releases" / version
    folder.mkdir(parents=True)
    exe = folder / "campus-kiosk"
    exe.write_text(f'#!/bin/sh\necho {version} >>"{prefix}/runs.log"\nexit {0 if starts else 1}\n')
    exe.chmod(0o755)


def start(prefix: Path) -> int:
    """One start of the unit: ExecStartPre=start-guard.sh PREFIX, then ExecStart=PREFIX/current/campus-kiosk."""
    guard = subprocess.run([str(GUARD), str(prefix)], capture_output=True, text=True, timeout=30)
    assert guard.returncode == 0, guard.stderr
    return subprocess.run([str(prefix / "current" / "campus-kiosk")], timeout=30).returncode


@pytest.fixture
def prefix(tmp_path: Path) -> Path:
    """An install as install.sh leaves it, running 1.0, with 2.0 staged by an update."""
    release(tmp_path, "1.0", starts=True)
    (tmp_path / "current").symlink_to(Path("releases") / "1.0")
    return tmp_path


def stage(prefix: Path, version: str, *, starts: bool) -> None:
    release(prefix, version, starts=starts)
    (prefix / "releases" / ".pending").write_text(version + "\n")


def runs(prefix: Path) -> list[str]:
    return (prefix / "runs.log").read_text().split()


def test_a_release_that_never_starts_is_rolled_back_after_three_starts(prefix: Path) -> None:
    stage(prefix, "2.0", starts=False)
    assert Updater(prefix, "1.0").apply() == "2.0"
    assert Updater(prefix, "1.0").on_trial() == "2.0"
    codes = [start(prefix) for _ in range(MAX_TRIAL_STARTS + 2)]
    assert runs(prefix) == ["2.0"] * MAX_TRIAL_STARTS + ["1.0", "1.0"]
    assert codes == [1] * MAX_TRIAL_STARTS + [0, 0]
    assert os.readlink(prefix / "current") == "releases/1.0"
    back = Updater(prefix, "1.0")
    assert back.on_trial() is None and back.rolled_back() == ["2.0"]
    # The same release offered again by the next heartbeat is not fetched; a newer one is.
    assert not back.wanted(Offer(version="2.0", url="http://x/2.0.tar.gz", sha256="0" * 64))
    assert back.wanted(Offer(version="2.1", url="http://x/2.1.tar.gz", sha256="0" * 64))


def test_a_release_that_confirms_is_kept_whatever_happens_later(prefix: Path) -> None:
    stage(prefix, "2.0", starts=True)
    Updater(prefix, "1.0").apply()
    assert start(prefix) == 0
    assert not Updater(prefix, "1.0").confirm()  # only the release on trial confirms itself
    assert Updater(prefix, "2.0").confirm()
    for _ in range(MAX_TRIAL_STARTS + 1):  # later crashes or restarts are not the update's fault
        start(prefix)
    assert os.readlink(prefix / "current") == "releases/2.0"
    assert set(runs(prefix)) == {"2.0"} and Updater(prefix, "2.0").rolled_back() == []


def test_the_guard_keeps_a_release_whose_predecessor_is_gone_and_ignores_junk(prefix: Path) -> None:
    stage(prefix, "2.0", starts=False)
    Updater(prefix, "1.0").apply()
    (prefix / "releases" / "1.0" / "campus-kiosk").unlink()  # nothing to go back to
    for _ in range(MAX_TRIAL_STARTS + 1):
        start(prefix)
    assert os.readlink(prefix / "current") == "releases/2.0"
    assert not (prefix / "releases" / ".trial").exists()
    (prefix / "releases" / ".trial").write_text("../../etc 1.0 0\n")  # never follows a path out of releases/
    assert start(prefix) == 1
    assert os.readlink(prefix / "current") == "releases/2.0"
    assert not (prefix / "releases" / ".trial").exists()
