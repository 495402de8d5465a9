"""AppState (QML singleton): school, mode, the local store and the connection to the sync
server (health polled with backoff; the catalog refreshed when it comes back)."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.services import campus_time
from kiosk.services.api_client import ApiClient, ApiError
from kiosk.services.auth import AuthService
from kiosk.services.config import KioskConfig
from kiosk.services.local_store import look_at_store, open_local_store
from kiosk.views.context import singleton_for
from kiosk.views.workers import WorkerPool

if TYPE_CHECKING:
    from kiosk.models.first_look import FirstLook
    from kiosk.models.store import LocalStore
    from kiosk.services.demo_server import DemoServer

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

POLL_ONLINE_MS = 15_000
RETRY_MIN_MS = 1_000
RETRY_MAX_MS = 30_000


@QmlElement
@QmlSingleton
class AppState(QObject):
    schoolChanged = Signal()
    connectionChanged = Signal()
    storeReady = Signal()
    # The terminal's undelivered operations as the store's first look found them (before any sync round).
    waitingSeen = Signal(int)
    # The hall's processes: (list of dicts, "cache" | "server"), for the Catalog.
    processesArrived = Signal(object, str)
    # True once the screen tells the truth: the local store was read (or could not be) and the server answered
    # (or did not). Until then the status shows 连接中.
    readyChanged = Signal()
    # Configuration is fixed for a run; the signal exists so QML tooling knows bindings on it are sound.
    configChanged = Signal()

    def __init__(
        self,
        config: KioskConfig,
        client: ApiClient,
        auth: AuthService,
        workers: WorkerPool,
        *,
        demo: bool = False,
        store_path: Path | None = None,
        keyboard_dir: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._keyboard_dir = keyboard_dir
        self.config = config
        self.client = client
        self.auth = auth
        self.workers = workers
        self._demo = demo
        self._store_path = store_path or config.data_path / "kiosk.db"
        self._school = config.school_name
        self._school_en = config.school_name_en
        self._connection, self._connection_detail = "connecting", ""
        self._server_version, self._epoch = "", ""
        self.live_wait = 0  # what the server offers for live pulls (kiosk/views/live_channel.py); 0: poll
        self._retry_ms = RETRY_MIN_MS
        self.store: LocalStore | None = None
        self._looked = False  # the store's first look is done (or failed): what the login screen shows is known
        self._store_settled = False  # the full store opened (or failed to)
        self._after_store: list[Callable[[], None]] = []
        self._opening, self._refresh_waiting = False, False
        self.demo_server: DemoServer | None = None
        self._poll = QTimer(self)
        self._poll.setSingleShot(True)
        self._poll.timeout.connect(self.checkHealth)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("AppState", engine)

    # -- start-up: everything slow happens on the worker threads ------------------------------------------
    def start(self) -> None:
        """Look at the store and, at the same time, reach the server (or, demo, start the bundled one) in the
        background. The first look (sqlite3, milliseconds) is all the login screen needs; the full store, with
        SQLAlchemy's import, opens once the screen is true, so it does not slow the way there."""
        config, path, auth = self.config, self._store_path, self.auth
        self.workers.run(lambda: look_at_store(config, path, auth), self._looked_at, self._look_failed)
        self._connect()

    def _looked_at(self, look: FirstLook) -> None:
        if look.catalog:
            self.processesArrived.emit(look.catalog, "cache")
        self.waitingSeen.emit(look.waiting)
        self._set_looked()

    def _set_looked(self) -> None:
        was_ready = self._get_ready()
        self._looked = True
        if self._get_ready() != was_ready:
            self.readyChanged.emit()
        self._open_store_when_ready()

    def _open_store_when_ready(self) -> None:
        if self._get_ready() and self.store is None and not self._store_settled and not self._opening:
            self._opening = True
            config, path, auth = self.config, self._store_path, self.auth
            self.workers.run(lambda: open_local_store(config, path, auth), self._store_opened, self._store_failed)

    def _store_opened(self, store: LocalStore) -> None:
        self.store = store
        self.storeReady.emit()
        self._settle_store()

    def _connect(self) -> None:
        if self._demo:
            self.workers.run(self._start_demo_server, self._demo_started, self._demo_failed)
        else:
            self.checkHealth()

    def _look_failed(self, exc: Exception) -> None:
        # Without the local copy the terminal still works online; nothing personal is kept anyway.
        log.error("local store unavailable, running without it: %s", exc)
        self._settle_store()  # first: there is no full store to open either
        self._set_looked()

    def _store_failed(self, exc: Exception) -> None:
        log.error("local store unavailable, running without it: %s", exc)
        self._settle_store()

    def when_store_settled(self, then: Callable[[], None]) -> None:
        """Run `then` once the full store has opened (or failed to): now if it has. A sign-in waits for it, so a
        kiosk has forgotten whoever used it before a new person's data arrives."""
        if self._store_settled:
            then()
        else:
            self._after_store.append(then)

    def _start_demo_server(self) -> str:
        from kiosk.services.demo_server import DemoServer

        self.demo_server = DemoServer()
        return self.demo_server.seed_and_start()

    def _demo_started(self, url: str) -> None:
        log.info("demo server at %s", url)
        self.client.base_url = url
        self.checkHealth()

    def _demo_failed(self, exc: Exception) -> None:
        self._set_connection("offline", f"演示服务器未能启动：{exc}")

    # -- connection ---------------------------------------------------------------------------------------
    @Slot()
    def checkHealth(self) -> None:
        """Ask the server how it is now (the poll does it every 15 s, or sooner after a failure)."""
        client = self.client
        self.workers.run(client.health, self._health_ok, self._health_failed)

    def _health_ok(self, health: Any) -> None:
        first = self._connection != "online"
        self._server_version = health.version
        self._epoch = health.epoch or ""
        self.live_wait = getattr(health, "live_wait", 0)
        campus_time.set_zone(health.campus_tz)  # every time shown is the campus's (services/campus_time.py)
        self._retry_ms = RETRY_MIN_MS
        self._set_connection("online", "")
        if first:
            self.refresh()
        self._poll.start(POLL_ONLINE_MS)

    def _health_failed(self, exc: Exception) -> None:
        reason = exc.message if isinstance(exc, ApiError) else str(exc)
        self._set_connection("offline", reason)
        # Exponential backoff with jitter so a fleet of kiosks does not reconnect in lockstep.
        self._poll.start(int(self._retry_ms * random.uniform(0.5, 1.0)))
        self._retry_ms = min(self._retry_ms * 2, RETRY_MAX_MS)

    def _set_connection(self, state: str, detail: str) -> None:
        if (state, detail) != (self._connection, self._connection_detail):
            was_ready = self._get_ready()
            self._connection, self._connection_detail = state, detail
            self.connectionChanged.emit()
            if self._get_ready() != was_ready:
                self.readyChanged.emit()
                self._open_store_when_ready()

    def _settle_store(self) -> None:
        self._store_settled = True
        if self._refresh_waiting:  # the server answered first: its catalog goes into the store now
            self._refresh_waiting = False
            self.refresh()
        waiting, self._after_store = self._after_store, []
        for then in waiting:
            then()

    def _get_ready(self) -> bool:
        return self._looked and self._connection != "connecting"

    @Slot()
    def refresh(self) -> None:
        """Fetch the school's names and the catalog again (the top bar's status dot triggers it too)."""
        if not self._store_settled:
            self._refresh_waiting = True  # the catalog is kept in the store: wait until it is open
            return
        store, client = self.store, self.client
        self.workers.run(client.school, self._school_loaded, lambda exc: None)
        if store is None:  # no local copy to keep: show what the server says
            self.workers.run(client.processes, self._catalog_loaded, self._health_failed)
            return
        from kiosk.services.catalog import refresh_catalog

        self.workers.run(lambda: refresh_catalog(client, store), self._catalog_loaded, self._health_failed)

    def _school_loaded(self, school: dict[str, Any]) -> None:
        self._school = school.get("name") or self._school
        self._school_en = school.get("name_en") or self._school_en
        self.schoolChanged.emit()

    def _catalog_loaded(self, processes: list[dict[str, Any]]) -> None:
        self.processesArrived.emit(processes, "server")

    # -- shutdown -----------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """After the views have let go: the workers drained, the store closed."""
        self._poll.stop()
        self.workers.drain(15_000)
        if self.demo_server is not None:
            self.demo_server.stop()
            self.demo_server = None
        if self.store is not None:
            self.store.close()
        self.client.close()

    # -- properties ---------------------------------------------------------------------------------------
    def _get_school(self) -> str:
        return self._school

    def _get_school_en(self) -> str:
        return self._school_en

    def _get_mode(self) -> str:
        return self.config.mode

    def _get_is_kiosk(self) -> bool:
        return self.config.mode == "kiosk"

    def _get_device_name(self) -> str:
        return self.config.device_name

    def _get_connection(self) -> str:
        return self._connection

    def _get_connection_detail(self) -> str:
        return self._connection_detail

    def _get_server_version(self) -> str:
        return self._server_version

    def _get_keyboard_dir(self) -> str:
        return str(self._keyboard_dir) if self._keyboard_dir else ""

    schoolName = Property(str, _get_school, notify=schoolChanged)
    schoolNameEn = Property(str, _get_school_en, notify=schoolChanged)
    mode = Property(str, _get_mode, notify=configChanged)
    isKiosk = Property(bool, _get_is_kiosk, notify=configChanged)
    deviceName = Property(str, _get_device_name, notify=configChanged)
    connection = Property(str, _get_connection, notify=connectionChanged)
    connectionDetail = Property(str, _get_connection_detail, notify=connectionChanged)
    serverVersion = Property(str, _get_server_version, notify=connectionChanged)
    ready = Property(bool, _get_ready, notify=readyChanged)
    # Kiosk: where the virtual keyboard keeps what it learns (emptied at every logout).
    keyboardDataPath = Property(str, _get_keyboard_dir, notify=configChanged)

    # 个人中心 › 关于: the client's version and build id (kiosk/build_info.py; fixed for a run).
    def _get_version(self) -> str:
        from kiosk.build_info import build_info  # read only when 关于 asks: metadata costs at start-up

        return build_info()[0]

    def _get_build_id(self) -> str:
        from kiosk.build_info import build_info

        return build_info()[1]

    version = Property(str, _get_version, constant=True)
    buildId = Property(str, _get_build_id, constant=True)
