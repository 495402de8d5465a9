"""PySide6 6.12.0 corrupts reference counts on Python 3.11 (ARCHITECTURE.md): it must be impossible to install
there, and the Qt we run must survive what crashed it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib

from packaging.requirements import Requirement
from packaging.version import Version

from tests.helpers import ROOT


def _pyside_requirements() -> list[Requirement]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return [r for r in map(Requirement, deps) if r.name.lower() == "pyside6"]


def test_pin_excludes_6_12_0_on_python_3_11() -> None:
    reqs = _pyside_requirements()
    for python in ("3.11", "3.11.7"):
        env = {"python_version": "3.11", "python_full_version": python}
        active = [r for r in reqs if r.marker is None or r.marker.evaluate(env)]
        assert active, "no PySide6 requirement applies on 3.11"
        assert not any(r.specifier.contains(Version("6.12.0")) for r in active)
        assert all(r.specifier.contains(Version("6.11.3")) for r in active)
    env = {"python_version": "3.12", "python_full_version": "3.12.4"}
    assert any(r.specifier.contains(Version("6.12.0")) for r in reqs if r.marker is None or r.marker.evaluate(env))


def test_installed_pyside_is_not_the_broken_combination() -> None:
    import PySide6

    assert not (sys.version_info[:2] == (3, 11) and PySide6.__version__ == "6.12.0")


def test_20000_signals_and_5000_single_shots_do_not_crash() -> None:
    script = textwrap.dedent(
        """
        from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

        class Emitter(QObject):
            fired = Signal(bool)

        app = QCoreApplication([])
        received = []
        emitter = Emitter()
        emitter.fired.connect(received.append)
        for i in range(20_000):
            emitter.fired.emit(i % 2 == 0)
        shots = []
        for _ in range(5_000):
            QTimer.singleShot(0, lambda: shots.append(None))
        QTimer.singleShot(50, app.quit)
        app.exec()
        print(len(received), len(shots))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["20000", "5000"]
