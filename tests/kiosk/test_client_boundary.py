"""The client carries only what it uses: no kiosk module loads the server or the server's dependencies, and the
server loads nothing of the kiosk (shared facts live in campus_common)."""

from __future__ import annotations

import json
import subprocess
import sys

SERVER_ONLY = ("sync_server", "fastapi", "uvicorn", "alembic", "argon2", "starlette", "psycopg")


def _loaded_after_importing(packages: list[str], watched: tuple[str, ...]) -> list[str]:
    script = (
        "import importlib, pkgutil, sys, json\n"
        f"for name in {packages!r}:\n"
        "    package = importlib.import_module(name)\n"
        "    for info in pkgutil.walk_packages(package.__path__, name + '.'):\n"
        "        if not info.name.endswith('__main__') and '.migrations' not in info.name:\n"
        "            importlib.import_module(info.name)\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(watched)!r}))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_kiosk_module_loads_nothing_of_the_server() -> None:
    assert _loaded_after_importing(["kiosk", "campus_common"], SERVER_ONLY) == []


def test_the_server_loads_nothing_of_the_kiosk() -> None:
    assert _loaded_after_importing(["sync_server"], ("kiosk", "PySide6")) == []


def test_the_kiosk_starts_without_the_servers_dependencies(tmp_path) -> None:
    """As on a terminal installed with `pip install .`: the server's packages cannot be imported at all."""
    shot = tmp_path / "login.png"
    script = (
        "import importlib.abc, sys\n"
        "class Absent(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {SERVER_ONLY!r}:\n"
        "            raise ModuleNotFoundError(name)\n"
        "sys.meta_path.insert(0, Absent())\n"
        "from kiosk.app import main\n"
        f"sys.exit(main(['--server', 'http://127.0.0.1:9', '--data-dir', {str(tmp_path)!r}, "
        f"'--screenshot', {str(shot)!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "ModuleNotFoundError" not in result.stderr and "No module named" not in result.stderr, result.stderr
    assert shot.stat().st_size > 10_000
