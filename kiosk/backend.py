"""The composition root: builds the services and the views QML sees, and hands each exactly what it needs.

`Backend(config)` makes the objects; `attach(engine)` gives them to the QML singletons of `Kiosk.Backend`;
`prepare()` before the QML loads, `start()` after the window's first frame, `shutdown()` when the app quits.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from kiosk.services.api_client import ApiClient
from kiosk.services.auth import AuthService
from kiosk.services.config import KioskConfig
from kiosk.services.device import DeviceService
from kiosk.views import context, gui_gc
from kiosk.views.app_state import AppState
from kiosk.views.calendar import Calendar
from kiosk.views.calendar_edit import CalendarEditor
from kiosk.views.calendar_feed import CalendarFeed
from kiosk.views.calendar_reminders import CalendarReminders
from kiosk.views.catalog import Catalog
from kiosk.views.certificates import Certificates
from kiosk.views.display import Display
from kiosk.views.enrollment import Enrollment
from kiosk.views.forms import Forms
from kiosk.views.hall import Hall
from kiosk.views.icons import IconProvider
from kiosk.views.idle import Idle
from kiosk.views.inbox import Inbox
from kiosk.views.mail_password import MailPassword
from kiosk.views.messages import Messages
from kiosk.views.notify_settings import NotifySettings
from kiosk.views.portal import Portal
from kiosk.views.qr_image import QrImageProvider
from kiosk.views.qr_login import QrLogin
from kiosk.views.session import Session
from kiosk.views.sync import Sync
from kiosk.views.workers import WorkerPool

if TYPE_CHECKING:
    from PySide6.QtQml import QQmlEngine

    from kiosk.models.store import LocalStore
    from kiosk.views.updates import Updates


class Backend:
    def __init__(self, config: KioskConfig, *, demo: bool = False, store_path: Path | None = None) -> None:
        self.config = config
        kiosk = config.mode == "kiosk"
        gui_gc.install()  # before the first worker runs: cycles are freed on the GUI thread only
        self.client = ApiClient(config.server_url)
        # Desk credentials (keyring) are looked up on the worker thread when the store opens.
        self.auth = AuthService(self.client, mode=config.mode, device_id="", device_name=config.device_name)
        # Four threads: a QR long poll may hold one for 8 s while health checks and logins go on.
        self.workers = WorkerPool(max_threads=4)
        # A kiosk's virtual keyboard keeps what it learns in a private directory that logout empties.
        self.keyboard_dir = Path(tempfile.mkdtemp(prefix="campus-kbd-")) if kiosk else None
        self.state = AppState(
            config,
            self.client,
            self.auth,
            self.workers,
            demo=demo,
            store_path=store_path,
            keyboard_dir=self.keyboard_dir,
        )
        self.workers.setParent(self.state)
        self.display = Display(config, self.state)
        self.qr_images = QrImageProvider()
        self.idle = Idle(config.idle_timeout_s, config.idle_countdown_s, self.state)
        self.session = Session(self.state, self.auth, self.workers, self.idle, self.keyboard_dir)
        self.qr_login = QrLogin(self.auth, self.session, self.workers, self.qr_images)
        self.sync = Sync(self.state, self.auth, self.session, self.workers)
        self.catalog = Catalog(self.state, self.auth, self.session, self.sync, self.workers)
        self.hall = Hall(self.state, self.auth, self.catalog, self.session, self.workers)
        self.inbox = Inbox(self.state, self.auth, self.catalog, self.session, self.sync, self.workers)
        self.certificates = Certificates(self.state, self.auth, self.session, self.sync, self.workers, config)
        self.messages = Messages(self.state, self.auth, self.session, self.sync, self.workers)
        self.forms = Forms(self.state, self.auth, self.sync, self.hall, self.workers)
        self.link_qr = QrImageProvider()  # 资源中心 / 应用中心 addresses for the phone (the login's code is its own)
        self.portal = Portal(
            self.state, self.auth, self.session, self.catalog, self.hall, self.sync, self.workers, self.link_qr
        )
        self.portal.follow_language(lambda: self.display.language, self.display.languageChanged)
        self.calendar = Calendar(self.state, self.auth, self.session, self.sync, self.workers)
        self.notify_settings = NotifySettings(self.state, self.auth, self.session, self.sync, self.workers)
        self.mail_password = MailPassword(self.state, self.auth, self.session, self.workers)
        self.mail_password.stored.connect(self.portal.refreshCounters)
        device = DeviceService(self.client, config.data_path, code=config.enrollment_code)
        self.enrollment = Enrollment(self.state, device, self.sync, self.workers)
        if kiosk:  # a refused kiosk signs its user out: the login screen then says why
            self.enrollment.refused.connect(lambda: self.session.logout_because("device"))
        self.updates = self._updates(config)
        self.calendar_editor = CalendarEditor(self.state, self.auth, self.session, self.sync, self.workers)
        self.reminders = CalendarReminders(self.state, self.auth, self.session, self.sync, self.workers)
        self.calendar_editor.follow_language(lambda: self.display.language, self.display.languageChanged)
        self.reminders.follow_language(lambda: self.display.language, self.display.languageChanged)
        self.certificates.follow_language(lambda: self.display.language, self.display.languageChanged)
        self.calendar_feed = CalendarFeed(self.state, self.auth, self.session, self.workers, self.link_qr)
        # A desk client signs in with its remembered token once the store (and the keyring) is open.
        self.state.storeReady.connect(self.session.resume)
        # A kiosk's next person sees the terminal as configured: text size, contrast and language reset.
        self.session.signedOut.connect(self.display.forget_choices)
        # English mode shows the processes' and forms' own English (data from the server, not qsTr).
        self.display.languageChanged.connect(self._language_changed)

    def _language_changed(self) -> None:
        self.catalog.set_language(self.display.language)
        self.forms.language = self.display.language

    def _updates(self, config: KioskConfig) -> Updates | None:
        """An installed kiosk updates itself (config install_dir; docs/deploy.md, "Updates")."""
        if not config.install_dir:
            return None
        from kiosk.build_info import build_info
        from kiosk.services.updates import Updater
        from kiosk.views.updates import Updates as UpdatesView

        updater = Updater(Path(config.install_dir), build_info()[0])
        return UpdatesView(self.state, self.session, self.enrollment, self.workers, updater)

    @property
    def store(self) -> LocalStore | None:
        return self.state.store

    def singletons(self) -> dict[str, QObject]:
        return {
            "AppState": self.state,
            "Display": self.display,
            "Catalog": self.catalog,
            "Session": self.session,
            "QrLogin": self.qr_login,
            "Idle": self.idle,
            "Sync": self.sync,
            "Hall": self.hall,
            "Inbox": self.inbox,
            "Certificates": self.certificates,
            "Messages": self.messages,
            "Forms": self.forms,
            "Portal": self.portal,
            "Calendar": self.calendar,
            "NotifySettings": self.notify_settings,
            "MailPassword": self.mail_password,
            "Enrollment": self.enrollment,
            "CalendarEditor": self.calendar_editor,
            "CalendarReminders": self.reminders,
            "CalendarFeed": self.calendar_feed,
        }

    def attach(self, engine: QQmlEngine) -> None:
        """Give `engine` these singletons and the image providers; call before loading QML."""
        for name, obj in self.singletons().items():
            context.provide(name, obj)
        engine.addImageProvider("icon", IconProvider())
        engine.addImageProvider("qr", self.qr_images)
        engine.addImageProvider("linkqr", self.link_qr)

    def prepare(self) -> None:
        self.display.prepare()
        self._language_changed()

    def watch_input(self, window: QObject) -> None:
        """Kiosk: every touch and key on the window resets the idle timer."""
        window.installEventFilter(self.idle)

    def start(self) -> None:
        """Open the store and (demo) start the bundled server in the background, then watch the server."""
        self.state.start()
        self.enrollment.start()
        if self.updates is not None:
            self.updates.start()

    def shutdown(self) -> None:
        if self.config.mode == "kiosk":  # a kiosk forgets; a desk client stays logged in (记住我)
            self.session.logout_because("shutdown")
        else:
            # Closed within an undo time: the held 通过 goes into the outbox (the workers drain below); the next
            # start delivers it.
            self.inbox.sendHeld()
        self.qr_login.stop()
        self.enrollment.stop()
        self.sync.live.cancel()  # a desk client quits signed in: its live wait would hold the drain below
        self.state.shutdown()
        self.display.shutdown()
        if self.keyboard_dir is not None:
            shutil.rmtree(self.keyboard_dir, ignore_errors=True)
