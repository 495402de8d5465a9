"""Portal (QML singleton): what 首页 shows beyond the hall — the manual's counters (1)–(3) (待办 is Inbox's),
办事中心's processes in the user's order, and the 资源中心 / 应用中心 tiles, opened as a QR code on a kiosk (a kiosk
does not browse the web: the person continues on their phone) or in the system browser on a desk."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Property, QObject, QTimer, QUrl, Signal, SignalInstance, Slot
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from campus_common.content import CATEGORY_BY_CODE, HOME_LIST_SIZE, HOME_LISTS
from kiosk.services import calendar, news
from kiosk.services.portal import (
    SIGNED_OUT_REASON,
    Counter,
    Entry,
    browser_url,
    entries,
    fetch_counters,
    placeholders,
    recent_process_codes,
    service_center_codes,
)
from kiosk.views.context import singleton_for
from kiosk.views.process_model import ProcessListModel
from kiosk.views.workers import LatestPersonalRead

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.services.auth import AuthService
    from kiosk.views.app_state import AppState
    from kiosk.views.catalog import Catalog
    from kiosk.views.hall import Hall
    from kiosk.views.qr_image import QrImageProvider
    from kiosk.views.session import Session
    from kiosk.views.sync import Sync
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger(__name__)

COUNTERS_EVERY_MS = 60_000  # the server caches each source for about as long (docs/portal.md)
# Public entries kept in the store's meta table, so an offline start still shows the tiles.
ENTRY_KINDS = {"resources": "books", "apps": "apps"}


@QmlElement
@QmlSingleton
class Portal(QObject):
    countersChanged = Signal()
    agendaChanged = Signal()
    entriesChanged = Signal()
    # Kiosk: show `url` as a QR code titled `name` (image://linkqr/<serial>) for the person's phone.
    qrShown = Signal(str, str, str)
    # Desk: a tile opened in the browser; `note` says why single sign-on was not used ("" when it was, or n/a).
    opened = Signal(str, str)

    def __init__(
        self,
        state: AppState,
        auth: AuthService,
        session: Session,
        catalog: Catalog,
        hall: Hall,
        sync: Sync,
        workers: WorkerPool,
        link_qr: QrImageProvider,
    ) -> None:
        super().__init__(state)
        self._state, self._auth, self._hall, self._workers, self._link_qr = state, auth, hall, workers, link_qr
        self._counters: list[Counter] = placeholders(SIGNED_OUT_REASON, "signed_out")
        self._counters_loading = False
        self._entries: dict[str, list[Entry]] = {kind: [] for kind in ENTRY_KINDS}
        self._headlines: dict[str, list[dict[str, Any]]] = {}
        self._headlines_known = False  # False: the store not read yet (the card says 正在获取 / 离线)
        self._services = ProcessListModel(self)
        self._recent: list[str] = []
        self._agenda: list[dict[str, Any]] = []
        self._personal = LatestPersonalRead(state, auth, workers)
        self._qr_serial = 0
        self._language: Callable[[], str] = lambda: "zh_CN"
        self._timer = QTimer(self)
        self._timer.setInterval(COUNTERS_EVERY_MS)
        self._timer.timeout.connect(self.refreshCounters)
        session.signedIn.connect(self._signed_in)
        session.signedOut.connect(self._signed_out)
        state.storeReady.connect(self._load_cached_entries)
        state.storeReady.connect(self._reload_headlines)
        state.connectionChanged.connect(self._connection_changed)
        catalog.changed.connect(self._order_services)
        catalog.favoritesChanged.connect(self._order_services)
        sync.settled.connect(self._reload_recent)
        sync.settled.connect(self._reload_agenda)
        sync.settled.connect(self._reload_headlines)  # news arrives with the public pull, offline-first

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Portal", engine)

    # -- counters ---------------------------------------------------------------------------------------------
    def _signed_in(self) -> None:
        self._counters = placeholders("正在获取…", "loading")
        self.countersChanged.emit()
        self.refreshCounters()
        self._timer.start()
        self._reload_recent()
        self._reload_agenda()

    def _signed_out(self, _reason: str = "") -> None:
        self._timer.stop()
        self._personal.forget()
        self._counters, self._recent, self._agenda = placeholders(SIGNED_OUT_REASON, "signed_out"), [], []
        self.agendaChanged.emit()
        self._counters_loading = False
        self.countersChanged.emit()
        self._order_services()

    @Slot()
    def refreshCounters(self) -> None:
        current, user = self._auth.current, self._auth.user_id
        if current is None or user is None or self._counters_loading:
            return
        self._counters_loading = True
        client, known = self._auth.client.with_token(current.access_token), self._counters

        def loaded(counters: list[Counter]) -> None:
            self._counters_loading = False
            if self._auth.user_id == user:
                self._counters = counters
                self.countersChanged.emit()

        def failed(exc: Exception) -> None:
            self._counters_loading = False
            log.warning("counters: %s", exc)
            if self._auth.user_id == user and not any(c.value is not None for c in self._counters):
                self._counters = placeholders(getattr(exc, "message", "") or "暂时无法获取", "failed")
                self.countersChanged.emit()

        self._workers.run(lambda: fetch_counters(client, known), loaded, failed)

    def follow_language(self, language: Callable[[], str], changed: SignalInstance) -> None:
        """Say each counter's reason in the interface's language (`language()`), again whenever it `changed`."""
        self._language = language
        changed.connect(self.countersChanged)

    def _get_counters(self) -> list[dict[str, Any]]:
        language = self._language()
        return [c.to_qml(language) for c in self._counters]

    # -- 资源中心 and 应用中心 ---------------------------------------------------------------------------------
    def _connection_changed(self) -> None:
        if self._state.connection == "online":
            self.refreshEntries()
            self.refreshCounters()

    def _load_cached_entries(self) -> None:
        store = self._state.store
        if store is None:
            return

        def read() -> dict[str, str | None]:
            return {kind: store.get_meta(f"portal.{kind}") for kind in ENTRY_KINDS}

        def loaded(cached: dict[str, str | None]) -> None:
            for kind in ENTRY_KINDS:
                raw = cached[kind]
                if raw and not self._entries[kind]:
                    self._entries[kind] = entries(json.loads(raw), ENTRY_KINDS[kind])
            self.entriesChanged.emit()

        self._workers.run(read, loaded)

    @Slot()
    def refreshEntries(self) -> None:
        client, store = self._auth.client, self._state.store

        def fetch() -> dict[str, Any]:
            fetched = {"resources": client.resources(), "apps": client.apps()}
            if store is not None:
                for kind, raw in fetched.items():
                    store.set_meta(f"portal.{kind}", json.dumps(raw, ensure_ascii=False))
            return fetched

        def loaded(fetched: dict[str, Any]) -> None:
            for kind in ENTRY_KINDS:
                self._entries[kind] = entries(fetched[kind], ENTRY_KINDS[kind])
            self.entriesChanged.emit()

        self._workers.run(fetch, loaded, lambda exc: log.info("portal entries not refreshed: %s", exc))

    def _reload_headlines(self) -> None:
        """首页's lists (5)–(9) from the local store: what the last pull brought, offline too."""
        store = self._state.store
        if store is None:
            return

        def loaded(headlines: dict[str, list[dict[str, Any]]]) -> None:
            if headlines != self._headlines or not self._headlines_known:
                self._headlines, self._headlines_known = headlines, True
                self.entriesChanged.emit()

        self._workers.run(lambda: news.headlines(store, HOME_LISTS, HOME_LIST_SIZE), loaded)

    def _get_headlines(self) -> list[dict[str, Any]]:
        """首页's lists (5)–(9), the manual's order: [{category (Chinese name), code, items: [{id, title, day}]}]."""
        return [
            {"category": CATEGORY_BY_CODE[code].name, "code": code, "items": self._headlines.get(code, [])}
            for code in HOME_LISTS
        ]

    def _get_headlines_known(self) -> bool:
        return self._headlines_known

    def _get_resources(self) -> list[dict[str, Any]]:
        return [e.to_qml() for e in self._entries["resources"]]

    def _get_apps(self) -> list[dict[str, Any]]:
        return [e.to_qml() for e in self._entries["apps"]]

    @Slot(str, str)
    def openEntry(self, kind: str, code: str) -> None:
        """A tile was tapped: a kiosk shows its address as a QR code; a desk opens it in the browser."""
        entry = next((e for e in self._entries.get(kind, []) if e.code == code), None)
        if entry is None:
            return
        if self._state.config.mode == "kiosk":
            self._qr_serial += 1
            key, link_qr = f"{entry.code}-{self._qr_serial}", self._link_qr
            # The code is made on a worker: the first one imports qrcode, which the GUI thread must not wait for.
            self._workers.run(
                lambda: link_qr.show(key, entry.url),
                lambda _: self.qrShown.emit(entry.name, entry.url, f"image://linkqr/{key}"),
            )
            return
        current = self._auth.current
        client = self._auth.client.with_token(current.access_token if current else None)
        signed_in = self._auth.user_id is not None

        def open_it(found: tuple[str, str]) -> None:
            from PySide6.QtGui import QDesktopServices

            url, note = found
            QDesktopServices.openUrl(QUrl(url))
            self.opened.emit(entry.name, note)

        self._workers.run(lambda: browser_url(client, entry, signed_in), open_it)

    # -- 办事中心 -----------------------------------------------------------------------------------------------
    # -- (10)–(12): 每周会议, 个人日程, 我的课表 for today and this week, from the synced calendar -----------------
    def _reload_agenda(self) -> None:
        def loaded(agenda: list[dict[str, Any]]) -> None:
            self._agenda = agenda
            self.agendaChanged.emit()

        self._personal.run(lambda store, user: calendar.agenda(store, user, date.today()), loaded)

    def _get_agenda(self) -> list[dict[str, Any]]:
        return self._agenda

    def _reload_recent(self) -> None:
        def loaded(recent: list[str]) -> None:
            self._recent = recent
            self._order_services()

        self._personal.run(lambda store, user: recent_process_codes(store.applications(user)), loaded)

    def _order_services(self) -> None:
        rows = {r.code: r for r in self._hall.visible_rows()}
        visible = [(r.code, r.favorite, r.recommended) for r in rows.values()]
        self._services.set_rows([rows[code] for code in service_center_codes(visible, self._recent)])

    def _get_services(self) -> ProcessListModel:
        return self._services

    counters = Property(list, _get_counters, notify=countersChanged)
    agenda = Property(list, _get_agenda, notify=agendaChanged)
    resources = Property(list, _get_resources, notify=entriesChanged)
    apps = Property(list, _get_apps, notify=entriesChanged)
    headlines = Property(list, _get_headlines, notify=entriesChanged)
    headlinesKnown = Property(bool, _get_headlines_known, notify=entriesChanged)
    services = Property(ProcessListModel, _get_services, constant=True)
