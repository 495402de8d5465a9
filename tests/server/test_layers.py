"""What each layer of sync_server may import. Core: no web framework (HTTP is the API's business), and its own
modules along a hierarchy, never in a circle, so that any one of them can be imported first (the operation table
names its handlers; nothing registers itself on import). Routes: neither SQLAlchemy nor the tables: they parse,
call core and shape the answer."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

SERVER = Path(__file__).resolve().parents[2] / "sync_server"
CORE = SERVER / "core"


def core_imports(path: Path) -> set[str]:
    """The core modules a module imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "sync_server.core":
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sync_server.core."):
            found.add((node.module or "").split(".")[2])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[2] for a in node.names if a.name.startswith("sync_server.core."))
    return found - {path.stem}


def test_core_modules_import_each_other_without_a_cycle() -> None:
    graph = {path.stem: core_imports(path) for path in CORE.glob("*.py") if path.stem != "__init__"}
    assert all(name in graph for targets in graph.values() for name in targets), graph
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        assert module not in trail, " → ".join([*trail[trail.index(module) :], module])
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_core_imports_no_web_framework() -> None:
    # A fresh interpreter: this one has FastAPI loaded already by other tests.
    script = """
import importlib, json, pkgutil, sys
import sync_server.core as core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "sync_server.core.")]
for name in names:
    importlib.import_module(name)
web = sorted(m for m in sys.modules if m.split(".")[0] in ("fastapi", "starlette"))
print(json.dumps({"modules": names, "web": web}))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert "sync_server.core.operations" in found["modules"] and len(found["modules"]) >= 20, found["modules"]
    assert found["web"] == []


def test_routes_run_no_queries_of_their_own() -> None:
    for path in sorted((SERVER / "api" / "routes").glob("*.py")):
        modules = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                modules.add(node.module or "")
            elif isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
        data_access = {m for m in modules if m.split(".")[0] == "sqlalchemy" or m == "sync_server.models"}
        assert not data_access, f"{path.name} imports {sorted(data_access)}"
