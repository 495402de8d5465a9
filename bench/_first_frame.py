"""Child process of bench_startup.py: start one Qt program, print one JSON line at its first frame, exit.

    python bench/_first_frame.py app  T0 [--true-screen] -- [campus-kiosk flags]   the real app (kiosk.app.main())
    python bench/_first_frame.py bare T0                            the floor: a bare PySide6 QML window

T0 is the parent's time.monotonic() taken just before Popen, so `first_frame_s` is the wall time from the
moment the benchmark spawned this process to the moment Qt swapped the first frame of the window: interpreter
start, imports, QGuiApplication, QML compilation, scene graph — everything a person waiting at the kiosk waits
for. CLOCK_MONOTONIC is one system-wide clock on Linux, so the parent's and the child's readings can be
subtracted, and unlike time.time() it cannot jump when NTP steps the wall clock mid-run.

How the real app is measured, and why this way: we call kiosk.app.main() itself, unmodified, with the same
argv the `campus-kiosk` entry point would get, so the benchmark follows the real start path (config, env
variables, imports, AppState, store, QML, show) and cannot drift from it. Copying main()'s steps here instead
would duplicate ~30 lines and silently stop measuring the app the day main() changes. The only thing we
change is the class main() looks up as `PySide6.QtQml.QQmlApplicationEngine` (main imports it at call time):
when PySide6.QtQml is first imported, that name is replaced by a subclass that, on objectCreated, connects
the root window's frameSwapped. Patching at import time keeps the order of imports exactly that of the app.
Connecting at objectCreated is early enough: it fires when the component is complete, before main() calls
show() and before the event loop runs, so no frame can have been drawn yet. The bare floor uses the very same
subclass, so both sides are timed by identical code.
"""

from __future__ import annotations

import time

_T_ENTER = time.monotonic()  # first line this process runs after interpreter start-up and `import time`

import importlib.abc  # noqa: E402  (after the first timestamp on purpose)
import importlib.machinery  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

BARE_QML = """
import QtQuick
Window {
    width: 1920; height: 1080; visible: true
    Text { text: "统一身份认证平台"; font.pixelSize: 32; anchors.centerIn: parent }
}
""".encode()


def _peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def _report(t0: float, marks: dict[str, float], first_frame_rss: float | None = None) -> None:
    now = time.monotonic()
    truth = {}
    if "first_frame" in marks:  # --true-screen: the first frame came earlier, now the screen is true
        truth = {
            "true_screen_s": round(now - t0, 4),
            "true_screen_rss_mib": _peak_rss_mib(),
            # The heavy libraries the way to the true screen should not need (tests/kiosk/test_client_boundary.py).
            "loaded_at_true_screen": sorted({"sqlalchemy", "requests"} & set(sys.modules)),
        }
        now = marks["first_frame"]
    line = {
        "first_frame_s": round(now - t0, 4),
        "peak_rss_mib": first_frame_rss if first_frame_rss is not None else _peak_rss_mib(),
        **truth,
        # Where the time went, seconds since spawn: interpreter up, engine constructed (imports,
        # QGuiApplication and, for the app, AppState done), root object created (QML compiled/instantiated).
        "phases": {name: round(t - t0, 4) for name, t in marks.items()},
    }
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()
    os._exit(0)


# With --true-screen the app's report waits past the first frame until the screen tells the truth: the store
# opened and the server's state known (AppState.ready), the figure a person at the kiosk acts on.
TRUE_SCREEN = "--true-screen" in sys.argv[3:][: [*sys.argv[3:], "--"].index("--")]


def _watch_truth(engine: Any, window: Any, t0: float, marks: dict[str, float]) -> None:
    """Record the first frame, then report the moment AppState.ready holds: on its readyChanged signal (the
    figures are taken before anything the app starts after it), or, for a build without that signal, by
    checking every 5 ms on the GUI thread."""
    from PySide6.QtCore import QMetaObject, Qt, QTimer

    poller = QTimer(engine)
    poller.setInterval(5)
    rss: list[float] = []

    def is_ready(state: Any) -> bool:
        ready = state.property("ready") if state is not None else False
        if ready is None:  # a build from before AppState.ready: the same condition, read from its parts
            ready = getattr(state, "store", None) is not None and state.property("connection") != "connecting"
        return bool(ready)

    def check() -> None:
        if rss and is_ready(engine.singletonInstance("Kiosk.Backend", "AppState")):
            marks["true_screen"] = time.monotonic()
            _report(t0, marks, rss[0])

    def first_frame() -> None:  # on whichever thread swaps the frame
        if "first_frame" not in marks:
            marks["first_frame"] = time.monotonic()
            rss.append(_peak_rss_mib())
            QMetaObject.invokeMethod(poller, "start", Qt.ConnectionType.QueuedConnection)

    poller.timeout.connect(check)
    window.frameSwapped.connect(first_frame, Qt.ConnectionType.DirectConnection)
    state = engine.singletonInstance("Kiosk.Backend", "AppState")
    if state is not None and hasattr(state, "readyChanged"):
        state.readyChanged.connect(check, Qt.ConnectionType.DirectConnection)


