"""The Qt-free services import each other without a circle, counting the imports made for type hints only
(`if TYPE_CHECKING:`): a circle there is still one module that cannot be understood, or moved, without the
other. worklist ↔ inbox was one (over WorkItem, now kiosk/services/work_item.py)."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "kiosk" / "services"
PACKAGE = "kiosk.services"


def _imports(path: Path) -> set[str]:
    """The kiosk.services modules a file imports, wherever in the file (functions and TYPE_CHECKING too)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == PACKAGE:
                out |= {f"{PACKAGE}.{alias.name}" for alias in node.names}
            elif node.module.startswith(PACKAGE + "."):
                out.add(node.module)
        elif isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names if alias.name.startswith(PACKAGE + ".")}
    return out


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each circle once, as the path that closes it (depth-first from every module)."""
    found: dict[frozenset[str], list[str]] = {}

    def walk(path: list[str]) -> None:
        for nxt in sorted(graph.get(path[-1], set())):
            if nxt == path[0]:
                found.setdefault(frozenset(path), [*path, nxt])
            elif nxt not in path and nxt in graph:
                walk([*path, nxt])

    for module in sorted(graph):
        walk([module])
    return list(found.values())


def test_the_circle_finder_finds_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c", "a"]]


def test_no_service_imports_itself_round_a_circle() -> None:
    graph = {f"{PACKAGE}.{path.stem}": _imports(path) for path in SERVICES.glob("*.py")}
    assert f"{PACKAGE}.work_item" in graph[f"{PACKAGE}.worklist"]  # the finder reads type-only imports too
    assert _circles(graph) == []
