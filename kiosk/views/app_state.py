"""AppState (QML singleton): school, mode, language, text scale and the connection to the sync server.

Catalog (QML singleton): the hall processes, from the local store and refreshed from the server.
"""

from __future__ import annotations

import logging
import random
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QLibraryInfo,
    QObject,
    Qt,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.resources import i18n_dir
from kiosk.services.api_client import ApiClient, ApiError
from kiosk.services.auth import AuthService
from kiosk.services.config import KioskConfig, device_id
from kiosk.views import context
from kiosk.views.context import singleton_for
from kiosk.views.hall import Hall
from kiosk.views.icons import IconProvider
from kiosk.views.inbox import Inbox
from kiosk.views.process_model import ProcessListModel, ProcessRow
from kiosk.views.qr_image import QrImageProvider
from kiosk.views.session import Idle, Session
from kiosk.views.sync_status import Sync
from kiosk.views.tasks import LatestPersonalRead, TaskRunner

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.demo_server import DemoServer

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

POLL_ONLINE_MS = 15_000
RETRY_MIN_MS = 1_000
RETRY_MAX_MS = 30_000


def _translation_file(language: str, cache_dir: Path) -> Path | None:
    """The .qm for `language`: the compiled one in resources, else compile the .ts into the cache."""
    qm = i18n_dir() / f"kiosk_{language}.qm"
    ts = i18n_dir() / f"kiosk_{language}.ts"
    if qm.is_file() and (not ts.is_file() or qm.stat().st_mtime >= ts.stat().st_mtime):
        return qm
    if not ts.is_file():
        return None
    cached = cache_dir / qm.name
    if not cached.is_file() or cached.stat().st_mtime < ts.stat().st_mtime:
        cache_dir.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(["pyside6-lrelease", "-silent", str(ts), "-qm", str(cached)], check=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("cannot compile %s: %s", ts, exc)
            return None
    return cached


@QmlElement
@QmlSingleton
class AppState(QObject):
    schoolChanged = Signal()
    languageChanged = Signal()
    textScaleChanged = Signal()
    connectionChanged = Signal()
    storeReady = Signal()
    # Configuration is fixed for a run; the signal exists so QML tooling knows bindings on it are sound.
    configChanged = Signal()

    def __init__(
        self,
        config: KioskConfig,
        *,
        demo: bool = False,
        store_path: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.config = config
        self._demo = demo
        self._store_path = store_path or config.data_path / "kiosk.db"
        self._school = config.school_name
        self._school_en = config.school_name_en
        self._language = config.language
        self._text_scale = config.text_scale
        self._connection = "connecting"
        self._connection_detail = ""
        self._server_version = ""
        self._epoch = ""
        self._translator: QTranslator | None = None
        self._qt_translator: QTranslator | None = None  # Qt's own words (the file dialog's 打开, 取消…)
        self._engine: QQmlEngine | None = None
        self._retry_ms = RETRY_MIN_MS
        self.store: LocalStore | None = None
        self.demo_server: DemoServer | None = None
        self.client = ApiClient(config.server_url)
        # Four threads: a QR long poll may hold one for 8 s while health checks and logins go on.
        self.tasks = TaskRunner(self, max_threads=4)
        self.catalog = Catalog(self)
        kiosk = config.mode == "kiosk"
        # A kiosk's virtual keyboard keeps what it learns in a private directory that logout empties.
        self.keyboard_dir = Path(tempfile.mkdtemp(prefix="campus-kbd-")) if kiosk else None
        # Desk credentials (keyring) are looked up on the worker thread when the store opens.
        self.auth = AuthService(self.client, mode=config.mode, device_id="", device_name=config.device_name)
        self.qr_images = QrImageProvider()
        self.idle = Idle(config.idle_timeout_s, config.idle_countdown_s, self)
        self.session = Session(self, self.auth, self.qr_images, self.idle, self.keyboard_dir)
        self.sync = Sync(self)
        self.catalog.bind(self)
        self.hall = Hall(self)
        self.inbox = Inbox(self)
        self.inbox.bind(self)
        self._poll = QTimer(self)
        self._poll.setSingleShot(True)
        self._poll.timeout.connect(self._check_health)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        state = singleton_for("AppState", engine)
        assert isinstance(state, AppState)
        state._engine = engine
        return state

    def attach(self, engine: QQmlEngine) -> None:
        """Give `engine` this state's singletons and image providers; call before loading QML."""
        context.provide("AppState", self)
        context.provide("Session", self.session)
        context.provide("Idle", self.idle)
        context.provide("Sync", self.sync)
        context.provide("Hall", self.hall)
        context.provide("Inbox", self.inbox)
        engine.addImageProvider("icon", IconProvider())
        engine.addImageProvider("qr", self.qr_images)

    def watch_input(self, window: QObject) -> None:
        """Kiosk: every touch and key on the window resets the idle timer."""
        window.installEventFilter(self.idle)

    # -- start-up: everything slow happens on the worker threads ------------------------------------------
    def prepare(self) -> None:
        """Before the QML loads: install the configured language's translation."""
        if self._language != "zh_CN" and not self._install_translator(self._language):
            self._language = "zh_CN"
        self._install_qt_translator(self._language)

    def _install_qt_translator(self, language: str) -> None:
        """Desk mode shows dialogs made by Qt (choosing files to attach): in Chinese they need Qt's own
        translation, as our strings need ours in English. A kiosk shows none, so it does not load it."""
        app = QCoreApplication.instance()
        if self._qt_translator is not None and app is not None:
            app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        if self.config.mode != "desk" or language != "zh_CN" or app is None:
            return
        translator = QTranslator(self)
        if translator.load(f"qt_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            self._qt_translator = translator
        else:
            log.warning("no Qt translation for %s", language)

    def start(self, first_frame_of: QObject | None = None) -> None:
        """Open the store and (demo) start the bundled server in the background, then watch the server.
        With a window, this waits for its first frame: on 2 cores the work would otherwise compete with
        compiling the QML, and the login screen would appear later."""
        if first_frame_of is None:
            self._begin_background()
        else:
            first_frame_of.frameSwapped.connect(  # type: ignore[attr-defined]
                self._begin_background, Qt.ConnectionType.SingleShotConnection
            )

    def _begin_background(self) -> None:
        self.tasks.run(self._open_store, self._store_opened, self._store_failed)

    def _open_store(self) -> tuple[LocalStore, list[dict[str, Any]]]:
        # SQLAlchemy takes ~0.3 s to import: it loads here, on a worker thread, after the first frame.
        from kiosk.models.store import LocalStore

        self.auth.device_id = device_id(self.config.data_path)
        if self.config.mode == "desk":
            from kiosk.services.credentials import choose_store

            self.auth.credentials = choose_store(self.config.data_path)
        store = LocalStore(self._store_path)
        # A kiosk that crashed or lost power with someone logged in forgets them at the next start.
        if self.config.mode == "kiosk":
            store.wipe_personal()
        return store, store.catalog()

    def _store_opened(self, result: tuple[LocalStore, list[dict[str, Any]]]) -> None:
        self.store, cached = result
        if cached:
            self.catalog.set_processes(cached, source="cache")
        self.storeReady.emit()
        self.session.resume()
        self._connect()

    def _connect(self) -> None:
        if self._demo:
            self.tasks.run(self._start_demo_server, self._demo_started, self._demo_failed)
        else:
            self._check_health()

    def _store_failed(self, exc: Exception) -> None:
        # Without the local copy the terminal still works online; nothing personal is kept anyway.
        log.error("local store unavailable, running without it: %s", exc)
        self._connect()

    def _start_demo_server(self) -> str:
        from kiosk.services.demo_server import DemoServer

        server = DemoServer()
        self.demo_server = server
        server.seed()
        return server.start()

    def _demo_started(self, url: str) -> None:
        log.info("demo server at %s", url)
        self.client.base_url = url
        self._check_health()

    def _demo_failed(self, exc: Exception) -> None:
        self._set_connection("offline", f"演示服务器未能启动：{exc}")

    # -- connection ---------------------------------------------------------------------------------------
    def _check_health(self) -> None:
        client = self.client
        self.tasks.run(client.health, self._health_ok, self._health_failed)

    def _health_ok(self, health: Any) -> None:
        first = self._connection != "online"
        self._server_version = health.version
        self._epoch = health.epoch or ""
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
            self._connection, self._connection_detail = state, detail
            self.connectionChanged.emit()

    @Slot()
    def refresh(self) -> None:
        """Fetch the school's names and the catalog again (the top bar's status dot triggers it too)."""
        store, client = self.store, self.client
        self.tasks.run(client.school, self._school_loaded, lambda exc: None)
        if store is None:  # no local copy to keep: show what the server says
            self.tasks.run(client.processes, self._catalog_loaded, self._health_failed)
            return
        from kiosk.services.catalog import refresh_catalog

        self.tasks.run(lambda: refresh_catalog(client, store), self._catalog_loaded, self._health_failed)

    def _school_loaded(self, school: dict[str, Any]) -> None:
        self._school = school.get("name") or self._school
        self._school_en = school.get("name_en") or self._school_en
        self.schoolChanged.emit()

    def _catalog_loaded(self, processes: list[dict[str, Any]]) -> None:
        self.catalog.set_processes(processes, source="server")

    # -- language -----------------------------------------------------------------------------------------
    def _install_translator(self, language: str) -> bool:
        app = QCoreApplication.instance()
        if self._translator is not None and app is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        if language == "zh_CN":  # the source language of every qsTr string
            return True
        qm = _translation_file(language, self.config.data_path / "i18n")
        translator = QTranslator(self)
        if qm is None or not translator.load(str(qm)):
            log.warning("no translation for %s", language)
            return False
        if app is not None:
            app.installTranslator(translator)
        self._translator = translator
        return True

    @Slot(str)
    def setLanguage(self, language: str) -> None:
        if language == self._language or language not in ("zh_CN", "en_US"):
            return
        if not self._install_translator(language):
            return
        self._install_qt_translator(language)
        self._language = language
        if self._engine is not None:
            self._engine.retranslate()
        self.languageChanged.emit()

    @Slot()
    def toggleLanguage(self) -> None:
        self.setLanguage("en_US" if self._language == "zh_CN" else "zh_CN")

    # -- shutdown -----------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        self._poll.stop()
        if self.config.mode == "kiosk":  # a kiosk forgets; a desk client stays logged in (记住我)
            self.session.logout_because("shutdown")
        self.session.stopQr()
        app = QCoreApplication.instance()
        if self._translator is not None and app is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        if self._qt_translator is not None and app is not None:
            app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        self.tasks.wait(15_000)
        if self.demo_server is not None:
            self.demo_server.stop()
            self.demo_server = None
        if self.store is not None:
            self.store.close()
        self.client.close()
        if self.keyboard_dir is not None:
            shutil.rmtree(self.keyboard_dir, ignore_errors=True)

    # -- properties ---------------------------------------------------------------------------------------
    def _get_school(self) -> str:
        return self._school

    def _get_school_en(self) -> str:
        return self._school_en

    def _get_mode(self) -> str:
        return self.config.mode

    def _get_is_kiosk(self) -> bool:
        return self.config.mode == "kiosk"

    def _get_language(self) -> str:
        return self._language

    def _get_text_scale(self) -> float:
        return self._text_scale

    def _get_device_name(self) -> str:
        return self.config.device_name

    def _get_connection(self) -> str:
        return self._connection

    def _get_connection_detail(self) -> str:
        return self._connection_detail

    def _get_server_version(self) -> str:
        return self._server_version

    def _get_keyboard_dir(self) -> str:
        return str(self.keyboard_dir) if self.keyboard_dir else ""

    schoolName = Property(str, _get_school, notify=schoolChanged)
    schoolNameEn = Property(str, _get_school_en, notify=schoolChanged)
    mode = Property(str, _get_mode, notify=configChanged)
    isKiosk = Property(bool, _get_is_kiosk, notify=configChanged)
    language = Property(str, _get_language, notify=languageChanged)
    textScale = Property(float, _get_text_scale, notify=textScaleChanged)
    deviceName = Property(str, _get_device_name, notify=configChanged)
    connection = Property(str, _get_connection, notify=connectionChanged)
    connectionDetail = Property(str, _get_connection_detail, notify=connectionChanged)
    serverVersion = Property(str, _get_server_version, notify=connectionChanged)
    keyboardDataPath = Property(str, _get_keyboard_dir, notify=configChanged)


@QmlElement
@QmlSingleton
class Catalog(QObject):
    """The hall processes known to this terminal; `source` says where they came from (cache or server).
    With a user logged in, each process also carries their ★ and the sync state of their last ★ write."""

    changed = Signal()
    favoritesChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = ProcessListModel(self)
        self._favorites_model = ProcessListModel(self)
        self._source = "none"
        self._base: list[ProcessRow] = []
        self._favorites: set[str] = set()
        self._states: dict[str, dict[str, str]] = {}
        self._app: AppState | None = None
        self._personal = LatestPersonalRead()
        self._raw: dict[str, dict[str, Any]] = {}

    def bind(self, app: AppState) -> None:
        self._app = app
        app.session.signedIn.connect(self.reloadPersonal)
        app.session.signedOut.connect(self._forget_personal)
        app.sync.settled.connect(self.reloadPersonal)

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        state = singleton_for("AppState", engine)
        assert isinstance(state, AppState)
        QQmlEngine.setObjectOwnership(state.catalog, QQmlEngine.ObjectOwnership.CppOwnership)
        return state.catalog

    def set_processes(self, processes: list[dict[str, Any]], source: str) -> None:
        self._raw = {p["code"]: p for p in processes}
        self._base = [ProcessRow.from_dict(p) for p in processes]
        self._model.set_rows(self._decorated())
        self._favorites_model.set_rows([r for r in self._decorated() if r.favorite])
        self._source = source
        self.changed.emit()

    def raw_processes(self) -> dict[str, dict[str, Any]]:
        """The processes as the catalog received them, by code (read-only for other views)."""
        return self._raw

    def _decorated(self) -> list[ProcessRow]:
        rows = []
        for row in self._base:
            state = self._states.get(f"favorite:{row.code}", {})
            rows.append(
                replace(
                    row,
                    favorite=row.code in self._favorites,
                    sync_state=state.get("status", ""),
                    sync_error=state.get("error", ""),
                )
            )
        return rows

    def _publish(self) -> None:
        rows = self._decorated()
        self._model.update_rows(rows)
        self._favorites_model.set_rows([r for r in rows if r.favorite])
        self.favoritesChanged.emit()

    @Slot()
    def reloadPersonal(self) -> None:
        """Read the user's ★ and the state of their ★ writes from the local store (on a worker)."""

        def read(store: LocalStore, user: str) -> tuple[list[str], dict[str, dict[str, str]]]:
            return store.favorites(user), store.op_states(user, "favorite:")

        def loaded(result: tuple[list[str], dict[str, dict[str, str]]]) -> None:
            favorites, states = result
            self._favorites = set(favorites)
            self._states = states
            self._publish()

        self._personal.run(self._app, read, loaded)

    def _forget_personal(self, _reason: str = "") -> None:
        self._personal.forget()
        self._favorites, self._states = set(), {}
        self._publish()

    @Slot(str, result="QVariantMap")
    def process(self, code: str) -> dict[str, Any]:
        """Everything 办事指南 shows of one process (empty when unknown)."""
        raw = self._raw.get(code)
        if raw is None:
            return {}
        return {
            "code": code,
            "name": raw["name"],
            "departmentName": raw.get("department_name", raw["department"]),
            "audience": "/".join(raw.get("audience", [])),
            "category": raw.get("category", ""),
            "description": raw.get("description", ""),
            "materials": list(raw.get("materials") or []),
            "expectedDays": int(raw.get("expected_days") or 0),
            "contactPhone": raw.get("contact_phone") or "",
            "contactOffice": raw.get("contact_office") or "",
            "steps": list(raw.get("steps") or []),
            "favorite": code in self._favorites,
        }

    @Slot(str)
    def toggleFavorite(self, code: str) -> None:
        """★ / un-★ a process: the local effect and the outbox operation are written in one transaction; the
        star turns (with 待同步) once that is on disk, and the server's answer later sets 已同步 or 被拒绝."""
        app = self._app
        if app is None:
            return
        user = app.sync._user()
        if user is None:
            return
        on = code not in self._favorites

        def apply_local(session: Any) -> None:
            from sqlalchemy import delete

            from kiosk.models.tables import LocalFavorite

            if on:
                session.merge(LocalFavorite(user_id=user, process_code=code))
            else:
                session.execute(
                    delete(LocalFavorite).where(LocalFavorite.user_id == user, LocalFavorite.process_code == code)
                )

        def saved(_op: dict[str, Any]) -> None:
            if on:
                self._favorites.add(code)
            else:
                self._favorites.discard(code)
            self._states[f"favorite:{code}"] = {"status": "pending", "error": ""}
            self._publish()

        app.sync.enqueue(
            "favorite.set", {"process_code": code, "on": on}, apply_local, saved, entity=f"favorite:{code}"
        )

    def _get_model(self) -> QObject:
        return self._model

    def _get_favorites(self) -> QObject:
        return self._favorites_model

    def _get_source(self) -> str:
        return self._source

    def _get_count(self) -> int:
        return self._model.rowCount()

    def _get_favorite_count(self) -> int:
        return self._favorites_model.rowCount()

    processes = Property(ProcessListModel, _get_model, constant=True)
    favorites = Property(ProcessListModel, _get_favorites, constant=True)
    source = Property(str, _get_source, notify=changed)
    count = Property(int, _get_count, notify=changed)
    favoriteCount = Property(int, _get_favorite_count, notify=favoritesChanged)
