"""Forms (QML singleton): what a form page's FormController needs from the application, handed to it in QML
(`FormController { forms: Forms }`) instead of looked up: the store, the user, the outbox, the desk's drafts and
the hall's list of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtQml import QmlElement, QmlSingleton, QQmlEngine

from kiosk.views.context import singleton_for

if TYPE_CHECKING:
    from kiosk.models.store import LocalStore
    from kiosk.services.api_client import ApiClient
    from kiosk.services.auth import AuthService
    from kiosk.services.config import KioskConfig
    from kiosk.services.drafts import Drafts
    from kiosk.views.app_state import AppState
    from kiosk.views.hall import Hall
    from kiosk.views.sync import Sync
    from kiosk.views.workers import WorkerPool

QML_IMPORT_NAME = "Kiosk.Backend"
QML_IMPORT_MAJOR_VERSION = 1


@QmlElement
@QmlSingleton
class Forms(QObject):
    def __init__(self, state: AppState, auth: AuthService, sync: Sync, hall: Hall, workers: WorkerPool) -> None:
        super().__init__(state)
        self._state = state
        self.auth, self.sync, self.hall, self.workers = auth, sync, hall, workers
        self._drafts: Drafts | None = None
        self.language = "zh_CN"  # a form opened in English mode shows its English labels and choices

    @staticmethod
    def create(engine: QQmlEngine) -> QObject:
        return singleton_for("Forms", engine)

    @property
    def store(self) -> LocalStore | None:
        return self._state.store

    @property
    def config(self) -> KioskConfig:
        return self._state.config

    @property
    def client(self) -> ApiClient:
        return self._state.client

    def drafts(self) -> Drafts | None:
        """A desk client's drafts, once its store and credential store are open (the key is read on first use, on
        a worker); None on a kiosk, which keeps none."""
        store, credentials, device = self.store, self.auth.credentials, self.auth.device_id
        if self.config.mode != "desk" or store is None or credentials is None:
            return None
        if self._drafts is None or self._drafts.store is not store:
            from kiosk.services.credentials import draft_key
            from kiosk.services.drafts import Drafts

            self._drafts = Drafts(store, lambda: draft_key(credentials, device))
        return self._drafts

    def server_unreachable(self) -> None:
        """An upload found the server gone: the top bar should say 离线 now, not at the next poll."""
        self._state.refresh()
