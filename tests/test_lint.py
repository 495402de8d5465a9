"""Lint in the suite: ruff (check and format), mypy on the Qt-free packages, qmllint on the QML module."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import PySide6

from tests.helpers import ROOT

BIN = Path(sys.executable).parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


PYTHON_DIRS = [d for d in ("kiosk", "sync_server", "tests", "bench") if (ROOT / d).is_dir()]


def test_ruff_check() -> None:
    result = _run(str(BIN / "ruff"), "check", *PYTHON_DIRS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = _run(str(BIN / "ruff"), "format", "--check", *PYTHON_DIRS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_on_qt_free_packages() -> None:
    result = _run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_qmllint(tmp_path: Path) -> None:
    # Kiosk.Backend is registered from Python; give qmllint its type information the way pyside6-project
    # does (metaobjectdump → qmltyperegistrar), so it checks every property and method QML uses.
    # The base list model first: the registrar resolves a superclass only from classes it has already seen
    # (a model in a file sorted before list_model.py was otherwise "neither an object nor a gadget").
    views = sorted(
        (
            str(p)
            for p in (ROOT / "kiosk" / "views").glob("*.py")
            if "QmlElement" in p.read_text() or "QAbstractListModel" in p.read_text()
        ),
        key=lambda path: (not path.endswith("list_model.py"), path),
    )
    meta = tmp_path / "metatypes.json"
    dumped = _run(str(BIN / "pyside6-metaobjectdump"), "-o", str(meta), *views)
    assert dumped.returncode == 0, dumped.stderr
    backend = tmp_path / "Kiosk" / "Backend"
    backend.mkdir(parents=True)
    qt_metatypes = Path(PySide6.__file__).parent / "Qt" / "metatypes"
    foreign = ",".join(str(qt_metatypes / f"qt6{m}_metatypes.json") for m in ("core", "qml"))
    registered = _run(
        str(BIN / "pyside6-qmltyperegistrar"),
        f"--generate-qmltypes={backend / 'Backend.qmltypes'}",
        "--import-name=Kiosk.Backend",
        "--major-version=1",
        f"--foreign-types={foreign}",
        "-o",
        str(tmp_path / "registrations.cpp"),
        str(meta),
    )
    assert registered.returncode == 0, registered.stdout + registered.stderr
    (backend / "qmldir").write_text("module Kiosk.Backend\ntypeinfo Backend.qmltypes\n")

    files = sorted(str(p) for p in (ROOT / "resources" / "qml" / "Kiosk").rglob("*.qml"))
    result = _run(str(BIN / "pyside6-qmllint"), "-I", str(ROOT / "resources" / "qml"), "-I", str(tmp_path), *files)
    # qmllint exits 0 on warnings; any line it prints is a finding.
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), result.stdout + result.stderr


def test_no_test_module_imports_another() -> None:
    """Shared steps and fixtures live in helper modules (tests/helpers.py, tests/qml/harness.py, steps.py …):
    a test module imported by another would run its tests twice and tie the two together."""
    offenders = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in (ROOT / "tests").rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.match(r"\s*(from|import) tests(\.\w+)*\.test_\w+", line)
    ]
    assert not offenders, "\n".join(offenders)


def test_views_stay_thin() -> None:
    """CONVENTIONS.md: kiosk/views adapts kiosk/services, which hold the logic. A view past 300 lines has begun
    doing a service's work; the views together stay smaller than the services."""
    views = {
        path.name: len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "kiosk" / "views").glob("*.py")
    }
    services = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "kiosk" / "services").glob("*.py"))
    assert {name: n for name, n in views.items() if n > 300} == {}
    assert sum(views.values()) < services, (sum(views.values()), services)