def _patch_engine(qtqml: Any, t0: float, marks: dict[str, float]) -> None:
    """Replace qtqml.QQmlApplicationEngine by a subclass that reports the first frame of the root window."""
    from PySide6.QtCore import Qt

    class FirstFrameEngine(qtqml.QQmlApplicationEngine):  # type: ignore[misc, name-defined]
        def __init__(self, *args: object) -> None:
            super().__init__(*args)
            marks["engine_ready"] = time.monotonic()
            self.objectCreated.connect(self._hook)

        def _hook(self, obj: object, _url: object) -> None:
            from PySide6.QtQuick import QQuickWindow  # already imported by then (main() and run_bare do)

            if "root_created" in marks or not isinstance(obj, QQuickWindow):
                return
            marks["root_created"] = time.monotonic()
            if not TRUE_SCREEN:
                # Direct: report from whichever thread swaps the frame, without waiting for the GUI event loop.
                obj.frameSwapped.connect(lambda: _report(t0, marks), type=Qt.ConnectionType.DirectConnection)
                return
            _watch_truth(self, obj, t0, marks)

    qtqml.QQmlApplicationEngine = FirstFrameEngine


class _PatchQtQmlOnImport(importlib.abc.MetaPathFinder):
    """Patch PySide6.QtQml the moment it is first imported, so that nothing is imported earlier than in the app.

    (Importing PySide6 here up front would be simpler but not neutral: shiboken6 hooks every later import,
    so the modules main() imports before PySide6 would become slower than they are in the real app.)
    """

    def __init__(self, t0: float, marks: dict[str, float]) -> None:
        self.t0, self.marks = t0, marks

    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name != "PySide6.QtQml":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_patch(module: Any) -> None:
            exec_module(module)
            _patch_engine(module, self.t0, self.marks)

        loader.exec_module = exec_and_patch  # type: ignore[method-assign]
        return spec


def run_app(t0: float, marks: dict[str, float], app_args: list[str]) -> int:
    sys.meta_path.insert(0, _PatchQtQmlOnImport(t0, marks))
    from kiosk.app import main

    sys.argv = ["campus-kiosk", *app_args]
    rc = main(app_args)
    # main() only returns if the window never drew a frame (QML error, or the event loop quit first).
    sys.stdout.write(json.dumps({"error": f"kiosk.app.main() returned {rc} before the first frame"}) + "\n")
    sys.stdout.flush()
    return 1


def run_bare(t0: float, marks: dict[str, float]) -> int:
    sys.meta_path.insert(0, _PatchQtQmlOnImport(t0, marks))
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQml import QQmlApplicationEngine
    from PySide6.QtQuick import QQuickWindow  # noqa: F401  (the root object must come back as a QQuickWindow)

    app = QGuiApplication(sys.argv[:1])
    engine = QQmlApplicationEngine()
    engine.loadData(BARE_QML)
    if not engine.rootObjects():
        sys.stdout.write(json.dumps({"error": "bare QML did not load"}) + "\n")
        sys.stdout.flush()
        return 1
    rc = app.exec()
    sys.stdout.write(json.dumps({"error": f"event loop returned {rc} before the first frame"}) + "\n")
    sys.stdout.flush()
    return 1


def main() -> int:
    if len(sys.argv) < 3 or sys.argv[1] not in ("app", "bare"):
        print(__doc__, file=sys.stderr)
        return 2
    which, t0 = sys.argv[1], float(sys.argv[2])
    marks = {"interpreter_up": _T_ENTER}
    rest = [a for a in sys.argv[3:] if not (TRUE_SCREEN and a == "--true-screen")]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    return run_app(t0, marks, rest) if which == "app" else run_bare(t0, marks)


if __name__ == "__main__":
    sys.exit(main())
