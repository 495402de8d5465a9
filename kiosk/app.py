"""`campus-kiosk`: start the kiosk (fullscreen, touch, virtual keyboard) or the desk client (a normal window)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from kiosk.services.config import LANGUAGES, MODES, ConfigError, load_config

log = logging.getLogger("kiosk")

KIOSK_SIZE = (1920, 1080)
DESK_SIZE = (1366, 768)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="campus-kiosk", description=__doc__)
    p.add_argument("--server", metavar="URL", help="sync server base URL (config: server_url)")
    p.add_argument("--mode", choices=MODES, help="kiosk: fullscreen touch terminal; desk: staff window")
    p.add_argument("--demo", action="store_true", help="start the bundled server with fresh demo data")
    p.add_argument("--lang", choices=LANGUAGES, help="interface language (default zh_CN)")
    p.add_argument("--screenshot", metavar="FILE", help="write a PNG of the first screen and exit")
    p.add_argument("--config", metavar="FILE", type=Path, help="config file (default: platformdirs config dir)")
    p.add_argument("--size", metavar="WxH", help="window size instead of fullscreen (e.g. 1080x1920)")
    p.add_argument("--data-dir", metavar="DIR", help="where the local store lives (config: data_dir)")
    p.add_argument(
        "--enroll", metavar="CODE", help="enroll this terminal with IT's one-time code (config: enrollment_code)"
    )
    return p


def _parse_size(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        w, h = (int(v) for v in value.lower().split("x"))
    except ValueError:
        raise ConfigError(f"--size must look like 1920x1080, not {value!r}") from None
    if not (320 <= w <= 8192 and 320 <= h <= 8192):
        raise ConfigError("--size must be between 320 and 8192 pixels each way")
    return w, h


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    args = _parser().parse_args(argv)
    logging.basicConfig(level=os.environ.get("CAMPUS_KIOSK_LOG", "INFO"), format="%(levelname)s %(name)s: %(message)s")
    try:
        config = load_config(
            args.config,
            server_url=args.server,
            mode=args.mode,
            language=args.lang,
            data_dir=args.data_dir,
            enrollment_code=args.enroll,
        )
        size = _parse_size(args.size)
    except ConfigError as exc:
        print(f"campus-kiosk: {exc}", file=sys.stderr)
        return 2

    if config.mode == "kiosk":
        # Must be set before the QGuiApplication exists, or the virtual keyboard never shows.
        os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")

    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QFont, QGuiApplication
    from PySide6.QtQml import QQmlApplicationEngine
    from PySide6.QtQuick import QQuickWindow  # noqa: F401  (rootObjects() must come back as QQuickWindow)

    import kiosk.views  # noqa: F401  (registers Kiosk.Backend)
    from kiosk.backend import Backend
    from kiosk.resources import qml_dir

    if config.mode == "desk":
        # A QApplication (widgets) for the system tray's 办事通知; a kiosk keeps the lighter QGuiApplication.
        from PySide6.QtWidgets import QApplication

        app: QGuiApplication = QApplication(sys.argv[:1])
    else:
        app = QGuiApplication(sys.argv[:1])
    app.setApplicationName("campus-kiosk")
    app.setOrganizationName("campus-kiosk")
    app.setFont(QFont(["Noto Sans CJK SC", "Noto Sans"], 11))

    backend = Backend(config, demo=args.demo)
    state = backend.state
    engine = QQmlApplicationEngine()
    backend.attach(engine)
    engine.addImportPath(str(qml_dir()))
    backend.prepare()
    engine.loadFromModule("Kiosk", "Main")
    if not engine.rootObjects():
        backend.shutdown()
        return 1
    window = engine.rootObjects()[0]
    backend.watch_input(window)
    # The store opens after the first frame: on 2 cores it would otherwise compete with compiling the QML.
    window.frameSwapped.connect(backend.start, type=Qt.ConnectionType.SingleShotConnection)
    if config.mode == "desk":
        from kiosk.views.tray import DeskTray

        # Kept alive by its parent; it brings `window` back and opens what its messages name.
        tray = DeskTray(backend.inbox, state, reminders=backend.reminders, window=window)
        tray.follow_language(lambda: backend.display.language, backend.display.languageChanged)

    offscreen = app.platformName() in ("offscreen", "minimal")
    if size is None and (offscreen or config.mode == "desk"):
        size = KIOSK_SIZE if config.mode == "kiosk" else DESK_SIZE
    if size is not None:
        window.resize(*size)
        window.show()
    else:
        window.showFullScreen()

    exit_code = 0
    if args.screenshot:
        target = Path(args.screenshot)

        def shoot() -> None:
            nonlocal exit_code
            # Wait (bounded) until the status dot knows whether the server answers, so the picture is true.
            if state.connection == "connecting" and time.perf_counter() - started < 60:
                QTimer.singleShot(100, shoot)
                return
            image = window.grabWindow()
            if image.isNull() or not image.save(str(target)):
                print(f"campus-kiosk: could not write {target}", file=sys.stderr)
                exit_code = 1
            app.quit()

        window.frameSwapped.connect(lambda: QTimer.singleShot(0, shoot), type=Qt.ConnectionType.SingleShotConnection)
    app.aboutToQuit.connect(backend.shutdown)
    rc = app.exec()
    del engine
    return exit_code or rc


if __name__ == "__main__":
    sys.exit(main())
